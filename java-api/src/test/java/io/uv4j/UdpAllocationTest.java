package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The UDP hot path allocates nothing on the loop thread in steady state: a datagram is a view of
 * the loop's read buffer with a reusable sender view, and a send (to the sender view, or again
 * to one InetSocketAddress) queues its buffer and callback in preallocated rings. Measured like
 * {@link StreamAllocationTest}: the loop thread's allocated bytes across many ping-pongs.
 */
@ExtendWith(LeakCheck.class)
class UdpAllocationTest {
  static final int WARMUP = 10_000;
  static final int MEASURED = 30_000;
  static final long BUDGET = StreamAllocationTest.BUDGET;
  static final UdpSendCallback SENT = (u, e) -> assertNull(e);

  @Test
  void aPingPongRoundTripAllocatesNothingOnTheLoopThread() throws Exception {
    pingPong(false);
  }

  @Test
  void pingPongWithRecvmmsgAllocatesNothingOnTheLoopThread() throws Exception {
    pingPong(true);
  }

  private static void pingPong(boolean mmsg) throws Exception {
    StreamAllocationTest.AllocationCounter counter = new StreamAllocationTest.AllocationCounter();
    Thread loopThread = Thread.currentThread();
    long[] before = {-1};
    long[] after = {-1};
    int[] rounds = {0};
    try (Loop loop = Loop.create()) {
      if (mmsg) {
        loop.setReadBufferSize(4 * 64 * 1024);
      }
      Udp server = new Udp(loop, null, mmsg);
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      // echo to the sender view: no address object
      server.recvStart((u, data, from, partial) -> u.send(data, from, SENT));
      Udp client = new Udp(loop, null, mmsg);
      InetSocketAddress to = server.localAddress();
      ByteBuffer ping = ByteBuffer.allocateDirect(64);
      client.recvStart((u, data, from, partial) -> {
        assertEquals(64, data.remaining());
        rounds[0]++;
        if (rounds[0] == WARMUP) {
          before[0] = counter.of(loopThread);
        } else if (rounds[0] == WARMUP + MEASURED) {
          after[0] = counter.of(loopThread);
          u.close();
          server.close();
          return;
        }
        ping.clear();
        u.send(ping, to, SENT); // one InetSocketAddress again and again
      });
      client.send(ping, to, SENT);
      loop.run();
    }
    assertEquals(WARMUP + MEASURED, rounds[0]);
    long allocated = after[0] - before[0];
    assertTrue(allocated < BUDGET, allocated + " bytes allocated on the loop thread over " + MEASURED
        + " round trips (" + (double) allocated / MEASURED + " per round trip)");
  }
}
