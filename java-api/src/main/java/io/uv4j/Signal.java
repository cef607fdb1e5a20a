package io.uv4j;

import java.util.Objects;

/**
 * A signal watcher ({@code uv_signal_t}): runs a callback on the loop thread when the process
 * receives a signal. Any number of watchers, on any number of loops, may watch the same signal:
 * each one is called for each delivery (the OS merges deliveries that arrive faster than the
 * loop dispatches them, so two quick {@code kill}s may be one callback).
 *
 * <pre>{@code
 * Signal usr1 = new Signal(loop);
 * usr1.start(Signal.number("SIGUSR1"), (s, signum) -> System.out.println("got SIGUSR1"));
 * }</pre>
 *
 * <p>Signal numbers differ between platforms: get them with {@link #number(String)}.
 *
 * <h2>Signals the JVM needs</h2>
 *
 * libuv installs a process-wide handler for a watched signal, replacing whatever was there. The
 * signals the JVM itself depends on are refused with an {@link IllegalArgumentException}:
 * {@code SIGSEGV}, {@code SIGBUS}, {@code SIGFPE}, {@code SIGILL} (HotSpot turns them into null
 * checks, stack overflow checks and safepoints), {@code SIGQUIT} (thread dumps, {@code jstack}),
 * HotSpot's thread suspend/resume signal ({@code SIGUSR2}, or the number in the
 * {@code _JAVA_SR_SIGNUM} environment variable), and {@code SIGKILL}/{@code SIGSTOP} (which
 * cannot be caught at all).
 *
 * <h2>SIGINT, SIGTERM and SIGHUP: opt-in</h2>
 *
 * The JVM handles these by running its shutdown hooks and exiting (Ctrl-C, {@code kill},
 * hang-up). While a uv4j watcher of one of them is started, the JVM's handler is not installed:
 * the signal only runs the watchers' callbacks, no shutdown hook runs and the process does not
 * exit unless a callback says so, e.g. with {@code System.exit(128 + signum)}, which runs the
 * shutdown hooks (from the loop thread: a hook must not wait for this loop to do something).
 * Because that changes what Ctrl-C and {@code kill} do to the whole process, {@link #start} and
 * {@link #startOneShot} refuse these three signals unless {@link #allowJvmShutdownSignals()} was
 * called on the watcher first.
 *
 * <p>uv4j saves the disposition a signal had before its first uv4j watcher started (the JVM's
 * handler, {@code SIG_IGN}, {@code SIG_DFL} or a library's handler) and reinstalls it when the last uv4j watcher
 * of that signal stops (by {@link #stop()}, {@link #close()}, or after a one-shot delivery): from
 * then on {@code SIGTERM} runs the shutdown hooks again and {@code SIGPIPE} is ignored again
 * (HotSpot installs handlers that ignore {@code SIGPIPE} and {@code SIGXFSZ}; watching them is
 * allowed).
 * (libuv itself would leave {@code SIG_DFL}, which kills the process without shutdown hooks.) The
 * switch is one {@code sigaction} each way, never through {@code SIG_DFL}, so a signal arriving
 * while the last watcher stops gets either the watchers or the saved disposition. Other native
 * code that installs its own handler for a
 * watched signal while it is watched breaks both; {@code -Xrs} and {@code libjsig} do not change
 * any of this.
 *
 * <h2>States</h2>
 *
 * A watcher is stopped after construction, started by {@link #start} or {@link #startOneShot}
 * (watching one signal; starting again watches the new signal, or with the same signal only
 * changes the callback and the mode without losing a pending delivery), stopped by
 * {@link #stop()} or after a one-shot delivery (before its callback runs), and closed by
 * {@link #close()}. Deliveries still in libuv's pipe when the watcher stops or closes are dropped.
 */
public final class Signal extends Handle {
  /** What {@link #start} calls. */
  @FunctionalInterface
  public interface Callback {
    /**
     * On the loop thread.
     *
     * @param handle the watcher
     * @param signum the signal received
     */
    void onSignal(Signal handle, int signum);
  }

  private Callback callback;
  private boolean allowShutdownSignals;

  /**
   * {@code uv_signal_init}. The first signal watcher of a loop makes libuv open the loop's signal
   * pipe (registered as one of the loop's own descriptors, see {@link Fs#close}).
   *
   * @throws UvException from {@code uv_signal_init} (e.g. {@code EMFILE} opening the pipe)
   * @throws IllegalStateException if the loop is closed or another thread runs it
   * @throws NullPointerException if {@code loop} is null
   */
  public Signal(Loop loop) throws UvException {
    super(loop);
    this.address = nInit(loop.address, this);
    OwnedFds.registerLoop(loop);
  }

  /**
   * Lets this watcher watch {@code SIGINT}, {@code SIGTERM} and {@code SIGHUP}, which the JVM
   * handles by running its shutdown hooks: while such a watcher is started, those signals run
   * only its callback (see the class comment); the JVM's handler comes back when the last uv4j
   * watcher of the signal stops or closes.
   *
   * @return this watcher
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   */
  public Signal allowJvmShutdownSignals() {
    open();
    allowShutdownSignals = true;
    return this;
  }

  /**
   * {@code uv_signal_start}: calls {@code callback} for every delivery of {@code signum} until
   * {@link #stop()} or close.
   *
   * @throws IllegalArgumentException if {@code signum} is not a signal of this platform
   *     (0, negative, {@link #nsig()} or more), cannot be caught ({@code SIGKILL}, {@code SIGSTOP}),
   *     is one the JVM needs (see the class comment), or is {@code SIGINT}/{@code SIGTERM}/
   *     {@code SIGHUP} without {@link #allowJvmShutdownSignals()}
   * @throws UvException from {@code uv_signal_start} ({@code EINVAL} for numbers the C library
   *     reserves, e.g. 32 and 33 on Linux)
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   * @throws NullPointerException if {@code callback} is null
   */
  public void start(int signum, Callback callback) throws UvException {
    start(signum, callback, false);
  }

  /**
   * Like {@link #start}, but the watcher stops at the first delivery, before {@code callback}
   * runs (libuv's {@code uv_signal_start_oneshot} semantics: one callback per start; built on
   * {@code uv_signal_start} so that a second delivery before the loop dispatches the first does
   * not get {@code SIG_DFL}).
   *
   * @throws IllegalArgumentException as {@link #start}
   * @throws UvException from {@code uv_signal_start}, as {@link #start}
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   * @throws NullPointerException if {@code callback} is null
   */
  public void startOneShot(int signum, Callback callback) throws UvException {
    start(signum, callback, true);
  }

  private void start(int signum, Callback callback, boolean oneShot) throws UvException {
    Objects.requireNonNull(callback, "callback");
    check(signum, allowShutdownSignals);
    long a = open();
    int r = nStart(a, signum, oneShot);
    if (r != 0) {
      throw new UvException(r, oneShot ? "uv_signal_start_oneshot" : "uv_signal_start", null, null,
          "signal " + signum);
    }
    this.callback = callback;
  }

  /**
   * {@code uv_signal_stop}: no callback runs after this (deliveries not dispatched yet are
   * dropped); if this was the last uv4j watcher of the signal, the disposition it had before is
   * reinstalled. Stopping a stopped watcher does nothing.
   *
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   */
  public void stop() {
    nStop(open());
  }

  /** The signal being watched, 0 when stopped (libuv's {@code signum} field). */
  public int signum() {
    loop.checkThread();
    return address == 0 || isClosing() ? 0 : nSignum(address);
  }

  /**
   * This platform's number of a signal named like {@code "SIGUSR1"} (or {@code "USR1"}).
   *
   * @throws IllegalArgumentException if the platform has no such signal
   * @throws NullPointerException if {@code name} is null
   */
  public static int number(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.startsWith("SIG") ? name : "SIG" + name;
    int number = SignalNumbers.nNumber(n);
    if (number <= 0) {
      throw new IllegalArgumentException("no signal named " + name + " on this platform");
    }
    return number;
  }

  /** The name of signal {@code signum} ({@code "SIGUSR1"}), or null if it has none here. */
  public static String name(int signum) {
    return SignalNumbers.nName(signum);
  }

  /**
   * One more than the highest signal number of this platform ({@code NSIG}: 65 on Linux, 32 on
   * macOS).
   */
  public static int nsig() {
    return SignalNumbers.Values.NSIG;
  }

  /** Throws if uv4j refuses to watch {@code signum}. */
  static void check(int signum, boolean allowShutdownSignals) {
    final int NSIG = SignalNumbers.Values.NSIG;
    final int SIGKILL = SignalNumbers.Values.SIGKILL;
    final int SIGSTOP = SignalNumbers.Values.SIGSTOP;
    final int SIGSEGV = SignalNumbers.Values.SIGSEGV;
    final int SIGBUS = SignalNumbers.Values.SIGBUS;
    final int SIGFPE = SignalNumbers.Values.SIGFPE;
    final int SIGILL = SignalNumbers.Values.SIGILL;
    final int SIGQUIT = SignalNumbers.Values.SIGQUIT;
    final int SIGINT = SignalNumbers.Values.SIGINT;
    final int SIGTERM = SignalNumbers.Values.SIGTERM;
    final int SIGHUP = SignalNumbers.Values.SIGHUP;
    final int SR_SIGNAL = SignalNumbers.Values.SR_SIGNAL;
    if (signum <= 0 || signum >= NSIG) {
      throw new IllegalArgumentException("not a signal number: " + signum + " (1.." + (NSIG - 1)
          + " on this platform)");
    }
    String name = nameOrNumber(signum);
    if (signum == SIGKILL || signum == SIGSTOP) {
      throw new IllegalArgumentException(name + " cannot be caught (kill(2)); libuv would answer EINVAL");
    }
    if (signum == SIGSEGV || signum == SIGBUS || signum == SIGFPE || signum == SIGILL) {
      throw new IllegalArgumentException(name + " belongs to the JVM: HotSpot turns it into null"
          + " pointer, stack overflow and arithmetic checks and safepoints; replacing its handler"
          + " would crash the JVM");
    }
    if (signum == SIGQUIT) {
      throw new IllegalArgumentException(name + " belongs to the JVM: it prints a thread dump"
          + " (Ctrl-\\, jstack and jcmd attach with it)");
    }
    if (signum == SR_SIGNAL) {
      throw new IllegalArgumentException(name + " belongs to the JVM: HotSpot suspends and resumes"
          + " threads with it (SIGUSR2, or _JAVA_SR_SIGNUM when set)");
    }
    if (!allowShutdownSignals && (signum == SIGINT || signum == SIGTERM || signum == SIGHUP)) {
      throw new IllegalArgumentException(name + " makes the JVM run its shutdown hooks and exit;"
          + " while watched, it runs only the watchers (no hook, no exit): call"
          + " allowJvmShutdownSignals() on the watcher to take it over");
    }
  }

  private static String nameOrNumber(int signum) {
    String n = SignalNumbers.nName(signum);
    return n != null ? n : "signal " + signum;
  }

  /** Called by the native callback on the loop thread; {@code stopped} after a one-shot delivery. */
  void onSignal(int signum, boolean stopped) {
    Callback cb = callback;
    if (stopped) {
      callback = null;
    }
    if (cb == null) {
      return;
    }
    try {
      cb.onSignal(this, signum);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  /** uv_close stops the watcher inside libuv; stop through uv4j first so the disposition comes back. */
  @Override
  void beforeClose() {
    if (address != 0) {
      nStop(address);
    }
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  /** The disposition of {@code signum} now: 0 default, 1 ignored, 2 a handler; -1 unknown. */
  static int disposition(int signum) {
    return SignalNumbers.nDisposition(signum);
  }

  private static native long nInit(long loop, Signal self);

  private static native int nStart(long address, int signum, boolean oneShot);

  private static native void nStop(long address);

  private static native int nSignum(long address);

}
