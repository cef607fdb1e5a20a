package io.uv4j;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * libuv's file system operations ({@code uv_fs_*}), each in three forms: with a callback run on
 * the loop thread, as a {@link CompletableFuture} completed on the loop thread, and synchronous
 * ({@code ...Sync}, static, on the calling thread). Asynchronous operations run on libuv's thread
 * pool, shared with {@link Loop#queueWork} and DNS.
 *
 * <p>Errors are {@link UvException}s carrying the libuv call and the path(s). Paths are Java
 * strings, passed to the OS as UTF-8. Reads and writes take {@link ByteBuffer}s: direct buffers
 * are used in place (kept reachable until completion), heap buffers are copied once; the
 * buffer's position advances by the bytes transferred, before the callback runs.
 *
 * <pre>{@code
 * Fs fs = new Fs(loop);
 * fs.open("data.txt", Fs.O_RDONLY, 0, (fd, err) -> {
 *   ByteBuffer buf = ByteBuffer.allocateDirect(4096);
 *   fs.read(fd, buf, -1, (n, err2) -> { ... fs.close(fd, (v, err3) -> { }); });
 * });
 * Stat s = Fs.statSync("data.txt");
 * }</pre>
 */
public final class Fs {
  static {
    NativeLibrary.load();
  }

  private static final int[] C = FsRequest.nConstants();

  public static final int O_RDONLY = C[0];
  public static final int O_WRONLY = C[1];
  public static final int O_RDWR = C[2];
  public static final int O_CREAT = C[3];
  public static final int O_EXCL = C[4];
  public static final int O_TRUNC = C[5];
  public static final int O_APPEND = C[6];
  public static final int O_SYNC = C[7];
  public static final int O_DSYNC = C[8];
  public static final int O_DIRECTORY = C[9];
  public static final int O_NOFOLLOW = C[10];
  public static final int O_NOATIME = C[11];
  public static final int O_DIRECT = C[12];
  public static final int O_NONBLOCK = C[13];
  public static final int O_NOCTTY = C[14];
  /** {@link #access} modes. */
  public static final int F_OK = C[15];
  public static final int R_OK = C[16];
  public static final int W_OK = C[17];
  public static final int X_OK = C[18];
  /** {@link #copyfile} flags. */
  public static final int COPYFILE_EXCL = C[19];
  public static final int COPYFILE_FICLONE = C[20];
  public static final int COPYFILE_FICLONE_FORCE = C[21];
  /** {@link #symlink} flags (meaningful on Windows). */
  public static final int SYMLINK_DIR = C[22];
  public static final int SYMLINK_JUNCTION = C[23];

  // uv_fs_type values (stable in libuv's ABI).
  static final int OPEN = 1, CLOSE = 2, READ = 3, WRITE = 4, SENDFILE = 5, STAT = 6, LSTAT = 7,
      FSTAT = 8, FTRUNCATE = 9, UTIME = 10, FUTIME = 11, ACCESS = 12, CHMOD = 13, FCHMOD = 14,
      FSYNC = 15, FDATASYNC = 16, UNLINK = 17, RMDIR = 18, MKDIR = 19, MKDTEMP = 20, RENAME = 21,
      SCANDIR = 22, LINK = 23, SYMLINK = 24, READLINK = 25, CHOWN = 26, FCHOWN = 27,
      REALPATH = 28, COPYFILE = 29, LCHOWN = 30, OPENDIR = 31, READDIR = 32, CLOSEDIR = 33,
      STATFS = 34, MKSTEMP = 35, LUTIME = 36;

  private static final FsRequest.Converter<Void> NONE = (r, x) -> null;
  private static final FsRequest.Converter<Integer> INT = (r, x) -> (int) r;
  private static final FsRequest.Converter<Stat> STAT_RESULT = (r, x) -> new Stat((long[]) x);
  private static final FsRequest.Converter<String> STRING = (r, x) -> utf8((byte[]) x);
  private static final FsRequest.Converter<List<DirEntry>> ENTRIES = (r, x) -> entries(x);

  private final Loop loop;

  /** The file system operations of {@code loop}: callbacks and futures complete on its thread. */
  public Fs(Loop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /** The loop whose thread completes this object's operations. */
  public Loop loop() {
    return loop;
  }

  // ------------------------------------------------------------------ open / close

  /** {@code uv_fs_open}: the result is the file descriptor. */
  public void open(String path, int flags, int mode, FsCallback<Integer> cb) {
    op(OPEN, "uv_fs_open", path, null, flags, mode, 0, 0, INT, cb);
  }

  public CompletableFuture<Integer> open(String path, int flags, int mode) {
    return future(cb -> open(path, flags, mode, cb));
  }

  public static int openSync(String path, int flags, int mode) throws UvException {
    return sync(OPEN, "uv_fs_open", path, null, flags, mode, 0, 0, INT);
  }

  /** {@code uv_fs_close}. */
  public void close(int fd, FsCallback<Void> cb) {
    op(CLOSE, "uv_fs_close", null, null, fd, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> close(int fd) {
    return future(cb -> close(fd, cb));
  }

  public static void closeSync(int fd) throws UvException {
    sync(CLOSE, "uv_fs_close", null, null, fd, 0, 0, 0, NONE);
  }

  // ------------------------------------------------------------------ read / write

  /**
   * {@code uv_fs_read} into {@code buf}'s remaining space, at {@code offset} (-1: the file
   * position). The result is the number of bytes read, 0 at end of file; the buffer's position
   * advances by it.
   */
  public void read(int fd, ByteBuffer buf, long offset, FsCallback<Integer> cb) {
    read(fd, new ByteBuffer[] {buf}, offset, cb);
  }

  public CompletableFuture<Integer> read(int fd, ByteBuffer buf, long offset) {
    return future(cb -> read(fd, buf, offset, cb));
  }

  public static int readSync(int fd, ByteBuffer buf, long offset) throws UvException {
    return readSync(fd, new ByteBuffer[] {buf}, offset);
  }

  /** Vectored {@code uv_fs_read}: fills {@code bufs} in order. */
  public void read(int fd, ByteBuffer[] bufs, long offset, FsCallback<Integer> cb) {
    readWrite(READ, "uv_fs_read", fd, bufs, offset, cb);
  }

  public CompletableFuture<Integer> read(int fd, ByteBuffer[] bufs, long offset) {
    return future(cb -> read(fd, bufs, offset, cb));
  }

  public static int readSync(int fd, ByteBuffer[] bufs, long offset) throws UvException {
    return readWriteSync(READ, "uv_fs_read", fd, bufs, offset);
  }

  /**
   * {@code uv_fs_write} of {@code buf}'s remaining bytes at {@code offset} (-1: the file
   * position). The result is the number of bytes written; the buffer's position advances by it.
   */
  public void write(int fd, ByteBuffer buf, long offset, FsCallback<Integer> cb) {
    write(fd, new ByteBuffer[] {buf}, offset, cb);
  }

  public CompletableFuture<Integer> write(int fd, ByteBuffer buf, long offset) {
    return future(cb -> write(fd, buf, offset, cb));
  }

  public static int writeSync(int fd, ByteBuffer buf, long offset) throws UvException {
    return writeSync(fd, new ByteBuffer[] {buf}, offset);
  }

  /** Vectored {@code uv_fs_write}: writes {@code bufs} in order, in one request. */
  public void write(int fd, ByteBuffer[] bufs, long offset, FsCallback<Integer> cb) {
    readWrite(WRITE, "uv_fs_write", fd, bufs, offset, cb);
  }

  public CompletableFuture<Integer> write(int fd, ByteBuffer[] bufs, long offset) {
    return future(cb -> write(fd, bufs, offset, cb));
  }

  public static int writeSync(int fd, ByteBuffer[] bufs, long offset) throws UvException {
    return readWriteSync(WRITE, "uv_fs_write", fd, bufs, offset);
  }

  // ------------------------------------------------------------------ metadata

  /** {@code uv_fs_stat}. */
  public void stat(String path, FsCallback<Stat> cb) {
    op(STAT, "uv_fs_stat", path, null, 0, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> stat(String path) {
    return future(cb -> stat(path, cb));
  }

  public static Stat statSync(String path) throws UvException {
    return sync(STAT, "uv_fs_stat", path, null, 0, 0, 0, 0, STAT_RESULT);
  }

  /** {@code uv_fs_lstat}: like stat, but a symbolic link is described itself. */
  public void lstat(String path, FsCallback<Stat> cb) {
    op(LSTAT, "uv_fs_lstat", path, null, 0, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> lstat(String path) {
    return future(cb -> lstat(path, cb));
  }

  public static Stat lstatSync(String path) throws UvException {
    return sync(LSTAT, "uv_fs_lstat", path, null, 0, 0, 0, 0, STAT_RESULT);
  }

  /** {@code uv_fs_fstat}. */
  public void fstat(int fd, FsCallback<Stat> cb) {
    op(FSTAT, "uv_fs_fstat", null, null, fd, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> fstat(int fd) {
    return future(cb -> fstat(fd, cb));
  }

  public static Stat fstatSync(int fd) throws UvException {
    return sync(FSTAT, "uv_fs_fstat", null, null, fd, 0, 0, 0, STAT_RESULT);
  }

  // ------------------------------------------------------------------ names

  /** {@code uv_fs_unlink}. */
  public void unlink(String path, FsCallback<Void> cb) {
    op(UNLINK, "uv_fs_unlink", path, null, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> unlink(String path) {
    return future(cb -> unlink(path, cb));
  }

  public static void unlinkSync(String path) throws UvException {
    sync(UNLINK, "uv_fs_unlink", path, null, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_mkdir} with permission bits {@code mode} (before the umask). */
  public void mkdir(String path, int mode, FsCallback<Void> cb) {
    op(MKDIR, "uv_fs_mkdir", path, null, mode, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> mkdir(String path, int mode) {
    return future(cb -> mkdir(path, mode, cb));
  }

  public static void mkdirSync(String path, int mode) throws UvException {
    sync(MKDIR, "uv_fs_mkdir", path, null, mode, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_rmdir}. */
  public void rmdir(String path, FsCallback<Void> cb) {
    op(RMDIR, "uv_fs_rmdir", path, null, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> rmdir(String path) {
    return future(cb -> rmdir(path, cb));
  }

  public static void rmdirSync(String path) throws UvException {
    sync(RMDIR, "uv_fs_rmdir", path, null, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_rename}: replaces an existing {@code to}. */
  public void rename(String from, String to, FsCallback<Void> cb) {
    op(RENAME, "uv_fs_rename", from, to, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> rename(String from, String to) {
    return future(cb -> rename(from, to, cb));
  }

  public static void renameSync(String from, String to) throws UvException {
    sync(RENAME, "uv_fs_rename", from, to, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_scandir}: the entries of a directory, without "." and "..". */
  public void scandir(String path, FsCallback<List<DirEntry>> cb) {
    op(SCANDIR, "uv_fs_scandir", path, null, 0, 0, 0, 0, ENTRIES, cb);
  }

  public CompletableFuture<List<DirEntry>> scandir(String path) {
    return future(cb -> scandir(path, cb));
  }

  public static List<DirEntry> scandirSync(String path) throws UvException {
    return sync(SCANDIR, "uv_fs_scandir", path, null, 0, 0, 0, 0, ENTRIES);
  }

  /** {@code uv_fs_mkdtemp}: {@code template} ends in "XXXXXX"; the result is the created path. */
  public void mkdtemp(String template, FsCallback<String> cb) {
    op(MKDTEMP, "uv_fs_mkdtemp", template, null, 0, 0, 0, 0, STRING, cb);
  }

  public CompletableFuture<String> mkdtemp(String template) {
    return future(cb -> mkdtemp(template, cb));
  }

  public static String mkdtempSync(String template) throws UvException {
    return sync(MKDTEMP, "uv_fs_mkdtemp", template, null, 0, 0, 0, 0, STRING);
  }

  /** {@code uv_fs_copyfile} with {@link #COPYFILE_EXCL} / {@code FICLONE} flags. */
  public void copyfile(String from, String to, int flags, FsCallback<Void> cb) {
    op(COPYFILE, "uv_fs_copyfile", from, to, flags, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> copyfile(String from, String to, int flags) {
    return future(cb -> copyfile(from, to, flags, cb));
  }

  public static void copyfileSync(String from, String to, int flags) throws UvException {
    sync(COPYFILE, "uv_fs_copyfile", from, to, flags, 0, 0, 0, NONE);
  }

  // ------------------------------------------------------------------ plumbing

  private <T> void op(int op, String syscall, String path, String path2, long a, long b, long d,
      long e, FsRequest.Converter<T> converter, FsCallback<T> cb) {
    op(op, syscall, path, path2, a, b, d, e, 0, 0, converter, cb);
  }

  <T> void op(int op, String syscall, String path, String path2, long a, long b, long d, long e,
      double t1, double t2, FsRequest.Converter<T> converter, FsCallback<T> cb) {
    Objects.requireNonNull(cb, "callback");
    byte[] p1 = path(path, op);
    byte[] p2 = path2 != null ? path(path2, op) : null;
    loop.checkUsable();
    FsRequest<T> req = new FsRequest<>(loop, syscall, path, path2, converter, cb);
    long r = FsRequest.nOp(op, loop.address, true, req, p1, p2, a, b, d, e, t1, t2);
    if (r < 0) {
      throw new UncheckedIOException(new UvException((int) r, syscall, path, path2));
    }
    loop.requestStarted();
  }

  static <T> T sync(int op, String syscall, String path, String path2, long a, long b, long d,
      long e, FsRequest.Converter<T> converter) throws UvException {
    return sync(op, syscall, path, path2, a, b, d, e, 0, 0, converter);
  }

  static <T> T sync(int op, String syscall, String path, String path2, long a, long b, long d,
      long e, double t1, double t2, FsRequest.Converter<T> converter) throws UvException {
    byte[] p1 = path(path, op);
    byte[] p2 = path2 != null ? path(path2, op) : null;
    FsRequest<T> req = new FsRequest<>(null, syscall, path, path2, converter, null);
    FsRequest.nOp(op, 0, false, req, p1, p2, a, b, d, e, t1, t2);
    return req.syncResult();
  }

  private void readWrite(int op, String syscall, int fd, ByteBuffer[] bufs, long offset,
      FsCallback<Integer> cb) {
    Objects.requireNonNull(cb, "callback");
    Transfer t = new Transfer(op, bufs, offset);
    loop.checkUsable();
    FsRequest<Integer> req = new FsRequest<>(loop, syscall, null, null, t::finish, cb);
    req.keepAlive = t;
    long r = FsRequest.nReadWrite(op, loop.address, true, req, fd, t.direct, t.positions, t.lengths, offset);
    if (r < 0) {
      throw new UncheckedIOException(new UvException((int) r, syscall));
    }
    loop.requestStarted();
  }

  private static int readWriteSync(int op, String syscall, int fd, ByteBuffer[] bufs, long offset)
      throws UvException {
    Transfer t = new Transfer(op, bufs, offset);
    FsRequest<Integer> req = new FsRequest<>(null, syscall, null, null, t::finish, null);
    FsRequest.nReadWrite(op, 0, false, req, fd, t.direct, t.positions, t.lengths, offset);
    return req.syncResult();
  }

  /**
   * The buffers of one read or write: direct ones used in place, heap ones through one direct
   * copy. {@link #finish} advances the callers' positions (and copies read bytes back).
   */
  private static final class Transfer {
    final ByteBuffer[] user;
    final ByteBuffer[] direct;
    final int[] positions;
    final int[] lengths;
    final boolean read;

    Transfer(int op, ByteBuffer[] bufs, long offset) {
      Objects.requireNonNull(bufs, "buffers");
      if (offset < -1) {
        throw new IllegalArgumentException("offset must be >= 0, or -1 for the file position: " + offset);
      }
      read = op == READ;
      user = bufs.clone();
      direct = new ByteBuffer[user.length];
      positions = new int[user.length];
      lengths = new int[user.length];
      for (int i = 0; i < user.length; i++) {
        ByteBuffer b = Objects.requireNonNull(user[i], "buffer");
        if (read && b.isReadOnly()) {
          throw new java.nio.ReadOnlyBufferException();
        }
        lengths[i] = b.remaining();
        if (b.isDirect()) {
          direct[i] = b;
          positions[i] = b.position();
        } else {
          ByteBuffer copy = ByteBuffer.allocateDirect(Math.max(1, b.remaining()));
          if (!read) {
            copy.put(b.duplicate()).flip();
          }
          direct[i] = copy;
          positions[i] = 0;
        }
      }
    }

    /** On completion (n >= 0 bytes): advance positions, copy read bytes into heap buffers. */
    Integer finish(long result, Object extra) {
      long left = result;
      for (int i = 0; i < user.length && left > 0; i++) {
        int n = (int) Math.min(left, lengths[i]);
        ByteBuffer b = user[i];
        if (read && direct[i] != b) {
          ByteBuffer src = direct[i].duplicate();
          src.limit(n);
          b.put(src);
        } else {
          b.position(b.position() + n);
        }
        left -= n;
      }
      return (int) result;
    }
  }

  private static <T> CompletableFuture<T> future(java.util.function.Consumer<FsCallback<T>> start) {
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

  /** Operations on a descriptor (or dir handle), which take no path. */
  private static boolean takesNoPath(int op) {
    switch (op) {
      case CLOSE: case READ: case WRITE: case SENDFILE: case FSTAT: case FTRUNCATE: case FUTIME:
      case FCHMOD: case FSYNC: case FDATASYNC: case FCHOWN: case READDIR: case CLOSEDIR:
        return true;
      default:
        return false;
    }
  }

  private static byte[] path(String path, int op) {
    if (path == null && takesNoPath(op)) {
      return null;
    }
    Objects.requireNonNull(path, "path");
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("path contains a NUL character: " + path.replace('\0', '?'));
    }
    return path.getBytes(StandardCharsets.UTF_8);
  }

  static String utf8(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static List<DirEntry> entries(Object extra) {
    Object[] pair = (Object[]) extra;
    Object[] names = (Object[]) pair[0];
    int[] types = (int[]) pair[1];
    DirEntry.Type[] all = DirEntry.Type.values();
    List<DirEntry> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      int t = types[i];
      out.add(new DirEntry(utf8((byte[]) names[i]), t >= 0 && t < all.length ? all[t] : DirEntry.Type.UNKNOWN));
    }
    return Collections.unmodifiableList(out);
  }
}
