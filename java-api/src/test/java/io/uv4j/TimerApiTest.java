package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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

/** Timer behaviour that only the Java API has: Durations, exceptions for misuse, closed handles. */
@ExtendWith(LeakCheck.class)
class TimerApiTest {
  /** libuv 1.45.0 moved the timers phase from the start to the end of a loop iteration. */
  private static final int V1_45 = (1 << 16) | (45 << 8);
  /** libuv 1.48.0 stopped running timers started during the timers phase in that same phase. */
  private static final int V1_48 = (1 << 16) | (48 << 8);

  private Loop loop;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
  }

  /** Only does something after a failed test, so one failure does not cascade into leak reports. */
  @AfterEach
  void cleanUp() throws UvException {
    if (!loop.isClosed() && !loop.isRunning()) {
      loop.shutdown();
    }
  }

  private static void never(Timer t) {
    fail("this timer must never fire");
  }

  @Test
  void startWithDurationsUsesMilliseconds() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(Duration.ofSeconds(2), Duration.ofMillis(250), TimerApiTest::never);
    assertTrue(timer.isActive());
    assertEquals(2000, timer.getDueIn()); // the loop's clock does not move until it runs
    assertEquals(250, timer.getRepeat());

    // Sub-millisecond parts are truncated, like Duration.toMillis().
    timer.start(Duration.ofNanos(1_999_999), Duration.ofNanos(999_999), TimerApiTest::never);
    assertEquals(1, timer.getDueIn());
    assertEquals(0, timer.getRepeat());

    // And a Duration timer really fires, repeating.
    int[] calls = {0};
    timer.start(Duration.ofMillis(1), Duration.ofMillis(1), t -> {
      if (++calls[0] == 3) {
        t.close();
      }
    });
    assertEquals(0, loop.run());
    assertEquals(3, calls[0]);
    loop.close();
  }

  @Test
  void startWithDurationTooLargeForLongMillisSaturates() throws UvException {
    Timer timer = new Timer(loop);
    Duration tooLong = Duration.ofSeconds(Long.MAX_VALUE); // toMillis() would overflow
    timer.start(tooLong, tooLong, TimerApiTest::never);
    assertTrue(timer.isActive());
    assertEquals(Long.MAX_VALUE, timer.getDueIn());
    assertEquals(Long.MAX_VALUE, timer.getRepeat());

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void startRejectsNegativeAndNullDurations() throws UvException {
    Timer timer = new Timer(loop);
    assertThrows(IllegalArgumentException.class,
        () -> timer.start(Duration.ofMillis(-1), Duration.ZERO, TimerApiTest::never));
    assertThrows(IllegalArgumentException.class,
        () -> timer.start(Duration.ZERO, Duration.ofNanos(-1), TimerApiTest::never));
    assertThrows(NullPointerException.class,
        () -> timer.start(null, Duration.ZERO, TimerApiTest::never));
    assertThrows(NullPointerException.class,
        () -> timer.start(Duration.ZERO, null, TimerApiTest::never));
    assertThrows(NullPointerException.class, () -> timer.start(Duration.ZERO, Duration.ZERO, null));
    assertFalse(timer.isActive());

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void rejectedStartLeavesARunningTimerAsItWas() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(100, 7, TimerApiTest::never);
    assertThrows(IllegalArgumentException.class, () -> timer.start(-1, 0, TimerApiTest::never));
    assertThrows(IllegalArgumentException.class, () -> timer.start(0, -1, TimerApiTest::never));
    assertThrows(IllegalArgumentException.class, () -> timer.start(-1, TimerApiTest::never));
    assertThrows(IllegalArgumentException.class, () -> timer.setRepeat(-1));
    assertThrows(NullPointerException.class, () -> timer.start(0, 0, null));
    assertTrue(timer.isActive());
    assertEquals(100, timer.getDueIn());
    assertEquals(7, timer.getRepeat());

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void repeatTimerClosesItselfFromItsCallback() throws UvException {
    int[] calls = {0};
    int[] closed = {0};
    Timer timer = new Timer(loop);
    timer.start(1, 1, t -> {
      if (++calls[0] == 3) {
        t.close(() -> closed[0]++);
        assertTrue(t.isClosing());
        assertFalse(t.isActive(), "a closing timer is no longer active");
        assertThrows(IllegalStateException.class, t::getRepeat);
        assertEquals(0, closed[0], "the close callback runs later, never inside close()");
      }
    });
    assertEquals(0, loop.run());
    assertEquals(3, calls[0], "no call after close");
    assertEquals(1, closed[0]);
    assertTrue(timer.isClosed());
    loop.close();
  }

  @Test
  void timerClosedByAnotherTimerDueAtTheSameTimeDoesNotFire() throws UvException {
    List<String> calls = new ArrayList<>();
    Timer first = new Timer(loop);
    Timer second = new Timer(loop);
    first.start(0, 0, t -> {
      calls.add("first");
      second.close();
      t.close();
    });
    second.start(0, 0, t -> calls.add("second"));
    assertEquals(0, loop.run());
    assertEquals(List.of("first"), calls);
    assertTrue(second.isClosed());
    loop.close();
  }

  @Test
  void stopInsideItsOwnCallback() throws UvException {
    int[] calls = {0};
    Timer timer = new Timer(loop);
    timer.start(1, 1, t -> {
      calls[0]++;
      assertTrue(t.isActive(), "already rescheduled by its repeat");
      t.stop();
      assertFalse(t.isActive());
    });
    // Stopped from its callback, the repeat timer keeps nothing alive: run() returns.
    assertEquals(0, loop.run());
    assertEquals(1, calls[0]);
    assertFalse(timer.isActive());
    assertEquals(1, timer.getRepeat(), "stop() keeps the repeat");

    // again() restarts it with its repeat and its callback.
    timer.again();
    assertTrue(timer.isActive());
    assertEquals(1, timer.getDueIn());
    assertEquals(0, loop.run());
    assertEquals(2, calls[0]);

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void startInsideItsOwnCallbackReplacesTheCallback() throws UvException {
    List<String> calls = new ArrayList<>();
    Timer timer = new Timer(loop);
    timer.start(1, 1, t -> {
      calls.add("first");
      t.start(1, 0, t2 -> {
        assertSame(t, t2);
        calls.add("second");
      });
    });
    assertEquals(0, loop.run());
    assertEquals(List.of("first", "second"), calls);
    assertEquals(0, timer.getRepeat());

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void againWithoutRepeatLeavesTheTimerAlone() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(100, 0, TimerApiTest::never);
    // libuv's code does nothing for repeat 0 (its documentation says it stops the timer).
    timer.again();
    assertTrue(timer.isActive());
    assertEquals(100, timer.getDueIn());
    timer.stop();
    timer.again();
    assertFalse(timer.isActive(), "a stopped one-shot timer stays stopped");

    timer.setRepeat(30);
    timer.again();
    assertTrue(timer.isActive());
    assertEquals(30, timer.getDueIn(), "again() uses the repeat as the timeout");

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void getDueInIsZeroOnceStopped() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(100, 0, TimerApiTest::never);
    assertEquals(100, timer.getDueIn());
    timer.stop();
    assertEquals(0, timer.getDueIn(), "documented: 0 if due or stopped");

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void unreferencedTimerDoesNotKeepTheLoopRunning() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(10, 10, TimerApiTest::never);
    timer.unref();
    assertFalse(timer.hasRef());
    assertEquals(0, loop.run());
    assertTrue(timer.isActive(), "still started, just not keeping the loop alive");

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  @Test
  void everyOperationButQueriesThrowsAfterClose() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(100, 0, TimerApiTest::never);
    int[] closed = {0};
    timer.close(() -> closed[0]++);
    assertFalse(timer.isActive());
    assertTrue(timer.isClosing());
    assertThrowsAfterClose(timer);

    assertEquals(0, loop.run());
    assertTrue(timer.isClosed());
    assertEquals(1, closed[0]);
    // Still throws once the native handle is gone, and closing again is a no-op.
    assertThrowsAfterClose(timer);
    timer.close(() -> closed[0]++);
    assertEquals(0, loop.run());
    assertEquals(1, closed[0]);
    assertFalse(timer.isActive());
    assertFalse(timer.hasRef());
    loop.close();

    assertThrows(IllegalStateException.class, () -> new Timer(loop), "closed loop");
  }

  private static void assertThrowsAfterClose(Timer timer) {
    assertThrows(IllegalStateException.class, () -> timer.start(1, 0, TimerApiTest::never));
    assertThrows(IllegalStateException.class, () -> timer.start(1, TimerApiTest::never));
    assertThrows(IllegalStateException.class,
        () -> timer.start(Duration.ZERO, Duration.ZERO, TimerApiTest::never));
    assertThrows(IllegalStateException.class, timer::stop);
    assertThrows(IllegalStateException.class, timer::again);
    assertThrows(IllegalStateException.class, () -> timer.setRepeat(1));
    assertThrows(IllegalStateException.class, timer::getRepeat);
    assertThrows(IllegalStateException.class, timer::getDueIn);
    assertThrows(IllegalStateException.class, timer::ref);
    assertThrows(IllegalStateException.class, timer::unref);
  }

  @Test
  void throwingRepeatCallbackStopsRunButTheTimerKeepsGoing() throws UvException {
    int[] calls = {0};
    Timer timer = new Timer(loop);
    timer.start(1, 1, t -> {
      if (++calls[0] == 1) {
        throw new IllegalArgumentException("boom");
      }
      t.close();
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loop.run());
    assertEquals("boom", e.getMessage());
    assertEquals(1, calls[0]);
    assertTrue(timer.isActive(), "the repeat timer was rescheduled before its callback threw");

    assertEquals(0, loop.run());
    assertEquals(2, calls[0]);
    loop.close();
  }

  /**
   * Where in an iteration timers run, seen from one NOWAIT run with a due timer, a prepare and a
   * check handle. libuv up to 1.44 runs timers first, and a 0 ms timer started from a timer
   * callback fires in that same timers phase; from 1.45 timers run last (still with the chained
   * timer in the same phase); from 1.48 the phase runs only the timers due when it began, so the
   * chained one waits for the next iteration (1.45 to 1.47 are not on any machine here: that
   * branch follows libuv's source, src/timer.c).
   */
  @Test
  void timersPhasePositionDependsOnLibuvVersion() throws UvException {
    List<String> order = new ArrayList<>();
    Prepare prepare = new Prepare(loop);
    Check check = new Check(loop);
    Timer timer = new Timer(loop);
    Timer chained = new Timer(loop);
    prepare.start(p -> order.add("prepare"));
    check.start(c -> order.add("check"));
    timer.start(0, 0, t -> {
      order.add("timer");
      chained.start(0, 0, t2 -> order.add("chained"));
    });

    loop.run(RunMode.NOWAIT);

    if (Uv.version() < V1_45) {
      assertEquals(List.of("timer", "chained", "prepare", "check"), order);
    } else if (Uv.version() < V1_48) {
      assertEquals(List.of("prepare", "check", "timer", "chained"), order);
    } else {
      assertEquals(List.of("prepare", "check", "timer"), order);
    }

    prepare.close();
    check.close();
    timer.close();
    chained.close();
    assertEquals(0, loop.run());
    loop.close();
  }
  /**
   * A Timer's native handle is its loop's slab element at its table index, reused once Java has
   * seen the close: a Timer created in another Timer's close callback takes the index (and the
   * element) just released, while libuv has finished with it; both close paths (with and
   * without a close callback) and Loop.handles() (which finds Timers through the table) agree.
   */
  @Test
  void aTimerCreatedInACloseCallbackReusesTheReleasedSlot() throws UvException {
    List<String> order = new ArrayList<>();
    Timer first = new Timer(loop);
    Timer quiet = new Timer(loop);
    Timer[] second = new Timer[1];
    first.start(0, t -> {
      order.add("first fired");
      quiet.close(); // no close callback: its "closed" record rides the batch
      t.close(() -> {
        order.add("first closed");
        assertTrue(t.isClosed());
        second[0] = new Timer(loop);
        // Close callbacks run last-closed-first: quiet's close is still to be finished.
        assertTrue(quiet.isClosing());
        assertEquals(List.of(quiet, second[0]), loop.handles());
        second[0].start(0, t2 -> {
          order.add("second fired");
          t2.close(() -> order.add("second closed"));
        });
      });
    });
    quiet.start(1000, t -> fail("closed before it was due"));
    assertEquals(List.of(first, quiet), loop.handles());
    assertEquals(0, loop.run());
    assertEquals(List.of("first fired", "first closed", "second fired", "second closed"), order);
    assertTrue(quiet.isClosed());
    assertTrue(second[0].isClosed());
    assertEquals(List.of(), loop.handles());
    loop.close();
  }
}
