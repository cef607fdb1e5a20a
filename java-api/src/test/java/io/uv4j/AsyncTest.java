package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ports of libuv's test/test-async.c (v1.44.2): Async.send() from a foreign thread. */
@ExtendWith(LeakCheck.class)
class AsyncTest {
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

  /**
   * Mirrors test-async.c async: the first prepare callback starts a thread that sends until the
   * callback has run three times; sends coalesce, so only the callback count is exact.
   *
   * <p>In C the thread reads the count under the mutex and sends outside it; a send racing with
   * uv_close there is harmless in C but throws in Java (send() after close), so the thread
   * sends while holding the lock and the third callback closes the handles while holding it.
   */
  @Test
  void async() throws Exception {
    ReentrantLock mutex = new ReentrantLock();
    int[] asyncCalls = {0}; // guarded by mutex
    int[] prepareCalls = {0};
    int[] closeCalls = {0};
    AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    Thread[] thread = {null};

    Prepare prepare = new Prepare(loop);
    Async async = new Async(loop, a -> {
      mutex.lock();
      try {
        if (++asyncCalls[0] == 3) {
          a.close(() -> closeCalls[0]++);
          prepare.close(() -> closeCalls[0]++);
        }
      } finally {
        mutex.unlock();
      }
    });

    Runnable sender = () -> {
      try {
        while (true) {
          mutex.lock();
          try {
            if (asyncCalls[0] == 3) {
              break;
            }
            async.send();
          } finally {
            mutex.unlock();
          }
          Thread.yield(); // libuv's uv_sleep(0)
        }
      } catch (Throwable t) {
        threadFailure.set(t);
      }
    };

    mutex.lock(); // released by the first prepare callback, once the thread exists
    prepare.start(p -> {
      assertSame(prepare, p);
      if (prepareCalls[0]++ > 0) {
        return;
      }
      thread[0] = new Thread(sender, "async-test-sender");
      thread[0].start();
      mutex.unlock();
    });

    assertEquals(0, loop.run());

    assertTrue(prepareCalls[0] > 0);
    assertEquals(3, asyncCalls[0]);
    assertEquals(2, closeCalls[0]);

    thread[0].join(60_000);
    assertFalse(thread[0].isAlive(), "sender thread did not finish");
    if (threadFailure.get() != null) {
      throw new AssertionError("sender thread failed", threadFailure.get());
    }
    loop.close();
  }

  /**
   * Coalescing never loses a send: a foreign thread publishes 1..N, sending after each, while
   * the loop runs. The loop sees some of the values (at least one callback, at most N) and, since
   * a callback follows every send, eventually N: run() would block forever otherwise.
   */
  @Test
  void sendsCoalesceButTheLastIsNeverLost() throws Exception {
    final int n = 10_000;
    AtomicInteger published = new AtomicInteger();
    int[] calls = {0};
    int[] lastSeen = {0};
    Async async = new Async(loop, a -> {
      calls[0]++;
      int seen = published.get();
      assertTrue(seen >= lastSeen[0], "values go backwards: " + seen + " after " + lastSeen[0]);
      lastSeen[0] = seen;
      if (seen == n) {
        // Stop rather than close: the sender may still be inside its last send().
        loop.stop();
      }
    });
    AtomicReference<Throwable> threadFailure = new AtomicReference<>();
    Thread sender = new Thread(() -> {
      try {
        for (int i = 1; i <= n; i++) {
          published.set(i);
          async.send();
        }
      } catch (Throwable t) {
        threadFailure.set(t);
      }
    }, "async-coalesce-sender");
    sender.start();

    assertEquals(1, loop.run()); // stopped with the async handle still alive

    sender.join(60_000);
    assertFalse(sender.isAlive());
    if (threadFailure.get() != null) {
      throw new AssertionError("sender thread failed", threadFailure.get());
    }
    assertEquals(n, lastSeen[0]);
    assertTrue(calls[0] >= 1 && calls[0] <= n, "callbacks: " + calls[0]);

    async.close();
    assertEquals(0, loop.run());
    loop.close();
  }
}
