package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each scenario exists twice: in JavaScript (src/test/resources/node-scenarios/NAME.js) and in
 * Java (NodeScenarios). The Java twin must print exactly what Node 20 printed (NAME.expected,
 * recorded from Node and checked in); when {@code node} is on this machine the test also runs the
 * JavaScript now and checks Node still prints the recorded lines.
 */
@ExtendWith(LeakCheck.class)
class NodeDifferentialTest {
  /** All scenarios, or those named in -Duv4j.scenarios=a,b (a trailing * matches a prefix). */
  static Stream<String> scenarios() {
    String only = System.getProperty("uv4j.scenarios", "");
    if (only.isEmpty()) {
      return NodeScenarios.ALL.keySet().stream();
    }
    List<String> wanted = Arrays.asList(only.split(","));
    return NodeScenarios.ALL.keySet().stream().filter(n -> wanted.stream().anyMatch(
        w -> w.endsWith("*") ? n.startsWith(w.substring(0, w.length() - 1)) : n.equals(w)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void javaPrintsWhatNodePrints(String name) throws Exception {
    List<String> expected = Files.readAllLines(dir().resolve(name + ".expected"), StandardCharsets.UTF_8);
    List<String> java = runJava(name);
    assertEquals(expected, java, "Java twin of " + name + ".js");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void nodeStillPrintsTheRecordedLines(String name) throws Exception {
    Path node = findNode();
    org.junit.jupiter.api.Assumptions.assumeTrue(node != null,
        "node is not installed: the Java side was checked against the recorded output");
    List<String> expected = Files.readAllLines(dir().resolve(name + ".expected"), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>();
    command.add(node.toString());
    command.addAll(nodeFlags(name));
    command.add(dir().resolve(name + ".js").toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node did not finish " + name);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    List<String> lines = out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    assertEquals(expected, lines, "node " + name + ".js");
  }

  @Test
  void everyScenarioHasBothTwins() throws Exception {
    List<String> js = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir())) {
      files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".js"))
          .forEach(f -> js.add(f.substring(0, f.length() - 3)));
    }
    js.sort(null);
    List<String> java = new ArrayList<>(NodeScenarios.ALL.keySet());
    java.sort(null);
    assertEquals(js, java);
    assertTrue(java.size() >= 60, "at least 60 scenarios");
  }

  /**
   * The flags a scenario runs node with: a first line {@code // node-flags: --a --b=c}. The Java
   * twin runs with the matching {@link RuntimeOptions} ({@link #javaOptions}).
   */
  static List<String> nodeFlags(String name) throws Exception {
    List<String> lines = Files.readAllLines(dir().resolve(name + ".js"), StandardCharsets.UTF_8);
    String prefix = "// node-flags:";
    if (lines.isEmpty() || !lines.get(0).startsWith(prefix)) {
      return List.of();
    }
    return Arrays.asList(lines.get(0).substring(prefix.length()).trim().split("\\s+"));
  }

  /** The runtime options matching a scenario's node flags. */
  static RuntimeOptions javaOptions(String name) throws Exception {
    RuntimeOptions o = RuntimeOptions.defaults().withUnhandledRejections(UnhandledRejections.THROW);
    for (String flag : nodeFlags(name)) {
      if (flag.startsWith("--unhandled-rejections=")) {
        o = o.withUnhandledRejections(UnhandledRejections.of(flag.substring(flag.indexOf('=') + 1)));
      } else {
        throw new IllegalArgumentException("no Java option for node flag " + flag + " of " + name);
      }
    }
    return o;
  }

  private static List<String> runJava(String name) throws Exception {
    List<String> lines = new ArrayList<>();
    NodeScenarios.Scenario s = NodeScenarios.ALL.get(name);
    NodeRuntime.run(javaOptions(name), node -> {
      try {
        s.main(node, lines::add);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    return lines;
  }

  static Path dir() throws URISyntaxException {
    return Paths.get(NodeDifferentialTest.class.getResource("/node-scenarios").toURI());
  }

  static Path findNode() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Paths.get(d, "node");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
