package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's own timer tests (v1.44.2), one Java test per TEST_IMPL, with libuv's counts, order and
 * error conditions. Where libuv returns EINVAL for misuse the Java API throws. Each test ends with
 * {@link Loop#close()}, which fails if the test left a handle open.
 */
@ExtendWith(LeakCheck.class)
class TimerTest {
  private Loop loop;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
  }

  /** Only does something after a failed test, so one failure does not cascade into leak reports. */
  @AfterEach
  void cleanUp() throws UvException {
    if (!loop.isClosed() && !loop.isRunning()) {
      loop.shutdown();
    }
  }

  private static void never(Timer t) {
    fail("this timer must never fire");
  }

  // test/test-timer.c
  @Test
  void timer() throws UvException {
    int[] onceCalled = {0};
    int[] onceClosed = {0};
    int[] repeatCalled = {0};
    int[] repeatClosed = {0};
    long startTime = loop.now();
    assertTrue(startTime > 0);

    // Ten one-shot timers time out within 450 ms.
    for (int i = 0; i < 10; i++) {
      new Timer(loop).start(i * 50, 0, t -> {
        assertFalse(t.isActive(), "a one-shot timer is inactive in its callback");
        onceCalled[0]++;
        t.close(() -> {
          assertFalse(t.isActive());
          onceClosed[0]++;
        });
        loop.updateTime(); // libuv calls it here just for coverage
      });
    }

    // A repeating timer that closes itself on its fifth call.
    new Timer(loop).start(100, 100, t -> {
      assertTrue(t.isActive(), "a repeating timer stays active in its callback");
      if (++repeatCalled[0] == 5) {
        t.close(() -> repeatClosed[0]++);
      }
    });

    // Started, stopped and unreferenced: never fires and does not keep the loop alive.
    Timer never = new Timer(loop);
    never.start(100, 100, TimerTest::never);
    never.stop();
    never.unref();

    assertEquals(0, loop.run());

    assertEquals(10, onceCalled[0]);
    assertEquals(10, onceClosed[0]);
    assertEquals(5, repeatCalled[0]);
    assertEquals(1, repeatClosed[0]);
    assertTrue(loop.now() - startTime >= 500, "the fifth repeat is due 500 ms after the start");

    never.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_start_twice() throws UvException {
    int[] twiceCalled = {0};
    int[] twiceClosed = {0};
    Timer once = new Timer(loop);
    once.start(86400 * 1000, 0, TimerTest::never);
    // Starting an active timer replaces both its timeout and its callback.
    once.start(10, 0, t -> {
      assertFalse(t.isActive());
      twiceCalled[0]++;
      t.close(() -> {
        assertFalse(t.isActive());
        twiceClosed[0]++;
      });
    });

    assertEquals(0, loop.run());
    assertEquals(1, twiceCalled[0]);
    assertEquals(1, twiceClosed[0]);
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_init() throws UvException {
    Timer handle = new Timer(loop);
    assertEquals(0, handle.getRepeat());
    assertEquals(0, handle.getDueIn()); // libuv asserts >= 0; a fresh timer is due at time 0
    assertFalse(handle.isActive());

    handle.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_order() throws UvException {
    List<String> order = new ArrayList<>();
    Timer a = new Timer(loop);
    Timer b = new Timer(loop);

    // Timers due at the same time run in the order they were started: a then b...
    a.start(0, 0, t -> order.add("a"));
    b.start(0, 0, t -> order.add("b"));
    assertEquals(0, loop.run());
    assertEquals(List.of("a", "b"), order);

    a.stop();
    b.stop();

    // ...and b then a.
    order.clear();
    b.start(0, 0, t -> order.add("b"));
    a.start(0, 0, t -> order.add("a"));
    assertEquals(0, loop.run());
    assertEquals(List.of("b", "a"), order);

    a.close();
    b.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_huge_timeout() throws UvException {
    Timer tiny = new Timer(loop);
    Timer huge1 = new Timer(loop);
    Timer huge2 = new Timer(loop);
    int[] called = {0};
    Consumer<Timer> tinyCb = t -> {
      assertSame(tiny, t, "only the 1 ms timer may fire");
      called[0]++;
      tiny.close();
      huge1.close();
      huge2.close();
    };
    tiny.start(1, 0, tinyCb);
    huge1.start(0xffffffffffffL, 0, tinyCb);
    // libuv uses (uint64_t) -1 here; Java's largest value is Long.MAX_VALUE.
    huge2.start(Long.MAX_VALUE, 0, tinyCb);

    assertEquals(1, tiny.getDueIn());
    assertEquals(281474976710655L, huge1.getDueIn());
    assertEquals(Long.MAX_VALUE, huge2.getDueIn(), "loop time + Long.MAX_VALUE must not wrap");
    assertEquals(0, huge2.getRepeat());

    assertEquals(0, loop.run());
    assertEquals(1, called[0]);
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_huge_repeat() throws UvException {
    Timer tiny = new Timer(loop);
    Timer huge1 = new Timer(loop);
    int[] ncalls = {0};
    Consumer<Timer> cb = t -> {
      if (ncalls[0] == 0) {
        assertSame(huge1, t, "the 1 ms timer fires first");
        // Rescheduled by its repeat before the callback: due in the whole repeat, not wrapped.
        assertTrue(huge1.isActive());
        assertEquals(Long.MAX_VALUE, huge1.getDueIn());
      } else {
        assertSame(tiny, t, "the huge repeat never comes round again");
      }
      if (++ncalls[0] == 10) {
        tiny.close();
        huge1.close();
      }
    };
    tiny.start(2, 2, cb);
    // libuv uses (uint64_t) -1 as the repeat; Java's largest value is Long.MAX_VALUE.
    huge1.start(1, Long.MAX_VALUE, cb);
    assertEquals(Long.MAX_VALUE, huge1.getRepeat());

    assertEquals(0, loop.run());
    assertEquals(10, ncalls[0]);
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_run_once() throws UvException {
    int[] called = {0};
    Timer handle = new Timer(loop);

    handle.start(0, 0, t -> called[0]++);
    assertEquals(0, loop.run(RunMode.ONCE));
    assertEquals(1, called[0]);

    // RUN_ONCE waits for the 1 ms timer: it must make progress before returning.
    handle.start(1, 0, t -> called[0]++);
    assertEquals(0, loop.run(RunMode.ONCE));
    assertEquals(2, called[0]);

    handle.close();
    assertEquals(0, loop.run(RunMode.ONCE));
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_is_closing() throws UvException {
    Timer handle = new Timer(loop);
    handle.close();
    assertTrue(handle.isClosing());
    // libuv: UV_EINVAL.
    assertThrows(IllegalStateException.class, () -> handle.start(100, 100, TimerTest::never));

    assertEquals(0, loop.run());
    assertTrue(handle.isClosed());
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_null_callback() throws UvException {
    Timer handle = new Timer(loop);
    // libuv: UV_EINVAL.
    assertThrows(NullPointerException.class, () -> handle.start(100, 100, null));
    assertThrows(NullPointerException.class, () -> handle.start(100, null));
    assertFalse(handle.isActive(), "a rejected start starts nothing");
    assertThrows(IllegalStateException.class, handle::again, "still never started");

    handle.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // test/test-timer-again.c
  @Test
  void timer_again() throws UvException {
    int[] closeCalled = {0};
    int[] repeat1Called = {0};
    int[] repeat2Called = {0};
    boolean[] repeat2Allowed = {false};
    long startTime = loop.now();
    assertTrue(startTime > 0);

    // again() on a never-started timer is an error (libuv: UV_EINVAL).
    Timer dummy = new Timer(loop);
    assertThrows(IllegalStateException.class, dummy::again);
    dummy.unref();

    Timer repeat1 = new Timer(loop);
    Timer repeat2 = new Timer(loop);

    repeat1.start(50, 0, t -> {
      assertSame(repeat1, t);
      assertEquals(50, t.getRepeat());
      repeat1Called[0]++;
      // Keeps pushing repeat_2 back, so it cannot fire while repeat_1 runs.
      repeat2.again();
      if (repeat1Called[0] == 10) {
        t.close(() -> closeCalled[0]++);
        repeat2Allowed[0] = true;
      }
    });
    assertEquals(0, repeat1.getRepeat());

    // Make repeat_1 repeating after the fact.
    repeat1.setRepeat(50);
    assertEquals(50, repeat1.getRepeat());

    repeat2.start(100, 100, t -> {
      assertSame(repeat2, t);
      assertTrue(repeat2Allowed[0], "repeat_2 fired while repeat_1 was still pushing it back");
      repeat2Called[0]++;
      if (t.getRepeat() == 0) {
        assertFalse(t.isActive());
        t.close(() -> closeCalled[0]++);
        return;
      }
      assertEquals(100, t.getRepeat());
      // Does not take effect immediately: the timer was already rescheduled for 100 ms.
      t.setRepeat(0);
    });
    assertEquals(100, repeat2.getRepeat());

    assertEquals(0, loop.run());

    assertEquals(10, repeat1Called[0]);
    assertEquals(2, repeat2Called[0]);
    assertEquals(2, closeCalled[0]);
    // 10 x 50 ms, then repeat_2's two 100 ms periods (libuv: "expected ~700 ms").
    assertTrue(loop.now() - startTime >= 700);

    dummy.close();
    assertEquals(0, loop.run());
    loop.close();
  }

  // test/test-timer-from-check.c
  @Test
  void timer_from_check() throws UvException {
    int[] prepareCalled = {0};
    int[] checkCalled = {0};
    int[] timerCalled = {0};
    Prepare prepare = new Prepare(loop);
    Check check = new Check(loop);
    Timer timer = new Timer(loop);

    Consumer<Timer> timerCb = t -> {
      timer.stop();
      assertEquals(1, prepareCalled[0]);
      assertEquals(1, checkCalled[0]);
      assertEquals(0, timerCalled[0]);
      timerCalled[0]++;
    };
    Consumer<Prepare> prepareCb = p -> {
      prepare.stop();
      assertEquals(0, prepareCalled[0]);
      assertEquals(1, checkCalled[0]);
      assertEquals(0, timerCalled[0]);
      prepareCalled[0]++;
    };
    check.start(c -> {
      check.stop();
      timer.stop(); // runs before the timer's callback
      timer.start(50, 0, timerCb);
      prepare.start(prepareCb);
      assertEquals(0, prepareCalled[0]);
      assertEquals(0, checkCalled[0]);
      assertEquals(0, timerCalled[0]);
      checkCalled[0]++;
    });
    // The loop's clock was read by Loop.create(); refresh it so the 50 ms count from here.
    loop.updateTime();
    timer.start(50, 0, timerCb);

    assertEquals(0, loop.run());
    assertEquals(1, prepareCalled[0]);
    assertEquals(1, checkCalled[0]);
    assertEquals(1, timerCalled[0]);

    prepare.close();
    check.close();
    timer.close();
    assertEquals(0, loop.run(RunMode.ONCE));
    loop.close();
  }

  // test/test-timer.c
  @Test
  void timer_early_check() throws UvException {
    int[] called = {0};
    long timeoutMs = 10;
    long expectedTime = loop.now() + timeoutMs;
    Timer handle = new Timer(loop);
    handle.start(timeoutMs, 0, t -> {
      // Never early on the high-resolution clock, which the loop's clock is derived from.
      assertTrue(Uv.hrtime() / 1_000_000 >= expectedTime);
      called[0]++;
    });
    assertEquals(0, loop.run());
    assertEquals(1, called[0]);

    handle.close();
    assertEquals(0, loop.run());
    loop.close();
  }
}
