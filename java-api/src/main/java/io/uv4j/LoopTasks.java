package io.uv4j;

import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

/**
 * {@link Loop#execute}: the loop's task queue and its wake-up, the one way other threads reach a
 * running loop.
 *
 * <p>Tasks go into the loop's {@code ConcurrentLinkedQueue}; one {@code AtomicBoolean}
 * ({@code wakeupPending}) makes a batch of tasks cost one {@code uv_async_send}. The wake-up
 * handle is unref'd, so tasks do not keep the loop alive on their own, except a backlog beyond
 * one batch ({@link #MAX_PER_WAKEUP}), which refs it until it has run. A guard word
 * ({@code executeGuard}: bit 0 closed, the rest twice the number of {@code execute} calls in
 * flight) lets {@code close} wait out an {@code execute} that is between its check and its
 * wake-up, so no wake-up reaches a freed loop.
 *
 * <p>The state is the loop's own fields; this class holds the code.
 */
final class LoopTasks {
  private LoopTasks() {}

  /** Tasks run per wake-up before the loop goes back to I/O; the rest run next iteration. */
  static final int MAX_PER_WAKEUP = 4096;

  /** {@link Loop#execute}: any thread. */
  static void execute(Loop loop, Runnable task) {
    Objects.requireNonNull(task, "task");
    int guard = loop.executeGuard.getAndAdd(2);
    try {
      if ((guard & 1) != 0) {
        throw new RejectedExecutionException("Loop is closed");
      }
      loop.tasks.offer(task);
      if (!loop.wakeupPending.get() && loop.wakeupPending.compareAndSet(false, true)) {
        Loop.nWakeup(loop.address);
      }
    } finally {
      loop.executeGuard.getAndAdd(-2);
    }
  }

  /** {@code Loop.runTasks}: on the loop thread, by the wake-up handle and by run()/close(). */
  static void runTasks(Loop loop) {
    loop.wakeupPending.set(false); // before polling: a task offered after this sends a new wake-up
    for (int i = 0; i < MAX_PER_WAKEUP; i++) {
      Runnable task = loop.tasks.poll();
      if (task == null) {
        if (loop.backlogRef) {
          loop.backlogRef = false;
          Loop.nWakeupRef(loop.address, false);
        }
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        loop.callbackFailed(task, t);
      }
    }
    // More left: let I/O and timers run and finish in the next iteration. Accepted tasks must not
    // be stranded because nothing else keeps the loop alive, so the wake-up handle holds a ref
    // until the backlog is gone.
    if (!loop.tasks.isEmpty()) {
      if (!loop.backlogRef) {
        loop.backlogRef = true;
        Loop.nWakeupRef(loop.address, true);
      }
      if (loop.wakeupPending.compareAndSet(false, true)) {
        Loop.nWakeup(loop.address);
      }
    }
  }

  /**
   * Close: refuses further {@code execute} calls and waits for those in flight (they finish
   * their offer in a few instructions). Returns false, with the gate open again, if tasks came
   * in meanwhile: the caller runs them and tries again.
   */
  static boolean closeGate(Loop loop) {
    loop.executeGuard.getAndUpdate(g -> g | 1);
    while ((loop.executeGuard.get() >>> 1) != 0) {
      Thread.onSpinWait(); // an execute() in flight finishes its offer in a few instructions
    }
    if (loop.tasks.isEmpty()) {
      return true;
    }
    reopenGate(loop); // late tasks: run them and look again
    return false;
  }

  /** Accepts {@code execute} calls again (uv_loop_close failed). */
  static void reopenGate(Loop loop) {
    loop.executeGuard.getAndUpdate(g -> g & ~1);
  }
}
