package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Signal in this JVM, with real signals sent to itself by {@link Uv#kill}. Only signals whose
 * default action is to ignore them (SIGWINCH, SIGURG) are used here, so a regression cannot kill
 * the test JVM; libuv's tests use SIGCHLD/SIGUSR1/SIGUSR2 (SIGUSR2 is the JVM's, refused). The
 * SIGUSR1, SIGTERM and SIGPIPE cases and the refusals run in a child JVM
 * ({@link SignalChildJvmTest}). Ports of libuv's test-signal.c keep their names.
 */
@ExtendWith(LeakCheck.class)
class SignalTest {
  static final int NSIGNALS = 10;
  static final int PID = (int) ProcessHandle.current().pid();
  static final int WINCH = Signal.number("SIGWINCH");
  static final int URG = Signal.number("SIGURG");

  Loop loop;
  int winchBefore;
  int urgBefore;

  @BeforeEach
  void setUp() throws Exception {
    loop = Loop.create();
    winchBefore = Signal.disposition(WINCH);
    urgBefore = Signal.disposition(URG);
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.shutdown();
    // Every test ends with no watcher: the dispositions are back to what they were.
    assertEquals(winchBefore, Signal.disposition(WINCH), "SIGWINCH disposition restored");
    assertEquals(urgBefore, Signal.disposition(URG), "SIGURG disposition restored");
  }

  /**
   * libuv's timer_ctx: raises {@code signum} NSIGNALS times, then closes; returns the number
   * raised. libuv raises every 5 ms with raise(), which the calling thread handles at once; kill()
   * to the process may be handled by another thread a little later, and two deliveries pending
   * together merge into one. So the next one is raised only once a probe watcher (regular, same
   * loop) saw the previous one: by then every watcher of this loop has its message in libuv's
   * pipe, and the poll phase dispatches them all before the next timer tick.
   */
  static int[] startTimer(Loop loop, int signum) throws UvException {
    int[] sent = {0};
    int[] seen = {0};
    Signal probe = new Signal(loop);
    probe.start(signum, (s, n) -> seen[0]++);
    new Timer(loop).start(1, 1, t -> {
      if (seen[0] != sent[0]) {
        return; // the last one is still on its way
      }
      if (sent[0] == NSIGNALS) {
        t.close();
        probe.close();
        return;
      }
      sent[0]++;
      kill(signum);
    });
    return sent;
  }

  static void kill(int signum) {
    try {
      Uv.kill(PID, signum);
    } catch (UvException e) {
      throw new AssertionError(e);
    }
  }

  enum Then { CLOSE, STOP, NOOP }

  /** libuv's signal_ctx. */
  static final class Ctx {
    final Signal handle;
    final int signum;
    Then then = Then.CLOSE;
    int calls;

    Ctx(Loop loop, int signum, boolean oneShot) throws UvException {
      this.signum = signum;
      this.handle = new Signal(loop);
      if (oneShot) {
        handle.startOneShot(signum, this::oneShot);
      } else {
        handle.start(signum, this::regular);
      }
    }

    void regular(Signal s, int signum) {
      assertSame(handle, s);
      assertEquals(this.signum, signum);
      if (++calls == NSIGNALS) {
        if (then == Then.STOP) {
          s.stop();
        } else if (then == Then.CLOSE) {
          s.close();
        } else {
          throw new AssertionError("NOOP for a regular watcher");
        }
      }
    }

    void oneShot(Signal s, int signum) {
      assertEquals(this.signum, signum);
      assertEquals(1, ++calls);
      assertFalse(s.isActive(), "a one-shot watcher is stopped before its callback");
      assertEquals(0, s.signum());
      if (then == Then.CLOSE) {
        s.close();
      }
    }
  }

  @Test
  void we_get_signal() throws Exception {
    int[] tc = startTimer(loop, WINCH);
    Ctx sc = new Ctx(loop, WINCH, false);
    sc.then = Then.STOP;
    assertEquals(WINCH, sc.handle.signum());
    assertTrue(sc.handle.isActive());
    assertEquals(2, Signal.disposition(WINCH), "libuv's handler is installed");
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(NSIGNALS, sc.calls);
    assertEquals(winchBefore, Signal.disposition(WINCH), "stop restored the disposition");

    tc = startTimer(loop, WINCH);
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(NSIGNALS, sc.calls, "a stopped watcher is not called");

    sc.calls = 0;
    sc.then = Then.CLOSE;
    sc.handle.start(WINCH, sc::regular);
    tc = startTimer(loop, WINCH);
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(NSIGNALS, sc.calls);
    assertTrue(sc.handle.isClosed());
  }

  @Test
  void we_get_signals() throws Exception {
    List<Ctx> sc = new ArrayList<>();
    sc.add(new Ctx(loop, WINCH, false));
    sc.add(new Ctx(loop, WINCH, false));
    sc.add(new Ctx(loop, URG, false));
    sc.add(new Ctx(loop, URG, false));
    int[] tc0 = startTimer(loop, WINCH);
    int[] tc1 = startTimer(loop, URG);
    assertEquals(0, loop.run());
    for (Ctx c : sc) {
      assertEquals(NSIGNALS, c.calls);
    }
    assertEquals(NSIGNALS, tc0[0]);
    assertEquals(NSIGNALS, tc1[0]);
  }

  @Test
  void we_get_signal_one_shot() throws Exception {
    int[] tc = startTimer(loop, WINCH);
    Ctx sc = new Ctx(loop, WINCH, true);
    sc.then = Then.NOOP;
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(1, sc.calls);

    tc = startTimer(loop, WINCH);
    assertEquals(0, loop.run());
    assertEquals(1, sc.calls);

    sc.calls = 0;
    sc.then = Then.CLOSE;
    sc.handle.startOneShot(WINCH, sc::oneShot);
    tc = startTimer(loop, WINCH);
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(1, sc.calls);
  }

  /** After a one-shot start, a regular start is regular again (libuv 1.44 keeps it one-shot). */
  @Test
  void regularStartAfterOneShotIsRegular() throws Exception {
    Ctx sc = new Ctx(loop, WINCH, true);
    sc.then = Then.NOOP;
    startTimer(loop, WINCH);
    loop.run();
    assertEquals(1, sc.calls);
    sc.calls = 0;
    sc.then = Then.CLOSE;
    sc.handle.start(WINCH, sc::regular);
    startTimer(loop, WINCH);
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, sc.calls);
  }

  @Test
  void we_get_signals_mixed() throws Exception {
    // 2 one-shot
    int[] tc = startTimer(loop, WINCH);
    Ctx[] sc = {new Ctx(loop, WINCH, true), new Ctx(loop, WINCH, true)};
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(1, sc[0].calls);
    assertEquals(1, sc[1].calls);

    // 2 one-shot, 1 normal then remove normal
    tc = startTimer(loop, WINCH);
    sc = new Ctx[] {new Ctx(loop, WINCH, true), new Ctx(loop, WINCH, true),
        new Ctx(loop, WINCH, false)};
    sc[2].handle.close();
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(1, sc[0].calls);
    assertEquals(1, sc[1].calls);
    assertEquals(0, sc[2].calls);

    // 2 normal, 1 one-shot then remove one-shot
    tc = startTimer(loop, WINCH);
    sc = new Ctx[] {new Ctx(loop, WINCH, false), new Ctx(loop, WINCH, false),
        new Ctx(loop, WINCH, true)};
    sc[2].handle.close();
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(NSIGNALS, sc[0].calls);
    assertEquals(NSIGNALS, sc[1].calls);
    assertEquals(0, sc[2].calls);

    // 2 normal, 2 one-shot then remove 2 normal
    tc = startTimer(loop, WINCH);
    sc = new Ctx[] {new Ctx(loop, WINCH, false), new Ctx(loop, WINCH, false),
        new Ctx(loop, WINCH, true), new Ctx(loop, WINCH, true)};
    sc[0].handle.close();
    sc[1].handle.close();
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(0, sc[0].calls);
    assertEquals(0, sc[1].calls);
    assertEquals(1, sc[2].calls);
    assertEquals(1, sc[3].calls);

    // 1 normal, 1 one-shot, 2 normal then remove 1st normal, 2nd normal
    tc = startTimer(loop, WINCH);
    sc = new Ctx[] {new Ctx(loop, WINCH, false), new Ctx(loop, WINCH, true),
        new Ctx(loop, WINCH, false), new Ctx(loop, WINCH, false)};
    sc[1].then = Then.NOOP;
    sc[0].handle.close();
    sc[2].handle.close();
    assertEquals(0, loop.run());
    assertEquals(NSIGNALS, tc[0]);
    assertEquals(0, sc[0].calls);
    assertEquals(1, sc[1].calls);
    assertEquals(0, sc[2].calls);
    assertEquals(NSIGNALS, sc[3].calls);
    sc[1].handle.close();
    loop.run();
  }

  /**
   * Two watchers of one signal get one message each in libuv's pipe per delivery; whichever runs
   * first closes (or stops) the other, whose message is then already read but must be dropped.
   */
  @Test
  void closeWhileASignalIsPendingDropsIt() throws Exception {
    pendingDropped(true);
  }

  @Test
  void stopWhileASignalIsPendingDropsIt() throws Exception {
    pendingDropped(false);
  }

  private void pendingDropped(boolean close) throws Exception {
    Signal a = new Signal(loop);
    Signal b = new Signal(loop);
    List<Signal> called = new ArrayList<>();
    int[] closed = {0};
    Signal.Callback cb = (s, signum) -> {
      called.add(s);
      Signal other = s == a ? b : a;
      if (close) {
        other.close(() -> closed[0]++);
      } else {
        other.stop();
      }
      s.close(() -> closed[0]++);
    };
    a.start(WINCH, cb);
    b.start(WINCH, cb);
    kill(WINCH);
    loop.run(); // runs until the signal arrived: the watchers keep the loop alive until then
    assertEquals(1, called.size(), "only the first watcher's callback ran: " + called);
    if (!close) {
      (called.get(0) == a ? b : a).close(() -> closed[0]++);
      loop.run();
    }
    assertEquals(2, closed[0], "both close callbacks ran");
  }

  /** libuv's signal_multiple_loops, shortened: two loops on two threads both see one SIGURG. */
  @Test
  void signal_multiple_loops() throws Exception {
    loop.close();
    int loops = 2;
    CountDownLatch ready = new CountDownLatch(loops);
    CountDownLatch got = new CountDownLatch(loops);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      Thread t = new Thread(() -> {
        try (Loop l = Loop.create()) {
          Signal s = new Signal(l);
          s.start(URG, (h, signum) -> {
            got.countDown();
            h.close();
          });
          ready.countDown();
          l.run();
        } catch (Throwable e) {
          failure.set(e);
          ready.countDown();
        }
      }, "signal-loop-" + i);
      t.start();
      threads.add(t);
    }
    assertTrue(ready.await(30, TimeUnit.SECONDS), "loops started");
    kill(URG);
    boolean both = got.await(30, TimeUnit.SECONDS); // hang guard only
    for (Thread t : threads) {
      t.join(30_000);
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertTrue(both, "both loops' watchers were called");
    loop = Loop.create();
  }

  @Test
  void aThrowingCallbackGoesToTheLoopAndTheWatcherStaysStarted() throws Exception {
    List<Throwable> seen = new ArrayList<>();
    loop.setExceptionHandler((source, t) -> seen.add(t));
    Signal s = new Signal(loop);
    AtomicInteger calls = new AtomicInteger();
    RuntimeException boom = new IllegalStateException("boom");
    s.start(WINCH, (h, signum) -> {
      if (calls.incrementAndGet() == 2) {
        h.close();
      }
      throw boom;
    });
    kill(WINCH);
    loop.run(RunMode.ONCE);
    while (calls.get() < 1) {
      loop.run(RunMode.ONCE);
    }
    assertTrue(s.isActive(), "still watching after a throwing callback");
    kill(WINCH);
    loop.run();
    assertEquals(2, calls.get());
    assertEquals(List.of(boom, boom), seen);
  }

  @Test
  void unrefdWatcherDoesNotKeepTheLoopAlive() throws Exception {
    Signal s = new Signal(loop);
    s.start(WINCH, (h, signum) -> {});
    s.unref();
    assertEquals(0, loop.run());
    assertTrue(s.isActive());
    s.close();
  }

  @Test
  void restartOnAnotherSignalMovesTheWatcher() throws Exception {
    Signal s = new Signal(loop);
    List<Integer> got = new ArrayList<>();
    s.start(WINCH, (h, signum) -> got.add(signum));
    s.start(URG, (h, signum) -> {
      got.add(signum);
      h.close();
    });
    assertEquals(URG, s.signum());
    assertEquals(winchBefore, Signal.disposition(WINCH), "the old signal's disposition is back");
    kill(WINCH); // ignored by default: nobody watches it any more
    kill(URG);
    loop.run();
    assertEquals(List.of(URG), got);
  }

  @Test
  void namesAndNumbers() {
    assertEquals(Signal.number("SIGWINCH"), Signal.number("WINCH"));
    assertEquals("SIGWINCH", Signal.name(WINCH));
    assertEquals("SIGTERM", Signal.name(Signal.number("SIGTERM")));
    assertTrue(Signal.nsig() > Signal.number("SIGTERM"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Signal.number("SIGNOPE"));
    assertTrue(e.getMessage().contains("no signal named SIGNOPE"), e.getMessage());
    assertThrows(NullPointerException.class, () -> Signal.number(null));
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertEquals(10, Signal.number("SIGUSR1"));
      assertEquals(12, Signal.number("SIGUSR2"));
      assertEquals(65, Signal.nsig());
    }
  }

  @Test
  void misuse() throws Exception {
    Signal s = new Signal(loop);
    assertThrows(NullPointerException.class, () -> s.start(WINCH, null));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.start(0, (h, n) -> {}));
    assertTrue(e.getMessage().contains("not a signal number: 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.start(-1, (h, n) -> {}));
    assertThrows(IllegalArgumentException.class, () -> s.start(Signal.nsig(), (h, n) -> {}));
    assertThrows(IllegalArgumentException.class, () -> s.start(1024, (h, n) -> {}));
    assertFalse(s.isActive());
    s.close();
    assertThrows(IllegalStateException.class, () -> s.start(WINCH, (h, n) -> {}));
    assertThrows(IllegalStateException.class, s::stop);
    assertThrows(IllegalStateException.class, s::allowJvmShutdownSignals);
    s.close(); // again: nothing
    loop.run();
    assertThrows(IllegalArgumentException.class, () -> Uv.kill(PID, -1));
    assertThrows(IllegalArgumentException.class, () -> Uv.kill(PID, Signal.nsig()));
    Uv.kill(PID, 0); // exists
  }

  @Test
  void theLoopsSignalPipeIsOwned() throws Exception {
    Signal s = new Signal(loop);
    long loopOwned = OwnedFds.snapshot().values().stream().filter(o -> o == loop).count();
    assertTrue(loopOwned >= 3, "backend, async and signal pipe fds registered: " + OwnedFds.snapshot());
    s.close();
  }
}
