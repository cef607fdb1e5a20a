package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REPL in line mode (input from a stream): each step writes a line and waits for the output
 * it must produce (no sleeps). Timers keep firing between inputs; snippets run on the loop
 * thread. The terminal side (raw mode, Tab, history, Ctrl-C) is {@link ReplPtyTest}.
 */
@ExtendWith(LeakCheck.class)
class ReplTest {
  /** Output that can be waited on. */
  static final class Output extends OutputStream {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      buf.write(b);
      notifyAll();
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      buf.write(b, off, len);
      notifyAll();
    }

    synchronized String text() {
      return buf.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the output from {@code from} on contains {@code s}; returns its end. */
    synchronized int await(String s, int from) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        String t = text();
        int i = t.indexOf(s, from);
        if (i >= 0) {
          return i + s.length();
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no '" + s + "' in:\n" + t.substring(Math.min(from, t.length())));
        }
        wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  @Test
  void evaluatesOnTheLoopWhileTimersRun(@TempDir Path dir) throws Exception {
    Path saved = dir.resolve("session.jsh");
    Path script = dir.resolve("load.jsh");
    Files.writeString(script, "int loaded = 6 * 7;\nloaded\n");
    PipedOutputStream toRepl = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(toRepl, 65536);
    Output out = new Output();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    Throwable[] failure = new Throwable[1];
    int[] exit = {-1};
    Thread loop = new Thread(() -> {
      try {
        exit[0] = NodeRuntime.run(node -> Repl.start(node, in, ps).onExit(() -> ps.println("[exit]")));
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "repl-loop");
    loop.start();
    PrintStream keys = new PrintStream(toRepl, true, StandardCharsets.UTF_8);
    try {
      int at = out.await("> ", 0);
      String[][] steps = {
          {"1 + 2", "3\n> "},
          {"\"text\"", "'text'\n> "},
          {"int x = 40;", "undefined\n> "},
          {"x + 2", "42\n> "},
          {"_ * 2", "84\n> "},
          {"String q = \"_\"; q", "undefined\n'_'\n> "},
          {"Thread.currentThread().getName()", "'repl-loop'\n> "},
          {"int add(int a,", "... "},
          {"    int b) { return a + b; }", "undefined\n> "},
          {"add(x, 1)", "41\n> "},
          {"foo(", "... "},
          {".break", "> "},
          {"undefinedThing + 1", "error: cannot find symbol"},
          {"throw new IllegalStateException(\"boom\")", "Uncaught java.lang.IllegalStateException: boom\n> "},
          {"var t = setInterval(() -> io.uv4j.node.ReplHook.TICKS.countDown(), 1);", "undefined\n> "},
      };
      for (String[] s : steps) {
        keys.println(s[0]);
        at = out.await(s[1], at);
      }
      // no input now: the interval must keep firing on the loop
      assertTrue(ReplHook.TICKS.await(60, TimeUnit.SECONDS), "the interval fired while the REPL waited for input");
      String[][] more = {
          {"clearInterval(t)", "undefined\n> "},
          {"setTimeout(() -> { throw new RuntimeException(\"later\"); }, 1);", "Uncaught java.lang.RuntimeException: later"},
          {"nextTick(() -> log(\"tick\")); Promise.resolve(node, 5).then(v -> v + 1)", "> "},
          {".save " + saved, "Session saved to: " + saved + "\n> "},
          {".load " + script, "undefined\n42\n> "},
          {".nope", "Invalid REPL keyword\n> "},
          {".help", ".editor   Enter editor mode"},
          {".clear", "Clearing context...\n> "},
          {"x", "error: cannot find symbol"},
          {".exit", "[exit]"},
      };
      for (String[] s : more) {
        keys.println(s[0]);
        at = out.await(s[1], at);
      }
      loop.join(TimeUnit.SECONDS.toMillis(60));
      assertTrue(!loop.isAlive(), "the runtime ended after .exit");
      if (failure[0] != null) {
        throw new AssertionError(failure[0]);
      }
      assertEquals(0, exit[0]);
      String session = Files.readString(saved);
      assertTrue(session.startsWith("1 + 2\n\"text\"\nint x = 40;\nx + 2\n_ * 2\n"), session);
    } finally {
      keys.close();
      loop.join(TimeUnit.SECONDS.toMillis(60));
    }
  }

  @Test
  void endOfInputClosesTheRepl() throws Exception {
    Output out = new Output();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = NodeRuntime.run(node -> Repl.start(node,
        new java.io.ByteArrayInputStream("2 * 21\n".getBytes(StandardCharsets.UTF_8)), ps));
    assertEquals(0, code);
    assertEquals("> 42\n> \n", out.text());
  }

  @Test
  void underscoreIsRewrittenOutsideLiteralsOnly() throws Exception {
    assertEquals("$3 + \"_\" + '_' /* _ */ // _\n+ a_b + _x", rewrite("$3", "_ + \"_\" + '_' /* _ */ // _\n+ a_b + _x"));
    assertEquals("\"\"\"\n_\n\"\"\" + $1", rewrite("$1", "\"\"\"\n_\n\"\"\" + _"));
  }

  private static String rewrite(String last, String src) throws io.uv4j.UvException {
    String[] r = new String[1];
    NodeRuntime.run(node -> {
      Repl repl = Repl.start(node, new java.io.ByteArrayInputStream(new byte[0]),
          new PrintStream(OutputStream.nullOutputStream()));
      r[0] = repl.rewriteForTest(last, src);
    });
    return r[0];
  }
}
