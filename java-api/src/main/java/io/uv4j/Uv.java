package io.uv4j;

/**
 * libuv-wide facts: version, the high-resolution clock and uv4j's leak counters.
 *
 * <pre>{@code
 * System.out.println("libuv " + Uv.versionString());
 * long t0 = Uv.hrtime();
 * }</pre>
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

  /**
   * {@code uv_kill}: sends signal {@code signum} to process {@code pid}, as {@code kill(2)} does
   * ({@code pid} 0 means this process group, a negative pid a process group, -1 every process the
   * caller may signal; {@code signum} 0 only checks that the process exists). Sending a signal the
   * JVM handles to this very process is allowed: {@code Uv.kill(pid, SIGTERM)} runs the shutdown
   * hooks like {@code kill -TERM} would. Signal numbers differ between platforms: see
   * {@link Signal#number(String)}.
   *
   * @throws UvException from {@code kill}, e.g. {@code ESRCH} (no such process) or {@code EPERM}
   * @throws IllegalArgumentException if {@code signum} is negative or not below
   *     {@link Signal#nsig()}
   */
  public static void kill(int pid, int signum) throws UvException {
    if (signum < 0 || signum >= Signal.nsig()) {
      throw new IllegalArgumentException("not a signal number: " + signum + " (0.." + (Signal.nsig() - 1)
          + " on this platform)");
    }
    int r = nKill(pid, signum);
    if (r != 0) {
      throw new UvException(r, "uv_kill");
    }
  }

  static native int nKill(int pid, int signum);

  static native int nVersion();

  static native String nVersionString();

  static native long nHrtime();

  static native long nCounter(int which);

  static native String nErrName(int code);

  static native String nStrerror(int code);

  static native String[] nErrnoNames();

  static native int[] nErrnoCodes();
}
