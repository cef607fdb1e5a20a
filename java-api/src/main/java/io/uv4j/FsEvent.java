package io.uv4j;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A file system watcher ({@code uv_fs_event_t}) fed by the OS's notifications (inotify on Linux,
 * FSEvents/kqueue on macOS, ReadDirectoryChangesW on Windows).
 *
 * <p>Watching a file reports changes to it, with its own name as {@code filename}; watching a
 * directory reports changes to its entries, with the entry's name (not a path) as
 * {@code filename}. {@code filename} may be null on platforms that do not say which entry
 * changed. {@code events} is a mask of {@link #RENAME} and {@link #CHANGE}. The callback runs on
 * the loop thread.
 *
 * <pre>{@code
 * FsEvent watcher = new FsEvent(loop);
 * watcher.start("config", 0, (h, filename, events, error) -> {
 *   if ((events & FsEvent.CHANGE) != 0) System.out.println(filename + " changed");
 * });
 * }</pre>
 */
public final class FsEvent extends Handle {
  /** Event bit: an entry was renamed, created or deleted (libuv's {@code UV_RENAME}). */
  public static final int RENAME = 1;
  /** Event bit: contents or attributes changed (libuv's {@code UV_CHANGE}). */
  public static final int CHANGE = 2;

  /** Start flag {@code UV_FS_EVENT_WATCH_ENTRY} (libuv: not implemented yet, ignored). */
  public static final int WATCH_ENTRY = 1;
  /** Start flag {@code UV_FS_EVENT_STAT} (libuv: not implemented yet, ignored). */
  public static final int STAT = 2;
  /** Start flag {@code UV_FS_EVENT_RECURSIVE}: watch subdirectories too (macOS and Windows only). */
  public static final int RECURSIVE = 4;

  /** What {@link #start} calls on each change. */
  @FunctionalInterface
  public interface Callback {
    /**
     * @param handle the watcher
     * @param filename the changed entry's name (the file's own name when watching a file); may
     *     be null where the platform does not tell
     * @param events {@link #RENAME} and/or {@link #CHANGE}
     * @param error null, or the error libuv reported for the watch (syscall {@code uv_fs_event})
     */
    void onEvent(FsEvent handle, String filename, int events, UvException error);
  }

  private Callback callback;
  private String path;

  /** {@code uv_fs_event_init}. */
  public FsEvent(Loop loop) {
    super(loop);
    this.address = nInit(loop.address, this);
  }

  /**
   * {@code uv_fs_event_start}: watches {@code path} (a file or a directory) until {@link #stop()}
   * or close. A path that cannot be watched (missing, not readable...) fails here, not in the
   * callback.
   *
   * @param flags {@link #RECURSIVE} etc., usually 0
   * @throws UvException from {@code uv_fs_event_start}, e.g. {@code ENOENT} for a missing path;
   *     the handle stays inactive
   * @throws IllegalStateException if the watcher is already started (libuv: EINVAL): stop first
   * @throws IllegalArgumentException if the path contains a NUL character, or {@code flags} has
   *     bits other than {@link #WATCH_ENTRY}, {@link #STAT} and {@link #RECURSIVE}
   * @throws NullPointerException if {@code path} or {@code callback} is null
   */
  public void start(String path, int flags, Callback callback) throws UvException {
    Objects.requireNonNull(callback, "callback");
    byte[] p = pathBytes(path);
    if ((flags & ~(WATCH_ENTRY | STAT | RECURSIVE)) != 0) {
      throw new IllegalArgumentException("unknown FsEvent flags: 0x" + Integer.toHexString(flags));
    }
    long a = open();
    if (nIsActive(a)) {
      throw new IllegalStateException("FsEvent is already started (watching '" + this.path
          + "'): call stop() first");
    }
    int r = nStart(a, p, flags);
    if (r != 0) {
      throw new UvException(r, "uv_fs_event_start", path, null);
    }
    this.callback = callback;
    this.path = path;
    OwnedFds.registerLoop(loop); // the first watcher of a loop opens its inotify descriptor
  }

  /** {@code uv_fs_event_stop}: no callback runs after this. Stopping a stopped watcher does nothing. */
  public void stop() {
    nStop(open());
  }

  /**
   * {@code uv_fs_event_getpath}: the path as given to {@link #start}, or null when the watcher is
   * not started (never started, or stopped).
   */
  public String getPath() {
    byte[] b = nGetPath(open());
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Called by the native callback on the loop thread. */
  void onEvent(byte[] filename, int events, int status) {
    // status ENOMEM with no filename: the native side could not build the name (out of memory).
    Callback cb = callback;
    if (cb == null) {
      return;
    }
    UvException error = status < 0 ? new UvException(status, "uv_fs_event", path, null) : null;
    String name = filename == null ? null : new String(filename, StandardCharsets.UTF_8);
    try {
      cb.onEvent(this, name, events, error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  /** A path as the UTF-8 bytes the OS gets (not JNI's modified UTF-8). */
  static byte[] pathBytes(String path) {
    Objects.requireNonNull(path, "path");
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains a NUL character: " + path.replace('\0', '?'));
    }
    return path.getBytes(StandardCharsets.UTF_8);
  }

  private static native long nInit(long loop, FsEvent self);

  private static native int nStart(long address, byte[] path, int flags);

  private static native int nStop(long address);

  private static native byte[] nGetPath(long address);
}
