package io.uv4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Errno;
import io.uv4j.LeakCheck;
import io.uv4j.Loop;
import io.uv4j.UvException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.BufferOverflowException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fuzzer's own checks: the classifier of exceptions, and the runner seeing each kind of
 * failure in a child JVM (a child that hangs, aborts, throws undocumented, leaks, breaks an
 * invariant on purpose through {@code -Dfuzz.selftest}). Without these a fuzzer that sees nothing
 * would look like a library without bugs.
 */
@ExtendWith(LeakCheck.class)
class FuzzRunnerTest {

  @Test
  void documentedExceptionsOfTheApiAreAcceptedOthersAreNot() throws Exception {
    Loop loop = Loop.create();
    loop.close();
    IllegalStateException closed = null;
    try {
      loop.run();
    } catch (IllegalStateException e) {
      closed = e;
    }
    assertNotNull(closed);
    assertNull(Documented.verdict(closed), "ISE from run() on a closed loop is documented");
    RejectedExecutionException rejected = null;
    try {
      loop.execute(() -> { });
    } catch (RejectedExecutionException e) {
      rejected = e;
    }
    assertNotNull(rejected);
    assertNull(Documented.verdict(rejected));
    assertNull(Documented.verdict(new Documented.FuzzException("x")), "the fuzzer's own throw");
    assertNull(Documented.verdict(new RuntimeException("a callback threw", new Documented.FuzzChecked("x"))));
    // Made here, these have no frame of the library above the fuzzer's: the fuzzer's own bugs.
    assertEquals("fuzzer", Documented.verdict(new BufferOverflowException()));
    // A type outside the documented set, raised in the library: undocumented.
    BufferOverflowException inLibrary = withLibraryFrame(new BufferOverflowException());
    assertTrue(Documented.verdict(inLibrary).contains("not documented"), Documented.verdict(inLibrary));
    UncheckedIOException notUv = withLibraryFrame(new UncheckedIOException(new java.io.IOException("x")));
    assertTrue(Documented.verdict(notUv) != null, "UncheckedIOException must wrap a UvException");
    assertNull(Documented.verdict(withLibraryFrame(new UncheckedIOException(new UvException(Errno.EBADF, "x")))));
    // A documented type raised inside a native upcall and rethrown by run(): undocumented.
    IllegalStateException upcall = new IllegalStateException("x");
    upcall.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.uv4j.Stream", "onRead", "Stream.java", 1),
        new StackTraceElement("io.uv4j.Loop", "nRun", "Loop.java", 2),
        new StackTraceElement("io.uv4j.Loop", "run", "Loop.java", 3),
        new StackTraceElement("io.uv4j.fuzz.ApiFuzzer", "step", "ApiFuzzer.java", 4)});
    assertTrue(Documented.verdict(upcall).contains("upcall"));
  }

  private static <T extends Throwable> T withLibraryFrame(T t) {
    t.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("io.uv4j.Fs", "read", "Fs.java", 1),
        new StackTraceElement("io.uv4j.fuzz.ApiFuzzer", "step", "ApiFuzzer.java", 2)});
    return t;
  }

  @Test
  void theRunnerSeesEachKindOfFailureInTheChild() throws Exception {
    assertFinding("hang", "HANG");
    assertFinding("abort", "CRASH");
    assertFinding("undoc", "UNDOC");
    assertFinding("leak", "LEAK");
    assertFinding("invariant", "INVARIANT");
  }

  private static void assertFinding(String selftest, String kind) throws Exception {
    FuzzRunner.Options o = new FuzzRunner.Options();
    o.seeds = 1;
    o.firstSeed = 1;
    o.ops = 12; // the selftest is operation 10: within the last 30 logged
    o.hangSeconds = 3;
    o.avoid = "all";
    o.jvmArgs = "-Dfuzz.selftest=" + selftest;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    FuzzRunner.Summary s = FuzzRunner.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String report = s.report(o);
    assertTrue(s.classes.keySet().stream().anyMatch(k -> k.startsWith(kind + ":")),
        selftest + " should give a " + kind + " finding:\n" + report);
    assertTrue(report.contains("selftest: " + selftest), "the reproducer shows the last operations:\n" + report);
    FuzzRunner.deleteTree(o.base);
  }
}
