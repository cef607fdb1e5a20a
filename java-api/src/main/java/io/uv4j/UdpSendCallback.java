package io.uv4j;

/**
 * Completion of a {@link Udp#send} on the loop thread; {@code error} is null when the datagram
 * was handed to the kernel, else the error ({@code EMSGSIZE}, {@code ENETUNREACH},
 * {@code ECONNREFUSED} on a connected socket, {@code ECANCELED} when the handle was closed
 * first...). Runs exactly once per accepted send, in the order the sends were made.
 *
 * <pre>{@code
 * udp.send(ByteBuffer.wrap(bytes), peer, (u, error) -> {
 *   if (error != null) System.err.println("not sent: " + error.errorName());
 * });
 * }</pre>
 */
@FunctionalInterface
public interface UdpSendCallback {
  void done(Udp udp, UvException error);
}
