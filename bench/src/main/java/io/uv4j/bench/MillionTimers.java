package io.uv4j.bench;

import io.uv4j.Loop;
import io.uv4j.Timer;
import io.uv4j.Uv;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One million timers, timer i due in (i % 1000) ms: all scheduled, then all fired. Measures the
 * CPU time (and wall time) of the whole round for
 *
 * <ul>
 *   <li>uv4j: one {@link Timer} handle per timer, created and started on the loop thread before
 *       {@code run()}, closed in its own callback (so a million handles are open at the peak);
 *   <li>a {@link ScheduledThreadPoolExecutor} with one thread: the main thread schedules, the
 *       pool thread runs the tasks, the main thread waits for the last.
 * </ul>
 *
 * <p>The CPU figures: "scheduling" is the scheduling thread's CPU time until its last timer is
 * scheduled (uv4j: creating and starting the handles); "threads" is the CPU time of the threads
 * doing the work (uv4j: the loop thread; STPE: the scheduling thread plus the pool thread), and
 * "process" is the whole JVM's
 * ({@code OperatingSystemMXBean#getProcessCpuTime}: GC and JIT threads included). Rounds of
 * both alternate in one JVM after warm-up rounds; the median and the range are printed.
 *
 * <p>Not JMH: JMH measures wall time, and a round's wall time is mostly waiting for the last
 * timer. Run: {@code java -cp bench/target/benchmarks.jar io.uv4j.bench.MillionTimers [rounds]
 * [warmups] [timers]}.
 */
public final class MillionTimers {
  static final int SPREAD_MS = 1000;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One round's figures, in nanoseconds. */
  record Round(long scheduleCpu, long threadsCpu, long processCpu, long wall, long gcMillis) {}

  private MillionTimers() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int timers = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
    // -Donly=uv4j or -Donly=STPE runs one side alone, e.g. under a profiler.
    String only = System.getProperty("only", "");
    if (!THREADS.isCurrentThreadCpuTimeSupported()) {
      throw new IllegalStateException("thread CPU time is not supported by this JVM");
    }
    THREADS.setThreadCpuTimeEnabled(true);

    System.out.printf(Locale.ROOT, "%,d timers due in (i %% %d) ms; JDK %s; libuv %s; %d CPUs%n",
        timers, SPREAD_MS, Runtime.version(), Uv.versionString(),
        Runtime.getRuntime().availableProcessors());
    java.nio.file.Path cPeer = java.nio.file.Path.of(System.getProperty("c.timers",
        "bench/target/c/million_timers"));
    boolean withC = java.nio.file.Files.isExecutable(cPeer) && runs(only, "C");
    if (!withC && only.isEmpty()) {
      System.out.println("(no C peer at " + cPeer + ": build the bench module, or pass -Dc.timers=...)");
    }
    System.out.println("load average before: " + Harness.loadAverage());
    List<Round> uv4j = new ArrayList<>();
    List<Round> stpe = new ArrayList<>();
    List<Round> c = new ArrayList<>();
    // One loop for every round, as the C peer keeps one uv_loop_t: the loop's timer slab, grown
    // in the first warm-up round, is reused like the C peer's malloc arena.
    Loop loop = Loop.create();
    for (int i = 0; i < warmups + rounds; i++) {
      boolean warm = i < warmups;
      // Rotate which goes first so none always follows another's garbage.
      for (int k = 0; k < 3; k++) {
        switch ((i + k) % 3) {
          case 0:
            if (runs(only, "uv4j")) {
              record(warm ? null : uv4j, "uv4j", runUv4j(loop, timers), warm);
            }
            break;
          case 1:
            if (runs(only, "STPE")) {
              record(warm ? null : stpe, "STPE", runStpe(timers), warm);
            }
            break;
          default:
            if (withC) {
              settle();
              java.util.Map<String, String> r = Harness.runPeer(List.of(cPeer.toString(), "1", "0",
                  String.valueOf(timers)), false);
              long sched = (long) (Double.parseDouble(r.get("scheduling_cpu_ms")) * 1e6);
              long cpu = (long) (Double.parseDouble(r.get("cpu_ms")) * 1e6);
              long wall = (long) (Double.parseDouble(r.get("wall_ms")) * 1e6);
              record(warm ? null : c, "C", new Round(sched, cpu, cpu, wall, 0), warm);
            }
        }
      }
    }
    loop.close();
    System.out.println("load average after: " + Harness.loadAverage());
    System.out.println();
    System.out.println("median of " + rounds + " rounds (min..max), ms:");
    System.out.printf(Locale.ROOT, "%-6s %-22s %-22s %-22s %-22s %s%n", "", "scheduling CPU",
        "threads CPU", "process CPU", "wall", "GC");
    summary("uv4j", uv4j);
    summary("STPE", stpe);
    summary("C", c);
    if (!uv4j.isEmpty() && !c.isEmpty()) {
      System.out.printf(Locale.ROOT,
          "ratio uv4j/C libuv: scheduling CPU %.2f, threads CPU %.2f, process CPU %.2f, wall %.2f%n",
          median(uv4j, Round::scheduleCpu) / median(c, Round::scheduleCpu),
          median(uv4j, Round::threadsCpu) / median(c, Round::threadsCpu),
          median(uv4j, Round::processCpu) / median(c, Round::processCpu),
          median(uv4j, Round::wall) / median(c, Round::wall));
    }
    if (uv4j.isEmpty() || stpe.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT,
        "ratio uv4j/STPE: scheduling CPU %.2f, threads CPU %.2f, process CPU %.2f, wall %.2f%n",
        median(uv4j, Round::scheduleCpu) / median(stpe, Round::scheduleCpu),
        median(uv4j, Round::threadsCpu) / median(stpe, Round::threadsCpu),
        median(uv4j, Round::processCpu) / median(stpe, Round::processCpu),
        median(uv4j, Round::wall) / median(stpe, Round::wall));
  }

  /** Whether -Donly (empty, or a comma-separated list of sides, e.g. uv4j,C) selects {@code side}. */
  static boolean runs(String only, String side) {
    if (only.isEmpty()) {
      return true;
    }
    for (String s : only.split(",")) {
      if (s.trim().equalsIgnoreCase(side)) {
        return true;
      }
    }
    return false;
  }

  /** uv4j: every timer is its own handle, created, started, fired and closed on the loop thread. */
  static Round runUv4j(Loop loop, int timers) throws Exception {
    settle();
    int[] fired = {0};
    Consumer<Timer> cb = t -> {
      fired[0]++;
      t.close();
    };
    long gc0 = gcMillis();
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long proc0 = OS.getProcessCpuTime();
    long wall0 = System.nanoTime();

    loop.updateTime(); // the due times count from now, as the C peer's uv_update_time before each round
    for (int i = 0; i < timers; i++) {
      new Timer(loop).start(i % SPREAD_MS, cb);
    }
    long scheduled = THREADS.getCurrentThreadCpuTime() - cpu0;
    long peak = Uv.liveHandles();
    loop.run();

    long wall = System.nanoTime() - wall0;
    long proc = OS.getProcessCpuTime() - proc0;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    long gc = gcMillis() - gc0;
    if (fired[0] != timers || peak != timers || Uv.liveHandles() != 0) {
      throw new IllegalStateException("uv4j: fired " + fired[0] + ", handles at peak " + peak
          + ", left " + Uv.liveHandles());
    }
    return new Round(scheduled, cpu, proc, wall, gc);
  }

  /** A one-thread ScheduledThreadPoolExecutor; this thread schedules, then waits for the last. */
  static Round runStpe(int timers) throws Exception {
    long[] worker = {-1};
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "stpe-worker");
      worker[0] = t.getId();
      return t;
    });
    pool.prestartAllCoreThreads(); // thread start-up is not what is measured
    settle();
    CountDownLatch done = new CountDownLatch(1);
    int[] fired = {0}; // only the pool thread writes it; the latch publishes it
    Runnable task = () -> {
      if (++fired[0] == timers) {
        done.countDown();
      }
    };
    long gc0 = gcMillis();
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long wcpu0 = THREADS.getThreadCpuTime(worker[0]);
    long proc0 = OS.getProcessCpuTime();
    long wall0 = System.nanoTime();

    for (int i = 0; i < timers; i++) {
      pool.schedule(task, i % SPREAD_MS, TimeUnit.MILLISECONDS);
    }
    long scheduled = THREADS.getCurrentThreadCpuTime() - cpu0;
    done.await();

    long wall = System.nanoTime() - wall0;
    long proc = OS.getProcessCpuTime() - proc0;
    long wcpu = THREADS.getThreadCpuTime(worker[0]) - wcpu0;
    long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    long gc = gcMillis() - gc0;
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS) || fired[0] != timers) {
      throw new IllegalStateException("STPE: fired " + fired[0]);
    }
    return new Round(scheduled, cpu + wcpu, proc, wall, gc);
  }

  /** Leaves the previous round's garbage out of this one, as far as the JVM lets us. */
  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(200);
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static void record(List<Round> into, String name, Round r, boolean warm) {
    System.out.printf(Locale.ROOT,
        "%s %s: scheduling CPU %7.1f ms, threads CPU %7.1f ms, process CPU %7.1f ms, wall %7.1f ms, GC %4d ms%n",
        warm ? "warm-up" : "round  ", name, ms(r.scheduleCpu()), ms(r.threadsCpu()), ms(r.processCpu()),
        ms(r.wall()), r.gcMillis());
    if (into != null) {
      into.add(r);
    }
  }

  private static void summary(String name, List<Round> rs) {
    if (rs.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "%-6s %-22s %-22s %-22s %-22s %s%n", name,
        range(rs, Round::scheduleCpu), range(rs, Round::threadsCpu), range(rs, Round::processCpu),
        range(rs, Round::wall),
        String.format(Locale.ROOT, "%.0f", median(rs, Round::gcMillis)));
  }

  private static String range(List<Round> rs, java.util.function.ToLongFunction<Round> f) {
    long[] v = rs.stream().mapToLong(f).sorted().toArray();
    return String.format(Locale.ROOT, "%.0f (%.0f..%.0f)", ms(median(rs, f)), ms(v[0]), ms(v[v.length - 1]));
  }

  private static double median(List<Round> rs, java.util.function.ToLongFunction<Round> f) {
    long[] v = rs.stream().mapToLong(f).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  private static double ms(double nanos) {
    return nanos / 1e6;
  }
}
