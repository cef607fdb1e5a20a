package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A callback that throws: without a handler the loop stops at the end of the iteration and
 * run() rethrows it, leaving the loop usable; with a handler the loop goes on.
 */
@ExtendWith(LeakCheck.class)
class CallbackExceptionTest {

  /** Throws any Throwable, checked ones included, without declaring it. */
  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  /** Every kind of user code the loop calls. */
  enum Kind {
    TIMER {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Timer t = new Timer(loop);
        t.start(0, x -> thrower.run());
        return t;
      }
    },
    IDLE {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Idle h = new Idle(loop);
        h.start(x -> thrower.run());
        return h;
      }
    },
    PREPARE {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Prepare h = new Prepare(loop);
        h.start(x -> thrower.run());
        return h;
      }
    },
    CHECK {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Check h = new Check(loop);
        h.start(x -> thrower.run());
        // Check runs after the poll: make the first poll return (an expired timer closing itself).
        new Timer(loop).start(0, Handle::close);
        return h;
      }
    },
    ASYNC {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Async a = new Async(loop, x -> thrower.run());
        a.send();
        return a;
      }
    },
    CLOSE_CALLBACK {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Timer t = new Timer(loop);
        t.close(thrower);
        return t;
      }
    },
    /** A task queued before run(): run() runs it before entering libuv. */
    EXECUTE_BEFORE_RUN {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Runnable task = thrower::run;
        loop.execute(task);
        return task;
      }
    },
    /** A task queued by a callback: it runs from the loop's wake-up handle, inside libuv. */
    EXECUTE_WHILE_RUNNING {
      @Override
      Object arm(Loop loop, Runnable thrower) {
        Runnable task = thrower::run;
        new Timer(loop).start(0, t -> {
          loop.execute(task);
          t.close();
        });
        return task;
      }
    };

    /** Makes the loop call {@code thrower} once soon; returns the expected exception source. */
    abstract Object arm(Loop loop, Runnable thrower);
  }

  /** Throws {@code t} the first time only, so a handle that runs again afterwards is harmless. */
  private static Runnable throwOnce(Throwable t) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (!done.getAndSet(true)) {
        throw sneaky(t);
      }
    };
  }

  /**
   * Runs the loop after a callback threw and was rethrown: a new timer fires, then closes every
   * handle, run() returns normally, the loop closes and LeakCheck sees nothing left.
   */
  private static void assertUsableAndClose(Loop loop) throws UvException {
    AtomicInteger fired = new AtomicInteger();
    Timer after = new Timer(loop);
    after.start(1, t -> {
      fired.incrementAndGet();
      loop.walk(Handle::close);
    });
    assertEquals(0, loop.run());
    assertEquals(1, fired.get());
    assertTrue(after.isClosed());
    loop.close();
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void exceptionStopsTheLoopAndRunRethrowsIt(Kind kind) throws Exception {
    Loop loop = Loop.create();
    // A ref'd async that nobody sends: run() can only return because the exception stopped it.
    Async keepAlive = new Async(loop, a -> {});
    IllegalStateException boom = new IllegalStateException("boom from " + kind);
    kind.arm(loop, throwOnce(boom));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertSame(boom, thrown);
    assertFalse(loop.isRunning());
    assertEquals(0, boom.getSuppressed().length);
    assertFalse(keepAlive.isClosing());

    assertUsableAndClose(loop);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void errorIsRethrownAsIs(Kind kind) throws Exception {
    Loop loop = Loop.create();
    Async keepAlive = new Async(loop, a -> {});
    AssertionError boom = new AssertionError("error from " + kind);
    kind.arm(loop, throwOnce(boom));

    AssertionError thrown = assertThrows(AssertionError.class, loop::run);
    assertSame(boom, thrown);
    assertFalse(keepAlive.isClosing());
    assertUsableAndClose(loop);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void checkedExceptionIsWrappedWithItAsCause(Kind kind) throws Exception {
    Loop loop = Loop.create();
    new Async(loop, a -> {});
    IOException boom = new IOException("checked from " + kind);
    kind.arm(loop, throwOnce(boom));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertEquals(RuntimeException.class, thrown.getClass());
    assertSame(boom, thrown.getCause());
    assertUsableAndClose(loop);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void handlerSeesSourceAndExceptionAndTheLoopContinues(Kind kind) throws Exception {
    try (Loop loop = Loop.create()) {
      new Async(loop, a -> {}); // keeps the loop alive: only the timer below ends the run
      List<Object[]> seen = new ArrayList<>();
      AtomicInteger later = new AtomicInteger();
      loop.setExceptionHandler((source, e) -> {
        seen.add(new Object[] {source, e});
        // The loop goes on: a timer started now fires in a later iteration, and ends the run.
        new Timer(loop).start(1, t -> {
          later.incrementAndGet();
          loop.walk(Handle::close);
        });
      });
      IllegalStateException boom = new IllegalStateException("handled from " + kind);
      Object source = kind.arm(loop, throwOnce(boom));

      assertEquals(0, loop.run());
      assertEquals(1, later.get());
      assertEquals(1, seen.size());
      assertArrayEquals(new Object[] {source, boom}, seen.get(0));
    }
  }

  @Test
  void handlerKeepsTheLoopGoingThroughRepeatedFailures() throws Exception {
    try (Loop loop = Loop.create()) {
      AtomicInteger handled = new AtomicInteger();
      loop.setExceptionHandler((source, e) -> handled.incrementAndGet());
      AtomicInteger ticks = new AtomicInteger();
      Timer timer = new Timer(loop);
      timer.start(0, 1, t -> {
        if (ticks.incrementAndGet() == 5) {
          t.close();
        }
        throw new IllegalStateException("tick " + ticks.get());
      });
      assertEquals(0, loop.run());
      assertEquals(5, ticks.get());
      assertEquals(5, handled.get());
    }
  }

  @Test
  void handlerThatThrowsMakesRunRethrowIt() throws Exception {
    Loop loop = Loop.create();
    new Async(loop, a -> {});
    IllegalStateException original = new IllegalStateException("original");
    IllegalArgumentException fromHandler = new IllegalArgumentException("from handler");
    loop.setExceptionHandler((source, e) -> {
      throw fromHandler;
    });
    Kind.TIMER.arm(loop, throwOnce(original));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertSame(fromHandler, thrown);
    assertArrayEquals(new Throwable[] {original}, thrown.getSuppressed());
    loop.setExceptionHandler(null);
    assertUsableAndClose(loop);
  }

  @Test
  void handlerThatRethrowsTheSameExceptionMakesRunRethrowIt() throws Exception {
    Loop loop = Loop.create();
    new Async(loop, a -> {});
    IllegalStateException boom = new IllegalStateException("boom");
    loop.setExceptionHandler((source, e) -> {
      throw sneaky(e);
    });
    Kind.IDLE.arm(loop, throwOnce(boom));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertSame(boom, thrown);
    assertEquals(0, boom.getSuppressed().length, "an exception must not suppress itself");
    assertUsableAndClose(loop);
  }

  @Test
  void removingTheHandlerRestoresStopAndRethrow() throws Exception {
    Loop loop = Loop.create();
    new Async(loop, a -> {});
    loop.setExceptionHandler((source, e) -> {});
    loop.setExceptionHandler(null);
    IllegalStateException boom = new IllegalStateException("boom");
    Kind.TIMER.arm(loop, throwOnce(boom));
    assertSame(boom, assertThrows(RuntimeException.class, loop::run));
    assertUsableAndClose(loop);
  }

  @Test
  void twoTimersThrowingInOneIterationSecondIsSuppressed() throws Exception {
    Loop loop = Loop.create();
    new Async(loop, a -> {});
    IllegalStateException first = new IllegalStateException("first");
    IllegalStateException second = new IllegalStateException("second");
    // Timers due at the same time run in start order, in the same iteration.
    Kind.TIMER.arm(loop, throwOnce(first));
    Kind.TIMER.arm(loop, throwOnce(second));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertSame(first, thrown);
    assertArrayEquals(new Throwable[] {second}, first.getSuppressed());
    assertUsableAndClose(loop);
  }

  @Test
  void idleAndCheckThrowingInOneIterationSecondIsSuppressed() throws Exception {
    Loop loop = Loop.create();
    IllegalStateException fromIdle = new IllegalStateException("idle");
    AssertionError fromCheck = new AssertionError("check");
    // The idle phase comes before the check phase of the same iteration.
    Kind.CHECK.arm(loop, throwOnce(fromCheck));
    Kind.IDLE.arm(loop, throwOnce(fromIdle));

    RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
    assertSame(fromIdle, thrown);
    assertArrayEquals(new Throwable[] {fromCheck}, fromIdle.getSuppressed());
    assertUsableAndClose(loop);
  }

  @Test
  void exceptionOnlyStopsTheIterationItHappenedIn() throws Exception {
    // The iteration ends normally: callbacks of later phases of that iteration still run.
    Loop loop = Loop.create();
    List<String> calls = new ArrayList<>();
    Idle idle = new Idle(loop);
    idle.start(h -> {
      calls.add("idle");
      throw new IllegalStateException("idle");
    });
    Check check = new Check(loop);
    check.start(h -> calls.add("check"));
    assertThrows(IllegalStateException.class, loop::run);
    assertEquals(List.of("idle", "check"), calls);
    idle.close();
    assertUsableAndClose(loop);
  }

  @Test
  void taskThrowingInCloseIsRethrownAndTheLoopStaysOpen() throws Exception {
    Loop loop = Loop.create();
    IllegalStateException boom = new IllegalStateException("task in close");
    loop.execute(() -> {
      throw boom;
    });
    assertSame(boom, assertThrows(IllegalStateException.class, loop::close));
    assertFalse(loop.isClosed());
    assertUsableAndClose(loop);
  }

  @Test
  void closeCallbackThrowingInShutdownIsRethrownAndShutdownCanBeRetried() throws Exception {
    Loop loop = Loop.create();
    IllegalStateException boom = new IllegalStateException("close callback");
    Timer timer = new Timer(loop);
    timer.start(10_000, t -> {});
    new Idle(loop).start(h -> {});
    // Closed by shutdown() with no callback; this one has its own that throws.
    Kind.CLOSE_CALLBACK.arm(loop, throwOnce(boom));
    assertSame(boom, assertThrows(IllegalStateException.class, loop::shutdown));
    assertFalse(loop.isClosed());
    loop.shutdown();
    assertTrue(loop.isClosed());
    assertTrue(timer.isClosed());
  }
}
