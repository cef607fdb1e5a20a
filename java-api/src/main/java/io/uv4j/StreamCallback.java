package io.uv4j;

/**
 * Completion of a stream operation (write, connect, shutdown, or an incoming connection on a
 * listening stream), on the loop thread; {@code error} is null on success.
 *
 * <pre>{@code
 * tcp.connect(new InetSocketAddress("127.0.0.1", 7000), (s, error) -> {
 *   if (error != null) System.err.println(error.getMessage());   // ECONNREFUSED: ...
 * });
 * }</pre>
 */
@FunctionalInterface
public interface StreamCallback {
  void done(Stream stream, UvException error);
}
