package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * IPC pipes in one process: handle passing ({@code uv_write2}, pending count and type,
 * {@code uv_accept} of a pending handle), {@code uv_pipe} and {@code uv_socketpair}. libuv's tests
 * ported by name; the cross-process ones (a child JVM accepting on a passed socket) are in
 * {@link IpcChildJvmTest}, the preconditions of write2 and accept and the queued write2 cases in
 * {@link PipeIpcWrite2Test}.
 */
@ExtendWith(LeakCheck.class)
class PipeIpcTest {
  static final InetSocketAddress ANY_LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  @TempDir
  Path dir;

  /**
   * Reads handles off an IPC pipe the way libuv's recv_cb does: for each read, while a handle is
   * pending, checks its type and accepts it into a new handle of that type.
   */
  static final class Receiver implements ReadCallback {
    final Loop loop;
    final List<Handle> received = new ArrayList<>();
    final List<Uv.HandleType> types = new ArrayList<>();
    final StringBuilder bytes = new StringBuilder();
    int reads;
    boolean eof;
    Runnable onHandle = () -> {};

    Receiver(Loop loop) {
      this.loop = loop;
    }

    @Override
    public void onData(Stream stream, ByteBuffer data) {
      reads++;
      bytes.append(US_ASCII.decode(data));
      Pipe p = (Pipe) stream;
      while (!p.isClosing() && p.pendingCount() > 0) {
        Uv.HandleType t = p.pendingType();
        types.add(t);
        Handle h = t == Uv.HandleType.TCP ? new Tcp(loop) : t == Uv.HandleType.UDP ? new Udp(loop) : new Pipe(loop, false);
        p.acceptPending(h);
        received.add(h);
        onHandle.run();
      }
    }

    @Override
    public void onEnd(Stream stream) {
      eof = true;
      stream.close();
    }
  }

  // test-ipc-send-recv.c: ipc_send_recv_pipe_inprocess (the echo side runs on a second loop in
  // its own thread, as libuv's helper thread does; the channel is a socketpair, not a named pipe)
  @Test
  void ipc_send_recv_pipe_inprocess() throws Exception {
    sendRecvInprocess(Uv.HandleType.NAMED_PIPE);
  }

  // test-ipc-send-recv.c: ipc_send_recv_tcp_inprocess
  @Test
  void ipc_send_recv_tcp_inprocess() throws Exception {
    sendRecvInprocess(Uv.HandleType.TCP);
  }

  private void sendRecvInprocess(Uv.HandleType type) throws Exception {
    int[] fds = Uv.socketpair();
    AtomicReference<Throwable> echoFailure = new AtomicReference<>();
    int[] echoed = new int[1];
    Thread echo = new Thread(() -> {
      // The helper: accepts each handle it receives and writes it back with write2.
      try (Loop loop = Loop.create()) {
        Pipe channel = new Pipe(loop, true);
        channel.open(fds[1]);
        List<Handle> got = new ArrayList<>();
        channel.readStart((s, data) -> {
          Pipe p = (Pipe) s;
          while (p.pendingCount() > 0) {
            assertEquals(type, p.pendingType());
            Handle h = type == Uv.HandleType.TCP ? new Tcp(loop) : new Pipe(loop, false);
            p.acceptPending(h);
            got.add(h);
            p.write2(".".getBytes(US_ASCII), h, (w, err) -> {
              assertNull(err);
              if (++echoed[0] == 2) {
                got.forEach(Handle::close);
                w.close();
              }
            });
          }
        });
        loop.run();
      } catch (Throwable t) {
        echoFailure.set(t);
      }
    }, "ipc-echo");
    echo.start();
    try (Loop loop = Loop.create()) {
      Handle send;
      Handle send2;
      if (type == Uv.HandleType.TCP) {
        Tcp a = new Tcp(loop);
        a.bind(ANY_LOCAL);
        Tcp b = new Tcp(loop);
        b.bind(ANY_LOCAL);
        send = a;
        send2 = b;
      } else {
        Pipe a = new Pipe(loop, true);
        a.bind(dir.resolve("a.sock").toString());
        Pipe b = new Pipe(loop, true);
        b.bind(dir.resolve("b.sock").toString());
        send = a;
        send2 = b;
      }
      Pipe channel = new Pipe(loop, true);
      channel.open(fds[0]);
      int[] writes = new int[1];
      // two writes to the same pipe, as libuv does (its issue 505)
      assertTrue(channel.write2(".".getBytes(US_ASCII), send, (s, e) -> { assertNull(e); writes[0]++; }));
      channel.write2(ByteBuffer.wrap(".".getBytes(US_ASCII)), send2, (s, e) -> { assertNull(e); writes[0]++; });
      Receiver r = new Receiver(loop);
      r.onHandle = () -> {
        if (r.received.size() == 2) {
          channel.close();
        }
      };
      channel.readStart(r);
      loop.run();
      echo.join();
      assertNull(echoFailure.get());
      assertEquals(2, writes[0]);
      assertEquals(List.of(type, type), r.types, "reads " + r.reads + " bytes " + r.bytes + " eof " + r.eof + " echoed " + echoed[0]);
      assertEquals(2, echoed[0]);
      // what came back is the same socket: the same local address
      if (type == Uv.HandleType.TCP) {
        assertEquals(((Tcp) send).localAddress(), ((Tcp) r.received.get(0)).localAddress());
        assertEquals(((Tcp) send2).localAddress(), ((Tcp) r.received.get(1)).localAddress());
      } else {
        assertEquals(((Pipe) send).localName(), ((Pipe) r.received.get(0)).localName());
      }
      send.close();
      send2.close();
      r.received.forEach(Handle::close);
      loop.run();
    }
  }

  // test-ipc.c: ipc_listen_before_write, in one process: a listening socket passed over the
  // channel is listened on by the receiver, which then accepts a connection on it.
  @Test
  void received_listening_socket_accepts_connections() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Tcp server = new Tcp(loop);
      server.bind(ANY_LOCAL);
      server.listen(8, (s, e) -> { throw new AssertionError("the original must not accept"); });
      InetSocketAddress at = server.localAddress();
      List<String> events = new ArrayList<>();
      // the original is closed right after write2: the write went out at once (idle channel)
      ch[0].write2("L".getBytes(US_ASCII), server, (s, e) -> {
        assertNull(e);
        events.add("write2 done, server closing " + server.isClosing() + ", closed " + server.isClosed());
      });
      server.close(() -> events.add("original closed"));
      assertTrue(server.isClosing());
      assertThrows(IllegalStateException.class, () -> server.listen(8, (s, e) -> {}));
      ch[1].readStart((s, data) -> {
        Tcp got = new Tcp(loop);
        ((Pipe) s).acceptPending(got);
        events.add("accepted " + got);
        try {
          got.listen(8, (srv, e) -> {
            Tcp conn = new Tcp(loop);
            srv.accept(conn);
            conn.write("hi".getBytes(US_ASCII));
            conn.shutdown((c, err) -> c.close());
            srv.close();
          });
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        Tcp client = new Tcp(loop);
        client.connect(at, (c, e) -> {
          assertNull(e);
          StringBuilder text = new StringBuilder();
          c.readStart(TextReader.into(text, () -> {
            events.add("client read " + text);
            ch[0].close();
            ch[1].close();
          }));
        });
      });
      loop.run();
      assertEquals(4, events.size(), events.toString());
      assertEquals("write2 done, server closing true, closed false", events.get(0), "the native close waits for the write");
      assertTrue(events.indexOf("original closed") > 0, events.toString());
      assertEquals("client read hi", events.get(3));
      String accepted = events.stream().filter(e -> e.startsWith("accepted")).findFirst().orElseThrow();
      assertTrue(accepted.endsWith("new]"), "a received listening socket is new: " + accepted);
    }
  }

  // test-ipc.c: ipc_tcp_connection: a connected socket passed to the receiver, which writes on it
  @Test
  void ipc_tcp_connection() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Tcp server = new Tcp(loop);
      server.bind(ANY_LOCAL);
      StringBuilder clientRead = new StringBuilder();
      server.listen(8, (s, e) -> {
        Tcp conn = new Tcp(loop);
        s.accept(conn);
        ch[0].write2("C".getBytes(US_ASCII), conn, (w, err) -> assertNull(err));
        conn.close(); // deferred until the descriptor has gone out
        s.close();
      });
      ch[1].readStart((s, data) -> {
        Tcp got = new Tcp(loop);
        ((Pipe) s).acceptPending(got);
        assertTrue(got.toString().endsWith("connected]"), got.toString());
        got.write("hello".getBytes(US_ASCII));
        got.shutdown((g, err) -> g.close());
      });
      Tcp client = new Tcp(loop);
      client.connect(server.localAddress(), (c, e) -> c.readStart(TextReader.into(clientRead, () -> {
        ch[0].close();
        ch[1].close();
      })));
      loop.run();
      assertEquals("hello", clientRead.toString());
    }
  }

  // test-pipe-sendmsg.c: pipe_sendmsg: many descriptors pending at once are all accepted (libuv
  // sends 16 in one sendmsg; here 16 write2 calls, which the receiver may read in one go)
  @Test
  void pipe_sendmsg() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      List<Pipe> sent = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Pipe[] pair = Pipe.pair(loop, false);
        sent.add(pair[0]);
        sent.add(pair[1]);
        ch[0].write2("X".getBytes(US_ASCII), pair[i % 2], (s, e) -> assertNull(e));
      }
      Receiver r = new Receiver(loop);
      r.onHandle = () -> {
        if (r.received.size() == 16) {
          ch[0].close();
          ch[1].close();
        }
      };
      ch[1].readStart(r);
      loop.run();
      assertEquals(16, r.received.size());
      assertEquals("X".repeat(16), r.bytes.toString());
      assertTrue(r.types.stream().allMatch(t -> t == Uv.HandleType.NAMED_PIPE), r.types.toString());
      sent.forEach(Handle::close);
      r.received.forEach(Handle::close);
      loop.run();
    }
  }

  // A bound Udp travels too (uv_accept's UDP case): the received handle keeps the binding and
  // receives what is sent to that port.
  @Test
  void udp_handle_passing() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Udp original = new Udp(loop);
      original.bind(ANY_LOCAL);
      InetSocketAddress at = original.localAddress();
      ch[0].write2("U".getBytes(US_ASCII), original, (s, e) -> assertNull(e));
      original.close();
      StringBuilder got = new StringBuilder();
      ch[1].readStart((s, data) -> {
        Pipe p = (Pipe) s;
        assertEquals(Uv.HandleType.UDP, p.pendingType());
        Udp u = new Udp(loop);
        p.acceptPending(u);
        assertEquals("bound", u.state());
        try {
          assertEquals(at, u.localAddress());
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        u.recvStart((h, d, from, flags) -> {
          got.append(US_ASCII.decode(d));
          h.close();
          ch[0].close();
          ch[1].close();
        });
        Udp sender = new Udp(loop);
        sender.send(ByteBuffer.wrap("dgram".getBytes(US_ASCII)), at, (h, err) -> h.close());
      });
      loop.run();
      assertEquals("dgram", got.toString());
    }
  }

  // libuv 1.44 reports EOF on POLLHUP after a short read, but an IPC pipe's recvmsg stops after
  // each message carrying a descriptor: every message sent before the peer closed must still
  // arrive, then the EOF (stream.c reads on while FIONREAD says bytes are left).
  @Test
  void every_message_arrives_before_eof() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Tcp a = new Tcp(loop);
      a.bind(ANY_LOCAL);
      for (int i = 0; i < 3; i++) {
        ch[0].write2(("m" + i).getBytes(US_ASCII), a, (s, e) -> assertNull(e));
      }
      a.close();
      ch[0].close(); // the peer is gone before the receiver reads anything
      loop.run();
      Receiver r = new Receiver(loop);
      ch[1].readStart(r);
      loop.run();
      assertEquals("m0m1m2", r.bytes.toString());
      assertEquals(3, r.received.size());
      assertTrue(r.eof);
      r.received.forEach(Handle::close);
      loop.run();
    }
  }

  @Test
  void handles_never_accepted_are_closed_with_the_pipe() throws Exception {
    int before = openDescriptors();
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Tcp a = new Tcp(loop);
      a.bind(ANY_LOCAL);
      ch[0].write2("a".getBytes(US_ASCII), a, (s, e) -> assertNull(e));
      ch[0].write2("b".getBytes(US_ASCII), a, (s, e) -> assertNull(e));
      a.close();
      ch[1].readStart((s, data) -> {
        Pipe p = (Pipe) s;
        if (p.pendingCount() == 2) { // both arrived; leave them pending
          p.close();
          ch[0].close();
        }
      });
      loop.run();
    }
    assertEquals(before, openDescriptors(), "received descriptors leaked");
  }

  @Test
  void discard_pending() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Tcp a = new Tcp(loop);
      a.bind(ANY_LOCAL);
      ch[0].write2("a".getBytes(US_ASCII), a, (s, e) -> a.close());
      int[] counts = new int[2];
      ch[1].readStart((s, data) -> {
        Pipe p = (Pipe) s;
        counts[0] = p.pendingCount();
        p.discardPending();
        counts[1] = p.pendingCount();
        assertEquals(Uv.HandleType.UNKNOWN, p.pendingType());
        p.discardPending(); // nothing pending: nothing happens
        ch[0].close();
        ch[1].close();
      });
      loop.run();
      assertArrayEquals(new int[] {1, 0}, counts);
    }
  }

  // ---------------------------------------------------------------- uv_pipe, uv_socketpair

  // test-ping-pong.c: pipe_ping_pong's uv_pipe() half: bytes through an anonymous pipe
  @Test
  void uv_pipe_carries_bytes() throws Exception {
    int[] fds = Uv.pipe(true, true);
    try (Loop loop = Loop.create()) {
      Pipe in = new Pipe(loop, false);
      in.open(fds[0]);
      Pipe out = new Pipe(loop, false);
      out.open(fds[1]);
      assertTrue(in.isReadable());
      assertFalse(in.isWritable());
      assertTrue(out.isWritable());
      StringBuilder got = new StringBuilder();
      in.readStart(TextReader.into(got, () -> { }));
      out.write("PING".getBytes(US_ASCII));
      out.close();
      loop.run();
      assertEquals("PING", got.toString());
    }
  }

  @Test
  void socketpair_and_pipe_descriptors_belong_to_the_caller() throws Exception {
    int[] p = Uv.pipe(false, false);
    int[] s = Uv.socketpair(true, false, true);
    assertEquals(Uv.HandleType.NAMED_PIPE, Uv.guessHandle(p[0]));
    assertEquals(Uv.HandleType.UNKNOWN, Uv.guessHandle(s[0]), "libuv has no handle for Unix datagram sockets");
    for (int fd : new int[] {p[0], p[1], s[0], s[1]}) {
      Fs.closeSync(fd); // not owned by any handle: the caller closes them
    }
  }

  // Not in libuv's suite: a received descriptor is libuv's until accepted. Closing it then made
  // the accepting handle's first epoll_ctl fail, and libuv abort. Fs.close refuses it; accepting
  // hands it to the new handle; discarding it, or closing the pipe, frees the number.
  @Test
  void a_received_descriptor_is_refused_to_fs_close_until_accepted() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] pair = Pipe.pair(loop, true);
      List<Tcp> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Tcp t = new Tcp(loop);
        t.bind(ANY_LOCAL);
        sent.add(t);
        pair[0].write2(".".getBytes(US_ASCII), t, (w, err) -> assertNull(err));
      }
      int[] handled = {0};
      int[] lastPending = {-1};
      List<String> failures = new ArrayList<>();
      Tcp accepted = new Tcp(loop);
      pair[1].readStart((s, data) -> {
        Pipe p = (Pipe) s;
        while (p.pendingCount() > 0 && handled[0] < 2) {
          int fd = Pipe.nPendingFds(p.address)[0];
          if (OwnedFds.owner(fd) != p) {
            failures.add("pending fd " + fd + " is owned by " + OwnedFds.owner(fd));
          }
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(fd));
          assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
          if (handled[0]++ == 0) {
            p.acceptPending(accepted);
            if (OwnedFds.owner(fd) != accepted) {
              failures.add("accepted fd " + fd + " is owned by " + OwnedFds.owner(fd));
            }
          } else {
            p.discardPending();
            if (OwnedFds.owner(fd) == p) {
              failures.add("discarded fd " + fd + " is still the pipe's");
            }
          }
        }
        if (handled[0] == 2 && p.pendingCount() == 1) { // the third stays pending: the pipe closes
          lastPending[0] = Pipe.nPendingFds(p.address)[0];
          assertTrue(OwnedFds.owner(lastPending[0]) == p, "the third pending descriptor is the pipe's");
          p.close();
          pair[0].close();
          accepted.close();
          sent.forEach(Handle::close);
        }
      });
      loop.run();
      assertEquals(List.of(), failures);
      assertEquals(2, handled[0]);
      assertTrue(lastPending[0] >= 0, "the third descriptor arrived");
      assertTrue(OwnedFds.owner(lastPending[0]) != pair[1], "a closed pipe still owns its pending descriptor");
    }
  }

  static int openDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
