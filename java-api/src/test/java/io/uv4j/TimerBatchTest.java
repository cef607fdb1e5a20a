package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timer fires in a batch (timer.c, docs/ARCHITECTURE.md "Timer fires in a batch"): the one-shot
 * timers of one pass of libuv's timers reach Java in one upcall. Every scenario runs twice, on a
 * loop with batches and on one with an upcall per fire (libuv's own order, the reference), and
 * must print the same trace; on libuv >= 1.48 the batched run must really have batched.
 */
@ExtendWith(LeakCheck.class)
class TimerBatchTest {
  /** Never fires within a test: a re-armed timer stays armed. */
  private static final long HOUR = 3_600_000;

  private static boolean batching() {
    return Loop.TIMER_BATCH && Uv.version() >= 0x013000;
  }

  /** Runs {@code scenario} on a loop with batches on or off; returns the trace and the batched count. */
  private static List<String> run(boolean batch, ScenarioBody scenario, long[] batched) throws UvException {
    return run(batch, 0, scenario, batched);
  }

  /** The same with a completion buffer of {@code limit} bytes (0: the default). */
  private static List<String> run(boolean batch, int limit, ScenarioBody scenario, long[] batched)
      throws UvException {
    Loop loop = Loop.create();
    loop.timerBatch(batch);
    if (limit != 0) {
      loop.limitBatch(limit);
    }
    List<String> trace = new ArrayList<>();
    try {
      scenario.run(loop, trace);
    } catch (RuntimeException e) {
      trace.add("run threw " + e.getMessage());
    }
    batched[0] = loop.batchedFires;
    loop.shutdown();
    return trace;
  }

  interface ScenarioBody {
    void run(Loop loop, List<String> trace) throws UvException;
  }

  /** Asserts both ways give {@code expected}, and that the batched way batched at least {@code min} fires. */
  private static void same(List<String> expected, int min, ScenarioBody scenario) throws UvException {
    long[] batched = {0};
    List<String> direct = run(false, scenario, batched);
    assertEquals(0, batched[0], "no batch with batches off");
    if (Uv.version() >= 0x013000) { // before 1.48 a pass takes timers off the heap one at a time
      assertEquals(expected, direct, "libuv's order (one upcall per fire)");
    }
    List<String> inBatch = run(true, scenario, batched);
    assertEquals(direct, inBatch, "the same with fires in a batch");
    if (batching()) {
      assertTrue(batched[0] >= min, "fires delivered in a batch: " + batched[0]);
    }
  }

  @Test
  void oneShotTimersOfAPassFireInStartOrderInOneBatch() throws UvException {
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add("t" + i);
    }
    same(expected, 100, (loop, trace) -> {
      for (int i = 0; i < 100; i++) {
        String name = "t" + i;
        new Timer(loop).start(0, t -> {
          assertFalse(t.isActive(), "a one-shot timer is inactive in its callback");
          trace.add(name);
          t.close();
        });
      }
      loop.run();
    });
  }

  @Test
  void aCallbackStoppingOrClosingATimerLaterInThePassKeepsItFromFiring() throws UvException {
    same(List.of("a", "d", "closed b"), 2, (loop, trace) -> {
      Timer[] t = new Timer[4];
      for (int i = 0; i < 4; i++) {
        t[i] = new Timer(loop);
      }
      t[0].start(0, x -> {
        trace.add("a");
        t[1].close(() -> trace.add("closed b"));
        t[2].stop();
      });
      t[1].start(0, x -> trace.add("b"));
      t[2].start(0, x -> trace.add("c"));
      t[3].start(0, x -> trace.add("d"));
      loop.run();
      for (Timer x : t) {
        x.close();
      }
      loop.run();
    });
  }

  @Test
  void aTimerRestartedByAnEarlierCallbackFiresInTheNextPass() throws UvException {
    // libuv >= 1.48: b leaves the pass when a restarts it, and fires in the next one, after the
    // next iteration's idle phase (before 1.48 the same pass fires it again at once). The idle
    // handle also keeps the poll from blocking, whatever the version.
    same(List.of("a", "idle", "b again"), 1, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      Idle idle = new Idle(loop);
      idle.start(x -> {
        trace.add("idle");
        x.close();
      });
      a.start(0, x -> {
        trace.add("a");
        b.start(0, y -> trace.add("b again"));
      });
      b.start(0, x -> trace.add("b"));
      Timer c = new Timer(loop);
      c.start(0, x -> trace.add("c"));
      c.stop(); // only so the pass has two fires
      Timer d = new Timer(loop);
      d.start(0, x -> { });
      loop.run();
      a.close();
      b.close();
      c.close();
      d.close();
      loop.run();
    });
  }

  @Test
  void aRepeatSetByAnEarlierCallbackRearmsTheTimerBeforeItsCallback() throws UvException {
    same(List.of("a", "b active=true repeat=" + HOUR), 1, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      a.start(0, x -> {
        trace.add("a");
        b.setRepeat(HOUR);
      });
      b.start(0, x -> {
        trace.add("b active=" + x.isActive() + " repeat=" + x.getRepeat());
        x.close();
      });
      loop.run();
      a.close();
      loop.run();
    });
  }

  @Test
  void aRepeatingTimerLaterInThePassLooksStoppedToEarlierCallbacks() throws UvException {
    same(List.of("a sees r active=false due=0", "r active=true", "a2 sees r active=true"), 1,
        (loop, trace) -> {
          Timer a = new Timer(loop);
          Timer b = new Timer(loop);
          Timer r = new Timer(loop);
          Timer a2 = new Timer(loop);
          a.start(0, x -> trace.add("a sees r active=" + r.isActive() + " due=" + r.getDueIn()));
          b.start(0, x -> { });
          r.start(0, HOUR, x -> trace.add("r active=" + x.isActive()));
          a2.start(0, x -> trace.add("a2 sees r active=" + r.isActive()));
          loop.run(RunMode.NOWAIT); // the first pass ends the iteration: r stays armed
          a.close();
          b.close();
          r.close();
          a2.close();
          loop.run();
        });
  }

  @Test
  void aRepeatingTimerStoppedByAnEarlierCallbackDoesNotFire() throws UvException {
    same(List.of("a", "r active=false"), 1, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      Timer r = new Timer(loop);
      a.start(0, x -> {
        trace.add("a");
        r.stop();
      });
      b.start(0, x -> { });
      r.start(0, HOUR, x -> trace.add("r fired"));
      loop.run();
      trace.add("r active=" + r.isActive());
      a.close();
      b.close();
      r.close();
      loop.run();
    });
  }

  @Test
  void aTimerStoppedAheadInThePassIsCountedSoTheBatchStillEndsWithThePass() throws UvException {
    // r repeats, so a's callback runs before r's, in the middle of the pass; a stops c, still
    // ahead. The pass ends at b: b's callback runs before libuv decides whether the loop is
    // alive, so the timer it starts keeps run() going until it fired.
    same(List.of("a", "r", "b", "d", "run returned"), 2, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer r = new Timer(loop);
      Timer b = new Timer(loop);
      Timer c = new Timer(loop);
      Timer d = new Timer(loop);
      a.start(0, x -> {
        trace.add("a");
        c.stop();
      });
      r.start(0, HOUR, x -> {
        trace.add("r");
        x.stop();
      });
      b.start(0, x -> {
        trace.add("b");
        d.start(0, y -> trace.add("d"));
      });
      c.start(0, x -> trace.add("c"));
      loop.run();
      trace.add("run returned");
      for (Timer x : new Timer[] {a, r, b, c, d}) {
        x.close();
      }
      loop.run();
    });
  }

  @Test
  void aPassLargerThanOneBatchIsDeliveredInSeveralInOrder() throws UvException {
    int n = 40_000; // more fires than one batch holds
    same(bigPassTrace(n), n / 2, (loop, trace) -> {
      Timer[] t = new Timer[n];
      for (int i = 0; i < n; i++) {
        t[i] = new Timer(loop);
      }
      for (int i = 0; i < n; i++) {
        int me = i;
        t[i].start(0, x -> {
          trace.add("t" + me);
          if (me % 7 == 0 && me + 5_000 < n) {
            t[me + 5_000].stop(); // still ahead in the pass
          }
        });
      }
      Idle idle = new Idle(loop);
      idle.start(x -> {
        trace.add("idle");
        x.close();
      });
      loop.run();
      for (Timer x : t) {
        x.close();
      }
      loop.run();
    });
  }

  private static List<String> bigPassTrace(int n) {
    boolean[] stopped = new boolean[n];
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!stopped[i]) {
        expected.add("t" + i);
        if (i % 7 == 0 && i + 5_000 < n) {
          stopped[i + 5_000] = true;
        }
      }
    }
    expected.add("idle");
    return expected;
  }

  @Test
  void againOnAOneShotTimerLaterInThePassChangesNothing() throws UvException {
    same(List.of("a", "b"), 2, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      a.start(0, x -> {
        trace.add("a");
        b.again();
      });
      b.start(0, x -> trace.add("b"));
      loop.run();
      a.close();
      b.close();
      loop.run();
    });
  }

  @Test
  void aStopInACallbackLetsTheRestOfThePassRunAndNothingAfterIt() throws UvException {
    same(List.of("a", "b", "run returned 1", "c"), 2, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      Timer c = new Timer(loop);
      Check check = new Check(loop); // would print if the iteration after the pass ran
      check.start(x -> trace.add("check"));
      a.start(0, x -> {
        trace.add("a");
        loop.stop();
      });
      b.start(0, x -> trace.add("b"));
      int r = loop.run();
      trace.add("run returned " + r);
      c.start(0, x -> {
        trace.add("c");
        check.stop();
      });
      loop.run();
      a.close();
      b.close();
      c.close();
      check.close();
      loop.run();
    });
  }

  @Test
  void anExceptionInACallbackStopsTheLoopAfterThePassLikeOneUpcallEach() throws UvException {
    same(List.of("a", "b", "run threw boom"), 2, (loop, trace) -> {
      Timer a = new Timer(loop);
      Timer b = new Timer(loop);
      a.start(0, x -> {
        trace.add("a");
        throw new IllegalStateException("boom");
      });
      b.start(0, x -> trace.add("b"));
      try {
        loop.run();
      } finally {
        a.close();
        b.close();
      }
    });
  }

  @Test
  void withAnFsPollOnTheLoopEveryFireIsItsOwnUpcall() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("uv4j-batch", ".txt");
    try {
      long[] batched = {0};
      List<String> trace = run(true, (loop, tr) -> {
        FsPoll poll = new FsPoll(loop);
        poll.start(file.toString(), 60_000, (p, error, prev, curr) -> { });
        for (int i = 0; i < 10; i++) {
          String name = "t" + i;
          new Timer(loop).start(0, t -> {
            tr.add(name);
            t.close();
          });
        }
        Timer end = new Timer(loop);
        end.start(5, t -> {
          poll.close();
          t.close();
        });
        loop.run();
      }, batched);
      assertEquals(10, trace.size());
      assertEquals(0, batched[0], "FsPoll's internal timer is not counted: no batch");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  /**
   * Random programs: timers due now whose callbacks stop, start, re-arm, set the repeat of,
   * close and look at other timers, with an idle handle so every iteration has a pass; the
   * batched run prints what the one-upcall-per-fire run prints.
   */
  @Test
  void randomProgramsPrintTheSameTraceBothWays() throws UvException {
    long totalBatched = 0;
    for (int seed = 1; seed <= Integer.getInteger("batch.seeds", 60); seed++) {
      long[] batched = {0};
      int s = seed;
      List<String> direct = run(false, (loop, trace) -> randomProgram(loop, trace, s), batched);
      List<String> inBatch = run(true, (loop, trace) -> randomProgram(loop, trace, s), batched);
      assertEquals(direct, inBatch, "seed " + seed);
      totalBatched += batched[0];
      // A buffer of 16 records: batches fill up in the middle of passes.
      inBatch = run(true, 256, (loop, trace) -> randomProgram(loop, trace, s), batched);
      assertEquals(direct, inBatch, "seed " + seed + ", small buffer");
      assertTrue(direct.stream().anyMatch(e -> e.startsWith("fire")), "seed " + seed + ": " + direct);
      totalBatched += batched[0];
    }
    if (batching()) {
      assertTrue(totalBatched > 100, "fires delivered in a batch: " + totalBatched);
    }
  }

  private static void randomProgram(Loop loop, List<String> trace, int seed) {
    Random rnd = new Random(seed);
    int n = 4 + rnd.nextInt(28);
    Timer[] timers = new Timer[n];
    int[] fires = new int[n];
    // Each callback's actions depend only on the seed, the timer and how often it fired.
    Consumer<Timer>[] callbacks = newCallbacks(n);
    for (int i = 0; i < n; i++) {
      int me = i;
      callbacks[i] = t -> {
        int k = fires[me]++;
        trace.add("fire " + me + " #" + k + " active=" + t.isActive());
        Random r = new Random(seed * 1_000_003L + me * 101L + k);
        int actions = k < 3 ? 1 + r.nextInt(3) : 0;
        for (int a = 0; a < actions; a++) {
          int j = r.nextInt(n);
          Timer o = timers[j];
          if (o.isClosing()) {
            continue;
          }
          switch (r.nextInt(8)) {
            case 0 -> o.stop();
            case 1 -> o.start(0, callbacks[j]);
            case 2 -> o.start(0, r.nextBoolean() ? HOUR : 0, callbacks[j]);
            case 3 -> {
              if (o.getRepeat() != 0 || fires[j] > 0) {
                o.again();
              }
            }
            case 4 -> o.setRepeat(r.nextBoolean() ? HOUR : 0);
            case 5 -> {
              if (r.nextInt(4) == 0) {
                o.close(() -> trace.add("closed " + j));
              }
            }
            default -> trace.add("  " + me + " sees " + j + " active=" + o.isActive()
                + " due=" + (o.getDueIn() > 0) + " repeat=" + o.getRepeat());
          }
          trace.add("  " + me + " did " + j);
        }
        if (k >= 3 && !t.isClosing()) {
          t.stop();
        }
      };
    }
    for (int i = 0; i < n; i++) {
      timers[i] = new Timer(loop);
      if (rnd.nextInt(4) != 0) {
        timers[i].start(0, rnd.nextInt(5) == 0 ? HOUR : 0, callbacks[i]);
      }
    }
    int[] iterations = {0};
    Idle idle = new Idle(loop);
    idle.start(x -> {
      trace.add("idle " + iterations[0]);
      if (++iterations[0] == 12) {
        x.close();
        for (Timer t : timers) {
          t.close();
        }
      }
    });
    loop.run();
  }

  @SuppressWarnings("unchecked")
  private static Consumer<Timer>[] newCallbacks(int n) {
    return (Consumer<Timer>[]) new Consumer<?>[n];
  }

  @Test
  void timerBatchOnAClosedLoopThrows() throws UvException {
    Loop loop = Loop.create();
    loop.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.timerBatch(true));
    assertSame(IllegalStateException.class, e.getClass());
  }
}
