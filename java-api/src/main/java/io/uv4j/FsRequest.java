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
  /** Index in the loop's request table (and native slab) while in flight; -1 before and after. */
  private int index = -1;
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

  /** Before an asynchronous submission: takes the index the native request is known by. */
  int reserve() {
    index = loop.takeSlot(this);
    return index;
  }

  /** After a failed asynchronous submission: gives the index back. */
  void unreserve() {
    loop.releaseSlot(index);
    index = -1;
  }

  /** After a successful asynchronous submission. */
  void submitted() {
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
    if (index < 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", path, dest, "the fs request has completed");
    }
    int r = nCancel(loop.address, index);
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

  /**
   * Run first on completion with libuv's result, before anything that could fail: puts a
   * {@link Dir} back into its state whatever happens next.
   */
  java.util.function.LongConsumer settle;

  /**
   * Called by fs.c: on the loop thread (async) or the calling thread (sync), exactly once. A
   * negative result with a Throwable as {@code extra} means the native result could not be built
   * (out of memory): the error gets it as its cause. Never throws for the asynchronous form: the
   * user's callback always runs, and only what it throws goes to the loop's exception handling.
   */
  void onComplete(long result, Object extra) {
    index = -1;
    done = true;
    java.util.function.LongConsumer s = settle;
    settle = null;
    if (s != null) {
      s.accept(result);
    }
    if (loop == null) {
      finish(result, extra); // the synchronous caller gets the value or the error
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

  /** Test hook: the next {@code count} converters (Java result builders) throw OutOfMemoryError. */
  static volatile int failNextConversions;

  /**
   * Releases what a successful result holds (an open directory, a created file) when the value
   * cannot be built for the caller: nobody else could.
   */
  interface Release {
    void release(long result, Object extra) throws Exception;
  }

  Release releaseIfLost;

  private void finish(long result, Object extra) {
    keepAlive = null;
    if (result >= 0) {
      try {
        if (failNextConversions > 0 && failNextConversions-- > 0) {
          throw new OutOfMemoryError("uv4j test hook: building the fs result failed");
        }
        value = converter.convert(result, extra);
        return;
      } catch (Throwable t) { // out of memory building the value: an error for the callback
        if (releaseIfLost != null) {
          try {
            releaseIfLost.release(result, extra);
          } catch (Throwable ignored) { // best effort, still out of memory perhaps
          }
        }
        result = t instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EINVAL;
        extra = t;
      }
    }
    if (extra instanceof Throwable) {
      Throwable t = (Throwable) extra;
      error = new UvException((int) result, syscall, path, dest, "the result could not be built: " + t);
      error.initCause(t);
    } else {
      error = new UvException((int) result, syscall, path, dest);
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

  /*
   * The asynchronous forms return 0 once queued (the request is known by `index`) or a negative
   * libuv error (nothing queued); the synchronous forms (index unused) deliver to `target`.
   */
  static native long nOp(int op, long loop, boolean async, FsRequest target, int index,
      byte[] path, byte[] path2, long a, long b, long d, long e, double t1, double t2);

  static native long nReadWrite(int op, long loop, boolean async, FsRequest target, int index,
      long fd, java.nio.ByteBuffer[] bufs, int[] positions, int[] lengths, long offset);

  static native long nReaddir(long loop, boolean async, FsRequest target, int index, long dir,
      int max);

  static native int nCancel(long loop, int index);

  /**
   * {@code uv_fs_stat}/{@code lstat}/{@code fstat} (op) for a {@link StatRequest} at
   * {@code index}: the path is the first {@code pathLength} bytes of {@code path} (ignored for
   * fstat). Returns 0 once queued, or a submission error.
   */
  static native int nStat(int op, long loop, int index, byte[] path, int pathLength, int fd);

  static native int[] nConstants();

  /** The descriptors libuv keeps inside the loop at {@code loop} (see {@link OwnedFds}). */
  static native int[] nLoopFds(long loop);

  /**
   * Whether {@code fd} is libuv's process-wide signal lock pipe or a descriptor of the shim's own
   * loops (the synchronous fs loop, the signal anchor loop), which no Java Loop owns.
   */
  static native boolean nLibraryFd(int fd);

  /** Test hook: the next {@code count} native results of fs type {@code op} fail to build (OOM). */
  static native void nFailNextResults(int op, int count);
}
