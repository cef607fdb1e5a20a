package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Wrong use of the API fails with a clear Java exception, never a crash or a corrupted loop. */
@ExtendWith(LeakCheck.class)
class MisuseTest {

  interface Call {
    void call() throws Exception;
  }

  /** Runs every call and returns, per name, what it threw (null when it returned normally). */
  private static Map<String, Throwable> attempt(Map<String, Call> calls) {
    Map<String, Throwable> out = new LinkedHashMap<>();
    for (Map.Entry<String, Call> e : calls.entrySet()) {
      try {
        e.getValue().call();
        out.put(e.getKey(), null);
      } catch (Throwable t) {
        out.put(e.getKey(), t);
      }
    }
    return out;
  }

  /** Asserts every call threw an exception of {@code type}; reports all offenders at once. */
  private static void assertAllThrow(Class<? extends Throwable> type, Map<String, Throwable> results,
      String messagePart) {
    List<String> wrong = new ArrayList<>();
    results.forEach((name, t) -> {
      if (!type.isInstance(t)) {
        wrong.add(name + " -> " + (t == null ? "returned normally" : t));
      } else if (messagePart != null && !String.valueOf(t.getMessage()).contains(messagePart)) {
        wrong.add(name + " -> message without '" + messagePart + "': " + t.getMessage());
      }
    });
    if (!wrong.isEmpty()) {
      fail("expected " + type.getSimpleName() + " from:\n  " + String.join("\n  ", wrong));
    }
  }

  private static void handleCalls(Map<String, Call> calls, String name, Handle h) {
    calls.put(name + ".close()", h::close);
    calls.put(name + ".close(cb)", () -> h.close(() -> {}));
    calls.put(name + ".ref()", h::ref);
    calls.put(name + ".unref()", h::unref);
  }

  private static void timerCalls(Map<String, Call> calls, Timer t) {
    calls.put("Timer.start(t, cb)", () -> t.start(1, x -> {}));
    calls.put("Timer.start(t, r, cb)", () -> t.start(1, 1, x -> {}));
    calls.put("Timer.start(Duration)", () -> t.start(Duration.ofMillis(1), Duration.ZERO, x -> {}));
    calls.put("Timer.stop()", t::stop);
    calls.put("Timer.again()", t::again);
    calls.put("Timer.setRepeat()", () -> t.setRepeat(5));
    calls.put("Timer.getRepeat()", t::getRepeat);
    calls.put("Timer.getDueIn()", t::getDueIn);
  }

  // ------------------------------------------------------------------ wrong thread

  @Test
  void everyCallButExecuteAndSendFromAnotherThreadWhileRunningThrows() throws Exception {
    ExecutorService other = Executors.newSingleThreadExecutor(r -> new Thread(r, "not-the-loop"));
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      timer.start(60_000, 0, t -> {});
      Idle idle = new Idle(loop);
      Prepare prepare = new Prepare(loop);
      Check check = new Check(loop);
      AtomicInteger asyncCalls = new AtomicInteger();
      Async async = new Async(loop, a -> asyncCalls.incrementAndGet());
      AtomicInteger tasks = new AtomicInteger();

      Map<String, Call> calls = new LinkedHashMap<>();
      calls.put("Loop.run()", loop::run);
      calls.put("Loop.run(ONCE)", () -> loop.run(RunMode.ONCE));
      calls.put("Loop.stop()", loop::stop);
      calls.put("Loop.alive()", loop::alive);
      calls.put("Loop.now()", loop::now);
      calls.put("Loop.updateTime()", loop::updateTime);
      calls.put("Loop.backendTimeout()", loop::backendTimeout);
      calls.put("Loop.backendFd()", loop::backendFd);
      calls.put("Loop.enableIdleTimeMetrics()", loop::enableIdleTimeMetrics);
      calls.put("Loop.blockProfilingSignal()", loop::blockProfilingSignal);
      calls.put("Loop.idleTime()", loop::idleTime);
      calls.put("Loop.setExceptionHandler()", () -> loop.setExceptionHandler((s, e) -> {}));
      calls.put("Loop.walk()", () -> loop.walk(h -> {}));
      calls.put("Loop.handles()", loop::handles);
      calls.put("Loop.describeHandles()", loop::describeHandles);
      calls.put("Loop.close()", loop::close);
      calls.put("Loop.shutdown()", loop::shutdown);
      calls.put("new Timer", () -> new Timer(loop));
      calls.put("new Idle", () -> new Idle(loop));
      calls.put("new Prepare", () -> new Prepare(loop));
      calls.put("new Check", () -> new Check(loop));
      calls.put("new Async", () -> new Async(loop, a -> {}));
      timerCalls(calls, timer);
      calls.put("Idle.start()", () -> idle.start(x -> {}));
      calls.put("Idle.stop()", idle::stop);
      calls.put("Prepare.start()", () -> prepare.start(x -> {}));
      calls.put("Prepare.stop()", prepare::stop);
      calls.put("Check.start()", () -> check.start(x -> {}));
      calls.put("Check.stop()", check::stop);
      for (Handle h : List.of(timer, idle, prepare, check, async)) {
        String name = h.getClass().getSimpleName();
        handleCalls(calls, name, h);
        calls.put(name + ".isActive()", h::isActive);
        calls.put(name + ".isClosing()", h::isClosing);
        calls.put(name + ".hasRef()", h::hasRef);
      }

      AtomicReference<Map<String, Throwable>> results = new AtomicReference<>();
      AtomicReference<Throwable> allowed = new AtomicReference<>();
      List<String> stateBefore = new ArrayList<>();
      List<String> stateAfter = new ArrayList<>();
      Timer driver = new Timer(loop);
      driver.start(0, d -> {
        // The loop thread waits here, inside run(), while the other thread tries everything.
        try {
          stateBefore.addAll(state(loop, timer));
          results.set(other.submit(() -> attempt(calls)).get());
          stateAfter.addAll(state(loop, timer));
          // What other threads may do: these must work.
          other.submit(() -> {
            loop.execute(tasks::incrementAndGet);
            async.send();
            return null;
          }).get();
        } catch (Exception e) {
          allowed.set(e);
        }
        d.close();
      });
      // Once the async callback and the task have run, close everything to end the run.
      new Check(loop).start(c -> {
        if (asyncCalls.get() == 1 && tasks.get() == 1) {
          loop.walk(Handle::close);
        }
      });
      assertEquals(0, loop.run());

      assertNull(allowed.get());
      assertAllThrow(IllegalStateException.class, results.get(), "execute");
      // Nothing the other thread tried had an effect: no handle created, started, stopped,
      // closed or unref'd, no repeat changed.
      assertEquals(stateBefore, stateAfter);
      assertEquals(1, asyncCalls.get());
      assertEquals(1, tasks.get());
    } finally {
      other.shutdownNow();
    }
  }

  /** What a user can observe of the loop's handles, read on the loop thread. */
  private static List<String> state(Loop loop, Timer timer) {
    List<String> out = new ArrayList<>();
    for (Handle h : loop.handles()) {
      out.add(h + " active=" + h.isActive() + " closing=" + h.isClosing() + " ref=" + h.hasRef());
    }
    out.add("timer repeat=" + timer.getRepeat());
    return out;
  }

  @Test
  void foreignCallsFailWithoutSideEffects() throws Exception {
    // A closer look at two calls whose effect would be visible: close and stop.
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (Loop loop = Loop.create()) {
      Idle idle = new Idle(loop);
      AtomicInteger runs = new AtomicInteger();
      idle.start(h -> {
        if (runs.incrementAndGet() == 1) {
          try {
            other.submit(() -> {
              assertThrows(IllegalStateException.class, idle::close);
              assertThrows(IllegalStateException.class, loop::stop);
              return null;
            }).get();
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          assertFalse(idle.isClosing());
        } else if (runs.get() == 3) {
          h.close();
        }
      });
      // Had the foreign stop() worked, run() would return after one iteration with the idle alive.
      assertEquals(0, loop.run());
      assertEquals(3, runs.get());
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void loopMayBeUsedFromAnotherThreadWhileNotRunning() throws Exception {
    // The rule is about a running loop: an idle loop may move between threads.
    try (Loop loop = Loop.create()) {
      AtomicInteger fired = new AtomicInteger();
      Thread t = new Thread(() -> {
        new Timer(loop).start(0, x -> {
          fired.incrementAndGet();
          x.close();
        });
        loop.run();
      });
      t.start();
      t.join();
      assertEquals(1, fired.get());
    }
  }

  // ------------------------------------------------------------------ re-entrance

  @Test
  void runCloseAndShutdownFromACallbackThrow() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicReference<Map<String, Throwable>> results = new AtomicReference<>();
      new Timer(loop).start(0, t -> {
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("run()", loop::run);
        calls.put("run(NOWAIT)", () -> loop.run(RunMode.NOWAIT));
        calls.put("close()", loop::close);
        calls.put("shutdown()", loop::shutdown);
        results.set(attempt(calls));
        t.close();
      });
      assertEquals(0, loop.run());
      assertAllThrow(IllegalStateException.class, results.get(), null);
    }
  }

  // ------------------------------------------------------------------ closed handles

  private interface HandleFactory {
    Handle create(Loop loop);
  }

  private static Map<String, HandleFactory> handleTypes() {
    Map<String, HandleFactory> m = new LinkedHashMap<>();
    m.put("Timer", l -> {
      Timer t = new Timer(l);
      t.start(1000, 10, x -> {});
      return t;
    });
    m.put("Idle", l -> {
      Idle h = new Idle(l);
      h.start(x -> {});
      return h;
    });
    m.put("Prepare", l -> {
      Prepare h = new Prepare(l);
      h.start(x -> {});
      return h;
    });
    m.put("Check", l -> {
      Check h = new Check(l);
      h.start(x -> {});
      return h;
    });
    m.put("Async", l -> new Async(l, x -> {}));
    return m;
  }

  /** Every mutating call of the handle's type. */
  private static Map<String, Call> mutatingCalls(Handle h) {
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("ref()", h::ref);
    calls.put("unref()", h::unref);
    if (h instanceof Timer) {
      timerCalls(calls, (Timer) h);
    } else if (h instanceof Idle) {
      calls.put("start()", () -> ((Idle) h).start(x -> {}));
      calls.put("stop()", ((Idle) h)::stop);
    } else if (h instanceof Prepare) {
      calls.put("start()", () -> ((Prepare) h).start(x -> {}));
      calls.put("stop()", ((Prepare) h)::stop);
    } else if (h instanceof Check) {
      calls.put("start()", () -> ((Check) h).start(x -> {}));
      calls.put("stop()", ((Check) h)::stop);
    } else if (h instanceof Async) {
      calls.put("send()", ((Async) h)::send);
    }
    return calls;
  }

  private static void assertQueriesOfAClosedHandle(String name, Handle h) {
    assertFalse(h.isActive(), name);
    assertTrue(h.isClosing(), name);
    assertFalse(h.hasRef(), name);
    assertTrue(h.toString().contains("clos"), name + ": " + h);
  }

  @Test
  void everyHandleMethodAfterCloseThrowsIllegalState() throws Exception {
    for (Map.Entry<String, HandleFactory> type : handleTypes().entrySet()) {
      String name = type.getKey();
      try (Loop loop = Loop.create()) {
        Handle h = type.getValue().create(loop);
        AtomicInteger closeCallbacks = new AtomicInteger();
        h.close(closeCallbacks::incrementAndGet);

        // Closing: close() was called, the close callback has not run yet.
        assertFalse(h.isClosed(), name);
        assertAllThrow(IllegalStateException.class, attempt(mutatingCalls(h)), null);
        h.close(() -> fail("second close callback of " + name));
        h.close();

        loop.run();
        assertEquals(1, closeCallbacks.get(), name);
        // Closed: the native handle is gone.
        assertTrue(h.isClosed(), name);
        assertQueriesOfAClosedHandle(name, h);
        assertAllThrow(IllegalStateException.class, attempt(mutatingCalls(h)), null);
        h.close(() -> fail("close callback after close of " + name));
        h.close();
        assertEquals(0, loop.run(), name + ": nothing may be left to do");
        assertEquals(1, closeCallbacks.get(), name);
      }
    }
  }

  @Test
  void closedHandleMethodsFromItsCloseCallbackThrow() throws Exception {
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      AtomicReference<Throwable> inCallback = new AtomicReference<>();
      timer.close(() -> inCallback.set(assertThrows(IllegalStateException.class, () -> timer.start(0, t -> {}))));
      loop.run();
      assertTrue(inCallback.get().getMessage().contains("closed"), inCallback.get().getMessage());
    }
  }

  @Test
  void againOnATimerNeverStartedThrows() throws Exception {
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      assertThrows(IllegalStateException.class, timer::again);
      timer.close();
      loop.run();
    }
  }

  // ------------------------------------------------------------------ arguments

  @Test
  void nullCallbacksAndArgumentsThrowNpeAndChangeNothing() throws Exception {
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      Idle idle = new Idle(loop);
      Prepare prepare = new Prepare(loop);
      Check check = new Check(loop);
      Map<String, Call> calls = new LinkedHashMap<>();
      calls.put("Timer.start(t, null)", () -> timer.start(0, null));
      calls.put("Timer.start(t, r, null)", () -> timer.start(0, 0, null));
      calls.put("Timer.start(Duration, Duration, null)", () -> timer.start(Duration.ZERO, Duration.ZERO, null));
      calls.put("Timer.start(null, Duration, cb)", () -> timer.start(null, Duration.ZERO, t -> {}));
      calls.put("Timer.start(Duration, null, cb)", () -> timer.start(Duration.ZERO, null, t -> {}));
      calls.put("Idle.start(null)", () -> idle.start(null));
      calls.put("Prepare.start(null)", () -> prepare.start(null));
      calls.put("Check.start(null)", () -> check.start(null));
      calls.put("new Async(loop, null)", () -> new Async(loop, null));
      calls.put("new Timer(null)", () -> new Timer(null));
      calls.put("new Idle(null)", () -> new Idle(null));
      calls.put("new Prepare(null)", () -> new Prepare(null));
      calls.put("new Check(null)", () -> new Check(null));
      calls.put("new Async(null, cb)", () -> new Async(null, a -> {}));
      calls.put("Loop.execute(null)", () -> loop.execute(null));
      calls.put("Loop.walk(null)", () -> loop.walk(null));
      calls.put("Loop.run(null)", () -> loop.run(null));
      assertAllThrow(NullPointerException.class, attempt(calls), null);

      // Nothing started, nothing created (LeakCheck would see a stray handle), nothing queued.
      for (Handle h : List.of(timer, idle, prepare, check)) {
        assertFalse(h.isActive(), h.toString());
      }
      assertEquals(4, loop.handles().size());
      assertFalse(loop.alive());
      loop.walk(Handle::close);
      assertEquals(0, loop.run());
    }
  }

  @Test
  void negativeTimesThrowIllegalArgumentAndChangeNothing() throws Exception {
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      Map<String, Call> calls = new LinkedHashMap<>();
      calls.put("start(-1, cb)", () -> timer.start(-1, t -> {}));
      calls.put("start(-1, 0, cb)", () -> timer.start(-1, 0, t -> {}));
      calls.put("start(0, -1, cb)", () -> timer.start(0, -1, t -> {}));
      calls.put("start(MIN_VALUE, cb)", () -> timer.start(Long.MIN_VALUE, t -> {}));
      calls.put("start(-1ms Duration)", () -> timer.start(Duration.ofMillis(-1), Duration.ZERO, t -> {}));
      calls.put("start(-1ns repeat Duration)", () -> timer.start(Duration.ZERO, Duration.ofNanos(-1), t -> {}));
      calls.put("setRepeat(-1)", () -> timer.setRepeat(-1));
      assertAllThrow(IllegalArgumentException.class, attempt(calls), "negative");
      assertFalse(timer.isActive());
      assertEquals(0, timer.getRepeat());

      // A started timer keeps its settings when a restart is refused.
      AtomicInteger fired = new AtomicInteger();
      timer.start(1, 7, t -> {
        fired.incrementAndGet();
        t.close();
      });
      assertThrows(IllegalArgumentException.class, () -> timer.start(-5, 0, t -> fail("replaced callback")));
      assertThrows(IllegalArgumentException.class, () -> timer.setRepeat(-5));
      assertTrue(timer.isActive());
      assertEquals(7, timer.getRepeat());
      loop.run();
      assertEquals(1, fired.get());
    }
  }

  // ------------------------------------------------------------------ closed loop

  @Test
  void closedLoopRefusesEverything() throws Exception {
    Loop loop = Loop.create();
    loop.close();
    assertTrue(loop.isClosed());
    assertFalse(loop.isRunning());

    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("run()", loop::run);
    calls.put("run(ONCE)", () -> loop.run(RunMode.ONCE));
    calls.put("run(NOWAIT)", () -> loop.run(RunMode.NOWAIT));
    calls.put("stop()", loop::stop);
    calls.put("alive()", loop::alive);
    calls.put("now()", loop::now);
    calls.put("updateTime()", loop::updateTime);
    calls.put("backendTimeout()", loop::backendTimeout);
    calls.put("backendFd()", loop::backendFd);
    calls.put("enableIdleTimeMetrics()", loop::enableIdleTimeMetrics);
    calls.put("blockProfilingSignal()", loop::blockProfilingSignal);
    calls.put("idleTime()", loop::idleTime);
    calls.put("walk()", () -> loop.walk(h -> {}));
    calls.put("handles()", loop::handles);
    calls.put("describeHandles()", loop::describeHandles);
    calls.put("new Timer", () -> new Timer(loop));
    calls.put("new Idle", () -> new Idle(loop));
    calls.put("new Prepare", () -> new Prepare(loop));
    calls.put("new Check", () -> new Check(loop));
    calls.put("new Async", () -> new Async(loop, a -> {}));
    assertAllThrow(IllegalStateException.class, attempt(calls), "closed");
    assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));

    // Closing again, in either way, does nothing.
    loop.close();
    loop.shutdown();
    assertTrue(loop.isClosed());
  }

  @Test
  void closeWithHandlesLeftFailsWithEbusyAndTheLoopStaysUsable() throws Exception {
    Loop loop = Loop.create();
    Timer timer = new Timer(loop);
    UvException e = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, e.code());
    assertTrue(e.getMessage().contains("Timer"), e.getMessage());
    assertFalse(loop.isClosed());
    AtomicInteger fired = new AtomicInteger();
    timer.start(0, t -> {
      fired.incrementAndGet();
      t.close();
    });
    assertEquals(0, loop.run());
    assertEquals(1, fired.get());
    loop.close();
    assertTrue(loop.isClosed());
  }

  // ------------------------------------------------------------------ Async.send vs close

  @Test
  void asyncSendRacingWithCloseNeverCrashes() throws Exception {
    int senders = 4;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      for (int round = 0; round < 50; round++) {
        try (Loop loop = Loop.create()) {
          AtomicInteger callbacks = new AtomicInteger();
          CountDownLatch sending = new CountDownLatch(senders);
          Async async = new Async(loop, a -> {
            // Close while the senders are still hammering it.
            if (callbacks.incrementAndGet() == 3) {
              a.close();
            }
          });
          List<Future<Throwable>> results = new ArrayList<>();
          for (int s = 0; s < senders; s++) {
            results.add(pool.submit(() -> {
              sending.countDown();
              long sent = 0;
              while (true) {
                try {
                  async.send();
                  sent++;
                } catch (Throwable t) {
                  // Once refused, it stays refused.
                  try {
                    async.send();
                    return new AssertionError("send after a refused send worked; sent " + sent);
                  } catch (IllegalStateException again) {
                    return t;
                  }
                }
              }
            }));
          }
          sending.await();
          assertEquals(0, loop.run(), "round " + round);
          assertTrue(async.isClosed());
          for (Future<Throwable> f : results) {
            Throwable t = f.get();
            assertTrue(t instanceof IllegalStateException, "round " + round + ": " + t);
            assertTrue(t.getMessage().contains("closed"), t.getMessage());
          }
          assertEquals(3, callbacks.get(), "no callback after close");
          assertThrows(IllegalStateException.class, async::send);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void asyncClosedWhileNotRunningRefusesSendsFromAllThreads() throws Exception {
    try (Loop loop = Loop.create()) {
      Async async = new Async(loop, a -> fail("async callback after close"));
      async.close();
      List<Throwable> thrown = new ArrayList<>();
      Thread[] threads = new Thread[4];
      for (int i = 0; i < threads.length; i++) {
        threads[i] = new Thread(() -> {
          try {
            async.send();
          } catch (Throwable t) {
            synchronized (thrown) {
              thrown.add(t);
            }
          }
        });
        threads[i].start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(threads.length, thrown.size());
      for (Throwable t : thrown) {
        assertTrue(t instanceof IllegalStateException, t.toString());
      }
      loop.run();
      assertTrue(async.isClosed());
    }
  }
}
