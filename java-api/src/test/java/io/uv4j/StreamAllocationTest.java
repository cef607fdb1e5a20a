package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream hot path allocates nothing on the loop thread: a read hands Java a view of the
 * loop's buffer, a write that goes out at once is a try-write from the caller's buffer.
 */
@ExtendWith(LeakCheck.class)
class StreamAllocationTest {
  static final int WARMUP = 20_000;
  static final int MEASURED = 100_000;
  /** Fixed slack for the measuring calls themselves (reflection boxes); far below 1 B/round trip. */
  static final long BUDGET = 64 * 1024;

  /**
   * com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long), through reflection: the
   * tests are compiled inside module io.uv4j, which does not read jdk.management.
   */
  static final class AllocationCounter {
    private final Object bean;
    private final Method allocated;

    AllocationCounter() throws Exception {
      Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
      bean = factory.getMethod("getThreadMXBean").invoke(null);
      Class<?> sunBean = Class.forName("com.sun.management.ThreadMXBean");
      Assumptions.assumeTrue(sunBean.isInstance(bean), "this JVM does not count thread allocations");
      boolean supported = (Boolean) sunBean.getMethod("isThreadAllocatedMemorySupported").invoke(bean);
      Assumptions.assumeTrue(supported, "this JVM does not count thread allocations");
      sunBean.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
      allocated = sunBean.getMethod("getThreadAllocatedBytes", long.class);
    }

    long of(Thread t) {
      try {
        return (Long) allocated.invoke(bean, t.getId());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static void noDelay(Tcp tcp) {
    try {
      tcp.noDelay(true); // small writes go at once
    } catch (UvException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPingPongRoundTripAllocatesNothingOnTheLoopThread() throws Exception {
    pingPong(false);
  }

  // Writes with callbacks: the write FIFO, the completion upcall, the copy of the read view.
  @Test
  void aPingPongWithWriteCallbacksAllocatesNothingOnTheLoopThread() throws Exception {
    pingPong(true);
  }

  private static void pingPong(boolean callbacks) throws Exception {
    AllocationCounter counter = new AllocationCounter();
    Thread loopThread = Thread.currentThread(); // run() below runs the loop here
    final int size = 64;
    long[] before = {-1};
    long[] after = {-1};
    int[] rounds = {0};
    int[] got = {0};
    int[] writeCallbacks = {0};
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Tcp conn = new Tcp(loop);
        srv.accept(conn);
        srv.close();
        noDelay(conn);
        StreamCallback echoed = (st, err) -> assertNull(err);
        conn.readStart(callbacks ? (st, data) -> st.write(data, echoed) : Net.echo());
      });
      Tcp client = new Tcp(loop);
      ByteBuffer ping = ByteBuffer.allocateDirect(size);
      StreamCallback written = (st, err) -> {
        assertNull(err);
        writeCallbacks[0]++;
      };
      ReadCallback pinger = new ReadCallback() {
        @Override
        public void onData(Stream s, ByteBuffer data) {
          got[0] += data.remaining();
          if (got[0] < size) {
            return; // the rest of this pong is still coming
          }
          got[0] -= size;
          rounds[0]++;
          if (rounds[0] == WARMUP) {
            before[0] = counter.of(loopThread);
          } else if (rounds[0] == WARMUP + MEASURED) {
            after[0] = counter.of(loopThread);
            s.shutdown((st, err) -> { }); // the echo side answers with EOF
            return;
          }
          ping.clear();
          if (callbacks) {
            s.write(ping, written); // the previous write of ping has completed: its pong came
          } else {
            s.write(ping);
          }
        }
      };
      client.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        noDelay(client);
        s.readStart(pinger);
        if (callbacks) {
          s.write(ping, written);
        } else {
          s.write(ping);
        }
      });
      assertEquals(0, loop.run());
    }
    assertEquals(WARMUP + MEASURED, rounds[0]);
    if (callbacks) {
      assertEquals(WARMUP + MEASURED, writeCallbacks[0]);
    }
    assertTrue(before[0] >= 0 && after[0] >= 0);
    long bytes = after[0] - before[0];
    assertTrue(bytes < BUDGET, "the loop thread allocated " + bytes + " bytes in " + MEASURED
        + " round trips (" + (double) bytes / MEASURED + " per round trip)");
  }
}
