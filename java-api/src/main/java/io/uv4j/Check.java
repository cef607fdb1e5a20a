package io.uv4j;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv check handle ({@code uv_check_t}). Runs its callback once per loop iteration, right after the loop polled for I/O (where Node runs setImmediate callbacks).
 * Several active check handles run in reverse order of starting.
 *
 * <pre>{@code
 * Check h = new Check(loop);
 * h.start(self -> { if (++count == 10) self.stop(); });
 * }</pre>
 */
public final class Check extends Handle {
  private Consumer<Check> callback;

  /** {@code uv_check_init}. */
  public Check(Loop loop) {
    super(loop);
    int p = takePeer(); // batched calls (and FFM up-calls) find it by this index
    try {
      this.address = nInit(loop.address, this, p);
    } catch (Throwable t) {
      dropPeer();
      throw t;
    }
  }

  /**
   * {@code uv_check_start}. Like libuv, starting an active handle does nothing: its callback
   * stays the one it was started with.
   */
  public void start(Consumer<Check> callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    if (nIsActive(a)) {
      return;
    }
    this.callback = callback;
    int r = nStart(a);
    if (r != 0) {
      throw Loop.unchecked(r, "uv_check_start");
    }
  }

  /** {@code uv_check_stop}. Stopping a stopped handle does nothing. */
  public void stop() {
    long a = open();
    changedInBatch = loop.batch;
    nStop(a);
  }

  /** Called by the native callback. */
  void onCheck() {
    try {
      callback.accept(this);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void onUpcall() {
    onCheck();
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static native long nInit(long loop, Check self, int peer);

  private static native int nStart(long address);

  private static native int nStop(long address);
}
