package io.uv4j;

import java.nio.ByteBuffer;

/**
 * The views {@link Udp} hands its receive callback: the loop's read buffer itself for a datagram
 * at offset 0, else (recvmmsg delivers a batch into consecutive 64 KiB chunks of it) a slice of
 * the chunk, made once per chunk and reused, so receiving allocates nothing after the first
 * batch. Loop thread only.
 */
final class UdpRecvViews {
  /** libuv's recvmmsg chunk (UV__UDP_DGRAM_MAXSIZE). */
  static final int CHUNK = 64 * 1024;

  private ByteBuffer[] views; // views of the read buffer's chunks 1..n, made when first needed

  /** The view of {@code rb} at {@code offset}: {@code rb} itself, or its chunk's slice. */
  ByteBuffer view(ByteBuffer rb, int offset) {
    if (offset == 0) {
      return rb;
    }
    int k = offset / CHUNK;
    if (views == null) {
      views = new ByteBuffer[rb.capacity() / CHUNK];
    }
    ByteBuffer v = views[k];
    if (v == null) {
      v = rb.duplicate().clear().position(k * CHUNK).limit((k + 1) * CHUNK).slice();
      views[k] = v;
    }
    return v;
  }

  /** Drops the views (the handle closes). */
  void clear() {
    views = null;
  }
}
