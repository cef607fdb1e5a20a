package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the write calls promise: when the bytes are taken, zero copy for direct buffers with a
 * callback, order, try-write counts, and that every kind of buffer delivers the same bytes.
 * Most tests use a connected pair whose loop is not running between steps, so "the peer does
 * not read yet" is exact, not a matter of timing.
 */
@ExtendWith(LeakCheck.class)
class StreamWriteTest {
  static final int MIB = 1024 * 1024;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  /**
   * A connected pair on {@code loop}: [0] the client, [1] the accepted side. Neither reads, so
   * the loop run that connects them returns once the listener is closed.
   */
  static Tcp[] connectedPair(Loop loop) throws UvException {
    Tcp[] pair = new Tcp[2];
    Tcp server = Net.listen(loop, (srv, e) -> {
      assertNull(e);
      pair[1] = new Tcp(loop);
      srv.accept(pair[1]);
      srv.close();
    });
    Tcp client = new Tcp(loop);
    client.connect(server.localAddress(), (s, e) -> {
      assertNull(e);
      pair[0] = client;
    });
    assertEquals(0, loop.run());
    assertNotNull(pair[0]);
    assertNotNull(pair[1]);
    return pair;
  }

  /** Reads {@code expected} bytes on {@code reader}, then closes both; returns what came. */
  static byte[] readAll(Loop loop, Stream reader, Stream other, int expected) {
    ByteArrayOutputStream got = new ByteArrayOutputStream(expected);
    reader.readStart(new ReadCallback() {
      @Override
      public void onData(Stream s, ByteBuffer data) {
        got.write(Net.bytes(data), 0, data.remaining());
        if (got.size() >= expected) {
          s.close();
          other.close();
        }
      }

      @Override
      public void onEnd(Stream s) {
        s.close();
        other.close();
      }
    });
    loop.run();
    return got.toByteArray();
  }

  // ---------------------------------------------------------------- write without callback

  /** Big enough to outgrow the socket buffers, so part of every such write is queued. */
  static final int BIG = 16 * MIB;

  private static void writeWithoutCallbackTakesTheBytesNow(String kind) throws Exception {
    byte[] original = random(BIG, 1);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      ByteBuffer buf;
      switch (kind) {
        case "heap":
          buf = ByteBuffer.wrap(original.clone());
          p[0].write(buf);
          break;
        case "direct":
          buf = ByteBuffer.allocateDirect(BIG).put(original).flip();
          p[0].write(buf);
          break;
        case "array":
          buf = ByteBuffer.wrap(original.clone());
          p[0].write(buf.array());
          buf.position(buf.limit());
          break;
        default:
          throw new AssertionError(kind);
      }
      assertEquals(buf.limit(), buf.position(), "the position advances by the bytes taken");
      assertTrue(p[0].writeQueueSize() > 0, "the peer does not read: part of the write is queued");
      // Reuse the buffer at once: the queued part must be a copy.
      buf.clear();
      while (buf.hasRemaining()) {
        buf.put((byte) 0x55);
      }
      byte[] got = readAll(loop, p[1], p[0], BIG);
      assertArrayEquals(original, got);
    }
  }

  @Test
  void heapWriteWithoutCallbackMayReuseTheBufferAtOnce() throws Exception {
    writeWithoutCallbackTakesTheBytesNow("heap");
  }

  @Test
  void directWriteWithoutCallbackMayReuseTheBufferAtOnce() throws Exception {
    writeWithoutCallbackTakesTheBytesNow("direct");
  }

  @Test
  void arrayWriteWithoutCallbackMayReuseTheArrayAtOnce() throws Exception {
    writeWithoutCallbackTakesTheBytesNow("array");
  }

  @Test
  void writesWithoutCallbackStayInOrderBehindAQueuedWrite() throws Exception {
    // Once something is queued, a later write must not jump ahead through the try-write path.
    byte[] first = random(BIG, 2);
    byte[] second = "after".getBytes(US_ASCII);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      p[0].write(first);
      assertTrue(p[0].writeQueueSize() > 0);
      p[0].write(ByteBuffer.allocateDirect(second.length).put(second).flip());
      byte[] got = readAll(loop, p[1], p[0], first.length + second.length);
      assertArrayEquals(first, Arrays.copyOf(got, first.length));
      assertArrayEquals(second, Arrays.copyOfRange(got, first.length, got.length));
    }
  }

  // ---------------------------------------------------------------- write with callback

  @Test
  void directWriteWithCallbackIsZeroCopyAndCallsBackOnce() throws Exception {
    int size = 32 * MIB;
    byte[] original = random(size, 3);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      p[0].sendBufferSize(64 * 1024); // fixed, small: the tail cannot be sent before we touch it
      ByteBuffer buf = ByteBuffer.allocateDirect(size).put(original).flip();
      int[] calls = {0};
      UvException[] error = {null};
      p[0].write(buf, (s, e) -> {
        calls[0]++;
        error[0] = e;
      });
      assertEquals(size, buf.position(), "the position advances when the write is accepted");
      assertTrue(p[0].writeQueueSize() > 0);
      // In place: changing the unsent tail changes what the peer receives.
      for (int i = size - MIB; i < size; i++) {
        buf.put(i, (byte) 0x5A);
      }
      byte[] got = readAll(loop, p[1], p[0], size);
      assertEquals(1, calls[0], "the callback runs exactly once");
      assertNull(error[0]);
      assertArrayEquals(Arrays.copyOf(original, size - MIB), Arrays.copyOf(got, size - MIB));
      byte[] tail = new byte[MIB];
      Arrays.fill(tail, (byte) 0x5A);
      assertArrayEquals(tail, Arrays.copyOfRange(got, size - MIB, size));
    }
  }

  @Test
  void aPendingDirectWriteKeepsItsBufferReachable() throws Exception {
    int size = 8 * MIB;
    byte[] original = random(size, 4);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      ByteBuffer buf = ByteBuffer.allocateDirect(size).put(original).flip();
      WeakReference<ByteBuffer> ref = new WeakReference<>(buf);
      int[] calls = {0};
      p[0].write(buf, (s, e) -> {
        assertNull(e);
        calls[0]++;
      });
      assertTrue(p[0].writeQueueSize() > 0);
      buf = null;
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      assertNotNull(ref.get(), "the buffer of a pending zero-copy write must stay reachable");
      byte[] got = readAll(loop, p[1], p[0], size);
      assertEquals(1, calls[0]);
      assertArrayEquals(original, got);
    }
  }

  @Test
  void everyCallbackWriteCompletesOnceInOrder() throws Exception {
    byte[] a = random(3 * MIB, 5);
    byte[] b = "b".getBytes(US_ASCII);
    byte[] c = random(MIB, 6);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      List<String> order = new ArrayList<>();
      p[0].write(ByteBuffer.wrap(a), (s, e) -> order.add("a" + (e == null ? "" : e.errorName())));
      p[0].write(b, 0, 1, (s, e) -> order.add("b" + (e == null ? "" : e.errorName())));
      p[0].write(ByteBuffer.allocateDirect(c.length).put(c).flip(),
          (s, e) -> order.add("c" + (e == null ? "" : e.errorName())));
      byte[] got = readAll(loop, p[1], p[0], a.length + 1 + c.length);
      assertEquals(List.of("a", "b", "c"), order);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.write(a, 0, a.length);
      expected.write(b, 0, 1);
      expected.write(c, 0, c.length);
      assertArrayEquals(expected.toByteArray(), got);
    }
  }

  @Test
  void closingCancelsQueuedWritesWithEcanceled() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      List<Integer> statuses = new ArrayList<>();
      boolean[] closed = {false};
      for (int i = 0; i < 4; i++) {
        p[0].write(ByteBuffer.allocateDirect(8 * MIB), (s, e) -> {
          assertTrue(!closed[0], "write callbacks run before the close callback");
          statuses.add(e == null ? 0 : e.code());
        });
      }
      p[0].close(() -> closed[0] = true);
      p[1].close();
      loop.run();
      assertTrue(closed[0]);
      assertEquals(4, statuses.size(), statuses.toString());
      // The first write went (partly) out; the ones behind it never started.
      assertEquals(List.of(Errno.ECANCELED, Errno.ECANCELED, Errno.ECANCELED), statuses.subList(1, 4));
    }
  }

  // ---------------------------------------------------------------- vectored writes

  @Test
  void vectoredWritesKeepTheOrderOfBuffersAndWrites() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      List<ByteBuffer[]> writes = new ArrayList<>();
      for (int w = 0; w < 3; w++) {
        ByteBuffer[] bufs = new ByteBuffer[40]; // more than libuv's 4 inline and uv4j's 16
        for (int i = 0; i < bufs.length; i++) {
          byte[] content = ("<" + w + ":" + i + ">").repeat(i + 1).getBytes(US_ASCII);
          if (i == 7) {
            content = random(4 * MIB, w); // one big piece: the write has to be queued
          }
          ByteBuffer b;
          switch (i % 6) {
            case 0:
              b = ByteBuffer.wrap(content);
              break;
            case 1: // a slice: array offset 3
              byte[] padded = new byte[content.length + 6];
              System.arraycopy(content, 0, padded, 3, content.length);
              b = ByteBuffer.wrap(padded, 3, content.length).slice();
              break;
            case 2:
              b = ByteBuffer.allocateDirect(content.length).put(content).flip();
              break;
            case 3:
              b = ByteBuffer.wrap(content).asReadOnlyBuffer();
              break;
            case 4: // a direct slice with its position not at 0
              ByteBuffer d = ByteBuffer.allocateDirect(content.length + 10);
              d.position(5);
              d.put(content);
              b = d.flip().position(5);
              break;
            default:
              b = ByteBuffer.allocate(0); // empty pieces are allowed
              content = new byte[0];
          }
          bufs[i] = b;
          expected.write(content, 0, content.length);
        }
        writes.add(bufs);
      }
      List<Integer> done = new ArrayList<>();
      for (int w = 0; w < writes.size(); w++) {
        int id = w;
        p[0].write(writes.get(w), (s, e) -> {
          assertNull(e);
          done.add(id);
        });
        if (w == 0) {
          assertTrue(p[0].writeQueueSize() > 0);
        }
        for (ByteBuffer b : writes.get(w)) {
          assertEquals(b.limit(), b.position(), "every buffer's position advances");
        }
      }
      // Heap pieces were copied into temporaries the library must keep until the callback.
      System.gc();
      byte[] got = readAll(loop, p[1], p[0], expected.size());
      assertEquals(List.of(0, 1, 2), done);
      assertArrayEquals(expected.toByteArray(), got);
    }
  }

  @Test
  void anEmptyVectoredWriteIsEinval() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      UncheckedIOException e = assertThrows(UncheckedIOException.class,
          () -> p[0].write(new ByteBuffer[0], (s, err) -> { }));
      assertEquals(Errno.EINVAL, ((UvException) e.getCause()).code());
      p[0].close();
      p[1].close();
      loop.run();
    }
  }

  // ---------------------------------------------------------------- tryWrite

  @Test
  void tryWriteReturnsTheCountWritten() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      ByteArrayOutputStream expected = new ByteArrayOutputStream();

      ByteBuffer heap = ByteBuffer.wrap("heap".getBytes(US_ASCII));
      assertEquals(4, p[0].tryWrite(heap));
      assertEquals(4, heap.position());
      ByteBuffer direct = ByteBuffer.allocateDirect(6).put("direct".getBytes(US_ASCII)).flip();
      assertEquals(6, p[0].tryWrite(direct));
      assertEquals(6, direct.position());
      ByteBuffer readOnly = ByteBuffer.wrap("read-only".getBytes(US_ASCII)).asReadOnlyBuffer();
      assertEquals(9, p[0].tryWrite(readOnly));
      assertEquals(9, readOnly.position());
      expected.write("heapdirectread-only".getBytes(US_ASCII), 0, 19);

      // The peer does not read: the socket fills, and tryWrite says how much it took.
      p[0].sendBufferSize(64 * 1024);
      byte[] chunk = random(MIB, 7);
      int lastCount = -1;
      for (int i = 0; i < 1000 && lastCount != 0; i++) {
        ByteBuffer b = ByteBuffer.wrap(chunk);
        lastCount = p[0].tryWrite(b);
        assertEquals(lastCount, b.position());
        assertTrue(lastCount >= 0 && lastCount <= chunk.length);
        expected.write(chunk, 0, lastCount);
      }
      assertEquals(0, lastCount, "a full socket takes nothing, without an error");

      // With a write queued, tryWrite takes nothing (it would overtake the queue). uv_write
      // first writes what the socket takes at once, and the kernel may have made room since the
      // last tryWrite (seen under load: a small write went out whole, and tryWrite then took
      // "late"): write until something stays queued.
      byte[] queued = "queued".getBytes(US_ASCII);
      p[0].write(queued, 0, queued.length, (s, e) -> assertNull(e));
      expected.write(queued, 0, queued.length);
      for (int i = 0; i < 64 && p[0].writeQueueSize() == 0; i++) {
        p[0].write(chunk, 0, chunk.length, (s, e) -> assertNull(e));
        expected.write(chunk, 0, chunk.length);
      }
      assertTrue(p[0].writeQueueSize() > 0, "a write stays queued on a full socket");
      ByteBuffer late = ByteBuffer.wrap("late".getBytes(US_ASCII));
      assertEquals(0, p[0].tryWrite(late));
      assertEquals(0, late.position());

      byte[] got = readAll(loop, p[1], p[0], expected.size());
      assertArrayEquals(expected.toByteArray(), got);
    }
  }

  @Test
  void tryWriteOnAnUnconnectedHandleIsAnError() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp tcp = new Tcp(loop);
      UvException e = assertThrows(UvException.class, () -> tcp.tryWrite(ByteBuffer.wrap(new byte[1])));
      assertEquals(Errno.EBADF, e.code());
      assertEquals("uv_try_write", e.syscall());
      tcp.close();
      loop.run();
    }
  }

  @Test
  void writingAfterShutdownIsEpipe() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      p[0].shutdown((s, e) -> assertNull(e));
      assertTrue(!p[0].isWritable());
      UncheckedIOException w = assertThrows(UncheckedIOException.class, () -> p[0].write(new byte[] {1}));
      assertEquals(Errno.EPIPE, ((UvException) w.getCause()).code());
      UvException t = assertThrows(UvException.class, () -> p[0].tryWrite(ByteBuffer.wrap(new byte[] {1})));
      assertEquals(Errno.EPIPE, t.code());
      // The failed writes left nothing queued: the shutdown completes and the peer sees EOF.
      byte[] got = readAll(loop, p[1], p[0], 1);
      assertEquals(0, got.length);
    }
  }

  // ---------------------------------------------------------------- every kind of buffer

  @Test
  void heapDirectAndArrayWritesDeliverTheSameBytes() throws Exception {
    byte[] payload = random(100_000, 8);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      List<String> kinds = new ArrayList<>();
      int[] callbacks = {0};
      StreamCallback cb = (s, e) -> {
        assertNull(e);
        callbacks[0]++;
      };
      byte[] padded = new byte[payload.length + 20];
      System.arraycopy(payload, 0, padded, 7, payload.length);

      kinds.add("heap");
      p[0].write(ByteBuffer.wrap(payload.clone()));
      kinds.add("heap slice");
      p[0].write(ByteBuffer.wrap(padded, 7, payload.length).slice());
      kinds.add("heap with position");
      p[0].write(ByteBuffer.wrap(padded, 7, payload.length));
      kinds.add("read-only heap");
      p[0].write(ByteBuffer.wrap(payload).asReadOnlyBuffer());
      kinds.add("direct");
      p[0].write(ByteBuffer.allocateDirect(payload.length).put(payload).flip());
      kinds.add("read-only direct");
      p[0].write(ByteBuffer.allocateDirect(payload.length).put(payload).flip().asReadOnlyBuffer());
      kinds.add("array");
      p[0].write(payload.clone());
      kinds.add("array range + callback");
      p[0].write(padded, 7, payload.length, cb);
      kinds.add("heap + callback");
      p[0].write(ByteBuffer.wrap(padded, 7, payload.length), cb);
      kinds.add("read-only heap + callback");
      p[0].write(ByteBuffer.wrap(payload).asReadOnlyBuffer(), cb);
      kinds.add("direct + callback");
      p[0].write(ByteBuffer.allocateDirect(payload.length).put(payload).flip(), cb);
      kinds.add("read-only direct + callback");
      p[0].write(ByteBuffer.allocateDirect(payload.length).put(payload).flip().asReadOnlyBuffer(), cb);
      kinds.add("vectored");
      p[0].write(new ByteBuffer[] {ByteBuffer.wrap(payload, 0, 1000),
          ByteBuffer.allocateDirect(payload.length - 1000).put(payload, 1000, payload.length - 1000).flip()}, cb);

      byte[] got = readAll(loop, p[1], p[0], payload.length * kinds.size());
      assertEquals(6, callbacks[0]);
      assertEquals(payload.length * kinds.size(), got.length);
      for (int k = 0; k < kinds.size(); k++) {
        assertArrayEquals(payload, Arrays.copyOfRange(got, k * payload.length, (k + 1) * payload.length),
            kinds.get(k));
      }
    }
  }

  // ---------------------------------------------------------------- the loop's read buffer

  @Test
  void writingTheReadViewBackWithACallbackIsSafe() throws Exception {
    // An echo that answers with write(data, callback): data is a view of the loop's read
    // buffer, which the next read overwrites. The bytes must be taken, not referenced.
    int size = 8 * MIB;
    byte[] original = random(size, 9);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      int[] received = {0};
      int[] writeCallbacks = {0};
      p[1].readStart((s, data) -> {
        received[0] += data.remaining();
        s.write(data, (st, e) -> {
          assertNull(e);
          writeCallbacks[0]++;
        });
        if (received[0] == size) {
          s.loop().stop();
        }
      });
      p[0].write(ByteBuffer.allocateDirect(size).put(original).flip(), (s, e) -> assertNull(e));
      loop.run(); // until the echo side has read everything
      assertEquals(size, received[0]);
      assertTrue(p[1].writeQueueSize() > 0, "part of the echo is queued");
      p[1].readStop();
      byte[] got = readAll(loop, p[0], p[1], size);
      assertArrayEquals(original, got);
      assertTrue(writeCallbacks[0] > 0);
    }
  }

  @Test
  void writingTheReadViewBackWithoutCallbackTakesTheBytesFromItsPosition() throws Exception {
    // The echo of the TCP benchmark: write(data) of the read view (by its address, no object).
    // Each read is written back in two writes, the second from the middle of the view, while
    // part of the echo is queued (try-write takes a part, the rest is copied): the peer must
    // get every byte, in order, though the next read overwrites the buffer.
    int size = 8 * MIB;
    byte[] original = random(size, 11);
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      int[] received = {0};
      p[1].readStart((s, data) -> {
        int n = data.remaining();
        received[0] += n;
        int end = data.limit();
        data.limit(data.position() + n / 2);
        s.write(data);
        assertEquals(data.limit(), data.position());
        data.limit(end);
        s.write(data);
        assertEquals(end, data.position());
        if (received[0] == size) {
          s.loop().stop();
        }
      });
      p[0].write(ByteBuffer.allocateDirect(size).put(original).flip(), (s, e) -> assertNull(e));
      loop.run(); // until the echo side has read everything
      assertEquals(size, received[0]);
      assertTrue(p[1].writeQueueSize() > 0, "part of the echo is queued");
      p[1].readStop();
      byte[] got = readAll(loop, p[0], p[1], size);
      assertArrayEquals(original, got);
    }
  }

  @Test
  void tryWriteOfTheReadViewSendsFromItsPosition() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = connectedPair(loop);
      int[] taken = {-1};
      p[1].readStart((s, data) -> {
        data.position(data.position() + 6); // skip "hello "
        try {
          taken[0] = s.tryWrite(data);
        } catch (UvException e) {
          throw new AssertionError(e);
        }
        assertEquals(data.limit(), data.position());
        s.readStop();
      });
      p[0].write("hello world".getBytes(US_ASCII));
      loop.run();
      assertEquals(5, taken[0]);
      assertArrayEquals("world".getBytes(US_ASCII), readAll(loop, p[0], p[1], 5));
    }
  }
}
