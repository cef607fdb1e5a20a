package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's TCP stream tests (v1.44.2: test-ping-pong.c, test-tcp-close*.c,
 * test-tcp-write-queue-order.c, test-shutdown-eof.c, test-tcp-read-stop.c,
 * test-connection-fail.c, test-delayed-accept.c, test-tcp-bind-error.c), ported. libuv's echo
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

  // test-tcp-close-while-connecting.c. libuv connects to 1.2.3.4 hoping no route answers; that
  // is not deterministic (here 1.2.3.4 accepts). A loopback connect is still pending when the
  // first iteration's timers run (the loop has not polled), so closing then must cancel it.
  @Test
  void tcp_close_while_connecting() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> { });
      int[] connectCb = {0};
      int[] timer1Cb = {0};
      int[] closeCb = {0};
      Tcp tcp = new Tcp(loop);
      Timer timer1 = new Timer(loop);
      Timer timer2 = new Timer(loop);
      tcp.connect(server.localAddress(), (s, e) -> {
        assertNotNull(e);
        assertEquals(Errno.ECANCELED, e.code(), e.getMessage());
        timer2.stop();
        connectCb[0]++;
      });
      timer1.start(0, 0, t -> {
        t.close(() -> closeCb[0]++);
        tcp.close(() -> closeCb[0]++);
        server.close();
        timer1Cb[0]++;
      });
      timer2.start(86_400_000, 0, t -> fail("should not be called"));
      assertEquals(0, loop.run());
      assertEquals(1, connectCb[0]);
      assertEquals(1, timer1Cb[0]);
      assertEquals(2, closeCb[0]);
      timer2.close();
      loop.run();
    }
  }

  // test-tcp-close.c: tcp_close. Pending writes get their callbacks before the close callback.
  @Test
  void tcp_close() throws Exception {
    final int numWriteReqs = 32;
    try (Loop loop = Loop.create()) {
      // Never accepts: libuv's echo server would not handle ECONNRESET.
      Tcp server = Net.listen(loop, (s, e) -> assertNull(e));
      server.unref();
      int[] writeCb = {0};
      int[] closeCb = {0};
      Tcp tcp = new Tcp(loop);
      tcp.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        byte[] ping = "PING".getBytes(US_ASCII);
        for (int i = 0; i < numWriteReqs; i++) {
          tcp.write(ping, 0, ping.length, (st, err) -> {
            assertEquals(0, closeCb[0], "write callbacks run before the close callback");
            assertSame(tcp, st);
            writeCb[0]++;
          });
        }
        tcp.close(() -> closeCb[0]++);
      });
      assertEquals(0, writeCb[0]);
      assertEquals(0, closeCb[0]);
      assertEquals(0, loop.run());
      assertEquals(numWriteReqs, writeCb[0]);
      assertEquals(1, closeCb[0]);
      server.close();
      loop.run();
    }
  }

  // test-tcp-reuseport.c (libuv 1.49's UV_TCP_REUSEPORT; on 1.44 uv4j sets SO_REUSEPORT itself):
  // two servers share one port, a third without the option cannot, and a connection reaches one.
  @Test
  void tcp_reuseport() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp s1 = new Tcp(loop);
      Tcp s2 = new Tcp(loop);
      Tcp s3 = new Tcp(loop);
      s1.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), false, true);
      InetSocketAddress same = s1.localAddress();
      s2.bind(same, false, true);
      assertEquals(same, s2.localAddress());
      int[] accepted = {0};
      StreamCallback onConnection = (server, e) -> {
        assertNull(e);
        Tcp c = new Tcp(loop);
        server.accept(c);
        accepted[0]++;
        c.close();
        s1.close();
        s2.close();
      };
      s1.listen(128, onConnection);
      s2.listen(128, onConnection);
      // Linux reports a bind conflict at listen (libuv delays bind's EADDRINUSE).
      UvException e = assertThrows(UvException.class, () -> {
        s3.bind(same);
        s3.listen(1, (server, err) -> fail("never listens"));
      });
      assertEquals("EADDRINUSE", e.errorName());
      s3.close();
      Tcp client = new Tcp(loop);
      client.connect(same, (c, err) -> {
        assertNull(err);
        c.close();
      });
      assertEquals(0, loop.run());
      assertEquals(1, accepted[0]);
    }
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

  /** A port nothing listens on: held by a bound, not listening, socket for the test's duration. */
  private static Tcp boundNotListening(Loop loop) throws UvException {
    Tcp holder = new Tcp(loop);
    holder.bind(Net.LOCAL);
    return holder;
  }

  // test-connection-fail.c: connection_fail
  @Test
  void connection_fail() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp holder = boundNotListening(loop);
      InetSocketAddress serverAddr = holder.localAddress();
      int[] connectCb = {0};
      int[] closeCb = {0};
      Tcp tcp = new Tcp(loop);
      tcp.bind(new InetSocketAddress("0.0.0.0", 0));
      tcp.connect(serverAddr, (s, e) -> {
        assertSame(tcp, s);
        assertNotNull(e);
        assertEquals(Errno.ECONNREFUSED, e.code());
        connectCb[0]++;
        assertEquals(0, closeCb[0]);
        s.close(() -> closeCb[0]++);
      });
      loop.run();
      assertEquals(1, connectCb[0]);
      assertEquals(1, closeCb[0]);
      holder.close();
      loop.run();
    }
  }

  // test-connection-fail.c: connection_fail_doesnt_auto_close
  @Test
  void connection_fail_doesnt_auto_close() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp holder = boundNotListening(loop);
      InetSocketAddress serverAddr = holder.localAddress();
      int[] connectCb = {0};
      int[] closeCb = {0};
      int[] timerCb = {0};
      int[] timerCloseCb = {0};
      Timer timer = new Timer(loop);
      Tcp tcp = new Tcp(loop);
      tcp.bind(new InetSocketAddress("0.0.0.0", 0));
      tcp.connect(serverAddr, (s, e) -> {
        assertEquals(Errno.ECONNREFUSED, e.code());
        connectCb[0]++;
        timer.start(100, 0, t -> {
          timerCb[0]++;
          // The connect callback ran, but the handle was not closed for the user.
          assertEquals(0, closeCb[0]);
          assertEquals(1, connectCb[0]);
          assertFalse(tcp.isClosing());
          tcp.close(() -> closeCb[0]++);
          t.close(() -> timerCloseCb[0]++);
        });
        assertEquals(0, closeCb[0]);
      });
      holder.unref();
      loop.run();
      assertEquals(1, connectCb[0]);
      assertEquals(1, closeCb[0]);
      assertEquals(1, timerCb[0]);
      assertEquals(1, timerCloseCb[0]);
      holder.close();
      loop.run();
    }
  }

  // test-delayed-accept.c: connections are accepted later, from a timer.
  @Test
  void delayed_accept() throws Exception {
    try (Loop loop = Loop.create()) {
      int[] connectionCb = {0};
      int[] doAccept = {0};
      int[] closeCb = {0};
      int[] connectCb = {0};
      Runnable onClose = () -> closeCb[0]++;
      Tcp server = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Timer timer = new Timer(loop);
        // libuv waits 1 s; the length does not matter, only that accept comes later.
        timer.start(20, 0, t -> {
          Tcp accepted = new Tcp(loop);
          srv.accept(accepted);
          doAccept[0]++;
          accepted.close(onClose); // immediately
          if (doAccept[0] == 2) {
            srv.close(onClose);
          }
          t.close(onClose);
        });
        connectionCb[0]++;
      });
      InetSocketAddress addr = server.localAddress();
      for (int i = 0; i < 2; i++) {
        Tcp client = new Tcp(loop);
        client.connect(addr, (s, e) -> {
          assertNull(e);
          // The server sends nothing; reading tells when it closes.
          s.readStart(new ReadCallback() {
            @Override
            public void onData(Stream stream, ByteBuffer data) {
              fail("the server sends nothing");
            }

            @Override
            public void onEnd(Stream stream) {
              stream.close(onClose);
            }

            @Override
            public void onError(Stream stream, UvException error) {
              fail("expected EOF", error);
            }
          });
          connectCb[0]++;
        });
      }
      loop.run();
      assertEquals(2, connectionCb[0]);
      assertEquals(2, doAccept[0]);
      assertEquals(2, connectCb[0]);
      assertEquals(7, closeCb[0]);
    }
  }

  /**
   * test-tcp-close-reset.c's client side: 4 writes, then closeReset (RST). libuv resets right
   * after writing and closes its server in the client's connect callback, racing the accept;
   * here the client resets once the accepted side has read the 16 bytes. Then the peer sees
   * ECONNRESET: were bytes still unread when the RST came, libuv 1.44 would report EOF for the
   * hang-up after that partial read (uv__stream_io's POLLHUP shortcut).
   */
  private static void closeResetClient(boolean shutdownBeforeClose) throws Exception {
    try (Loop loop = Loop.create()) {
      int[] writeCb = {0};
      int[] closeCb = {0};
      int[] shutdownCb = {0};
      int[] readSize = {0};
      UvException[] acceptedError = {null};
      boolean[] acceptedEof = {false};
      Tcp client = new Tcp(loop);
      Tcp[] server = new Tcp[1];
      Runnable doClose = () -> {
        try {
          if (shutdownBeforeClose) {
            client.shutdown((s, e) -> {
              assertSame(client, s);
              shutdownCb[0]++;
            });
            UvException e = assertThrows(UvException.class, () -> client.closeReset(() -> closeCb[0]++));
            assertEquals(Errno.EINVAL, e.code());
          } else {
            client.closeReset(() -> closeCb[0]++);
            assertTrue(client.isClosing());
            // libuv: uv_shutdown after uv_tcp_close_reset is ENOTCONN; uv4j refuses a closing handle.
            assertThrows(IllegalStateException.class, () -> client.shutdown((s, e) -> { }));
          }
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        server[0].close();
      };
      server[0] = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Tcp accepted = new Tcp(loop);
        srv.accept(accepted);
        accepted.readStart(new ReadCallback() {
          @Override
          public void onData(Stream stream, ByteBuffer data) {
            readSize[0] += data.remaining();
            if (readSize[0] == 16) {
              doClose.run();
            }
          }

          @Override
          public void onEnd(Stream stream) {
            acceptedEof[0] = true;
            stream.close();
          }

          @Override
          public void onError(Stream stream, UvException error) {
            acceptedError[0] = error;
            stream.close();
          }
        });
      });
      client.connect(server[0].localAddress(), (s, e) -> {
        assertNull(e);
        s.readStart(new ReadCallback() {
          @Override
          public void onData(Stream stream, ByteBuffer data) {
            fail("the server sends nothing");
          }

          @Override
          public void onEnd(Stream stream) {
            stream.close();
          }
        });
        for (int i = 0; i < 4; i++) {
          client.write(ByteBuffer.wrap("PING".getBytes(US_ASCII)), (st, err) -> {
            assertEquals(0, closeCb[0], "write callbacks run before the close callback");
            assertSame(client, st);
            writeCb[0]++;
          });
        }
      });
      assertEquals(0, writeCb[0]);
      assertEquals(0, closeCb[0]);
      assertEquals(0, shutdownCb[0]);
      assertEquals(0, loop.run());
      assertEquals(4, writeCb[0]);
      assertEquals(16, readSize[0]);
      if (shutdownBeforeClose) {
        assertEquals(0, closeCb[0]);
        assertEquals(1, shutdownCb[0]);
        assertTrue(acceptedEof[0], "the peer of a shut down stream reads EOF");
        assertNull(acceptedError[0]);
      } else {
        assertEquals(1, closeCb[0]);
        assertEquals(0, shutdownCb[0]);
        assertNotNull(acceptedError[0], "the peer of a reset stream gets an error, not EOF");
        assertEquals(Errno.ECONNRESET, acceptedError[0].code());
        assertEquals("ECONNRESET", acceptedError[0].errorName());
        assertEquals("uv_read", acceptedError[0].syscall());
        assertFalse(acceptedEof[0]);
      }
    }
  }

  // test-tcp-close-reset.c: tcp_close_reset_client
  @Test
  void tcp_close_reset_client() throws Exception {
    closeResetClient(false);
  }

  // test-tcp-close-reset.c: tcp_close_reset_client_after_shutdown
  @Test
  void tcp_close_reset_client_after_shutdown() throws Exception {
    closeResetClient(true);
  }

  // test-tcp-bind-error.c: tcp_bind_error_addrinuse_connect. Binding to a used address succeeds
  // (libuv defers the error); connect reports it, and so does getsockname.
  @Test
  void tcp_bind_error_addrinuse_connect() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> fail("no connection expected"));
      InetSocketAddress used = server.localAddress();
      Tcp other = Net.listen(loop, (s, e) -> fail("no connection expected"));
      int[] connectCb = {0};
      int[] closeCb = {0};
      Tcp conn = new Tcp(loop);
      conn.bind(used);
      conn.connect(other.localAddress(), (s, e) -> {
        assertNotNull(e);
        assertEquals(Errno.EADDRINUSE, e.code());
        assertEquals("EADDRINUSE", e.errorName());
        s.close(() -> closeCb[0]++);
        connectCb[0]++;
      });
      UvException e = assertThrows(UvException.class, conn::localAddress);
      assertEquals(Errno.EADDRINUSE, e.code());
      assertEquals("uv_tcp_getsockname", e.syscall());
      server.unref();
      other.unref();
      assertEquals(0, loop.run());
      assertEquals(1, connectCb[0]);
      assertEquals(1, closeCb[0]);
      server.close();
      other.close();
      loop.run();
    }
  }

  // test-tcp-bind-error.c: tcp_bind_error_addrinuse_listen
  @Test
  void tcp_bind_error_addrinuse_listen() throws Exception {
    try (Loop loop = Loop.create()) {
      int[] closeCb = {0};
      Tcp server1 = new Tcp(loop);
      server1.bind(Net.LOCAL);
      InetSocketAddress addr = server1.localAddress();
      Tcp server2 = new Tcp(loop);
      server2.bind(addr); // SO_REUSEADDR: binding works, listening cannot
      server1.listen(128, (s, e) -> fail("no connection expected"));
      UvException e = assertThrows(UvException.class, () -> server2.listen(128, (s, err) -> { }));
      assertEquals(Errno.EADDRINUSE, e.code());
      assertEquals("EADDRINUSE", e.errorName());
      assertEquals("uv_listen", e.syscall());
      assertNotNull(e.path(), "the address in use is named");
      assertTrue(e.path().endsWith("127.0.0.1:" + addr.getPort()), e.path());
      assertTrue(e.getMessage().contains("127.0.0.1:" + addr.getPort()), e.getMessage());
      server1.close(() -> closeCb[0]++);
      server2.close(() -> closeCb[0]++);
      loop.run();
      assertEquals(2, closeCb[0]);
    }
  }

  // test-tcp-bind-error.c: tcp_bind_invalid_flags (IPv6-only on an IPv4 address)
  @Test
  void tcp_bind_invalid_flags() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = new Tcp(loop);
      UvException e = assertThrows(UvException.class, () -> server.bind(Net.LOCAL, true, false));
      assertEquals(Errno.EINVAL, e.code());
      assertEquals("uv_tcp_bind", e.syscall());
      server.close();
      loop.run();
    }
  }

  // test-tcp-bind-error.c: tcp_bind_writable_flags. A listening socket is neither readable nor
  // writable: write is EPIPE, shutdown ENOTCONN, readStart ENOTCONN.
  @Test
  void tcp_bind_writable_flags() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> { });
      assertFalse(server.isWritable());
      assertFalse(server.isReadable());
      byte[] ping = "PING".getBytes(US_ASCII);
      UncheckedIOException w = assertThrows(UncheckedIOException.class,
          () -> server.write(ping, 0, 4, (s, e) -> fail("write callback of a failed write")));
      assertEquals(Errno.EPIPE, ((UvException) w.getCause()).code());
      UncheckedIOException sd = assertThrows(UncheckedIOException.class,
          () -> server.shutdown((s, e) -> fail("shutdown callback of a failed shutdown")));
      assertEquals(Errno.ENOTCONN, ((UvException) sd.getCause()).code());
      UncheckedIOException rs = assertThrows(UncheckedIOException.class,
          () -> server.readStart((s, d) -> fail("read on a server")));
      assertEquals(Errno.ENOTCONN, ((UvException) rs.getCause()).code());
      // The failed calls left nothing behind: the handle closes cleanly.
      server.close();
      assertEquals(0, loop.run());
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
