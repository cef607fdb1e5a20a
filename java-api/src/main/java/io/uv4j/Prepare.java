package io.uv4j;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv prepare handle ({@code uv_prepare_t}). Runs its callback once per loop iteration, right before the loop polls for I/O.
 * Several active prepare handles run in reverse order of starting.
 *
 * <pre>{@code
 * Prepare h = new Prepare(loop);
 * h.start(self -> { if (++count == 10) self.stop(); });
 * }</pre>
 */
public final class Prepare extends Handle {
  private Consumer<Prepare> callback;

  /** {@code uv_prepare_init}. */
  public Prepare(Loop loop) {
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
   * {@code uv_prepare_start}. Like libuv, starting an active handle does nothing: its callback
   * stays the one it was started with.
   */
  public void start(Consumer<Prepare> callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    if (nIsActive(a)) {
      return;
    }
    this.callback = callback;
    int r = nStart(a);
    if (r != 0) {
      throw Loop.unchecked(r, "uv_prepare_start");
    }
  }

  /** {@code uv_prepare_stop}. Stopping a stopped handle does nothing. */
  public void stop() {
    long a = open();
    changedInBatch = loop.batch;
    nStop(a);
  }

  /** Called by the native callback. */
  void onPrepare() {
    try {
      callback.accept(this);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void onUpcall() {
    onPrepare();
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static native long nInit(long loop, Prepare self, int peer);

  private static native int nStart(long address);

  private static native int nStop(long address);
}
