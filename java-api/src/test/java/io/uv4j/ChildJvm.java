package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.spi.ToolProvider;

/**
 * Helpers for the integration tests that start a fresh JVM against the packaged jar: the jar's
 * path, a tiny user program compiled at test time, and running a child JVM.
 */
final class ChildJvm {
  /** What the user program prints when the loop worked. */
  static final String SUCCESS = "uv4j-ok ticks=3 leaks=0,0,0,0";

  /**
   * A user program that runs a repeating Timer three times and prints what it saw; any failure
   * is printed as "FAILED class: message" with exit code 2.
   */
  private static final String PROGRAM = String.join("\n",
      "import io.uv4j.Loop;",
      "import io.uv4j.Timer;",
      "import io.uv4j.Uv;",
      "public class Hello {",
      "  public static void main(String[] args) {",
      "    try {",
      "      int[] ticks = {0};",
      "      try (Loop loop = Loop.create()) {",
      "        new Timer(loop).start(1, 1, t -> { if (++ticks[0] == 3) t.close(); });",
      "        loop.run();",
      "      }",
      "      System.out.println(\"uv4j-ok ticks=\" + ticks[0] + \" leaks=\" + Uv.liveLoops() + \",\"",
      "          + Uv.liveHandles() + \",\" + Uv.liveRequests() + \",\" + Uv.liveGlobalRefs());",
      "      System.out.println(\"module=\" + Loop.class.getModule().getName());",
      "      System.out.println(\"libuv=\" + Uv.versionString());",
      "    } catch (Throwable e) {",
      "      System.out.println(\"FAILED \" + e.getClass().getName() + \": \" + e.getMessage());",
      "      System.exit(2);",
      "    }",
      "  }",
      "}",
      "");

  private ChildJvm() {}

  /** The packaged jar, as failsafe passes it. */
  static Path jar() {
    String jar = System.getProperty("uv4j.jar");
    assertNotNull(jar, "system property uv4j.jar (set by failsafe in java-api/pom.xml)");
    Path p = Paths.get(jar);
    assertTrue(Files.isRegularFile(p), "no jar at " + p + ": run 'mvn verify', not just the test");
    return p;
  }

  /** Compiles the user program against {@code classPath} into {@code dir}; returns dir. */
  static Path compileProgram(Path dir, String classPath) throws IOException {
    Path src = dir.resolve("Hello.java");
    Files.writeString(src, PROGRAM);
    // java.util.spi.ToolProvider (java.base) rather than javax.tools: the tests are compiled as
    // part of module io.uv4j, which does not read java.compiler.
    ToolProvider javac = ToolProvider.findFirst("javac")
        .orElseThrow(() -> new AssertionError("no javac in this runtime: tests need a JDK"));
    StringWriter diagnostics = new StringWriter();
    PrintWriter pw = new PrintWriter(diagnostics);
    int r = javac.run(pw, pw, "-cp", classPath, "-d", dir.toString(), src.toString());
    pw.flush();
    assertEquals(0, r, "compiling the user program failed: " + diagnostics);
    return dir;
  }

  /** Copies the jar's content except the native libraries into {@code dir}. */
  static Path classesWithoutNative(Path dir) throws IOException {
    try (JarFile jf = new JarFile(jar().toFile())) {
      for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.isDirectory() || entry.getName().startsWith("META-INF/native/")) {
          continue;
        }
        Path out = dir.resolve(entry.getName());
        Files.createDirectories(out.getParent());
        try (InputStream in = jf.getInputStream(entry)) {
          Files.copy(in, out);
        }
      }
    }
    return dir;
  }

  /** The jar's native library for this platform, copied into {@code dir}; returns the file. */
  static Path extractNativeLibrary(Path dir) throws IOException {
    String name = "META-INF/native/" + NativeLibrary.platform() + "/" + System.mapLibraryName("uv4j");
    try (JarFile jf = new JarFile(jar().toFile())) {
      JarEntry entry = jf.getJarEntry(name);
      assertNotNull(entry, "the jar has no " + name);
      Path out = dir.resolve(System.mapLibraryName("uv4j"));
      try (InputStream in = jf.getInputStream(entry)) {
        Files.copy(in, out);
      }
      return out;
    }
  }

  static String classPath(Path... entries) {
    List<String> parts = new ArrayList<>();
    for (Path p : entries) {
      parts.add(p.toString());
    }
    return String.join(File.pathSeparator, parts);
  }

  /** The result of a child JVM. */
  static final class Result {
    final int exitCode;
    final String out;
    final String err;

    Result(int exitCode, String out, String err) {
      this.exitCode = exitCode;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  /** Runs {@code java <args>} with the same java binary as this JVM, in {@code workDir}. */
  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.add("-Xcheck:jni");
    cmd.addAll(Arrays.asList(args));
    Path out = workDir.resolve("stdout.txt");
    Path err = workDir.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd)
        .directory(workDir.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("child JVM did not finish in 60 s: " + cmd);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
