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
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's UDP tests (v1.44.2: test-udp-send-and-recv.c, test-udp-ipv6.c, test-udp-options.c,
 * test-udp-connect.c, test-udp-try-send.c, test-udp-send-immediate.c, test-udp-multicast-join.c,
 * test-udp-multicast-ttl.c, test-udp-bind.c, test-udp-send-unreachable.c), ported; test-udp-open.c
 * needs raw sockets and runs in {@link UdpChildJvmTest}. libuv's fixed TEST_PORT becomes an
 * ephemeral port. Then uv4j's own cases: the receive view, recvmmsg, sends of every kind, misuse.
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

  // ---------------------------------------------------------------- test-udp-options.c

  private static void udpOptionsTest(InetSocketAddress addr) throws Exception {
    try (Loop loop = Loop.create()) {
      Udp h = new Udp(loop);
      h.unref(); // don't keep the loop alive
      h.bind(addr);
      h.broadcast(true);
      h.broadcast(true);
      h.broadcast(false);
      h.broadcast(false);
      for (int i = 1; i <= 255; i++) {
        h.ttl(i); // values 1-255 work
      }
      for (int bad : new int[] {-1, 0, 256}) {
        // libuv answers EINVAL; uv4j refuses before asking it
        assertThrows(IllegalArgumentException.class, () -> h.ttl(bad));
      }
      h.multicastLoop(true);
      h.multicastLoop(true);
      h.multicastLoop(false);
      h.multicastLoop(false);
      for (int i = 0; i <= 255; i++) {
        h.multicastTtl(i); // values 0-255 work
      }
      assertThrows(IllegalArgumentException.class, () -> h.multicastTtl(256)); // >255 fails
      assertThrows(IllegalArgumentException.class, () -> h.multicastTtl(-1));
      assertEquals(0, loop.run());
      h.close();
      loop.run();
    }
  }

  @Test
  void udpOptions() throws Exception {
    udpOptionsTest(new InetSocketAddress("0.0.0.0", 0));
  }

  @Test
  void udpOptions6() throws Exception {
    udpOptionsTest(new InetSocketAddress("::", 0));
  }

  @Test
  void udpNoAutobind() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp h = new Udp(loop); // a lazily initialised socket
      assertEquals("EBADF", errName(assertThrows(UvException.class, () -> h.multicastTtl(32))));
      assertEquals("EBADF", errName(assertThrows(UvException.class, () -> h.broadcast(true))));
      assertEquals("EBADF", errName(assertThrows(UvException.class, () -> h.ttl(1))));
      assertEquals("EBADF", errName(assertThrows(UvException.class, () -> h.multicastLoop(true))));
      assertEquals("EBADF", errName(assertThrows(UvException.class, () -> h.multicastInterface("0.0.0.0"))));
      assertEquals("new", h.state());
      h.close();
      Udp h2 = new Udp(loop, StandardProtocolFamily.INET, true); // a non-lazily initialised one
      h2.multicastTtl(32);
      h2.broadcast(true);
      h2.ttl(1);
      h2.multicastLoop(true);
      h2.multicastInterface("0.0.0.0");
      h2.close();
      assertEquals(0, loop.run());
    }
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

  // ---------------------------------------------------------------- test-udp-multicast-join.c

  static final String MULTICAST_ADDR = "239.255.0.1";

  @Test
  void udpMulticastJoin() throws Exception {
    int[] clRecv = {0};
    int[] svSend = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      Udp client = new Udp(loop);
      server.bind(ANY4);
      int port = server.localAddress().getPort();
      try {
        server.joinGroup(MULTICAST_ADDR, null);
      } catch (UvException e) {
        server.close();
        client.close();
        loop.run();
        fail("this machine cannot join " + MULTICAST_ADDR + " (" + e.getMessage() + "): libuv's "
            + "udp_multicast_join needs a multicast-capable interface with a route for 224.0.0.0/4 "
            + "(or a default route); this is the machine's network, not uv4j", e);
      }
      UdpSendCallback svSendCb = (h, e) -> {
        assertNull(e, "multicast send");
        if (++svSend[0] == 2) {
          h.close(() -> closes[0]++);
        }
      };
      server.recvStart((u, data, from, partial) -> {
        assertFalse(partial);
        assertNotNull(from);
        assertArrayEquals(PING, bytes(data));
        if (++clRecv[0] == 2) {
          server.close(() -> closes[0]++); // done with the server handle
          return;
        }
        String source = from.toInetSocketAddress().getAddress().getHostAddress();
        try {
          server.leaveGroup(MULTICAST_ADDR, null);
          server.joinSourceGroup(MULTICAST_ADDR, null, source);
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        client.send(ByteBuffer.wrap(PING), new InetSocketAddress(MULTICAST_ADDR, port), svSendCb);
      });
      client.send(ByteBuffer.wrap(PING), new InetSocketAddress(MULTICAST_ADDR, port), svSendCb);
      Timer guard = new Timer(loop); // not a timing assertion: names the failure instead of hanging
      guard.unref();
      guard.start(10_000, t -> {
        fail("no multicast datagram came back within 10 s (received " + clRecv[0] + "): the machine "
            + "joined " + MULTICAST_ADDR + " but does not loop multicast back (no route, or a "
            + "filtering interface)");
      });
      assertEquals(0, closes[0] + clRecv[0] + svSend[0]);
      loop.run();
      guard.close();
      loop.run();
      assertEquals(2, clRecv[0]);
      assertEquals(2, svSend[0]);
      assertEquals(2, closes[0]);
    }
  }

  // ---------------------------------------------------------------- test-udp-multicast-ttl.c

  @Test
  void udpMulticastTtl() throws Exception {
    int[] svSend = {0};
    int[] closes = {0};
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(ANY4);
      server.multicastTtl(32);
      server.send(ByteBuffer.wrap(PING), new InetSocketAddress(MULTICAST_ADDR, freePort(loop)), (h, e) -> {
        assertTrue(e == null || e.errorName().equals("ENETUNREACH") || e.errorName().equals("EPERM"),
            String.valueOf(e));
        svSend[0]++;
        h.close(() -> closes[0]++);
      });
      assertEquals(0, closes[0] + svSend[0]);
      loop.run();
      assertEquals(1, svSend[0]);
      assertEquals(1, closes[0]);
    }
  }

  // ---------------------------------------------------------------- test-udp-bind.c

  @Test
  void udpBind() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp h1 = new Udp(loop);
      Udp h2 = new Udp(loop);
      h1.bind(ANY4);
      InetSocketAddress addr = new InetSocketAddress("0.0.0.0", h1.localAddress().getPort());
      UvException e = assertThrows(UvException.class, () -> h2.bind(addr));
      assertEquals("EADDRINUSE", e.errorName());
      assertEquals("new", h2.state());
      h1.close();
      h2.close();
      assertEquals(0, loop.run());
    }
  }

  @Test
  void udpBindReuseaddr() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp h1 = new Udp(loop);
      Udp h2 = new Udp(loop);
      h1.bind(ANY4, Udp.REUSEADDR);
      h2.bind(new InetSocketAddress("0.0.0.0", h1.localAddress().getPort()), Udp.REUSEADDR);
      assertEquals(h1.localAddress(), h2.localAddress());
      h1.close();
      h2.close();
      assertEquals(0, loop.run());
    }
  }

  /** SO_REUSEPORT (set by uv4j: libuv 1.44 has no flag): both bind, and only with it on both. */
  @Test
  void bindReusePort() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp h1 = new Udp(loop);
      Udp h2 = new Udp(loop);
      Udp h3 = new Udp(loop);
      h1.bind(lo(0), Udp.REUSEPORT);
      InetSocketAddress same = h1.localAddress();
      h2.bind(same, Udp.REUSEPORT);
      assertEquals(same, h2.localAddress());
      assertEquals("EADDRINUSE", assertThrows(UvException.class, () -> h3.bind(same)).errorName());
      for (Udp h : new Udp[] {h1, h2, h3}) {
        h.close();
      }
      assertEquals(0, loop.run());
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

  // ---------------------------------------------------------------- uv4j: receiving

  @Test
  void senderViewDescribesTheSenderWithoutAllocatingAnAddress() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      client.bind(lo(0));
      InetSocketAddress clientAddr = client.localAddress();
      UdpAddress[] seen = new UdpAddress[2];
      List<Object> facts = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        seen[facts.isEmpty() ? 0 : 1] = from;
        facts.add(from.isIpv6());
        facts.add(from.port());
        facts.add(from.ipv4());
        facts.add(from.matches(clientAddr));
        facts.add(from.toInetSocketAddress());
        facts.add(data.remaining());
        if (facts.size() == 12) {
          u.close();
          client.close();
        }
      });
      client.send(ByteBuffer.allocate(0), server.localAddress(), (h, e) -> assertNull(e)); // empty datagram
      client.send(ByteBuffer.wrap(PING), server.localAddress(), (h, e) -> assertNull(e));
      loop.run();
      assertSame(seen[0], seen[1], "one reusable view per handle");
      assertEquals(List.of(false, clientAddr.getPort(), 0x7f000001, true, clientAddr, 0,
          false, clientAddr.getPort(), 0x7f000001, true, clientAddr, 4), facts);
    }
  }

  @Test
  void ipv6SenderView() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(new InetSocketAddress("::1", 0));
      Udp client = new Udp(loop);
      client.bind(new InetSocketAddress("::1", 0));
      InetSocketAddress clientAddr = client.localAddress();
      Object[] got = new Object[4];
      server.recvStart((u, data, from, partial) -> {
        got[0] = from.isIpv6();
        got[1] = from.ipv6High() == 0 && from.ipv6Low() == 1;
        got[2] = from.matches(clientAddr);
        got[3] = from.toInetSocketAddress();
        // reply to the view: no InetSocketAddress needed
        u.send(data, from, (h, e) -> {
          assertNull(e);
          u.close();
        });
      });
      byte[] echoed = new byte[1];
      client.recvStart((u, data, from, partial) -> {
        echoed[0] = data.get(0);
        u.close();
      });
      client.send(new byte[] {7}, 0, 1, server.localAddress(), (h, e) -> assertNull(e));
      loop.run();
      assertEquals(true, got[0]);
      assertEquals(true, got[1]);
      assertEquals(true, got[2]);
      assertEquals(clientAddr, got[3]);
      assertEquals(7, echoed[0]);
    }
  }

  @Test
  void aDatagramLargerThanTheReadBufferIsPartial() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.setReadBufferSize(1024);
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      Object[] got = new Object[2];
      server.recvStart((u, data, from, partial) -> {
        got[0] = partial;
        got[1] = data.remaining();
        u.close();
        client.close();
      });
      client.send(ByteBuffer.allocateDirect(2000), server.localAddress(), (h, e) -> assertNull(e));
      loop.run();
      assertEquals(true, got[0]);
      assertEquals(1024, got[1]);
    }
  }

  /** recvmmsg: several datagrams per system call, each its own zero-copy view of a 64 KiB chunk. */
  @Test
  void recvmmsgDeliversEachDatagramInItsOwnView() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.setReadBufferSize(20 * 64 * 1024);
      Udp server = new Udp(loop, StandardProtocolFamily.INET, true);
      assertTrue(server.usesRecvmmsg(), "Linux has recvmmsg");
      server.bind(lo(0));
      Udp client = new Udp(loop);
      int n = 30; // more than one batch of 20
      for (int i = 0; i < n; i++) {
        byte[] d = new byte[100 + i];
        d[0] = (byte) i;
        d[d.length - 1] = (byte) i;
        client.send(d, 0, d.length, server.localAddress(), (h, e) -> assertNull(e));
      }
      List<Integer> seen = new ArrayList<>();
      java.util.Set<ByteBuffer> views = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      server.recvStart((u, data, from, partial) -> {
        assertFalse(partial);
        assertEquals(0, data.position());
        int i = data.get(0);
        assertEquals(100 + i, data.remaining());
        assertEquals(i, data.get(data.limit() - 1));
        seen.add(i);
        views.add(data);
        if (seen.size() == n) {
          u.close();
          client.close();
        }
      });
      loop.run();
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        expected.add(i);
      }
      assertEquals(expected, seen);
      // All 30 were queued before the first receive: one recvmmsg took 20 of them, each in the
      // view of its own 64 KiB chunk (the read buffer itself for chunk 0, a kept slice for the rest).
      assertEquals(20, views.size());
    }
  }

  /** recvmmsg goes on delivering its batch after the callback closed the handle: uv4j drops them. */
  @Test
  void recvmmsgBatchAfterCloseIsDropped() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.setReadBufferSize(8 * 64 * 1024);
      Udp server = new Udp(loop, null, true);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      for (int i = 0; i < 5; i++) {
        client.send(new byte[] {(byte) i}, 0, 1, server.localAddress(), (h, e) -> assertNull(e));
      }
      List<Integer> seen = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        seen.add((int) data.get(0));
        u.close();
        client.close();
      });
      loop.run();
      assertEquals(List.of(0), seen);
    }
  }

  @Test
  void recvmmsgNeedsAtLeastOneChunkOfReadBuffer() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.setReadBufferSize(32 * 1024); // libuv 1.44 would spin: 0 chunks per recvmmsg
      Udp u = new Udp(loop, null, true);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> u.recvStart((h, d, f, p) -> { }));
      assertTrue(e.getMessage().contains("64 KiB"), e.getMessage());
      assertFalse(u.isReceiving());
      u.close();
      loop.run();
    }
  }

  @Test
  void aThrowingRecvCallbackReachesRunAndTheHandleGoesOn() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      int[] calls = {0};
      server.recvStart((u, data, from, partial) -> {
        if (++calls[0] == 1) {
          throw new IllegalStateException("boom");
        }
        u.close();
        client.close();
      });
      client.send(ByteBuffer.wrap(PING), server.localAddress(), (h, e) -> assertNull(e));
      IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
      assertEquals("boom", e.getMessage());
      assertTrue(server.isReceiving());
      client.send(ByteBuffer.wrap(PING), server.localAddress(), (h, e2) -> assertNull(e2));
      loop.run();
      assertEquals(2, calls[0]);
    }
  }

  @Test
  void aThrowingSendCallbackReachesRun() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp client = new Udp(loop);
      client.send(ByteBuffer.wrap(PING), lo(freePort(loop)), (h, e) -> {
        h.close();
        throw new IllegalStateException("send boom");
      });
      assertEquals("send boom", assertThrows(IllegalStateException.class, loop::run).getMessage());
      loop.run();
      assertTrue(client.isClosed());
    }
  }

  // ---------------------------------------------------------------- uv4j: sending

  @Test
  void sendsOfEveryKindArriveInOrderWithTheirCallbacks() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      InetSocketAddress to = server.localAddress();
      Udp client = new Udp(loop);
      List<String> got = new ArrayList<>();
      List<String> done = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        got.add(new String(bytes(data), US_ASCII));
        if (got.size() == 5) {
          u.close();
          client.close();
        }
      });
      ByteBuffer direct = ByteBuffer.allocateDirect(8).put("direct".getBytes(US_ASCII)).flip();
      client.send(direct, to, (h, e) -> done.add("direct " + e));
      assertEquals(direct.limit(), direct.position());
      ByteBuffer heap = ByteBuffer.wrap("xxheap".getBytes(US_ASCII), 2, 4);
      client.send(heap, to, (h, e) -> done.add("heap " + e));
      assertFalse(heap.hasRemaining());
      client.send(ByteBuffer.wrap("readonly".getBytes(US_ASCII)).asReadOnlyBuffer(), to, (h, e) -> done.add("ro " + e));
      client.send("..array..".getBytes(US_ASCII), 2, 5, to, (h, e) -> done.add("array " + e));
      ByteBuffer[] parts = {
          ByteBuffer.allocateDirect(3).put("vec".getBytes(US_ASCII)).flip(),
          ByteBuffer.wrap("tor".getBytes(US_ASCII)),
          ByteBuffer.allocateDirect(0)};
      client.send(parts, to, (h, e) -> done.add("vector " + e));
      assertTrue(client.sendQueueCount() >= 0);
      loop.run();
      assertEquals(List.of("direct", "heap", "readonly", "array", "vector"), got);
      assertEquals(List.of("direct null", "heap null", "ro null", "array null", "vector null"), done);
    }
  }

  @Test
  void closingCancelsQueuedSendsInOrder() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp client = new Udp(loop);
      List<String> done = new ArrayList<>();
      InetSocketAddress to = lo(freePort(loop));
      // The first goes at once (its callback still waits for the loop); the rest queue.
      for (int i = 0; i < 3; i++) {
        int k = i;
        client.send(ByteBuffer.wrap(PING), to, (h, e) -> done.add(k + " " + (e == null ? "ok" : e.errorName())));
      }
      assertEquals(3, client.sendQueueCount());
      client.close();
      loop.run();
      assertEquals(3, done.size());
      assertTrue(done.get(0).startsWith("0 "), done.toString());
      assertTrue(done.get(1).startsWith("1 ") && done.get(2).startsWith("2 "), done.toString());
      assertTrue(done.stream().allMatch(s -> s.endsWith(" ok") || s.endsWith(" ECANCELED")), done.toString());
    }
  }

  /**
   * Sends queued behind one in flight, then the handle closed inside a receive callback: they
   * complete in order, the first sent, the queued ones ECANCELED. (Inside a receive callback
   * udp.c cancels them at once: libuv 1.44 would otherwise try them on the closed socket when
   * epoll reported POLLOUT with the POLLIN, and leave the freed handle in its pending queue,
   * libuv#4319.)
   */
  @Test
  void closingInARecvCallbackCancelsTheQueuedSendsInOrder() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(lo(0));
      Udp client = new Udp(loop);
      InetSocketAddress nobody = lo(freePort(loop));
      List<String> done = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        for (int i = 0; i < 3; i++) {
          int k = i;
          u.send(ByteBuffer.wrap(PONG), nobody, (h, e) -> done.add(k + " " + (e == null ? "ok" : e.errorName())));
        }
        assertEquals(3, u.sendQueueCount());
        u.close();
        client.close();
      });
      client.send(ByteBuffer.wrap(PING), server.localAddress(), (h, e) -> assertNull(e));
      loop.run();
      assertEquals(List.of("0 ok", "1 ECANCELED", "2 ECANCELED"), done);
    }
  }

  @Test
  void aSendTooLargeFailsInItsCallback() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp client = new Udp(loop);
      String[] err = {null};
      client.send(ByteBuffer.allocateDirect(70_000), lo(freePort(loop)), (h, e) -> {
        err[0] = e == null ? null : e.errorName();
        h.close();
      });
      loop.run();
      assertEquals("EMSGSIZE", err[0]);
    }
  }

  // ---------------------------------------------------------------- uv4j: misuse

  @Test
  void misuseIsRefusedWithDocumentedExceptions() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp u = new Udp(loop);
      UdpSendCallback cb = (h, e) -> { };
      ByteBuffer b = ByteBuffer.wrap(PING);
      InetSocketAddress to = lo(9);
      // nulls
      assertThrows(NullPointerException.class, () -> new Udp(null));
      assertThrows(NullPointerException.class, () -> u.bind(null));
      assertThrows(NullPointerException.class, () -> u.connect(null));
      assertThrows(NullPointerException.class, () -> u.send((ByteBuffer) null, to, cb));
      assertThrows(NullPointerException.class, () -> u.send(b, to, null));
      assertThrows(NullPointerException.class, () -> u.send(b, (UdpAddress) null, cb));
      assertThrows(NullPointerException.class, () -> u.send((ByteBuffer[]) null, to, cb));
      assertThrows(NullPointerException.class, () -> u.send(new ByteBuffer[] {null}, to, cb));
      assertThrows(NullPointerException.class, () -> u.recvStart(null));
      assertThrows(NullPointerException.class, () -> u.trySend(null, to));
      assertThrows(NullPointerException.class, () -> u.joinGroup(null, null));
      assertThrows(NullPointerException.class, () -> u.joinSourceGroup(MULTICAST_ADDR, null, null));
      // ranges and arguments
      assertThrows(IllegalArgumentException.class, () -> new Udp(loop, StandardProtocolFamily.UNIX));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(-1));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(0));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(256));
      assertThrows(IllegalArgumentException.class, () -> u.multicastTtl(-5));
      assertThrows(IllegalArgumentException.class, () -> u.sendBufferSize(-1));
      assertThrows(IllegalArgumentException.class, () -> u.bind(ANY4, 0x2)); // UV_UDP_PARTIAL is no bind flag
      assertThrows(IllegalArgumentException.class, () -> u.bind(ANY4, Udp.IPV6ONLY));
      assertThrows(IllegalArgumentException.class, () -> u.bind(InetSocketAddress.createUnresolved("localhost", 1)));
      assertThrows(IllegalArgumentException.class, () -> u.send(b, InetSocketAddress.createUnresolved("x", 1), cb));
      assertThrows(IllegalArgumentException.class, () -> u.send(new ByteBuffer[0], to, cb)); // libuv asserts nbufs > 0
      assertThrows(IndexOutOfBoundsException.class, () -> u.send(PING, 2, 5, to, cb));
      assertThrows(IllegalArgumentException.class, () -> u.joinGroup("127.0.0.1", null));
      assertThrows(IllegalArgumentException.class, () -> u.joinGroup("example.com", null));
      assertThrows(IllegalArgumentException.class, () -> u.joinSourceGroup(MULTICAST_ADDR, null, "::1"));
      assertThrows(IllegalArgumentException.class, () -> u.open(-1));
      assertEquals(0, u.sendQueueCount(), "nothing refused reached libuv");
      // libuv's own answers, without an abort
      assertEquals("EDESTADDRREQ", errName(assertThrows(UncheckedIOException.class, () -> u.send(b, (InetSocketAddress) null, cb))));
      assertEquals("EDESTADDRREQ", errName(assertThrows(UvException.class, () -> u.trySend(b, null))));
      assertEquals("ENOTCONN", errName(assertThrows(UvException.class, u::disconnect)));
      u.bind(lo(0));
      assertThrows(IllegalStateException.class, () -> u.bind(lo(0)));
      u.recvStart((h, d, f, p) -> { });
      assertEquals("EALREADY", errName(assertThrows(UncheckedIOException.class, () -> u.recvStart((h, d, f, p) -> { }))));
      // a Tcp's descriptor, a file's: refused before libuv adopts them
      Tcp tcp = new Tcp(loop);
      tcp.bind(lo(0));
      Udp other = new Udp(loop);
      IllegalArgumentException owned = assertThrows(IllegalArgumentException.class, () -> other.open(tcp.fileno()));
      assertTrue(owned.getMessage().contains("belongs to Tcp"), owned.getMessage());
      assertThrows(IllegalArgumentException.class, () -> other.open(u.fileno()));
      // closed handle
      u.close();
      assertThrows(IllegalStateException.class, () -> u.send(b, to, cb));
      assertThrows(IllegalStateException.class, () -> u.recvStart((h, d, f, p) -> { }));
      assertThrows(IllegalStateException.class, u::recvStop);
      assertThrows(IllegalStateException.class, () -> u.ttl(1));
      assertThrows(IllegalStateException.class, u::localAddress);
      assertThrows(IllegalStateException.class, () -> u.trySend(b, to));
      assertFalse(u.isReceiving());
      tcp.close();
      other.close();
      loop.run();
      assertThrows(IllegalStateException.class, u::sendQueueSize);
    }
  }

  @Test
  void aFileDescriptorIsNotAUdpSocket() throws Exception {
    java.nio.file.Path f = java.nio.file.Files.createTempFile("uv4j-udp", ".txt");
    int fd = Fs.openSync(f.toString(), Fs.O_RDONLY, 0);
    try (Loop loop = Loop.create()) {
      Udp u = new Udp(loop);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> u.open(fd));
      assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
      u.close();
      loop.run();
    } finally {
      Fs.closeSync(fd);
      java.nio.file.Files.delete(f);
    }
  }

  @Test
  void otherThreadsAreRefusedWhileTheLoopRuns() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp u = new Udp(loop);
      u.bind(lo(0));
      Throwable[] seen = new Throwable[1];
      Thread[] other = new Thread[1];
      u.recvStart((h, d, f, p) -> {
        other[0] = new Thread(() -> {
          try {
            h.send(ByteBuffer.wrap(PING), lo(9), (x, e) -> { });
          } catch (Throwable t) {
            seen[0] = t;
          }
        });
        other[0].start();
        try {
          other[0].join();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        h.close();
      });
      Udp client = new Udp(loop);
      client.send(ByteBuffer.wrap(PING), u.localAddress(), (h, e) -> h.close());
      loop.run();
      assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
    }
  }

  @Test
  void stateFollowsWhatLibuvDidToTheSocket() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp lazy = new Udp(loop);
      lazy.recvStart((h, d, f, p) -> { }); // libuv creates and binds the socket
      assertEquals("bound", lazy.state());
      assertTrue(lazy.localAddress().getPort() != 0);
      Udp early = new Udp(loop, StandardProtocolFamily.INET);
      early.recvStart((h, d, f, p) -> { }); // libuv leaves an existing socket unbound
      assertEquals("new", early.state());
      assertEquals(0, early.localAddress().getPort());
      early.bind(lo(0)); // so bind is still allowed
      assertEquals("bound", early.state());
      Udp connected = new Udp(loop);
      connected.connect(early.localAddress());
      assertTrue(connected.isConnected());
      assertEquals(4, connected.trySend(ByteBuffer.wrap(PING)));
      connected.send(ByteBuffer.wrap(PING), (h, e) -> assertNull(e));
      connected.disconnect();
      assertFalse(connected.isConnected());
      assertEquals("EDESTADDRREQ", errName(assertThrows(UvException.class, () -> connected.trySend(ByteBuffer.wrap(PING)))));
      for (Udp u : new Udp[] {lazy, early, connected}) {
        u.close();
      }
      loop.run();
    }
  }

  @Test
  void ownedSocketIsRegisteredUntilClose() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp u = new Udp(loop, StandardProtocolFamily.INET6);
      int fd = u.fileno();
      assertSame(u, OwnedFds.owner(fd));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(fd));
      assertTrue(e.getMessage().contains("Udp"), e.getMessage());
      u.close();
      assertNull(OwnedFds.owner(fd));
      loop.run();
    }
  }
}
