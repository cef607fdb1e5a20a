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

  private boolean hasRejectionToWarn() {
    return !pendingUnhandledRejections.isEmpty() || !asyncHandledRejections.isEmpty();
  }

  /**
   * Node's processPromiseRejections() in its default 'throw' mode: first
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
      if (rt.process.unhandledRejection.isEmpty()) {
        rt.handleUncaught(p.reason, "unhandledRejection");
      } else {
        for (java.util.function.BiConsumer<Throwable, Promise<?>> l : rt.process.unhandledRejection.snapshot()) {
          l.accept(p.reason, p);
        }
      }
      maybeScheduled = true;
    }
    return maybeScheduled || !pendingUnhandledRejections.isEmpty();
  }

  /** A rejected promise got its first handler (Node: handledRejection). */
  void rejectionHandledLate(Promise<?> p) {
    if (p.warned) {
      asyncHandledRejections.add(p);
    } else {
      pendingUnhandledRejections.remove(p);
    }
  }
}
