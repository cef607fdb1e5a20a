package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The stream machinery with plain subclasses (no I/O): Node's rules for flow and backpressure. */
@ExtendWith(LeakCheck.class)
class NodeStreamTest {
  /** Produces {@code count} chunks "0", "1", ... when asked, one per doRead, on the next immediate. */
  static final class Counter extends NodeStream {
    final int count;
    int next;
    int reads;

    Counter(NodeRuntime node, int count, int hwm) {
      super(node, true, false, hwm, 0);
      this.count = count;
    }

    @Override
    protected void doRead(int size) {
      reads++;
      node.setImmediate(() -> push(next < count ? String.valueOf(next++).getBytes() : null));
    }
  }

  /** Collects chunks; each write completes on a later immediate (a slow sink). */
  static final class Sink extends NodeStream {
    final List<String> chunks = new ArrayList<>();
    long maxLength;
    int finals;

    Sink(NodeRuntime node, int hwm) {
      super(node, false, true, 0, hwm);
    }

    @Override
    protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
      maxLength = Math.max(maxLength, writableLength());
      chunks.add(new String(chunk));
      node.setImmediate(() -> cb.accept(null));
    }

    @Override
    protected boolean hasFinal() {
      return true;
    }

    @Override
    protected void doFinal(Consumer<Throwable> cb) {
      finals++;
      node.setImmediate(() -> cb.accept(null));
    }
  }

  @Test
  void flowingReadableEmitsEveryChunkInOrderThenEndThenClose() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Counter c = new Counter(node, 5, 16);
      c.on("data", args -> events.add(new String((byte[]) args[0])));
      c.on("end", () -> events.add("end"));
      c.on("close", () -> events.add("close"));
      events.add("flowing " + c.readableFlowing());
    });
    assertEquals(List.of("flowing true", "0", "1", "2", "3", "4", "end", "close"), events);
  }

  @Test
  void pausedReadableBuffersOnlyUpToItsHighWaterMark() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Counter c = new Counter(node, 100, 4); // chunks of 1-2 bytes, mark 4 bytes
      c.pause();
      c.read(0); // starts reading without consuming (Node's sockets do this when created)
      node.setTimeout(() -> {
        events.add("buffered " + c.readableLength() + " after " + c.reads + " reads, paused " + c.isPaused());
        int[] total = {0};
        c.on("data", args -> total[0]++);
        c.on("end", () -> events.add("got " + total[0]));
        c.resume();
      }, 20);
    });
    // Reading stops once 4 bytes are buffered: "0".."3" in 4 reads.
    assertEquals(List.of("buffered 4 after 4 reads, paused true", "got 100"), events);
  }

  @Test
  void writableBackpressureDrainFinalAndFinish() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Sink s = new Sink(node, 3);
      events.add("w1 " + s.write("ab"));
      events.add("w2 " + s.write("cd", e -> events.add("cb2 " + e)));
      events.add("length " + s.writableLength() + ", needDrain " + s.writableNeedDrain());
      s.on("drain", () -> {
        events.add("drain");
        s.end("ef", e -> events.add("end cb " + e));
      });
      s.on("prefinish", () -> events.add("prefinish, finals " + s.finals));
      s.on("finish", () -> events.add("finish " + s.chunks));
      s.on("close", () -> events.add("close"));
    });
    assertEquals(List.of("w1 true", "w2 false", "length 4, needDrain true", "drain", "cb2 null",
        "prefinish, finals 1", "end cb null", "finish [ab, cd, ef]", "close"), events);
  }

  @Test
  void pipeHonoursBackpressureAndEndsTheDestination() {
    long[] max = {0};
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      Counter src = new Counter(node, 300, 8);
      Sink dst = new Sink(node, 8);
      src.pipe(dst);
      dst.on("finish", () -> {
        got.addAll(dst.chunks);
        max[0] = dst.maxLength;
      });
    });
    assertEquals(300, got.size());
    for (int i = 0; i < 300; i++) {
      assertEquals(String.valueOf(i), got.get(i));
    }
    // write() said false at 8 bytes and the source paused: never much more than the mark.
    assertTrue(max[0] <= 8 + 3, "sink held " + max[0] + " bytes");
  }

  @Test
  void destroyWithAnErrorEmitsErrorThenCloseOnce() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Sink s = new Sink(node, 16);
      s.on("error", args -> events.add("error " + ((Throwable) args[0]).getMessage()));
      s.on("close", () -> events.add("close"));
      s.destroy(new IllegalStateException("broken"));
      s.destroy(new IllegalStateException("again"));
      events.add("destroyed " + s.isDestroyed() + ", writable " + s.isWritable());
      s.write("x", e -> events.add("write cb " + ((NodeError) e).code()));
    });
    assertEquals(List.of("destroyed true, writable false", "error broken", "close",
        "write cb ERR_STREAM_DESTROYED"), events);
  }

  @Test
  void sidesThatDoNotExistAreRefused() {
    NodeTesting.run(node -> {
      Sink s = new Sink(node, 1);
      assertThrows(UnsupportedOperationException.class, s::read);
      Counter c = new Counter(node, 0, 1);
      assertThrows(UnsupportedOperationException.class, () -> c.write("x"));
      assertFalse(c.isWritable());
      c.resume();
    });
  }
}
