package io.uv4j;

import java.nio.ByteBuffer;

/**
 * What a receiving {@link Udp} reports, on the loop thread.
 *
 * <p>{@link #onDatagram} gets a {@link ByteBuffer} view of exactly one datagram (position 0,
 * limit = its length, possibly 0), in the loop's own read buffer: valid only during the call,
 * reused by the next receive of any handle of the loop (copy what you keep; sending it back with
 * {@link Udp#send} copies it). {@code sender} is a reusable view of the sender's address, also
 * valid only during the call (see {@link UdpAddress}); null only if the kernel gave none.
 * {@code partial} is libuv's {@code UV_UDP_PARTIAL}: the datagram was larger than the loop's read
 * buffer ({@link Loop#setReadBufferSize}, or 64 KiB per datagram with recvmmsg) and was cut.
 *
 * <pre>{@code
 * udp.recvStart((u, data, from, partial) -> u.send(data, from, (h, error) -> { }));   // echo
 * }</pre>
 *
 * libuv's "nothing to read" call ({@code nread == 0} without an address) and recvmmsg's
 * "buffer released" call never reach these methods.
 */
@FunctionalInterface
public interface UdpRecvCallback {
  /** A datagram arrived. */
  void onDatagram(Udp udp, ByteBuffer data, UdpAddress sender, boolean partial);

  /**
   * Receiving failed (e.g. {@code ECONNREFUSED} on a connected socket after an ICMP port
   * unreachable). Default: close the handle.
   */
  default void onError(Udp udp, UvException error) {
    udp.close();
  }
}
