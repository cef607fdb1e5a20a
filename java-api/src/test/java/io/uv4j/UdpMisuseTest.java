package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * uv4j's UDP misuse cases: bad arguments and states refused with the documented exceptions, a
 * file descriptor that is not a UDP socket, other threads refused while the loop runs, state that
 * follows what libuv did to the socket, an owned socket registered until close. Helpers are
 * {@link UdpTest}'s.
 */
@ExtendWith(LeakCheck.class)
class UdpMisuseTest {
  // ---------------------------------------------------------------- uv4j: misuse

  @Test
  void misuseIsRefusedWithDocumentedExceptions() throws Exception {
    try (Loop loop = Loop.create()) {
      Udp u = new Udp(loop);
      UdpSendCallback cb = (h, e) -> { };
      ByteBuffer b = ByteBuffer.wrap(UdpTest.PING);
      InetSocketAddress to = UdpTest.lo(9);
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
      assertThrows(NullPointerException.class, () -> u.joinSourceGroup(UdpOptionsTest.MULTICAST_ADDR, null, null));
      // ranges and arguments
      assertThrows(IllegalArgumentException.class, () -> new Udp(loop, StandardProtocolFamily.UNIX));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(-1));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(0));
      assertThrows(IllegalArgumentException.class, () -> u.ttl(256));
      assertThrows(IllegalArgumentException.class, () -> u.multicastTtl(-5));
      assertThrows(IllegalArgumentException.class, () -> u.sendBufferSize(-1));
      assertThrows(IllegalArgumentException.class, () -> u.bind(UdpTest.ANY4, 0x2)); // UV_UDP_PARTIAL is no bind flag
      assertThrows(IllegalArgumentException.class, () -> u.bind(UdpTest.ANY4, Udp.IPV6ONLY));
      assertThrows(IllegalArgumentException.class, () -> u.bind(InetSocketAddress.createUnresolved("localhost", 1)));
      assertThrows(IllegalArgumentException.class, () -> u.send(b, InetSocketAddress.createUnresolved("x", 1), cb));
      assertThrows(IllegalArgumentException.class, () -> u.send(new ByteBuffer[0], to, cb)); // libuv asserts nbufs > 0
      assertThrows(IndexOutOfBoundsException.class, () -> u.send(UdpTest.PING, 2, 5, to, cb));
      assertThrows(IllegalArgumentException.class, () -> u.joinGroup("127.0.0.1", null));
      assertThrows(IllegalArgumentException.class, () -> u.joinGroup("example.com", null));
      assertThrows(IllegalArgumentException.class, () -> u.joinSourceGroup(UdpOptionsTest.MULTICAST_ADDR, null, "::1"));
      assertThrows(IllegalArgumentException.class, () -> u.open(-1));
      assertEquals(0, u.sendQueueCount(), "nothing refused reached libuv");
      // libuv's own answers, without an abort
      assertEquals("EDESTADDRREQ", UdpTest.errName(assertThrows(UncheckedIOException.class, () -> u.send(b, (InetSocketAddress) null, cb))));
      assertEquals("EDESTADDRREQ", UdpTest.errName(assertThrows(UvException.class, () -> u.trySend(b, null))));
      assertEquals("ENOTCONN", UdpTest.errName(assertThrows(UvException.class, u::disconnect)));
      u.bind(UdpTest.lo(0));
      assertThrows(IllegalStateException.class, () -> u.bind(UdpTest.lo(0)));
      u.recvStart((h, d, f, p) -> { });
      assertEquals("EALREADY", UdpTest.errName(assertThrows(UncheckedIOException.class, () -> u.recvStart((h, d, f, p) -> { }))));
      // a Tcp's descriptor, a file's: refused before libuv adopts them
      Tcp tcp = new Tcp(loop);
      tcp.bind(UdpTest.lo(0));
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
      u.bind(UdpTest.lo(0));
      Throwable[] seen = new Throwable[1];
      Thread[] other = new Thread[1];
      u.recvStart((h, d, f, p) -> {
        other[0] = new Thread(() -> {
          try {
            h.send(ByteBuffer.wrap(UdpTest.PING), UdpTest.lo(9), (x, e) -> { });
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
      client.send(ByteBuffer.wrap(UdpTest.PING), u.localAddress(), (h, e) -> h.close());
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
      early.bind(UdpTest.lo(0)); // so bind is still allowed
      assertEquals("bound", early.state());
      Udp connected = new Udp(loop);
      connected.connect(early.localAddress());
      assertTrue(connected.isConnected());
      assertEquals(4, connected.trySend(ByteBuffer.wrap(UdpTest.PING)));
      connected.send(ByteBuffer.wrap(UdpTest.PING), (h, e) -> assertNull(e));
      connected.disconnect();
      assertFalse(connected.isConnected());
      assertEquals("EDESTADDRREQ", UdpTest.errName(assertThrows(UvException.class, () -> connected.trySend(ByteBuffer.wrap(UdpTest.PING)))));
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
