package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenarios that could kill the JVM if a regression came back (a libuv assertion, SIGSEGV) run
 * in a child JVM with {@code -Xcheck:jni}: a scenario is a static no-argument method of a test
 * class, whose {@code main} calls {@link #childMain}. The child prints {@code OK <name>} when the
 * scenario returned and every native counter is back to zero.
 */
final class ChildScenarios {
  private ChildScenarios() {}

  private static Path hsErrDir;

  /**
   * Where child JVMs write a crash report (not the working directory): one directory per test
   * JVM, removed when that JVM exits if no child crashed (deleteOnExit removes empty ones only).
   */
  static synchronized Path hsErrDir() throws IOException {
    if (hsErrDir == null) {
      hsErrDir = Files.createTempDirectory("uv4j-hs");
      hsErrDir.toFile().deleteOnExit();
    }
    return hsErrDir;
  }

  /**
   * The command line of a child JVM up to its main class: this JVM's {@code java}, {@code options},
   * a crash report into {@code errorDir}, and this JVM's class path. The caller adds the main
   * class and its arguments.
   */
  static List<String> javaCommand(Path errorDir, String... options) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(options));
    cmd.add("-XX:ErrorFile=" + errorDir.resolve("hs_err_%p.log"));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }

  /** Runs {@code scenario} of {@code testClass} in a child JVM; fails unless it printed OK. */
  static String run(Class<?> testClass, String scenario) throws Exception {
    List<String> cmd = javaCommand(hsErrDir(), "-Xcheck:jni", "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"); // to read a channel's fd
    cmd.add(testClass.getName());
    cmd.add(scenario);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(scenario + ": child JVM hung: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), scenario + " exited with " + p.exitValue() + ":\n" + out);
    assertTrue(out.contains("OK " + scenario), out);
    assertFalse(out.contains("WARNING in native method"), out);
    return out;
  }

  /** The child: runs the static method {@code args[0]} of {@code testClass}, checks the counters. */
  static void childMain(Class<?> testClass, String[] args) throws Throwable {
    String name = args[0];
    Method m = testClass.getDeclaredMethod(name);
    m.setAccessible(true);
    try {
      m.invoke(null);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    long leaks = Uv.liveLoops() + Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs();
    check(leaks == 0, "leaks: loops " + Uv.liveLoops() + " handles " + Uv.liveHandles()
        + " requests " + Uv.liveRequests() + " refs " + Uv.liveGlobalRefs());
    System.out.println("OK " + name);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }
}
