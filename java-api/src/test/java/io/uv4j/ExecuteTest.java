package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Loop.execute: tasks from any thread, none lost, per-thread order, and its lifetime rules. */
@ExtendWith(LeakCheck.class)
class ExecuteTest {

  /** Runs on the loop thread only, so plain fields are enough. */
  private static final class Tally {
    final long[] lastSeq;
    long count;
    String firstDisorder;

    Tally(int producers) {
      lastSeq = new long[producers];
      java.util.Arrays.fill(lastSeq, -1);
    }

    void ran(int producer, long seq) {
      if (seq <= lastSeq[producer] && firstDisorder == null) {
        firstDisorder = "producer " + producer + ": seq " + seq + " after " + lastSeq[producer];
      }
      lastSeq[producer] = seq;
      count++;
    }
  }

  @Test
  void fourProducersLoseNothingAndKeepTheirOrder() throws Exception {
    int producers = 4;
    int perProducer = 100_000;
    long total = (long) producers * perProducer;
    Tally tally = new Tally(producers);
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();

    try (Loop loop = Loop.create()) {
      // execute() does not keep the loop alive: this ref'd async does until the last task.
      Async keepAlive = new Async(loop, a -> {});
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread t = new Thread(() -> {
          try {
            go.await();
            for (long seq = 0; seq < perProducer; seq++) {
              long s = seq;
              loop.execute(() -> {
                tally.ran(producer, s);
                if (tally.count == total) {
                  keepAlive.close();
                }
              });
            }
          } catch (Throwable e) {
            producerFailure.set(e);
          }
        }, "producer-" + p);
        t.start();
        threads.add(t);
      }
      // Release the producers from a callback, so they submit while the loop runs.
      Timer starter = new Timer(loop);
      starter.start(0, t -> {
        go.countDown();
        t.close();
      });
      assertEquals(0, loop.run());
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(null, producerFailure.get());
      assertEquals(total, tally.count);
      assertEquals(null, tally.firstDisorder);
      for (int p = 0; p < producers; p++) {
        assertEquals(perProducer - 1, tally.lastSeq[p], "last task of producer " + p);
      }
    }
  }

  @Test
  void runWithOnlyTasksRunsThemAndReturns() throws Exception {
    try (Loop loop = Loop.create()) {
      List<Integer> ran = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int n = i;
        loop.execute(() -> ran.add(n));
      }
      assertTrue(ran.isEmpty(), "tasks must not run inside execute()");
      // No handles: run() runs the queued tasks and returns; it does not wait for more.
      assertEquals(0, loop.run());
      assertEquals(List.of(0, 1, 2), ran);
      assertFalse(loop.alive());
    }
  }

  @Test
  void taskGivenFromAnotherThreadWhileIdleRunsAtNextRun() throws Exception {
    try (Loop loop = Loop.create()) {
      List<String> ran = new ArrayList<>();
      Thread other = new Thread(() -> loop.execute(() -> ran.add(Thread.currentThread().getName())));
      other.start();
      other.join();
      assertTrue(ran.isEmpty(), "nothing runs a task while no run() is active");
      loop.run();
      assertEquals(List.of(Thread.currentThread().getName()), ran, "runs once, on the run() thread");
    }
  }

  @Test
  void burstBeforeRunRunsCompletelyAndInOrder() throws Exception {
    // More tasks than one wake-up drains (the loop runs them in batches); all must run, in order,
    // even though no handle keeps the loop alive.
    int n = 10_000;
    try (Loop loop = Loop.create()) {
      Tally tally = new Tally(1);
      for (int i = 0; i < n; i++) {
        long seq = i;
        loop.execute(() -> tally.ran(0, seq));
      }
      assertEquals(0, loop.run());
      assertEquals(n, tally.count);
      assertEquals(null, tally.firstDisorder);
    }
  }

  @Test
  void burstFromAnotherThreadWhileRunningRunsCompletelyAndInOrder() throws Exception {
    int n = 10_000;
    try (Loop loop = Loop.create()) {
      Tally tally = new Tally(1);
      Async keepAlive = new Async(loop, a -> {});
      Timer timer = new Timer(loop);
      timer.start(0, t -> {
        // The burst lands while the loop thread is busy here; it is drained in batches later.
        Thread producer = new Thread(() -> {
          for (int i = 0; i < n; i++) {
            long seq = i;
            loop.execute(() -> {
              tally.ran(0, seq);
              if (tally.count == n) {
                keepAlive.close();
              }
            });
          }
        });
        producer.start();
        try {
          producer.join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        t.close();
      });
      assertEquals(0, loop.run());
      assertEquals(n, tally.count);
      assertEquals(null, tally.firstDisorder);
    }
  }

  @Test
  void taskGivenByATaskRunsInTheSameRunWhileHandlesKeepTheLoopAlive() throws Exception {
    try (Loop loop = Loop.create()) {
      List<String> ran = new ArrayList<>();
      Timer timer = new Timer(loop);
      timer.start(0, t -> loop.execute(() -> {
        ran.add("first");
        loop.execute(() -> {
          ran.add("second");
          t.close();
        });
      }));
      assertEquals(0, loop.run());
      assertEquals(List.of("first", "second"), ran);
    }
  }

  @Test
  void executeAfterCloseIsRejected() throws Exception {
    Loop loop = Loop.create();
    loop.close();
    assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
    // Also from another thread.
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        loop.execute(() -> {});
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    other.start();
    other.join();
    assertTrue(thrown.get() instanceof RejectedExecutionException, String.valueOf(thrown.get()));
  }

  @Test
  void tasksQueuedBeforeCloseRunInClose() throws Exception {
    Loop loop = Loop.create();
    List<String> ran = new ArrayList<>();
    loop.execute(() -> ran.add("a"));
    loop.execute(() -> {
      ran.add("b");
      // A task given while close() drains the queue runs too, before the loop is gone.
      loop.execute(() -> ran.add("c"));
    });
    loop.close();
    assertEquals(List.of("a", "b", "c"), ran);
    assertTrue(loop.isClosed());
  }

  @Test
  void manyTasksQueuedBeforeCloseAllRunInClose() throws Exception {
    int n = 10_000;
    Loop loop = Loop.create();
    Tally tally = new Tally(1);
    for (int i = 0; i < n; i++) {
      long seq = i;
      loop.execute(() -> tally.ran(0, seq));
    }
    loop.close();
    assertEquals(n, tally.count);
    assertEquals(null, tally.firstDisorder);
  }

  @Test
  void executeRacingWithCloseEitherRunsOrIsRejected() throws Exception {
    // Whatever execute() accepted runs (in close() at the latest); the rest is rejected.
    for (int round = 0; round < 20; round++) {
      Loop loop = Loop.create();
      int producers = 4;
      long[] accepted = new long[producers];
      long[] ran = new long[1];
      CountDownLatch started = new CountDownLatch(producers);
      List<Thread> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        Thread t = new Thread(() -> {
          started.countDown();
          while (true) {
            try {
              loop.execute(() -> ran[0]++);
              accepted[producer]++;
            } catch (RejectedExecutionException closed) {
              return;
            }
          }
        });
        t.start();
        threads.add(t);
      }
      started.await();
      loop.close();
      for (Thread t : threads) {
        t.join();
      }
      long sum = 0;
      for (long a : accepted) {
        sum += a;
      }
      assertEquals(sum, ran[0], "round " + round);
    }
  }

  @Test
  void executeIsUsableAsAnExecutor() throws Exception {
    try (Loop loop = Loop.create()) {
      java.util.concurrent.CompletableFuture<String> f =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> "on " + Thread.currentThread().getName(), loop);
      loop.run();
      assertEquals("on " + Thread.currentThread().getName(), f.getNow("not run"));
    }
  }

  /** A backlog beyond one wake-up's batch runs in the same run(), not at close(). */
  @Test
  void backlogBeyondOneBatchRunsInTheSameRun() throws Exception {
    try (Loop loop = Loop.create()) {
      int[] ran = {0};
      Timer timer = new Timer(loop);
      timer.start(0, t -> {
        for (int i = 0; i < 10_000; i++) {
          loop.execute(() -> ran[0]++);
        }
        t.close();
      });
      assertEquals(0, loop.run());
      assertEquals(10_000, ran[0]);
    }
  }
}
