package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The process API of session 21: {@code env}, {@code cwd}/{@code chdir}, {@code kill},
 * {@code argv}/{@code execArgv}/{@code argv0}/{@code execPath}, {@code nextTick} with arguments,
 * {@code emitWarning} with options; Node's errors for bad arguments.
 */
@ExtendWith(LeakCheck.class)
class ProcessApiTest {
  @Test
  void envIsTheLiveNativeEnvironmentWithStringValues() throws Exception {
    NodeTesting.run(node -> {
      ProcessEnv env = NodeProcess.of(node).env();
      assertNull(env.put("UV4J_N9_T", "a"));
      assertEquals("a", Uv.getenv("UV4J_N9_T"));
      assertEquals("a", env.set("UV4J_N9_T", 42));
      assertEquals("42", env.get("UV4J_N9_T"));
      env.put("UV4J_N9_T", null);
      assertEquals("null", env.get("UV4J_N9_T"));
      assertTrue(env.containsKey("UV4J_N9_T"));
      boolean found = false;
      for (Iterator<Map.Entry<String, String>> it = env.entrySet().iterator(); it.hasNext();) {
        Map.Entry<String, String> e = it.next();
        if (e.getKey().equals("UV4J_N9_T")) {
          found = true;
          it.remove();
        }
      }
      assertTrue(found);
      assertNull(Uv.getenv("UV4J_N9_T"));
      assertNull(env.remove("UV4J_N9_T"));
      env.put("UV4J=N9", "x"); // Node ignores names it cannot set
      assertNull(env.get("UV4J=N9"));
      assertNull(env.get(""));
      assertNull(env.get(5));
      assertThrows(NullPointerException.class, () -> env.put(null, "x"));
    });
  }

  @Test
  void chdirChecksLikeUvChdirAndChildrenStartThere() throws Exception {
    String tmp = NodeTesting.tmpdir();
    try {
      Files.createDirectory(Path.of(tmp, "sub"));
      List<String> out = new ArrayList<>();
      NodeTesting.run(node -> {
        NodeProcess p = NodeProcess.of(node);
        String start = p.cwd();
        try {
          NodeError none = assertThrows(NodeError.class, () -> p.chdir(null));
          assertEquals("ERR_INVALID_ARG_TYPE", none.code());
          SystemError empty = assertThrows(SystemError.class, () -> p.chdir(""));
          assertEquals("ENOENT", empty.code());
          assertEquals("ENOENT: no such file or directory, chdir '" + start + "' -> ''", empty.getMessage());
          assertEquals(start, empty.path());
          p.chdir(tmp);
          p.chdir("sub");
          String sub = Path.of(tmp, "sub").toRealPath().toString();
          assertEquals(sub, p.cwd());
          p.chdir("..");
          assertEquals(Path.of(tmp).toRealPath().toString(), p.cwd());
          NodeChildProcess.of(node).execFile("pwd", List.of(), new NodeChildProcess.Options().cwd("sub"),
              (err, stdout, stderr) -> out.add(stdout.trim()));
        } finally {
          p.chdir(start);
        }
      });
      assertEquals(List.of(Path.of(tmp, "sub").toRealPath().toString()), out);
    } finally {
      NodeTesting.removeTree(tmp);
    }
  }

  @Test
  void killTakesNodesNamesAndNumbers() {
    NodeTesting.run(node -> {
      NodeProcess p = NodeProcess.of(node);
      assertTrue(p.kill(p.pid(), 0));
      NodeError big = assertThrows(NodeError.class, () -> p.kill(1L << 40, 0));
      assertEquals("ERR_INVALID_ARG_TYPE", big.code());
      SystemError esrch = assertThrows(SystemError.class, () -> p.kill(2147483647L, (String) null)); // SIGTERM
      assertEquals("kill ESRCH", esrch.getMessage());
      assertEquals("kill", esrch.syscall());
      SystemError neg = assertThrows(SystemError.class, () -> p.kill(p.pid(), -1));
      assertEquals("EINVAL", neg.code());
      NodeError name = assertThrows(NodeError.class, () -> p.kill(p.pid(), "sigterm"));
      assertEquals("ERR_UNKNOWN_SIGNAL", name.code());
      assertEquals("Unknown signal: sigterm", name.getMessage());
    });
  }

  @Test
  void argvDescribesTheJvm() {
    NodeTesting.run(node -> {
      NodeProcess p = NodeProcess.of(node);
      List<String> argv = p.argv();
      assertEquals(p.execPath(), argv.get(0));
      assertTrue(Files.isExecutable(Path.of(p.execPath())), p.execPath());
      assertFalse(p.argv0().isEmpty());
      assertThrows(UnsupportedOperationException.class, () -> argv.add("x"));
      assertThrows(UnsupportedOperationException.class, () -> p.execArgv().add("x"));
    });
  }

  @Test
  void nextTickArgumentsAndWarningOptions() {
    List<String> order = new ArrayList<>();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      NodeTesting.run(node -> {
        node.<String>nextTick(a -> order.add("one " + a), "x");
        node.<String, Integer>nextTick((a, b) -> order.add("two " + a + b), "y", 2);
        node.nextTickWith(args -> order.add("many " + args.length + " " + args[2]), 1, 2, 3);
        assertThrows(NullPointerException.class, () -> node.nextTick((java.util.function.Consumer<Object>) null, 1));
        NodeError none = assertThrows(NodeError.class, () -> node.emitWarning((String) null));
        assertEquals("ERR_INVALID_ARG_TYPE", none.code());
        assertThrows(NullPointerException.class, () -> node.emitWarning("m", (NodeWarning.Options) null));
        node.onWarning(w -> order.add("warning " + w.name() + " " + w.code() + " " + w.detail()));
        node.onWarning(w -> System.err.println("listener saw " + w.getMessage()));
        node.emitWarning("careful", new NodeWarning.Options(null, "N9", "the detail"));
        node.emitWarning("legacy", null, null);
      });
    } finally {
      System.setErr(saved);
    }
    assertEquals(List.of("one x", "two y2", "many 3 3", "warning Warning N9 the detail", "warning Warning null null"),
        order);
    String printed = err.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("[N9] Warning: careful\nthe detail\n"), printed);
    assertTrue(printed.indexOf("Warning: careful") < printed.indexOf("listener saw careful"),
        "printed before the listeners, as Node's first listener prints: " + printed);
  }

  @Test
  void chdirIsRefusedInWorkersAsInNode() throws Exception {
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    NodeTesting.run(node -> {
      String mainCwd = NodeProcess.of(node).cwd();
      Worker w = new Worker(node, wnode -> {
        NodeProcess p = NodeProcess.of(wnode);
        try {
          p.chdir("/");
        } catch (NodeError e) {
          seen.add(e.code() + " " + e.getMessage());
        }
        seen.add("cwd still " + p.cwd().equals(mainCwd)); // the process-wide directory, unchanged
      });
      w.on("exit", a -> seen.add("exit " + a[0]));
    });
    assertEquals(List.of("ERR_WORKER_UNSUPPORTED_OPERATION process.chdir() is not supported in workers", "cwd still true",
        "exit 0"), seen);
  }
}
