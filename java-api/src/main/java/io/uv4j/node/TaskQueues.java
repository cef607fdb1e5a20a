package io.uv4j.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Node's task queues for one {@link NodeRuntime} (lib/internal/process/task_queues.js and
 * promises.js): the nextTick queue, the microtask queue (promise jobs and queueMicrotask), and
 * the promise rejections processed after them.
 */
final class TaskQueues {
  private final NodeRuntime rt;
  final ArrayDeque<Runnable> ticks = new ArrayDeque<>();
  final ArrayDeque<Runnable> microtasks = new ArrayDeque<>();
  final List<Promise<?>> pendingUnhandledRejections = new ArrayList<>();
  /** Rejections reported unhandled that got a handler later (Node: asyncHandledRejections). */
  final ArrayDeque<Promise<?>> asyncHandledRejections = new ArrayDeque<>();
  int lastPromiseId;

  TaskQueues(NodeRuntime rt) {
    this.rt = rt;
  }

  /** InternalCallbackScope::Close: after a callback from libuv. */
  void tickAfterCallback() {
    if (rt.isExiting()) {
      return;
    }
    try {
      runNextTicks();
    } catch (Throwable t) {
      rt.handleUncaught(t);
    }
  }

  /** Node's runNextTicks(). */
  void runNextTicks() {
    if (ticks.isEmpty() && !hasRejectionToWarn()) {
      runMicrotasks();
    }
    if (ticks.isEmpty() && !hasRejectionToWarn()) {
      return;
    }
    processTicksAndRejections();
  }

  /**
   * Node's processTicksAndRejections(): all ticks, then microtasks, until both are empty. A
   * throwing tick ends the drain (the exception goes to the caller's callback scope); the ticks
   * after it wait for the next callback.
   */
  private void processTicksAndRejections() {
    do {
      Runnable tick;
      while (!rt.isExiting() && (tick = ticks.poll()) != null) {
        tick.run();
      }
      runMicrotasks();
    } while (!rt.isExiting() && (!ticks.isEmpty() || processPromiseRejections()));
  }

  private void runMicrotasks() {
    Runnable job;
    while (!rt.isExiting() && (job = microtasks.poll()) != null) {
      try {
        job.run();
      } catch (Throwable t) {
        rt.handleUncaught(t);
      }
    }
  }

  /** Inside {@link #runMicrotasksAfterExit}; then whether an exception ended the process. */
  boolean exitDrain;
  boolean exitDrainStopped;

  /** Whether no more user code may run: the runtime exits (or, after 'exit', the drain ended). */
  private boolean stopped() {
    return exitDrain ? exitDrainStopped : rt.isExiting();
  }

  /**
   * The close of the callback scope of a natural exit's 'exit' emit: microtasks, then the
   * unhandled rejections they left (and the microtasks of those listeners), until none is left.
   * Ticks are not run: Node's nextTick does nothing once process._exiting is set. Stops at an
   * exception that ends the process (see {@link NodeRuntime#uncaughtAfterExit}).
   */
  void runMicrotasksAfterExit() {
    exitDrain = true;
    try {
      do {
        ticks.clear();
        Runnable job;
        while (!exitDrainStopped && (job = microtasks.poll()) != null) {
          try {
            job.run();
          } catch (Throwable t) {
            rt.handleUncaught(t);
          }
        }
      } while (!exitDrainStopped && processPromiseRejections());
    } finally {
      ticks.clear();
      microtasks.clear();
    }
  }

  private boolean hasRejectionToWarn() {
    return !pendingUnhandledRejections.isEmpty() || !asyncHandledRejections.isEmpty();
  }

  /**
   * Node's processPromiseRejections() in the runtime's --unhandled-rejections mode: first
   * {@code 'rejectionHandled'} for rejections reported earlier and handled since (a warning when
   * nobody listens), then for each new unhandled rejection {@code 'unhandledRejection'}, or, with
   * no listener, an uncaught exception of origin {@code "unhandledRejection"}.
   */
  private boolean processPromiseRejections() {
    boolean maybeScheduled = !asyncHandledRejections.isEmpty();
    Promise<?> handledLate;
    while ((handledLate = asyncHandledRejections.poll()) != null) {
      if (rt.process.rejectionHandled.isEmpty()) {
        rt.emitWarning(new NodeWarning("PromiseRejectionHandledWarning",
            "Promise rejection was handled asynchronously (rejection id: " + handledLate.uid + ")", null));
      } else {
        for (Consumer<Promise<?>> l : rt.process.rejectionHandled.snapshot()) {
          l.accept(handledLate);
        }
      }
    }
    int len = pendingUnhandledRejections.size();
    while (len-- > 0 && !pendingUnhandledRejections.isEmpty()) {
      Promise<?> p = pendingUnhandledRejections.remove(0);
      if (p.handled) {
        continue;
      }
      p.warned = true;
      unhandledRejectionsMode(p);
      maybeScheduled = true;
      if (stopped()) {
        break;
      }
    }
    return maybeScheduled || !pendingUnhandledRejections.isEmpty();
  }

  /** Node's unhandledRejectionsMode(promise, promiseInfo) for the runtime's mode. */
  private void unhandledRejectionsMode(Promise<?> p) {
    switch (rt.options.unhandledRejections()) {
      case STRICT:
        rt.handleUncaught(errorLike(p.reason), "unhandledRejection");
        if (stopped()) {
          return; // Node: fatal, the process ends here
        }
        if (!emitUnhandledRejection(p)) {
          emitUnhandledRejectionWarning(p);
        }
        break;
      case NONE:
        emitUnhandledRejection(p);
        break;
      case WARN:
        emitUnhandledRejection(p);
        emitUnhandledRejectionWarning(p);
        break;
      case WARN_WITH_ERROR_CODE:
        if (!emitUnhandledRejection(p)) {
          emitUnhandledRejectionWarning(p);
          rt.setExitCode(1);
        }
        break;
      default: // THROW
        if (!emitUnhandledRejection(p)) {
          rt.handleUncaught(errorLike(p.reason), "unhandledRejection");
        }
        break;
    }
  }

  /**
   * Node's {@code isErrorLike(reason) ? reason : new UnhandledPromiseRejection(reason)}: a
   * promise rejected with {@code undefined} (Java's null) reaches 'uncaughtException' as an
   * {@code ERR_UNHANDLED_REJECTION} error, never as null.
   */
  static Throwable errorLike(Throwable reason) {
    if (reason != null) {
      return reason;
    }
    return new NodeError("ERR_UNHANDLED_REJECTION", "This error originated either by throwing inside of an async "
        + "function without a catch block, or by rejecting a promise which was not handled with .catch(). The "
        + "promise rejected with the reason \"undefined\".");
  }

  /** {@code process.emit('unhandledRejection', reason, promise)}: whether anyone listened. */
  private boolean emitUnhandledRejection(Promise<?> p) {
    if (rt.process.unhandledRejection.isEmpty()) {
      return false;
    }
    for (java.util.function.BiConsumer<Throwable, Promise<?>> l : rt.process.unhandledRejection.snapshot()) {
      l.accept(p.reason, p);
    }
    return true;
  }

  /** Node's emitUnhandledRejectionWarning: the reason's stack, then the explanation with the id. */
  private void emitUnhandledRejectionWarning(Promise<?> p) {
    java.io.StringWriter stack = new java.io.StringWriter();
    Throwable r = p.reason;
    if (r == null) {
      stack.append("undefined"); // Node: noSideEffectsToString(reason) for a reason that is not an error
    } else {
      // err.stack's first line: Node's own errors print as "RangeError [ERR_X]: ..." (NodeError's toString)
      stack.append(r instanceof NodeError ? r.toString() : r.getClass().getSimpleName() + ": " + r.getMessage());
      for (StackTraceElement e : r.getStackTrace()) {
        stack.append("\n    at ").append(e.toString());
      }
    }
    rt.emitWarning(new NodeWarning(UNHANDLED_WARNING, stack.toString(), null));
    rt.emitWarning(new NodeWarning(UNHANDLED_WARNING, "Unhandled promise rejection. This error originated either by "
        + "throwing inside of an async function without a catch block, or by rejecting a promise which was not "
        + "handled with .catch(). To terminate the node process on unhandled promise rejection, use the CLI flag "
        + "`--unhandled-rejections=strict` (see https://nodejs.org/api/cli.html#cli_unhandled_rejections_mode). "
        + "(rejection id: " + p.uid + ")", null));
  }

  private static final String UNHANDLED_WARNING = "UnhandledPromiseRejectionWarning";

  /** A rejected promise got its first handler (Node: handledRejection). */
  void rejectionHandledLate(Promise<?> p) {
    if (p.warned) {
      asyncHandledRejections.add(p);
    } else {
      pendingUnhandledRejections.remove(p);
    }
  }
}
