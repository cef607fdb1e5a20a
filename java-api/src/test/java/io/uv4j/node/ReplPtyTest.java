package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The REPL in a real terminal: a child JVM runs {@link ReplPtyMain} inside {@code script}
 * (util-linux), which gives it a pseudo-terminal; the test types keystrokes into it and waits
 * for what the terminal shows. Proves raw-mode line editing (echo, Tab completion, history with
 * the up arrow, Ctrl-U), editor mode ended by Ctrl-D, an interval running under the prompt, the history
 * file, and Ctrl-C twice exiting with status 0. The child is killed in finally.
 */
class ReplPtyTest {
  private static Path script() {
    for (String p : List.of("/usr/bin/script", "/bin/script")) {
      if (Files.isExecutable(Paths.get(p))) {
        return Paths.get(p);
      }
    }
    return null;
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Test
  void editsLinesCompletesAndExitsOnCtrlCTwice() throws Exception {
    Path script = script();
    Assumptions.assumeTrue(script != null, "util-linux script is not installed");
    Path history = Files.createTempFile("uv4j-repl-history", ".txt");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    String cmd = quote(java) + " --enable-native-access=ALL-UNNAMED -cp "
        + quote(System.getProperty("java.class.path")) + " " + ReplPtyMain.class.getName();
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "-qfec", cmd, "/dev/null");
    pb.environment().put("UV4J_REPL_HISTORY", history.toString());
    pb.environment().put("TERM", "xterm");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    ReplTest.Output out = new ReplTest.Output();
    Thread pump = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        in.transferTo(out);
      } catch (java.io.IOException e) {
        // the process ended
      }
    }, "pty-output");
    pump.setDaemon(true);
    pump.start();
    OutputStream keys = p.getOutputStream();
    try {
      int at = out.await("> ", 0);
      at = type(keys, out, "1 + 2\r", "3", at);
      at = type(keys, out, "Strin\t", "String", at);               // Tab completes the common prefix
      at = type(keys, out, " s = \"x\";\r", "undefined", at);
      at = type(keys, out, "\033[A", "String s = \"x\";", at);     // up arrow: the last line again
      at = type(keys, out, "\025", "> ", at);                      // Ctrl-U clears it
      at = type(keys, out, "int[] n = {0}; var t = setInterval(() -> n[0]++, 1);\r", "undefined\r\n", at);
      at = type(keys, out, ".editor\r", "// Entering editor mode", at);
      at = type(keys, out, "int y = 5;\r", "int y = 5;", at);
      at = type(keys, out, "y * 2\r", "y * 2", at);
      at = type(keys, out, "\004", "10", at);                      // Ctrl-D evaluates the editor buffer
      at = type(keys, out, "clearInterval(t)\r", "undefined", at);
      at = type(keys, out, "\003", "(To exit, press Ctrl+C again or Ctrl+D or type .exit)", at);
      keys.write(3);
      keys.flush();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the REPL exited after the second Ctrl-C:\n" + out.text());
      assertEquals(0, p.exitValue(), out.text());
      List<String> saved = Files.readAllLines(history);
      assertTrue(saved.contains("1 + 2") && saved.contains("String s = \"x\";"), saved.toString());
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Files.deleteIfExists(history);
    }
  }

  private static int type(OutputStream keys, ReplTest.Output out, String text, String expect, int from)
      throws Exception {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
    return out.await(expect, from);
  }
}
