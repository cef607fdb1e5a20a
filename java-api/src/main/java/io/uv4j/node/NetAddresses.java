package io.uv4j.node;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literals (Node's internal/net.js): recognizing, parsing, and printing them as Node does. */
final class NetAddresses {
  private NetAddresses() {}

  /** Compiled on first use of {@link #isIP} (start-up: Net.of stays cheap). */
  private static final class Ipv4 {
    static final Pattern PATTERN = Pattern.compile(
        "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)");
  }

  /** {@code net.isIP(input)}: 4, 6, or 0 if {@code input} is not an IP address literal. */
  static int isIP(String input) {
    if (input == null || input.isEmpty()) {
      return 0;
    }
    if (Ipv4.PATTERN.matcher(input).matches()) {
      return 4;
    }
    if (input.indexOf(':') >= 0 && parse6(input) != null) {
      return 6;
    }
    return 0;
  }

  private static InetAddress parse6(String input) {
    try {
      // Brackets make InetAddress parse the literal and never fall back to a DNS lookup.
      InetAddress a = InetAddress.getByName("[" + input + "]");
      return a instanceof Inet6Address || input.indexOf(':') >= 0 ? a : null;
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /** An IP literal as an address, without DNS (callers look names up first). */
  static InetAddress literal(String host) {
    String h = host;
    int kind = isIP(h);
    if (kind == 0) {
      throw new IllegalStateException("'" + host + "' is not an IP address");
    }
    try {
      return kind == 4 ? InetAddress.getByName(h) : parse6(h);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** An address as Node prints it: dotted IPv4, RFC 5952 IPv6 ("::1"), "%scope" when scoped. */
  static String format(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    byte[] b = a.getAddress();
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    int scope = ((Inet6Address) a).getScopeId();
    if (scope != 0) {
      sb.append('%').append(scope);
    }
    return sb.toString();
  }
}
