package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls of one idle, prepare or check phase in a batch (loop_watcher.c): random programs of
 * such handles stopping, restarting, closing and looking at each other (and at timers) print
 * the same trace with batches on as with one upcall per call (libuv's own order), also with a
 * 16-record completion buffer; on libuv >= 1.48 the batched runs must really have batched.
 */
@ExtendWith(LeakCheck.class)
class LoopWatcherBatchTest {
  private static List<String> run(boolean batch, int limit, int seed, long[] batched) throws UvException {
    Loop loop = Loop.create();
    loop.timerBatch(batch);
    if (limit != 0) {
      loop.limitBatch(limit);
    }
    List<String> trace = new ArrayList<>();
    long late = Uv.lateTimerFires();
    try {
      program(loop, trace, seed);
    } catch (RuntimeException e) {
      trace.add("run threw " + e.getMessage());
    }
    batched[0] = loop.batchedFires;
    loop.shutdown();
    if (Uv.lateTimerFires() != late) {
      throw new AssertionError("late deliveries, seed " + seed + " limit " + limit + " batch " + batch);
    }
    return trace;
  }

  @Test
  void randomProgramsPrintTheSameTraceBothWays() throws UvException {
    long total = 0;
    for (int seed = 1; seed <= Integer.getInteger("batch.seeds", 60); seed++) {
      long[] batched = {0};
      List<String> direct = run(false, 0, seed, batched);
      assertEquals(0, batched[0]);
      assertEquals(direct, run(true, 0, seed, batched), "seed " + seed);
      total += batched[0];
      assertEquals(direct, run(true, 256, seed, batched), "seed " + seed + ", small buffer");
      assertTrue(direct.stream().anyMatch(e -> e.startsWith("call")), "seed " + seed + ": " + direct);
    }
    if (Loop.TIMER_BATCH && Uv.version() >= 0x013000) {
      assertTrue(total > 1000, "calls delivered in a batch: " + total);
    }
  }

  @Test
  void aHandleStoppedByAnEarlierCallbackOfItsPhaseIsNotCalledInIt() throws UvException {
    for (boolean batch : new boolean[] {false, true}) {
      Loop loop = Loop.create();
      loop.timerBatch(batch);
      List<String> trace = new ArrayList<>();
      Idle[] idles = new Idle[4];
      for (int i = 0; i < 4; i++) {
        idles[i] = new Idle(loop);
      }
      for (int i = 0; i < 4; i++) {
        int me = i;
        idles[i].start(h -> {
          trace.add("idle " + me);
          if (me == 3) {
            idles[1].stop(); // still ahead in this phase (libuv calls the last started first)
          }
          if (trace.size() >= 6) {
            for (Idle x : idles) {
              x.close();
            }
          }
        });
      }
      loop.run();
      assertEquals(List.of("idle 3", "idle 2", "idle 0", "idle 3", "idle 2", "idle 0"), trace,
          "batch " + batch);
      if (batch && Uv.version() >= 0x013000) {
        assertTrue(loop.batchedFires >= 6, "batched: " + loop.batchedFires);
      }
      loop.close();
    }
  }

  private static void program(Loop loop, List<String> trace, int seed) {
    Random rnd = new Random(seed);
    int n = 3 + rnd.nextInt(70); // up to ~25 per kind: phases larger than a 16-record buffer
    Handle[] hs = new Handle[n];
    int[] calls = new int[n];
    int[] iterations = {0};
    List<Consumer<Handle>> cbs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int me = i;
      cbs.add(h -> {
        int k = calls[me]++;
        trace.add("call " + me + " #" + k + " (" + h.getClass().getSimpleName() + ")");
        Random r = new Random(seed * 7_919L + me * 131L + k);
        int actions = r.nextInt(3);
        for (int a = 0; a < actions; a++) {
          int j = r.nextInt(n);
          Handle o = hs[j];
          if (o.isClosing()) {
            continue;
          }
          int op = r.nextInt(6);
          switch (op) {
            case 0, 1 -> stop(o);
            case 2, 3 -> start(o, cbs.get(j));
            case 4 -> {
              if (r.nextInt(3) == 0) {
                o.close(() -> trace.add("closed " + j));
              }
            }
            default -> trace.add("  " + me + " sees " + j + " active=" + o.isActive());
          }
          trace.add("  " + me + " did " + op + " to " + j + " (" + o.getClass().getSimpleName() + ")");
        }
      });
    }
    for (int i = 0; i < n; i++) {
      hs[i] = switch (rnd.nextInt(3)) {
        case 0 -> new Idle(loop);
        case 1 -> new Prepare(loop);
        default -> new Check(loop);
      };
      if (rnd.nextInt(5) != 0) {
        start(hs[i], cbs.get(i));
      }
    }
    // Counts iterations (an idle handle no callback touches: it also keeps the poll from
    // blocking) and ends the program after ten; started last, so libuv calls it first in its phase.
    Idle ticker = new Idle(loop);
    ticker.start(t -> {
      trace.add("iteration " + iterations[0]);
      if (++iterations[0] == 10) {
        t.close();
        for (Handle h : hs) {
          h.close();
        }
      }
    });
    loop.run();
  }

  @SuppressWarnings("unchecked")
  private static void start(Handle h, Consumer<Handle> cb) {
    if (h instanceof Idle i) {
      i.start((Consumer<Idle>) (Consumer<?>) cb);
    } else if (h instanceof Prepare p) {
      p.start((Consumer<Prepare>) (Consumer<?>) cb);
    } else {
      ((Check) h).start((Consumer<Check>) (Consumer<?>) cb);
    }
  }

  private static void stop(Handle h) {
    if (h instanceof Idle i) {
      i.stop();
    } else if (h instanceof Prepare p) {
      p.stop();
    } else {
      ((Check) h).stop();
    }
  }
}
