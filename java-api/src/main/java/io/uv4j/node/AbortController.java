package io.uv4j.node;

import java.util.Objects;

/**
 * Node's {@code AbortController}: owns an {@link AbortSignal} and aborts it. {@link #abort}
 * runs the signal's {@code 'abort'} listeners synchronously, before it returns; a second call does
 * nothing.
 *
 * <pre>{@code
 * AbortController ac = new AbortController(node);
 * TimersPromises.setTimeout(node, 10_000, "never", ac.signal(), true)
 *     .catchAccept(e -> System.out.println(e));   // AbortError: The operation was aborted
 * ac.abort();
 * }</pre>
 */
public final class AbortController {
  private final AbortSignal signal;

  /**
   * {@code new AbortController()} for the runtime {@code node}.
   *
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off the runtime's thread
   */
  public AbortController(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    this.signal = new AbortSignal(node, false);
  }

  /** {@code controller.signal}. */
  public AbortSignal signal() {
    return signal;
  }

  /**
   * {@code controller.abort(reason)}; null (JavaScript's undefined) gives the default reason, a
   * {@link DOMException} {@code AbortError: This operation was aborted} (code 20).
   */
  public void abort(Object reason) {
    signal.rt.checkThread();
    AbortSignal.abortSignal(signal, reason != null ? reason : DOMException.abortError());
  }

  /** {@code controller.abort()}: with the default AbortError {@link DOMException}. */
  public void abort() {
    abort(null);
  }
}
