package io.uv4j;

/**
 * This platform's signal numbers, read from native code on first use (they differ between
 * platforms), and the natives that answer questions about signals.
 */
final class SignalNumbers {
  static {
    NativeLibrary.load();
  }

  private SignalNumbers() {}

  /** The numbers, read on first use (not in this class's initialiser: JNI FindClass runs it while the library loads, before these natives are bound). */
  static final class Values {
    private static final int[] C = nConstants();

    static final int NSIG = C[0];
    static final int SIGKILL = C[1];
    static final int SIGSTOP = C[2];
    static final int SIGSEGV = C[3];
    static final int SIGBUS = C[4];
    static final int SIGFPE = C[5];
    static final int SIGILL = C[6];
    static final int SIGQUIT = C[7];
    static final int SIGINT = C[8];
    static final int SIGTERM = C[9];
    static final int SIGHUP = C[10];
    /** HotSpot's suspend/resume signal: {@code _JAVA_SR_SIGNUM} if valid, else SIGUSR2. */
    static final int SR_SIGNAL = srSignal(C[11]);

    /**
     * HotSpot (JDK 8 to 25, Linux and macOS) uses SIGUSR2 unless the environment variable
     * {@code _JAVA_SR_SIGNUM} names a number above SIGSEGV and SIGBUS and below NSIG.
     */
    private static int srSignal(int sigusr2) {
      String env = System.getenv("_JAVA_SR_SIGNUM");
      if (env != null) {
        try {
          int n = Integer.parseInt(env.trim());
          if (n > Math.max(SIGSEGV, SIGBUS) && n < NSIG) {
            return n;
          }
        } catch (NumberFormatException e) {
          // HotSpot ignores it too
        }
      }
      return sigusr2;
    }

    private Values() {}
  }

  static native int[] nConstants();

  static native int nNumber(String name);

  static native String nName(int signum);

  static native int nDisposition(int signum);
}
