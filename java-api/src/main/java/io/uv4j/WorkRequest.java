package io.uv4j;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Java work queued on libuv's own thread pool ({@code uv_work_t}), created and queued by
 * {@link Loop#queueWork(Runnable, Consumer)} (runs once), or created by
 * {@link Loop#workRequest(Runnable, Consumer)} and queued with {@link #queue()} as often as
 * wanted, one run at a time, as a C program reuses its {@code uv_work_t}. A reused request
 * allocates nothing per round trip on the loop thread.
 *
 * <p>The work runs on a libuv pool thread: one of the (by default 4, see
 * {@link Uv#threadPoolSize()}) threads libuv shares between every loop and every fs and DNS
 * request of the process, attached to the JVM once as daemon threads named
 * {@code uv4j-pool-<n>}. The after-callback runs on the loop thread with {@code null} on success,
 * the exception the work threw, or a {@link UvException} {@code ECANCELED} if the request was
 * cancelled before it started.
 *
 * <pre>{@code
 * WorkRequest req = loop.queueWork(() -> expensive(), error -> System.out.println("done " + error));
 *
 * WorkRequest[] again = new WorkRequest[1]; // a reusable request, queued again from its callback
 * again[0] = loop.workRequest(() -> step(), error -> { if (error == null && more()) again[0].queue(); });
 * again[0].queue();
 * }</pre>
 */
public final class WorkRequest extends Request {
  private final Loop loop;
  /** Index in the loop's request table (and native slab) while queued; -1 before and after. */
  private int index = -1;
  private Runnable work;
  private Consumer<Throwable> after;
  /** Written on the pool thread; libuv's queue hand-off orders it before onAfter. */
  private volatile Throwable workError;
  /** Made by Loop.workRequest: keeps work and after between runs, may be queued again. */
  private final boolean reusable;

  WorkRequest(Loop loop, Runnable work, Consumer<Throwable> after, boolean reusable) {
    this.loop = loop;
    this.work = Objects.requireNonNull(work, "work");
    this.after = Objects.requireNonNull(after, "after");
    this.reusable = reusable;
  }

  /** {@link Loop#queueWork(Callable)}: the Callable form, on top of the Runnable one. */
  static <T> CompletableFuture<T> future(Loop loop, Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> future = new CompletableFuture<>();
    Object[] result = new Object[1];
    loop.queueWork(() -> {
      try {
        result[0] = work.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new WrappedCheckedException(e);
      }
    }, error -> {
      if (error == null) {
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        future.complete(value);
      } else {
        future.completeExceptionally(error instanceof WrappedCheckedException ? error.getCause() : error);
      }
    });
    return future;
  }

  /** Carries a checked exception out of a Callable through the Runnable-based work path. */
  private static final class WrappedCheckedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrappedCheckedException(Exception cause) {
      super(cause);
    }
  }

  /**
   * {@code uv_queue_work} with this request: the work runs on a pool thread, then the
   * after-callback on the loop thread. A request from {@link Loop#workRequest(Runnable, Consumer)}
   * may be queued again once its after-callback has started (from inside it, too).
   *
   * @throws IllegalStateException if the request is queued or running, came from
   *     {@link Loop#queueWork(Runnable, Consumer)} (those run once), or the loop is closed or
   *     runs on another thread
   */
  public void queue() {
    loop.checkUsable();
    if (!reusable) {
      throw new IllegalStateException("a request from Loop.queueWork runs once: "
          + "use Loop.workRequest(work, after) for one that can be queued again");
    }
    if (index >= 0) {
      throw new IllegalStateException("the work request is already queued or running: "
          + "queue it again from its after-callback or later");
    }
    enqueue();
    loop.requestStarted();
  }

  void enqueue() {
    int i = loop.takeSlot(this);
    try {
      nQueue(loop.address, i);
    } catch (RuntimeException | Error e) {
      loop.releaseSlot(i);
      throw e;
    }
    index = i;
  }

  /**
   * {@code uv_cancel}: a request still waiting in the pool's queue is cancelled and its
   * after-callback gets {@code ECANCELED}.
   *
   * @throws UvException {@code EBUSY} if the work is running or has finished
   */
  @Override
  public void cancel() throws UvException {
    loop.checkUsable();
    if (index < 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", null, null, "the work request has completed");
    }
    int r = nCancel(loop.address, index);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", null, null,
          r == Errno.EBUSY ? "the work is already running" : null);
    }
  }

  /**
   * Whether the request is not queued: its after-callback has started, or (a request from
   * {@link Loop#workRequest(Runnable, Consumer)}) it has not been queued yet.
   */
  @Override
  public boolean isDone() {
    return index < 0;
  }

  /** Called by the native library on a pool thread. */
  void runWork() {
    try {
      work.run();
    } catch (Throwable t) {
      workError = t;
    }
  }

  /** Called by the native library on the loop thread, once per queue, after its slot is freed. */
  void onAfter(int status) {
    index = -1;
    loop.requestDone();
    Throwable error = status != 0 ? new UvException(status, "uv_queue_work") : workError;
    Consumer<Throwable> cb = after;
    if (!reusable) { // let the user's objects go with the request's last use
      work = null;
      after = null;
    }
    workError = null;
    try {
      cb.accept(error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  public String toString() {
    return "WorkRequest@" + Integer.toHexString(System.identityHashCode(this))
        + (index < 0 ? "[done]" : "[queued or running]");
  }

  /** Queues the request at {@code index} of the loop's table; throws on failure. */
  private static native int nQueue(long loop, int index);

  private static native int nCancel(long loop, int index);

  static native int nPoolSize();

  static native int nSetPoolSize(int size);
}
