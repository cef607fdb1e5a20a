package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Volume: many bytes, many connections, several loops sharing a port. */
@ExtendWith(LeakCheck.class)
class TcpLoadTest {
  static final int MIB = 1024 * 1024;

  // ---------------------------------------------------------------- 256 MiB through an echo

  @Test
  void twoHundredFiftySixMibThroughAnEchoServerArriveIntact() throws Exception {
    final long total = 256L * MIB;
    final int chunk = MIB;
    final int buffers = 4;          // writes in flight at most, each with its own buffer
    final long window = 8L * MIB;   // sent but not yet echoed back at most
    MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
    MessageDigest serverDigest = MessageDigest.getInstance("SHA-256");
    MessageDigest echoDigest = MessageDigest.getInstance("SHA-256");
    long[] serverBytes = {0};
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Tcp conn = new Tcp(loop);
        srv.accept(conn);
        srv.close(); // one connection
        conn.readStart(new ReadCallback() {
          @Override
          public void onData(Stream s, ByteBuffer data) {
            serverBytes[0] += data.remaining();
            serverDigest.update(data.duplicate());
            s.write(data); // copied if it cannot go now; the client's window bounds that
          }

          @Override
          public void onEnd(Stream s) {
            s.shutdown((st, err) -> st.close());
          }
        });
      });
      Tcp client = new Tcp(loop);
      ByteBuffer[] bufs = new ByteBuffer[buffers];
      for (int i = 0; i < buffers; i++) {
        bufs[i] = ByteBuffer.allocateDirect(chunk);
      }
      SplittableRandom random = new SplittableRandom(42);
      long[] sent = {0};
      long[] received = {0};
      int[] inFlight = {0};
      int[] chunks = {0};
      long[] maxQueue = {0};
      boolean[] eof = {false};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (inFlight[0] < buffers && sent[0] < total && sent[0] - received[0] < window) {
          ByteBuffer b = bufs[chunks[0]++ % buffers]; // its previous write has completed
          b.clear();
          while (b.hasRemaining()) {
            b.putLong(random.nextLong());
          }
          b.flip();
          sentDigest.update(b.duplicate());
          inFlight[0]++;
          sent[0] += chunk;
          client.write(b, (s, e) -> {
            assertNull(e);
            inFlight[0]--;
            pump[0].run();
          });
          maxQueue[0] = Math.max(maxQueue[0], client.writeQueueSize());
        }
      };
      client.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        s.readStart(new ReadCallback() {
          @Override
          public void onData(Stream st, ByteBuffer data) {
            received[0] += data.remaining();
            echoDigest.update(data);
            if (received[0] == total) {
              st.shutdown((x, err) -> assertNull(err)); // the echo side answers with EOF
            } else {
              pump[0].run();
            }
          }

          @Override
          public void onEnd(Stream st) {
            eof[0] = true;
            st.close();
          }
        });
        pump[0].run();
      });
      assertEquals(0, loop.run());
      assertTrue(eof[0]);
      assertEquals(total, sent[0]);
      assertEquals(total, serverBytes[0]);
      assertEquals(total, received[0]);
      assertTrue(maxQueue[0] <= buffers * (long) chunk, "backpressure bounds the queue: " + maxQueue[0]);
      byte[] expected = sentDigest.digest();
      assertArrayEquals(expected, serverDigest.digest(), "what the server received");
      assertArrayEquals(expected, echoDigest.digest(), "what came back");
    }
  }

  // ---------------------------------------------------------------- 1,000 connections

  /** The soft limit on open files from /proc/self/limits; -1 if unknown. */
  private static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String v = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v);
        }
      }
    } catch (Exception e) {
      // not Linux: no known limit
    }
    return -1;
  }

  @Test
  void aThousandConcurrentConnectionsEachEchoTheirMessage() throws Exception {
    final int n = 1000;
    long limit = openFilesLimit();
    // Two descriptors per connection (both ends live here), plus the JVM's own.
    Assumptions.assumeTrue(limit < 0 || limit >= 2 * n + 500,
        "needs ~" + (2 * n + 500) + " open files; ulimit -n is " + limit);
    try (Loop loop = Loop.create()) {
      List<Stream> accepted = new ArrayList<>();
      Tcp server = new Tcp(loop);
      server.bind(Net.LOCAL);
      server.listen(1024, (srv, e) -> {
        assertNull(e);
        Tcp conn = new Tcp(loop);
        srv.accept(conn);
        accepted.add(conn);
        conn.readStart(Net.echo());
      });
      InetSocketAddress addr = server.localAddress();
      int[] open = {0};
      int[] maxOpen = {0};
      int[] done = {0};
      String[] got = new String[n];
      for (int i = 0; i < n; i++) {
        int id = i;
        byte[] message = ("client " + i + " says hello").getBytes(US_ASCII);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        Tcp client = new Tcp(loop);
        client.connect(addr, (s, e) -> {
          assertNull(e, "connection " + id);
          open[0]++;
          maxOpen[0] = Math.max(maxOpen[0], open[0]);
          s.readStart((st, d) -> {
            in.write(Net.bytes(d), 0, d.remaining());
            if (in.size() == message.length) {
              got[id] = in.toString(US_ASCII);
              open[0]--;
              st.close();
              if (++done[0] == n) {
                server.close();
              }
            }
          });
          s.write(message);
        });
      }
      assertEquals(0, loop.run());
      assertEquals(n, done[0]);
      assertEquals(n, accepted.size());
      for (int i = 0; i < n; i++) {
        assertEquals("client " + i + " says hello", got[i]);
      }
      assertTrue(maxOpen[0] > 1, "connections were open at the same time: " + maxOpen[0]);
    }
  }

  // ---------------------------------------------------------------- SO_REUSEPORT

  @Test
  void twoLoopsOnTwoThreadsShareAPortWithReusePort() throws Exception {
    final int n = 200;
    CountDownLatch allAccepted = new CountDownLatch(n);
    AtomicInteger[] accepts = {new AtomicInteger(), new AtomicInteger()};
    Loop[] loops = {Loop.create(), Loop.create()};
    Tcp[] servers = new Tcp[2];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] threads = new Thread[2];
    try (Loop clients = Loop.create()) {
      InetSocketAddress addr = null;
      for (int i = 0; i < 2; i++) {
        int id = i;
        Loop loop = loops[i];
        servers[i] = new Tcp(loop);
        servers[i].bind(i == 0 ? Net.LOCAL : addr, false, true);
        servers[i].listen(512, (srv, e) -> {
          assertNull(e);
          Tcp conn = new Tcp(loop);
          srv.accept(conn);
          conn.close();
          accepts[id].incrementAndGet();
          allAccepted.countDown();
        });
        if (i == 0) {
          addr = servers[0].localAddress();
        }
      }
      assertEquals(addr, servers[1].localAddress());
      // Without SO_REUSEPORT the same port cannot be listened on a third time.
      Tcp plain = new Tcp(clients);
      plain.bind(addr);
      UvException inUse = assertThrows(UvException.class, () -> plain.listen(8, (s, e) -> { }));
      assertEquals(Errno.EADDRINUSE, inUse.code());
      plain.close();

      for (int i = 0; i < 2; i++) {
        Loop loop = loops[i];
        threads[i] = new Thread(() -> {
          try {
            loop.run();
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }, "reuseport-" + i);
        threads[i].start();
      }
      int[] connected = {0};
      for (int i = 0; i < n; i++) {
        Tcp client = new Tcp(clients);
        client.connect(addr, (s, e) -> {
          assertNull(e);
          connected[0]++;
          s.close();
        });
      }
      assertEquals(0, clients.run());
      assertEquals(n, connected[0]);
      assertTrue(allAccepted.await(60, TimeUnit.SECONDS), "accepted " + accepts[0] + " + " + accepts[1]);
    } finally {
      for (int i = 0; i < 2; i++) {
        Tcp server = servers[i];
        if (threads[i] != null) {
          loops[i].execute(server::close);
          threads[i].join(60_000);
        } else if (server != null) {
          server.close();
          loops[i].run();
        }
        loops[i].close();
      }
    }
    assertNull(failure.get());
    assertEquals(n, accepts[0].get() + accepts[1].get());
    // The kernel spreads connections by a hash of their addresses: over 200, both get some.
    assertTrue(accepts[0].get() >= 1 && accepts[1].get() >= 1,
        "both loops accepted: " + Arrays.toString(accepts));
  }
}
