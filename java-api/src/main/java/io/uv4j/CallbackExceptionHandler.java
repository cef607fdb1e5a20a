package io.uv4j;

/**
 * Decides what happens when user code in a callback throws. Without a handler the loop stops
 * at the end of the current iteration and {@link Loop#run()} rethrows the exception (like an
 * uncaught exception ending a Node process). With one, the handler sees the exception and the
 * loop goes on; if the handler itself throws, the loop stops and {@code run()} rethrows that.
 *
 * <pre>{@code
 * loop.setExceptionHandler((source, e) -> log.warn("callback of " + source + " failed", e));
 * }</pre>
 */
@FunctionalInterface
public interface CallbackExceptionHandler {
  /**
   * @param source the handle whose callback threw, or the task given to {@link Loop#execute}
   * @param exception what it threw
   */
  void onException(Object source, Throwable exception);
}
