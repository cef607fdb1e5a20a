package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's TCP data-flow tests (v1.44.2: test-ping-pong.c, test-tcp-write-queue-order.c,
 * test-shutdown-eof.c, test-tcp-read-stop.c), ported; the close tests are in
 * {@link TcpCloseTest}, the connect and bind tests in {@link TcpConnectBindTest}. libuv's echo
 * server runs in another process; here it runs on the same loop, on an ephemeral port.
 */
@ExtendWith(LeakCheck.class)
class TcpTest {
  static final int NUM_PINGS = 1000;
  static final byte[] PING = "PING\n".getBytes(US_ASCII);

  /** test-ping-pong.c's pinger: writes PING, counts the echoes, stops after NUM_PINGS. */
  static final class Pinger {
    final Stream stream;
    final boolean vectored;
    int state;
    int pongs;
    int connectCalls;
    int writeCalls;
    boolean closed;

    Pinger(Stream stream, boolean vectored) {
      this.stream = stream;
      this.vectored = vectored;
    }

    void writePing() {
      StreamCallback afterWrite = (s, e) -> {
        assertNull(e);
        writeCalls++;
      };
      if (!vectored) {
        stream.write(ByteBuffer.wrap(PING), afterWrite);
      } else {
        // One buffer per byte, as libuv's vectored variant does.
        ByteBuffer[] bufs = new ByteBuffer[PING.length];
        for (int i = 0; i < bufs.length; i++) {
          bufs[i] = ByteBuffer.allocateDirect(1).put(0, PING[i]);
        }
        stream.write(bufs, afterWrite);
      }
    }

    void onConnect(Stream s, UvException error, Runnable onClose) {
      connectCalls++;
      assertNull(error);
      assertSame(stream, s);
      assertTrue(s.isReadable());
      assertTrue(s.isWritable());
      assertFalse(s.isClosing());
      writePing();
      s.readStart(new ReadCallback() {
        @Override
        public void onData(Stream st, ByteBuffer data) {
          while (data.hasRemaining()) {
            assertEquals(PING[state], data.get());
            state = (state + 1) % PING.length;
            if (state != 0) {
              continue;
            }
            pongs++;
            if (pongs < NUM_PINGS) {
              writePing();
            } else {
              st.close(() -> {
                closed = true;
                onClose.run();
              });
              break;
            }
          }
        }

        @Override
        public void onEnd(Stream st) {
          st.close(() -> {
            closed = true;
            onClose.run();
          });
        }

        @Override
        public void onError(Stream st, UvException e) {
          fail("pinger read error", e);
        }
      });
    }
  }

  private static void tcpPingPong(boolean vectored) throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.echoServer(loop);
      Tcp client = new Tcp(loop);
      Pinger pinger = new Pinger(client, vectored);
      client.connect(server.localAddress(), (s, e) -> pinger.onConnect(s, e, server::close));
      assertEquals(0, pinger.connectCalls, "synchronous connect callbacks are not allowed");
      assertEquals(0, loop.run());
      assertTrue(pinger.closed);
      assertEquals(NUM_PINGS, pinger.pongs);
      assertEquals(NUM_PINGS, pinger.writeCalls);
      assertEquals(1, pinger.connectCalls);
    }
  }

  // test-ping-pong.c: tcp_ping_pong (the socketpair half needs uv_socketpair, not in uv4j)
  @Test
  void tcp_ping_pong() throws Exception {
    tcpPingPong(false);
  }

  // test-ping-pong.c: tcp_ping_pong_vec
  @Test
  void tcp_ping_pong_vec() throws Exception {
    tcpPingPong(true);
  }

  // test-tcp-write-queue-order.c: 10,000 writes to a peer that never reads; every callback runs
  // exactly once, in order, the unsent ones with ECANCELED. libuv closes after 1 s; here the
  // handles close as soon as one write has completed (the rest cannot have: 10 MB).
  @Test
  void tcp_write_queue_order() throws Exception {
    final int reqCount = 10_000;
    try (Loop loop = Loop.create()) {
      Tcp client = new Tcp(loop);
      List<Handle> all = new ArrayList<>();
      int[] status = new int[reqCount];
      int[] next = {0};
      int[] counts = new int[3]; // ok, cancelled, error
      int[] closeCb = {0};
      int[] connectionCb = {0};
      int[] connectCb = {0};
      Runnable closeAll = () -> {
        for (Handle h : all) {
          h.close(() -> closeCb[0]++);
        }
      };
      Tcp server = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Tcp incoming = new Tcp(loop);
        srv.accept(incoming); // never reads
        all.add(incoming);
        connectionCb[0]++;
        if (counts[0] > 0) {
          closeAll.run();
        }
      });
      all.add(client);
      all.add(server);
      ByteBuffer base = ByteBuffer.allocateDirect(1024);
      client.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        connectCb[0]++;
        for (int i = 0; i < reqCount; i++) {
          int index = i;
          client.write(base.duplicate(), (st, err) -> {
            assertEquals(next[0], index, "write callbacks out of order");
            next[0]++;
            status[index] = err == null ? 0 : err.code();
            if (err == null) {
              counts[0]++;
              if (counts[0] == 1 && connectionCb[0] == 1) {
                closeAll.run();
              }
            } else if (err.code() == Errno.ECANCELED) {
              counts[1]++;
            } else {
              counts[2]++;
            }
          });
        }
      });
      client.sendBufferSize(16 * 1024);
      assertEquals(0, loop.run());

      assertEquals(1, connectCb[0]);
      assertEquals(1, connectionCb[0]);
      assertEquals(reqCount, next[0]);
      assertTrue(counts[0] > 0, "some writes completed");
      assertTrue(counts[1] > 0, "some writes were cancelled");
      assertEquals(reqCount, counts[0] + counts[1] + counts[2]);
      assertEquals(0, counts[2], "no write failed otherwise");
      // Completed writes come first, the cancelled ones after.
      for (int i = 0; i < reqCount; i++) {
        assertEquals(i < counts[0] ? 0 : Errno.ECANCELED, status[i], "write " + i);
      }
      assertEquals(3, closeCb[0]);
    }
  }

  // test-shutdown-eof.c: shutdown, then EOF from the peer; EOF does not close the handle.
  @Test
  void shutdown_eof() throws Exception {
    try (Loop loop = Loop.create()) {
      boolean[] gotQ = {false};
      boolean[] gotEof = {false};
      int[] connectCb = {0};
      int[] shutdownCb = {0};
      int[] tcpCloseCb = {0};
      int[] timerCloseCb = {0};
      int[] timerCb = {0};
      Tcp[] server = new Tcp[1];
      // libuv's echo server: echoes, stops listening on "Q", shuts down at EOF.
      server[0] = Net.listen(loop, (srv, e) -> {
        Tcp conn = new Tcp(loop);
        srv.accept(conn);
        conn.readStart(new ReadCallback() {
          @Override
          public void onData(Stream st, ByteBuffer data) {
            if (data.get(0) == 'Q') {
              server[0].close();
            }
            st.write(data);
          }

          @Override
          public void onEnd(Stream st) {
            st.shutdown((s, err) -> s.close());
          }
        });
      });
      Tcp tcp = new Tcp(loop);
      Timer timer = new Timer(loop);
      ReadCallback read = new ReadCallback() {
        @Override
        public void onData(Stream st, ByteBuffer data) {
          assertSame(tcp, st);
          assertFalse(gotQ[0]);
          assertFalse(gotEof[0]);
          assertEquals(1, data.remaining());
          assertEquals('Q', data.get(0));
          gotQ[0] = true;
        }

        @Override
        public void onEnd(Stream st) {
          assertSame(tcp, st);
          assertTrue(gotQ[0]);
          gotEof[0] = true;
          // libuv fires its timer after 100 ms; a timer due now runs next iteration, after any
          // close started in this one would have completed.
          timer.start(0, 0, t -> {
            t.close(() -> timerCloseCb[0]++);
            // The most important assert of the test: EOF did not close the handle.
            assertEquals(0, tcpCloseCb[0]);
            assertFalse(tcp.isClosing());
            tcp.close(() -> {
              assertEquals(1, connectCb[0]);
              assertTrue(gotQ[0]);
              assertTrue(gotEof[0]);
              assertEquals(1, timerCb[0]);
              tcpCloseCb[0]++;
            });
            timerCb[0]++;
          });
        }

        @Override
        public void onError(Stream st, UvException e) {
          fail("read error", e);
        }
      };
      tcp.connect(server[0].localAddress(), (s, e) -> {
        assertNull(e);
        tcp.readStart(read);
        // Error handling: a second readStart fails with EALREADY and keeps the first callback.
        UncheckedIOException again = assertThrows(UncheckedIOException.class, () -> tcp.readStart(read));
        assertEquals(Errno.code("EALREADY"), ((UvException) again.getCause()).code());
        tcp.write(new byte[] {'Q'}); // no callback, as in libuv
        tcp.shutdown((st, err) -> {
          assertNull(err);
          assertEquals(1, connectCb[0]);
          assertFalse(gotEof[0]);
          assertEquals(0, tcpCloseCb[0]);
          assertEquals(0, timerCloseCb[0]);
          assertEquals(0, timerCb[0]);
          shutdownCb[0]++;
        });
        connectCb[0]++;
        assertEquals(0, shutdownCb[0]);
      });
      loop.run();
      assertEquals(1, connectCb[0]);
      assertEquals(1, shutdownCb[0]);
      assertTrue(gotEof[0]);
      assertTrue(gotQ[0]);
      assertEquals(1, tcpCloseCb[0]);
      assertEquals(1, timerCloseCb[0]);
      assertEquals(1, timerCb[0]);
    }
  }

  // test-tcp-read-stop.c: after readStop the echoed bytes are never delivered.
  @Test
  void tcp_read_stop() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.echoServer(loop);
      Timer timer = new Timer(loop);
      Tcp tcp = new Tcp(loop);
      int[] writeCb = {0};
      ReadCallback failing = new ReadCallback() {
        @Override
        public void onData(Stream stream, ByteBuffer data) {
          fail("read callback called after readStop");
        }

        @Override
        public void onEnd(Stream stream) {
          fail("read callback called after readStop");
        }

        @Override
        public void onError(Stream stream, UvException error) {
          fail("read callback called after readStop", error);
        }
      };
      tcp.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        timer.start(50, 0, t -> {
          tcp.write(ByteBuffer.wrap("PING".getBytes(US_ASCII)), (st, err) -> {
            writeCb[0]++;
            timer.close();
            tcp.close();
            server.close();
          });
          tcp.readStop();
        });
        tcp.readStart(failing);
      });
      assertEquals(0, loop.run());
      assertEquals(1, writeCb[0]);
    }
  }

  // The bytes of a ping-pong arrive intact over several writes (sanity of the helpers).
  @Test
  void echoServerEchoes() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.echoServer(loop);
      Tcp client = new Tcp(loop);
      byte[] sent = "hello, echo".getBytes(US_ASCII);
      java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
      client.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        s.readStart(new ReadCallback() {
          @Override
          public void onData(Stream st, ByteBuffer data) {
            got.write(Net.bytes(data), 0, data.remaining());
            if (got.size() == sent.length) {
              st.close();
              server.close();
            }
          }
        });
        s.write(sent);
      });
      loop.run();
      assertArrayEquals(sent, got.toByteArray());
    }
  }
}
