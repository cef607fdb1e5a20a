package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The system utilities of {@link Uv}, each checked against a source that does not go through
 * libuv: /proc, the JDK, and the usual command-line tools. Ports of libuv's test-platform-output,
 * test-get-loadavg, test-uname, test-gethostname, test-get-passwd, test-env-vars, test-random,
 * test-get-currentexe's neighbours, test-homedir, test-tmpdir, test-getters-setters.
 */
@ExtendWith(LeakCheck.class)
class UvSystemTest {

  private static String sh(String... cmd) throws IOException, InterruptedException {
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

  // test-get-passwd.c, against getent
  @Test
  void get_passwd() throws Exception {
    Passwd pw = Uv.passwd();
    String[] f = sh("getent", "passwd", pw.username()).split(":");
    assertEquals(f[0], pw.username());
    assertEquals(Long.parseLong(f[2]), pw.uid());
    assertEquals(Long.parseLong(f[3]), pw.gid());
    assertEquals(f[5], pw.homeDir());
    assertEquals(f[6], pw.shell());
    assertEquals(sh("id", "-u"), Long.toString(pw.uid()));
    // The JVM's user.home also comes from the password database.
    assertEquals(System.getProperty("user.home"), pw.homeDir());
    if (Uv.version() < 0x012d00) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Uv.passwd(0));
      assertEquals("uv_os_get_passwd2 needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Uv.passwd(-1));
  }

  // test-homedir.c, test-tmpdir.c: HOME and TMPDIR from the native environment
  @Test
  void homedirAndTmpdirFollowTheNativeEnvironment() throws Exception {
    String home = Uv.getenv("HOME");
    String tmp = Uv.getenv("TMPDIR");
    try {
      Uv.setenv("HOME", "/nowhere/home");
      assertEquals(Path.of("/nowhere/home"), Uv.homeDir());
      Uv.unsetenv("HOME"); // libuv falls back to the password database
      assertEquals(Path.of(Uv.passwd().homeDir()), Uv.homeDir());
      Uv.setenv("TMPDIR", "/nowhere/tmp/"); // a trailing slash is dropped
      assertEquals(Path.of("/nowhere/tmp"), Uv.tmpDir());
      String longDir = "/" + "d".repeat(3000); // longer than the first buffer: ENOBUFS, then retried
      Uv.setenv("TMPDIR", longDir);
      assertEquals(longDir, Uv.tmpDir().toString());
      Uv.unsetenv("TMPDIR");
      if (Uv.getenv("TMP") == null && Uv.getenv("TEMP") == null && Uv.getenv("TEMPDIR") == null) {
        assertEquals(Path.of("/tmp"), Uv.tmpDir());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), Uv.tmpDir());
      }
      // The JVM's copies never change.
      assertEquals(System.getenv("HOME"), home);
    } finally {
      restore("HOME", home);
      restore("TMPDIR", tmp);
    }
  }

  private static void restore(String name, String value) throws UvException {
    if (value == null) {
      Uv.unsetenv(name);
    } else {
      Uv.setenv(name, value);
    }
  }

  // test-env-vars.c: env_vars
  @Test
  void env_vars() throws Exception {
    String name = "UV4J_TEST_ENV_" + ProcessHandle.current().pid();
    // The JDK copies the environment the first time it is asked: make sure that happened.
    assertNull(System.getenv(name));
    assertNull(Uv.getenv(name));
    Uv.setenv(name, "foo");
    assertEquals("foo", Uv.getenv(name));
    Uv.setenv(name, "");
    assertEquals("", Uv.getenv(name));
    String big = "v".repeat(10_000); // over the 256-byte first buffer
    Uv.setenv(name, big);
    assertEquals(big, Uv.getenv(name));
    String utf = "caf\u00e9 \u2603";
    Uv.setenv(name, utf);
    assertEquals(utf, Uv.getenv(name));
    Map<String, String> env = Uv.environ();
    assertEquals(utf, env.get(name));
    assertThrows(UnsupportedOperationException.class, () -> env.put("x", "y"));
    assertNull(System.getenv(name), "System.getenv answers from the JDK's copy");
    Uv.unsetenv(name);
    assertNull(Uv.getenv(name));
    assertFalse(Uv.environ().containsKey(name));
    Uv.unsetenv(name); // not set: nothing happens
    // The JVM's environment at start-up is a subset of the native one (unchanged variables).
    Map<String, String> now = Uv.environ();
    assertEquals(System.getenv("PATH"), now.get("PATH"));
  }

  @Test
  void envPreconditions() {
    assertThrows(NullPointerException.class, () -> Uv.getenv(null));
    assertThrows(IllegalArgumentException.class, () -> Uv.getenv(""));
    assertThrows(IllegalArgumentException.class, () -> Uv.getenv("A=B"));
    assertThrows(IllegalArgumentException.class, () -> Uv.setenv("A\0B", "x"));
    assertThrows(IllegalArgumentException.class, () -> Uv.setenv("UV4J_X", "a\0b"));
    assertThrows(NullPointerException.class, () -> Uv.setenv("UV4J_X", null));
    assertThrows(IllegalArgumentException.class, () -> Uv.unsetenv("=x"));
  }

  // test-get-currentexe.c's neighbour test-process-priority.c: uv_os_getpriority/setpriority
  @Test
  void process_priority() throws Exception {
    // Against the kernel's own number: field 19 of /proc/<pid>/stat is the nice value of the main thread.
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertEquals(Integer.parseInt(f[16]), Uv.priority(Uv.pid()));
    // Lowering the priority needs no privilege. On Linux pid 0 is the calling thread only: use a
    // thread of its own, so the test JVM's main thread keeps its priority.
    int[] seen = new int[2];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        int before = Uv.priority(0);
        int target = Math.min(Uv.PRIORITY_LOW, before + 1);
        Uv.setPriority(0, target);
        seen[0] = target;
        seen[1] = Uv.priority(0);
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    t.start();
    t.join();
    assertNull(failure[0]);
    assertEquals(seen[0], seen[1]);
    assertThrows(IllegalArgumentException.class, () -> Uv.setPriority(0, Uv.PRIORITY_HIGHEST - 1));
    assertThrows(IllegalArgumentException.class, () -> Uv.setPriority(0, Uv.PRIORITY_LOW + 1));
    assertThrows(IllegalArgumentException.class, () -> Uv.priority(-1));
    assertThrows(IllegalArgumentException.class, () -> Uv.priority(1L << 33));
    // A process that does not exist: pid_max is at most 2^22 on Linux.
    UvException e = assertThrows(UvException.class, () -> Uv.priority(Integer.MAX_VALUE));
    assertEquals(Errno.code("ESRCH"), e.code());
    if (!sh("id", "-u").equals("0")) {
      UvException denied = assertThrows(UvException.class, () -> Uv.setPriority(Uv.pid(), Uv.PRIORITY_HIGHEST));
      assertEquals(Errno.EACCES, denied.code());
    }
  }

  /**
   * EACCES and EPERM from an unprivileged process: as root (the CI container) the test runs a
   * child JVM as user nobody through util-linux {@code setpriv}; otherwise in this JVM.
   */
  @Test
  void priorityErrorsOfAnUnprivilegedProcess() throws Exception {
    String out;
    if (!sh("id", "-u").equals("0")) {
      out = Unprivileged.run();
    } else {
      assertTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "util-linux setpriv is needed to drop root");
      String cp = Path.of(Uv.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + java.io.File.pathSeparator
          + Path.of(UvSystemTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xcheck:jni",
          "-Djava.io.tmpdir=/tmp", "-cp", cp, Unprivileged.class.getName())
          .directory(new java.io.File("/tmp")).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
    }
    assertTrue(out.contains("raise: EACCES uv_os_setpriority"), out);
    assertTrue(out.contains("other user's: EPERM") || out.contains("other user's: not tried"), out);
    assertTrue(out.contains("read pid 1: ok"), out);
  }

  /** Runs without privileges: raising its own priority and renicing pid 1 must both be refused. */
  public static final class Unprivileged {
    public static void main(String[] args) throws Exception {
      System.out.println(run());
    }

    static String run() throws Exception {
      StringBuilder sb = new StringBuilder();
      try {
        Uv.setPriority(Uv.pid(), Uv.PRIORITY_HIGHEST);
        sb.append("raise: allowed\n");
      } catch (UvException e) {
        sb.append("raise: ").append(e.errorName()).append(' ').append(e.syscall()).append('\n');
      }
      int pid1Owner = (Integer) Files.getAttribute(Path.of("/proc/1"), "unix:uid");
      if (pid1Owner == Uv.passwd().uid()) {
        sb.append("other user's: not tried, pid 1 is ours\n"); // never renice our own init
      } else {
        try {
          Uv.setPriority(1, Uv.PRIORITY_LOW);
          sb.append("other user's: allowed\n");
        } catch (UvException e) {
          sb.append("other user's: ").append(e.errorName()).append('\n');
        }
      }
      Uv.priority(1);
      sb.append("read pid 1: ok\n");
      return sb.toString();
    }
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

  private static final int V1_45 = 0x012d00;
  private static final int V1_50 = 0x013200;

  /** Runs {@code body} on a fresh thread (its affinity and name changes die with it). */
  private static <T> T onFreshThread(java.util.concurrent.Callable<T> body) throws Exception {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(body);
    Thread t = new Thread(task, "uv4j-fresh");
    t.start();
    t.join();
    try {
      return task.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw new AssertionError(e.getCause());
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

  // test-thread-affinity.c: the mask, setting it, and the CPU a pinned thread runs on
  @Test
  void threadAffinity() throws Exception {
    if (Uv.version() < V1_45) {
      String v = ", this is " + Uv.versionString();
      assertEquals("uv_cpumask_size needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::cpumaskSize).getMessage());
      assertEquals("uv_thread_getaffinity needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentThreadAffinity).getMessage());
      assertEquals("uv_cpumask_size needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, () -> Uv.setCurrentThreadAffinity(new boolean[1])).getMessage());
      assertEquals("uv_thread_getcpu needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentCpu).getMessage());
      return;
    }
    int size = Uv.cpumaskSize();
    assertTrue(size >= Runtime.getRuntime().availableProcessors(), "mask size " + size);
    onFreshThread(() -> {
      boolean[] mask = Uv.currentThreadAffinity();
      assertEquals(size, mask.length);
      int allowed = 0;
      int first = -1;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          allowed++;
          first = first < 0 ? i : first;
        }
      }
      // uv_available_parallelism counts the same affinity mask.
      assertEquals(Uv.availableParallelism(), allowed);
      int cpu = Uv.currentCpu();
      assertTrue(cpu >= 0 && cpu < size && mask[cpu], "running on CPU " + cpu + ", which the mask allows");

      boolean[] only = new boolean[size];
      only[first] = true;
      boolean[] previous = Uv.setCurrentThreadAffinity(only);
      assertArrayEquals(mask, previous, "answers the previous mask");
      assertArrayEquals(only, Uv.currentThreadAffinity());
      assertEquals(first, Uv.currentCpu(), "pinned to CPU " + first);
      assertArrayEquals(only, Uv.setCurrentThreadAffinity(mask));
      assertArrayEquals(mask, Uv.currentThreadAffinity());
      return null;
    });
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadAffinity(new boolean[size + 1]));
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadAffinity(new boolean[size]));
    assertThrows(NullPointerException.class, () -> Uv.setCurrentThreadAffinity(null));
  }

  // test-thread-name.c: set, read back, and the kernel's view of the same thread
  @Test
  void threadName() throws Exception {
    if (Uv.version() < V1_50) {
      String v = ", this is " + Uv.versionString();
      assertEquals("uv_thread_setname needs libuv >= 1.50.0" + v,
          assertThrows(UnsupportedOperationException.class, () -> Uv.setCurrentThreadName("x")).getMessage());
      assertEquals("uv_thread_getname needs libuv >= 1.50.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentThreadName).getMessage());
    } else {
      onFreshThread(() -> {
        assertEquals("uv4j-fresh", Uv.currentThreadName(), "the JVM named the native thread");
        Uv.setCurrentThreadName("uv4j-renamed");
        assertEquals("uv4j-renamed", Uv.currentThreadName());
        assertEquals("uv4j-renamed", Files.readString(Path.of("/proc/thread-self/comm")).trim());
        assertEquals("uv4j-fresh", Thread.currentThread().getName(), "the Java name is not changed");
        Uv.setCurrentThreadName("a-name-longer-than-fifteen-bytes"); // libuv truncates to the OS limit
        assertEquals("a-name-longer-t", Uv.currentThreadName());
        return null;
      });
    }
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadName("a\0b"));
    assertThrows(NullPointerException.class, () -> Uv.setCurrentThreadName(null));
  }

  // test-getters-setters / uv_getrusage_thread: one thread's usage, not the process's
  @Test
  void threadResourceUsage() throws Exception {
    if (Uv.version() < V1_50) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          Uv::threadResourceUsage);
      assertTrue(e.getMessage().contains("needs libuv >= 1.50.0, this is " + Uv.versionString()), e.getMessage());
      return;
    }
    ResourceUsage mine = onFreshThread(() -> {
      ResourceUsage u;
      long spin = 0;
      do { // burn this thread's own CPU until the kernel has accounted some of it
        for (int i = 0; i < 1_000_000; i++) {
          spin += i ^ spin;
        }
        u = Uv.threadResourceUsage();
      } while (u.userTime().plus(u.systemTime()).isZero() && spin != 42);
      return u;
    });
    ResourceUsage process = Uv.resourceUsage();
    assertTrue(mine.userTime().plus(mine.systemTime()).compareTo(process.userTime().plus(process.systemTime())) < 0,
        "a fresh thread used less than the whole JVM: " + mine + " vs " + process);
  }

  // uv_os_get_passwd2: another user's entry, by uid
  @Test
  void passwdOfAnotherUid() throws Exception {
    if (Uv.version() < V1_45) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Uv.passwd(0));
      assertEquals("uv_os_get_passwd2 needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
      return;
    }
    Passwd root = Uv.passwd(0);
    String[] f = sh("getent", "passwd", "0").split(":");
    assertEquals(f[0], root.username());
    assertEquals(0, root.uid());
    assertEquals(Long.parseLong(f[3]), root.gid());
    assertEquals(f[5], root.homeDir());
    assertEquals(f[6], root.shell());
    assertEquals(Uv.passwd().username(), Uv.passwd(Uv.passwd().uid()).username());
    UvException e = assertThrows(UvException.class, () -> Uv.passwd(2_000_000_000L));
    assertEquals("ENOENT", e.errorName());
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
