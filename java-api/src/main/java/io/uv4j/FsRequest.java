package io.uv4j;

/**
 * One uv_fs_t on its way: carries what the completion needs (converter, callback, the buffers
 * libuv reads or writes, which must stay reachable until then) and, for the synchronous form,
 * the outcome. Created by {@link Fs}; completes through {@link #onComplete}.
 */
final class FsRequest<T> {
  /** Turns libuv's result and the native extra (see fs.c fs_extra) into the Java value. */
  interface Converter<T> {
    T convert(long result, Object extra);
  }

  private final Loop loop; // null for the synchronous form
  private final String syscall;
  private final String path;
  private final String dest;
  private final Converter<T> converter;
  private FsCallback<T> callback;
  /** Buffers libuv uses until completion: reachable from here, so never freed or moved early. */
  Object keepAlive;

  T value;
  UvException error;

  FsRequest(Loop loop, String syscall, String path, String dest, Converter<T> converter,
      FsCallback<T> callback) {
    this.loop = loop;
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
    this.converter = converter;
    this.callback = callback;
  }

  /** Called by fs.c: on the loop thread (async) or the calling thread (sync), exactly once. */
  void onComplete(long result, Object extra) {
    if (result < 0) {
      error = new UvException((int) result, syscall, path, dest);
    } else {
      value = converter.convert(result, extra);
    }
    keepAlive = null;
    if (loop == null) {
      return;
    }
    loop.requestDone();
    FsCallback<T> cb = callback;
    callback = null;
    try {
      cb.done(value, error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  /** After a synchronous call: the value, or the error thrown. */
  T syncResult() throws UvException {
    if (error != null) {
      throw error;
    }
    return value;
  }

  @Override
  public String toString() {
    return "FsRequest[" + syscall + (path != null ? " '" + path + "'" : "") + "]";
  }

  static native long nOp(int op, long loop, boolean async, FsRequest<?> target, byte[] path,
      byte[] path2, long a, long b, long d, long e, double t1, double t2);

  static native long nReadWrite(int op, long loop, boolean async, FsRequest<?> target, long fd,
      java.nio.ByteBuffer[] bufs, int[] positions, int[] lengths, long offset);

  static native long nReaddir(long loop, boolean async, FsRequest<?> target, long dir, int max);

  static native int[] nConstants();
}
