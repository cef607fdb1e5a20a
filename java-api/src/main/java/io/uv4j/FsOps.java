package io.uv4j;

import static io.uv4j.Fs.CLOSEDIR;
import static io.uv4j.Fs.ENTRIES;
import static io.uv4j.Fs.MKDTEMP;
import static io.uv4j.Fs.MKSTEMP;
import static io.uv4j.Fs.NONE;
import static io.uv4j.Fs.OPENDIR;
import static io.uv4j.Fs.READ;
import static io.uv4j.Fs.closeSync;
import static io.uv4j.Fs.rmdirSync;
import static io.uv4j.Fs.unlinkSync;
import static io.uv4j.FsArgs.checkMaxEntries;
import static io.uv4j.FsArgs.checkTimes;
import static io.uv4j.FsArgs.path;
import static io.uv4j.FsArgs.utf8;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * How {@link Fs} submits an operation: the checks every form shares ({@link FsArgs}), then
 * {@code FsRequest.nOp} / {@code nReadWrite} / {@code nReaddir} on the loop's pool (asynchronous,
 * the request reserved in its table first and released when submission fails) or on the calling
 * thread (synchronous); plus what to release when a result holding a resource cannot be built.
 */
final class FsOps {
  private FsOps() {}

  static <T> FsRequest op(Loop loop, int op, String syscall, String path, String path2, long a,
      long b, long d, long e, double t1, double t2, FsRequest.Converter<T> converter, FsCallback<T> cb) {
    Objects.requireNonNull(cb, "callback");
    byte[] p1 = path(path, op, 0);
    byte[] p2 = path(path2, op, 1);
    checkTimes(op, t1, t2);
    loop.checkUsable();
    FsRequest req = new FsRequest(loop, syscall, path, path2, converter, cb);
    req.releaseIfLost = releaser(op);
    int index = req.reserve();
    long r;
    try {
      r = FsRequest.nOp(op, loop.address, true, req, index, p1, p2, a, b, d, e, t1, t2);
    } catch (RuntimeException | Error x) {
      req.unreserve();
      throw x;
    }
    if (r < 0) {
      req.unreserve();
      throw new UncheckedIOException(new UvException((int) r, syscall, path, path2));
    }
    req.submitted();
    return req;
  }

  static <T> T sync(int op, String syscall, String path, String path2, long a, long b, long d,
      long e, FsRequest.Converter<T> converter) throws UvException {
    return sync(op, syscall, path, path2, a, b, d, e, 0, 0, converter);
  }

  static <T> T sync(int op, String syscall, String path, String path2, long a, long b, long d,
      long e, double t1, double t2, FsRequest.Converter<T> converter) throws UvException {
    byte[] p1 = path(path, op, 0);
    byte[] p2 = path(path2, op, 1);
    checkTimes(op, t1, t2);
    FsRequest req = new FsRequest(null, syscall, path, path2, converter, null);
    req.releaseIfLost = releaser(op);
    FsRequest.nOp(op, 0, false, req, -1, p1, p2, a, b, d, e, t1, t2);
    return req.syncResult();
  }

  static FsRequest readWrite(Loop loop, int op, String syscall, int fd, ByteBuffer[] bufs,
      long offset, FsCallback<Integer> cb) {
    Objects.requireNonNull(cb, "callback");
    FsTransfer t = new FsTransfer(op, bufs, offset);
    OwnedFds.check(fd, op == READ ? "read" : "write", true);
    loop.checkUsable();
    FsRequest req = new FsRequest(loop, syscall, null, null, t::finish, cb);
    req.keepAlive = t;
    int index = req.reserve();
    long r;
    try {
      r = FsRequest.nReadWrite(op, loop.address, true, req, index, fd, t.direct, t.positions,
          t.lengths, offset);
    } catch (RuntimeException | Error x) {
      req.unreserve();
      throw x;
    }
    if (r < 0) {
      req.unreserve();
      throw new UncheckedIOException(new UvException((int) r, syscall));
    }
    req.submitted();
    return req;
  }

  static int readWriteSync(int op, String syscall, int fd, ByteBuffer[] bufs, long offset)
      throws UvException {
    FsTransfer t = new FsTransfer(op, bufs, offset);
    OwnedFds.check(fd, op == READ ? "read" : "write", true);
    FsRequest req = new FsRequest(null, syscall, null, null, t::finish, null);
    FsRequest.nReadWrite(op, 0, false, req, -1, fd, t.direct, t.positions, t.lengths, offset);
    return req.syncResult();
  }

  static <T> CompletableFuture<T> future(java.util.function.Consumer<FsCallback<T>> start) {
    CompletableFuture<T> f = new CompletableFuture<>();
    start.accept((value, error) -> {
      if (error != null) {
        f.completeExceptionally(error);
      } else {
        f.complete(value);
      }
    });
    return f;
  }

  /** What to release when a result holding something cannot be built (see FsRequest.finish). */
  static FsRequest.Release releaser(int op) {
    switch (op) {
      case OPENDIR:
        return (r, x) -> FsRequest.nOp(CLOSEDIR, 0, false,
            new FsRequest(null, "uv_fs_closedir", null, null, NONE, null), -1, null, null,
            ((long[]) x)[0], 0, 0, 0, 0, 0);
      case MKSTEMP:
        return (r, x) -> {
          closeSync((int) r);
          unlinkSync(utf8((byte[]) x));
        };
      case MKDTEMP:
        return (r, x) -> rmdirSync(utf8((byte[]) x));
      default:
        return null;
    }
  }

  /** {@link Fs#readdir(Dir, int, FsCallback)} after the public method: submits on {@code loop}. */
  static FsRequest readdir(Loop loop, Dir dir, int maxEntries, FsCallback<List<DirEntry>> cb) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(cb, "callback");
    checkMaxEntries(maxEntries);
    loop.checkUsable();
    dir.beginRead();
    FsRequest req = new FsRequest(loop, "uv_fs_readdir", dir.path(), null, ENTRIES, cb);
    req.settle = result -> dir.endRead(); // first thing on completion, whatever happens next
    long r;
    int index = req.reserve();
    try {
      r = FsRequest.nReaddir(loop.address, true, req, index, dir.address, maxEntries);
    } catch (RuntimeException | Error e) {
      req.unreserve();
      dir.endRead();
      throw e;
    }
    if (r < 0) {
      req.unreserve();
      dir.endRead();
      throw new UncheckedIOException(new UvException((int) r, "uv_fs_readdir", dir.path(), null));
    }
    req.submitted();
    return req;
  }

  /** {@link Fs#readdirSync}: on the calling thread. */
  static List<DirEntry> readdirSync(Dir dir, int maxEntries) throws UvException {
    Objects.requireNonNull(dir, "dir");
    checkMaxEntries(maxEntries);
    dir.beginRead();
    try {
      FsRequest req = new FsRequest(null, "uv_fs_readdir", dir.path(), null, ENTRIES, null);
      FsRequest.nReaddir(0, false, req, -1, dir.address, maxEntries);
      return req.syncResult();
    } finally {
      dir.endRead();
    }
  }

  /** {@link Fs#closedir(Dir, FsCallback)} after the public method: submits on {@code loop}. */
  static FsRequest closedir(Loop loop, Dir dir, FsCallback<Void> cb) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(cb, "callback");
    loop.checkUsable();
    dir.beginClose();
    FsRequest req = new FsRequest(loop, "uv_fs_closedir", dir.path(), null, NONE, cb);
    req.settle = result -> {
      if (result == Errno.ECANCELED) {
        dir.closeCancelled(); // never ran: still open
      }
    };
    long r;
    int index = req.reserve();
    try {
      r = FsRequest.nOp(CLOSEDIR, loop.address, true, req, index, null, null, dir.address, 0, 0, 0,
          0, 0);
    } catch (RuntimeException | Error e) {
      req.unreserve();
      dir.closeCancelled(); // not submitted: still open
      throw e;
    }
    if (r < 0) {
      req.unreserve();
      dir.closeCancelled();
      throw new UncheckedIOException(new UvException((int) r, "uv_fs_closedir", dir.path(), null));
    }
    req.submitted();
    return req;
  }
}
