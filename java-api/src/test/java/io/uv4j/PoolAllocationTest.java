package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pool and timer paths allocate on the loop thread in steady state, measured with
 * ThreadMXBean's per-thread allocation counter over 100,000 round trips after 20,000 of warm-up:
 *
 * <ul>
 *   <li>a timer round trip (a repeating Timer firing) allocates nothing;
 *   <li>a work round trip allocates only the {@link WorkRequest} that {@code queueWork} returns
 *       (the request table, its free list, the native slab and the completion batches allocate
 *       nothing once grown);
 *   <li>an {@code fs.stat} round trip allocates only what the API hands out or keeps: the
 *       FsRequest, the UTF-8 path, the Stat (over its long[20]).
 * </ul>
 */
@ExtendWith(LeakCheck.class)
class PoolAllocationTest {
  static final int WARMUP = 20_000;
  static final int MEASURED = 100_000;
  static final int WINDOW = 64;

  /** The measuring itself (reflection boxes a Long, ...): far below one byte per round trip. */
  static final long BUDGET = StreamAllocationTest.BUDGET;

  @Test
  void aTimerRoundTripAllocatesNothingOnTheLoopThread() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    long[] before = {-1};
    long[] after = {-1};
    int[] fired = {0};
    try (Loop loop = Loop.create()) {
      Timer timer = new Timer(loop);
      @SuppressWarnings("unchecked")
      Consumer<Timer>[] cb = new Consumer[1];
      // A timer restarted with timeout 0 from its own callback: fired again at once (libuv 1.44:
      // in the same timer pass; from 1.45: in the next iteration), start + fire per round trip.
      cb[0] = t -> {
        fired[0]++;
        if (fired[0] == WARMUP) {
          before[0] = counter.of(loopThread);
        } else if (fired[0] == WARMUP + MEASURED) {
          after[0] = counter.of(loopThread);
          t.close();
          return;
        }
        t.start(0, cb[0]);
      };
      timer.start(0, cb[0]);
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, fired[0]);
    long bytes = after[0] - before[0];
    assertTrue(bytes <= BUDGET, "timer round trips allocated " + bytes + " bytes ("
        + (double) bytes / MEASURED + " per round trip)");
  }

  @Test
  void aWorkRoundTripAllocatesOnlyItsWorkRequest() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    long[] marks = {-1, -1};
    int[] done = {0};
    int[] submitted = {0};
    try (Loop loop = Loop.create()) {
      Runnable noop = () -> { };
      @SuppressWarnings("unchecked")
      Consumer<Throwable>[] after = new Consumer[1];
      after[0] = error -> {
        assertNull(error);
        done[0]++;
        if (done[0] == WARMUP) {
          marks[0] = counter.of(loopThread);
        } else if (done[0] == WARMUP + MEASURED) {
          marks[1] = counter.of(loopThread);
        }
        if (submitted[0] < WARMUP + MEASURED) {
          submitted[0]++;
          loop.queueWork(noop, after[0]);
        }
      };
      for (int i = 0; i < WINDOW; i++) {
        submitted[0]++;
        loop.queueWork(noop, after[0]);
      }
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, done[0]);
    long perTrip = (marks[1] - marks[0] - BUDGET) / MEASURED;
    long request = objectSize(WorkRequest.class, 5);
    assertTrue(perTrip <= request, "a work round trip allocated " + (double) (marks[1] - marks[0]) / MEASURED
        + " bytes, more than its WorkRequest (" + request + ")");
  }

  @Test
  void anFsStatRoundTripAllocatesOnlyWhatTheApiHandsOut(@TempDir Path dir) throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    Path file = Files.writeString(dir.resolve("f"), "x");
    String path = file.toString();
    long[] marks = {-1, -1};
    int[] done = {0};
    int[] submitted = {0};
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      @SuppressWarnings("unchecked")
      FsCallback<Stat>[] cb = new FsCallback[1];
      cb[0] = (stat, error) -> {
        assertNull(error);
        done[0]++;
        if (done[0] == WARMUP) {
          marks[0] = counter.of(loopThread);
        } else if (done[0] == WARMUP + MEASURED) {
          marks[1] = counter.of(loopThread);
        }
        if (submitted[0] < WARMUP + MEASURED) {
          submitted[0]++;
          fs.stat(path, cb[0]);
        }
      };
      for (int i = 0; i < WINDOW; i++) {
        submitted[0]++;
        fs.stat(path, cb[0]);
      }
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, done[0]);
    long perTrip = (marks[1] - marks[0] - BUDGET) / MEASURED;
    // FsRequest (13 fields), the path's UTF-8 byte[], the Stat and its long[20].
    long handedOut = objectSize(FsRequest.class, 13) + align(16 + path.length())
        + objectSize(Stat.class, 1) + align(16 + 8 * 20);
    assertTrue(perTrip <= handedOut, "an fs.stat round trip allocated "
        + (double) (marks[1] - marks[0]) / MEASURED + " bytes, more than what it hands out ("
        + handedOut + ")");
  }

  @Test
  void aReusedWorkRequestRoundTripAllocatesNothing() throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    long[] marks = {-1, -1};
    int[] done = {0};
    int[] submitted = {0};
    try (Loop loop = Loop.create()) {
      Runnable noop = () -> { };
      // WINDOW requests, each queued again from its own after-callback: as a C program reuses
      // its uv_work_t array.
      WorkRequest[] reqs = new WorkRequest[WINDOW];
      for (int i = 0; i < WINDOW; i++) {
        int k = i;
        reqs[i] = loop.workRequest(noop, error -> {
          assertNull(error);
          done[0]++;
          if (done[0] == WARMUP) {
            marks[0] = counter.of(loopThread);
          } else if (done[0] == WARMUP + MEASURED) {
            marks[1] = counter.of(loopThread);
          }
          if (submitted[0] < WARMUP + MEASURED) {
            submitted[0]++;
            reqs[k].queue();
          }
        });
      }
      for (WorkRequest r : reqs) {
        submitted[0]++;
        r.queue();
      }
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, done[0]);
    long bytes = marks[1] - marks[0];
    assertTrue(bytes <= BUDGET, "reused work round trips allocated " + bytes + " bytes ("
        + (double) bytes / MEASURED + " per round trip)");
  }

  @Test
  void aReusedStatRequestRoundTripAllocatesNothing(@TempDir Path dir) throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    // Two paths, one of them not ASCII, alternated: encoding a path must not allocate either.
    String[] paths = {Files.writeString(dir.resolve("f"), "x").toString(),
        Files.writeString(dir.resolve("f-\u00e9\u20ac\ud83d\ude00"), "yy").toString()};
    long[] marks = {-1, -1};
    int[] done = {0};
    int[] submitted = {0};
    long[] sizes = {0};
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      StatRequest[] reqs = new StatRequest[WINDOW];
      for (int i = 0; i < WINDOW; i++) {
        int k = i;
        reqs[i] = new StatRequest(fs);
        FsCallback<Stat> cb = new FsCallback<>() {
          @Override
          public void done(Stat stat, UvException error) {
            assertNull(error);
            sizes[0] += stat.size();
            done[0]++;
            if (done[0] == WARMUP) {
              marks[0] = counter.of(loopThread);
            } else if (done[0] == WARMUP + MEASURED) {
              marks[1] = counter.of(loopThread);
            }
            if (submitted[0] < WARMUP + MEASURED) {
              reqs[k].stat(paths[submitted[0]++ & 1], this);
            }
          }
        };
        reqs[i].stat(paths[submitted[0]++ & 1], cb);
      }
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, done[0]);
    assertEquals(3L * (WARMUP + MEASURED) / 2, sizes[0], "sizes 1 and 2, alternately");
    long bytes = marks[1] - marks[0];
    assertTrue(bytes <= BUDGET, "reused stat round trips allocated " + bytes + " bytes ("
        + (double) bytes / MEASURED + " per round trip)");
  }

  /** An upper bound of an object's size: a 16-byte header and 8 bytes per field, aligned. */
  private static long objectSize(Class<?> c, int fields) {
    return align(16 + 8L * fields);
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }
}
