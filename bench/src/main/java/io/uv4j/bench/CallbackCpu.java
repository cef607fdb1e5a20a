package io.uv4j.bench;

import io.uv4j.Uv;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CallbackBench}'s six cases (uv4j and JNA; idle with 1 and 16 handles; timers), timed
 * by the loop thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}, user + system)
 * instead of wall time: on a machine shared with other jobs, descheduling inflates JMH's wall
 * time by several times and by a different amount per fork, while the CPU a callback costs
 * moves much less. Same state classes and benchmark methods as the JMH benchmark; the cases
 * alternate within each round (the order rotates), after warm-up rounds.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.uv4j.bench.CallbackCpu [rounds] [warm-up
 * rounds] [ms of CPU per sample]}; prints {@code RESULT case=... cpu_ns=<median> min= max=} per
 * case and {@code backend=} ({@link Uv#backend()}). Run it once per JVM/backend to compare.
 */
public final class CallbackCpu {
  private CallbackCpu() {}

  private interface Case {
    /** One invocation; returns the callbacks it made. */
    int run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long sampleNs = (args.length > 2 ? Long.parseLong(args[2]) : 300) * 1_000_000L;
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    CallbackBench bench = new CallbackBench();

    CallbackBench.Uv4jIdle uvIdle1 = new CallbackBench.Uv4jIdle();
    uvIdle1.handles = 1;
    uvIdle1.setUp();
    CallbackBench.Uv4jIdle uvIdle16 = new CallbackBench.Uv4jIdle();
    uvIdle16.handles = 16;
    uvIdle16.setUp();
    CallbackBench.Uv4jTimers uvTimers = new CallbackBench.Uv4jTimers();
    uvTimers.setUp();
    CallbackBench.JnaIdle jnaIdle1 = new CallbackBench.JnaIdle();
    jnaIdle1.handles = 1;
    jnaIdle1.setUp();
    CallbackBench.JnaIdle jnaIdle16 = new CallbackBench.JnaIdle();
    jnaIdle16.handles = 16;
    jnaIdle16.setUp();
    CallbackBench.JnaTimers jnaTimers = new CallbackBench.JnaTimers();
    jnaTimers.setUp();

    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("uv4jIdle/1", () -> bench.uv4jIdle(uvIdle1));
    cases.put("uv4jIdle/16", () -> bench.uv4jIdle(uvIdle16));
    cases.put("uv4jTimers", () -> bench.uv4jTimers(uvTimers));
    cases.put("jnaIdle/1", () -> bench.jnaIdle(jnaIdle1));
    cases.put("jnaIdle/16", () -> bench.jnaIdle(jnaIdle16));
    cases.put("jnaTimers", () -> bench.jnaTimers(jnaTimers));
    List<String> names = new ArrayList<>(cases.keySet());
    Map<String, double[]> samples = new LinkedHashMap<>();
    for (String n : names) {
      samples.put(n, new double[rounds]);
    }
    System.out.println("backend=" + Uv.backend() + " java=" + Runtime.version() + " load="
        + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (int r = -warmups; r < rounds; r++) {
      for (int k = 0; k < names.size(); k++) {
        String n = names.get(Math.floorMod(k + r, names.size()));
        Case c = cases.get(n);
        long calls = 0;
        long t0 = mx.getCurrentThreadCpuTime();
        long t;
        do {
          calls += c.run();
          t = mx.getCurrentThreadCpuTime();
        } while (t - t0 < sampleNs);
        if (r >= 0) {
          samples.get(n)[r] = (double) (t - t0) / calls;
        }
      }
    }
    for (String n : names) {
      double[] v = samples.get(n).clone();
      Arrays.sort(v);
      System.out.printf("RESULT case=%s cpu_ns=%.1f min=%.1f max=%.1f rounds=%d%n", n, v[v.length / 2], v[0],
          v[v.length - 1], v.length);
    }
    System.out.println("load=" + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    uvIdle1.tearDown();
    uvIdle16.tearDown();
    uvTimers.tearDown();
    jnaIdle1.tearDown();
    jnaIdle16.tearDown();
    jnaTimers.tearDown();
  }
}
