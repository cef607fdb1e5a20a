package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stream behaviour a Java user relies on: end vs errors, threads, resets, IPv6, error details. */
@ExtendWith(LeakCheck.class)
class StreamTest {
  static final int MIB = 1024 * 1024;

  /** Records what a ReadCallback was told, without the default closing. */
  static final class Recorder implements ReadCallback {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    int ends;
    final List<UvException> errors = new ArrayList<>();
    Runnable afterSignal = () -> { };

    @Override
    public void onData(Stream stream, ByteBuffer bytes) {
      data.write(Net.bytes(bytes), 0, bytes.remaining());
    }

    @Override
    public void onEnd(Stream stream) {
      ends++;
      stream.close();
      afterSignal.run();
    }

    @Override
    public void onError(Stream stream, UvException error) {
      errors.add(error);
      stream.close();
      afterSignal.run();
    }
  }

  // ---------------------------------------------------------------- end of stream vs errors

  @Test
  void endOfStreamIsOnEndNotOnError() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      Recorder r = new Recorder();
      p[1].readStart(r);
      p[0].write("bye".getBytes(US_ASCII));
      p[0].shutdown((s, e) -> assertNull(e));
      p[0].readStart(new Recorder()); // sees the accepted side's close as EOF
      loop.run();
      assertEquals("bye", r.data.toString(US_ASCII));
      assertEquals(1, r.ends);
      assertEquals(List.of(), r.errors);
    }
  }

  @Test
  void aResetIsOnErrorNotOnEnd() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      Recorder r = new Recorder();
      p[1].readStart(r);
      p[0].closeReset(null);
      loop.run();
      assertEquals(0, r.ends);
      assertEquals(1, r.errors.size());
      assertEquals(Errno.ECONNRESET, r.errors.get(0).code());
      assertEquals("uv_read", r.errors.get(0).syscall());
    }
  }

  @Test
  void theDefaultEndAndErrorHandlingCloseTheStream() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      Tcp[] q = StreamWriteTest.connectedPair(loop);
      p[1].readStart((s, d) -> { }); // a lambda: default onEnd and onError
      q[1].readStart((s, d) -> { });
      p[0].shutdown((s, e) -> s.close());
      q[0].closeReset(null);
      assertEquals(0, loop.run(), "both read sides were closed for the user");
      assertTrue(p[1].isClosed());
      assertTrue(q[1].isClosed());
    }
  }

  // ---------------------------------------------------------------- threads

  @Test
  void writeFromAForeignThreadThrowsAndWorksThroughExecute() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      byte[] message = "through execute".getBytes(US_ASCII);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      p[1].readStart((s, d) -> {
        got.write(Net.bytes(d), 0, d.remaining());
        if (got.size() == message.length) {
          s.close();
          p[0].close();
        }
      });
      // p[1] reads, so the loop keeps running until the message arrived.
      AtomicReference<Throwable> loopFailure = new AtomicReference<>();
      CountDownLatch running = new CountDownLatch(1);
      loop.execute(running::countDown);
      Thread t = new Thread(() -> {
        try {
          loop.run();
        } catch (Throwable e) {
          loopFailure.set(e);
        }
      }, "stream-loop");
      t.start();
      assertTrue(running.await(30, TimeUnit.SECONDS));

      IllegalStateException e = assertThrows(IllegalStateException.class, () -> p[0].write(message));
      assertTrue(e.getMessage().contains("execute"), e.getMessage());
      e = assertThrows(IllegalStateException.class, () -> p[0].write(ByteBuffer.wrap(message), (s, err) -> { }));
      assertTrue(e.getMessage().contains("execute"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> p[0].tryWrite(ByteBuffer.wrap(message)));
      assertThrows(IllegalStateException.class, () -> p[0].readStop());
      assertThrows(IllegalStateException.class, () -> p[0].shutdown((s, err) -> { }));

      Thread[] writer = new Thread[1];
      loop.execute(() -> {
        writer[0] = Thread.currentThread();
        p[0].write(message);
      });
      t.join(60_000);
      assertFalse(t.isAlive(), "the loop ends once the message arrived");
      assertNull(loopFailure.get());
      assertEquals(t, writer[0]);
      assertArrayEquals(message, got.toByteArray());
    }
  }

  // ---------------------------------------------------------------- a peer that resets mid-write

  @Test
  void aPeerResettingDuringALargeWriteFailsTheWriteCallback() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      UvException[] writeError = {null};
      int[] writeCalls = {0};
      p[1].readStart((s, d) -> {
        try {
          ((Tcp) s).closeReset(null); // at the first bytes
        } catch (UvException e) {
          fail(e);
        }
      });
      Recorder clientReads = new Recorder();
      p[0].readStart(clientReads);
      p[0].write(ByteBuffer.allocateDirect(64 * MIB), (s, e) -> {
        writeCalls[0]++;
        writeError[0] = e;
        s.close();
      });
      assertTrue(p[0].writeQueueSize() > 0);
      loop.run();
      assertEquals(1, writeCalls[0]);
      assertNotNull(writeError[0], "a 64 MiB write to a reset peer cannot succeed");
      int code = writeError[0].code();
      assertTrue(code == Errno.ECONNRESET || code == Errno.EPIPE || code == Errno.ECANCELED,
          writeError[0].getMessage());
      // Whoever saw it first, the reset is reported as an error, never as a clean end.
      assertEquals(0, clientReads.ends);
      if (code == Errno.ECANCELED) { // the read side saw the reset first and closed
        assertEquals(Errno.ECONNRESET, clientReads.errors.get(0).code());
      }
      // The loop goes on working.
      int[] ticks = {0};
      new Timer(loop).start(0, 0, tm -> {
        ticks[0]++;
        tm.close();
      });
      assertEquals(0, loop.run());
      assertEquals(1, ticks[0]);
    }
  }

  @Test
  void aWriteWithoutCallbackToAResetPeerReportsOnError() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      p[1].readStart((s, d) -> {
        try {
          ((Tcp) s).closeReset(null);
        } catch (UvException e) {
          fail(e);
        }
      });
      // The writer does not read: only the failed write can tell it.
      List<UvException> errors = new ArrayList<>();
      p[0].write(new byte[64 * MIB]);
      assertTrue(p[0].writeQueueSize() > 0);
      loop.run();
      assertTrue(p[0].isClosed(), "a failed write without callback closes a stream that is not reading");

      Tcp[] q = StreamWriteTest.connectedPair(loop);
      q[1].readStart((s, d) -> {
        try {
          ((Tcp) s).closeReset(null);
        } catch (UvException e) {
          fail(e);
        }
      });
      q[0].readStart(new ReadCallback() {
        @Override
        public void onData(Stream stream, ByteBuffer data) {
          fail("nothing is sent back");
        }

        @Override
        public void onEnd(Stream stream) {
          fail("a reset is not an end");
        }

        @Override
        public void onError(Stream stream, UvException error) {
          errors.add(error);
          stream.close();
        }
      });
      q[0].write(new byte[64 * MIB]);
      loop.run();
      assertFalse(errors.isEmpty());
      for (UvException e : errors) {
        assertTrue(e.code() == Errno.ECONNRESET || e.code() == Errno.EPIPE, e.getMessage());
      }
      assertTrue(q[0].isClosed());
    }
  }

  // ---------------------------------------------------------------- IPv6

  /** ::1, or the test is skipped where the machine has no IPv6 loopback. */
  private static InetSocketAddress ipv6LoopbackOrSkip(Loop loop) throws Exception {
    InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName("::1"), 0);
    Tcp probe = new Tcp(loop);
    try {
      probe.bind(addr);
    } catch (UvException e) {
      Assumptions.assumeTrue(e.code() != Errno.EADDRNOTAVAIL && e.code() != Errno.code("EAFNOSUPPORT"),
          "no IPv6 loopback here: " + e.getMessage());
      throw e;
    } finally {
      probe.close();
      loop.run();
    }
    return addr;
  }

  @Test
  void ipv6LoopbackBindConnectAndEcho() throws Exception {
    try (Loop loop = Loop.create()) {
      InetSocketAddress any6 = ipv6LoopbackOrSkip(loop);
      List<Stream> accepted = new ArrayList<>();
      Tcp server = new Tcp(loop, StandardProtocolFamily.INET6);
      server.bind(any6, true, false);
      server.listen(8, (srv, e) -> {
        Tcp conn = new Tcp(loop);
        srv.accept(conn);
        accepted.add(conn);
        conn.readStart(Net.echo());
      });
      InetSocketAddress local = server.localAddress();
      assertInstanceOf(Inet6Address.class, local.getAddress());
      assertTrue(local.getAddress().isLoopbackAddress());
      assertTrue(local.getPort() > 0);

      Tcp client = new Tcp(loop);
      byte[] message = "v6".getBytes(US_ASCII);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InetSocketAddress[] names = new InetSocketAddress[4];
      client.connect(local, (s, e) -> {
        assertNull(e);
        s.readStart((st, d) -> {
          got.write(Net.bytes(d), 0, d.remaining());
          if (got.size() == message.length) { // echoed: the server has accepted
            try {
              names[0] = client.localAddress();
              names[1] = client.remoteAddress();
              names[2] = ((Tcp) accepted.get(0)).localAddress();
              names[3] = ((Tcp) accepted.get(0)).remoteAddress();
            } catch (UvException ex) {
              fail(ex);
            }
            st.close();
            server.close();
          }
        });
        s.write(message);
      });
      loop.run();
      assertArrayEquals(message, got.toByteArray());
      assertEquals(local, names[1]);
      assertEquals(local, names[2]);
      assertEquals(names[0], names[3]);
      assertInstanceOf(Inet6Address.class, names[0].getAddress());
    }
  }

  @Test
  void anInet6HandleCannotBindAnIpv4Address() throws Exception {
    try (Loop loop = Loop.create()) {
      ipv6LoopbackOrSkip(loop);
      Tcp tcp = new Tcp(loop, StandardProtocolFamily.INET6);
      UvException e = assertThrows(UvException.class, () -> tcp.bind(Net.LOCAL));
      assertEquals(Errno.EINVAL, e.code(), e.getMessage());
      tcp.close();
      loop.run();
    }
  }

  // ---------------------------------------------------------------- error details

  @Test
  void connectionRefusedNamesCallAndAddress() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp holder = new Tcp(loop); // bound, not listening: connections are refused
      holder.bind(Net.LOCAL);
      InetSocketAddress target = holder.localAddress();
      UvException[] error = {null};
      Tcp client = new Tcp(loop);
      client.connect(target, (s, e) -> {
        error[0] = e;
        s.close();
        holder.close();
      });
      loop.run();
      UvException e = error[0];
      assertNotNull(e);
      assertEquals(Errno.ECONNREFUSED, e.code());
      assertEquals("ECONNREFUSED", e.errorName());
      assertEquals("uv_tcp_connect", e.syscall());
      assertTrue(e.path().endsWith("127.0.0.1:" + target.getPort()), e.path());
      assertNull(e.dest());
      assertTrue(e.getMessage().startsWith("ECONNREFUSED: "), e.getMessage());
      assertTrue(e.getMessage().contains("uv_tcp_connect"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + target.getPort()), e.getMessage());
    }
  }

  @Test
  void addressInUseNamesCallAndAddress() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp first = Net.listen(loop, (s, e) -> { });
      InetSocketAddress used = first.localAddress();
      Tcp second = new Tcp(loop);
      second.bind(used); // libuv defers EADDRINUSE to listen
      UvException e = assertThrows(UvException.class, () -> second.listen(8, (s, err) -> { }));
      assertEquals(Errno.EADDRINUSE, e.code());
      assertEquals("EADDRINUSE", e.errorName());
      assertEquals("uv_listen", e.syscall());
      assertTrue(e.path().endsWith("127.0.0.1:" + used.getPort()), e.path());
      assertTrue(e.getMessage().contains("127.0.0.1:" + used.getPort()), e.getMessage());
      first.close();
      second.close();
      loop.run();
    }
  }

  @Test
  void connectOnAConnectingHandleIsRefusedWithoutLeaking() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> { });
      Tcp client = new Tcp(loop);
      int[] calls = {0};
      client.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        calls[0]++;
        s.close();
        server.close();
      });
      assertThrows(IllegalStateException.class, () -> client.connect(server.localAddress(), (s, e) -> calls[0]++));
      loop.run();
      assertEquals(1, calls[0]);
    }
  }
  // ---------------------------------------------------------------- socket options and descriptors

  @Test
  void socketOptionsAndDescriptorsOfAConnectedPair() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp fresh = new Tcp(loop);
      UvException noFd = assertThrows(UvException.class, fresh::fileno);
      assertEquals(Errno.EBADF, noFd.code());
      assertEquals("uv_fileno", noFd.syscall());

      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int fd0 = p[0].fileno();
      int fd1 = p[1].fileno();
      assertTrue(fd0 > 2 && fd1 > 2 && fd0 != fd1, fd0 + " " + fd1);
      // A descriptor another handle owns cannot be adopted a second time (libuv itself only
      // notices, EEXIST, once the loop watches it; two handles on one socket end in an abort).
      IllegalArgumentException owned = assertThrows(IllegalArgumentException.class, () -> fresh.open(fd1));
      assertTrue(owned.getMessage().contains("belongs to"), owned.getMessage());
      p[1].readStart((st, d) -> fail("nothing is sent"));
      owned = assertThrows(IllegalArgumentException.class, () -> fresh.open(fd1));
      assertTrue(owned.getMessage().contains("belongs to"), owned.getMessage());

      p[0].noDelay(true);
      p[0].keepAlive(true, 30);
      p[0].keepAlive(false, 0);
      assertThrows(IllegalArgumentException.class, () -> p[0].keepAlive(true, 0));
      p[0].simultaneousAccepts(true); // meaningful on Windows only; accepted elsewhere

      assertTrue(p[0].sendBufferSize(0) > 0, "0 reads the current size");
      p[0].sendBufferSize(64 * 1024);
      assertTrue(p[0].sendBufferSize(0) >= 64 * 1024); // Linux reports twice what was set
      p[1].recvBufferSize(128 * 1024);
      assertTrue(p[1].recvBufferSize(0) >= 128 * 1024);
      assertThrows(IllegalArgumentException.class, () -> p[0].sendBufferSize(-1));

      assertTrue(p[0].isReadable());
      assertTrue(p[0].isWritable());
      UvException[] shutdown = {null};
      p[0].shutdown((st, e) -> shutdown[0] = e);
      assertTrue(p[0].isReadable());
      assertFalse(p[0].isWritable(), "shut down for writing");
      assertEquals(0, p[0].writeQueueSize());

      fresh.close();
      p[0].close();
      p[1].close();
      loop.run();
      // Closed before the loop could run it, the shutdown was cancelled.
      assertNotNull(shutdown[0]);
      assertEquals(Errno.ECANCELED, shutdown[0].code());
      // Closed handles refuse everything but the queries.
      assertThrows(IllegalStateException.class, p[0]::fileno);
      assertThrows(IllegalStateException.class, () -> p[0].write(new byte[1]));
      assertThrows(IllegalStateException.class, () -> p[0].readStart((st, d) -> { }));
      assertTrue(p[0].isClosed());
    }
  }

  @Test
  void acceptWithoutAPendingConnectionIsEagain() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> { });
      Tcp client = new Tcp(loop);
      java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
          () -> server.accept(client));
      assertEquals(Errno.EAGAIN, ((UvException) e.getCause()).code());
      // The client handle is still usable: connect it to that server.
      int[] connected = {0};
      client.connect(server.localAddress(), (s, err) -> {
        assertNull(err);
        connected[0]++;
        s.close();
        server.close();
      });
      loop.run();
      assertEquals(1, connected[0]);
    }
  }
  // ---------------------------------------------------------------- callbacks that throw

  @Test
  void anExceptionFromOnDataEndsRunAndTheStreamGoesOn() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      IllegalStateException boom = new IllegalStateException("boom");
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      p[1].readStart((s, d) -> {
        got.write(Net.bytes(d), 0, d.remaining());
        if (got.size() == 1) {
          throw boom;
        }
        if (got.size() == 3) {
          s.close();
          p[0].close();
        }
      });
      p[0].write(new byte[] {'a'});
      RuntimeException thrown = assertThrows(RuntimeException.class, loop::run);
      assertEquals(boom, thrown);
      // Still open and reading: the next bytes arrive.
      p[0].write(new byte[] {'b', 'c'});
      assertEquals(0, loop.run());
      assertEquals("abc", got.toString(US_ASCII));
    }
  }

  @Test
  void anExceptionFromAWriteCallbackGoesToTheHandlerAndLaterWritesComplete() throws Exception {
    try (Loop loop = Loop.create()) {
      List<Object> sources = new ArrayList<>();
      loop.setExceptionHandler((source, e) -> sources.add(source));
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      List<String> done = new ArrayList<>();
      p[0].write(ByteBuffer.wrap(new byte[] {1}), (s, e) -> {
        done.add("first");
        throw new IllegalStateException("in a write callback");
      });
      p[0].write(ByteBuffer.wrap(new byte[] {2}), (s, e) -> done.add("second"));
      byte[] got = StreamWriteTest.readAll(loop, p[1], p[0], 2);
      assertArrayEquals(new byte[] {1, 2}, got);
      assertEquals(List.of("first", "second"), done);
      assertEquals(List.of(p[0]), sources);
    }
  }

  // ---------------------------------------------------------------- the read buffer

  @Test
  void theReadBufferSizeBoundsEachRead() throws Exception {
    try (Loop loop = Loop.create()) {
      loop.setReadBufferSize(1024);
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      byte[] data = StreamWriteTest.random(100_000, 11);
      int[] largest = {0};
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      p[1].readStart((s, d) -> {
        assertEquals(0, d.position());
        largest[0] = Math.max(largest[0], d.remaining());
        got.write(Net.bytes(d), 0, d.remaining());
        if (got.size() == data.length) {
          s.close();
          p[0].close();
        }
      });
      assertThrows(IllegalStateException.class, () -> loop.setReadBufferSize(4096),
          "too late: a stream reads into the current buffer");
      p[0].write(data);
      loop.run();
      assertArrayEquals(data, got.toByteArray());
      assertTrue(largest[0] <= 1024 && largest[0] > 0, "largest read " + largest[0]);
      assertThrows(IllegalArgumentException.class, () -> loop.setReadBufferSize(10));
      assertThrows(IllegalArgumentException.class, () -> loop.setReadBufferSize(Integer.MAX_VALUE));
    }
  }

  // ---------------------------------------------------------------- Loop.shutdown

  @Test
  void loopShutdownCancelsPendingWritesAndConnects() throws Exception {
    Loop loop = Loop.create();
    Tcp[] p = StreamWriteTest.connectedPair(loop);
    List<Integer> statuses = new ArrayList<>();
    p[0].write(ByteBuffer.allocateDirect(32 * MIB), (s, e) -> statuses.add(e == null ? 0 : e.code()));
    p[0].write(new byte[10], 0, 10, (s, e) -> statuses.add(e == null ? 0 : e.code()));
    Tcp server = Net.listen(loop, (s, e) -> { });
    Tcp connecting = new Tcp(loop);
    connecting.connect(server.localAddress(), (s, e) -> statuses.add(e == null ? 0 : e.code()));
    loop.shutdown();
    assertTrue(loop.isClosed());
    assertEquals(List.of(Errno.ECANCELED, Errno.ECANCELED, Errno.ECANCELED), statuses);
  }

  // ---------------------------------------------------------------- empty writes

  @Test
  void emptyWritesCompleteWithoutSendingAnything() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int[] calls = {0};
      p[0].write(ByteBuffer.allocate(0));
      p[0].write(new byte[0]);
      p[0].write(ByteBuffer.allocate(0), (s, e) -> {
        assertNull(e);
        calls[0]++;
      });
      p[0].write(ByteBuffer.allocateDirect(0), (s, e) -> {
        assertNull(e);
        calls[0]++;
      });
      p[0].write(new byte[] {42});
      byte[] got = StreamWriteTest.readAll(loop, p[1], p[0], 1);
      assertArrayEquals(new byte[] {42}, got);
      assertEquals(2, calls[0]);
    }
  }
}
