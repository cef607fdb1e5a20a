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

  /** Native handles created and not yet released (closed and their close callback run). */
  public static long liveHandles() {
    return nCounter(0);
  }

  /** Native requests in flight (fs, work, DNS, write, connect...). */
  public static long liveRequests() {
    return nCounter(1);
  }

  /**
   * JNI global references held for Java objects (handle peers, loops, buffers kept alive for
   * libuv). The library's own class cache is not counted.
   */
  public static long liveGlobalRefs() {
    return nCounter(2);
  }

  /** Loops created and not yet closed. */
  public static long liveLoops() {
    return nCounter(3);
  }

  static native int nVersion();

  static native String nVersionString();

  static native long nHrtime();

  static native long nCounter(int which);

  static native String nErrName(int code);

  static native String nStrerror(int code);

  static native String[] nErrnoNames();

  static native int[] nErrnoCodes();
}
