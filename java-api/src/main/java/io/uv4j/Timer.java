package io.uv4j;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv timer ({@code uv_timer_t}): calls back after a timeout, then every {@code repeat}
 * milliseconds if that is non-zero. Times are in milliseconds of the loop's clock
 * ({@link Loop#now()}); timers due at the same time run in the order they were started.
 *
 * <pre>{@code
 * Timer timer = new Timer(loop);
 * timer.start(50, 10, t -> { if (++ticks == 5) t.close(); });
 * }</pre>
 */
public final class Timer extends Handle {
  private Consumer<Timer> callback;
  /** Whether libuv's repeat is non-zero (it re-arms the timer before each callback). */
  private boolean repeating;

  /** {@code uv_timer_init}. */
  public Timer(Loop loop) {
    super(loop);
    // Native code knows this timer by its index in the loop's table (and the slab element at that
    // index), held until Java learns it closed: no global ref.
    int i = loop.takeSlot(this);
    try {
      this.address = nInit(loop.address, i);
    } catch (RuntimeException | Error e) {
      loop.releaseSlot(i);
      throw e;
    }
  }

  /** Starts a one-shot timer. */
  public void start(long timeoutMs, Consumer<Timer> callback) {
    start(timeoutMs, 0, callback);
  }

  /**
   * {@code uv_timer_start}: (re)starts the timer; a running timer is stopped first.
   *
   * @throws IllegalArgumentException for a negative timeout or repeat
   * @throws NullPointerException for a null callback
   */
  public void start(long timeoutMs, long repeatMs, Consumer<Timer> callback) {
    Objects.requireNonNull(callback, "callback");
    checkMillis(timeoutMs, "timeout");
    checkMillis(repeatMs, "repeat");
    long a = open();
    this.callback = callback;
    changedInBatch = loop.batch;
    repeating = repeatMs != 0;
    int r = nStart(a, timeoutMs, repeatMs);
    if (r != 0) {
      throw Loop.unchecked(r, "uv_timer_start");
    }
  }

  /** {@link #start(long, long, Consumer)} with Durations (saturating at Long.MAX_VALUE ms). */
  public void start(Duration timeout, Duration repeat, Consumer<Timer> callback) {
    start(toMillis(timeout, "timeout"), toMillis(repeat, "repeat"), callback);
  }

  /** {@code uv_timer_stop}. Stopping a stopped timer does nothing. */
  public void stop() {
    long a = open();
    changedInBatch = loop.batch;
    nStop(a);
  }

  /**
   * {@code uv_timer_again}: restarts a repeating timer with its repeat value as the timeout. A
   * timer whose repeat is zero is left as it is, running or not (libuv's code does this; its
   * documentation says such a timer is stopped).
   *
   * @throws IllegalStateException if the timer was never started (libuv: EINVAL)
   */
  public void again() {
    long a = open();
    if (callback == null) {
      throw new IllegalStateException("Timer.again() on a timer that was never started (libuv: EINVAL)");
    }
    if (repeating) { // for a one-shot timer uv_timer_again changes nothing
      changedInBatch = loop.batch;
    }
    int r = nAgain(a);
    if (r != 0) {
      throw Loop.unchecked(r, "uv_timer_again");
    }
  }

  /** {@code uv_timer_set_repeat}: takes effect at the next (re)start or firing. */
  public void setRepeat(long repeatMs) {
    checkMillis(repeatMs, "repeat");
    long a = open();
    repeating = repeatMs != 0;
    nSetRepeat(a, repeatMs);
  }

  /** {@code uv_timer_get_repeat}, in milliseconds. */
  public long getRepeat() {
    return nGetRepeat(open());
  }

  /** {@code uv_timer_get_due_in}: ms until it fires, 0 if due or stopped (saturates at Long.MAX_VALUE). */
  public long getDueIn() {
    return nGetDueIn(open());
  }

  /** Called by the native timer callback, through {@link Loop#onTimer(int)}. */
  void onTimer() {
    try {
      callback.accept(this);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  /**
   * A fire recorded in a batch of the pass that fired it (timer.c): libuv would not have fired
   * it if an earlier callback of that pass closed, stopped, started or re-armed it, and re-arms
   * a timer before its callback when it repeats by then ({@code rearmed}: libuv did already).
   */
  void onBatchedFire(boolean rearmed) {
    if (closeRequested() || changedInBatch == loop.batch) {
      return;
    }
    loop.batchedFires++;
    if (!rearmed && repeating) {
      nAgain(address);
    }
    onTimer();
  }

  @Override
  void onUpcall() {
    onTimer();
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static void checkMillis(long ms, String what) {
    if (ms < 0) {
      throw new IllegalArgumentException(what + " must not be negative: " + ms + " ms");
    }
  }

  private static long toMillis(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    try {
      return d.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static native long nInit(long loop, int index);

  private static native int nStart(long address, long timeout, long repeat);

  private static native int nStop(long address);

  private static native int nAgain(long address);

  private static native void nSetRepeat(long address, long repeat);

  private static native long nGetRepeat(long address);

  private static native long nGetDueIn(long address);

  /**
   * A Timer always closes through timer.c: its native handle is a slab element known by its
   * table index, not a malloc'd handle with a global ref. Without a close callback there is no
   * close upcall (see {@link Handle#closeNatively(boolean)}); with one, the close record is
   * delivered as libuv calls the close callback.
   */
  @Override
  boolean closeNatively(boolean withCallback) {
    nCloseTimer(address, withCallback);
    return true;
  }

  private static native void nCloseTimer(long address, boolean upcall);
}
