package io.uv4j;

/**
 * An asynchronous {@link Fs} operation in flight ({@code uv_fs_t}), returned by the callback
 * form of every operation so it can be {@linkplain #cancel() cancelled} while it still waits in
 * the thread pool's queue; its callback then gets a {@link UvException} {@code ECANCELED}.
 *
 * <pre>{@code
 * FsRequest r = fs.stat("big/tree", (stat, error) -> { ... });
 * r.cancel();   // ECANCELED if no pool thread has started it yet, else UvException EBUSY
 * }</pre>
 *
 * <p>Internally it also carries what the completion needs (converter, callback, the buffers libuv
 * reads or writes, which must stay reachable until then) and, for the synchronous form, the
 * outcome.
 */
public final class FsRequest extends Request {
  /** Turns libuv's result and the native extra (see fs.c fs_extra) into the Java value. */
  interface Converter<T> {
    T convert(long result, Object extra);
  }

  private final Loop loop; // null for the synchronous form
  private final String syscall;
  private final String path;
  private final String dest;
  private final Converter<?> converter;
  private FsCallback<?> callback;
  /** Native uvj_fs while the asynchronous request is in flight; 0 before and after. */
  private long address;
  private boolean done;
  /** Buffers libuv uses until completion: reachable from here, so never freed or moved early. */
  Object keepAlive;

  private Object value;
  private UvException error;

  <T> FsRequest(Loop loop, String syscall, String path, String dest, Converter<T> converter,
      FsCallback<T> callback) {
    this.loop = loop;
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
    this.converter = converter;
    this.callback = callback;
  }

  /** After a successful asynchronous submission: the native request, for {@link #cancel()}. */
  void submitted(long address) {
    this.address = address;
    loop.requestStarted();
  }

  /**
   * {@code uv_cancel}: an operation still waiting in the thread pool's queue is cancelled and its
   * callback gets {@code ECANCELED} (on the loop thread, in a later iteration).
   *
   * @throws UvException {@code EBUSY} if a pool thread is already running it or it has completed
   * @throws IllegalStateException if the loop is closed or another thread is running it
   */
  @Override
  public void cancel() throws UvException {
    loop.checkUsable();
    if (address == 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", path, dest, "the fs request has completed");
    }
    int r = nCancel(address);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", path, dest,
          r == Errno.EBUSY ? "the fs request is already running" : null);
    }
  }

  /** Whether its callback has run. */
  @Override
  public boolean isDone() {
    return done;
  }

  /** Called by fs.c: on the loop thread (async) or the calling thread (sync), exactly once. */
  void onComplete(long result, Object extra) {
    address = 0;
    done = true;
    if (loop == null) {
      finish(result, extra); // a failure here is thrown to the synchronous caller
      return;
    }
    loop.requestDone();
    @SuppressWarnings("unchecked")
    FsCallback<Object> cb = (FsCallback<Object>) callback;
    callback = null;
    try {
      finish(result, extra);
      cb.done(value, error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  private void finish(long result, Object extra) {
    keepAlive = null;
    if (result < 0) {
      error = new UvException((int) result, syscall, path, dest);
    } else {
      value = converter.convert(result, extra);
    }
  }

  /** After a synchronous call: the value, or the error thrown. */
  @SuppressWarnings("unchecked")
  <T> T syncResult() throws UvException {
    if (error != null) {
      throw error;
    }
    return (T) value;
  }

  @Override
  public String toString() {
    return "FsRequest[" + syscall + (path != null ? " '" + path + "'" : "")
        + (dest != null ? " -> '" + dest + "'" : "") + (done ? ", done" : "") + "]";
  }

  static native long nOp(int op, long loop, boolean async, FsRequest target, byte[] path,
      byte[] path2, long a, long b, long d, long e, double t1, double t2);

  static native long nReadWrite(int op, long loop, boolean async, FsRequest target, long fd,
      java.nio.ByteBuffer[] bufs, int[] positions, int[] lengths, long offset);

  static native long nReaddir(long loop, boolean async, FsRequest target, long dir, int max);

  private static native int nCancel(long address);

  static native int[] nConstants();
}
