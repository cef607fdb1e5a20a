package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the timer paths allocate on the loop thread in steady state (ThreadMXBean's per-thread
 * allocation counter, after a warm-up):
 *
 * <ul>
 *   <li>a repeating timer firing allocates nothing (libuv re-arms it; one upcall per fire);
 *   <li>restarting a timer ({@code again}, {@code start}, {@code stop}, {@code setRepeat}, the
 *       queries) allocates nothing;
 *   <li>a Timer's whole life (create, start, fire, close without a close callback) allocates only
 *       the Timer object itself: the loop's table slot and the native slab element are reused,
 *       and no JNI global ref is created ({@link Uv#liveGlobalRefs()} does not move).
 * </ul>
 *
 * <p>(PoolAllocationTest covers a timer restarted from its own callback with timeout 0.)
 */
@ExtendWith(LeakCheck.class)
class TimerAllocationTest {
  static final long BUDGET = StreamAllocationTest.BUDGET;

  @Test
  void aRepeatingTimerFiringAllocatesNothingOnTheLoopThread() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    int timers = 500;
    int warmup = 20_000;
    int measured = 100_000;
    long[] marks = {-1, -1};
    int[] fired = {0};
    try (Loop loop = Loop.create()) {
      Timer[] all = new Timer[timers];
      Consumer<Timer> cb = t -> {
        int n = ++fired[0];
        if (n == warmup) {
          marks[0] = counter.of(loopThread);
        } else if (n == warmup + measured) {
          marks[1] = counter.of(loopThread);
          for (Timer x : all) {
            x.close();
          }
        }
      };
      // 500 timers repeating every millisecond: hundreds of fires per loop iteration, so the
      // 120,000 fires take a fraction of a second.
      for (int i = 0; i < timers; i++) {
        all[i] = new Timer(loop);
        all[i].start(1, 1, cb);
      }
      loop.run();
    }
    assertTrue(fired[0] >= warmup + measured, "fired " + fired[0]);
    long bytes = marks[1] - marks[0];
    assertTrue(bytes <= BUDGET, measured + " repeating fires allocated " + bytes + " bytes ("
        + (double) bytes / measured + " per fire)");
  }

  @Test
  void restartingATimerAllocatesNothingOnTheLoopThread() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    int warmup = 20_000;
    int measured = 100_000;
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      Consumer<Timer> cb = t -> { };
      long[] sink = {0};
      // Warm up, then measure the same cycles: again, start, setRepeat, the queries, stop.
      long before = 0;
      for (int i = 0; i < warmup + measured; i++) {
        if (i == warmup) {
          before = counter.of(loopThread);
        }
        timer.start(1000, 500, cb);
        timer.again();
        timer.setRepeat(250);
        timer.again();
        sink[0] += timer.getDueIn() + timer.getRepeat() + (timer.isActive() ? 1 : 0);
        timer.stop();
      }
      long bytes = counter.of(loopThread) - before;
      assertTrue(bytes <= BUDGET, measured + " restart cycles allocated " + bytes + " bytes ("
          + (double) bytes / measured + " per cycle)");
      assertEquals((warmup + measured) * (250L + 250 + 1), sink[0]);
      timer.close();
      loop.run();
    }
  }

  @Test
  void aTimersWholeLifeAllocatesOnlyTheTimerAndNoGlobalRef() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    int warmup = 20_000;
    int measured = 100_000;
    int inFlight = 64;
    long[] marks = {-1, -1};
    long[] refs = {-1, -1};
    int[] fired = {0};
    int[] created = {0};
    try (Loop loop = Loop.create()) {
      @SuppressWarnings("unchecked")
      Consumer<Timer>[] cb = new Consumer[1];
      cb[0] = t -> {
        int n = ++fired[0];
        if (n == warmup) {
          marks[0] = counter.of(loopThread);
          refs[1] = Uv.liveGlobalRefs(); // 64 Timers are alive here
        } else if (n == warmup + measured) {
          marks[1] = counter.of(loopThread);
        }
        t.close();
        if (created[0] < warmup + measured) {
          created[0]++;
          new Timer(loop).start(0, cb[0]);
        }
      };
      refs[0] = Uv.liveGlobalRefs();
      for (int i = 0; i < inFlight; i++) {
        created[0]++;
        new Timer(loop).start(0, cb[0]);
      }
      loop.run();
    }
    assertEquals(warmup + measured, fired[0]);
    assertEquals(refs[0], refs[1], "a live Timer holds no JNI global ref");
    long perTimer = (marks[1] - marks[0] - BUDGET) / measured;
    // Handle's six fields and Timer's one: a 16-byte header and 8 bytes per field bound it.
    long timer = (16 + 8 * 7 + 7) & ~7L;
    assertTrue(perTimer <= timer, "a Timer's life allocated " + (double) (marks[1] - marks[0]) / measured
        + " bytes, more than the Timer (" + timer + ")");
  }
}
