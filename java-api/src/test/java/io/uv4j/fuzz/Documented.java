package io.uv4j.fuzz;

import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides whether an exception that escaped an API call is one the API documents.
 *
 * <p>Documented: {@link IllegalStateException}, {@link IllegalArgumentException},
 * {@link NullPointerException}, {@link IndexOutOfBoundsException} (ranges),
 * {@link RejectedExecutionException} (execute after close), {@link java.nio.ReadOnlyBufferException}
 * (an Fs read into a read-only buffer), {@link UvException} and an
 * {@link UncheckedIOException} wrapping one, and whatever the fuzzer's own callbacks threw,
 * rethrown by {@code run()} (a checked one wrapped in a RuntimeException), as documented.
 *
 * <p>An exception of a documented type is still undocumented when it was raised inside a native
 * upcall (its stack, above the fuzzer's frame, passes through {@code Loop.nRun} or
 * {@code Loop.runTasks}): the fuzzer's callbacks never let API exceptions escape, so such an
 * exception came from the library's own callback plumbing and {@code run()} should not throw it.
 */
final class Documented {
  /** What the fuzzer's callbacks throw on purpose. */
  static final class FuzzException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FuzzException(String m) {
      super(m, null, false, false);
    }
  }

  /** A checked exception thrown sneakily by a callback. */
  static final class FuzzChecked extends Exception {
    private static final long serialVersionUID = 1L;

    FuzzChecked(String m) {
      super(m, null, false, false);
    }
  }

  /** An Error thrown by a callback. */
  static final class FuzzError extends Error {
    private static final long serialVersionUID = 1L;

    FuzzError(String m) {
      super(m, null, false, false);
    }
  }

  /** Allowed in a few places only (walk's visitor, loop's exception handler): deliberate. */
  static boolean isFuzz(Throwable t) {
    return t instanceof FuzzException || t instanceof FuzzChecked || t instanceof FuzzError;
  }

  /** The verdict: null if documented, "fuzzer" if the fuzzer's own code threw, else a reason. */
  static String verdict(Throwable t) {
    if (isFuzz(t)) {
      return suppressedVerdict(t);
    }
    if (t.getClass() == RuntimeException.class && t.getCause() != null && isFuzz(t.getCause())) {
      return suppressedVerdict(t); // run(): "a checked one wrapped in a RuntimeException"
    }
    StackTraceElement[] st = t.getStackTrace();
    boolean apiFrame = false;
    boolean fromUpcall = false;
    for (StackTraceElement e : st) {
      String c = e.getClassName();
      if (c.startsWith("io.uv4j.fuzz.")) {
        break;
      }
      if (c.startsWith("io.uv4j.")) {
        apiFrame = true;
        String m = e.getMethodName();
        if (m.equals("nRun") || m.equals("runTasks")) {
          fromUpcall = true;
        }
      }
    }
    if (!apiFrame && st.length > 0) {
      return "fuzzer"; // thrown by the fuzzer's own code or the JDK on its behalf
    }
    if (fromUpcall) {
      return "raised inside a native upcall and rethrown";
    }
    boolean typeOk = t instanceof IllegalStateException
        || t instanceof IllegalArgumentException
        || t instanceof NullPointerException
        || t instanceof IndexOutOfBoundsException
        || t instanceof RejectedExecutionException
        || t instanceof java.nio.ReadOnlyBufferException // Fs reads into a read-only buffer (Fs javadoc)
        || t instanceof UvException
        // Uv's functions newer than the system's libuv (Uv class comment: "needs libuv >= x.y.z")
        || (t instanceof UnsupportedOperationException && String.valueOf(t.getMessage()).contains("needs libuv >="))
        || (t instanceof UncheckedIOException && t.getCause() instanceof UvException);
    if (!typeOk) {
      return "type " + t.getClass().getName() + " not documented";
    }
    return suppressedVerdict(t);
  }

  private static String suppressedVerdict(Throwable t) {
    for (Throwable s : t.getSuppressed()) {
      String v = verdict(s);
      if (v != null) {
        return "suppressed: " + v;
      }
    }
    return null;
  }

  /**
   * The Node layer's verdict ({@link NodeApiFuzzer}): null if documented, "fuzzer" if the
   * fuzzer's own code threw, else a reason. Documented: Node's coded errors ({@code NodeError}
   * and its subclasses with a code), {@code DOMException} and {@code AggregateError} (abort and
   * {@code Promise.any} reasons), a {@link NullPointerException} naming the null argument, an
   * {@link IllegalStateException} refusing a thread or a call its Javadoc documents, and what
   * the fuzzer's callbacks threw. For an exception that reached 'uncaughtException'
   * ({@code async}), only the fuzzer's own and Node's coded errors (an 'error' event with no
   * listener) are documented: anything else escaped the loop though the user's code did not
   * throw it.
   */
  static String nodeVerdict(Throwable t, boolean async) {
    if (isFuzz(t)) {
      return nodeSuppressed(t, async);
    }
    if (t.getCause() != null && isFuzz(t.getCause()) && (t.getClass() == RuntimeException.class
        || t instanceof java.util.concurrent.CompletionException)) {
      return nodeSuppressed(t, async);
    }
    StackTraceElement[] st = t.getStackTrace();
    boolean apiFrame = false;
    for (StackTraceElement e : st) {
      String c = e.getClassName();
      if (c.startsWith("io.uv4j.fuzz.")) {
        break;
      }
      if (c.startsWith("io.uv4j.")) {
        apiFrame = true;
      }
    }
    if (!apiFrame && st.length > 0) {
      return "fuzzer";
    }
    if (t instanceof io.uv4j.node.NodeError) {
      String code = ((io.uv4j.node.NodeError) t).code();
      return code == null || code.isEmpty() ? "NodeError without a code" : nodeSuppressed(t, async);
    }
    if (t instanceof io.uv4j.node.DOMException || t instanceof io.uv4j.node.AggregateError) {
      return nodeSuppressed(t, async);
    }
    if (async) {
      return "escaped the loop though the user's code did not throw it";
    }
    String msg = String.valueOf(t.getMessage());
    if (t instanceof NullPointerException) {
      return t.getMessage() == null ? "NullPointerException without a message (an internal null)" : null;
    }
    if (t instanceof IllegalStateException
        && (msg.contains("thread") || msg.contains("IPC channel"))) {
      return null;
    }
    return "type " + t.getClass().getName() + " not documented for the Node layer";
  }

  private static String nodeSuppressed(Throwable t, boolean async) {
    for (Throwable s : t.getSuppressed()) {
      String v = nodeVerdict(s, async);
      if (v != null && !v.equals("fuzzer")) {
        return "suppressed: " + v;
      }
    }
    return null;
  }

  private Documented() {}
}
