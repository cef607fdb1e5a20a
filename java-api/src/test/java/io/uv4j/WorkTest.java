package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Java work on libuv's own thread pool (libuv's test-threadpool*.c, plus the Java cases). */
@ExtendWith(LeakCheck.class)
class WorkTest {

  // test-threadpool.c: threadpool_queue_work_simple
  @Test
  void threadpool_queue_work_simple() throws Exception {
    try (Loop loop = Loop.create()) {
      Thread loopThread = Thread.currentThread();
      String[] workThread = new String[1];
      int[] afterCalls = {0};
      loop.queueWork(() -> workThread[0] = Thread.currentThread().getName(), error -> {
        assertNull(error);
        assertSame(loopThread, Thread.currentThread());
        afterCalls[0]++;
      });
      assertEquals(0, loop.run());
      assertEquals(1, afterCalls[0]);
      assertTrue(workThread[0].startsWith("uv4j-pool-"), workThread[0]);
    }
  }

  // test-threadpool.c: threadpool_queue_work_einval (libuv: NULL work_cb is UV_EINVAL)
  @Test
  void threadpool_queue_work_einval() throws Exception {
    try (Loop loop = Loop.create()) {
      assertThrows(NullPointerException.class, () -> loop.queueWork(null, e -> { }));
      assertThrows(NullPointerException.class, () -> loop.queueWork(() -> { }, null));
      assertEquals(0, loop.run());
    }
  }

  @Test
  void exceptionFromWorkReachesAfterAndThePoolSurvives() throws Exception {
    try (Loop loop = Loop.create()) {
      IllegalStateException boom = new IllegalStateException("boom");
      List<Throwable> errors = new ArrayList<>();
      loop.queueWork(() -> { throw boom; }, errors::add);
      loop.queueWork(() -> { throw new StackOverflowError("deep"); }, errors::add);
      loop.run();
      assertSame(boom, errors.get(0));
      assertTrue(errors.get(1) instanceof StackOverflowError);
      // The pool threads are still there and usable.
      int[] ok = {0};
      for (int i = 0; i < 8; i++) {
        loop.queueWork(() -> { }, e -> { if (e == null) ok[0]++; });
      }
      loop.run();
      assertEquals(8, ok[0]);
    }
  }

  @Test
  void realRecursionOnAPoolThreadStaysAJavaError() throws Exception {
    // 1.44 sizes pool stacks from RLIMIT_STACK: deep Java recursion there must end in a
    // StackOverflowError, not a crash.
    try (Loop loop = Loop.create()) {
      Throwable[] error = new Throwable[1];
      loop.queueWork(() -> recurse(0), e -> error[0] = e);
      loop.run();
      assertTrue(error[0] instanceof StackOverflowError, String.valueOf(error[0]));
    }
  }

  private static int recurse(int depth) {
    return recurse(depth + 1) + 1;
  }

  @Test
  void futureFormCompletesOnTheLoopThread() throws Exception {
    try (Loop loop = Loop.create()) {
      Thread loopThread = Thread.currentThread();
      CompletableFuture<Integer> ok = loop.queueWork(() -> 6 * 7);
      CompletableFuture<Object> checked = loop.queueWork(() -> { throw new java.io.IOException("io"); });
      Thread[] completedOn = new Thread[1];
      ok.thenRun(() -> completedOn[0] = Thread.currentThread());
      loop.run();
      assertEquals(42, ok.get());
      assertSame(loopThread, completedOn[0]);
      ExecutionException e = assertThrows(ExecutionException.class, checked::get);
      assertTrue(e.getCause() instanceof java.io.IOException);
    }
  }

  /**
   * Eight jobs that block until released: with libuv's default pool exactly four run at once and
   * the other four wait in libuv's queue (proved with uv_cancel, which only succeeds on queued
   * requests), like eight crypto.pbkdf2 calls in Node.
   */
  @Test
  void defaultPoolRunsFourAtOnceAndQueuesTheRest() throws Exception {
    assertEquals(4, Uv.threadPoolSize(), "this test needs the default pool (no UV_THREADPOOL_SIZE)");
    try (Loop loop = Loop.create()) {
      CountDownLatch fourStarted = new CountDownLatch(4);
      CountDownLatch release = new CountDownLatch(1);
      AtomicInteger started = new AtomicInteger();
      List<WorkRequest> reqs = new ArrayList<>();
      List<Throwable> results = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < 8; i++) {
        reqs.add(loop.queueWork(() -> {
          started.incrementAndGet();
          fourStarted.countDown();
          await(release);
        }, e -> results.add(e)));
      }
      assertTrue(fourStarted.await(30, TimeUnit.SECONDS));
      // FIFO: the first four are running, so they cannot be cancelled...
      for (int i = 0; i < 4; i++) {
        UvException e = assertThrows(UvException.class, reqs.get(i)::cancel);
        assertEquals(Errno.EBUSY, e.code());
      }
      // ...and the last four are still queued, so they can.
      for (int i = 4; i < 8; i++) {
        reqs.get(i).cancel();
      }
      assertEquals(4, started.get());
      release.countDown();
      loop.run();
      assertEquals(8, results.size());
      long cancelled = results.stream()
          .filter(t -> t instanceof UvException && ((UvException) t).code() == Errno.ECANCELED).count();
      assertEquals(4, cancelled);
      assertEquals(4, started.get(), "cancelled work never runs");
    }
  }

  /** The same eight jobs, released batch by batch: they finish in two batches of four. */
  @Test
  void eightBlockingJobsFinishInTwoBatchesOfFour() throws Exception {
    try (Loop loop = Loop.create()) {
      CountDownLatch firstBatchRunning = new CountDownLatch(4);
      CountDownLatch releaseFirst = new CountDownLatch(1);
      CountDownLatch secondBatchRunning = new CountDownLatch(4);
      CountDownLatch releaseSecond = new CountDownLatch(1);
      AtomicInteger running = new AtomicInteger();
      AtomicInteger maxRunning = new AtomicInteger();
      List<Integer> finishOrder = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int job = i;
        loop.queueWork(() -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          if (job < 4) {
            firstBatchRunning.countDown();
            await(releaseFirst);
          } else {
            secondBatchRunning.countDown();
            await(releaseSecond);
          }
          running.decrementAndGet();
        }, e -> finishOrder.add(job));
      }
      Thread conductor = new Thread(() -> {
        await(firstBatchRunning);
        releaseFirst.countDown();
        await(secondBatchRunning);
        releaseSecond.countDown();
      });
      conductor.start();
      loop.run();
      conductor.join();
      assertEquals(4, maxRunning.get());
      assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(finishOrder.subList(0, 4)));
      assertEquals(Set.of(4, 5, 6, 7), new HashSet<>(finishOrder.subList(4, 8)));
    }
  }

  // test-threadpool.c / test-threadpool-cancel.c: threadpool_multiple_event_loops
  @Test
  void threadpool_multiple_event_loops() throws Exception {
    // Several loops on several threads share libuv's one pool: the same few threads serve all.
    Set<String> poolThreads = Collections.synchronizedSet(new HashSet<>());
    List<Thread> threads = new ArrayList<>();
    AtomicInteger completed = new AtomicInteger();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int l = 0; l < 4; l++) {
      Thread t = new Thread(() -> {
        try (Loop loop = Loop.create()) {
          for (int i = 0; i < 50; i++) {
            loop.queueWork(() -> poolThreads.add(Thread.currentThread().getName()),
                e -> { if (e == null) completed.incrementAndGet(); });
          }
          loop.run();
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
    assertEquals(200, completed.get());
    assertTrue(poolThreads.size() <= Uv.threadPoolSize(), poolThreads.toString());
    assertTrue(poolThreads.stream().allMatch(n -> n.startsWith("uv4j-pool-")), poolThreads.toString());
  }

  // test-threadpool-cancel.c: threadpool_cancel_when_busy
  @Test
  void cancelAfterCompletionIsEbusy() throws Exception {
    try (Loop loop = Loop.create()) {
      WorkRequest req = loop.queueWork(() -> { }, e -> { });
      loop.run();
      assertTrue(req.isDone());
      assertEquals(Errno.EBUSY, assertThrows(UvException.class, req::cancel).code());
    }
  }

  @Test
  void loopWithWorkInFlightDoesNotClose() throws Exception {
    Loop loop = Loop.create();
    CountDownLatch release = new CountDownLatch(1);
    loop.queueWork(() -> await(release), e -> { });
    UvException busy = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, busy.code());
    assertTrue(busy.getMessage().contains("1 request(s) in flight"), busy.getMessage());
    release.countDown();
    loop.shutdown();
    assertTrue(loop.isClosed());
  }

  @Test
  void poolSizeCannotChangeOnceThePoolRuns() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.queueWork(() -> { }, e -> { });
      loop.run();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Uv.setThreadPoolSize(8));
    assertTrue(e.getMessage().contains("already started"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Uv.setThreadPoolSize(0));
  }

  /** libuv's saturate_threadpool(): one blocked work item per pool thread, all running. */
  private static List<WorkRequest> saturate(Loop loop, CountDownLatch release, List<Throwable> done)
      throws InterruptedException {
    int n = Uv.threadPoolSize();
    CountDownLatch running = new CountDownLatch(n);
    List<WorkRequest> blockers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      blockers.add(loop.queueWork(() -> {
        running.countDown();
        await(release);
      }, done::add));
    }
    assertTrue(running.await(30, TimeUnit.SECONDS), "pool threads did not all start");
    return blockers;
  }

  // test-threadpool-cancel.c: threadpool_cancel_work
  @Test
  void threadpool_cancel_work() throws Exception {
    try (Loop loop = Loop.create()) {
      CountDownLatch release = new CountDownLatch(1);
      List<Throwable> blockersDone = new ArrayList<>();
      saturate(loop, release, blockersDone);
      AtomicInteger work2Called = new AtomicInteger();
      int[] done2Called = {0};
      List<WorkRequest> reqs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        reqs.add(loop.queueWork(work2Called::incrementAndGet, error -> {
          assertTrue(error instanceof UvException && ((UvException) error).code() == Errno.ECANCELED,
              String.valueOf(error));
          done2Called[0]++;
        }));
      }
      int[] timerCalled = {0};
      Timer timer = new Timer(loop);
      timer.start(10, t -> {
        for (WorkRequest r : reqs) {
          try {
            r.cancel();
          } catch (UvException e) {
            throw new AssertionError(e);
          }
        }
        t.close();
        release.countDown(); // cleanup_threadpool()
        timerCalled[0]++;
      });
      assertEquals(0, loop.run());
      assertEquals(1, timerCalled[0]);
      assertEquals(16, done2Called[0]);
      assertEquals(0, work2Called.get(), "cancelled work must never run");
      assertEquals(Uv.threadPoolSize(), blockersDone.size());
    }
  }

  // test-threadpool-cancel.c: threadpool_cancel_when_busy
  @Test
  void threadpool_cancel_when_busy() throws Exception {
    try (Loop loop = Loop.create()) {
      CountDownLatch release = new CountDownLatch(1);
      List<Throwable> blockersDone = new ArrayList<>();
      List<WorkRequest> blockers = saturate(loop, release, blockersDone);
      // The running ones cannot be cancelled...
      for (WorkRequest b : blockers) {
        assertEquals(Errno.EBUSY, assertThrows(UvException.class, b::cancel).code());
      }
      // ...one queued behind them can, while the pool is busy.
      Throwable[] status = new Throwable[1];
      WorkRequest queued = loop.queueWork(() -> { throw new AssertionError("cancelled work ran"); },
          e -> status[0] = e);
      queued.cancel();
      release.countDown();
      assertEquals(0, loop.run());
      assertTrue(status[0] instanceof UvException && ((UvException) status[0]).code() == Errno.ECANCELED,
          String.valueOf(status[0]));
      for (Throwable t : blockersDone) {
        assertNull(t);
      }
    }
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
