package io.uv4j;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The destination of {@link Udp}'s next send, in the form the natives take (family 4 or 6, 0 for
 * none; the address as two longs; port; IPv6 scope id). The last {@link InetSocketAddress}
 * decoded is remembered by identity, so sending again and again to one address allocates nothing
 * ({@code InetAddress.getAddress()} copies). Loop thread only, like the handle that owns it.
 */
final class UdpTarget {
  int family;
  long hi;
  long lo;
  int port;
  int scope;

  private InetSocketAddress lastTo; // the last address decoded, and what it gave
  private int lastFamily;
  private long lastHi;
  private long lastLo;
  private int lastScope;

  /** Sets the fields from {@code to}; family 0 for null (a connected handle's send). */
  void set(InetSocketAddress to) {
    if (to == null) {
      family = 0;
      hi = lo = 0;
      port = scope = 0;
      return;
    }
    if (to == lastTo) {
      family = lastFamily;
      hi = lastHi;
      lo = lastLo;
      port = to.getPort();
      scope = lastScope;
      return;
    }
    decode(to);
    lastTo = to;
    lastFamily = family;
    lastHi = hi;
    lastLo = lo;
    lastScope = scope;
  }

  /** Sets the fields from the address {@code to} holds now. */
  void set(UdpAddress to) {
    family = to.family;
    hi = to.hi;
    lo = to.lo;
    port = to.port;
    scope = to.scope;
  }

  /** Drops the remembered address (the handle closes). */
  void forget() {
    lastTo = null;
  }

  private void decode(InetSocketAddress to) {
    InetAddress ip = Tcp.resolved(to);
    byte[] b = ip.getAddress();
    port = to.getPort();
    if (b.length == 4) {
      family = 4;
      hi = 0;
      lo = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
      scope = 0;
    } else {
      family = 6;
      hi = UdpAddress.bytesToLong(b, 0);
      lo = UdpAddress.bytesToLong(b, 8);
      scope = ip instanceof Inet6Address ? ((Inet6Address) ip).getScopeId() : 0;
    }
  }
}
