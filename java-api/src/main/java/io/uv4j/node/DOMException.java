package io.uv4j.node;

import java.util.Objects;

/**
 * The web platform's {@code DOMException} as Node builds it: a {@link #name()} (such as
 * {@code "AbortError"} or {@code "TimeoutError"}), a message and the legacy numeric
 * {@link #code()} the name maps to (20 for {@code AbortError}, 23 for {@code TimeoutError}, 0 for
 * names without one). It is the default {@link AbortSignal#reason()}.
 *
 * <pre>{@code
 * AbortController ac = new AbortController(node);
 * ac.abort();
 * DOMException e = (DOMException) ac.signal().reason();
 * System.out.println(e.name() + " " + e.code() + " " + e);  // AbortError 20 AbortError: This operation was aborted
 * }</pre>
 */
public final class DOMException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message of the reason {@link AbortController#abort()} gives by default. */
  public static final String ABORTED = "This operation was aborted";
  /** The message of the reason an {@link AbortSignal#timeout} signal aborts with. */
  public static final String TIMED_OUT = "The operation was aborted due to timeout";

  private final String name;

  /**
   * {@code new DOMException(message, name)}.
   *
   * @throws NullPointerException if either is null
   */
  public DOMException(String message, String name) {
    super(Objects.requireNonNull(message, "message"));
    this.name = Objects.requireNonNull(name, "name");
  }

  /** {@code new DOMException('This operation was aborted', 'AbortError')}. */
  static DOMException abortError() {
    return new DOMException(ABORTED, "AbortError");
  }

  /** {@code err.name}. */
  public String name() {
    return name;
  }

  /** {@code err.code}: the legacy code of {@link #name()} (WebIDL's table), 0 when it has none. */
  public int code() {
    switch (name) {
      case "IndexSizeError": return 1;
      case "HierarchyRequestError": return 3;
      case "WrongDocumentError": return 4;
      case "InvalidCharacterError": return 5;
      case "NoModificationAllowedError": return 7;
      case "NotFoundError": return 8;
      case "NotSupportedError": return 9;
      case "InvalidStateError": return 11;
      case "SyntaxError": return 12;
      case "InvalidModificationError": return 13;
      case "NamespaceError": return 14;
      case "InvalidAccessError": return 15;
      case "TypeMismatchError": return 17;
      case "SecurityError": return 18;
      case "NetworkError": return 19;
      case "AbortError": return 20;
      case "URLMismatchError": return 21;
      case "QuotaExceededError": return 22;
      case "TimeoutError": return 23;
      case "InvalidNodeTypeError": return 24;
      case "DataCloneError": return 25;
      default: return 0;
    }
  }

  /** {@code err.toString()}: {@code name: message}. */
  @Override
  public String toString() {
    return name + ": " + getMessage();
  }
}
