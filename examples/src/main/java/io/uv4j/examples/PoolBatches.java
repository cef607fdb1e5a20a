package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.Uv;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code pool-batches [n] [iterations]}: eight PBKDF2 hashes queued at once on libuv's thread pool, each
 * printed as it finishes. With the default pool of 4 threads they finish in two batches of four
 * (the Node.js classic with {@code crypto.pbkdf2}); with {@code n}, {@link Uv#setThreadPoolSize}
 * sets the pool size first ({@code UV_THREADPOOL_SIZE} in Node), e.g. 8 runs all at once (as
 * fast as the CPUs allow) and 2 gives four batches of two.
 *
 * <p>{@code iterations} (default 100,000) makes each hash cheaper or dearer.
 *
 * <p>At the end a timeline shows when each job ran on which pool thread: a thread takes the next
 * job only once its current one is done, so the k-th job of a thread is in batch k.
 */
public final class PoolBatches {
  static final int JOBS = 8;

  /** One finished job: which pool thread ran it, from when to when (ns since the start). */
  record Job(int id, String thread, long startNs, long endNs, int batch) {}

  /** The jobs in the order they finished, and how many ran at once at most. */
  record Result(List<Job> jobs, int maxAtOnce, long totalNs) {}

  /** The work of one job; may throw. */
  interface Work {
    void run(int id) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      Uv.setThreadPoolSize(Integer.parseInt(args[0]));
    }
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : NodeTour.ITERATIONS;
    System.out.printf(Locale.ROOT,
        "%d PBKDF2-SHA512 hashes (%,d iterations each) on libuv's pool of %d threads, %d CPUs%n",
        JOBS, iterations, Uv.threadPoolSize(), Runtime.getRuntime().availableProcessors());
    // Node's pbkdf2 is native code; Java's needs its JIT first, or the first jobs run interpreted
    // code for seconds, at uneven speeds, and blur the batches.
    long w = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      io.uv4j.node.Crypto.pbkdf2Sync("warm-up", "salt", Math.max(1, iterations / 10), 64, "sha512");
    }
    System.out.printf(Locale.ROOT, "(JIT warm-up on the main thread: %d ms)%n", (System.nanoTime() - w) / 1_000_000);
    Result r = run(JOBS, id -> io.uv4j.node.Crypto.pbkdf2Sync("password", "salt" + id, iterations, 64, "sha512"),
        System.out);
    printTimeline(r, System.out);
  }

  /**
   * Queues {@code count} jobs on a new loop, prints a line as each finishes (on the loop
   * thread), and returns them in finishing order.
   */
  static Result run(int count, Work work, PrintStream out) throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxAtOnce = new AtomicInteger();
    List<Job> finished = new ArrayList<>();
    Map<String, Integer> jobsPerThread = new HashMap<>();
    Throwable[] failure = {null};
    long t0 = System.nanoTime();
    try (Loop loop = Loop.create()) {
      for (int i = 1; i <= count; i++) {
        int id = i;
        long[] span = new long[2];
        String[] thread = new String[1];
        loop.queueWork(() -> {
          // Runs on a pool thread; libuv hands these writes to the loop thread with the completion.
          span[0] = System.nanoTime() - t0;
          thread[0] = Thread.currentThread().getName();
          maxAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            work.run(id);
          } catch (Exception e) {
            throw new RuntimeException(e);
          } finally {
            running.decrementAndGet();
            span[1] = System.nanoTime() - t0;
          }
        }, error -> {
          if (error != null) {
            failure[0] = error;
            return;
          }
          // Loop thread: count the jobs of each thread in the order the loop sees them finish.
          int batch = jobsPerThread.merge(thread[0], 1, Integer::sum);
          finished.add(new Job(id, thread[0], span[0], span[1], batch));
          out.printf(Locale.ROOT, "  job %d done at %5d ms on %s%n", id, span[1] / 1_000_000, thread[0]);
        });
      }
      loop.run();
    }
    if (failure[0] != null) {
      throw new IllegalStateException("a job failed", failure[0]);
    }
    return new Result(finished, maxAtOnce.get(), System.nanoTime() - t0);
  }

  /** One row per job, in start order: a bar over the whole run's time. */
  static void printTimeline(Result r, PrintStream out) {
    final int width = 40;
    double nsPerColumn = Math.max(1, r.totalNs()) / (double) width;
    List<Job> byStart = new ArrayList<>(r.jobs());
    byStart.sort(Comparator.comparingLong(Job::startNs));
    out.println("timeline (each column " + Math.round(nsPerColumn / 1e6) + " ms):");
    int batches = 0;
    for (Job j : byStart) {
      int from = (int) Math.min(width - 1, Math.floor(j.startNs() / nsPerColumn));
      int to = (int) Math.max(from + 1, Math.min(width, Math.ceil(j.endNs() / nsPerColumn)));
      out.printf(Locale.ROOT, "  job %d  %-12s |%s%s%s| %5d-%5d ms  batch %d%n", j.id(), j.thread(),
          " ".repeat(from), "#".repeat(to - from), " ".repeat(width - to),
          j.startNs() / 1_000_000, j.endNs() / 1_000_000, j.batch());
      batches = Math.max(batches, j.batch());
    }
    out.printf(Locale.ROOT, "at most %d jobs ran at once: %d batch%s%n", r.maxAtOnce(), batches,
        batches == 1 ? "" : "es");
  }

  private PoolBatches() {}
}
