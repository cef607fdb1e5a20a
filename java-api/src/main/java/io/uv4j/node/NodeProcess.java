package io.uv4j.node;

import io.uv4j.ResourceUsage;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The measuring part of Node's {@code process} object: {@code process.hrtime()} and
 * {@code hrtime.bigint()} (libuv's monotonic clock, as Node's), {@code cpuUsage()} and
 * {@code resourceUsage()} ({@code uv_getrusage}, Node's fields and units: microseconds,
 * {@code maxRSS} in KiB), {@code memoryUsage()}, {@code uptime()}, {@code pid}, {@code ppid}.
 * The events of {@code process} ({@code 'exit'}, {@code 'uncaughtException'}, ...) and
 * {@code exitCode} are on {@link NodeRuntime}.
 *
 * <pre>{@code
 * NodeProcess process = NodeProcess.of(node);
 * long start = process.hrtimeBigint();
 * NodeProcess.CpuUsage before = process.cpuUsage();
 * work();
 * System.out.printf("%d ns, %s us of CPU%n", process.hrtimeBigint() - start, process.cpuUsage(before));
 * }</pre>
 *
 * <p>{@link #memoryUsage()} maps Node's V8 figures onto the JVM's: {@code heapTotal} and
 * {@code heapUsed} are the Java heap's, {@code external} and {@code arrayBuffers} the memory of
 * direct {@code ByteBuffer}s (0 on the module path unless {@code java.management} is resolved,
 * e.g. with {@code --add-modules java.management}). Like {@link NodeOs}, these methods touch no
 * loop: any thread may call them.
 */
public final class NodeProcess {
  /** {@code process.cpuUsage()}: CPU time of the whole process, in microseconds. */
  public record CpuUsage(long user, long system) {}

  /**
   * {@code process.memoryUsage()}: bytes. {@code rss} is the process's resident set; the others
   * are the JVM's counterparts of Node's (see the class comment).
   */
  public record MemoryUsage(long rss, long heapTotal, long heapUsed, long external, long arrayBuffers) {}

  /**
   * {@code process.resourceUsage()}, Node's names and units: CPU times in microseconds,
   * {@code maxRSS} in KiB, the rest counts ({@code uv_getrusage}).
   */
  public record ResourceUsageInfo(long userCPUTime, long systemCPUTime, long maxRSS,
      long sharedMemorySize, long unsharedDataSize, long unsharedStackSize, long minorPageFault,
      long majorPageFault, long swappedOut, long fsRead, long fsWrite, long ipcSent,
      long ipcReceived, long signalsCount, long voluntaryContextSwitches,
      long involuntaryContextSwitches) {}

  private NodeProcess() {}

  /**
   * The process object; {@code node} is only checked.
   *
   * @throws NullPointerException if {@code node} is null
   */
  public static NodeProcess of(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    return new NodeProcess();
  }

  /** {@code process.hrtime()}: {@code [seconds, nanoseconds]} of the monotonic clock. */
  public long[] hrtime() {
    long t = Uv.hrtime();
    return new long[] {t / 1_000_000_000L, t % 1_000_000_000L};
  }

  /**
   * {@code process.hrtime(previous)}: the time since {@code previous} (an earlier result), as
   * {@code [seconds, nanoseconds]}.
   *
   * @throws NodeError {@code ERR_INVALID_ARG_TYPE} if {@code previous} is null,
   *     {@code ERR_OUT_OF_RANGE} if it does not hold two numbers
   */
  public long[] hrtime(long[] previous) {
    if (previous == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE",
          "The \"time\" argument must be an instance of Array. Received null");
    }
    if (previous.length != 2) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"time\" is out of range. It must be 2. Received " + previous.length);
    }
    long diff = Uv.hrtime() - (previous[0] * 1_000_000_000L + previous[1]);
    return new long[] {Math.floorDiv(diff, 1_000_000_000L), Math.floorMod(diff, 1_000_000_000L)};
  }

  /** {@code process.hrtime.bigint()}: nanoseconds of the monotonic clock. */
  public long hrtimeBigint() {
    return Uv.hrtime();
  }

  /** {@code process.cpuUsage()}: user and system CPU time of the process so far. */
  public CpuUsage cpuUsage() {
    ResourceUsage r = rusage();
    return new CpuUsage(micros(r.userTime()), micros(r.systemTime()));
  }

  /**
   * {@code process.cpuUsage(previous)}: the CPU time since {@code previous}.
   *
   * @throws NodeError {@code ERR_INVALID_ARG_VALUE} if a field of {@code previous} is negative
   * @throws NullPointerException if {@code previous} is null
   */
  public CpuUsage cpuUsage(CpuUsage previous) {
    Objects.requireNonNull(previous, "previous");
    if (previous.user() < 0) {
      throw new NodeError("ERR_INVALID_ARG_VALUE", "The property 'prevValue.user' is invalid. Received " + previous.user());
    }
    if (previous.system() < 0) {
      throw new NodeError("ERR_INVALID_ARG_VALUE", "The property 'prevValue.system' is invalid. Received " + previous.system());
    }
    CpuUsage now = cpuUsage();
    return new CpuUsage(now.user() - previous.user(), now.system() - previous.system());
  }

  /** {@code process.resourceUsage()}. */
  public ResourceUsageInfo resourceUsage() {
    ResourceUsage r = rusage();
    return new ResourceUsageInfo(micros(r.userTime()), micros(r.systemTime()), r.maxRss(),
        r.ixrss(), r.idrss(), r.isrss(), r.minorFaults(), r.majorFaults(), r.swaps(),
        r.inBlocks(), r.outBlocks(), r.messagesSent(), r.messagesReceived(), r.signals(),
        r.voluntaryContextSwitches(), r.involuntaryContextSwitches());
  }

  /** {@code process.memoryUsage()}. */
  public MemoryUsage memoryUsage() {
    Runtime rt = Runtime.getRuntime();
    long total = rt.totalMemory();
    long direct = directBytes();
    return new MemoryUsage(rss(), total, total - rt.freeMemory(), direct, direct);
  }

  /** {@code process.memoryUsage.rss()}: the resident set size in bytes. */
  public long rss() {
    try {
      return Uv.residentMemory();
    } catch (UvException e) {
      throw SystemError.from(e, "uv_resident_set_memory");
    }
  }

  /** {@code process.uptime()}: seconds since this process started. */
  public double uptime() {
    Instant start = ProcessHandle.current().info().startInstant().orElse(JVM_START);
    return Duration.between(start, Instant.now()).toNanos() / 1e9;
  }

  /** {@code process.pid}. */
  public long pid() {
    return Uv.pid();
  }

  /** {@code process.ppid}. */
  public long ppid() {
    return Uv.parentPid();
  }

  /** Where the operating system does not say when the process started: when this class loaded. */
  private static final Instant JVM_START = Instant.now();

  private static ResourceUsage rusage() {
    try {
      return Uv.resourceUsage();
    } catch (UvException e) {
      throw SystemError.from(e, "uv_getrusage");
    }
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }

  /**
   * Memory of direct ByteBuffers (the JDK's "direct" pool); 0 where the JVM does not say, or
   * without the {@code java.management} module (the module path resolves it only when asked).
   */
  private static long directBytes() {
    try {
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        if (pool.getName().equals("direct")) {
          return Math.max(0, pool.getMemoryUsed());
        }
      }
    } catch (NoClassDefFoundError noManagementModule) {
      // fall through
    }
    return 0;
  }
}
