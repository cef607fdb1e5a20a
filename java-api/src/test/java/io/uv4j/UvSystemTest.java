package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The system utilities of {@link Uv}, each checked against a source that does not go through
 * libuv: /proc, the JDK, and the usual command-line tools. Ports of libuv's test-platform-output,
 * test-get-loadavg, test-uname, test-gethostname, test-random, test-clock-gettime; the user,
 * environment and priority utilities are in {@link UvUserEnvTest}, the thread utilities in
 * {@link UvThreadTest}.
 */
@ExtendWith(LeakCheck.class)
class UvSystemTest {
  static final int V1_45 = 0x012d00;
  static final int V1_50 = 0x013200;


  static String sh(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    return out;
  }

  // test-get-loadavg.c: get_loadavg, against /proc/loadavg read around the call
  @Test
  void get_loadavg() throws Exception {
    double[] avg = Uv.loadAverage();
    assertEquals(3, avg.length);
    String[] proc = Files.readString(Path.of("/proc/loadavg")).split(" ");
    for (int i = 0; i < 3; i++) {
      assertTrue(avg[i] >= 0, "load " + avg[i]);
      // /proc/loadavg prints two decimals of the same kernel value: equal unless it moved between reads.
      double p = Double.parseDouble(proc[i]);
      assertTrue(Math.abs(avg[i] - p) < 1.0, "uv " + avg[i] + " vs /proc " + p);
    }
  }

  // test-platform-output.c: uptime, resident memory, rusage, cpu info, memory
  @Test
  void uptimeMatchesProcUptime() throws Exception {
    double before = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    Duration up = Uv.uptime();
    double after = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    double s = up.toNanos() / 1e9;
    assertTrue(s >= before - 1 && s <= after + 1, before + " <= " + s + " <= " + after);
  }

  @Test
  void residentMemoryMatchesVmRss() throws Exception {
    long rss = Uv.residentMemory();
    long vmRssKb = 0;
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        vmRssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    assertTrue(vmRssKb > 0);
    double ratio = rss / (vmRssKb * 1024.0);
    // Same order of magnitude: the JVM's RSS moves between the two reads (GC, JIT).
    assertTrue(ratio > 0.5 && ratio < 2, "uv " + rss + " vs VmRSS " + vmRssKb + " kB");
  }

  // test-platform-output.c's memory lines, against /proc/meminfo (what libuv 1.44 reads on Linux)
  @Test
  void memoryMatchesProcMeminfo() throws Exception {
    long memTotal = meminfo("MemTotal:");
    long before = meminfo("MemAvailable:");
    long free = Uv.freeMemory();
    long after = meminfo("MemAvailable:");
    assertEquals(memTotal, Uv.totalMemory());
    long slack = memTotal / 20; // other processes allocate meanwhile
    assertTrue(free >= Math.min(before, after) - slack && free <= Math.max(before, after) + slack,
        before + " / " + free + " / " + after);
    assertTrue(Uv.constrainedMemory() >= 0);
  }

  private static long meminfo(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new AssertionError(key + " not in /proc/meminfo");
  }

  @Test
  void availableMemoryNeedsLibuv145() {
    if (Uv.version() < 0x012d00) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Uv::availableMemory);
      assertEquals("uv_get_available_memory needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
    } else {
      assertTrue(Uv.availableMemory() > 0);
    }
  }

  @Test
  void cpuInfoMatchesProcCpuinfo() throws Exception {
    List<CpuInfo> cpus = Uv.cpuInfo();
    long procCpus = Files.readAllLines(Path.of("/proc/stat")).stream()
        .filter(l -> l.matches("cpu[0-9]+ .*")).count();
    assertEquals(procCpus, cpus.size());
    for (CpuInfo c : cpus) {
      assertTrue(c.speedMhz() >= 0);
      assertTrue(c.userMillis() >= 0 && c.sysMillis() >= 0 && c.idleMillis() >= 0, c.toString());
      assertTrue(c.total().toMillis() > 0, c.toString());
    }
    assertThrows(UnsupportedOperationException.class, () -> cpus.add(cpus.get(0)));
  }

  @Test
  void availableParallelism() {
    int n = Uv.availableParallelism();
    assertTrue(n >= 1);
    // libuv counts the affinity mask; the JDK also applies cgroup CPU quotas, so it may say less.
    assertTrue(Runtime.getRuntime().availableProcessors() <= n,
        Runtime.getRuntime().availableProcessors() + " vs " + n);
  }

  @Test
  void resourceUsage() throws Exception {
    ResourceUsage u = Uv.resourceUsage();
    assertTrue(u.userTime().toNanos() > 0, u.toString()); // this JVM has run Java code
    assertTrue(u.maxRss() * 1024 >= Uv.residentMemory() / 2, u.toString());
    assertTrue(u.minorFaults() > 0);
    ResourceUsage later = Uv.resourceUsage();
    assertTrue(later.minorFaults() >= u.minorFaults());
    assertTrue(later.userTime().plus(later.systemTime()).compareTo(u.userTime().plus(u.systemTime())) >= 0);
    if (Uv.version() < 0x013200) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          Uv::threadResourceUsage);
      assertTrue(e.getMessage().contains("needs libuv >= 1.50.0, this is " + Uv.versionString()), e.getMessage());
    }
  }

  // test-platform-output.c: uv_interface_addresses, against java.net.NetworkInterface
  @Test
  void interfaceAddressesMatchNetworkInterface() throws Exception {
    List<InterfaceAddress> uv = Uv.interfaceAddresses();
    Set<String> mine = new HashSet<>();
    for (InterfaceAddress a : uv) {
      assertEquals(a.address().getAddress().length, a.netmask().getAddress().length, a.toString());
      assertEquals(6, a.mac().length);
      mine.add(a.name() + " " + strip(a.address()) + "/" + a.prefixLength());
      if (a.name().equals("lo")) {
        assertTrue(a.internal(), a.toString());
        assertTrue(a.address().isLoopbackAddress(), a.toString());
      }
    }
    Set<String> jdk = new HashSet<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp()) {
        continue;
      }
      for (java.net.InterfaceAddress ia : ni.getInterfaceAddresses()) {
        jdk.add(ni.getName() + " " + strip(ia.getAddress()) + "/" + ia.getNetworkPrefixLength());
      }
      byte[] hw = ni.getHardwareAddress();
      if (hw != null && hw.length == 6) {
        for (InterfaceAddress a : uv) {
          if (a.name().equals(ni.getName())) {
            assertArrayEquals(hw, a.mac(), a.toString());
          }
        }
      }
    }
    assertEquals(jdk, mine);
  }

  private static String strip(InetAddress a) {
    String s = a.getHostAddress();
    int pct = s.indexOf('%');
    return pct < 0 ? s : s.substring(0, pct);
  }

  // test-gethostname.c
  @Test
  void gethostname() throws Exception {
    String name = Uv.hostname();
    assertFalse(name.isEmpty());
    assertEquals(sh("uname", "-n"), name);
  }

  // test-uname.c
  @Test
  void uname() throws Exception {
    Uname u = Uv.uname();
    assertEquals(sh("uname", "-s"), u.sysname());
    assertEquals(sh("uname", "-r"), u.release());
    assertEquals(sh("uname", "-v"), u.version());
    assertEquals(sh("uname", "-m"), u.machine());
  }

  @Test
  void pidAndParentPid() {
    assertEquals(ProcessHandle.current().pid(), Uv.pid());
    assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Uv.parentPid());
  }

  // test-random.c: random_sync
  @Test
  void random_sync() throws Exception {
    assertEquals(0, Uv.random(0).length);
    byte[] a = Uv.random(256);
    byte[] b = Uv.random(256);
    assertEquals(256, a.length);
    assertFalse(java.util.Arrays.equals(a, b));
    assertFalse(java.util.Arrays.equals(a, new byte[256]));
    byte[] big = Uv.random(100_000); // several scratch chunks
    int zeros = 0;
    for (int i = 0; i < 4096; i++) {
      zeros += big[big.length - 1 - i] == 0 ? 1 : 0;
    }
    assertTrue(zeros < 100, "the last chunk was filled: " + zeros + " zero bytes of 4096");
    ByteBuffer direct = ByteBuffer.allocateDirect(64);
    direct.position(16).limit(48);
    Uv.randomFill(direct);
    assertEquals(48, direct.position());
    direct.limit(64);
    assertEquals(0, direct.get(0));
    assertEquals(0, direct.get(63));
    ByteBuffer heap = ByteBuffer.allocate(64).position(8);
    Uv.randomFill(heap);
    assertEquals(64, heap.position());
    assertThrows(IllegalArgumentException.class, () -> Uv.random(-1));
    assertThrows(ReadOnlyBufferException.class, () -> Uv.randomFill(ByteBuffer.allocate(4).asReadOnlyBuffer()));
    assertThrows(NullPointerException.class, () -> Uv.randomFill(null));
  }

  // test-random.c: random_async, completes on the loop thread with the buffer filled
  @Test
  void random_async() throws Exception {
    try (Loop loop = Loop.create()) {
      Thread loopThread = Thread.currentThread();
      ByteBuffer direct = ByteBuffer.allocateDirect(256);
      ByteBuffer heap = ByteBuffer.allocate(256);
      List<Object> seen = new ArrayList<>();
      RandomRequest r1 = Uv.randomFill(loop, direct, error -> {
        assertSame(loopThread, Thread.currentThread());
        seen.add(error == null ? "direct" : error);
      });
      RandomRequest r2 = Uv.randomFill(loop, heap, error -> seen.add(error == null ? "heap" : error));
      CompletableFuture<byte[]> f = Uv.random(loop, 1024);
      assertFalse(r1.isDone());
      assertEquals(3, Uv.liveRequests());
      assertEquals(0, loop.run());
      assertTrue(r1.isDone() && r2.isDone());
      assertEquals(Set.of("direct", "heap"), new HashSet<>(seen));
      assertEquals(256, direct.position());
      assertEquals(256, heap.position());
      assertFalse(java.util.Arrays.equals(heap.array(), new byte[256]));
      byte[] d = new byte[256];
      direct.flip().get(d);
      assertFalse(java.util.Arrays.equals(d, new byte[256]));
      assertEquals(1024, f.get(0, TimeUnit.SECONDS).length);
      UvException done = assertThrows(UvException.class, r1::cancel);
      assertEquals(Errno.EBUSY, done.code());
    }
  }

  // Cancel while queued: block every pool thread, then queue random requests behind them.
  @Test
  void random_async_cancelWhileQueued() throws Exception {
    try (Loop loop = Loop.create()) {
      int pool = Uv.threadPoolSize();
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(pool);
      for (int i = 0; i < pool; i++) {
        loop.queueWork(() -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, e -> { });
      }
      assertTrue(started.await(30, TimeUnit.SECONDS));
      ByteBuffer buf = ByteBuffer.allocate(32);
      Throwable[] error = new Throwable[1];
      RandomRequest r = Uv.randomFill(loop, buf, e -> error[0] = e);
      r.cancel();
      release.countDown();
      assertEquals(0, loop.run());
      assertTrue(error[0] instanceof UvException, String.valueOf(error[0]));
      assertEquals(Errno.ECANCELED, ((UvException) error[0]).code());
      assertEquals(0, buf.position(), "a cancelled fill leaves the buffer alone");
      assertArrayEquals(new byte[32], buf.array());
    }
  }

  @Test
  void randomAsyncPreconditions() throws Exception {
    try (Loop loop = Loop.create()) {
      assertThrows(NullPointerException.class, () -> Uv.randomFill(null, ByteBuffer.allocate(1), e -> { }));
      assertThrows(NullPointerException.class, () -> Uv.randomFill(loop, null, e -> { }));
      assertThrows(NullPointerException.class, () -> Uv.randomFill(loop, ByteBuffer.allocate(1), null));
      assertThrows(ReadOnlyBufferException.class,
          () -> Uv.randomFill(loop, ByteBuffer.allocate(1).asReadOnlyBuffer(), e -> { }));
      assertThrows(IllegalArgumentException.class, () -> Uv.random(loop, -1));
      // Zero bytes is a request like any other.
      CompletableFuture<byte[]> none = Uv.random(loop, 0);
      assertEquals(0, loop.run());
      assertEquals(0, none.get(0, TimeUnit.SECONDS).length);
    }
    Loop closed = Loop.create();
    closed.close();
    assertThrows(IllegalStateException.class, () -> Uv.randomFill(closed, ByteBuffer.allocate(1), e -> { }));
  }

  @Test
  void guessHandle() throws Exception {
    assertEquals(Uv.HandleType.UNKNOWN, Uv.guessHandle(-1));
    Path f = Files.createTempFile("uv4j", ".txt");
    try {
      int fd = Fs.openSync(f.toString(), Fs.O_RDONLY, 0);
      try {
        assertEquals(Uv.HandleType.FILE, Uv.guessHandle(fd));
      } finally {
        Fs.closeSync(fd);
      }
    } finally {
      Files.delete(f);
    }
    try (Loop loop = Loop.create()) {
      Tcp server = new Tcp(loop);
      server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      assertEquals(Uv.HandleType.TCP, Uv.guessHandle(server.fileno()));
      server.close();
      loop.run();
    }
  }

  @Test
  void loopMetrics() throws Exception {
    try (Loop loop = Loop.create()) {
      if (Uv.version() < 0x012d00) {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Uv.metrics(loop));
        assertEquals("uv_metrics_info needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
      } else {
        // From 1.45 a run with nothing alive makes no iteration (and counts none): give it one.
        assertEquals(0, Uv.metrics(loop).loopCount());
        Timer t = new Timer(loop);
        t.start(0, Timer::close);
        loop.run();
        LoopMetrics m = Uv.metrics(loop);
        assertTrue(m.loopCount() >= 1, m.toString());
        assertTrue(m.events() >= 0 && m.eventsWaiting() >= 0, m.toString());
      }
      assertThrows(NullPointerException.class, () -> Uv.metrics(null));
    }
  }

  // test-clock-gettime.c: both clocks, against the JDK's view of the same clocks
  @Test
  void clockGettime() throws Exception {
    if (Uv.version() < V1_45) {
      assertEquals("uv_clock_gettime needs libuv >= 1.45.0, this is " + Uv.versionString(),
          assertThrows(UnsupportedOperationException.class, () -> Uv.clockGettime(Uv.ClockId.MONOTONIC)).getMessage());
    } else {
      long before = Uv.hrtime(); // CLOCK_MONOTONIC too
      long mono = Uv.clockGettime(Uv.ClockId.MONOTONIC).toNanos();
      long after = Uv.hrtime();
      assertTrue(before <= mono && mono <= after, before + " <= " + mono + " <= " + after);
      long wallBefore = System.currentTimeMillis();
      long real = Uv.clockGettime(Uv.ClockId.REALTIME).toMillis();
      long wallAfter = System.currentTimeMillis();
      assertTrue(wallBefore <= real && real <= wallAfter, wallBefore + " <= " + real + " <= " + wallAfter);
    }
    assertThrows(NullPointerException.class, () -> Uv.clockGettime(null));
  }

  @Test
  void hrtimeIsMonotonic() {
    long a = Uv.hrtime();
    long b = Uv.hrtime();
    assertTrue(b >= a);
    assertNotEquals(0, a);
    assertNotNull(Uv.versionString());
  }
}
