package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8: a peer that sends 1 GiB to the echo server and never reads must not grow the server
 * without bound (before backpressure, the echo reached 1.9 GB RSS in 10 s).
 *
 * <p>The server runs in a child JVM, so the resident set measured is its own. The peer writes
 * until 1 GiB is sent or its writes have made no progress for {@link #STALL_MS}: with
 * backpressure the server stops reading, the socket buffers fill and the peer's write blocks,
 * which is the correct outcome. Meanwhile the child's VmRSS is sampled; its maximum must stay
 * under 100 MB, and a second, normal client must still get its echo.
 *
 * <p>The child runs with {@code -Xmx64m}: the queued echo bytes live in native memory (malloc),
 * outside the Java heap, so the flag cannot hide the growth this test is about; it only keeps
 * the JVM from sizing its heap by the machine's RAM, which would make the baseline depend on
 * the machine rather than on the server.
 */
@Timeout(value = 240, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EchoSlowPeerTest {
  static final long GIB = 1L << 30;
  static final long LIMIT = 100L * 1000 * 1000; // 100 MB
  static final long STALL_MS = 3000;

  @Test
  void aPeerThatNeverReadsKeepsTheServerUnder100MbAndOthersAreServed() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "reads VmRSS from /proc (Linux)");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx64m");
    cmd.add("-Xcheck:jni");
    cmd.add("--enable-native-access=ALL-UNNAMED");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("echo-server");
    cmd.add("0");
    Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      Matcher m = Pattern.compile("listening on .*:(\\d+) ").matcher(String.valueOf(line));
      assertTrue(m.find(), "server's first line: " + line);
      int port = Integer.parseInt(m.group(1));
      Thread drainOutput = new Thread(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (IOException ignored) {
          // the child is gone
        }
      });
      drainOutput.setDaemon(true);
      drainOutput.start();

      long baseline = rss(server.pid());
      AtomicLong sent = new AtomicLong();
      try (Socket peer = new Socket("127.0.0.1", port)) {
        Thread writer = new Thread(() -> {
          byte[] chunk = new byte[64 * 1024];
          try {
            OutputStream o = peer.getOutputStream();
            while (sent.get() < GIB) {
              o.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (IOException e) {
            // the socket was closed under a blocked write: the end of the test
          }
        }, "non-reading-peer");
        writer.setDaemon(true);
        writer.start();

        long maxRss = baseline;
        long lastSent = -1;
        long lastProgress = System.nanoTime();
        while (sent.get() < GIB) {
          Thread.sleep(100);
          maxRss = Math.max(maxRss, rss(server.pid()));
          long now = sent.get();
          if (now != lastSent) {
            lastSent = now;
            lastProgress = System.nanoTime();
          } else if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(STALL_MS)) {
            break; // the peer's write is blocked: the server stopped reading
          }
          assertTrue(server.isAlive(), "the server died");
        }
        maxRss = Math.max(maxRss, rss(server.pid()));
        String what = "peer sent " + sent.get() / (1024 * 1024) + " MiB"
            + (sent.get() < GIB ? " then blocked" : "") + "; server RSS baseline "
            + baseline / 1_000_000 + " MB, max " + maxRss / 1_000_000 + " MB";
        System.out.println("EchoSlowPeerTest: " + what);
        assertTrue(maxRss < LIMIT, what);

        // While the first peer is still stuck, a normal client is served.
        try (Socket normal = new Socket("127.0.0.1", port)) {
          normal.setSoTimeout(10_000);
          byte[] ping = "ping".repeat(1000).getBytes(StandardCharsets.US_ASCII);
          normal.getOutputStream().write(ping);
          InputStream in = normal.getInputStream();
          assertArrayEquals(ping, in.readNBytes(ping.length), what);
        }
        assertTrue(rss(server.pid()) < LIMIT, "after the second client");
      }
    } finally {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  /** VmRSS of {@code pid} in bytes. */
  static long rss(long pid) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }
}
