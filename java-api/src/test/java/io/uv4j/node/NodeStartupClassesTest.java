package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Start-up loads only what a program uses (issue 12, start-up item): a child JVM runs a
 * timers-only program with {@code -Xlog:class+load} and none of the module classes (net, fs,
 * dns, crypto, child_process, dgram, worker, streams, the REPL and jshell, the cluster) may have
 * been loaded; a second child that touches fs shows the log does see them. What is measured
 * here is which classes load, never how long it takes.
 */
class NodeStartupClassesTest {
  static final List<String> MODULES = List.of("io.uv4j.node.Repl", "io.uv4j.node.Net", "io.uv4j.node.NetSocket",
      "io.uv4j.node.NodeFs", "io.uv4j.node.FsFiles", "io.uv4j.node.NodeDns", "io.uv4j.node.Crypto",
      "io.uv4j.node.NodeChildProcess", "io.uv4j.node.NodeDgram", "io.uv4j.node.Worker", "io.uv4j.node.NodeStream",
      "io.uv4j.node.ReadableSide", "io.uv4j.node.ProcessCluster", "io.uv4j.node.NodeCluster", "io.uv4j.node.Json",
      "io.uv4j.node.StringDecoder", "jdk.jshell.JShell");

  /** The child: a timers-only program, or one that also opens the fs module. */
  public static void main(String[] args) throws Exception {
    boolean fs = args.length > 0 && args[0].equals("fs");
    int code = NodeRuntime.run(node -> {
      node.setTimeout(() -> System.out.println("timeout"), 1);
      node.setImmediate(() -> System.out.println("immediate"));
      node.nextTick(() -> System.out.println("tick"));
      Promise.resolve(node, 1).thenRun(() -> System.out.println("promise"));
      if (fs) {
        NodeFs.of(node);
      }
    });
    System.exit(code);
  }

  @Test
  void aTimersOnlyProgramLoadsNoModule() throws Exception {
    List<String> loaded = childLoads("timers");
    assertTrue(loaded.contains("io.uv4j.node.Timers"), "the class-load log works");
    List<String> modules = loaded.stream().filter(MODULES::contains).collect(Collectors.toList());
    assertEquals(List.of(), modules, "module classes loaded by a timers-only program");
  }

  @Test
  void touchingFsLoadsIt() throws Exception {
    assertTrue(childLoads("fs").contains("io.uv4j.node.NodeFs"));
  }

  private static List<String> childLoads(String mode) throws IOException, InterruptedException {
    Path log = Files.createTempFile("uv4j-startup-classes", ".log");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("--enable-native-access=ALL-UNNAMED"); // JDK 24+ would print a warning into the output
      cmd.add("-Xlog:class+load=info:file=" + log);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(NodeStartupClassesTest.class.getName());
      cmd.add(mode);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("child JVM did not exit: " + out);
      }
      assertEquals(0, p.exitValue(), out);
      // (whether the 1 ms timeout or the immediate comes first depends on the clock, as in Node)
      List<String> printed = new ArrayList<>(List.of(out.trim().split("\\s*\\n")));
      printed.sort(null);
      assertEquals(List.of("immediate", "promise", "tick", "timeout"), printed, out);
      List<String> classes = new ArrayList<>();
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        // "[info][class,load] io.uv4j.node.Timers source: ..."
        int at = line.indexOf("] ");
        if (at >= 0) {
          String rest = line.substring(line.lastIndexOf("] ") + 2);
          int sp = rest.indexOf(' ');
          classes.add(sp < 0 ? rest : rest.substring(0, sp));
        }
      }
      return classes;
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(Paths.get(log + ".0")); // the JVM moved our empty file aside to log there
    }
  }
}
