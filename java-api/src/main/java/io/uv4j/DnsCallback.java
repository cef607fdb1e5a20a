package io.uv4j;

/**
 * Completion of an asynchronous {@link Dns} request, on the loop thread: {@code error} is null
 * on success; on failure {@code result} is null and {@code error} carries libuv's
 * {@code EAI_*} error (e.g. {@code EAI_NONAME}), the call ({@code getaddrinfo} or
 * {@code getnameinfo}) and the host or address as {@link UvException#path()}.
 *
 * <pre>{@code
 * dns.getaddrinfo("localhost", null, null, (addresses, error) -> {
 *   if (error != null) System.err.println(error.getMessage());
 *   else System.out.println(addresses);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface DnsCallback<T> {
  void done(T result, UvException error);
}
