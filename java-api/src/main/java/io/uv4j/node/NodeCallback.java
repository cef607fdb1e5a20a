package io.uv4j.node;

/**
 * A Node-style completion callback, {@code (err, value) => ...}: {@code err} is null on success;
 * operations without a result pass a null value.
 *
 * <pre>{@code
 * fs.readFile("/etc/hostname", "utf8", (err, text) -> {
 *   if (err != null) System.err.println(err.code());   // e.g. ENOENT
 *   else System.out.println(text);
 * });
 * }</pre>
 */
@FunctionalInterface
public interface NodeCallback<T> {
  void call(NodeError err, T value);
}
