package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tty} in a real pseudo-terminal. The JDK cannot open a pty, so a child JVM runs under
 * util-linux {@code script} (or Python's {@code pty} module where {@code script} is missing),
 * which puts it on a fresh pty whose master this test drives through script's stdin/stdout.
 * Scenario after libuv's test-tty.c (tty, tty_raw, tty_file...): window size, raw mode (a key
 * arrives alone and unechoed), IO mode, reset mode (checked with {@code stty -g}, an independent
 * reader of the terminal's settings), writes through the inherited Stream API.
 */
@ExtendWith(LeakCheck.class)
class TtyTest {
  @TempDir
  Path dir;

  /** Preconditions that need no terminal. */
  @Test
  void tty_file() throws Exception {
    Path f = dir.resolve("file.txt");
    Files.writeString(f, "x");
    int fd = Fs.openSync(f.toString(), Fs.O_RDONLY, 0);
    try (Loop loop = Loop.create()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Tty(loop, fd));
      assertTrue(e.getMessage().contains("not a terminal"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> new Tty(loop, -1));
      // A loop's own descriptor (its epoll fd) is owned: refused before anything else.
      int backend = loop.backendFd();
      IllegalArgumentException owned = assertThrows(IllegalArgumentException.class, () -> new Tty(loop, backend));
      assertTrue(owned.getMessage().contains("belongs to"), owned.getMessage());
      assertThrows(NullPointerException.class, () -> new Tty(null, 0));
      assertEquals(0, loop.run());
    } finally {
      Fs.closeSync(fd);
    }
    if (Uv.guessHandle(0) != Uv.HandleType.TTY) { // surefire's stdin is a pipe
      try (Loop loop = Loop.create()) {
        assertThrows(IllegalArgumentException.class, () -> new Tty(loop, 0));
      }
    }
    // Windows-only state: ENOTSUP here; setting it does nothing.
    Tty.setVtermSupported(true);
    UvException e = assertThrows(UvException.class, Tty::isVtermSupported);
    assertEquals(Errno.ENOTSUP, e.code());
    Tty.resetMode(); // no Tty of this process left NORMAL: nothing to do, no error
  }

  @Test
  void ttyInARealPseudoTerminal() throws Exception {
    List<String> java = ChildScenarios.javaCommand(dir, "-Xcheck:jni");
    java.add(Child.class.getName());
    StringBuilder shell = new StringBuilder("stty cols 123 rows 45 && exec");
    for (String a : java) {
      shell.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    List<String> cmd = new ArrayList<>();
    if (onPath("script")) {
      cmd.addAll(List.of("script", "-qfec", shell.toString(), "/dev/null"));
    } else if (onPath("python3")) {
      cmd.addAll(List.of("python3", "-c", "import pty,sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)",
          "sh", "-c", shell.toString()));
    } else {
      throw new AssertionError("neither util-linux script nor python3 is installed: no way to open a pty");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        byte[] b = new byte[4096];
        for (int n; (n = in.read(b)) > 0; ) {
          synchronized (out) {
            out.write(b, 0, n);
            out.notifyAll();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    OutputStream master = p.getOutputStream();
    try {
      // The child says it is in raw mode; then one key, without a newline.
      waitFor(out, "ready", p);
      master.write('x');
      master.flush();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child never read the key: " + text(out));
    } finally {
      p.destroyForcibly();
      master.close();
    }
    reader.join(10_000);
    String s = text(out);
    assertEquals(0, p.exitValue(), s);
    assertTrue(s.contains("guess=TTY,TTY"), s);
    assertTrue(s.contains("size=123x45"), s);
    assertTrue(s.contains("close of its fd refused, listen refused"), s);
    assertTrue(s.contains("raw differs=true"), s);
    // Raw mode: the key arrived alone (no newline needed) and the terminal did not echo it.
    int ready = s.indexOf("ready");
    int got = s.indexOf("got:x;");
    assertTrue(got > ready, s);
    assertEquals("", s.substring(ready + "ready".length(), s.indexOf("got:", ready)).trim(),
        "the terminal echoed the key: " + s);
    assertTrue(s.contains("io=IO ok"), s);
    assertTrue(s.contains("restored=true"), s);
    assertTrue(s.contains("done leaks=0,0,0,0"), s);
    assertFalse(Files.list(dir).anyMatch(f -> f.getFileName().toString().startsWith("hs_err")));
  }

  private static boolean onPath(String exe) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(d, exe))) {
        return true;
      }
    }
    return false;
  }

  private static void waitFor(ByteArrayOutputStream out, String what, Process p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    synchronized (out) {
      while (!text(out).contains(what)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !p.isAlive() && !text(out).contains(what)) {
          throw new AssertionError("no '" + what + "' from the child: " + text(out));
        }
        out.wait(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(left))));
      }
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** The child, on a pty: fd 0 and 1 are its slave side. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      try (Loop loop = Loop.create()) {
        String guess = Uv.guessHandle(0) + "," + Uv.guessHandle(1);
        Tty in = new Tty(loop, 0);
        Tty out = new Tty(loop, 1);
        out.write(bytes("guess=" + guess + "\n"));
        String owned;
        try {
          Fs.closeSync(in.fileno());
          owned = "not refused";
        } catch (IllegalArgumentException e) {
          owned = "refused";
        }
        String listen;
        try {
          in.listen(1, (s, e) -> { });
          listen = "accepted";
        } catch (IllegalStateException e) {
          listen = "refused";
        }
        out.write(bytes("close of its fd " + owned + ", listen " + listen + "\n"));
        Tty.WindowSize size = out.windowSize();
        out.write(bytes("size=" + size.width() + "x" + size.height() + "\n"));
        String before = stty();
        in.setMode(Tty.Mode.RAW);
        boolean differs = !stty().equals(before);
        out.write(bytes("raw differs=" + differs + "\n"));
        Timer guard = new Timer(loop);
        guard.start(30_000, 0, t -> {
          out.write(bytes("no key within 30 s\n"));
          loop.stop();
        });
        in.readStart(new ReadCallback() {
          @Override
          public void onData(Stream s, java.nio.ByteBuffer data) {
            byte[] key = new byte[data.remaining()];
            data.get(key);
            out.write(bytes("got:" + new String(key, StandardCharsets.UTF_8) + ";\n"));
            try {
              in.setMode(Tty.Mode.IO);
              out.write(bytes("io=" + in.mode() + " ok\n"));
              Tty.resetMode();
              out.write(bytes("restored=" + stty().equals(before) + "\n"));
            } catch (Exception e) {
              out.write(bytes("FAILED " + e + "\n"));
            }
            guard.close();
            in.close();
            out.close();
          }

          @Override
          public void onEnd(Stream s) {
            out.write(bytes("EOF before a key\n"));
          }

          @Override
          public void onError(Stream s, UvException e) {
            out.write(bytes("read error " + e + "\n"));
          }
        });
        out.write(bytes("ready\n"));
        loop.run();
        if (!guard.isClosed()) {
          System.exit(3);
        }
      }
      System.out.println("done leaks=" + Uv.liveLoops() + "," + Uv.liveHandles() + ","
          + Uv.liveRequests() + "," + Uv.liveGlobalRefs());
      System.out.flush();
    }

    private static byte[] bytes(String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The terminal's settings as stty prints them, read from our stdin (the pty). */
    private static String stty() throws IOException, InterruptedException {
      Process p = new ProcessBuilder("stty", "-g").redirectInput(ProcessBuilder.Redirect.INHERIT).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return s;
    }
  }
}
