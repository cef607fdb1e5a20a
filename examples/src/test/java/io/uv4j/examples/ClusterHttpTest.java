package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.node.NodeCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ClusterHttpTest {
  private static final Pattern BODY = Pattern.compile("hello from loop (\\d+)");

  @Test
  void everyRequestIsAnsweredOnKeptAliveConnectionsByTheLoopThatAcceptedThem() throws Exception {
    Output o = new Output();
    NodeCluster cluster = ClusterHttp.start(2, 0, o.out);
    int connections = 64;
    int requestsEach = 3;
    Set<String> loops = new TreeSet<>();
    try {
      for (int c = 0; c < connections; c++) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.port())) {
          s.setSoTimeout(30_000);
          OutputStream w = s.getOutputStream();
          BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          String servedBy = null;
          for (int i = 0; i < requestsEach; i++) {
            boolean last = i == requestsEach - 1;
            w.write(("GET / HTTP/1.1\r\nHost: localhost\r\n" + (last ? "Connection: close\r\n" : "")
                + "\r\n").getBytes(StandardCharsets.US_ASCII));
            w.flush();
            assertEquals("HTTP/1.1 200 OK", r.readLine());
            int length = -1;
            String line;
            while (!(line = r.readLine()).isEmpty()) {
              if (line.startsWith("Content-Length: ")) {
                length = Integer.parseInt(line.substring(16));
              }
            }
            char[] body = new char[length];
            assertEquals(length, r.read(body, 0, length)); // small: arrives in one piece
            Matcher m = BODY.matcher(new String(body));
            assertTrue(m.find(), new String(body));
            if (servedBy != null) {
              assertEquals(servedBy, m.group(1), "one connection stays on one loop");
            }
            servedBy = m.group(1);
          }
          assertEquals(null, r.readLine(), "closed after Connection: close");
          loops.add(servedBy);
        }
      }
    } finally {
      cluster.stop();
    }
    long[] perLoop = cluster.connectionsPerLoop();
    assertEquals(connections, perLoop[0] + perLoop[1]);
    String text = o.text();
    assertEquals(connections, text.lines().filter(l -> l.matches("loop [01] \\(uv4j-cluster-[01]\\) accepted .*")).count(), text);
    // Each connection lands on a loop by a hash of its address and port: with 64 connections
    // the chance that one of the two loops got none is about 2^-63, so both must show up.
    assertEquals(Set.of("0", "1"), loops, text);
    Output.assertNothingLeaked();
  }

  @Test
  void manyPipelinedRequestsFromAClientThatReadsLateAreAllAnswered() throws Exception {
    // The answers go over the high-water mark while the client does not read: the connection
    // stops reading, then answers the rest on drain. Every request must still be answered once.
    Output o = new Output();
    NodeCluster cluster = ClusterHttp.start(1, 0, o.out);
    int n = 200_000; // 5.4 MB of requests, 20 MB of answers: more than the socket buffers hold
    byte[] one = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.port())) {
      Thread writer = new Thread(() -> {
        try {
          OutputStream w = s.getOutputStream();
          for (int i = 0; i < n; i++) {
            w.write(one);
          }
        } catch (java.io.IOException e) {
          // the socket closed: the reader below reports the missing answers
        }
      }, "pipelining-client");
      writer.start();
      writer.join(2000); // done, or blocked because the server stopped reading
      s.setSoTimeout(30_000);
      java.io.InputStream in = s.getInputStream();
      byte[] hello = "hello from loop 0\n".getBytes(StandardCharsets.US_ASCII);
      byte[] buf = new byte[65536];
      int answers = 0;
      int matched = 0;
      while (answers < n) {
        int r = in.read(buf);
        assertTrue(r > 0, "EOF after " + answers + " answers");
        for (int i = 0; i < r; i++) {
          matched = buf[i] == hello[matched] ? matched + 1 : (buf[i] == hello[0] ? 1 : 0);
          if (matched == hello.length) {
            answers++;
            matched = 0;
          }
        }
      }
      writer.join();
      assertEquals(n, answers);
    } finally {
      cluster.stop();
    }
    Output.assertNothingLeaked();
  }

  /** One HTTP request on a new connection: the body, e.g. "hello from worker 2 (pid 1234)". */
  private static String get(int port) throws java.io.IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      String status = r.readLine();
      if (!"HTTP/1.1 200 OK".equals(status)) {
        return "status " + status;
      }
      String line;
      while ((line = r.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      return r.readLine();
    }
  }

  private static final Pattern WORKER = Pattern.compile("hello from worker \\d+ \\(pid (\\d+)\\)");

  private static long pidIn(String body) {
    Matcher m = WORKER.matcher(String.valueOf(body));
    assertTrue(m.matches(), body);
    return Long.parseLong(m.group(1));
  }

  @Test
  void processesServeOnePortAndAKilledWorkerIsReplacedWithNoConnectionRefused() throws Exception {
    Output o = new Output();
    ClusterHttp.Processes p = ClusterHttp.startProcesses(2, 0, io.uv4j.node.ProcessCluster.SCHED_RR, o.out);
    try {
      int port = p.port.get(120, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(p.awaitListening(2, 120), o::text);
      List<Long> workers = p.workerPids();
      Set<Long> served = new TreeSet<>();
      for (int i = 0; i < 10; i++) {
        served.add(pidIn(get(port)));
      }
      assertEquals(new TreeSet<>(workers), served, "round robin: every worker answers");

      // A crash: SIGKILL from outside. The primary keeps the listening socket: every connection
      // made while the worker is gone and its replacement starts is answered.
      long victim = workers.get(0);
      ProcessHandle.of(victim).orElseThrow().destroyForcibly();
      int during = 0;
      while (p.listening.get() < 3) {
        long pid = pidIn(get(port)); // a refused or unanswered connection fails here
        assertTrue(pid != victim || during == 0, "the killed worker answered after its death: " + pid);
        during++;
        if (during > 100_000) {
          throw new AssertionError("no replacement: " + o.text());
        }
      }
      List<Long> now = p.workerPids();
      assertEquals(2, now.size(), now.toString());
      assertTrue(!now.contains(victim), now + " " + victim);
      Set<Long> after = new TreeSet<>();
      for (int i = 0; i < 10; i++) {
        after.add(pidIn(get(port)));
      }
      assertEquals(new TreeSet<>(now), after, "the replacement serves too");
      assertTrue(o.text().contains("signal SIGKILL"), o.text());
      assertTrue(o.text().contains("starting a replacement"), o.text());
    } finally {
      p.stop();
      for (long pid : p.everyPid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    assertEquals(null, p.failure);
    Output.assertNothingLeaked();
  }
}
