package io.uv4j.bench;

import io.uv4j.Uv;
import io.uv4j.node.NodeRuntime;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The Node layer ({@link NodeRuntime}) against Node itself, on the same workloads as
 * {@code bench/node/timers.js} and {@code bench/node/chained.js}, printing the same columns:
 *
 * <ul>
 *   <li>{@code timers}: N {@code setTimeout}s, timer i due in (i % 1000) ms, all scheduled then
 *       all fired;
 *   <li>{@code immediate}: N {@code setImmediate}s chained (each callback schedules the next: one
 *       per loop iteration);
 *   <li>{@code nextTick}: N {@code nextTick}s chained (all in one tick-queue drain).
 * </ul>
 *
 * <p>All rounds run back to back in one runtime (one loop), after warm-up rounds, each round
 * starting from a {@code setImmediate} as in the JavaScript. "process CPU" is
 * {@code OperatingSystemMXBean#getProcessCpuTime} (every thread: GC and JIT included), the
 * figure Node's {@code process.cpuUsage()} gives (user + system). Run one mode per JVM:
 * {@code java -cp bench/target/benchmarks.jar io.uv4j.bench.NodeLayerBench timers|immediate|nextTick
 * [rounds] [warmups] [n]}.
 */
public final class NodeLayerBench {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One round, in ms; scheduling is NaN where not measured. */
  record Round(double scheduling, double cpu, double wall) { }

  private NodeLayerBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int n = args.length > 3 ? (int) Double.parseDouble(args[3]) : 1_000_000;
    String what;
    Work work;
    switch (mode) {
      case "timers" -> {
        what = String.format(Locale.ROOT, "%,d setTimeout, timer i due in (i %% 1000) ms", n);
        work = (node, done) -> {
          int[] fired = {0};
          Runnable cb = () -> {
            if (++fired[0] == n) {
              done.run();
            }
          };
          for (int i = 0; i < n; i++) {
            node.setTimeout(cb, i % 1000);
          }
        };
      }
      case "immediate", "nextTick" -> {
        boolean immediate = mode.equals("immediate");
        what = String.format(Locale.ROOT, "%,d chained %s", n, immediate ? "setImmediate" : "nextTick");
        work = (node, done) -> {
          int[] count = {0};
          Runnable[] f = new Runnable[1];
          f[0] = () -> {
            if (++count[0] == n) {
              done.run();
            } else if (immediate) {
              node.setImmediate(f[0]);
            } else {
              node.nextTick(f[0]);
            }
          };
          if (immediate) {
            node.setImmediate(f[0]);
          } else {
            node.nextTick(f[0]);
          }
        };
      }
      default -> {
        System.err.println("usage: NodeLayerBench timers|immediate|nextTick [rounds] [warmups] [n]");
        System.exit(2);
        return;
      }
    }
    System.out.printf(Locale.ROOT, "uv4j Node layer, JDK %s (%s), libuv %s, %d CPUs: %s%n",
        Runtime.version(), System.getProperty("java.vm.name"), Uv.versionString(),
        Runtime.getRuntime().availableProcessors(), what);
    List<Round> results = new ArrayList<>();
    boolean measureScheduling = mode.equals("timers");
    NodeRuntime.run(node -> round(node, 0, rounds, warmups, work, measureScheduling, results));
    summary(results);
  }

  /** Starts a round's work; {@code done} runs when its last callback has run. */
  interface Work {
    void start(NodeRuntime node, Runnable done);
  }

  private static void round(NodeRuntime node, int i, int rounds, int warmups, Work work,
      boolean measureScheduling, List<Round> results) {
    long t0 = System.nanoTime();
    long cpu0 = OS.getProcessCpuTime();
    double[] scheduling = {Double.NaN};
    boolean[] finished = {false};
    work.start(node, () -> {
      finished[0] = true;
      Round r = new Round(scheduling[0], (OS.getProcessCpuTime() - cpu0) / 1e6, (System.nanoTime() - t0) / 1e6);
      boolean warm = i < warmups;
      System.out.printf(Locale.ROOT, "%s %2d: %s%n", warm ? "warm-up" : "round  ", i + 1, line(r));
      if (!warm) {
        results.add(r);
      }
      if (i + 1 < warmups + rounds) {
        node.setImmediate(() -> round(node, i + 1, rounds, warmups, work, measureScheduling, results));
      }
    });
    if (measureScheduling && !finished[0]) {
      scheduling[0] = (OS.getProcessCpuTime() - cpu0) / 1e6;
    }
  }

  private static String line(Round r) {
    return "scheduling CPU " + fmt(r.scheduling()) + " ms, process CPU " + fmt(r.cpu())
        + " ms, wall " + fmt(r.wall()) + " ms";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%6s", Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v));
  }

  private static void summary(List<Round> results) {
    System.out.println("median of " + results.size() + " rounds, ms: scheduling CPU "
        + col(results, Round::scheduling) + ", process CPU " + col(results, Round::cpu)
        + ", wall " + col(results, Round::wall));
  }

  private static String col(List<Round> results, ToDoubleFunction<Round> f) {
    double[] xs = results.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (xs.length == 0) {
      return "-";
    }
    double median = xs.length % 2 == 1 ? xs[xs.length / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
    return String.format(Locale.ROOT, "%.0f (%.0f..%.0f)", median, xs[0], xs[xs.length - 1]);
  }
}
