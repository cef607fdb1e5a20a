package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * libuv-wide facts and the system utilities: version, clocks, uv4j's leak counters, CPUs,
 * network interfaces, memory, load, uptime, host, user and process facts, priorities, the
 * environment, resource usage and random bytes.
 *
 * <pre>{@code
 * System.out.println("libuv " + Uv.versionString() + " on " + Uv.hostname());
 * long t0 = Uv.hrtime();
 * byte[] key = Uv.random(32);
 * }</pre>
 *
 * <p>Strings that come from the system (names, paths, environment values) are decoded as UTF-8;
 * bytes that are not UTF-8 become U+FFFD.
 *
 * <p>Functions of libuv releases newer than the one uv4j was built against exist here and throw
 * {@link UnsupportedOperationException} naming the version they need (e.g. "needs libuv >=
 * 1.45.0, this is 1.44.2"); built against a newer libuv they work.
 */
public final class Uv {
  static {
    NativeLibrary.load();
  }

  private Uv() {}

  /** libuv's version as {@code (major << 16) | (minor << 8) | patch}. */
  public static int version() {
    return nVersion();
  }

  /**
   * How the native library calls Java on its hot paths in this JVM: {@code "ffm"} (JDK 22+:
   * upcall stubs of {@code java.lang.foreign} for the callbacks of {@link Idle}, {@link Prepare},
   * {@link Check} and {@link Timer}, the batch of pool completions, the {@link Loop#execute}
   * wake-up and {@link Loop#queueWork}'s work on pool threads; every other callback through
   * JNI) or {@code "jni"} (everything through JNI's {@code CallVoidMethod}: JDK 17-21, a jar
   * built without its JDK 22 classes, native access not enabled for uv4j, or
   * {@code -Duv4j.backend=jni}). Fixed for the life of the class loader.
   *
   * <p>FFM needs native access for uv4j's module, or the JVM would print a warning:
   * {@code --enable-native-access=io.uv4j} on the module path, {@code ALL-UNNAMED} on the class
   * path (or {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest). JNI
   * needs the same on JDK 24+ to run without a warning.
   */
  public static String backend() {
    return Upcalls.backend();
  }

  /** libuv's version as text, e.g. {@code "1.44.2"}. */
  public static String versionString() {
    return nVersionString();
  }

  /** {@code uv_hrtime()}: nanoseconds from an arbitrary origin, monotonic. */
  public static long hrtime() {
    return nHrtime();
  }

  /**
   * The number of threads in libuv's pool, shared by every loop of the process: 4 unless
   * {@code UV_THREADPOOL_SIZE} or {@link #setThreadPoolSize(int)} said otherwise.
   */
  public static int threadPoolSize() {
    return WorkRequest.nPoolSize();
  }

  /**
   * Sets the size of libuv's thread pool (1 to 1024). libuv reads it once, when the first work,
   * fs or DNS request of the process is submitted, so this works only before that.
   *
   * @throws IllegalStateException once the pool may have started
   * @throws IllegalArgumentException for a size outside 1..1024
   */
  public static void setThreadPoolSize(int threads) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("thread pool size must be 1..1024: " + threads);
    }
    int r = WorkRequest.nSetPoolSize(threads);
    if (r == Errno.EBUSY) {
      throw new IllegalStateException("libuv's thread pool already started with " + threadPoolSize()
          + " threads; set the size before the first work, fs or DNS request (or set"
          + " UV_THREADPOOL_SIZE in the environment)");
    }
    if (r != 0) {
      throw Loop.unchecked(r, "setenv(UV_THREADPOOL_SIZE)");
    }
  }

  /** Native handles created and not yet released (closed and their close callback run). */
  public static long liveHandles() {
    return nCounter(0);
  }

  /** Native requests in flight (fs, work, DNS, write, connect...). */
  public static long liveRequests() {
    return nCounter(1);
  }

  /**
   * JNI global references held for Java objects (handle peers, loops, requests, buffers kept
   * alive for libuv): zero when nothing is open. The library's own class cache is counted by
   * {@link #libraryRefs()} instead.
   */
  public static long liveGlobalRefs() {
    return nCounter(2);
  }

  /**
   * JNI references the native library holds for its own lifetime: its cache of classes (weak
   * global references, so they never keep a class loader alive). Taken when the library loads,
   * released when a failed load is rolled back or the class loader is collected; constant in
   * between.
   */
  public static long libraryRefs() {
    return nCounter(4);
  }

  /** Loops created and not yet closed. */
  public static long liveLoops() {
    return nCounter(3);
  }

  /** Batched timer fires delivered after their pass ended: a miscount in timer.c (tests assert none). */
  static long lateTimerFires() {
    return nCounter(5);
  }

  /**
   * {@code uv_kill}: sends signal {@code signum} to process {@code pid}, as {@code kill(2)} does
   * ({@code pid} 0 means this process group, a negative pid a process group, -1 every process the
   * caller may signal; {@code signum} 0 only checks that the process exists). Sending a signal the
   * JVM handles to this very process is allowed: {@code Uv.kill(pid, SIGTERM)} runs the shutdown
   * hooks like {@code kill -TERM} would. Signal numbers differ between platforms: see
   * {@link Signal#number(String)}.
   *
   * <p>A signal this process sends itself while a {@link Signal} watcher of it is started is
   * raised on the calling thread ({@code raise(3)}), not passed to {@code kill(2)}: libuv's handler
   * has run when this method returns, so the watcher's callback is due on its loop's next
   * iteration, and stopping the watcher right away cannot leave the signal to its default action.
   * That is what a single-threaded C program, or Node's main thread, gets from {@code kill(2)}; in
   * a JVM, {@code kill(2)} hands it to the launcher's first thread, which may take it later, after
   * the last watcher has put the default action back (SIGUSR1 then ends the process). Only when
   * the calling thread blocks the signal does {@code kill(2)} send it as usual. (Not on Windows.)
   *
   * @throws UvException from {@code kill}, e.g. {@code ESRCH} (no such process) or {@code EPERM}
   * @throws IllegalArgumentException if {@code signum} is negative or not below
   *     {@link Signal#nsig()}
   */
  public static void kill(int pid, int signum) throws UvException {
    UvProcess.kill(pid, signum);
  }

  static native int nKill(int pid, int signum);

  // ---------------------------------------------------------------- CPUs, memory, load

  /** {@code uv_cpu_info}: every logical CPU the system has (online or not, as libuv lists them). */
  public static List<CpuInfo> cpuInfo() throws UvException {
    return UvSystem.cpuInfo();
  }

  /**
   * {@code uv_available_parallelism}: how many threads the process can usefully run at once (on
   * Linux the CPUs in its affinity mask; unlike the JVM's
   * {@link Runtime#availableProcessors()}, cgroup CPU quotas are not counted).
   */
  public static int availableParallelism() {
    return nAvailableParallelism();
  }

  /** {@code uv_get_free_memory}: free system memory in bytes ({@code MemAvailable} on Linux). */
  public static long freeMemory() {
    return nMemory()[0];
  }

  /** {@code uv_get_total_memory}: total system memory in bytes. */
  public static long totalMemory() {
    return nMemory()[1];
  }

  /**
   * {@code uv_get_constrained_memory}: the memory limit imposed on the process (a cgroup limit on
   * Linux) in bytes, 0 when there is none or it is unknown. Under cgroup v1 "no limit" comes back
   * as a huge number instead: libuv 1.44 reports cgroup v1's own "no limit" value (about 2^63), and
   * libuv 1.45 and later report {@code UINT64_MAX}, which does not fit a {@code long} and is
   * returned as {@link Long#MAX_VALUE}. Treat anything at or above {@link #totalMemory()} as no
   * limit.
   */
  public static long constrainedMemory() {
    long limit = nMemory()[2];
    return limit < 0 ? Long.MAX_VALUE : limit; // an unsigned value above Long.MAX_VALUE
  }

  /**
   * {@code uv_get_available_memory}: the memory the process may still use, limits included.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   */
  public static long availableMemory() {
    nAvailableMemorySupported();
    return nMemory()[3];
  }

  /**
   * {@code uv_loadavg}: the 1, 5 and 15 minute load averages ({@code /proc/loadavg} on Linux;
   * zeros on Windows).
   */
  public static double[] loadAverage() {
    return nLoadavg();
  }

  /** {@code uv_uptime}: time since the system booted. */
  public static Duration uptime() throws UvException {
    double s = nUptime();
    return Duration.ofNanos((long) (s * 1e9));
  }

  /** {@code uv_resident_set_memory}: the process's resident set size in bytes. */
  public static long residentMemory() throws UvException {
    return nRss();
  }

  /**
   * {@code uv_getrusage}: resources used by the process.
   */
  public static ResourceUsage resourceUsage() throws UvException {
    return ResourceUsage.of(nRusage(false));
  }

  /**
   * {@code uv_getrusage_thread}: resources used by the calling thread.
   *
   * @throws UnsupportedOperationException with libuv older than 1.50.0
   */
  public static ResourceUsage threadResourceUsage() throws UvException {
    return ResourceUsage.of(nRusage(true));
  }

  // ---------------------------------------------------------------- network, host, user

  /**
   * {@code uv_interface_addresses}: every IPv4 and IPv6 address of every interface that is up,
   * one entry per address (entries of other families are left out).
   */
  public static List<InterfaceAddress> interfaceAddresses() throws UvException {
    return UvSystem.interfaceAddresses();
  }

  /** {@code uv_os_gethostname}. */
  public static String hostname() throws UvException {
    return UvSystem.utf8(nHostname());
  }

  /** {@code uv_os_uname}. */
  public static Uname uname() throws UvException {
    return UvSystem.uname();
  }

  /**
   * {@code uv_os_homedir}: {@code HOME} from the native environment when set, else the home
   * directory of the password database. The JVM's {@code user.home} property comes from the
   * password database only and is fixed at start-up, so the two differ when {@code HOME} is set
   * to something else (or changed with {@link #setenv}).
   */
  public static Path homeDir() throws UvException {
    return Path.of(UvSystem.utf8(nDir(0)));
  }

  /**
   * {@code uv_os_tmpdir}: {@code TMPDIR}, {@code TMP}, {@code TEMP} or {@code TEMPDIR} from the
   * native environment, else {@code /tmp} (a trailing slash removed). The JVM's
   * {@code java.io.tmpdir} is {@code /tmp} on Linux whatever {@code TMPDIR} says.
   */
  public static Path tmpDir() throws UvException {
    return Path.of(UvSystem.utf8(nDir(1)));
  }

  /** {@code uv_os_get_passwd}: the password database entry of the effective user. */
  public static Passwd passwd() throws UvException {
    return UvSystem.passwd(nPasswd());
  }

  /**
   * {@code uv_os_get_passwd2}: the entry of user {@code uid}.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   * @throws IllegalArgumentException if {@code uid} is outside [0, 2^32-1]
   */
  public static Passwd passwd(long uid) throws UvException {
    return UvSystem.passwd(uid);
  }

  // ---------------------------------------------------------------- process

  /** {@code uv_os_getpid}: this process's id (the same as {@code ProcessHandle.current().pid()}). */
  public static long pid() {
    return nGetpid();
  }

  /** {@code uv_os_getppid}: the parent process's id. */
  public static long parentPid() {
    return nGetppid();
  }

  /** The lowest (nicest) priority, 19 ({@code UV_PRIORITY_LOW}). */
  public static final int PRIORITY_LOW = 19;
  /** 10 ({@code UV_PRIORITY_BELOW_NORMAL}). */
  public static final int PRIORITY_BELOW_NORMAL = 10;
  /** 0 ({@code UV_PRIORITY_NORMAL}). */
  public static final int PRIORITY_NORMAL = 0;
  /** -7 ({@code UV_PRIORITY_ABOVE_NORMAL}). */
  public static final int PRIORITY_ABOVE_NORMAL = -7;
  /** -14 ({@code UV_PRIORITY_HIGH}). */
  public static final int PRIORITY_HIGH = -14;
  /** The highest priority, -20 ({@code UV_PRIORITY_HIGHEST}). */
  public static final int PRIORITY_HIGHEST = -20;

  /**
   * {@code uv_os_getpriority}: the scheduling priority (nice value, -20..19) of process
   * {@code pid}; 0 means the calling process. On Linux a nice value belongs to a thread, as
   * {@code getpriority(2)} says: {@code pid} 0 reads the calling thread's, this process's id its
   * main thread's.
   *
   * @throws IllegalArgumentException if {@code pid} is negative or beyond {@code int}
   * @throws UvException {@code ESRCH} if there is no such process
   */
  public static int priority(long pid) throws UvException {
    return nGetPriority(UvProcess.checkPid(pid));
  }

  /**
   * {@code uv_os_setpriority}: sets the nice value of process {@code pid} (0: the calling one; on
   * Linux this changes only the calling thread, as {@code setpriority(2)} does).
   *
   * @throws IllegalArgumentException if {@code pid} is negative or beyond {@code int}, or
   *     {@code priority} is outside [{@link #PRIORITY_HIGHEST}, {@link #PRIORITY_LOW}]
   * @throws UvException {@code EACCES} to raise the priority without the privilege,
   *     {@code ESRCH} for no such process, {@code EPERM} for another user's process
   */
  public static void setPriority(long pid, int priority) throws UvException {
    UvProcess.setPriority(pid, priority);
  }

  // ---------------------------------------------------------------- environment

  /**
   * {@code uv_os_getenv}: a variable of the native environment, or null if it is not set.
   *
   * <p>The native environment is not {@link System#getenv()}: the JDK copies the environment
   * once, the first time {@code System.getenv} or {@link ProcessBuilder} is used, and answers
   * from that copy for ever after. {@link #setenv} and {@link #unsetenv} change what libuv, native
   * code and natively started children see; {@code System.getenv} and {@code ProcessBuilder} see
   * such a change only if the JDK had not made its copy yet, which no program should rely on.
   *
   * @throws IllegalArgumentException if {@code name} is empty or contains '=' or NUL
   */
  public static String getenv(String name) throws UvException {
    return UvProcess.getenv(name);
  }

  /**
   * {@code uv_os_setenv}: sets a variable of the native environment (see {@link #getenv}). Not
   * safe against native code reading the environment on another thread at the same moment (C's
   * {@code setenv} is not), so set variables early.
   *
   * @throws IllegalArgumentException if {@code name} is empty or contains '=' or NUL, or
   *     {@code value} contains NUL
   * @throws NullPointerException if {@code value} is null (use {@link #unsetenv})
   */
  public static void setenv(String name, String value) throws UvException {
    UvProcess.setenv(name, value);
  }

  /**
   * {@code uv_os_unsetenv}: removes a variable of the native environment (see {@link #getenv});
   * removing one that is not set does nothing.
   *
   * @throws IllegalArgumentException if {@code name} is empty or contains '=' or NUL
   */
  public static void unsetenv(String name) throws UvException {
    nEnvSet(UvProcess.envName(name), null);
  }

  /**
   * {@code uv_os_environ}: a snapshot of the whole native environment (see {@link #getenv}), in
   * its order; unmodifiable.
   */
  public static Map<String, String> environ() throws UvException {
    return UvProcess.environ();
  }

  // ---------------------------------------------------------------- random

  /**
   * {@code uv_random} on the calling thread: {@code n} bytes from the system's CSPRNG
   * ({@code getrandom(2)} on Linux). May block while the system's entropy pool is not yet
   * initialised (early boot).
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static byte[] random(int n) throws UvException {
    return RandomRequest.random(n);
  }

  /**
   * {@code uv_random} on the calling thread: fills {@code buf}'s remaining bytes and moves its
   * position to its limit.
   *
   * @throws ReadOnlyBufferException if {@code buf} is read-only
   */
  public static void randomFill(ByteBuffer buf) throws UvException {
    RandomRequest.fill(buf);
  }

  /**
   * {@code uv_random} on libuv's thread pool: fills {@code buf}'s remaining bytes, then runs
   * {@code callback} on {@code loop}'s thread with null (the buffer's position moved to its
   * limit) or the error ({@code ECANCELED} if the request was cancelled first). See
   * {@link RandomRequest} for the buffer's rules.
   *
   * @throws ReadOnlyBufferException if {@code buf} is read-only
   * @throws IllegalStateException if the loop is closed or runs on another thread
   */
  public static RandomRequest randomFill(Loop loop, ByteBuffer buf, Consumer<Throwable> callback) {
    return RandomRequest.fill(loop, buf, callback);
  }

  /**
   * {@code n} random bytes from libuv's thread pool; the future completes on {@code loop}'s
   * thread. Cancelling the future does not cancel the request: use
   * {@link #randomFill(Loop, ByteBuffer, Consumer)} for that.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static CompletableFuture<byte[]> random(Loop loop, int n) {
    return RandomRequest.random(loop, n);
  }

  // ---------------------------------------------------------------- handles, loops

  /**
   * {@code uv_pipe}: a new anonymous pipe, {@code {read end, write end}}, close-on-exec; each end
   * non-blocking if asked (as a {@link Pipe} in this process needs; a child's stdio usually
   * wants blocking). The caller owns both descriptors: {@link Pipe#open} one, or pass it to a
   * child ({@link StdioConfig#inherit(int)}), and close what is left with {@link Fs#closeSync}.
   */
  public static int[] pipe(boolean nonblockRead, boolean nonblockWrite) throws UvException {
    return Pipe.nPipeFds(nonblockRead, nonblockWrite);
  }

  /**
   * {@code uv_socketpair(SOCK_STREAM)}: two connected Unix domain sockets, close-on-exec and
   * non-blocking, ready for {@link Pipe#open} (see also {@link Pipe#pair}). The caller owns both.
   */
  public static int[] socketpair() throws UvException {
    return Pipe.nSocketpair(false, true, true);
  }

  /**
   * {@code uv_socketpair}: a stream or datagram pair, each end non-blocking if asked. The caller
   * owns both descriptors.
   */
  public static int[] socketpair(boolean datagram, boolean nonblock0, boolean nonblock1) throws UvException {
    return Pipe.nSocketpair(datagram, nonblock0, nonblock1);
  }

  /** What {@code uv_guess_handle} says a descriptor is. */
  public enum HandleType {
    /** Not a descriptor, or something libuv has no handle for. */
    UNKNOWN,
    /** A regular file or a character device other than a terminal ({@code /dev/null}). */
    FILE,
    /** A terminal: see {@link Tty}. */
    TTY,
    /** A pipe (FIFO) or Unix domain socket: see {@link Pipe}. */
    NAMED_PIPE,
    /** A TCP socket: see {@link Tcp}. */
    TCP,
    /** A UDP socket. */
    UDP
  }

  /** {@code uv_guess_handle}: what kind of handle {@code fd} would make; UNKNOWN for a negative fd. */
  public static HandleType guessHandle(int fd) {
    return HandleType.values()[nGuessHandle(fd)];
  }

  /**
   * {@code uv_metrics_info}: {@code loop}'s iteration and event counters.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   * @throws IllegalStateException if the loop is closed or runs on another thread
   */
  public static LoopMetrics metrics(Loop loop) throws UvException {
    Objects.requireNonNull(loop, "loop");
    loop.checkUsable();
    long[] m = nMetricsInfo(loop.address);
    return new LoopMetrics(m[0], m[1], m[2], Duration.ofNanos(m[3]));
  }

  // ---------------------------------------------------------------- newer libuv: clocks, threads

  /** The clocks of {@link #clockGettime}. */
  public enum ClockId {
    /** Monotonic, from an arbitrary origin ({@code UV_CLOCK_MONOTONIC}). */
    MONOTONIC,
    /** Wall-clock time since the Unix epoch ({@code UV_CLOCK_REALTIME}). */
    REALTIME
  }

  /**
   * {@code uv_clock_gettime}: the clock's time since its origin.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   */
  public static Duration clockGettime(ClockId clock) throws UvException {
    Objects.requireNonNull(clock, "clock");
    long[] t = nClockGettime(clock.ordinal());
    return Duration.ofSeconds(t[0], t[1]);
  }

  /**
   * {@code uv_cpumask_size}: the length of a CPU affinity mask.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   */
  public static int cpumaskSize() throws UvException {
    return nCpumaskSize();
  }

  /**
   * {@code uv_thread_getaffinity} of the calling thread: one entry per CPU, true where the thread
   * may run.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   */
  public static boolean[] currentThreadAffinity() throws UvException {
    return UvSystem.booleans(nThreadGetAffinity());
  }

  /**
   * {@code uv_thread_setaffinity} of the calling thread; answers the previous mask.
   *
   * @param mask {@link #cpumaskSize()} entries, at least one true
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   * @throws IllegalArgumentException for a mask of another length or without any CPU
   */
  public static boolean[] setCurrentThreadAffinity(boolean[] mask) throws UvException {
    return UvSystem.setCurrentThreadAffinity(mask);
  }

  /**
   * {@code uv_thread_getcpu}: the CPU the calling thread is running on.
   *
   * @throws UnsupportedOperationException with libuv older than 1.45.0
   */
  public static int currentCpu() throws UvException {
    return nThreadGetCpu();
  }

  /**
   * {@code uv_thread_setname}: the calling thread's native name (Linux keeps 15 bytes; the Java
   * {@link Thread#getName()} is not changed).
   *
   * @throws UnsupportedOperationException with libuv older than 1.50.0
   * @throws IllegalArgumentException if {@code name} contains NUL
   */
  public static void setCurrentThreadName(String name) throws UvException {
    Objects.requireNonNull(name, "name");
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("thread name contains a NUL character");
    }
    nThreadSetName(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code uv_thread_getname} of the calling thread.
   *
   * @throws UnsupportedOperationException with libuv older than 1.50.0
   */
  public static String currentThreadName() throws UvException {
    return UvSystem.utf8(nThreadGetName());
  }

  static native int nVersion();

  static native String nVersionString();

  static native long nHrtime();

  static native long nCounter(int which);

  static native String nErrName(int code);

  static native String nStrerror(int code);

  static native String[] nErrnoNames();

  static native int[] nErrnoCodes();

  static native Object[] nCpuInfo() throws UvException;

  static native long[] nMemory();

  static native double[] nLoadavg();

  static native double nUptime() throws UvException;

  static native long nRss() throws UvException;

  static native int nAvailableParallelism();

  static native Object[] nInterfaces() throws UvException;

  static native byte[] nHostname() throws UvException;

  static native byte[][] nUname() throws UvException;

  static native byte[] nDir(int which) throws UvException;

  static native Object[] nPasswd() throws UvException;

  static native Object[] nPasswd2(long uid) throws UvException;

  static native long nGetpid();

  static native long nGetppid();

  static native int nGetPriority(int pid) throws UvException;

  static native void nSetPriority(int pid, int priority) throws UvException;

  static native byte[] nEnvGet(byte[] name) throws UvException;

  static native void nEnvSet(byte[] name, byte[] value) throws UvException;

  static native byte[][] nEnviron() throws UvException;

  static native long[] nRusage(boolean thread) throws UvException;

  static native int nGuessHandle(int fd);

  static native int nRandomArray(byte[] array, int off, int len);

  static native int nRandomDirect(ByteBuffer buf, int pos, int len);

  static native long[] nMetricsInfo(long loop) throws UvException;

  static native long[] nClockGettime(int clock) throws UvException;

  static native int nAvailableMemorySupported();

  static native int nCpumaskSize() throws UvException;

  static native byte[] nThreadGetAffinity() throws UvException;

  static native byte[] nThreadSetAffinity(byte[] mask) throws UvException;

  static native int nThreadGetCpu() throws UvException;

  static native void nThreadSetName(byte[] name) throws UvException;

  static native byte[] nThreadGetName() throws UvException;
}
