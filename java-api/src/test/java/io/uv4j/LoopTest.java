package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ports of libuv's loop tests (test/test-loop-*.c, test-idle.c, test-run-*.c at v1.44.2), named
 * after the libuv TEST_IMPL they mirror, and the order of an iteration's phases; the Loop API the
 * libuv tests do not reach is in {@link LoopApiTest}.
 */
@ExtendWith(LeakCheck.class)
class LoopTest {
  /** libuv 1.45.0 moved the timer phase to the end of an iteration. */
  private static final int UV_1_45 = (1 << 16) | (45 << 8);

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

  // ------------------------------------------------------------- test-loop-handles.c

  private static final int IDLE_COUNT = 7;
  private static final int ITERATIONS = 21;

  private int loopIteration;
  private int prepare1Calls;
  private int prepare1CloseCalls;
  private int prepare2Calls;
  private int prepare2CloseCalls;
  private int checkCalls;
  private int checkCloseCalls;
  private int idle1Calls;
  private int idle1CloseCalls;
  private int idles1Active;
  private int idle2Calls;
  private int idle2CloseCalls;
  private int idle2Started;
  private boolean idle2Active;
  private Idle idle2;

  /** Mirrors test-loop-handles.c: idle, prepare and check handles starting each other. */
  @Test
  void loop_handles() throws UvException {
    Prepare prepare1 = new Prepare(loop);
    Prepare prepare2 = new Prepare(loop); // started by prepare1's callback
    Check check = new Check(loop);
    Idle[] idles1 = new Idle[IDLE_COUNT]; // started by the check callback
    for (int i = 0; i < IDLE_COUNT; i++) {
      idles1[i] = new Idle(loop);
    }
    // idle2 is created and started by the idle1 callback.

    prepare1.start(h -> {
      assertSame(prepare1, h);
      if (loopIteration % 2 == 0) {
        prepare2.start(p2 -> {
          assertSame(prepare2, p2);
          // Started by prepare1 when loopIteration was even; a handle started during its
          // phase runs from the next iteration on, after prepare1 counted one more.
          assertTrue(loopIteration % 2 != 0, "prepare2 ran in the iteration that started it");
          p2.stop();
          prepare2Calls++;
        });
      }
      prepare1Calls++;
      loopIteration++;
    });

    check.start(h -> {
      assertSame(check, h);
      if (loopIteration < ITERATIONS) {
        // Make some idle watchers active.
        for (int i = 0; i < 1 + (loopIteration % IDLE_COUNT); i++) {
          idles1[i].start(this::idle1Callback);
          idles1Active++;
        }
      } else {
        // End of the test: close all handles.
        prepare1.close(() -> prepare1CloseCalls++);
        check.close(() -> checkCloseCalls++);
        prepare2.close(() -> prepare2CloseCalls++);
        for (Idle idle : idles1) {
          idle.close(() -> idle1CloseCalls++);
        }
        if (idle2Active) {
          idle2.close(this::idle2Closed);
        }
      }
      checkCalls++;
    });

    // Only here to make the loop poll with a timeout; unref'd, it does not keep the loop alive.
    Timer timer = new Timer(loop);
    timer.start(100, 100, t -> assertSame(timer, t));
    timer.unref();

    assertEquals(0, loop.run());

    assertEquals(ITERATIONS, loopIteration);
    assertEquals(ITERATIONS, prepare1Calls);
    assertEquals(1, prepare1CloseCalls);
    assertEquals(ITERATIONS / 2, prepare2Calls);
    assertEquals(1, prepare2CloseCalls);
    assertEquals(ITERATIONS, checkCalls);
    assertEquals(1, checkCloseCalls);
    assertTrue(idle1Calls > 0);
    assertEquals(IDLE_COUNT, idle1CloseCalls);
    assertEquals(idle2Started, idle2CloseCalls);
    assertFalse(idle2Active);
    // isClosing() stays true once closed (like uv_is_closing), so idle2 is never re-created.
    assertEquals(1, idle2Started);
    assertEquals(1, idle2Calls);

    // libuv's test leaves the unref'd timer to MAKE_VALGRIND_HAPPY; close it here.
    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  private void idle1Callback(Idle h) {
    assertTrue(idles1Active > 0);
    if (idle2 == null || (!idle2Active && !idle2.isClosing())) {
      idle2 = new Idle(loop);
      idle2.start(i2 -> {
        assertSame(idle2, i2);
        idle2Calls++;
        i2.close(this::idle2Closed);
      });
      idle2Active = true;
      idle2Started++;
    }
    idle1Calls++;
    if (idle1Calls % 5 == 0) {
      h.stop();
      idles1Active--;
    }
  }

  private void idle2Closed() {
    assertTrue(idle2Active);
    idle2CloseCalls++;
    idle2Active = false;
  }

  // ------------------------------------------------------------- test-idle.c

  /** Mirrors test-idle.c idle_starvation: an idle handle must not starve a timer. */
  @Test
  void idle_starvation() throws UvException {
    int[] idleCalls = {0};
    int[] checkCalls = {0};
    int[] timerCalls = {0};
    int[] closeCalls = {0};
    Idle idle = new Idle(loop);
    idle.start(h -> {
      assertSame(idle, h);
      idleCalls[0]++;
    });
    Check check = new Check(loop);
    check.start(h -> {
      assertSame(check, h);
      checkCalls[0]++;
    });
    Timer timer = new Timer(loop);
    loop.updateTime(); // the loop's clock dates from its creation: on a busy machine 50 ms are gone
    timer.start(50, 0, t -> {
      assertSame(timer, t);
      idle.close(() -> closeCalls[0]++);
      check.close(() -> closeCalls[0]++);
      timer.close(() -> closeCalls[0]++);
      timerCalls[0]++;
    });

    assertEquals(0, loop.run());

    assertTrue(idleCalls[0] > 0);
    assertEquals(1, timerCalls[0]);
    assertEquals(3, closeCalls[0]);
    loop.close();
  }

  /** Mirrors test-idle.c idle_check: a check handle runs in a RUN_ONCE where an idle stops. */
  @Test
  void idle_check() throws UvException {
    int[] checkCalls = {0};
    int[] closeCalls = {0};
    Idle idle = new Idle(loop);
    idle.start(Idle::stop);
    Check check = new Check(loop);
    check.start(h -> checkCalls[0]++);

    // Did not block (the idle handle was active when the iteration began); check still active.
    assertEquals(1, loop.run(RunMode.ONCE));
    assertEquals(1, checkCalls[0]);

    assertEquals(0, closeCalls[0]);
    idle.close(() -> closeCalls[0]++);
    check.close(() -> closeCalls[0]++);
    assertEquals(0, loop.run(RunMode.ONCE));
    assertEquals(2, closeCalls[0]);
    loop.close();
  }

  // ------------------------------------------------------------- test-loop-stop.c

  /** Mirrors test-loop-stop.c loop_stop: stop() ends run() with handles still alive. */
  @Test
  void loop_stop() throws UvException {
    final int numTicks = 10;
    int[] prepareCalls = {0};
    int[] timerCalls = {0};
    Prepare prepare = new Prepare(loop);
    prepare.start(h -> {
      assertSame(prepare, h);
      if (++prepareCalls[0] == numTicks) {
        h.stop();
      }
    });
    Timer timer = new Timer(loop);
    timer.start(100, 100, t -> {
      assertSame(timer, t);
      timerCalls[0]++;
      if (timerCalls[0] == 1) {
        loop.stop();
      } else if (timerCalls[0] == numTicks) {
        t.stop();
      }
    });

    assertNotEquals(0, loop.run());
    assertEquals(1, timerCalls[0]);

    assertNotEquals(0, loop.run(RunMode.NOWAIT));
    assertTrue(prepareCalls[0] > 1);

    assertEquals(0, loop.run());
    assertEquals(10, timerCalls[0]);
    assertEquals(10, prepareCalls[0]);

    prepare.close();
    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  /**
   * Mirrors test-loop-stop.c loop_stop_before_run (added to libuv after 1.44, and true of 1.44):
   * a stop() before run() makes run() return at once, without running a due timer.
   */
  @Test
  void loop_stop_before_run() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(0, 0, t -> fail("the timer ran although the loop was stopped"));
    loop.stop();
    assertNotEquals(0, loop.run());

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // ------------------------------------------------------------- test-run-once.c

  /** Mirrors test-run-once.c: one idle callback per RUN_ONCE until the idle handle stops. */
  @Test
  void run_once() throws UvException {
    final int numTicks = 64;
    int[] idleCounter = {0};
    Idle idle = new Idle(loop);
    idle.start(h -> {
      assertSame(idle, h);
      if (++idleCounter[0] == numTicks) {
        h.stop();
      }
    });

    while (loop.run(RunMode.ONCE) != 0) {
      // one iteration each
    }
    assertEquals(numTicks, idleCounter[0]);

    idle.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // ------------------------------------------------------------- test-run-nowait.c

  /** Mirrors test-run-nowait.c: RUN_NOWAIT neither blocks nor runs a timer that is not due. */
  @Test
  void run_nowait() throws UvException {
    boolean[] timerCalled = {false};
    Timer timer = new Timer(loop);
    loop.updateTime(); // else, on a busy machine, the 100 ms may be over before run()
    timer.start(100, 100, t -> {
      assertSame(timer, t);
      timerCalled[0] = true;
    });

    assertNotEquals(0, loop.run(RunMode.NOWAIT));
    assertFalse(timerCalled[0]);

    timer.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // ------------------------------------------------------------- test-loop-alive.c

  /**
   * Mirrors test-loop-alive.c, handle half. The request half (uv_queue_work keeps a loop alive)
   * waits for a work-queue API in uv4j.
   */
  @Test
  void loop_alive() throws UvException {
    assertFalse(loop.alive());

    // Loops with handles are alive.
    Timer timer = new Timer(loop);
    timer.start(100, 0, t -> assertSame(timer, t));
    assertTrue(loop.alive());

    assertEquals(0, loop.run());
    assertFalse(loop.alive());

    timer.close();
    assertTrue(loop.alive()); // a closing handle keeps the loop alive until its close callback
    assertEquals(0, loop.run());
    assertFalse(loop.alive());
    loop.close();
  }

  // ------------------------------------------------------------- test-loop-time.c

  /** Mirrors test-loop-time.c loop_update_time: RUN_NOWAIT on an empty loop updates now(). */
  @Test
  void loop_update_time() throws UvException {
    long start = loop.now();
    while (loop.now() - start < 1000) {
      assertEquals(0, loop.run(RunMode.NOWAIT));
    }
    loop.close();
  }

  /** Mirrors test-loop-time.c loop_backend_timeout. */
  @Test
  void loop_backend_timeout() throws UvException {
    Timer timer = new Timer(loop);
    // A new loop has internal watchers (uv4j's execute() wake-up) that the first iteration
    // registers; libuv's test bumps active_handles for one RUN_NOWAIT, an active timer does here.
    timer.start(60_000, 0, t -> fail("not due"));
    assertEquals(1, loop.run(RunMode.NOWAIT));
    timer.stop();
    assertFalse(loop.alive());

    assertEquals(0, loop.backendTimeout()); // nothing active: the poll would not block

    timer.start(1000, 0, Timer::close); // 1 sec
    assertEquals(1000, loop.backendTimeout());

    assertEquals(0, loop.run());
    assertEquals(0, loop.backendTimeout());
    loop.close();
  }

  // ------------------------------------------------------------- test-loop-close.c

  /**
   * Mirrors test-loop-close.c loop_close: closing a loop with a live handle fails with EBUSY
   * (here naming the handle) and leaves the loop usable; it closes once the handle is gone.
   */
  @Test
  void loop_close() throws UvException {
    Timer timer = new Timer(loop);
    timer.start(100, 100, t -> {
      assertSame(timer, t);
      loop.stop();
    });

    String described = timer.toString();
    UvException e = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, e.code());
    assertEquals("EBUSY", e.errorName());
    assertEquals("uv_loop_close", e.syscall());
    assertTrue(e.getMessage().contains(described), e.getMessage());
    assertFalse(loop.isClosed());

    assertNotEquals(0, loop.run()); // stopped by the timer, which is still active

    timer.close();
    // Still EBUSY while the close callback has not run: a closing handle is still a handle.
    e = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, e.code());
    assertTrue(e.getMessage().contains("Timer@"), e.getMessage());

    assertEquals(0, loop.run());
    loop.close();
    assertTrue(loop.isClosed());
  }

  /**
   * The order of the phases within one iteration, as HELPER_CONTEXT and the docs state it.
   * Version-sensitive: libuv 1.44 runs due timers at the start of an iteration (and again after
   * the poll in RUN_ONCE); from 1.45 they run at the end.
   */
  @Test
  void iterationPhaseOrder() throws UvException {
    List<String> order = new ArrayList<>();
    Timer timer = new Timer(loop);
    Idle idle = new Idle(loop);
    Prepare prepare = new Prepare(loop);
    Check check = new Check(loop);
    timer.start(0, 0, t -> order.add("timer"));
    idle.start(h -> {
      order.add("idle");
      h.close(() -> order.add("close"));
    });
    prepare.start(h -> order.add("prepare"));
    check.start(h -> order.add("check"));

    assertEquals(1, loop.run(RunMode.ONCE)); // prepare and check stay active

    if (Uv.version() < UV_1_45) {
      assertEquals(List.of("timer", "idle", "prepare", "check", "close"), order);
    } else {
      assertEquals(List.of("idle", "prepare", "check", "close", "timer"), order);
    }

    loop.shutdown();
  }
}
