package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several loops, each on its own thread, at the same time: they share nothing. */
@ExtendWith(LeakCheck.class)
class MultiLoopTest {

  /** What one loop counted; filled on its loop thread, read after the thread is joined. */
  private static final class Counts {
    final List<String> threadsSeen = new ArrayList<>();
    int timerTicks;
    int oneShots;
    int idleRuns;
    int tasks;
    String wrongThread;
  }

  private static final int TICKS = 20;
  private static final int ONE_SHOTS = 10;
  private static final int IDLE_RUNS = 1000;
  private static final int TASKS = 100;

  /** Creates a loop on the calling thread, runs timers, idles and tasks on it, closes it. */
  private static Counts runOneLoop(int index, CyclicBarrier start) throws Exception {
    Counts c = new Counts();
    Thread me = Thread.currentThread();
    try (Loop loop = Loop.create()) {
      Runnable checkThread = () -> {
        if (Thread.currentThread() != me && c.wrongThread == null) {
          c.wrongThread = "loop " + index + " called back on " + Thread.currentThread().getName();
        }
      };
      Timer repeating = new Timer(loop);
      repeating.start(1, 1, t -> {
        checkThread.run();
        if (++c.timerTicks == TICKS) {
          t.close();
        }
      });
      for (int i = 0; i < ONE_SHOTS; i++) {
        Timer oneShot = new Timer(loop);
        oneShot.start(i % 3, t -> {
          checkThread.run();
          c.oneShots++;
          t.close();
        });
      }
      Idle idle = new Idle(loop);
      idle.start(h -> {
        checkThread.run();
        if (++c.idleRuns == IDLE_RUNS) {
          h.close();
        }
      });
      for (int i = 0; i < TASKS; i++) {
        loop.execute(() -> {
          checkThread.run();
          c.tasks++;
        });
      }
      start.await(); // all loops run at once
      assertEquals(0, loop.run());
      assertEquals(0, loop.handles().size());
    }
    return c;
  }

  @Test
  void fourLoopsOnFourThreadsRunIndependently() throws Exception {
    int loops = 4;
    ExecutorService pool = Executors.newFixedThreadPool(loops);
    try {
      CyclicBarrier start = new CyclicBarrier(loops);
      List<Future<Counts>> futures = new ArrayList<>();
      for (int i = 0; i < loops; i++) {
        int index = i;
        futures.add(pool.submit(() -> runOneLoop(index, start)));
      }
      for (int i = 0; i < loops; i++) {
        Counts c = futures.get(i).get();
        assertNull(c.wrongThread);
        assertEquals(TICKS, c.timerTicks, "loop " + i);
        assertEquals(ONE_SHOTS, c.oneShots, "loop " + i);
        assertEquals(IDLE_RUNS, c.idleRuns, "loop " + i);
        assertEquals(TASKS, c.tasks, "loop " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void loopsSendWorkToEachOtherWithExecute() throws Exception {
    // A ping-pong between two running loops: each one's callbacks run on its own thread.
    int rounds = 1000;
    try (Loop a = Loop.create(); Loop b = Loop.create()) {
      int[] countA = new int[1];
      int[] countB = new int[1];
      Thread[] threadOf = new Thread[2];
      String[] wrong = new String[1];
      Async keepA = new Async(a, x -> {});
      Async keepB = new Async(b, x -> {});
      Runnable[] ping = new Runnable[1];
      Runnable pong = () -> {
        if (Thread.currentThread() != threadOf[1]) {
          wrong[0] = "pong on " + Thread.currentThread().getName();
        }
        countB[0]++;
        if (countB[0] == rounds) {
          keepB.close();
        }
        a.execute(ping[0]);
      };
      ping[0] = () -> {
        if (Thread.currentThread() != threadOf[0]) {
          wrong[0] = "ping on " + Thread.currentThread().getName();
        }
        if (countA[0] == rounds) {
          keepA.close();
          return;
        }
        countA[0]++;
        b.execute(pong);
      };
      CyclicBarrier started = new CyclicBarrier(2);
      Thread tb = new Thread(() -> {
        threadOf[1] = Thread.currentThread();
        try {
          started.await();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
        b.run();
      }, "loop-b");
      threadOf[0] = Thread.currentThread();
      tb.start();
      started.await();
      a.execute(ping[0]);
      assertEquals(0, a.run());
      tb.join();
      assertNull(wrong[0]);
      assertEquals(rounds, countA[0]);
      assertEquals(rounds, countB[0]);
    }
  }
}
