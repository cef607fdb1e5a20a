package io.uv4j;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The sending side of a {@link Udp} handle, as udp_send.c is on the native side:
 * {@code uv_udp_send} (a direct buffer in place, others copied once), {@code uv_udp_try_send}
 * and {@code uv_udp_try_send2}. Sends complete in order per handle; their buffers (kept
 * reachable) and callbacks wait in the handle's {@link UdpSendQueue}, and the target of the send
 * being made is the handle's reusable {@link UdpTarget} (no allocation per send).
 *
 * <p>Static methods over the handle's fields, called from {@code Udp}'s public methods; the
 * natives stay declared on {@code Udp} (udp_send.c registers them there).
 */
final class UdpSends {
  private UdpSends() {}

  /** {@link Udp#send(ByteBuffer, InetSocketAddress, UdpSendCallback)}. */
  static void send(Udp u, ByteBuffer buf, InetSocketAddress to, UdpSendCallback callback) {
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(callback, "callback");
    long a = u.open();
    UdpTarget d = u.target;
    d.set(to);
    sendBuffer(u, a, d, buf, callback, to);
  }

  /** {@link Udp#send(ByteBuffer, UdpAddress, UdpSendCallback)}: a reply without allocating. */
  static void send(Udp u, ByteBuffer buf, UdpAddress to, UdpSendCallback callback) {
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(callback, "callback");
    long a = u.open();
    UdpTarget d = u.target;
    d.set(to);
    sendBuffer(u, a, d, buf, callback, to);
  }

  /** {@link Udp#send(byte[], int, int, InetSocketAddress, UdpSendCallback)}: copied once. */
  static void send(Udp u, byte[] data, int off, int len, InetSocketAddress to, UdpSendCallback callback) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(callback, "callback");
    Objects.checkFromIndexSize(off, len, data.length);
    long a = u.open();
    UdpTarget d = u.target;
    d.set(to);
    check(u, Udp.nSendArray(a, data, off, len, d.family, d.hi, d.lo, d.port, d.scope), to);
    u.sends.push(null, callback);
    u.trackFd();
  }

  /** {@link Udp#send(ByteBuffer[], InetSocketAddress, UdpSendCallback)}: one datagram. */
  static void send(Udp u, ByteBuffer[] bufs, InetSocketAddress to, UdpSendCallback callback) {
    Objects.requireNonNull(bufs, "bufs");
    Objects.requireNonNull(callback, "callback");
    long a = u.open();
    int n = bufs.length;
    if (n == 0) {
      throw new IllegalArgumentException("no buffers: a datagram needs at least one (it may be empty)");
    }
    UdpTarget d = u.target;
    d.set(to);
    ByteBuffer[] direct = new ByteBuffer[n];
    int[] pos = new int[n];
    int[] len = new int[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer b = Objects.requireNonNull(bufs[i], "buffer");
      if (b.isDirect()) {
        direct[i] = b;
        pos[i] = b.position();
        len[i] = Stream.span(b, pos[i]);
      } else {
        direct[i] = ByteBuffer.allocateDirect(Math.max(1, b.remaining())).put(b.duplicate()).flip();
        pos[i] = 0;
        len[i] = direct[i].remaining(); // the copy's: b may have moved since
      }
    }
    check(u, Udp.nSendv(a, direct, pos, len, d.family, d.hi, d.lo, d.port, d.scope), to);
    u.sends.push(direct, callback);
    u.trackFd();
    for (ByteBuffer b : bufs) {
      b.position(b.limit());
    }
  }

  private static void sendBuffer(Udp u, long a, UdpTarget d, ByteBuffer buf, UdpSendCallback callback,
      Object to) {
    int pos = buf.position();
    int len = Stream.span(buf, pos);
    int r;
    Object keep = null;
    if (buf.isDirect()) {
      r = Udp.nSendDirect(a, buf, pos, len, false, d.family, d.hi, d.lo, d.port, d.scope);
      keep = buf;
    } else if (buf.hasArray()) {
      r = Udp.nSendArray(a, buf.array(), buf.arrayOffset() + pos, len, d.family, d.hi, d.lo, d.port, d.scope);
    } else {
      byte[] copy = new byte[len];
      buf.duplicate().get(copy);
      r = Udp.nSendArray(a, copy, 0, len, d.family, d.hi, d.lo, d.port, d.scope);
    }
    check(u, r, to);
    u.sends.push(keep, callback);
    u.trackFd();
    buf.position(pos + len);
  }

  /** uv_udp_send's answer: an error thrown (unchecked), or the socket it bound. */
  private static void check(Udp u, int r, Object to) {
    if (r != 0) {
      throw new UncheckedIOException(new UvException(r, "uv_udp_send", to == null ? null : to.toString(), null));
    }
    if (to != null && u.state == Udp.NEW) {
      u.state = Udp.BOUND; // uv_udp_send bound the socket
    }
  }

  /** {@link Udp#trySend(ByteBuffer, InetSocketAddress)}: now or not at all (-1). */
  static int trySend(Udp u, ByteBuffer buf, InetSocketAddress to) throws UvException {
    Objects.requireNonNull(buf, "buf");
    long a = u.open();
    UdpTarget d = u.target;
    d.set(to);
    int pos = buf.position();
    int len = Stream.span(buf, pos);
    int r;
    if (buf.isDirect()) {
      r = Udp.nTrySendDirect(a, buf, pos, len, d.family, d.hi, d.lo, d.port, d.scope);
    } else if (buf.hasArray()) {
      r = Udp.nTrySendArray(a, buf.array(), buf.arrayOffset() + pos, len, d.family, d.hi, d.lo, d.port, d.scope);
    } else {
      byte[] copy = new byte[len];
      buf.duplicate().get(copy);
      r = Udp.nTrySendArray(a, copy, 0, len, d.family, d.hi, d.lo, d.port, d.scope);
    }
    u.trackFd();
    if (r == Errno.EAGAIN) {
      return -1;
    }
    if (r < 0) {
      throw new UvException(r, "uv_udp_try_send", to == null ? null : to.toString(), null);
    }
    if (u.state == Udp.NEW) {
      u.state = Udp.BOUND; // the kernel bound the socket for the send
    }
    buf.position(pos + r);
    return r;
  }

  /** {@link Udp#trySendBatch}: the first datagrams that can go now, in few system calls. */
  static int trySendBatch(Udp u, ByteBuffer[] datagrams, InetSocketAddress to) throws UvException {
    Objects.requireNonNull(datagrams, "datagrams");
    ByteBuffer[] direct = new ByteBuffer[datagrams.length];
    int[] pos = new int[datagrams.length];
    int[] len = new int[datagrams.length];
    for (int i = 0; i < datagrams.length; i++) {
      ByteBuffer b = Objects.requireNonNull(datagrams[i], "datagram");
      if (b.isDirect()) {
        direct[i] = b;
        pos[i] = b.position();
        len[i] = Stream.span(b, pos[i]);
      } else {
        direct[i] = ByteBuffer.allocateDirect(b.remaining()).put(b.duplicate());
        pos[i] = 0;
        len[i] = direct[i].capacity(); // the copy's: b may have moved since
      }
    }
    long a = u.open();
    // uv_udp_try_send checks these; uv_udp_try_send2 leaves them to the kernel, which on Linux
    // lets a connected socket send elsewhere: keep uv_udp_try_send's answers on every version.
    String where = to == null ? null : to.toString();
    if (u.state == Udp.CONNECTED && to != null) {
      throw new UvException(Errno.code("EISCONN"), "uv_udp_try_send2", where, null);
    }
    if (u.state != Udp.CONNECTED && to == null) {
      throw new UvException(Errno.code("EDESTADDRREQ"), "uv_udp_try_send2", null, null);
    }
    UdpTarget d = u.target;
    d.set(to);
    if (datagrams.length == 0) {
      return 0;
    }
    int r = Udp.nTrySendMany(a, direct, pos, len, d.family, d.hi, d.lo, d.port, d.scope);
    u.trackFd();
    if (r == Errno.EAGAIN) {
      return 0;
    }
    if (r < 0) {
      throw new UvException(r, Uv.version() >= 0x013200 ? "uv_udp_try_send2" : "uv_udp_try_send", where, null);
    }
    if (u.state == Udp.NEW) {
      u.state = Udp.BOUND; // the kernel bound the socket for the send
    }
    for (int i = 0; i < r; i++) {
      datagrams[i].position(datagrams[i].position() + len[i]);
    }
    return r;
  }
}
