package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handles and the garbage collector: libuv owns a handle until its close callback, whether or
 * not Java still references it; after that it and its callbacks are ordinary garbage.
 */
@ExtendWith(LeakCheck.class)
class GcTest {

  /**
   * Collects until {@code done} holds, a bounded number of times (System.gc() is only a request,
   * though HotSpot's full collection clears weak references before returning).
   */
  private static boolean gcUntil(BooleanSupplier done) {
    for (int i = 0; i < 20 && !done.getAsBoolean(); i++) {
      System.gc();
    }
    return done.getAsBoolean();
  }

  private static void forceGc() {
    for (int i = 0; i < 5; i++) {
      System.gc();
    }
  }

  /** Starts a timer and returns only a weak reference to it: no strong Java reference is left. */
  private static WeakReference<Timer> startUnreferencedTimer(Loop loop, AtomicInteger fired) {
    Timer timer = new Timer(loop);
    timer.start(1, 0, t -> {
      fired.incrementAndGet();
      t.close();
    });
    return new WeakReference<>(timer);
  }

  @Test
  void unreferencedTimerStillFires() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger fired = new AtomicInteger();
      WeakReference<Timer> ref = startUnreferencedTimer(loop, fired);
      forceGc();
      assertNotNull(ref.get(), "an active handle must not be collected");
      assertEquals(0, loop.run());
      assertEquals(1, fired.get());
    }
  }

  /** A repeating timer nobody references, collecting on every tick. */
  private static void startUnreferencedRepeatingTimer(Loop loop, AtomicInteger ticks) {
    new Timer(loop).start(0, 1, t -> {
      System.gc();
      if (ticks.incrementAndGet() == 5) {
        t.close();
      }
    });
  }

  @Test
  void unreferencedRepeatingTimerSurvivesGcBetweenTicks() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger ticks = new AtomicInteger();
      startUnreferencedRepeatingTimer(loop, ticks);
      forceGc();
      loop.run();
      assertEquals(5, ticks.get());
    }
  }

  private static WeakReference<Idle> startUnreferencedIdle(Loop loop, AtomicInteger runs) {
    Idle idle = new Idle(loop);
    idle.start(h -> {
      if (runs.incrementAndGet() == 3) {
        h.close();
      }
    });
    return new WeakReference<>(idle);
  }

  @Test
  void unreferencedIdleStillRuns() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger runs = new AtomicInteger();
      startUnreferencedIdle(loop, runs);
      forceGc();
      loop.run();
      assertEquals(3, runs.get());
    }
  }

  private static WeakReference<Timer> closedTimer(Loop loop, AtomicInteger closed) {
    Timer timer = new Timer(loop);
    timer.start(1000, 0, t -> {});
    timer.close(closed::incrementAndGet);
    return new WeakReference<>(timer);
  }

  @Test
  void unreachableClosedHandleIsCollected() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger closed = new AtomicInteger();
      WeakReference<Timer> ref = closedTimer(loop, closed);
      // Until its close callback ran, libuv still owns it.
      forceGc();
      assertNotNull(ref.get(), "a closing handle must stay alive until its close callback");
      loop.run();
      assertEquals(1, closed.get());
      assertTrue(gcUntil(() -> ref.get() == null), "a closed, unreachable handle was not collected");
    }
  }

  /** A timer whose callback and close callback capture one object each; returns weak refs to them. */
  private static WeakReference<?>[] captureInCallbacks(Timer timer) {
    Object inCallback = new Object();
    Object inCloseCallback = new Object();
    timer.start(0, 0, t -> {
      assertNotNull(inCallback);
      t.close(() -> assertNotNull(inCloseCallback));
    });
    return new WeakReference<?>[] {new WeakReference<>(inCallback), new WeakReference<>(inCloseCallback)};
  }

  @Test
  void closureCapturedByAClosedHandleBecomesCollectable() throws Exception {
    try (Loop loop = Loop.create()) {
      // The handle stays strongly reachable: only its dropped callbacks can free the captures.
      Timer timer = new Timer(loop);
      WeakReference<?>[] refs = captureInCallbacks(timer);
      forceGc();
      assertNotNull(refs[0].get(), "the callback of an active timer must stay reachable");
      loop.run();
      assertTrue(timer.isClosed());
      assertTrue(gcUntil(() -> refs[0].get() == null && refs[1].get() == null),
          "captures of a closed handle's callbacks were not collected: callback="
              + refs[0].get() + ", close callback=" + refs[1].get());
      assertNull(refs[0].get());
    }
  }

  private static WeakReference<Loop> closedLoop() throws UvException {
    Loop loop = Loop.create();
    new Timer(loop).start(0, t -> t.close());
    loop.run();
    loop.close();
    return new WeakReference<>(loop);
  }

  @Test
  void closedLoopIsCollected() throws Exception {
    WeakReference<Loop> ref = closedLoop();
    assertTrue(gcUntil(() -> ref.get() == null), "a closed, unreachable loop was not collected");
  }
}
