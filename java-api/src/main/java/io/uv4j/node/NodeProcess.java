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
 * {@code exitCode} are on {@link NodeRuntime}. The process-wide rest: {@link #env()},
 * {@link #cwd()}/{@link #chdir}, {@link #kill(long, String)}, {@link #argv()},
 * {@link #execArgv()}, {@link #argv0()}, {@link #execPath()}.
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

  private final NodeRuntime node;

  private NodeProcess(NodeRuntime node) {
    this.node = node;
  }

  /**
   * The process object; {@code node} is only checked.
   *
   * @throws NullPointerException if {@code node} is null
   */
  public static NodeProcess of(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    return new NodeProcess(node);
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

  // ---------------------------------------------------------------- environment, arguments, directory, signals

  /** {@code process.env}: the live native environment (see {@link ProcessEnv}). */
  public ProcessEnv env() {
    return ProcessEnv.INSTANCE;
  }

  /**
   * {@code process.cwd()}: the Node layer's current directory, process-wide (a JVM cannot change
   * its own: see {@link #chdir}); at first the JVM's working directory ({@code user.dir}).
   */
  public String cwd() {
    return ProcessCwd.get();
  }

  /**
   * {@code process.chdir(directory)}: {@code directory} (relative to {@link #cwd()}) becomes the
   * current directory, its symbolic links resolved as {@code getcwd} would show them. Child
   * processes spawned afterwards without a {@code cwd} option start there. Unlike Node, the
   * JVM's own working directory does not change: relative paths given to {@code fs} (and to
   * Java's file APIs) still resolve against the directory the JVM started in; resolve them with
   * {@code Path.of(process.cwd()).resolve(p)}.
   *
   * @throws SystemError Node's {@code ENOENT: no such file or directory, chdir 'cwd' -> 'dir'}
   *     (also ENOTDIR, EACCES), with {@code path} the current directory and {@code dest} the argument
   * @throws NodeError ERR_INVALID_ARG_TYPE for null; ERR_WORKER_UNSUPPORTED_OPERATION in a
   *     worker, as Node's
   */
  public void chdir(String directory) {
    if (WorkerContext.threadId() != 0) {
      throw new NodeError("ERR_WORKER_UNSUPPORTED_OPERATION", "process.chdir() is not supported in workers");
    }
    ProcessCwd.chdir(directory);
  }

  /** {@code process.kill(pid)}: SIGTERM. See {@link #kill(long, String)}. */
  public boolean kill(long pid) {
    return kill(pid, "SIGTERM");
  }

  /**
   * {@code process.kill(pid, signal)} with a signal name such as {@code "SIGTERM"} (null: SIGTERM;
   * the names of {@code os.constants.signals}, with their {@code SIG} prefix). Returns true, as
   * Node's. Sending a signal the JVM handles to this very process (SIGTERM, SIGINT, SIGHUP) ends
   * it through its shutdown hooks unless a {@link io.uv4j.Signal} watcher takes it.
   *
   * @throws NodeError ERR_UNKNOWN_SIGNAL ({@code Unknown signal: NAME}) for another name;
   *     ERR_INVALID_ARG_TYPE for a pid that is not a 32-bit integer
   * @throws SystemError {@code kill ESRCH} (no such process), {@code kill EPERM}
   */
  public boolean kill(long pid, String signal) {
    String sig = signal == null || signal.isEmpty() ? "SIGTERM" : signal;
    int number = 0;
    if (sig.startsWith("SIG")) {
      try {
        number = io.uv4j.Signal.number(sig);
      } catch (IllegalArgumentException e) {
        number = 0;
      }
    }
    if (number <= 0) {
      checkPid(pid);
      throw new NodeError("ERR_UNKNOWN_SIGNAL", "Unknown signal: " + sig);
    }
    return kill(pid, number);
  }

  /**
   * {@code process.kill(pid, signal)} with a signal number (0 only checks that the process exists).
   *
   * @throws SystemError {@code kill EINVAL} for a number that is no signal, {@code kill ESRCH},
   *     {@code kill EPERM}
   * @throws NodeError ERR_INVALID_ARG_TYPE for a pid that is not a 32-bit integer
   */
  public boolean kill(long pid, int signal) {
    checkPid(pid);
    try {
      if (signal < 0 || signal >= io.uv4j.Signal.nsig()) {
        throw new UvException(io.uv4j.Errno.code("EINVAL"), "uv_kill");
      }
      Uv.kill((int) pid, signal);
    } catch (UvException e) {
      throw SystemError.errno(e, "kill");
    }
    return true;
  }

  private static void checkPid(long pid) {
    if (pid != (int) pid) {
      throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"pid\" argument must be of type number. Received type number ("
          + pid + ")");
    }
  }

  /**
   * {@code process.argv} for a JVM: {@link #execPath()}, then the main class (or the
   * {@code -jar} file) and the program's arguments as the JVM reports them (its
   * {@code sun.java.command} split at spaces: an argument holding a space comes as several;
   * nothing more for an embedded JVM that does not say). As Node's: the program, the script,
   * then the arguments.
   */
  public java.util.List<String> argv() {
    java.util.List<String> out = new java.util.ArrayList<>();
    out.add(execPath());
    String command = System.getProperty("sun.java.command", "").trim();
    if (!command.isEmpty()) {
      out.addAll(java.util.Arrays.asList(command.split(" +")));
    }
    return java.util.Collections.unmodifiableList(out);
  }

  /**
   * {@code process.execArgv} for a JVM: the JVM's own options (its input arguments, such as
   * {@code -Xmx1g} or {@code -Dname=value}), not the program's; empty without the
   * {@code java.management} module.
   */
  public java.util.List<String> execArgv() {
    try {
      return java.util.List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments());
    } catch (NoClassDefFoundError noManagementModule) {
      return java.util.List.of();
    }
  }

  /**
   * {@code process.argv0}: the program name the process was started with, as typed (e.g.
   * {@code "java"}; Linux's {@code /proc/self/cmdline}), else {@link #execPath()}.
   */
  public String argv0() {
    try {
      byte[] cmdline = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/cmdline"));
      int end = 0;
      while (end < cmdline.length && cmdline[end] != 0) {
        end++;
      }
      if (end > 0) {
        return new String(cmdline, 0, end, java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return execPath();
  }

  /** {@code process.execPath}: the absolute path of the {@code java} executable running this process. */
  public String execPath() {
    return ProcessHandle.current().info().command()
        .orElse(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
