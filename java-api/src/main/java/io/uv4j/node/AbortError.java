package io.uv4j.node;

/**
 * Node's {@code AbortError} (lib/internal/errors.js): what an operation cancelled through an
 * {@link AbortSignal} rejects with. {@link #code()} is {@code "ABORT_ERR"}, {@link #name()}
 * {@code "AbortError"}, the message {@code "The operation was aborted"}, and {@link #reason()}
 * is Node's {@code err.cause}: the signal's {@link AbortSignal#reason()} (any value; when it is a
 * {@link Throwable} it is also the Java cause).
 *
 * <pre>{@code
 * AbortController ac = new AbortController(node);
 * TimersPromises.setTimeout(node, 1000, "late", ac.signal(), true)
 *     .catchAccept(e -> System.out.println(e + " " + ((AbortError) e).code()));
 * ac.abort();   // AbortError: The operation was aborted ABORT_ERR
 * }</pre>
 */
public final class AbortError extends NodeError {
  private static final long serialVersionUID = 1L;

  /** Node's default message. */
  public static final String MESSAGE = "The operation was aborted";

  private final transient Object reason;

  /** {@code new AbortError(undefined, { cause: reason })}: the default message. */
  public AbortError(Object reason) {
    this(MESSAGE, reason);
  }

  /** {@code new AbortError(message, { cause: reason })}. */
  public AbortError(String message, Object reason) {
    super("ABORT_ERR", message == null ? MESSAGE : message, reason instanceof Throwable ? (Throwable) reason : null);
    this.reason = reason;
  }

  /** Node's {@code err.cause}: the abort reason (null for none). */
  public Object reason() {
    return reason;
  }

  /** {@code "AbortError"}. */
  @Override
  public String name() {
    return "AbortError";
  }

  /** {@code AbortError: message}, as Node prints it (no code: it is not one of the ERR_ errors). */
  @Override
  public String toString() {
    return "AbortError: " + getMessage();
  }
}
