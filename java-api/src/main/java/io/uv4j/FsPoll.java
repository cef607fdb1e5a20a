package io.uv4j;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A polling file watcher ({@code uv_fs_poll_t}): libuv stats the path every interval, on its
 * thread pool, and calls back when the result differs from the previous one. Unlike
 * {@link FsEvent} it works on every file system (network mounts included) and on paths that do
 * not exist yet, at the cost of polling.
 *
 * <p>The callback runs on the loop thread with the previous and the current status. Both are
 * never null: where a stat failed libuv reports all-zero fields (so {@code prev} is all zeros on
 * the first change after the path appears, and {@code curr} on the report that it vanished). A
 * path that cannot be stat'ed is reported once through {@code error} (e.g. {@code ENOENT}, syscall
 * {@code uv_fs_poll}), and again only when the error changes.
 *
 * <pre>{@code
 * FsPoll poll = new FsPoll(loop);
 * poll.start("app.log", 1000, (h, error, prev, curr) -> {
 *   if (error == null) System.out.println("size " + prev.size() + " -> " + curr.size());
 * });
 * }</pre>
 */
public final class FsPoll extends Handle {
  private static final long MAX_INTERVAL = 0xFFFF_FFFFL; // libuv takes an unsigned int

  /** What {@link #start} calls on each change. */
  @FunctionalInterface
  public interface Callback {
    /**
     * @param handle the poller
     * @param error null, or why the path could not be stat'ed this time
     * @param prev the status before the change (all zeros if it could not be stat'ed)
     * @param curr the status now (all zeros if it could not be stat'ed)
     */
    void onChange(FsPoll handle, UvException error, Stat prev, Stat curr);
  }

  private Callback callback;
  private String path;

  /** {@code uv_fs_poll_init}. */
  public FsPoll(Loop loop) {
    super(loop);
    this.address = nInit(loop.address, this);
  }

  /**
   * {@code uv_fs_poll_start}: stats {@code path} now and then every {@code intervalMs}
   * milliseconds (0 polls as often as possible), until {@link #stop()} or close. The path need
   * not exist: problems arrive in the callback.
   *
   * @throws IllegalStateException if the poller is already started (libuv would silently keep
   *     the old path and callback): stop first; or if it was stopped so recently that libuv
   *     still finishes the previous poll (a stat on the pool, or its timer's close): restarting
   *     over it made libuv 1.44 abort, so retry from a later loop iteration or use a new FsPoll
   * @throws IllegalArgumentException for a negative or too large interval (over 2^32-1 ms), or a
   *     path containing a NUL character
   * @throws java.io.UncheckedIOException if libuv cannot start (out of memory)
   */
  public void start(String path, long intervalMs, Callback callback) {
    Objects.requireNonNull(callback, "callback");
    byte[] p = FsEvent.pathBytes(path);
    if (intervalMs < 0 || intervalMs > MAX_INTERVAL) {
      throw new IllegalArgumentException("interval must be in [0, 2^32-1] ms: " + intervalMs);
    }
    long a = open();
    if (nIsActive(a)) {
      throw new IllegalStateException("FsPoll is already started (polling '" + this.path
          + "'): call stop() first");
    }
    this.callback = callback;
    this.path = path;
    int r = nStart(a, p, intervalMs);
    if (r == Errno.EBUSY) {
      this.callback = null;
      this.path = null;
      throw new IllegalStateException("FsPoll was stopped in this loop iteration and libuv is still "
          + "finishing its last stat: start it again from a later iteration, or use a new FsPoll");
    }
    if (r != 0) {
      throw new java.io.UncheckedIOException(new UvException(r, "uv_fs_poll_start", path, null));
    }
  }

  /** {@code uv_fs_poll_stop}: no callback runs after this. Stopping a stopped poller does nothing. */
  public void stop() {
    nStop(open());
  }

  /**
   * {@code uv_fs_poll_getpath}: the path as given to {@link #start}, or null when the poller is
   * not started (never started, or stopped).
   */
  public String getPath() {
    byte[] b = nGetPath(open());
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Called by the native callback on the loop thread. */
  void onPoll(int status, long[] prev, long[] curr) {
    Callback cb = callback;
    if (cb == null) {
      return;
    }
    UvException error = status < 0 ? new UvException(status, "uv_fs_poll", path, null) : null;
    try {
      // null arrays: the native side could not build them (out of memory; status is ENOMEM)
      cb.onChange(this, error, new Stat(prev != null ? prev : new long[20]),
          new Stat(curr != null ? curr : new long[20]));
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  private static native long nInit(long loop, FsPoll self);

  private static native int nStart(long address, byte[] path, long interval);

  private static native int nStop(long address);

  private static native byte[] nGetPath(long address);
}
