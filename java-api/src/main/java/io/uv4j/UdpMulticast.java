package io.uv4j;

import java.net.InetAddress;

/**
 * The checks of {@link Udp}'s multicast membership calls, made before libuv sees the strings:
 * the group must be a multicast address literal, a source an address literal of the group's
 * family. Only literals: {@code InetAddress.getByName} would resolve a name, blocking the loop
 * thread.
 */
final class UdpMulticast {
  private UdpMulticast() {}

  /**
   * @throws IllegalArgumentException if {@code group} is not a multicast address literal, or
   *     {@code source} (null for any-source membership) not an address literal of its family
   */
  static void checkGroup(String group, String source) {
    InetAddress g = literal(group, "group");
    if (!g.isMulticastAddress()) {
      throw new IllegalArgumentException(group + " is not a multicast address");
    }
    if (source != null && literal(source, "source").getAddress().length != g.getAddress().length) {
      throw new IllegalArgumentException("source " + source + " and group " + group + " are of different families");
    }
  }

  private static InetAddress literal(String s, String what) {
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    boolean literal = !t.isEmpty() && (t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
    if (!literal) {
      throw new IllegalArgumentException(what + " must be an IP address literal: " + s);
    }
    try {
      return InetAddress.getByName(t);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(what + " is not an IP address: " + s, e);
    }
  }
}
