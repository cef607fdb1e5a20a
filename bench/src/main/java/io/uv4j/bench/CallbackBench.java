package io.uv4j.bench;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.uv4j.Idle;
import io.uv4j.Loop;
import io.uv4j.Timer;
import io.uv4j.UvException;
import io.uv4j.bench.JnaUv.HandleCallback;
import io.uv4j.bench.JnaUv.JnaLoop;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one native-to-Java callback on libuv's loop: uv4j against JNA calling the same
 * libuv functions with a JNA Callback. Every callback increments a counter; the reported time is
 * per callback ({@link OperationsPerInvocation}). uv4j's side uses FFM up-calls on JDK 22+ (the
 * forks get {@code --enable-native-access=ALL-UNNAMED}) and JNI elsewhere, or everywhere with
 * {@code -jvmArgsAppend -Duv4j.backend=jni} ({@code io.uv4j.Uv#backend()});
 * {@code bench/run-callback.sh} runs every contender in one session, {@link CallbackCpu} the
 * same cases by CPU time, and {@code bench/c/callback_loop.c} is the C libuv peer.
 *
 * <ul>
 *   <li>{@code *Idle}: {@code handles} idle handles run the loop for {@value #IDLE_CALLS}
 *       callbacks, then the callback that reaches the count stops the loop. The time includes
 *       libuv's own work per iteration (clock read, a non-blocking epoll_wait), shared by
 *       {@code handles} callbacks: handles=16 shows the callback itself, handles=1 a loop that
 *       does nothing else.
 *   <li>{@code *Timers}: {@value #TIMERS} one-shot timers started with timeout 0, then one run
 *       that fires them all in its first pass: per timer, one uv_timer_start call down and one
 *       callback up. (A 0 ms timer that restarts itself from its callback would not do: libuv
 *       1.44 runs it again in the same pass, which is a different and version-specific loop.)
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CallbackBench {
  static final int IDLE_CALLS = 100_000;
  static final int TIMERS = 1_000;

  // ---------------------------------------------------------------- idle

  @State(Scope.Thread)
  public static class Uv4jIdle {
    @Param({"1", "16"})
    int handles;

    Loop loop;
    Idle[] idles;
    int count;

    @Setup(Level.Trial)
    public void setUp() throws UvException {
      loop = Loop.create();
      idles = new Idle[handles];
      Consumer<Idle> cb = h -> {
        if (++count == IDLE_CALLS) {
          loop.stop(); // takes effect after this iteration, whose callbacks all ran
        }
      };
      for (int i = 0; i < handles; i++) {
        idles[i] = new Idle(loop);
        idles[i].start(cb);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws UvException {
      loop.shutdown();
    }
  }

  @Benchmark
  @OperationsPerInvocation(IDLE_CALLS)
  public int uv4jIdle(Uv4jIdle s) {
    s.count = 0;
    s.loop.run();
    return checked(s.count, IDLE_CALLS);
  }

  @State(Scope.Thread)
  public static class JnaIdle {
    @Param({"1", "16"})
    int handles;

    JnaLoop loop;
    Memory block;
    Pointer[] idles;
    HandleCallback cb; // a field: JNA frees the native stub once the Callback is unreachable
    int count;

    @Setup(Level.Trial)
    public void setUp() {
      loop = new JnaLoop();
      long size = JnaUv.uv_handle_size(JnaUv.UV_IDLE);
      block = JnaUv.allocHandles(JnaUv.UV_IDLE, handles);
      idles = new Pointer[handles];
      cb = h -> {
        if (++count == IDLE_CALLS) {
          JnaUv.uv_stop(loop.loop);
        }
      };
      for (int i = 0; i < handles; i++) {
        idles[i] = block.share(i * size, size);
        JnaUv.check(JnaUv.uv_idle_init(loop.loop, idles[i]), "uv_idle_init");
        JnaUv.check(JnaUv.uv_idle_start(idles[i], cb), "uv_idle_start");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.close(idles);
    }
  }

  @Benchmark
  @OperationsPerInvocation(IDLE_CALLS)
  public int jnaIdle(JnaIdle s) {
    s.count = 0;
    JnaUv.uv_run(s.loop.loop, JnaUv.UV_RUN_DEFAULT);
    return checked(s.count, IDLE_CALLS);
  }

  // ---------------------------------------------------------------- timers

  @State(Scope.Thread)
  public static class Uv4jTimers {
    Loop loop;
    Timer[] timers;
    Consumer<Timer> cb;
    int count;

    @Setup(Level.Trial)
    public void setUp() throws UvException {
      loop = Loop.create();
      timers = new Timer[TIMERS];
      for (int i = 0; i < TIMERS; i++) {
        timers[i] = new Timer(loop);
      }
      cb = t -> count++;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws UvException {
      loop.shutdown();
    }
  }

  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public int uv4jTimers(Uv4jTimers s) {
    s.count = 0;
    for (Timer t : s.timers) {
      t.start(0, s.cb);
    }
    s.loop.run(); // one-shot timers: the loop ends once all fired
    return checked(s.count, TIMERS);
  }

  @State(Scope.Thread)
  public static class JnaTimers {
    JnaLoop loop;
    Memory block;
    Pointer[] timers;
    HandleCallback cb;
    int count;

    @Setup(Level.Trial)
    public void setUp() {
      loop = new JnaLoop();
      long size = JnaUv.uv_handle_size(JnaUv.UV_TIMER);
      block = JnaUv.allocHandles(JnaUv.UV_TIMER, TIMERS);
      timers = new Pointer[TIMERS];
      for (int i = 0; i < TIMERS; i++) {
        timers[i] = block.share(i * size, size);
        JnaUv.check(JnaUv.uv_timer_init(loop.loop, timers[i]), "uv_timer_init");
      }
      cb = h -> count++;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.close(timers);
    }
  }

  @Benchmark
  @OperationsPerInvocation(TIMERS)
  public int jnaTimers(JnaTimers s) {
    s.count = 0;
    for (Pointer t : s.timers) {
      JnaUv.uv_timer_start(t, s.cb, 0, 0);
    }
    JnaUv.uv_run(s.loop.loop, JnaUv.UV_RUN_DEFAULT);
    return checked(s.count, TIMERS);
  }

  /** A benchmark that did not make the calls it claims must fail, not report a figure. */
  private static int checked(int count, int expected) {
    if (count != expected) {
      throw new IllegalStateException(count + " callbacks, expected " + expected);
    }
    return count;
  }
}
