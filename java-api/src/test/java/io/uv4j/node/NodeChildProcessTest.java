package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * child_process beyond the differential scenarios: stdio 'inherit', detached sessions, IPC with
 * messages larger than a pipe buffer, a killed forked JVM, misuse, and the JSON codec. Every
 * child started here is killed in {@link #killLeftovers} if a test failed before it ended.
 */
@ExtendWith(LeakCheck.class)
class NodeChildProcessTest {
  private final List<Integer> pids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    for (int pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Subprocess track(Subprocess s) {
    if (s.pid() != null) {
      pids.add(s.pid());
    }
    return s;
  }

  @Test
  void inheritGivesNoStreamsAndTheChildRuns() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Subprocess c = track(NodeChildProcess.of(node).spawn("true", List.of(),
          new NodeChildProcess.Options().stdio("inherit")));
      events.add("stdio " + c.stdin() + " " + c.stdout() + " " + c.stderr());
      c.on("close", a -> events.add("close " + a[0] + " " + a[1]));
    });
    assertEquals(List.of("stdio null null null", "close 0 null"), events);
  }

  /** The child's session id (field 6 of /proc/PID/stat) and its pid. */
  private String[] sessionOf(boolean detached) {
    String[] out = new String[1];
    NodeTesting.run(node -> {
      Subprocess c = track(NodeChildProcess.of(node).spawn("sh",
          List.of("-c", "read pid comm state ppid pgrp sid rest < /proc/$$/stat; echo \"$sid $$\""),
          new NodeChildProcess.Options().detached(detached)));
      StringBuilder sb = new StringBuilder();
      c.stdout().onData(b -> sb.append(new String(b)));
      c.on("close", a -> out[0] = sb.toString().trim());
    });
    return out[0].split(" ");
  }

  @Test
  void detachedChildLeadsItsOwnSession() {
    String[] d = sessionOf(true);
    assertEquals(d[1], d[0], "detached: session id == pid");
    String[] n = sessionOf(false);
    assertNotEquals(n[1], n[0], "not detached: the parent's session");
  }

  @Test
  void forkEchoesMessagesLargerThanThePipeBuffer() {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 300_000; i++) {
      big.append((char) ('a' + i % 26));
    }
    big.append("\u00e9\u2603\n\"");
    List<Object> got = new ArrayList<>();
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Subprocess c = track(NodeChildProcess.of(node).fork(ForkChildMain.class.getName(),
          List.of("child"), null));
      c.on("message", a -> {
        Map<?, ?> m = (Map<?, ?>) a[0];
        if ("ready".equals(m.get("cmd"))) {
          Map<String, Object> ping = new LinkedHashMap<>();
          ping.put("cmd", "ping");
          ping.put("n", 1);
          ping.put("payload", Arrays.asList(big.toString(), big.length()));
          c.send(ping);
        } else if ("pong".equals(m.get("cmd"))) {
          got.add(m.get("echo"));
          c.disconnect();
        }
      });
      c.on("disconnect", () -> events.add("disconnect"));
      c.on("exit", a -> events.add("exit " + a[0] + " " + a[1]));
    });
    assertEquals(List.of(Arrays.asList(big.toString(), (long) big.length())), got);
    assertEquals("disconnect", events.get(0));
    assertTrue(events.contains("exit 0 null"), events.toString());
  }

  @Test
  void aNodeParentTalksToAJavaChild() throws Exception {
    java.nio.file.Path node = NodeDifferentialTest.findNode();
    org.junit.jupiter.api.Assumptions.assumeTrue(node != null, "node is not installed");
    java.nio.file.Path script = java.nio.file.Paths.get(
        NodeChildProcessTest.class.getResource("/node-interop/fork_parent.js").toURI());
    String javaExe = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(node.toString(), script.toString(), javaExe, System.getProperty("java.class.path"))
        .redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(String.join("\n",
          "node got {\"cmd\":\"ready\",\"args\":[\"from-node\"],\"connected\":true}",
          "node got {\"cmd\":\"pong\",\"n\":2,\"echo\":[\"\u00e9\",{\"a\":null},2.5]}",
          "node got \"bye from child\"",
          "disconnect",
          "exit 0 null", ""), out);
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Test
  void killedForkReportsTheSignalAndCloses() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Subprocess c = track(NodeChildProcess.of(node).fork(ForkChildMain.class.getName(),
          List.of("child"), null));
      c.once("message", a -> events.add("kill " + c.kill("SIGKILL")));
      c.on("exit", a -> events.add("exit " + a[0] + " " + a[1]));
      c.on("close", a -> events.add("close " + a[0] + " " + a[1] + " connected=" + c.connected()));
    });
    assertEquals(List.of("kill true", "exit null SIGKILL", "close null SIGKILL connected=false"), events);
  }

  @Test
  void misuseIsReportedAsNodeDoes() {
    NodeTesting.run(node -> {
      NodeChildProcess cp = NodeChildProcess.of(node);
      assertEquals("ERR_INVALID_ARG_VALUE",
          assertThrows(NodeError.class, () -> cp.spawn("", List.of(), null)).code());
      assertEquals("ERR_UNKNOWN_SIGNAL", assertThrows(NodeError.class,
          () -> cp.spawn("true", List.of(), new NodeChildProcess.Options().killSignal("SIGNOPE"))).code());
      assertEquals("ERR_CHILD_PROCESS_IPC_REQUIRED", assertThrows(NodeError.class,
          () -> cp.fork("x.Y", List.of(), new NodeChildProcess.Options().stdio("pipe"))).code());
      assertEquals("ERR_IPC_ONE_PIPE", assertThrows(NodeError.class,
          () -> cp.spawn("true", List.of(), new NodeChildProcess.Options().stdio("pipe", "pipe", "pipe", "ipc", "ipc"))).code());
      Subprocess c = track(cp.spawn("true", List.of(), null));
      assertThrows(IllegalStateException.class, () -> c.send("no channel"));
      assertEquals("ERR_UNKNOWN_SIGNAL", assertThrows(NodeError.class, () -> c.kill("SIGNOPE")).code());
      assertEquals("ERR_UNKNOWN_SIGNAL", assertThrows(NodeError.class, () -> c.kill(-1)).code());
      assertNull(ParentProcess.of(node), "this JVM was not forked with a channel");
      c.on("close", a -> assertFalse(c.kill(), "kill after exit returns false"));
    });
  }

  @Test
  void jsonWritesWhatJavaScriptWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", Arrays.asList(1, 1.0, 2.5, -0.0, 1e21, 1e-7, 123456789012L, null, true, "x"));
    m.put("s", "q\"\\/\n\r\t\b\f\u0001\u00e9\u2603\ud83d\ude00");
    m.put("o", Map.of());
    String s = Json.stringify(m);
    assertEquals("{\"a\":[1,1,2.5,0,1e+21,1e-7,123456789012,null,true,\"x\"],"
        + "\"s\":\"q\\\"\\\\/\\n\\r\\t\\b\\f\\u0001\u00e9\u2603\ud83d\ude00\",\"o\":{}}", s);
    Object back = Json.parse(s);
    assertEquals(Arrays.asList(1L, 1L, 2.5, 0L, 1e21, 1e-7, 123456789012L, null, true, "x"),
        ((Map<?, ?>) back).get("a"));
    assertEquals(m.get("s"), ((Map<?, ?>) back).get("s"));
    assertEquals("\u00e9/", Json.parse("\"\\u00e9\\/\""));
    for (String bad : List.of("", "{", "[1,]", "01", "\"\\x\"", "tru", "1 2", "{\"a\" 1}", "\"\u0001\"")) {
      assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> Json.stringify(new Object()));
    assertThrows(IllegalArgumentException.class, () -> Json.stringify(Map.of(1, 2)));
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThrows(IllegalArgumentException.class, () -> Json.stringify(cycle));
  }
}
