package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's TCP connect and bind tests (v1.44.2: test-connection-fail.c, test-delayed-accept.c,
 * test-tcp-bind-error.c; 1.49's test-tcp-reuseport.c), ported: refused connects and the handle
 * left open, connections accepted later from a timer, bind errors reported by connect, listen and
 * getsockname, invalid and writable flags, SO_REUSEPORT.
 */
@ExtendWith(LeakCheck.class)
class TcpConnectBindTest {
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
}
