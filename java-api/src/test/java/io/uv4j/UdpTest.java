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
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's UDP send and receive tests (v1.44.2: test-udp-send-and-recv.c, test-udp-ipv6.c,
 * test-udp-connect.c, test-udp-try-send.c, test-udp-send-immediate.c,
 * test-udp-send-unreachable.c), ported, and the helpers of the other UDP test classes. libuv's
 * fixed TEST_PORT becomes an ephemeral port. Options, multicast and bind are in
 * {@link UdpOptionsTest}; test-udp-open.c needs raw sockets and runs in {@link UdpChildJvmTest};
 * uv4j's own cases are in {@link UdpDeliveryTest} (the receive view, recvmmsg, sends of every
 * kind) and {@link UdpMisuseTest}.
 */
@ExtendWith(LeakCheck.class)
class UdpTest {
  static final byte[] PING = "PING".getBytes(US_ASCII);
  static final byte[] PONG = "PONG".getBytes(US_ASCII);
  static final InetSocketAddress ANY4 = new InetSocketAddress("0.0.0.0", 0);

  static InetSocketAddress lo(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  static int uvCode(Throwable t) {
    Throwable c = t instanceof UncheckedIOException ? t.getCause() : t;
    assertTrue(c instanceof UvException, "not a UvException: " + t);
    return ((UvException) c).code();
  }

  static String errName(Throwable t) {
    Throwable c = t instanceof UncheckedIOException ? t.getCause() : t;
    assertTrue(c instanceof UvException, "not a UvException: " + t);
    return ((UvException) c).errorName();
  }

  /** A port nobody listens on right now (bound then released). */
  static int freePort(Loop loop) throws UvException {
    Udp u = new Udp(loop);
    u.bind(lo(0));
    int port = u.localAddress().getPort();
    u.close();
    return port;
  }

  // ---------------------------------------------------------------- test-udp-send-and-recv.c

  @Test
  void udpSendAndRecv() throws Exception {
    int[] clSend = {0};
    int[] clRecv = {0};
    int[] svSend = {0};
    int[] svRecv = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      Runnable closeCb = () -> closes[0]++;
      server.bind(ANY4);
      int port = server.localAddress().getPort();
      server.recvStart((u, data, from, partial) -> {
        assertSame(server, u);
        assertFalse(partial);
        assertNotNull(from);
        assertArrayEquals(PING, bytes(data));
        u.recvStop();
        u.send(ByteBuffer.wrap(PONG), from, (h, e) -> {
          assertNull(e);
          assertSame(server, h);
          h.close(closeCb);
          svSend[0]++;
        });
        svRecv[0]++;
      });
      client.send(ByteBuffer.wrap(PING), lo(port), (h, e) -> {
        assertNull(e);
        assertSame(client, h);
        h.recvStart((u, data, from, partial) -> {
          assertFalse(partial);
          assertNotNull(from);
          assertArrayEquals(PONG, bytes(data));
          clRecv[0]++;
          u.close(closeCb);
        });
        clSend[0]++;
      });
      assertEquals(0, closes[0] + clSend[0] + clRecv[0] + svSend[0] + svRecv[0]);
      loop.run();
      assertEquals(1, clSend[0]);
      assertEquals(1, clRecv[0]);
      assertEquals(1, svSend[0]);
      assertEquals(1, svRecv[0]);
      assertEquals(2, closes[0]);
      assertTrue(client.isClosed() && server.isClosed());
    }
  }

  // ---------------------------------------------------------------- test-udp-ipv6.c

  /**
   * do_test: a server on [::]:port (with {@code flags}) receives from an IPv4 client, counting
   * only datagrams from that client. libuv waits 500 ms for it; here a second client sends a
   * marker over ::1 after the IPv4 datagram was sent, and loopback delivers in order, so the
   * marker's arrival means the IPv4 datagram came or never will.
   */
  private static int[] ipv6Test(int flags) throws Exception {
    int[] sendCb = {0};
    int[] recvCb = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      Udp marker = new Udp(loop);
      server.bind(new InetSocketAddress("::", 0), flags);
      InetSocketAddress on = server.localAddress();
      assertTrue(on.getAddress() instanceof Inet6Address, on.toString());
      byte[] data = String.format("PING%5d", ProcessHandle.current().pid() & 0xFFFF).getBytes(US_ASCII);
      int[] clientPort = {-1};
      marker.bind(new InetSocketAddress("::1", 0));
      int markerPort = marker.localAddress().getPort();
      server.recvStart((u, d, from, partial) -> {
        if (from.port() == markerPort && from.ipv6High() == 0 && from.ipv6Low() == 1) {
          for (Udp h : new Udp[] {server, client, marker}) {
            h.close(() -> closes[0]++);
          }
          return;
        }
        // is_from_client: ::ffff:127.0.0.1 and the client's port
        assertTrue(from.isIpv6());
        if (from.port() != clientPort[0] || from.ipv6High() != 0 || from.ipv6Low() != 0xffff7f000001L) {
          return;
        }
        assertEquals(9, d.remaining());
        assertArrayEquals(data, bytes(d));
        recvCb[0]++;
      });
      client.send(ByteBuffer.wrap(data), lo(on.getPort()), (h, e) -> {
        assertNull(e);
        sendCb[0]++;
        marker.send(ByteBuffer.wrap(PING), new InetSocketAddress("::1", on.getPort()), (m, e2) -> assertNull(e2));
      });
      clientPort[0] = client.localAddress().getPort();
      assertEquals(0, closes[0] + sendCb[0] + recvCb[0]);
      loop.run();
      assertEquals(3, closes[0]);
    }
    return new int[] {sendCb[0], recvCb[0]};
  }

  @Test
  void udpDualStack() throws Exception {
    int[] r = ipv6Test(0);
    assertEquals(1, r[1], "recv_cb_called");
    assertEquals(1, r[0], "send_cb_called");
  }

  @Test
  void udpIpv6Only() throws Exception {
    int[] r = ipv6Test(Udp.IPV6ONLY);
    assertEquals(0, r[1], "recv_cb_called");
    assertEquals(1, r[0], "send_cb_called");
  }

  // ---------------------------------------------------------------- test-udp-connect.c

  @Test
  void udpConnect() throws Exception {
    int[] clSend = {0};
    int[] svRecv = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      server.bind(ANY4);
      int port = server.localAddress().getPort();
      server.recvStart((u, data, from, partial) -> {
        assertEquals(4, data.remaining());
        assertNotNull(from);
        assertArrayEquals("EXIT".getBytes(US_ASCII), bytes(data));
        if (++svRecv[0] == 4) {
          server.close(() -> closes[0]++);
          client.close(() -> closes[0]++);
        }
      });
      ByteBuffer buf = ByteBuffer.allocateDirect(4).put("EXIT".getBytes(US_ASCII)).flip();
      InetSocketAddress any = new InetSocketAddress("0.0.0.0", port);
      client.connect(any); // connect() to INADDR_ANY works outside Windows
      client.disconnect();
      InetSocketAddress ext = new InetSocketAddress("8.8.8.8", port);
      InetSocketAddress loAddr = lo(port);
      client.connect(loAddr);
      assertEquals("connected", client.state());
      assertEquals("EISCONN", errName(assertThrows(UvException.class, () -> client.connect(ext))));
      assertEquals(loAddr, client.remoteAddress());
      // To send messages in connected UDP sockets addr must be null
      assertEquals("EISCONN", errName(assertThrows(UvException.class, () -> client.trySend(buf.duplicate(), loAddr))));
      assertEquals(4, client.trySend(buf.duplicate(), null));
      assertEquals("EISCONN", errName(assertThrows(UvException.class, () -> client.trySend(buf.duplicate(), ext))));
      client.disconnect();
      assertEquals("ENOTCONN", errName(assertThrows(UvException.class, client::disconnect)));
      assertEquals("ENOTCONN", errName(assertThrows(UvException.class, client::remoteAddress)));
      assertEquals("bound", client.state());
      // To send messages in disconnected UDP sockets addr must be set
      assertEquals(4, client.trySend(buf.duplicate(), loAddr));
      assertEquals("EDESTADDRREQ", errName(assertThrows(UvException.class, () -> client.trySend(buf.duplicate(), null))));
      client.connect(loAddr);
      UdpSendCallback[] clSendCb = new UdpSendCallback[1];
      clSendCb[0] = (h, e) -> {
        assertNull(e);
        if (++clSend[0] == 1) {
          try {
            client.disconnect();
          } catch (UvException x) {
            throw new UncheckedIOException(x);
          }
          assertEquals("EDESTADDRREQ", errName(assertThrows(UncheckedIOException.class,
              () -> client.send(buf.duplicate(), (InetSocketAddress) null, clSendCb[0]))));
          client.send(buf.duplicate(), loAddr, clSendCb[0]);
        }
      };
      assertEquals("EISCONN", errName(assertThrows(UncheckedIOException.class,
          () -> client.send(buf.duplicate(), loAddr, clSendCb[0]))));
      client.send(buf.duplicate(), (InetSocketAddress) null, clSendCb[0]);
      loop.run();
      assertEquals(2, closes[0]);
      assertEquals(4, svRecv[0]);
      assertEquals(2, clSend[0]);
    }
  }

  // ---------------------------------------------------------------- test-udp-try-send.c

  @Test
  void udpTrySend() throws Exception {
    int[] svRecv = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      server.bind(ANY4);
      int port = server.localAddress().getPort();
      server.recvStart((u, data, from, partial) -> {
        assertEquals(4, data.remaining());
        assertNotNull(from);
        assertArrayEquals("EXIT".getBytes(US_ASCII), bytes(data));
        u.close(() -> closes[0]++);
        client.close(() -> closes[0]++);
        svRecv[0]++;
      });
      ByteBuffer big = ByteBuffer.allocateDirect(64 * 1024);
      assertEquals("EMSGSIZE", errName(assertThrows(UvException.class, () -> client.trySend(big, lo(port)))));
      assertEquals(0, big.position(), "nothing taken");
      ByteBuffer exit = ByteBuffer.wrap("EXIT".getBytes(US_ASCII));
      assertEquals(4, client.trySend(exit, lo(port)));
      assertEquals(4, exit.position());
      loop.run();
      assertEquals(2, closes[0]);
      assertEquals(1, svRecv[0]);
    }
  }

  // test-udp-try-send.c for uv_udp_try_send2 (libuv 1.50; one uv_udp_try_send each on 1.44): a
  // batch is sent in order, a prefix when a later datagram fails, nothing while sends are queued.
  @Test
  void udpTrySendBatch() throws Exception {
    List<String> got = new ArrayList<>();
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      server.bind(lo(0));
      InetSocketAddress to = server.localAddress();
      server.recvStart((u, data, from, partial) -> {
        got.add(new String(bytes(data), US_ASCII));
        if (got.size() == 6) {
          u.close();
          client.close();
        }
      });
      ByteBuffer[] abc = {direct("A"), direct("B"), ByteBuffer.wrap("C".getBytes(US_ASCII))};
      assertEquals(3, client.trySendBatch(abc, to), "an unbound handle: the first send binds it");
      for (ByteBuffer b : abc) {
        assertEquals(1, b.position());
      }
      assertEquals(2, client.trySendBatch(new ByteBuffer[] {direct("D"), ByteBuffer.wrap("E".getBytes(US_ASCII))}, to));
      ByteBuffer big = ByteBuffer.allocateDirect(64 * 1024);
      assertEquals("EMSGSIZE", errName(assertThrows(UvException.class, () -> client.trySendBatch(new ByteBuffer[] {big}, to))));
      assertEquals(0, big.position(), "nothing taken");
      ByteBuffer f = direct("F");
      assertEquals(1, client.trySendBatch(new ByteBuffer[] {f, big}, to), "the prefix before the failing datagram");
      assertEquals(1, f.position());
      assertEquals(0, big.position());
      assertEquals(0, client.trySendBatch(new ByteBuffer[0], to));
      assertEquals("EDESTADDRREQ", errName(assertThrows(UvException.class, () -> client.trySendBatch(new ByteBuffer[] {direct("x")}, null))));
      assertThrows(NullPointerException.class, () -> client.trySendBatch(new ByteBuffer[] {null}, to));
      loop.run();
      assertEquals(List.of("A", "B", "C", "D", "E", "F"), got);
    }
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      client.connect(server.localAddress());
      assertEquals("EISCONN", errName(assertThrows(UvException.class,
          () -> client.trySendBatch(new ByteBuffer[] {direct("x")}, server.localAddress()))));
      client.send(ByteBuffer.wrap(PING), (InetSocketAddress) null, (h, e) -> {});
      ByteBuffer b = direct("y");
      assertEquals(0, client.trySendBatch(new ByteBuffer[] {b}, null), "would block behind the queued send");
      assertEquals(0, b.position());
      loop.run(RunMode.NOWAIT);
      assertEquals(1, client.trySendBatch(new ByteBuffer[] {b}, null));
      server.close();
      client.close();
      loop.run();
    }
  }

  private static ByteBuffer direct(String s) {
    byte[] b = s.getBytes(US_ASCII);
    return ByteBuffer.allocateDirect(b.length).put(b).flip();
  }

  @Test
  void trySendWhileSendsAreQueuedWouldBlock() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      int[] sent = {0};
      client.send(ByteBuffer.wrap(PING), server.localAddress(), (h, e) -> sent[0]++);
      assertEquals(1, client.sendQueueCount()); // its callback has not run: try_send answers EAGAIN
      ByteBuffer b = ByteBuffer.wrap(PONG);
      assertEquals(-1, client.trySend(b, server.localAddress()));
      assertEquals(0, b.position());
      loop.run(RunMode.NOWAIT);
      assertEquals(1, sent[0]);
      assertEquals(0, client.sendQueueCount());
      assertEquals(0, client.sendQueueSize());
      assertEquals(4, client.trySend(b, server.localAddress()));
      server.close();
      client.close();
      loop.run();
    }
  }

  // ---------------------------------------------------------------- test-udp-send-immediate.c

  @Test
  void udpSendImmediate() throws Exception {
    int[] clSend = {0};
    int[] svRecv = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      server.bind(ANY4);
      int port = server.localAddress().getPort();
      List<String> got = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        assertFalse(partial);
        assertNotNull(from);
        assertEquals(4, data.remaining());
        got.add(new String(bytes(data), US_ASCII));
        if (++svRecv[0] == 2) {
          server.close(() -> closes[0]++);
          client.close(() -> closes[0]++);
        }
      });
      UdpSendCallback clSendCb = (h, e) -> {
        assertNull(e);
        clSend[0]++;
      };
      client.send(ByteBuffer.wrap("PING".getBytes(US_ASCII)), lo(port), clSendCb);
      client.send(ByteBuffer.wrap("PANG".getBytes(US_ASCII)), lo(port), clSendCb);
      loop.run();
      assertEquals(2, clSend[0]);
      assertEquals(2, svRecv[0]);
      assertEquals(2, closes[0]);
      assertEquals(List.of("PING", "PANG"), got);
    }
  }

  // ---------------------------------------------------------------- test-udp-send-unreachable.c

  @Test
  void udpSendUnreachable() throws Exception {
    int[] sendCb = {0};
    int[] recvCb = {0};
    int[] closes = {0};
    int[] timerCb = {0};
    try (Loop loop = Loop.create()) {
      int port = freePort(loop);
      int port2 = freePort(loop);
      int port3 = freePort(loop);
      Udp client = new Udp(loop);
      Udp client2 = new Udp(loop);
      Timer timer = new Timer(loop);
      timer.start(1000, t -> {
        timerCb[0]++;
        client.close(() -> closes[0]++);
        client2.close(() -> closes[0]++);
        t.close(() -> closes[0]++);
      });
      UdpRecvCallback recv = new UdpRecvCallback() {
        @Override
        public void onDatagram(Udp u, ByteBuffer data, UdpAddress from, boolean partial) {
          recvCb[0]++;
          assertNotNull(from);
        }

        @Override
        public void onError(Udp u, UvException error) {
          fail("unexpected error " + error);
        }
      };
      client.bind(lo(port2));
      client.recvStart(recv);
      UdpSendCallback sendOk = (h, e) -> {
        assertNull(e);
        sendCb[0]++;
      };
      client.send(ByteBuffer.wrap(PING), lo(port), sendOk);
      client.send(ByteBuffer.wrap("PANG".getBytes(US_ASCII)), lo(port), sendOk);
      // can_recverr: Linux
      client2.bind(lo(port3), Udp.RECVERR);
      client2.recvStart(recv);
      UdpSendCallback sendRecverr = (h, e) -> {
        assertTrue(e == null || e.errorName().equals("ECONNREFUSED"), String.valueOf(e));
        sendCb[0]++;
      };
      client2.send(ByteBuffer.wrap(PING), lo(port), sendRecverr);
      client2.send(ByteBuffer.wrap("PANG".getBytes(US_ASCII)), lo(port), sendRecverr);
      loop.run();
      assertEquals(4, sendCb[0]);
      assertEquals(0, recvCb[0]); // libuv: recv_cb only for its "nothing read" calls, which uv4j filters
      assertEquals(1, timerCb[0]);
      assertEquals(3, closes[0]);
    }
  }
}
