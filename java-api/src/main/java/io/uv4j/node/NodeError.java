package io.uv4j.node;

import java.util.Objects;

/**
 * An error as Node reports it: a message and a {@link #code()} such as {@code "ENOENT"} or
 * {@code "ERR_STREAM_WRITE_AFTER_END"}. Errors from the operating system are
 * {@link SystemError}s, which also carry the call and the path or address.
 *
 * <pre>{@code
 * stream.onError(e -> {
 *   if (e instanceof NodeError ne && "ERR_STREAM_WRITE_AFTER_END".equals(ne.code())) {
 *     System.out.println("written after end()");
 *   }
 * });
 * }</pre>
 */
public class NodeError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  public NodeError(String code, String message) {
    this(code, message, null);
  }

  public NodeError(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Node's {@code err.code}. */
  public String code() {
    return code;
  }

  /** Throws any throwable unchanged (checked ones too), as JavaScript's {@code throw} does. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + " [" + code + "]: " + getMessage();
  }
}
