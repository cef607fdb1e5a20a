package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import io.uv4j.Uv;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NodeProcess}: units and directions a program relies on (the values themselves belong to
 * this process, so there is no Node answer to compare them with), and Node's argument errors
 * (messages as Node 20 prints them).
 */
@ExtendWith(LeakCheck.class)
class NodeProcessTest {
  @Test
  void hrtimeIsLibuvsClockSplitAsNodeSplitsIt() {
    NodeTesting.run(rt -> {
      NodeProcess p = NodeProcess.of(rt);
      long before = Uv.hrtime();
      long[] t = p.hrtime();
      long after = Uv.hrtime();
      long ns = t[0] * 1_000_000_000L + t[1];
      assertTrue(ns >= before && ns <= after, "one clock: " + before + " <= " + ns + " <= " + after);
      assertTrue(t[1] >= 0 && t[1] < 1_000_000_000L, "nanoseconds part " + t[1]);
      long[] d = p.hrtime(t);
      assertTrue(d[0] >= 0 && d[1] >= 0 && d[1] < 1_000_000_000L, d[0] + " s " + d[1] + " ns");
      long[] back = p.hrtime(new long[] {t[0] + 1, t[1]}); // a second in the future: negative
      assertTrue(back[0] < 0, "the difference is negative: " + back[0]);
      long b1 = p.hrtimeBigint();
      long b2 = p.hrtimeBigint();
      assertTrue(b2 >= b1);
    });
  }

  @Test
  void hrtimeWithABadPreviousIsNodesError() {
    NodeTesting.run(rt -> {
      NodeProcess p = NodeProcess.of(rt);
      NodeError none = assertThrows(NodeError.class, () -> p.hrtime(null));
      assertEquals("ERR_INVALID_ARG_TYPE", none.code());
      NodeError one = assertThrows(NodeError.class, () -> p.hrtime(new long[] {1}));
      assertEquals("ERR_OUT_OF_RANGE", one.code());
      assertEquals("The value of \"time\" is out of range. It must be 2. Received 1", one.getMessage());
      NodeError neg = assertThrows(NodeError.class, () -> p.cpuUsage(new NodeProcess.CpuUsage(-1, 0)));
      assertEquals("ERR_INVALID_ARG_VALUE", neg.code());
      assertEquals("The property 'prevValue.user' is invalid. Received -1", neg.getMessage());
      assertThrows(NullPointerException.class, () -> NodeProcess.of(null));
    });
  }

  @Test
  void cpuUsageCountsMicrosecondsOfThisProcess() {
    NodeTesting.run(rt -> {
      NodeProcess p = NodeProcess.of(rt);
      NodeProcess.CpuUsage start = p.cpuUsage();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpu0 = threads.getCurrentThreadCpuTime();
      long x = 0;
      while (threads.getCurrentThreadCpuTime() - cpu0 < 200_000_000L) { // 200 ms of this thread's CPU
        x += System.nanoTime() & 1;
      }
      NodeProcess.CpuUsage spent = p.cpuUsage(start);
      long us = spent.user() + spent.system();
      // The process spent at least this thread's 200 ms: 200,000 us (the kernel's accounting may
      // lag by a tick); microseconds, not milliseconds or nanoseconds.
      assertTrue(us >= 150_000 && us < 200_000_000, "CPU spent in microseconds: " + spent + " (" + x + ")");
      NodeProcess.ResourceUsageInfo r = p.resourceUsage();
      assertTrue(r.userCPUTime() + r.systemCPUTime() >= start.user() + start.system() + 150_000, r.toString());
    });
  }

  @Test
  void memoryFiguresAreBytesAndMaxRssIsKib() {
    NodeTesting.run(rt -> {
      NodeProcess p = NodeProcess.of(rt);
      ByteBuffer direct = ByteBuffer.allocateDirect(8 << 20);
      NodeProcess.MemoryUsage m = p.memoryUsage();
      assertTrue(m.rss() > 16 << 20, "a JVM's resident set, in bytes: " + m.rss());
      assertTrue(m.heapUsed() > 0 && m.heapUsed() <= m.heapTotal(), m.toString());
      assertTrue(m.external() >= direct.capacity(), "direct buffers count as external: " + m);
      long maxRssKib = p.resourceUsage().maxRSS();
      // The peak is at least the current resident set: rss in bytes, maxRSS in KiB.
      assertTrue(maxRssKib * 1024 >= p.rss() - (4 << 20) && maxRssKib < p.rss(),
          "maxRSS " + maxRssKib + " KiB, rss " + p.rss() + " bytes");
      assertEquals(0, direct.get(0));
    });
  }

  @Test
  void uptimeAndIds() {
    NodeTesting.run(rt -> {
      NodeProcess p = NodeProcess.of(rt);
      double up = p.uptime();
      double jvm = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
      assertTrue(up > 0 && up >= jvm - 1 && up < jvm + 60, "uptime " + up + " s, the JVM's " + jvm + " s");
      assertEquals(ProcessHandle.current().pid(), p.pid());
      assertEquals(ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L), p.ppid());
    });
  }
}
