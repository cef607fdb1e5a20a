package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * uv4j's own UDP delivery cases: the receive view of the sender (no address allocated),
 * partial datagrams, recvmmsg batches (own views, dropped after close, the read buffer it needs),
 * throwing callbacks, sends of every kind in order, cancellation of queued sends by close, sends
 * too large. Helpers are {@link UdpTest}'s.
 */
@ExtendWith(LeakCheck.class)
class UdpDeliveryTest {
  // ---------------------------------------------------------------- uv4j: receiving

  @Test
  void senderViewDescribesTheSenderWithoutAllocatingAnAddress() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp server = new Udp(loop);
      server.bind(UdpTest.lo(0));
      Udp client = new Udp(loop);
      client.bind(UdpTest.lo(0));
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
      client.send(ByteBuffer.wrap(UdpTest.PING), server.localAddress(), (h, e) -> assertNull(e));
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
      server.bind(UdpTest.lo(0));
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
      server.bind(UdpTest.lo(0));
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
      server.bind(UdpTest.lo(0));
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
      server.bind(UdpTest.lo(0));
      Udp client = new Udp(loop);
      int[] calls = {0};
      server.recvStart((u, data, from, partial) -> {
        if (++calls[0] == 1) {
          throw new IllegalStateException("boom");
        }
        u.close();
        client.close();
      });
      client.send(ByteBuffer.wrap(UdpTest.PING), server.localAddress(), (h, e) -> assertNull(e));
      IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
      assertEquals("boom", e.getMessage());
      assertTrue(server.isReceiving());
      client.send(ByteBuffer.wrap(UdpTest.PING), server.localAddress(), (h, e2) -> assertNull(e2));
      loop.run();
      assertEquals(2, calls[0]);
    }
  }

  @Test
  void aThrowingSendCallbackReachesRun() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp client = new Udp(loop);
      client.send(ByteBuffer.wrap(UdpTest.PING), UdpTest.lo(UdpTest.freePort(loop)), (h, e) -> {
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
      server.bind(UdpTest.lo(0));
      InetSocketAddress to = server.localAddress();
      Udp client = new Udp(loop);
      List<String> got = new ArrayList<>();
      List<String> done = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        got.add(new String(UdpTest.bytes(data), US_ASCII));
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
      InetSocketAddress to = UdpTest.lo(UdpTest.freePort(loop));
      // The first goes at once (its callback still waits for the loop); the rest queue.
      for (int i = 0; i < 3; i++) {
        int k = i;
        client.send(ByteBuffer.wrap(UdpTest.PING), to, (h, e) -> done.add(k + " " + (e == null ? "ok" : e.errorName())));
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
      server.bind(UdpTest.lo(0));
      Udp client = new Udp(loop);
      InetSocketAddress nobody = UdpTest.lo(UdpTest.freePort(loop));
      List<String> done = new ArrayList<>();
      server.recvStart((u, data, from, partial) -> {
        for (int i = 0; i < 3; i++) {
          int k = i;
          u.send(ByteBuffer.wrap(UdpTest.PONG), nobody, (h, e) -> done.add(k + " " + (e == null ? "ok" : e.errorName())));
        }
        assertEquals(3, u.sendQueueCount());
        u.close();
        client.close();
      });
      client.send(ByteBuffer.wrap(UdpTest.PING), server.localAddress(), (h, e) -> assertNull(e));
      loop.run();
      assertEquals(List.of("0 ok", "1 ECANCELED", "2 ECANCELED"), done);
    }
  }

  @Test
  void aSendTooLargeFailsInItsCallback() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp client = new Udp(loop);
      String[] err = {null};
      client.send(ByteBuffer.allocateDirect(70_000), UdpTest.lo(UdpTest.freePort(loop)), (h, e) -> {
        err[0] = e == null ? null : e.errorName();
        h.close();
      });
      loop.run();
      assertEquals("EMSGSIZE", err[0]);
    }
  }
}
