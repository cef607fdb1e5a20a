package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's UDP option, multicast and bind tests (v1.44.2: test-udp-options.c,
 * test-udp-multicast-join.c, test-udp-multicast-ttl.c, test-udp-bind.c), ported, and uv4j's
 * SO_REUSEPORT. Helpers are {@link UdpTest}'s.
 */
@ExtendWith(LeakCheck.class)
class UdpOptionsTest {
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
      assertEquals("EBADF", UdpTest.errName(assertThrows(UvException.class, () -> h.multicastTtl(32))));
      assertEquals("EBADF", UdpTest.errName(assertThrows(UvException.class, () -> h.broadcast(true))));
      assertEquals("EBADF", UdpTest.errName(assertThrows(UvException.class, () -> h.ttl(1))));
      assertEquals("EBADF", UdpTest.errName(assertThrows(UvException.class, () -> h.multicastLoop(true))));
      assertEquals("EBADF", UdpTest.errName(assertThrows(UvException.class, () -> h.multicastInterface("0.0.0.0"))));
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
      server.bind(UdpTest.ANY4);
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
        assertArrayEquals(UdpTest.PING, UdpTest.bytes(data));
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
        client.send(ByteBuffer.wrap(UdpTest.PING), new InetSocketAddress(MULTICAST_ADDR, port), svSendCb);
      });
      client.send(ByteBuffer.wrap(UdpTest.PING), new InetSocketAddress(MULTICAST_ADDR, port), svSendCb);
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
      server.bind(UdpTest.ANY4);
      server.multicastTtl(32);
      server.send(ByteBuffer.wrap(UdpTest.PING), new InetSocketAddress(MULTICAST_ADDR, UdpTest.freePort(loop)), (h, e) -> {
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
      h1.bind(UdpTest.ANY4);
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
      h1.bind(UdpTest.ANY4, Udp.REUSEADDR);
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
      h1.bind(UdpTest.lo(0), Udp.REUSEPORT);
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
}
