package io.uv4j;

/**
 * Completion of an asynchronous {@link Fs} operation, on the loop thread: exactly one of
 * {@code result} and {@code error} is meaningful ({@code error} is null on success; operations
 * without a result pass a null result). It runs exactly once per request, also when the result
 * cannot be built: then {@code error} is {@code ENOMEM} with the {@link OutOfMemoryError} as its
 * cause (and whatever the result held, such as an opened directory, was released).
 *
 * <pre>{@code
 * fs.stat("/etc/hosts", (stat, error) -> {
 *   if (error != null) System.err.println(error.getMessage());   // ENOENT: ..., uv_fs_stat '/etc/hosts'
 *   else System.out.println(stat.size());
 * });
 * }</pre>
 */
@FunctionalInterface
public interface FsCallback<T> {
  void done(T result, UvException error);
}
