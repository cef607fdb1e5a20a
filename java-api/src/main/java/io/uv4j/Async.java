package io.uv4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv async handle ({@code uv_async_t}): {@link #send()} may be called from any thread and
 * makes the callback run on the loop thread. Like libuv, sends coalesce: several sends before the
 * loop notices give one callback, but a send is never lost (a callback follows every send).
 *
 * <pre>{@code
 * Async wake = new Async(loop, a -> drainMyQueue());
 * new Thread(() -> { myQueue.add(item); wake.send(); }).start();
 * }</pre>
 *
 * <p>An active async handle keeps the loop alive until closed (or {@link #unref()}'d). For
 * running code on the loop from another thread, {@link Loop#execute(Runnable)} is simpler.
 */
public final class Async extends Handle {
  private static final VarHandle GUARD;

  static {
    try {
      GUARD = MethodHandles.lookup().findVarHandle(Async.class, "guard", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Consumer<Async> callback;
  /**
   * The native address for send(): final, so a thread that got this Async through a data race
   * still sees it (Handle.address is a plain field, zeroed at close). The guard keeps send() from
   * using it once close began.
   */
  private final long sendAddress;
  /** Bit 0: closed for send(); the rest, twice the number of send() calls in flight. */
  @SuppressWarnings("unused")
  private volatile int guard;

  /** {@code uv_async_init}; the handle is active from here on. */
  public Async(Loop loop, Consumer<Async> callback) {
    super(loop);
    this.callback = Objects.requireNonNull(callback, "callback");
    this.address = nInit(loop.address, this);
    this.sendAddress = address;
  }

  /**
   * {@code uv_async_send}: wakes the loop and makes the callback run there. Any thread.
   *
   * @throws IllegalStateException once the handle is closing or closed
   */
  public void send() {
    int g = (int) GUARD.getAndAdd(this, 2);
    try {
      if ((g & 1) != 0) {
        throw new IllegalStateException("Async is closed");
      }
      int r = nSend(sendAddress);
      if (r != 0) {
        throw Loop.unchecked(r, "uv_async_send");
      }
    } finally {
      GUARD.getAndAdd(this, -2);
    }
  }

  /** Refuse new sends and wait for those in flight before libuv may free the handle. */
  @Override
  void beforeClose() {
    GUARD.getAndBitwiseOr(this, 1);
    while (((int) GUARD.getVolatile(this) >>> 1) != 0) {
      Thread.onSpinWait(); // a send in flight is an eventfd write away from done
    }
  }

  /** Called by the native callback. */
  void onAsync() {
    try {
      callback.accept(this);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static native long nInit(long loop, Async self);

  private static native int nSend(long address);
}
