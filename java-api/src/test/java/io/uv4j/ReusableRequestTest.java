package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests a program submits again and again, as C reuses a {@code uv_work_t} or {@code uv_fs_t}:
 * {@link Loop#workRequest} with {@link WorkRequest#queue()}, and {@link StatRequest}. (That they
 * allocate nothing per round trip is {@link PoolAllocationTest}'s.)
 */
@ExtendWith(LeakCheck.class)
class ReusableRequestTest {

  @Test
  void aWorkRequestRunsOncePerQueueAndCanBeQueuedAgainFromItsCallback() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger runs = new AtomicInteger();
      List<Throwable> errors = new ArrayList<>();
      WorkRequest[] req = new WorkRequest[1];
      req[0] = loop.workRequest(runs::incrementAndGet, error -> {
        errors.add(error);
        assertTrue(req[0].isDone(), "done while its callback runs");
        if (errors.size() < 5) {
          req[0].queue();
          assertFalse(req[0].isDone());
        }
      });
      assertTrue(req[0].isDone(), "not queued yet");
      loop.run();
      assertEquals(0, runs.get(), "created, not queued: nothing runs");
      req[0].queue();
      loop.run();
      assertEquals(5, runs.get());
      assertEquals(5, errors.size());
      errors.forEach(e -> assertNull(e));
      req[0].queue(); // and again later, from outside its callback
      loop.run();
      assertEquals(6, runs.get());
    }
  }

  @Test
  void aReusedWorkRequestReportsEachRunsOwnError() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger runs = new AtomicInteger();
      List<Throwable> errors = new ArrayList<>();
      IllegalStateException boom = new IllegalStateException("odd run");
      WorkRequest[] req = new WorkRequest[1];
      req[0] = loop.workRequest(() -> {
        if (runs.incrementAndGet() % 2 == 1) {
          throw boom;
        }
      }, error -> {
        errors.add(error);
        if (errors.size() < 4) {
          req[0].queue();
        }
      });
      req[0].queue();
      loop.run();
      assertSame(boom, errors.get(0));
      assertNull(errors.get(1), "the previous run's exception is not reported again");
      assertSame(boom, errors.get(2));
      assertNull(errors.get(3));
    }
  }

  @Test
  void queueingAWorkRequestTwiceOrOneFromQueueWorkThrows() throws Exception {
    try (Loop loop = Loop.create()) {
      CountDownLatch release = new CountDownLatch(1);
      WorkRequest req = loop.workRequest(() -> await(release), error -> { });
      req.queue();
      IllegalStateException twice = assertThrows(IllegalStateException.class, req::queue);
      assertTrue(twice.getMessage().contains("already queued"), twice.getMessage());
      release.countDown();
      loop.run();

      WorkRequest once = loop.queueWork(() -> { }, error -> { });
      loop.run();
      IllegalStateException oneShot = assertThrows(IllegalStateException.class, once::queue);
      assertTrue(oneShot.getMessage().contains("Loop.workRequest"), oneShot.getMessage());

      assertThrows(NullPointerException.class, () -> loop.workRequest(null, e -> { }));
      assertThrows(NullPointerException.class, () -> loop.workRequest(() -> { }, null));
    }
  }

  @Test
  void aReusedWorkRequestCanBeCancelledWhileQueued() throws Exception {
    try (Loop loop = Loop.create()) {
      CountDownLatch release = occupyPool(loop); // the next request waits in libuv's queue
      List<Throwable> errors = new ArrayList<>();
      AtomicInteger runs = new AtomicInteger();
      WorkRequest req = loop.workRequest(runs::incrementAndGet, errors::add);
      req.queue();
      req.cancel();
      release.countDown();
      loop.run();
      assertEquals(1, errors.size());
      assertEquals("ECANCELED", ((UvException) errors.get(0)).errorName());
      assertEquals(0, runs.get());
      req.queue(); // a cancelled request is done: it can be queued again
      loop.run();
      assertEquals(1, runs.get());
      assertNull(errors.get(1));
    }
  }

  @Test
  void workRequestMisuseFromAnotherThreadOrAfterCloseThrows() throws Exception {
    Loop loop = Loop.create();
    WorkRequest req = loop.workRequest(() -> { }, e -> { });
    Throwable foreign = fromAnotherThreadWhileRunning(loop, req::queue);
    assertTrue(foreign instanceof IllegalStateException, String.valueOf(foreign));
    assertTrue(req.isDone(), "the refused queue() queued nothing");
    loop.close();
    assertThrows(IllegalStateException.class, req::queue);
    assertThrows(IllegalStateException.class, () -> loop.workRequest(() -> { }, e -> { }));
  }

  /** What {@code call} threw on another thread while {@code loop} ran on this one. */
  private static Throwable fromAnotherThreadWhileRunning(Loop loop, Runnable call) throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    loop.queueWork(() -> { }, error -> {
      Thread t = new Thread(() -> {
        try {
          call.run();
        } catch (Throwable x) {
          thrown.set(x);
        }
      });
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.run();
    return thrown.get();
  }

  @Test
  void aStatRequestStatsLstatsAndFstatsLikeFs(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "hello");
    Path link = Files.createSymbolicLink(dir.resolve("link"), file);
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      StatRequest req = new StatRequest(fs);
      List<Stat> got = new ArrayList<>();
      req.stat(link.toString(), (stat, error) -> {
        assertNull(error);
        got.add(stat.copy());
        req.lstat(link.toString(), (lstat, error2) -> {
          assertNull(error2);
          got.add(lstat.copy());
        });
      });
      loop.run();
      assertTrue(req.isDone());
      Stat viaFs = Fs.statSync(file.toString());
      assertEquals(viaFs.ino(), got.get(0).ino());
      assertEquals(5, got.get(0).size());
      assertTrue(got.get(0).isFile());
      assertTrue(got.get(1).isSymbolicLink());
      assertNotEquals(got.get(0).ino(), got.get(1).ino());

      int fd = Fs.openSync(file.toString(), Fs.O_RDONLY, 0);
      try {
        Stat[] f = new Stat[1];
        req.fstat(fd, (stat, error) -> {
          assertNull(error);
          f[0] = stat;
        });
        loop.run();
        assertEquals(viaFs.ino(), f[0].ino());
      } finally {
        Fs.closeSync(fd);
      }
    }
  }

  @Test
  void itsStatIsOverwrittenByTheNextCompletionAndCopyKeepsValues(@TempDir Path dir) throws Exception {
    Path small = Files.writeString(dir.resolve("small"), "1");
    Path big = Files.writeString(dir.resolve("big"), "1234567");
    try (Loop loop = Loop.create()) {
      StatRequest req = new StatRequest(new Fs(loop));
      Stat[] first = new Stat[2];
      req.stat(small.toString(), (stat, error) -> {
        first[0] = stat;
        first[1] = stat.copy();
        req.stat(big.toString(), (stat2, error2) -> assertSame(first[0], stat2, "one Stat per request"));
      });
      loop.run();
      assertEquals(7, first[0].size(), "the request's Stat holds the last result");
      assertEquals(1, first[1].size(), "the copy keeps its own");
    }
  }

  @Test
  void statRequestPathsAreUtf8LikeFs(@TempDir Path dir) throws Exception {
    // 1-, 2-, 3- and 4-byte UTF-8 sequences, and a path longer than the first buffer.
    Path sub = Files.createDirectory(dir.resolve("\u00e9".repeat(100))); // 200 bytes
    Path file = Files.writeString(sub.resolve("a\u00e9\u20ac\ud83d\ude00" + "x".repeat(100)), "abc");
    assertTrue(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 300);
    try (Loop loop = Loop.create()) {
      StatRequest req = new StatRequest(new Fs(loop));
      long[] size = {-1};
      req.stat(file.toString(), (stat, error) -> {
        assertNull(error);
        size[0] = stat.size();
      });
      loop.run();
      assertEquals(3, size[0]);
    }
  }

  @Test
  void statRequestErrorsCarrySyscallAndPath(@TempDir Path dir) throws Exception {
    String missing = dir.resolve("missing").toString();
    try (Loop loop = Loop.create()) {
      StatRequest req = new StatRequest(new Fs(loop));
      UvException[] err = new UvException[2];
      req.stat(missing, (stat, error) -> {
        assertNull(stat);
        err[0] = error;
        req.fstat(999_999, (stat2, error2) -> err[1] = error2);
      });
      loop.run();
      assertNotNull(err[0]);
      assertEquals("ENOENT", err[0].errorName());
      assertEquals("uv_fs_stat", err[0].syscall());
      assertEquals(missing, err[0].path());
      assertEquals("EBADF", err[1].errorName());
      assertEquals("uv_fs_fstat", err[1].syscall());
    }
  }

  @Test
  void statRequestMisuseThrowsDocumentedExceptions(@TempDir Path dir) throws Exception {
    String path = Files.writeString(dir.resolve("f"), "x").toString();
    Loop loop = Loop.create();
    Fs fs = new Fs(loop);
    StatRequest req = new StatRequest(fs);
    assertThrows(NullPointerException.class, () -> new StatRequest(null));
    assertThrows(NullPointerException.class, () -> req.stat(null, (s, e) -> { }));
    assertThrows(NullPointerException.class, () -> req.stat(path, null));
    IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
        () -> req.stat("a\0b", (s, e) -> { }));
    assertTrue(nul.getMessage().contains("NUL"), nul.getMessage());
    UvException idle = assertThrows(UvException.class, req::cancel);
    assertEquals("EBUSY", idle.errorName());
    int[] calls = {0};
    req.stat(path, (s, e) -> calls[0]++);
    IllegalStateException inFlight = assertThrows(IllegalStateException.class,
        () -> req.stat(path, (s, e) -> calls[0]++));
    assertTrue(inFlight.getMessage().contains("in flight"), inFlight.getMessage());
    assertThrows(IllegalStateException.class, () -> req.fstat(0, (s, e) -> calls[0]++));
    loop.run();
    assertEquals(1, calls[0], "the refused submissions never call back");
    Throwable foreign = fromAnotherThreadWhileRunning(loop, () -> req.stat(path, (s, e) -> calls[0]++));
    assertTrue(foreign instanceof IllegalStateException, String.valueOf(foreign));
    loop.run();
    assertEquals(1, calls[0], "the call from another thread submitted nothing");
    loop.close();
    assertThrows(IllegalStateException.class, () -> req.stat(path, (s, e) -> { }));
  }

  @Test
  void aStatRequestCanBeCancelledWhileQueued(@TempDir Path dir) throws Exception {
    String path = Files.writeString(dir.resolve("f"), "x").toString();
    try (Loop loop = Loop.create()) {
      CountDownLatch release = occupyPool(loop);
      StatRequest req = new StatRequest(new Fs(loop));
      UvException[] err = new UvException[1];
      req.stat(path, (stat, error) -> err[0] = error);
      req.cancel();
      release.countDown();
      loop.run();
      assertEquals("ECANCELED", err[0].errorName());
      assertEquals(path, err[0].path());
    }
  }

  /**
   * Random sequences over a few reusable work and stat requests, driven from their own callbacks
   * and a repeating timer: queue/submit (in flight or not), cancel, fstat of bad descriptors,
   * missing, long and NUL-carrying paths. Every accepted submission must call back exactly once,
   * every refusal must be a documented exception, and nothing may leak (LeakCheck).
   */
  @Test
  void randomUseOfReusableRequestsKeepsOneCallbackPerSubmission(@TempDir Path dir) throws Exception {
    String file = Files.writeString(dir.resolve("f"), "x").toString();
    String[] paths = {file, dir.resolve("missing").toString(), "", "a\0b",
        dir.resolve("\u00e9".repeat(300)).toString(), dir.toString()};
    int[] fds = {-1, 0, 1, 2, 999_999, Integer.MAX_VALUE, Integer.MIN_VALUE};
    for (long seed = 1; seed <= 8; seed++) {
      java.util.Random rnd = new java.util.Random(seed);
      try (Loop loop = Loop.create()) {
        Fs fs = new Fs(loop);
        int[] accepted = new int[1];
        int[] calledBack = new int[1];
        int[] steps = {0};
        WorkRequest[] work = new WorkRequest[3];
        StatRequest[] stat = new StatRequest[3];
        Runnable[] step = new Runnable[1];
        for (int i = 0; i < work.length; i++) {
          work[i] = loop.workRequest(() -> { }, error -> {
            calledBack[0]++;
            step[0].run();
          });
          stat[i] = new StatRequest(fs);
        }
        FsCallback<Stat> statDone = (st, error) -> {
          assertTrue((st == null) != (error == null), "a Stat or an error");
          calledBack[0]++;
          step[0].run();
        };
        step[0] = () -> {
          if (steps[0]++ >= 2_000) {
            return;
          }
          int k = rnd.nextInt(work.length);
          try {
            switch (rnd.nextInt(7)) {
              case 0: case 1:
                work[k].queue();
                accepted[0]++;
                break;
              case 2:
                stat[k].stat(paths[rnd.nextInt(paths.length)], statDone);
                accepted[0]++;
                break;
              case 3:
                stat[k].lstat(paths[rnd.nextInt(paths.length)], statDone);
                accepted[0]++;
                break;
              case 4:
                stat[k].fstat(fds[rnd.nextInt(fds.length)], statDone);
                accepted[0]++;
                break;
              case 5:
                work[k].cancel();
                break;
              default:
                stat[k].cancel();
                break;
            }
          } catch (IllegalStateException | IllegalArgumentException | UvException expected) {
            // in flight, NUL in a path, or cancel of a running/idle request: documented
          }
        };
        Timer driver = new Timer(loop);
        driver.start(0, 1, t -> {
          for (int i = 0; i < 4; i++) {
            step[0].run();
          }
          if (steps[0] >= 2_000) {
            t.close();
          }
        });
        loop.run();
        assertEquals(accepted[0], calledBack[0], "seed " + seed + ": one callback per submission");
        for (int i = 0; i < work.length; i++) {
          assertTrue(work[i].isDone() && stat[i].isDone(), "seed " + seed);
        }
      }
    }
  }

  /** Holds every pool thread with work until the returned latch is counted down. */
  private static CountDownLatch occupyPool(Loop loop) throws InterruptedException {
    int pool = Uv.threadPoolSize();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(pool);
    for (int i = 0; i < pool; i++) {
      loop.queueWork(() -> {
        started.countDown();
        await(release);
      }, error -> { });
    }
    assertTrue(started.await(10, TimeUnit.SECONDS), "every pool thread busy");
    return release;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
