package io.uv4j.bench;

import io.uv4j.Fs;
import io.uv4j.Loop;
import io.uv4j.Stat;
import io.uv4j.StatRequest;
import io.uv4j.UvException;
import io.uv4j.WorkRequest;
import io.uv4j.FsCallback;
import io.uv4j.Uv;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Work round trips through a thread pool: a no-op work item is submitted from one thread (the
 * loop), runs on a pool thread, and its completion comes back to the submitting thread, which
 * submits the next one. N round trips per round, a window of W in flight. Round trips per second
 * (wall) and process CPU per round trip for
 *
 * <ul>
 *   <li>uv4j: {@link Loop#queueWork(Runnable, Consumer)} on libuv's pool (4 threads unless
 *       {@code UV_THREADPOOL_SIZE} says otherwise), the after-callback resubmits;
 *   <li>C: the same on the same libuv and pool size, {@code bench/c/work_roundtrip.c} (built by the bench
 *       module's Maven build into {@code bench/target/c/}), run as a child process per round;
 *   <li>an {@code ExecutorService} of as many threads whose tasks put their completion on a
 *       {@code LinkedBlockingQueue} taken by the submitting thread, which resubmits.
 * </ul>
 *
 * <p>Rounds of the three alternate (the order rotates) after warm-up rounds. Run:
 * {@code java -cp bench/target/benchmarks.jar io.uv4j.bench.WorkRoundTrip [rounds] [warmups] [N]
 * [window]} from the repository root ({@code -Dc.bench=<path>} for another C binary,
 * {@code -Donly=uv4j|C|executor}).
 *
 * <p>{@code -Dop=stat} measures {@code fs.stat} round trips instead: uv4j's {@link Fs#stat} and
 * the C peer's {@code uv_fs_stat} of the same file ({@code -Dstat.path}, default this jar's
 * {@code pom.xml}-independent {@code /etc/hostname}), the executor side running
 * {@code Files.readAttributes} on its pool.
 *
 * <p>uv4j reuses its requests as the C peer reuses its {@code window} {@code uv_work_t}s and
 * {@code uv_fs_t}s: {@code window} {@link WorkRequest}s from {@link Loop#workRequest} queued
 * again from their callbacks, or {@code window} {@link StatRequest}s. {@code -Duv4j.api=oneshot}
 * measures the one-shot calls instead ({@code Loop.queueWork}, {@code Fs.stat}: a request, and
 * for stat a path and a {@code Stat}, allocated per round trip).
 */
public final class WorkRoundTrip {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One round: round trips per second (wall) and process CPU ns per round trip. */
  record Round(double perSecond, double cpuNsPerTrip) {}

  private WorkRoundTrip() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 8; // uv4j needs ~5 rounds to reach steady state
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    String only = System.getProperty("only", "");
    boolean stat = System.getProperty("op", "work").equals("stat");
    String statPath = System.getProperty("stat.path", "/etc/hostname");
    Path cBench = Path.of(System.getProperty("c.bench", "bench/target/c/work_roundtrip"));
    boolean withC = Files.isExecutable(cBench) && (only.isEmpty() || only.equalsIgnoreCase("C"));
    if (!withC && only.isEmpty()) {
      System.out.println("(no C peer at " + cBench + ": build the bench module, or pass -Dc.bench=...)");
    }
    System.out.printf(Locale.ROOT,
        "%,d " + (stat ? "fs.stat(" + statPath + ")" : "work") + " round trips per round, %d in flight; uv4j requests: %s; pools of %d threads; JDK %s; libuv %s; %d CPUs%n",
        n, window, System.getProperty("uv4j.api", "reuse").equals("oneshot") ? "one-shot" : "reused", Uv.threadPoolSize(), Runtime.version(), Uv.versionString(),
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average before: " + Harness.loadAverage());

    Uv4jSide uv4j = new Uv4jSide(stat ? statPath : null);
    ExecutorSide executor = new ExecutorSide(stat ? statPath : null);
    List<Round> uvRounds = new ArrayList<>();
    List<Round> cRounds = new ArrayList<>();
    List<Round> exRounds = new ArrayList<>();
    for (int i = 0; i < warmups + rounds; i++) {
      boolean warm = i < warmups;
      for (int k = 0; k < 3; k++) {
        switch ((i + k) % 3) {
          case 0:
            if (only.isEmpty() || only.equalsIgnoreCase("uv4j")) {
              System.gc();
              record(warm, "uv4j", uv4j.round(n, window), uvRounds);
            }
            break;
          case 1:
            if (withC) {
              List<String> cmd = new ArrayList<>(List.of(cBench.toString(), "1", "1",
                  String.valueOf(n), String.valueOf(window)));
              if (stat) {
                cmd.add(statPath);
              }
              Map<String, String> r = Harness.runPeer(cmd, false);
              record(warm, "C", new Round(Double.parseDouble(r.get("roundtrips_per_s")),
                  Double.parseDouble(r.get("cpu_ns_per_roundtrip"))), cRounds);
            }
            break;
          default:
            if (only.isEmpty() || only.equalsIgnoreCase("executor")) {
              System.gc();
              record(warm, "executor", executor.round(n, window), exRounds);
            }
        }
      }
    }
    uv4j.close();
    executor.close();
    System.out.println("load average after: " + Harness.loadAverage());

    System.out.println();
    System.out.println("median of " + rounds + " rounds (min..max):");
    System.out.printf(Locale.ROOT, "%-9s %-34s %s%n", "", "round trips/s", "CPU ns per round trip");
    summary("uv4j", uvRounds);
    summary("C libuv", cRounds);
    summary("executor", exRounds);
    if (!uvRounds.isEmpty()) {
      double uv = median(uvRounds, true);
      if (!cRounds.isEmpty()) {
        System.out.printf(Locale.ROOT, "uv4j / C libuv: throughput %.2f, CPU per round trip %.2f%n",
            uv / median(cRounds, true), median(uvRounds, false) / median(cRounds, false));
      }
      if (!exRounds.isEmpty()) {
        System.out.printf(Locale.ROOT, "uv4j / executor: throughput %.2f, CPU per round trip %.2f%n",
            uv / median(exRounds, true), median(uvRounds, false) / median(exRounds, false));
      }
    }
  }

  /** uv4j: the after-callback on the loop thread submits the next work item. */
  static final class Uv4jSide {
    private final Loop loop = Loop.create();
    private final Fs fs = new Fs(loop);
    private final Runnable noop = () -> { };
    private final Consumer<Throwable> after = this::after;
    private final FsCallback<Stat> afterStat = this::afterStat;
    private final String statPath;
    private final boolean oneShot = System.getProperty("uv4j.api", "reuse").equals("oneshot");
    /** Reusable requests not in flight (the C peer's array of window requests). */
    private final ArrayDeque<ReusedWork> freeWork = new ArrayDeque<>();
    private final ArrayDeque<ReusedStat> freeStat = new ArrayDeque<>();
    private long total;
    private long submitted;
    private long completed;

    Uv4jSide(String statPath) throws Exception {
      this.statPath = statPath;
    }

    /** A WorkRequest and its after-callback, which puts it back in the free list. */
    private final class ReusedWork implements Consumer<Throwable> {
      final WorkRequest req = loop.workRequest(noop, this);

      @Override
      public void accept(Throwable error) {
        freeWork.push(this);
        after(error);
      }
    }

    /** A StatRequest and its callback, which puts it back in the free list. */
    private final class ReusedStat implements FsCallback<Stat> {
      final StatRequest req = new StatRequest(fs);

      @Override
      public void done(Stat stat, UvException error) {
        freeStat.push(this);
        after(error);
      }
    }

    private void submit() {
      if (oneShot) {
        if (statPath != null) {
          fs.stat(statPath, afterStat);
        } else {
          loop.queueWork(noop, after);
        }
      } else if (statPath != null) {
        ReusedStat r = freeStat.poll();
        if (r == null) {
          r = new ReusedStat();
        }
        r.req.stat(statPath, r);
      } else {
        ReusedWork r = freeWork.poll();
        if (r == null) {
          r = new ReusedWork();
        }
        r.req.queue();
      }
    }

    private void afterStat(Stat s, UvException error) {
      after(error);
    }

    Round round(int n, int window) {
      total = n;
      submitted = 0;
      completed = 0;
      long cpu0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int k = 0; k < window && submitted < total; k++) {
        submitted++;
        submit();
      }
      loop.run();
      long wall = System.nanoTime() - t0;
      long cpu = OS.getProcessCpuTime() - cpu0;
      if (completed != n) {
        throw new IllegalStateException("uv4j completed " + completed + " of " + n);
      }
      return new Round(n / (wall / 1e9), (double) cpu / n);
    }

    private void after(Throwable error) {
      if (error != null) {
        throw new IllegalStateException(error);
      }
      completed++;
      if (submitted < total) {
        submitted++;
        submit();
      }
    }

    void close() throws Exception {
      loop.close();
    }
  }

  /** As many threads as libuv's pool; completions come back to this thread through a queue. */
  static final class ExecutorSide {
    private final ExecutorService pool = Executors.newFixedThreadPool(Uv.threadPoolSize());
    private final LinkedBlockingQueue<Object> completions = new LinkedBlockingQueue<>();
    private static final Object DONE = new Object();
    private final Runnable work;

    ExecutorSide(String statPath) {
      java.nio.file.Path p = statPath == null ? null : java.nio.file.Path.of(statPath);
      work = () -> { // no-op work (or a stat), then hand back
        if (p != null) {
          try {
            Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
        completions.add(DONE);
      };
    }

    Round round(int n, int window) throws InterruptedException {
      long submitted = 0;
      long completed = 0;
      long cpu0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      for (int k = 0; k < window && submitted < n; k++) {
        submitted++;
        pool.execute(work);
      }
      while (completed < n) {
        completions.take();
        completed++;
        if (submitted < n) {
          submitted++;
          pool.execute(work);
        }
      }
      long wall = System.nanoTime() - t0;
      long cpu = OS.getProcessCpuTime() - cpu0;
      return new Round(n / (wall / 1e9), (double) cpu / n);
    }

    void close() throws InterruptedException {
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void record(boolean warm, String name, Round r, List<Round> into) {
    System.out.printf(Locale.ROOT, "%s %-8s %,10.0f round trips/s, %,6.0f ns CPU per round trip%n",
        warm ? "warm-up" : "round  ", name, r.perSecond(), r.cpuNsPerTrip());
    if (!warm) {
      into.add(r);
    }
  }

  private static void summary(String name, List<Round> rs) {
    if (rs.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "%-9s %-34s %s%n", name,
        Harness.range(rs.stream().map(Round::perSecond).toList()),
        Harness.range(rs.stream().map(Round::cpuNsPerTrip).toList()));
  }

  private static double median(List<Round> rs, boolean throughput) {
    return Harness.median(rs.stream().map(throughput ? Round::perSecond : Round::cpuNsPerTrip).toList());
  }
}
