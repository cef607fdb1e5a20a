package io.uv4j;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv idle handle ({@code uv_idle_t}). Runs its callback once per loop iteration, before the prepare handles; while an idle handle is active the loop polls for I/O without blocking.
 * Several active idle handles run in reverse order of starting.
 *
 * <pre>{@code
 * Idle h = new Idle(loop);
 * h.start(self -> { if (++count == 10) self.stop(); });
 * }</pre>
 */
public final class Idle extends Handle {
  private Consumer<Idle> callback;

  /** {@code uv_idle_init}. */
  public Idle(Loop loop) {
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
   * {@code uv_idle_start}. Like libuv, starting an active handle does nothing: its callback
   * stays the one it was started with.
   */
  public void start(Consumer<Idle> callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    if (nIsActive(a)) {
      return;
    }
    this.callback = callback;
    int r = nStart(a);
    if (r != 0) {
      throw Loop.unchecked(r, "uv_idle_start");
    }
  }

  /** {@code uv_idle_stop}. Stopping a stopped handle does nothing. */
  public void stop() {
    long a = open();
    changedInBatch = loop.batch;
    nStop(a);
  }

  /** Called by the native callback. */
  void onIdle() {
    try {
      callback.accept(this);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void onUpcall() {
    onIdle();
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static native long nInit(long loop, Idle self, int peer);

  private static native int nStart(long address);

  private static native int nStop(long address);
}
