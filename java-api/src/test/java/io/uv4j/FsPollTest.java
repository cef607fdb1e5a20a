package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** libuv's fs poll tests (test-fs-poll.c, v1.44.2) and the Java API around them. */
@ExtendWith(LeakCheck.class)
class FsPollTest {
  @TempDir Path dir;
  private Loop loop;
  private Path fixture;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
    fixture = dir.resolve("testfile");
  }

  /** Only does something after a failed test, so one failure does not cascade into leak reports. */
  @AfterEach
  void cleanUp() throws UvException {
    if (!loop.isClosed() && !loop.isRunning()) {
      loop.shutdown();
    }
  }

  private int touches;

  /**
   * libuv's touch_file: rewrites the file one byte longer each time, because the poller may not
   * see sub-second mtime changes.
   */
  private void touch() {
    byte[] stars = new byte[++touches];
    Arrays.fill(stars, (byte) '*');
    try {
      Files.write(fixture, stars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** libuv's memcmp against a zeroed uv_stat_t, field by field. */
  private static boolean isZero(Stat s) {
    return s.dev() == 0 && s.mode() == 0 && s.nlink() == 0 && s.uid() == 0 && s.gid() == 0
        && s.rdev() == 0 && s.ino() == 0 && s.size() == 0 && s.blksize() == 0 && s.blocks() == 0
        && s.flags() == 0 && s.gen() == 0 && s.atime().equals(Instant.EPOCH)
        && s.mtime().equals(Instant.EPOCH) && s.ctime().equals(Instant.EPOCH)
        && s.birthtime().equals(Instant.EPOCH);
  }

  private static void never(FsPoll h, UvException error, Stat prev, Stat curr) {
    org.junit.jupiter.api.Assertions.fail("this poller must not be called");
  }

  // test-fs-poll.c: fs_poll
  @Test
  void fs_poll() throws Exception {
    int[] pollCalls = {0};
    int[] timerCalls = {0};
    int[] closes = {0};
    Timer timer = new Timer(loop);
    FsPoll poll = new FsPoll(loop);
    poll.start(fixture.toString(), 100, (h, error, prev, curr) -> {
      assertSame(poll, h);
      assertTrue(h.isActive());
      assertNotNull(prev);
      assertNotNull(curr);
      switch (pollCalls[0]++) {
        case 0: // the file does not exist yet
          assertEquals(Errno.ENOENT, error.code());
          assertEquals("uv_fs_poll", error.syscall());
          assertEquals(fixture.toString(), error.path());
          assertTrue(isZero(prev));
          assertTrue(isZero(curr));
          touch();
          break;
        case 1: // created
          assertNull(error);
          assertTrue(isZero(prev));
          assertFalse(isZero(curr));
          assertEquals(1, curr.size());
          timer.start(20, t -> { touch(); timerCalls[0]++; });
          break;
        case 2:
          assertNull(error);
          assertFalse(isZero(prev));
          assertFalse(isZero(curr));
          assertEquals(1, prev.size());
          assertEquals(2, curr.size());
          timer.start(200, t -> { touch(); timerCalls[0]++; });
          break;
        case 3:
          assertNull(error);
          assertFalse(isZero(prev));
          assertFalse(isZero(curr));
          assertEquals(2, prev.size());
          assertEquals(3, curr.size());
          assertTrue(curr.isFile());
          try {
            Files.delete(fixture);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          break;
        case 4: // deleted
          assertEquals(Errno.ENOENT, error.code());
          assertFalse(isZero(prev));
          assertTrue(isZero(curr));
          h.close(() -> closes[0]++);
          timer.close();
          break;
        default:
          org.junit.jupiter.api.Assertions.fail("too many calls");
      }
    });
    loop.run();
    assertEquals(5, pollCalls[0]);
    assertEquals(2, timerCalls[0]);
    assertEquals(1, closes[0]);
    loop.close();
  }

  // test-fs-poll.c: fs_poll_getpath (null where libuv says EINVAL: before start and after stop)
  @Test
  void fs_poll_getpath() throws Exception {
    FsPoll poll = new FsPoll(loop);
    assertNull(poll.getPath());
    poll.start(fixture.toString(), 100, FsPollTest::never);
    assertEquals(fixture.toString(), poll.getPath());
    poll.stop();
    assertNull(poll.getPath());
    int[] closes = {0};
    poll.close(() -> closes[0]++);
    assertEquals(0, loop.run());
    assertEquals(1, closes[0]);
    assertThrows(IllegalStateException.class, poll::getPath);
    loop.close();
  }

  // test-fs-poll.c: fs_poll_close_request (closing while the first stat is in flight)
  @Test
  void fs_poll_close_request() throws Exception {
    FsPoll poll = new FsPoll(loop);
    poll.start(fixture.toString(), 100, FsPollTest::never);
    int[] closes = {0};
    poll.close(() -> closes[0]++);
    while (closes[0] == 0) {
      loop.run(RunMode.ONCE);
    }
    assertEquals(1, closes[0]);
    loop.close();
  }

  // test-fs-poll.c: fs_poll_close_request_multi_start_stop. Deviation: libuv 1.44 accepts the
  // restarts, but a restart while the stopped poll's stat still runs aborts the process once that
  // stat completes (fs-poll.c timer_cb assertion; found by the fuzzer). uv4j refuses the restart
  // until libuv has finished the previous poll; the close that follows is the same.
  @Test
  void fs_poll_close_request_multi_start_stop() throws Exception {
    FsPoll poll = new FsPoll(loop);
    poll.start(fixture.toString(), 100, FsPollTest::never);
    poll.stop();
    for (int i = 1; i < 10; i++) {
      assertThrows(IllegalStateException.class, () -> poll.start(fixture.toString(), 100, FsPollTest::never));
      poll.stop();
    }
    int[] closes = {0};
    poll.close(() -> closes[0]++);
    while (closes[0] == 0) {
      loop.run(RunMode.ONCE);
    }
    loop.close();
  }

  // test-fs-poll.c: fs_poll_close_request_multi_stop_start, with the same deviation as above.
  @Test
  void fs_poll_close_request_multi_stop_start() throws Exception {
    FsPoll poll = new FsPoll(loop);
    poll.stop();
    poll.start(fixture.toString(), 100, FsPollTest::never);
    for (int i = 1; i < 10; i++) {
      poll.stop();
      assertThrows(IllegalStateException.class, () -> poll.start(fixture.toString(), 100, FsPollTest::never));
    }
    int[] closes = {0};
    poll.close(() -> closes[0]++);
    while (closes[0] == 0) {
      loop.run(RunMode.ONCE);
    }
    loop.close();
  }

  // test-fs-poll.c: fs_poll_close_request_stop_when_active
  @Test
  void fs_poll_close_request_stop_when_active() throws Exception {
    FsPoll poll = new FsPoll(loop);
    poll.start(fixture.toString(), 100, (h, error, prev, curr) -> { });
    loop.run(RunMode.ONCE);
    poll.stop();
    loop.run(RunMode.ONCE);
    int[] closes = {0};
    poll.close(() -> closes[0]++);
    loop.run(RunMode.ONCE);
    assertEquals(1, closes[0]);
    loop.close();
  }

  /**
   * prev and curr of a change to an existing file, on the loop thread. Each step waits for the
   * previous report, so no change can land before the poller's first look.
   */
  @Test
  void reportsPreviousAndCurrentStatusOnTheLoopThread() throws Exception {
    Thread[] callbackThread = new Thread[1];
    long[] sizes = new long[2];
    int[] calls = {0};
    FsPoll poll = new FsPoll(loop);
    poll.start(fixture.toString(), 20, (h, error, prev, curr) -> {
      callbackThread[0] = Thread.currentThread();
      if (++calls[0] < 3) { // 1: ENOENT, 2: created with 1 byte
        touch();
        return;
      }
      assertNull(error);
      sizes[0] = prev.size();
      sizes[1] = curr.size();
      h.close();
    });
    loop.run();
    assertSame(Thread.currentThread(), callbackThread[0]);
    assertEquals(3, calls[0]);
    assertEquals(1, sizes[0]);
    assertEquals(2, sizes[1]);
    loop.close();
  }

  /** After stop() nothing is reported, whatever happens to the file. */
  @Test
  void noCallbackAfterStop() throws Exception {
    FsPoll poll = new FsPoll(loop);
    int[] calls = {0};
    poll.start(fixture.toString(), 10, (h, error, prev, curr) -> {
      calls[0]++; // the first report: ENOENT
      h.stop();
      // Create the file, then close the poller well after it would have seen that.
      new Timer(loop).start(20, t -> {
        touch();
        t.close();
      });
      new Timer(loop).start(200, t -> {
        poll.close();
        t.close();
      });
    });
    loop.run();
    assertEquals(1, calls[0]);
    loop.close();
  }

  @Test
  void misuse() throws Exception {
    FsPoll poll = new FsPoll(loop);
    String path = fixture.toString();
    assertThrows(NullPointerException.class, () -> poll.start(null, 100, FsPollTest::never));
    assertThrows(NullPointerException.class, () -> poll.start(path, 100, null));
    assertThrows(IllegalArgumentException.class, () -> poll.start(path, -1, FsPollTest::never));
    assertThrows(IllegalArgumentException.class, () -> poll.start(path, 1L << 32, FsPollTest::never));
    assertThrows(IllegalArgumentException.class, () -> poll.start("a\0b", 100, FsPollTest::never));
    assertFalse(poll.isActive());
    poll.start(path, 100, FsPollTest::never);
    // libuv would silently keep the first path: the Java API refuses instead.
    assertThrows(IllegalStateException.class, () -> poll.start(dir.toString(), 100, FsPollTest::never));
    assertEquals(path, poll.getPath());
    poll.close();
    assertThrows(IllegalStateException.class, () -> poll.start(path, 100, FsPollTest::never));
    assertThrows(IllegalStateException.class, poll::stop);
    loop.run();
    loop.close();
  }
}
