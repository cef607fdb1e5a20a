package io.uv4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Node-layer fuzzer ({@link NodeApiFuzzer}) in CI: a smoke run of fixed seeds, each in a
 * child JVM with -Xcheck:jni (see {@link FuzzRunner}). It fails on any crash, hang, undocumented
 * exception (from a call or reaching 'uncaughtException'), leak, JNI warning or broken
 * invariant, and the message lists each failure class with its reproducer.
 *
 * <p>The long form is the same test with system properties:
 * {@code mvn -B -pl java-api test -Dtest=NodeFuzzTest -Dfuzz.seeds=16 -Dfuzz.ops=20000}
 * ({@code fuzz.firstSeed}, {@code fuzz.parallel}, {@code fuzz.hangSeconds}, {@code fuzz.exclude},
 * {@code fuzz.jvmArgs} and {@code fuzz.keep} too).
 */
@ExtendWith(LeakCheck.class)
class NodeFuzzTest {
  /**
   * Smoke seeds: 3 ends with process.exit() while everything is live, the others close everything
   * and drain; 3 and 8 have an 'unhandledRejection' listener, the others let rejections reach
   * 'uncaughtException'.
   */
  static final long[] SMOKE_SEEDS = {1, 2, 3, 4, 5, 6, 7, 8};
  /** Operations per smoke seed: about a minute in all on this 2-core machine. */
  static final int SMOKE_OPS = 30_000;

  @Test
  @Timeout(value = 12, unit = TimeUnit.HOURS) // the long form; each child has its own hang watch
  void randomNodeCallSequencesNeitherCrashNorHangNorThrowUndocumentedNorLeak() throws Exception {
    FuzzRunner.Options o = new FuzzRunner.Options();
    o.mainClass = NodeApiFuzzer.class.getName();
    o.testName = "NodeFuzzTest";
    String seeds = System.getProperty("fuzz.seeds");
    if (seeds != null && !seeds.isEmpty()) {
      o.seeds = Integer.parseInt(seeds);
      o.firstSeed = Long.getLong("fuzz.firstSeed", 1);
      o.ops = Integer.getInteger("fuzz.ops", 20_000);
    } else {
      o.seedList = SMOKE_SEEDS;
      boolean asan = String.valueOf(System.getenv("LD_PRELOAD")).contains("asan");
      o.ops = Integer.getInteger("fuzz.ops", asan ? SMOKE_OPS / 3 : SMOKE_OPS);
    }
    o.parallel = Integer.getInteger("fuzz.parallel", 2);
    o.hangSeconds = Integer.getInteger("fuzz.hangSeconds", 30);
    o.exclude = System.getProperty("fuzz.exclude", "");
    o.jvmArgs = System.getProperty("fuzz.jvmArgs", "");
    o.keep = Boolean.getBoolean("fuzz.keep");
    FuzzRunner.Summary s = FuzzRunner.run(o, System.out);
    String report = s.report(o);
    System.out.println(report);
    assertTrue(s.clean(), "Node fuzzer findings (each class once, with its first reproducer):\n" + report);
  }
}
