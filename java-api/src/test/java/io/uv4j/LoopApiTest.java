package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Loop API the ports of libuv's loop tests ({@link LoopTest}) do not reach: run()'s return
 * value, idle-time metrics, shutdown, close of a closed loop, run() from a callback and from
 * another thread.
 */
@ExtendWith(LeakCheck.class)
class LoopApiTest {
  private Loop loop;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
  }

  /** Tests close their loop themselves; one left open is a failure, cleaned up so it stays one. */
  @AfterEach
  void closeLoop() throws UvException {
    if (!loop.isClosed()) {
      loop.shutdown();
      fail("the test left its loop open");
    }
  }

  /** run() returns uv_run's value: 1 while handles are alive after ONCE/NOWAIT, 0 after. */
  @Test
  void runReturnsLibuvValueForOnceAndNowait() throws UvException {
    assertEquals(0, loop.run(RunMode.NOWAIT)); // nothing alive
    assertEquals(0, loop.run(RunMode.ONCE));

    Timer timer = new Timer(loop);
    int[] fired = {0};
    loop.updateTime();
    timer.start(10, 0, t -> fired[0]++);
    assertEquals(1, loop.run(RunMode.NOWAIT)); // not due yet, still alive
    assertEquals(0, fired[0]);
    // ONCE blocks until the timer is due, runs it, and nothing is left alive.
    assertEquals(0, loop.run(RunMode.ONCE));
    assertEquals(1, fired[0]);

    loop.updateTime(); // else, on a busy machine, the 10 ms may already be over: two firings
    timer.start(10, 10, t -> fired[0]++); // repeating: alive after each ONCE
    assertEquals(1, loop.run(RunMode.ONCE));
    // Once, or twice when the iteration itself outlasted 10 ms (libuv 1.44 runs due timers again
    // at the end of a ONCE iteration).
    assertTrue(fired[0] == 2 || fired[0] == 3, "fired " + fired[0]);

    timer.close();
    assertEquals(0, loop.run(RunMode.ONCE)); // runs the close, then nothing is alive
    loop.close();
  }

  /** With metrics enabled, idleTime() grows while the loop blocks in its poll. */
  @Test
  void idleTimeGrowsAfterBlockingPoll() throws UvException {
    loop.enableIdleTimeMetrics();
    assertEquals(Duration.ZERO, loop.idleTime());

    Timer timer = new Timer(loop);
    loop.updateTime(); // else, on a busy machine, the 20 ms may be over before run(): no wait
    timer.start(20, 0, Timer::close); // the loop blocks in epoll until it is due
    assertEquals(0, loop.run());

    assertTrue(loop.idleTime().compareTo(Duration.ZERO) > 0, loop.idleTime().toString());
    loop.close();
  }

  /** Without enableIdleTimeMetrics(), idle time is not accounted. */
  @Test
  void idleTimeStaysZeroWithoutMetrics() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(20, 0, Timer::close);
    assertEquals(0, loop.run());

    assertEquals(Duration.ZERO, loop.idleTime());
    loop.close();
  }

  /**
   * shutdown() closes every handle, runs the loop until their close callbacks ran (callbacks
   * given to an earlier close() included), and closes the loop.
   */
  @Test
  void shutdownClosesEverythingAndRunsCloseCallbacks() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(60_000, 0, t -> fail("shutdown must not wait for a timer"));
    Idle idle = new Idle(loop);
    idle.start(h -> {});
    Async async = new Async(loop, a -> fail("never sent"));
    Check check = new Check(loop); // never started
    Prepare prepare = new Prepare(loop);
    int[] closeCalls = {0};
    prepare.close(() -> closeCalls[0]++); // closing, its callback still to run

    loop.shutdown();

    assertTrue(loop.isClosed());
    assertEquals(1, closeCalls[0]);
    for (Handle h : List.of(timer, idle, async, check, prepare)) {
      assertTrue(h.isClosed(), h + " not closed");
    }
    loop.shutdown(); // closed already: nothing to do
  }

  /** close() on a closed loop does nothing; other calls on it throw IllegalStateException. */
  @Test
  void closeOnClosedLoopIsNoOp() throws UvException {
    loop.close();
    assertTrue(loop.isClosed());
    loop.close();
    assertTrue(loop.isClosed());
    assertThrows(IllegalStateException.class, () -> loop.run());
  }

  /** uv_run is not reentrant: Loop.run() from one of the loop's callbacks throws. */
  @Test
  void runFromCallbackThrows() throws UvException {
    List<Throwable> thrown = new ArrayList<>();
    Timer timer = new Timer(loop);
    timer.start(0, 0, t -> {
      thrown.add(assertThrows(IllegalStateException.class, () -> loop.run()));
      thrown.add(assertThrows(IllegalStateException.class, () -> loop.run(RunMode.NOWAIT)));
      // Neither may the loop be closed under its own callbacks.
      thrown.add(assertThrows(IllegalStateException.class, () -> loop.close()));
      thrown.add(assertThrows(IllegalStateException.class, () -> loop.shutdown()));
      t.close();
    });

    assertEquals(0, loop.run()); // the outer run goes on undisturbed
    assertEquals(4, thrown.size());
    assertFalse(loop.isClosed());
    assertTrue(timer.isClosed());
    loop.close();
  }

  /** While the loop runs, run() and alive() from another thread throw; execute() works. */
  @Test
  void runFromAnotherThreadWhileRunningThrows() throws Exception {
    List<Throwable> thrown = new ArrayList<>();
    int[] tasks = {0};
    Timer timer = new Timer(loop);
    timer.start(0, 0, t -> {
      // The loop is running on this thread for the whole callback.
      Thread other = new Thread(() -> {
        try {
          loop.run();
        } catch (Throwable e) {
          thrown.add(e);
        }
        try {
          loop.alive();
        } catch (Throwable e) {
          thrown.add(e);
        }
        loop.execute(() -> tasks[0]++);
      });
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      t.close(); // keeps the loop alive (closing) until the task ran in this same iteration
    });

    assertEquals(0, loop.run());
    assertEquals(2, thrown.size(), thrown.toString());
    for (Throwable e : thrown) {
      assertEquals(IllegalStateException.class, e.getClass(), e.toString());
    }
    assertEquals(1, tasks[0]);
    loop.close();
  }
}
