package io.uv4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The CPU cost of one bare JNI up-call on this JVM (C calling an empty static Java method,
 * {@code bench/c/jni_floor.c}): the floor under every uv4j callback on the JNI path, against
 * which the "5x cheaper than JNA" target can be checked (bench/README.md, section 10). Prints
 * {@code RESULT case=jniFloor cpu_ns=<median> min= max=}. Run:
 * {@code java -cp bench/target/benchmarks.jar io.uv4j.bench.JniFloor [rounds]} from the
 * repository root ({@code -Djni.floor=<path of libjni_floor.so>} elsewhere).
 */
public final class JniFloor {
  private static final int CALLS = 2_000_000;
  static int sink;

  private JniFloor() {}

  static void empty(int i) {
    sink += i;
  }

  private static native void calls(int n);

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    Path lib = Path.of(System.getProperty("jni.floor", "bench/target/c/libjni_floor.so"));
    if (!Files.exists(lib)) {
      throw new IllegalStateException("no " + lib + ": build the bench module (needs JNI headers)");
    }
    System.load(lib.toAbsolutePath().toString());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] ns = new double[rounds];
    for (int r = -5; r < rounds; r++) { // five warm-up rounds
      long t0 = threads.getCurrentThreadCpuTime();
      calls(CALLS);
      long t = threads.getCurrentThreadCpuTime() - t0;
      if (r >= 0) {
        ns[r] = (double) t / CALLS;
      }
    }
    Arrays.sort(ns);
    System.out.printf(Locale.ROOT, "RESULT case=jniFloor cpu_ns=%.1f min=%.1f max=%.1f jdk=%s%n",
        ns[rounds / 2], ns[0], ns[rounds - 1], Runtime.version());
  }
}
