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

  private Documented() {}
}
