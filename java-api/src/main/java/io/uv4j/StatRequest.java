package io.uv4j;

import java.util.Objects;

/**
 * A reusable {@code uv_fs_t} for {@code uv_fs_stat}, {@code uv_fs_lstat} and {@code uv_fs_fstat}:
 * submitted again and again, one operation at a time, as a C program reuses its request, it
 * allocates nothing per round trip on the loop thread. {@link Fs#stat(String, FsCallback)} and
 * its siblings allocate a request, the UTF-8 path and a {@link Stat} each time instead.
 *
 * <p>The {@link Stat} the callback gets is this request's own and is overwritten by its next
 * successful completion, as libuv's {@code req->statbuf}: read it in the callback, or keep
 * {@link Stat#copy()}. Errors arrive as a {@link UvException} with the syscall and path, as with
 * {@link Fs}. Loop thread only.
 *
 * <pre>{@code
 * StatRequest req = new StatRequest(fs);
 * req.stat("data.txt", (stat, error) -> {
 *   if (error == null) System.out.println(stat.size());
 * });
 * }</pre>
 */
public final class StatRequest extends Request {
  private final Loop loop;
  /** The values of the last successful completion, read by {@link #view}. */
  final long[] values = new long[20];
  private final Stat view = new Stat(values);
  /** The UTF-8 path of the operation in flight, reused while it is long enough. */
  private byte[] pathBytes = new byte[256];
  private String path;
  private String syscall;
  private FsCallback<Stat> callback;
  /** Index in the loop's request table (and native slab) while in flight; -1 otherwise. */
  private int index = -1;

  /** A request whose operations run on {@code fs}'s loop. */
  public StatRequest(Fs fs) {
    this.loop = Objects.requireNonNull(fs, "fs").loop();
  }

  /**
   * {@code uv_fs_stat} of {@code path}, following symbolic links.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the path contains a NUL character (or is too long for
   *     its UTF-8 to fit an array)
   * @throws IllegalStateException if this request is in flight, or the loop is closed or runs on
   *     another thread
   * @throws java.io.UncheckedIOException with a {@link UvException} if libuv refuses it
   */
  public void stat(String path, FsCallback<Stat> cb) {
    submit(Fs.STAT, "uv_fs_stat", path, -1, cb);
  }

  /** {@code uv_fs_lstat}: like {@link #stat}, but a symbolic link is described itself. */
  public void lstat(String path, FsCallback<Stat> cb) {
    submit(Fs.LSTAT, "uv_fs_lstat", path, -1, cb);
  }

  /**
   * {@code uv_fs_fstat} of an open file descriptor.
   *
   * @throws NullPointerException if {@code cb} is null
   * @throws IllegalStateException as {@link #stat}
   */
  public void fstat(int fd, FsCallback<Stat> cb) {
    submit(Fs.FSTAT, "uv_fs_fstat", null, fd, cb);
  }

  private void submit(int op, String syscall, String path, int fd, FsCallback<Stat> cb) {
    Objects.requireNonNull(cb, "callback");
    int length = 0;
    if (op != Fs.FSTAT) {
      Objects.requireNonNull(path, "path");
      length = encode(path);
    }
    loop.checkUsable();
    if (index >= 0) {
      throw new IllegalStateException("the stat request is in flight: submit it again from its "
          + "callback or later, or use another StatRequest");
    }
    int i = loop.takeSlot(this);
    int r;
    try {
      r = FsRequest.nStat(op, loop.address, i, pathBytes, length, fd);
    } catch (RuntimeException | Error x) {
      loop.releaseSlot(i);
      throw x;
    }
    if (r < 0) {
      loop.releaseSlot(i);
      throw new java.io.UncheckedIOException(new UvException(r, syscall, path, null));
    }
    index = i;
    this.path = path;
    this.syscall = syscall;
    this.callback = cb;
    loop.requestStarted();
  }

  /** Encodes {@code path} as UTF-8 into pathBytes, growing it if needed; returns the length. */
  private int encode(String s) {
    int n = s.length();
    if (n > (Integer.MAX_VALUE - 16) / 3) { // its UTF-8 could not fit an array
      throw new IllegalArgumentException("path too long: " + n + " characters");
    }
    if (pathBytes.length < 3 * n) {
      pathBytes = new byte[(int) Math.min(Math.max(3L * n, 2L * pathBytes.length), Integer.MAX_VALUE - 16)];
    }
    byte[] b = pathBytes;
    int at = 0;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c < 0x80) {
        if (c == 0) {
          throw new IllegalArgumentException("path contains a NUL character: " + s.replace('\0', '?'));
        }
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | (c >> 6));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++k));
        b[at++] = (byte) (0xF0 | (cp >> 18));
        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        b[at++] = (byte) '?'; // an unpaired surrogate: what String.getBytes(UTF_8) writes
      } else {
        b[at++] = (byte) (0xE0 | (c >> 12));
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return at;
  }

  /**
   * {@code uv_cancel}: an operation still waiting in the pool's queue is cancelled and its
   * callback gets {@code ECANCELED}.
   *
   * @throws UvException {@code EBUSY} if it is running or has completed
   */
  @Override
  public void cancel() throws UvException {
    loop.checkUsable();
    if (index < 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", path, null, "the stat request is not in flight");
    }
    int r = FsRequest.nCancel(loop.address, index);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", path, null,
          r == Errno.EBUSY ? "the stat request is already running" : null);
    }
  }

  /** Whether no operation of this request is in flight (its callback has started, or none was submitted). */
  @Override
  public boolean isDone() {
    return index < 0;
  }

  /**
   * Completion on the loop thread, after the slot is released: {@code values} already holds the
   * result when {@code result} is 0 and it came batched; {@code extra} is the long[20] of a direct
   * completion, or the Throwable that building it raised.
   */
  void onComplete(long result, Object extra) {
    index = -1;
    loop.requestDone();
    FsCallback<Stat> cb = callback;
    callback = null;
    UvException error = null;
    if (result < 0 || extra instanceof Throwable) {
      error = new UvException(result < 0 ? (int) result : Errno.ENOMEM, syscall, path, null);
      if (extra instanceof Throwable) {
        error.initCause((Throwable) extra);
      }
    } else if (extra instanceof long[]) {
      System.arraycopy((long[]) extra, 0, values, 0, values.length);
    }
    try {
      cb.done(error == null ? view : null, error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  public String toString() {
    return "StatRequest[" + (index >= 0 ? syscall + (path != null ? " '" + path + "'" : "") : "idle") + "]";
  }
}
