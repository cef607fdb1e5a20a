package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Uv;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Pbkdf2BatchesTest {
  @Test
  void eightJobsShareThePoolAndAllAgree() throws Exception {
    Output o = new Output();
    Pbkdf2Batches.Result r = Pbkdf2Batches.run(null, o.out);
    int size = Uv.threadPoolSize();
    assertEquals(8, r.hashes().size(), o.text());
    assertEquals(1, r.hashes().stream().distinct().count(), "same input, same key: " + r.hashes());
    assertEquals(java.util.HexFormat.of().formatHex(Pbkdf2Batches.pbkdf2("secret", "salt")), r.hashes().get(0));
    // Never more jobs at once than pool threads, so (pigeonhole) at least 8/size batches.
    assertTrue(r.maxConcurrent() <= size, o.text());
    assertTrue(r.threadsUsed() <= size, o.text());
    assertTrue(r.batches() >= (8 + size - 1) / size, o.text());
    Output.assertNothingLeaked();
  }

  /** The pool can be sized only before its first use: a fresh JVM per size. */
  @Test
  void withAPoolOfTwoTheyRunTwoAtATime() throws Exception {
    String out = runExample("pbkdf2-batches", "2");
    assertTrue(out.contains("libuv thread pool: 2 threads; 8 pbkdf2 jobs"), out);
    Matcher m = Pattern.compile("at most (\\d+) jobs ran at once on (\\d+) pool threads: 8 jobs in (\\d+) batch")
        .matcher(out);
    assertTrue(m.find(), out);
    assertTrue(Integer.parseInt(m.group(1)) <= 2, out);
    assertTrue(Integer.parseInt(m.group(2)) <= 2, out);
    assertTrue(Integer.parseInt(m.group(3)) >= 4, out);
    assertEquals(8, out.lines().filter(l -> l.startsWith("job ")).count(), out);
  }

  /** Runs {@code Main name args} in a child JVM on this test's class path; returns its output. */
  static String runExample(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.uv4j.examples.Main");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("example did not finish: " + cmd);
    }
    String out = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
