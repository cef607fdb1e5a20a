package io.uv4j;

import java.util.Arrays;

/**
 * The end of a {@link Loop}: {@link Loop#close()} ({@code uv_loop_close} once nothing is left)
 * and {@link Loop#shutdown()} (the close-all helper: close every handle, run until their close
 * callbacks and the requests in flight are done, then close). Both run with the loop claimed by
 * the calling thread, as {@code run()} does.
 */
final class LoopClose {
  private LoopClose() {}

  /** Closes a claimed loop: tasks run, nothing left (else {@code EBUSY}), then uv_loop_close. */
  static void closeClaimed(Loop loop) throws UvException {
    if (loop.isClosed()) {
      return; // closed by the thread that owned the loop before this one
    }
    while (true) {
      loop.runTasks();
      loop.rethrowPendingError();
      Handle[] live = Loop.nHandles(loop.address);
      if (live.length > 0 || loop.activeRequests > 0) {
        throw new UvException(Errno.EBUSY, "uv_loop_close", null, null,
            live.length + " handle(s) still open: " + Arrays.toString(live) + ", "
                + loop.activeRequests + " request(s) in flight (close the handles and let the requests"
                + " complete first, or use Loop.shutdown())");
      }
      if (LoopTasks.closeGate(loop)) {
        break;
      }
    }
    // Forget the loop's descriptors before libuv frees their numbers: another thread (a pool
    // thread opening a file for another loop) may get one at once, and must not be refused.
    OwnedFds.removeAll(loop);
    int r = Loop.nClose(loop.address);
    if (r != 0) {
      OwnedFds.registerLoop(loop); // still open: still the loop's
      LoopTasks.reopenGate(loop);
      throw new UvException(r, "uv_loop_close");
    }
    loop.markClosed();
    if (loop.readBuffer != null) { // native dropped its reference with the loop
      LoopReadBuffers.release(loop.readBuffer);
      loop.readBuffer = null;
      loop.readBase = 0;
    }
    Upcalls.detach(loop);
    OwnedFds.removeAll(loop); // again: anything registered while it closed
  }

  /** {@link Loop#shutdown()} on a claimed, open loop. */
  static void shutdownClaimed(Loop loop) throws UvException {
    for (int round = 0; ; round++) {
      Handle[] live = Loop.nHandles(loop.address);
      if (live.length == 0 && loop.activeRequests == 0) {
        break;
      }
      if (round == 100) {
        throw new IllegalStateException("Loop.shutdown(): callbacks keep creating handles: "
            + Arrays.toString(live));
      }
      for (Handle h : live) {
        h.close();
      }
      loop.runClaimed(RunMode.DEFAULT);
    }
    closeClaimed(loop);
  }
}
