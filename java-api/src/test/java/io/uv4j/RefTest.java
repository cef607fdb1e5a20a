package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ports of libuv's test/test-ref.c (the timer, idle, prepare, check and async cases; the TCP,
 * UDP, pipe, fs and process cases wait for those handles) and test/test-active.c, v1.44.2.
 * An unref'd handle, active or not, must not keep run() from returning, and its callback must
 * not run.
 */
@ExtendWith(LeakCheck.class)
class RefTest {
  private Loop loop;
  private int closeCalls;

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

  /** libuv's do_close(): the close callback runs in the next run(), never inside close(). */
  private void doClose(Handle h) throws UvException {
    closeCalls = 0;
    h.close(() -> closeCalls++);
    assertEquals(0, closeCalls);
    assertEquals(0, loop.run());
    assertEquals(1, closeCalls);
    loop.close();
  }

  /** Mirrors test-ref.c ref: an empty loop returns from run() at once. */
  @Test
  void ref() throws UvException {
    assertEquals(0, loop.run());
    loop.close();
  }

  /** Mirrors test-ref.c idle_ref. */
  @Test
  void idle_ref() throws UvException {
    Idle h = new Idle(loop);
    h.start(x -> fail("idle callback of an unref'd handle"));
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c async_ref. */
  @Test
  void async_ref() throws UvException {
    Async h = new Async(loop, x -> fail("async callback without a send"));
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c prepare_ref. */
  @Test
  void prepare_ref() throws UvException {
    Prepare h = new Prepare(loop);
    h.start(x -> fail("prepare callback of an unref'd handle"));
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c check_ref. */
  @Test
  void check_ref() throws UvException {
    Check h = new Check(loop);
    h.start(x -> fail("check callback of an unref'd handle"));
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c unref_in_prepare_cb: a handle unref'ing itself ends run(). */
  @Test
  void unref_in_prepare_cb() throws UvException {
    int[] calls = {0};
    Prepare h = new Prepare(loop);
    h.start(x -> {
      calls[0]++;
      x.unref();
    });
    assertEquals(0, loop.run());
    assertEquals(1, calls[0]); // the loop was no longer alive at the end of that iteration
    doClose(h);
  }

  /** Mirrors test-ref.c timer_ref: an unref'd timer that never started. */
  @Test
  void timer_ref() throws UvException {
    Timer h = new Timer(loop);
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c timer_ref2: an unref'd repeating timer neither fires nor blocks run(). */
  @Test
  void timer_ref2() throws UvException {
    Timer h = new Timer(loop);
    h.start(42, 42, x -> fail("timer callback of an unref'd timer"));
    h.unref();
    assertEquals(0, loop.run());
    doClose(h);
  }

  /** Mirrors test-ref.c has_ref. */
  @Test
  void has_ref() throws UvException {
    Idle h = new Idle(loop);
    h.ref();
    assertTrue(h.hasRef());
    h.unref();
    assertFalse(h.hasRef());
    doClose(h); // libuv's test leaves this to MAKE_VALGRIND_HAPPY
  }

  /** ref() undoes unref(): the handle keeps the loop alive again and its callback runs. */
  @Test
  void refAfterUnrefKeepsLoopAlive() throws UvException {
    int[] calls = {0};
    Timer h = new Timer(loop);
    h.start(1, 0, x -> calls[0]++);
    h.unref();
    h.unref(); // idempotent, like uv_unref: one ref() undoes any number
    assertFalse(loop.alive());
    h.ref();
    assertTrue(h.hasRef());
    assertTrue(loop.alive());
    assertEquals(0, loop.run());
    assertEquals(1, calls[0]);
    doClose(h);
  }

  /** Mirrors test-active.c active: isActive()/isClosing() through start, stop and close. */
  @Test
  void active() throws UvException {
    Timer timer = new Timer(loop);
    assertFalse(timer.isActive());
    assertFalse(timer.isClosing());

    timer.start(1000, 0, t -> fail("timer_cb should not have been called"));
    assertTrue(timer.isActive());
    assertFalse(timer.isClosing());

    timer.stop();
    assertFalse(timer.isActive());
    assertFalse(timer.isClosing());

    timer.start(1000, 0, t -> fail("timer_cb should not have been called"));
    assertTrue(timer.isActive());
    assertFalse(timer.isClosing());

    timer.close(() -> closeCalls++);
    assertFalse(timer.isActive());
    assertTrue(timer.isClosing());

    assertEquals(0, loop.run());
    assertEquals(1, closeCalls);
    loop.close();
  }
}
