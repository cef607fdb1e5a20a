package io.uv4j;

/**
 * What a {@link Loop} does when a callback throws: hand it to the loop's
 * {@link CallbackExceptionHandler} if one is set, else park it, stop the loop at the end of the
 * iteration, and rethrow it from {@link Loop#run()} (or {@code close()}/{@code shutdown()}), the
 * loop staying usable. The same for a Throwable that escaped an up-call (the JNI path's native
 * safety net, or {@code Upcalls.escaped} for FFM). Loop thread only; the state is the loop's
 * fields {@code exceptionHandler}, {@code pendingError} and {@code insideUvRun}.
 */
final class LoopErrors {
  private LoopErrors() {}

  /** {@code Loop.callbackFailed}: user code in a callback threw. */
  static void callbackFailed(Loop loop, Object source, Throwable t) {
    CallbackExceptionHandler handler = loop.exceptionHandler;
    if (handler != null) {
      try {
        handler.onException(source, t);
        return;
      } catch (Throwable t2) {
        if (t2 != t) {
          t2.addSuppressed(t);
        }
        t = t2;
      }
    }
    record(loop, t);
  }

  /** Parks {@code t} (the first one; later ones are suppressed by it) and stops the run. */
  static void record(Loop loop, Throwable t) {
    Throwable pending = loop.pendingError;
    if (pending == null) {
      loop.pendingError = t;
    } else if (pending != t) {
      pending.addSuppressed(t);
    }
    // Only inside uv_run: uv_stop's flag outlives the call and would end the next run at once.
    if (loop.insideUvRun) {
      Loop.nStop(loop.address);
    }
  }

  /** Throws the parked Throwable, if any (a checked one wrapped in a RuntimeException). */
  static void rethrowPending(Loop loop) {
    Throwable t = loop.pendingError;
    if (t == null) {
      return;
    }
    loop.pendingError = null;
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new RuntimeException("a callback threw " + t, t);
  }
}
