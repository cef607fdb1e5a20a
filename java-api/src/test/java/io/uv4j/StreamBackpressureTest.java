package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backpressure API of {@link Stream}: the full signal of the writes, the pending-byte
 * accounting, and when drain runs. Each test uses a connected pair whose peer does not read
 * while the loop is not running, so "the queue is over the mark" is exact, not timing.
 */
@ExtendWith(LeakCheck.class)
class StreamBackpressureTest {
  static final int CHUNK = 64 * 1024;

  /** Writes CHUNK-sized no-callback writes until one returns false; returns how many. */
  private static int fill(Stream s) {
    byte[] chunk = new byte[CHUNK];
    for (int i = 1; i <= 10_000; i++) { // 640 MB: far beyond any socket buffer
      long before = s.pendingWriteBytes();
      boolean belowMark = s.write(chunk);
      if (!belowMark) {
        assertTrue(s.pendingWriteBytes() > s.highWaterMark(), "false means over the mark");
        assertTrue(s.isWriteQueueFull());
        return i;
      }
      assertTrue(s.pendingWriteBytes() <= s.highWaterMark(), "true means at or under the mark");
      assertTrue(s.pendingWriteBytes() >= before, "nothing completes inside a write call");
    }
    throw new AssertionError("the queue never went over the mark");
  }

  /** Reads and drops everything {@code s} gets. */
  private static void sink(Stream s) {
    s.readStart((stream, data) -> data.position(data.limit()));
  }

  @Test
  void defaults() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      assertEquals(Stream.DEFAULT_HIGH_WATER_MARK, p[0].highWaterMark());
      assertEquals(64 * 1024, Stream.DEFAULT_HIGH_WATER_MARK);
      assertEquals(Stream.DEFAULT_LOW_WATER_MARK, p[0].lowWaterMark());
      assertEquals(0, p[0].pendingWriteBytes());
      assertFalse(p[0].isWriteQueueFull());
      p[0].close();
      p[1].close();
      loop.run();
    }
  }

  @Test
  void waterMarksAreValidated() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      assertThrows(IllegalArgumentException.class, () -> p[0].writeWaterMarks(-1, 10));
      assertThrows(IllegalArgumentException.class, () -> p[0].writeWaterMarks(11, 10));
      p[0].writeWaterMarks(10, 10);
      assertEquals(10, p[0].lowWaterMark());
      assertEquals(10, p[0].highWaterMark());
      p[0].writeWaterMarks(0, 0);
      p[0].close();
      assertThrows(IllegalStateException.class, () -> p[0].writeWaterMarks(0, 1));
      assertThrows(IllegalStateException.class, () -> p[0].onDrain(s -> { }));
      p[1].close();
      loop.run();
    }
  }

  @Test
  void aWriteSentAtOnceLeavesNothingPending() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      p[0].writeWaterMarks(0, 0); // any pending byte is over the mark
      assertTrue(p[0].write(new byte[100]), "the socket takes 100 bytes at once");
      assertEquals(0, p[0].pendingWriteBytes());
      p[0].close();
      p[1].close();
      loop.run();
    }
  }

  @Test
  void everyKindOfWriteCountsItsPendingBytesAndSignalsOverTheMark() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      p[0].writeWaterMarks(0, 1024 * 1024);
      fill(p[0]); // the socket buffers are full: from here every byte written is pending
      long pending = p[0].pendingWriteBytes();
      List<UvException> results = new ArrayList<>();
      StreamCallback cb = (s, e) -> results.add(e);
      assertFalse(p[0].write(ByteBuffer.allocate(10)));
      assertFalse(p[0].write(ByteBuffer.allocateDirect(20), cb));
      assertFalse(p[0].write(new byte[100], 10, 30, cb));
      assertFalse(p[0].write(new ByteBuffer[] {ByteBuffer.allocate(40), ByteBuffer.allocateDirect(50)}, cb));
      assertFalse(p[0].write(new byte[0])); // nothing written, still over the mark
      assertEquals(pending + 10 + 20 + 30 + 40 + 50, p[0].pendingWriteBytes());

      // Raising the mark makes the next write report room again.
      p[0].writeWaterMarks(0, p[0].pendingWriteBytes() + 100);
      assertTrue(p[0].write(new byte[60], 0, 60, (s, e) -> {
        assertNull(e);
        assertEquals(0, s.pendingWriteBytes(), "the last write completed: nothing is pending");
        s.close();
        p[1].close();
      }));
      assertFalse(p[0].isWriteQueueFull());

      sink(p[1]);
      loop.run();
      assertEquals(java.util.Arrays.asList(null, null, null), results);
      assertEquals(0, p[0].pendingWriteBytes());
    }
  }

  @Test
  void drainRunsExactlyOncePerEpisodeAfterTheLastWriteCallback() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      List<String> events = new ArrayList<>();
      int[] episodes = {0};
      p[0].onDrain(s -> {
        events.add("drain " + s.pendingWriteBytes());
        assertTrue(s.pendingWriteBytes() <= s.lowWaterMark());
        if (++episodes[0] == 1) {
          fill(s); // a second episode, from inside the first drain
          s.write(ByteBuffer.allocateDirect(1), (w, e) -> events.add("last write done"));
        } else {
          // Writes under the mark start no episode: this one completes without a drain.
          assertTrue(s.write(new byte[1]) || s.pendingWriteBytes() > 1, "1 byte fits once drained");
          s.write(ByteBuffer.allocate(1), (w, e) -> {
            events.add("after episode 2");
            w.close();
            p[1].close();
          });
        }
      });
      // No drain while the queue stays under the mark.
      p[0].write(new byte[10], 0, 10, (s, e) -> events.add("small write done"));
      loop.run(RunMode.NOWAIT);
      assertEquals(List.of("small write done"), events);
      events.clear();

      fill(p[0]);
      p[0].write(ByteBuffer.allocateDirect(1), (s, e) -> events.add("last write done"));
      sink(p[1]);
      loop.run();
      assertEquals(List.of("last write done", "drain 0", "last write done", "drain 0", "after episode 2"),
          events);
      assertEquals(2, episodes[0]);
    }
  }

  @Test
  void theFullSignalArmsDrainEvenIfTheResultIsIgnored() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; i < 256; i++) { // 16 MiB, more than the socket buffers take
        p[0].write(chunk); // result ignored
      }
      assertTrue(p[0].isWriteQueueFull(), "16 MiB do not fit in the socket buffers");
      int[] drains = {0};
      p[0].onDrain(s -> {
        drains[0]++;
        s.close();
        p[1].close();
      });
      sink(p[1]);
      loop.run();
      assertEquals(1, drains[0]);
    }
  }

  @Test
  void drainNeverRunsOnceTheStreamIsClosed() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int[] drains = {0};
      List<UvException> results = new ArrayList<>();
      p[0].onDrain(s -> drains[0]++);
      fill(p[0]);
      p[0].write(new byte[1], 0, 1, (s, e) -> results.add(e));
      p[0].close(); // the pending writes complete with ECANCELED
      p[1].close();
      loop.run();
      assertEquals(0, drains[0]);
      assertEquals(1, results.size());
      assertEquals(Errno.ECANCELED, results.get(0).code());
      assertEquals(0, p[0].pendingWriteBytes());
    }
  }

  @Test
  void drainDoesNotRunWhenTheLastWriteCallbackCloses() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int[] drains = {0};
      p[0].onDrain(s -> drains[0]++);
      fill(p[0]);
      p[0].write(new byte[1], 0, 1, (s, e) -> {
        assertNull(e);
        s.close();
        p[1].close();
      });
      sink(p[1]);
      loop.run();
      assertEquals(0, drains[0]);
    }
  }

  @Test
  void drainDoesNotRunWhenThePendingWriteFails() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int[] drains = {0};
      List<UvException> results = new ArrayList<>();
      p[0].onDrain(s -> drains[0]++);
      p[0].writeWaterMarks(0, 0); // any pending byte is over the mark
      ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
      while (p[0].tryWrite(chunk.clear()) > 0) {
        // fill the socket buffers without queueing anything
      }
      // One pending write: over the mark, and its completion alone brings the queue to 0. It is
      // far larger than any socket buffer, so it is still pending when the peer resets, even if
      // the kernel made room since the tryWrite loop (it did, once, on a loaded machine).
      byte[] big = new byte[8 << 20];
      assertFalse(p[0].write(big, 0, big.length, (s, e) -> results.add(e))); // does not close
      p[1].closeReset(null); // the peer resets: the pending write fails
      loop.run();
      long pending = p[0].pendingWriteBytes();
      p[0].close(); // before asserting: a failure must not leave the loop open for the next test
      loop.run();
      assertEquals(0, pending);
      assertEquals(1, results.size());
      assertTrue(results.get(0) != null && results.get(0).code() != Errno.ECANCELED,
          "the write failed with the reset: " + results);
      assertEquals(0, drains[0], "a failure is reported by the write, not followed by drain");
    }
  }

  @Test
  void accountingSurvivesThrowingCallbacks() throws Exception {
    try (Loop loop = Loop.create()) {
      List<Throwable> failures = new ArrayList<>();
      loop.setExceptionHandler((source, t) -> failures.add(t));
      Tcp[] p = StreamWriteTest.connectedPair(loop);
      int[] drains = {0};
      long[] pendingAtCallbacks = new long[3];
      fill(p[0]);
      for (int i = 0; i < 3; i++) {
        int k = i;
        p[0].write(new byte[1000], 0, 1000, (s, e) -> {
          pendingAtCallbacks[k] = s.pendingWriteBytes();
          throw new IllegalStateException("write callback " + k);
        });
      }
      p[0].onDrain(s -> {
        drains[0]++;
        throw new IllegalStateException("drain");
      });
      sink(p[1]);
      // Close once the drain (which throws) has run: a timer polls for it.
      Timer t = new Timer(loop);
      t.start(1, 1, timer -> {
        if (drains[0] > 0) {
          timer.close();
          p[0].close();
          p[1].close();
        }
      });
      loop.run();
      assertEquals(1, drains[0]);
      assertEquals(2000, pendingAtCallbacks[0], "a write's bytes leave before its callback runs");
      assertEquals(1000, pendingAtCallbacks[1]);
      assertEquals(0, pendingAtCallbacks[2]);
      assertEquals(0, p[0].pendingWriteBytes());
      assertEquals(List.of("write callback 0", "write callback 1", "write callback 2", "drain"),
          failures.stream().map(Throwable::getMessage).toList());
    }
  }
}
