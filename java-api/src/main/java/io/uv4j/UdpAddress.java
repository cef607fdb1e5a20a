package io.uv4j;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The sender of a received datagram: a mutable, reusable view that {@link Udp} fills before each
 * {@link UdpRecvCallback#onDatagram} call, so receiving allocates nothing per datagram. It is
 * valid only during that call; the next datagram overwrites it.
 *
 * <p>The primitive accessors ({@link #port()}, {@link #isIpv6()}, {@link #ipv4()},
 * {@link #ipv6High()}, {@link #ipv6Low()}, {@link #scopeId()}) and replying with
 * {@link Udp#send(java.nio.ByteBuffer, UdpAddress, UdpSendCallback)} allocate nothing.
 * {@link #toInetSocketAddress()} decodes the address into an immutable
 * {@link InetSocketAddress} on first call per datagram (that call allocates; keep its result to
 * remember the sender beyond the callback).
 *
 * <p>Only the loop thread uses it.
 *
 * <pre>{@code
 * udp.recvStart((u, data, sender, partial) -> {
 *   u.send(data, sender, null);                        // echo it back: no allocation
 *   InetSocketAddress keep = sender.toInetSocketAddress(); // to remember the sender for later
 * });
 * }</pre>
 */
public final class UdpAddress {
  int family; // 4 or 6
  int port;
  long hi; // IPv6 bytes 0-7, big-endian
  long lo; // IPv6 bytes 8-15, or the IPv4 address in the low 32 bits
  int scope;
  private InetSocketAddress decoded;

  UdpAddress() {}

  void set(int family, int port, long hi, long lo, int scope) {
    this.family = family;
    this.port = port;
    this.hi = hi;
    this.lo = lo;
    this.scope = scope;
    this.decoded = null;
  }

  /** Whether this is an IPv6 address (an IPv4 sender of a dual-stack socket is IPv4-mapped IPv6). */
  public boolean isIpv6() {
    return family == 6;
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** The IPv4 address as an int, big-endian (127.0.0.1 is 0x7f000001); 0 for IPv6. */
  public int ipv4() {
    return family == 4 ? (int) lo : 0;
  }

  /** Bytes 0 to 7 of an IPv6 address, big-endian; 0 for IPv4. */
  public long ipv6High() {
    return family == 6 ? hi : 0;
  }

  /** Bytes 8 to 15 of an IPv6 address, big-endian; 0 for IPv4. */
  public long ipv6Low() {
    return family == 6 ? lo : 0;
  }

  /** The IPv6 scope id (0 for IPv4). */
  public int scopeId() {
    return scope;
  }

  /** Whether this is {@code a}'s address and port (allocates nothing for IPv4). */
  public boolean matches(InetSocketAddress a) {
    if (a == null || a.isUnresolved() || a.getPort() != port) {
      return false;
    }
    InetAddress ip = a.getAddress();
    if (family == 4) {
      return ip instanceof Inet4Address && ip.hashCode() == (int) lo; // Inet4Address's hash is its address
    }
    if (!(ip instanceof Inet6Address)) {
      return false;
    }
    byte[] b = ip.getAddress();
    return bytesToLong(b, 0) == hi && bytesToLong(b, 8) == lo;
  }

  /** The address bytes (4 or 16). Allocates. */
  public byte[] addressBytes() {
    byte[] b = new byte[family == 4 ? 4 : 16];
    if (family == 4) {
      longToBytes(lo, b, 0, 4);
    } else {
      longToBytes(hi, b, 0, 8);
      longToBytes(lo, b, 8, 8);
    }
    return b;
  }

  /** The sender as an immutable address, decoded once per datagram. */
  public InetSocketAddress toInetSocketAddress() {
    InetSocketAddress d = decoded;
    if (d == null) {
      try {
        InetAddress ip = family == 4 ? InetAddress.getByAddress(addressBytes())
            : Inet6Address.getByAddress(null, addressBytes(), scope);
        d = new InetSocketAddress(ip, port);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // cannot happen: 4 or 16 bytes
      }
      decoded = d;
    }
    return d;
  }

  @Override
  public String toString() {
    return toInetSocketAddress().toString();
  }

  static long bytesToLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static void longToBytes(long v, byte[] b, int off, int n) {
    for (int i = n - 1; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
