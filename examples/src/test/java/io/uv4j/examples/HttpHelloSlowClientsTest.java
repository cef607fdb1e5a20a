package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Stream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** http-hello against slow and hostile clients: header and idle timeouts, bounded pipelining. */
@ExtendWith(NoLeaks.class)
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fail, do not hang
class HttpHelloSlowClientsTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

  private HttpHello server;

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.stop(); // throws if a server callback failed
    }
  }

  private int start(long idleMs, long headerMs) throws Exception {
    server = HttpHello.start(new InetSocketAddress("127.0.0.1", 0), idleMs, headerMs);
    return server.address().getPort();
  }

  /** Everything the server sends until it closes (EOF), or fails after 20 s. */
  private static String readToEnd(Socket s) throws IOException {
    s.setSoTimeout(20_000);
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static String oneRequest(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return readToEnd(s);
    }
  }

  @Test
  void twoHundredSlowHeadersAreDroppedAfterTheTimeoutWhileNormalClientsAreServed() throws Exception {
    long headerMs = 2000;
    int port = start(60_000, headerMs);
    List<Socket> slow = new ArrayList<>();
    try {
      long started = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket("127.0.0.1", port);
        slow.add(s);
        s.getOutputStream().write("GET / HT".getBytes(StandardCharsets.US_ASCII)); // then nothing
      }
      // Meanwhile, normal clients: new connections, and one kept alive.
      for (int i = 0; i < 20; i++) {
        String r = oneRequest(port);
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n") && r.endsWith(HttpHello.HELLO), r);
      }
      try (Socket keep = new Socket("127.0.0.1", port)) {
        keep.setSoTimeout(20_000);
        for (int i = 0; i < 20; i++) {
          keep.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
          assertTrue(readResponse(keep.getInputStream()).startsWith("HTTP/1.1 200 OK"));
        }
      }
      for (Socket s : slow) {
        String r = readToEnd(s); // the server closes: EOF
        assertTrue(r.startsWith("HTTP/1.1 408 Request Timeout\r\n"), r);
        assertTrue(r.contains("\r\nConnection: close\r\n"), r);
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      // Not before the timeout (half of it, for clock slack): the partial heads were waited for.
      assertTrue(elapsedMs >= headerMs / 2, "dropped after " + elapsedMs + " ms");
      assertEquals(200, server.timedOut());
      // And the server still serves.
      assertTrue(oneRequest(port).startsWith("HTTP/1.1 200 OK"));
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  @Test
  void aHeadTricklingInIsNotExtendedByEachByte() throws Exception {
    int port = start(60_000, 1000);
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      byte[] head = GET.getBytes(StandardCharsets.US_ASCII);
      long started = System.nanoTime();
      IOException e = assertThrows(IOException.class, () -> {
        for (byte b : head) { // 300 ms a byte: the head would take 9 s
          out.write(b);
          Thread.sleep(300);
        }
      }, "the server closed the connection while the head trickled in");
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(elapsedMs < 9000, elapsedMs + " ms: " + e);
    }
    assertEquals(1, server.timedOut());
  }

  @Test
  void idleConnectionsAreClosedWithoutAnAnswer() throws Exception {
    int port = start(500, 60_000);
    try (Socket never = new Socket("127.0.0.1", port);
        Socket kept = new Socket("127.0.0.1", port)) {
      kept.setSoTimeout(20_000);
      kept.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
      assertTrue(readResponse(kept.getInputStream()).startsWith("HTTP/1.1 200 OK"));
      assertEquals("", readToEnd(never), "nothing sent: closed without a word");
      assertEquals("", readToEnd(kept), "idle after its answer: closed");
    }
    assertEquals(2, server.timedOut());
  }

  @Test
  void pipelinedRequestsFromAClientThatDoesNotReadStayUnderTheHighWaterMark() throws Exception {
    int port = start(60_000, 60_000);
    int n = 200_000; // 6 MB of requests, about 28 MB of answers
    byte[] one = GET.getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", port)) {
      AtomicLong sent = new AtomicLong();
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = s.getOutputStream();
          byte[] batch = new byte[one.length * 1000];
          for (int k = 0; k < 1000; k++) {
            System.arraycopy(one, 0, batch, k * one.length, one.length);
          }
          for (int i = 0; i < n / 1000; i++) {
            out.write(batch);
            sent.addAndGet(1000);
          }
        } catch (IOException e) {
          // the test failed elsewhere and closed the socket
        }
      }, "pipelining-client");
      writer.start();
      // Do not read until the writer is done or blocked (the server stopped reading).
      long last = -1;
      long lastProgress = System.nanoTime();
      while (sent.get() < n && System.nanoTime() - lastProgress < TimeUnit.SECONDS.toNanos(2)) {
        Thread.sleep(50);
        if (sent.get() != last) {
          last = sent.get();
          lastProgress = System.nanoTime();
        }
      }
      // Now read every answer: reading lets the server (and so the writer) go on.
      s.setSoTimeout(20_000);
      InputStream in = s.getInputStream();
      byte[] hello = HttpHello.HELLO.getBytes(StandardCharsets.US_ASCII);
      int answers = 0;
      int matched = 0;
      byte[] buf = new byte[64 * 1024];
      while (answers < n) {
        int r = in.read(buf);
        assertTrue(r > 0, "EOF after " + answers + " answers");
        for (int i = 0; i < r; i++) { // counts the bodies; "Hello, World!\n" has no inner repeat
          matched = buf[i] == hello[matched] ? matched + 1 : (buf[i] == hello[0] ? 1 : 0);
          if (matched == hello.length) {
            answers++;
            matched = 0;
          }
        }
      }
      writer.join();
      assertEquals(n, answers);
    }
    long max = server.maxPendingWriteBytes();
    assertTrue(max > 0, "the answers did queue (the client did not read)");
    assertTrue(max <= Stream.DEFAULT_HIGH_WATER_MARK + 1024,
        "at most the mark plus one answer was queued: " + max);
  }

  /** One response with a Content-Length body, read exactly. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("EOF in a response head: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int at = h.toLowerCase().indexOf("content-length: ");
    int len = Integer.parseInt(h.substring(at + 16, h.indexOf("\r\n", at)).trim());
    return h + new String(in.readNBytes(len), StandardCharsets.ISO_8859_1);
  }
}
