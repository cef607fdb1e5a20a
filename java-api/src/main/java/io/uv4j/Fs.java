package io.uv4j;

import static io.uv4j.FsArgs.checkLength;
import static io.uv4j.FsArgs.checkSendfile;
import static io.uv4j.FsArgs.dirOf;
import static io.uv4j.FsArgs.entries;
import static io.uv4j.FsArgs.seconds;
import static io.uv4j.FsArgs.utf8;
import static io.uv4j.FsOps.future;
import static io.uv4j.FsOps.readWriteSync;
import static io.uv4j.FsOps.sync;

import java.nio.ByteBuffer;
import java.time.Instant;
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
 * <p><b>Arguments.</b> Every method checks its arguments before anything is queued or called,
 * and throws the same exceptions in its three forms: {@link NullPointerException} naming the
 * parameter for a null path, buffer, {@link Dir}, time or callback; {@link IllegalArgumentException}
 * for a path containing NUL, an empty buffer array or one holding the same buffer twice, an
 * offset below -1, a negative length or size, a non-finite time, or a descriptor that libuv owns
 * (see {@link #close}); {@link java.nio.ReadOnlyBufferException} for a read into a read-only
 * buffer; {@link IllegalStateException} for a closed loop, a call from a thread other than the
 * running loop's, or a {@link Dir} that is closed or busy. A descriptor that is not open
 * (negative, or closed) is the operating system's business: {@code EBADF}.
 *
 * <p><b>Buffers in flight.</b> Do not touch the buffers of a read or write until its callback
 * runs. If you do anyway (change a limit or position, pass views of one heap array), the
 * completion still never throws: read bytes are copied back only where they still fit (between
 * the buffer's position at submission and its current limit), each position is set just past what
 * was stored there, and the result is what the operating system transferred.
 *
 * <p>The callback form returns the {@link FsRequest}, which can be {@linkplain FsRequest#cancel()
 * cancelled} while it waits for a pool thread; the callback then gets {@code ECANCELED}.
 * Directories are read in batches through a {@link Dir} ({@link #opendir}, {@link #readdir},
 * {@link #closedir}) or at once with {@link #scandir}.
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

  static final FsRequest.Converter<Void> NONE = (r, x) -> null;
  private static final FsRequest.Converter<Integer> INT = (r, x) -> (int) r;
  private static final FsRequest.Converter<Stat> STAT_RESULT = (r, x) -> new Stat((long[]) x);
  private static final FsRequest.Converter<String> STRING = (r, x) -> utf8((byte[]) x);
  static final FsRequest.Converter<List<DirEntry>> ENTRIES = (r, x) -> entries(x);
  private static final FsRequest.Converter<Long> LONG = (r, x) -> r;
  private static final FsRequest.Converter<TempFile> TEMP_FILE =
      (r, x) -> new TempFile((int) r, utf8((byte[]) x));
  private static final FsRequest.Converter<StatFs> STATFS_RESULT = (r, x) -> new StatFs((long[]) x);

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
  public FsRequest open(String path, int flags, int mode, FsCallback<Integer> cb) {
    return op(OPEN, "uv_fs_open", path, null, flags, mode, 0, 0, INT, cb);
  }

  public CompletableFuture<Integer> open(String path, int flags, int mode) {
    return future(cb -> open(path, flags, mode, cb));
  }

  public static int openSync(String path, int flags, int mode) throws UvException {
    return sync(OPEN, "uv_fs_open", path, null, flags, mode, 0, 0, INT);
  }

  /**
   * {@code uv_fs_close}.
   *
   * @throws IllegalArgumentException if libuv owns {@code fd}: one of a loop's internal
   *     descriptors (such as {@link Loop#backendFd()}) or a live handle's (its {@code fileno}).
   *     Closing it would make libuv abort the process in its next loop iteration; close the handle
   *     or the loop instead. The message names the owner.
   */
  public FsRequest close(int fd, FsCallback<Void> cb) {
    OwnedFds.check(fd, "close", false);
    return op(CLOSE, "uv_fs_close", null, null, fd, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> close(int fd) {
    return future(cb -> close(fd, cb));
  }

  /** {@link #close(int, FsCallback)} on the calling thread; the same descriptors are refused. */
  public static void closeSync(int fd) throws UvException {
    OwnedFds.check(fd, "close", false);
    sync(CLOSE, "uv_fs_close", null, null, fd, 0, 0, 0, NONE);
  }

  // ------------------------------------------------------------------ read / write

  /**
   * {@code uv_fs_read} into {@code buf}'s remaining space, at {@code offset} (-1: the file
   * position). The result is the number of bytes read, 0 at end of file; the buffer's position
   * advances by it.
   */
  public FsRequest read(int fd, ByteBuffer buf, long offset, FsCallback<Integer> cb) {
    return read(fd, new ByteBuffer[] {buf}, offset, cb);
  }

  public CompletableFuture<Integer> read(int fd, ByteBuffer buf, long offset) {
    return future(cb -> read(fd, buf, offset, cb));
  }

  public static int readSync(int fd, ByteBuffer buf, long offset) throws UvException {
    return readSync(fd, new ByteBuffer[] {buf}, offset);
  }

  /**
   * Vectored {@code uv_fs_read}: fills {@code bufs} in order.
   *
   * @throws IllegalArgumentException if {@code bufs} is empty or holds one buffer twice, if
   *     {@code offset < -1}, or if {@code fd} is one of a loop's internal descriptors (reading it
   *     would steal the loop's wake-ups)
   * @throws java.nio.ReadOnlyBufferException if a buffer is read-only
   */
  public FsRequest read(int fd, ByteBuffer[] bufs, long offset, FsCallback<Integer> cb) {
    return readWrite(READ, "uv_fs_read", fd, bufs, offset, cb);
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
  public FsRequest write(int fd, ByteBuffer buf, long offset, FsCallback<Integer> cb) {
    return write(fd, new ByteBuffer[] {buf}, offset, cb);
  }

  public CompletableFuture<Integer> write(int fd, ByteBuffer buf, long offset) {
    return future(cb -> write(fd, buf, offset, cb));
  }

  public static int writeSync(int fd, ByteBuffer buf, long offset) throws UvException {
    return writeSync(fd, new ByteBuffer[] {buf}, offset);
  }

  /**
   * Vectored {@code uv_fs_write}: writes {@code bufs} in order, in one request.
   *
   * @throws IllegalArgumentException if {@code bufs} is empty or holds one buffer twice, if
   *     {@code offset < -1}, or if {@code fd} is one of a loop's internal descriptors (writing
   *     there would feed libuv messages it did not send)
   */
  public FsRequest write(int fd, ByteBuffer[] bufs, long offset, FsCallback<Integer> cb) {
    return readWrite(WRITE, "uv_fs_write", fd, bufs, offset, cb);
  }

  public CompletableFuture<Integer> write(int fd, ByteBuffer[] bufs, long offset) {
    return future(cb -> write(fd, bufs, offset, cb));
  }

  public static int writeSync(int fd, ByteBuffer[] bufs, long offset) throws UvException {
    return readWriteSync(WRITE, "uv_fs_write", fd, bufs, offset);
  }

  // ------------------------------------------------------------------ metadata

  /** {@code uv_fs_stat}. */
  public FsRequest stat(String path, FsCallback<Stat> cb) {
    return op(STAT, "uv_fs_stat", path, null, 0, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> stat(String path) {
    return future(cb -> stat(path, cb));
  }

  public static Stat statSync(String path) throws UvException {
    return sync(STAT, "uv_fs_stat", path, null, 0, 0, 0, 0, STAT_RESULT);
  }

  /** {@code uv_fs_lstat}: like stat, but a symbolic link is described itself. */
  public FsRequest lstat(String path, FsCallback<Stat> cb) {
    return op(LSTAT, "uv_fs_lstat", path, null, 0, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> lstat(String path) {
    return future(cb -> lstat(path, cb));
  }

  public static Stat lstatSync(String path) throws UvException {
    return sync(LSTAT, "uv_fs_lstat", path, null, 0, 0, 0, 0, STAT_RESULT);
  }

  /** {@code uv_fs_fstat}. */
  public FsRequest fstat(int fd, FsCallback<Stat> cb) {
    return op(FSTAT, "uv_fs_fstat", null, null, fd, 0, 0, 0, STAT_RESULT, cb);
  }

  public CompletableFuture<Stat> fstat(int fd) {
    return future(cb -> fstat(fd, cb));
  }

  public static Stat fstatSync(int fd) throws UvException {
    return sync(FSTAT, "uv_fs_fstat", null, null, fd, 0, 0, 0, STAT_RESULT);
  }

  // ------------------------------------------------------------------ names

  /** {@code uv_fs_unlink}. */
  public FsRequest unlink(String path, FsCallback<Void> cb) {
    return op(UNLINK, "uv_fs_unlink", path, null, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> unlink(String path) {
    return future(cb -> unlink(path, cb));
  }

  public static void unlinkSync(String path) throws UvException {
    sync(UNLINK, "uv_fs_unlink", path, null, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_mkdir} with permission bits {@code mode} (before the umask). */
  public FsRequest mkdir(String path, int mode, FsCallback<Void> cb) {
    return op(MKDIR, "uv_fs_mkdir", path, null, mode, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> mkdir(String path, int mode) {
    return future(cb -> mkdir(path, mode, cb));
  }

  public static void mkdirSync(String path, int mode) throws UvException {
    sync(MKDIR, "uv_fs_mkdir", path, null, mode, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_rmdir}. */
  public FsRequest rmdir(String path, FsCallback<Void> cb) {
    return op(RMDIR, "uv_fs_rmdir", path, null, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> rmdir(String path) {
    return future(cb -> rmdir(path, cb));
  }

  public static void rmdirSync(String path) throws UvException {
    sync(RMDIR, "uv_fs_rmdir", path, null, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_rename}: replaces an existing {@code to}. */
  public FsRequest rename(String from, String to, FsCallback<Void> cb) {
    return op(RENAME, "uv_fs_rename", from, to, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> rename(String from, String to) {
    return future(cb -> rename(from, to, cb));
  }

  public static void renameSync(String from, String to) throws UvException {
    sync(RENAME, "uv_fs_rename", from, to, 0, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_scandir}: the entries of a directory, without "." and "..". */
  public FsRequest scandir(String path, FsCallback<List<DirEntry>> cb) {
    return op(SCANDIR, "uv_fs_scandir", path, null, 0, 0, 0, 0, ENTRIES, cb);
  }

  public CompletableFuture<List<DirEntry>> scandir(String path) {
    return future(cb -> scandir(path, cb));
  }

  public static List<DirEntry> scandirSync(String path) throws UvException {
    return sync(SCANDIR, "uv_fs_scandir", path, null, 0, 0, 0, 0, ENTRIES);
  }

  /** {@code uv_fs_mkdtemp}: {@code template} ends in "XXXXXX"; the result is the created path. */
  public FsRequest mkdtemp(String template, FsCallback<String> cb) {
    return op(MKDTEMP, "uv_fs_mkdtemp", template, null, 0, 0, 0, 0, STRING, cb);
  }

  public CompletableFuture<String> mkdtemp(String template) {
    return future(cb -> mkdtemp(template, cb));
  }

  public static String mkdtempSync(String template) throws UvException {
    return sync(MKDTEMP, "uv_fs_mkdtemp", template, null, 0, 0, 0, 0, STRING);
  }

  /** {@code uv_fs_copyfile} with {@link #COPYFILE_EXCL} / {@code FICLONE} flags. */
  public FsRequest copyfile(String from, String to, int flags, FsCallback<Void> cb) {
    return op(COPYFILE, "uv_fs_copyfile", from, to, flags, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> copyfile(String from, String to, int flags) {
    return future(cb -> copyfile(from, to, flags, cb));
  }

  public static void copyfileSync(String from, String to, int flags) throws UvException {
    sync(COPYFILE, "uv_fs_copyfile", from, to, flags, 0, 0, 0, NONE);
  }

  /**
   * {@code uv_fs_mkstemp}: creates and opens (read/write, mode 0600) a unique file from
   * {@code template}, which ends in "XXXXXX". The caller closes {@link TempFile#fd()}.
   */
  public FsRequest mkstemp(String template, FsCallback<TempFile> cb) {
    return op(MKSTEMP, "uv_fs_mkstemp", template, null, 0, 0, 0, 0, TEMP_FILE, cb);
  }

  public CompletableFuture<TempFile> mkstemp(String template) {
    return future(cb -> mkstemp(template, cb));
  }

  public static TempFile mkstempSync(String template) throws UvException {
    return sync(MKSTEMP, "uv_fs_mkstemp", template, null, 0, 0, 0, 0, TEMP_FILE);
  }

  /** {@code uv_fs_link}: a hard link {@code newPath} to {@code existing}. */
  public FsRequest link(String existing, String newPath, FsCallback<Void> cb) {
    return op(LINK, "uv_fs_link", existing, newPath, 0, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> link(String existing, String newPath) {
    return future(cb -> link(existing, newPath, cb));
  }

  public static void linkSync(String existing, String newPath) throws UvException {
    sync(LINK, "uv_fs_link", existing, newPath, 0, 0, 0, 0, NONE);
  }

  /**
   * {@code uv_fs_symlink}: a symbolic link at {@code path} pointing to {@code target} (stored as
   * given: a relative target is relative to the link's directory). {@code flags}:
   * {@link #SYMLINK_DIR}, {@link #SYMLINK_JUNCTION} (Windows), else 0.
   */
  public FsRequest symlink(String target, String path, int flags, FsCallback<Void> cb) {
    return op(SYMLINK, "uv_fs_symlink", target, path, flags, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> symlink(String target, String path, int flags) {
    return future(cb -> symlink(target, path, flags, cb));
  }

  public static void symlinkSync(String target, String path, int flags) throws UvException {
    sync(SYMLINK, "uv_fs_symlink", target, path, flags, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_readlink}: the target stored in a symbolic link. */
  public FsRequest readlink(String path, FsCallback<String> cb) {
    return op(READLINK, "uv_fs_readlink", path, null, 0, 0, 0, 0, STRING, cb);
  }

  public CompletableFuture<String> readlink(String path) {
    return future(cb -> readlink(path, cb));
  }

  public static String readlinkSync(String path) throws UvException {
    return sync(READLINK, "uv_fs_readlink", path, null, 0, 0, 0, 0, STRING);
  }

  /** {@code uv_fs_realpath}: the canonical absolute path, every symbolic link resolved. */
  public FsRequest realpath(String path, FsCallback<String> cb) {
    return op(REALPATH, "uv_fs_realpath", path, null, 0, 0, 0, 0, STRING, cb);
  }

  public CompletableFuture<String> realpath(String path) {
    return future(cb -> realpath(path, cb));
  }

  public static String realpathSync(String path) throws UvException {
    return sync(REALPATH, "uv_fs_realpath", path, null, 0, 0, 0, 0, STRING);
  }

  // ------------------------------------------------------------------ directories

  /**
   * {@code uv_fs_opendir}: opens a directory for {@link #readdir}; every opened {@link Dir} must
   * be closed with {@link #closedir}.
   */
  public FsRequest opendir(String path, FsCallback<Dir> cb) {
    return op(OPENDIR, "uv_fs_opendir", path, null, 0, 0, 0, 0, dirOf(path), cb);
  }

  public CompletableFuture<Dir> opendir(String path) {
    return future(cb -> opendir(path, cb));
  }

  public static Dir opendirSync(String path) throws UvException {
    return sync(OPENDIR, "uv_fs_opendir", path, null, 0, 0, 0, 0, dirOf(path));
  }

  /**
   * {@code uv_fs_readdir}: the next at most {@code maxEntries} entries ("." and ".." left out);
   * an empty list at the end. {@code maxEntries} is at most 2^20 (an array of that many entries
   * is allocated for the batch).
   *
   * @throws IllegalArgumentException if {@code maxEntries} is not in [1, 2^20]
   * @throws NullPointerException if {@code dir} or {@code cb} is null
   * @throws IllegalStateException if the Dir is closed or a readdir on it is in flight
   */
  public FsRequest readdir(Dir dir, int maxEntries, FsCallback<List<DirEntry>> cb) {
    return FsOps.readdir(loop, dir, maxEntries, cb);
  }

  public CompletableFuture<List<DirEntry>> readdir(Dir dir, int maxEntries) {
    return future(cb -> readdir(dir, maxEntries, cb));
  }

  public static List<DirEntry> readdirSync(Dir dir, int maxEntries) throws UvException {
    return FsOps.readdirSync(dir, maxEntries);
  }

  /**
   * {@code uv_fs_closedir}: releases the Dir (from this call on, using it throws
   * IllegalStateException; if the request is cancelled it stays open).
   *
   * @throws IllegalStateException if the Dir is closed or a readdir on it is in flight
   */
  public FsRequest closedir(Dir dir, FsCallback<Void> cb) {
    return FsOps.closedir(loop, dir, cb);
  }

  public CompletableFuture<Void> closedir(Dir dir) {
    return future(cb -> closedir(dir, cb));
  }

  public static void closedirSync(Dir dir) throws UvException {
    Objects.requireNonNull(dir, "dir");
    dir.beginClose();
    sync(CLOSEDIR, "uv_fs_closedir", null, null, dir.address, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_statfs}: statistics of the file system holding {@code path}. */
  public FsRequest statfs(String path, FsCallback<StatFs> cb) {
    return op(STATFS, "uv_fs_statfs", path, null, 0, 0, 0, 0, STATFS_RESULT, cb);
  }

  public CompletableFuture<StatFs> statfs(String path) {
    return future(cb -> statfs(path, cb));
  }

  public static StatFs statfsSync(String path) throws UvException {
    return sync(STATFS, "uv_fs_statfs", path, null, 0, 0, 0, 0, STATFS_RESULT);
  }

  // ------------------------------------------------------------------ descriptors

  /**
   * {@code uv_fs_ftruncate}: sets the file's size to {@code length} bytes.
   *
   * @throws IllegalArgumentException if {@code length < 0}, or {@code fd} is internal to a loop
   */
  public FsRequest ftruncate(int fd, long length, FsCallback<Void> cb) {
    checkLength(length);
    OwnedFds.check(fd, "ftruncate", true);
    return op(FTRUNCATE, "uv_fs_ftruncate", null, null, fd, length, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> ftruncate(int fd, long length) {
    return future(cb -> ftruncate(fd, length, cb));
  }

  public static void ftruncateSync(int fd, long length) throws UvException {
    checkLength(length);
    OwnedFds.check(fd, "ftruncate", true);
    sync(FTRUNCATE, "uv_fs_ftruncate", null, null, fd, length, 0, 0, NONE);
  }

  /** {@code uv_fs_fsync}: flushes data and metadata to the device. */
  public FsRequest fsync(int fd, FsCallback<Void> cb) {
    return op(FSYNC, "uv_fs_fsync", null, null, fd, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> fsync(int fd) {
    return future(cb -> fsync(fd, cb));
  }

  public static void fsyncSync(int fd) throws UvException {
    sync(FSYNC, "uv_fs_fsync", null, null, fd, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_fdatasync}: flushes data (and only the metadata needed to read it back). */
  public FsRequest fdatasync(int fd, FsCallback<Void> cb) {
    return op(FDATASYNC, "uv_fs_fdatasync", null, null, fd, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> fdatasync(int fd) {
    return future(cb -> fdatasync(fd, cb));
  }

  public static void fdatasyncSync(int fd) throws UvException {
    sync(FDATASYNC, "uv_fs_fdatasync", null, null, fd, 0, 0, 0, NONE);
  }

  /**
   * {@code uv_fs_sendfile}: copies up to {@code length} bytes from {@code inFd} at
   * {@code inOffset} to {@code outFd} at its file position, in the kernel where it can. The
   * result is the number of bytes sent.
   *
   * @throws IllegalArgumentException if {@code inOffset} or {@code length} is negative, or either
   *     descriptor is internal to a loop
   */
  public FsRequest sendfile(int outFd, int inFd, long inOffset, long length, FsCallback<Long> cb) {
    checkSendfile(outFd, inFd, inOffset, length);
    return op(SENDFILE, "uv_fs_sendfile", null, null, outFd, inFd, inOffset, length, LONG, cb);
  }

  public CompletableFuture<Long> sendfile(int outFd, int inFd, long inOffset, long length) {
    return future(cb -> sendfile(outFd, inFd, inOffset, length, cb));
  }

  public static long sendfileSync(int outFd, int inFd, long inOffset, long length)
      throws UvException {
    checkSendfile(outFd, inFd, inOffset, length);
    return sync(SENDFILE, "uv_fs_sendfile", null, null, outFd, inFd, inOffset, length, LONG);
  }

  // ------------------------------------------------------------------ permissions and owners

  /** {@code uv_fs_access}: fails (e.g. EACCES, ENOENT) unless {@code mode} is allowed. */
  public FsRequest access(String path, int mode, FsCallback<Void> cb) {
    return op(ACCESS, "uv_fs_access", path, null, mode, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> access(String path, int mode) {
    return future(cb -> access(path, mode, cb));
  }

  public static void accessSync(String path, int mode) throws UvException {
    sync(ACCESS, "uv_fs_access", path, null, mode, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_chmod}: sets the permission bits, e.g. {@code 0644}. */
  public FsRequest chmod(String path, int mode, FsCallback<Void> cb) {
    return op(CHMOD, "uv_fs_chmod", path, null, mode, 0, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> chmod(String path, int mode) {
    return future(cb -> chmod(path, mode, cb));
  }

  public static void chmodSync(String path, int mode) throws UvException {
    sync(CHMOD, "uv_fs_chmod", path, null, mode, 0, 0, 0, NONE);
  }

  /** {@code uv_fs_fchmod}. */
  public FsRequest fchmod(int fd, int mode, FsCallback<Void> cb) {
    return op(FCHMOD, "uv_fs_fchmod", null, null, fd, mode, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> fchmod(int fd, int mode) {
    return future(cb -> fchmod(fd, mode, cb));
  }

  public static void fchmodSync(int fd, int mode) throws UvException {
    sync(FCHMOD, "uv_fs_fchmod", null, null, fd, mode, 0, 0, NONE);
  }

  /** {@code uv_fs_chown}: -1 leaves the uid or gid as it is. */
  public FsRequest chown(String path, int uid, int gid, FsCallback<Void> cb) {
    return op(CHOWN, "uv_fs_chown", path, null, uid, gid, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> chown(String path, int uid, int gid) {
    return future(cb -> chown(path, uid, gid, cb));
  }

  public static void chownSync(String path, int uid, int gid) throws UvException {
    sync(CHOWN, "uv_fs_chown", path, null, uid, gid, 0, 0, NONE);
  }

  /** {@code uv_fs_fchown}. */
  public FsRequest fchown(int fd, int uid, int gid, FsCallback<Void> cb) {
    return op(FCHOWN, "uv_fs_fchown", null, null, fd, uid, gid, 0, NONE, cb);
  }

  public CompletableFuture<Void> fchown(int fd, int uid, int gid) {
    return future(cb -> fchown(fd, uid, gid, cb));
  }

  public static void fchownSync(int fd, int uid, int gid) throws UvException {
    sync(FCHOWN, "uv_fs_fchown", null, null, fd, uid, gid, 0, NONE);
  }

  /** {@code uv_fs_lchown}: like chown, but a symbolic link is changed itself. */
  public FsRequest lchown(String path, int uid, int gid, FsCallback<Void> cb) {
    return op(LCHOWN, "uv_fs_lchown", path, null, uid, gid, 0, 0, NONE, cb);
  }

  public CompletableFuture<Void> lchown(String path, int uid, int gid) {
    return future(cb -> lchown(path, uid, gid, cb));
  }

  public static void lchownSync(String path, int uid, int gid) throws UvException {
    sync(LCHOWN, "uv_fs_lchown", path, null, uid, gid, 0, 0, NONE);
  }

  // ------------------------------------------------------------------ times

  /**
   * {@code uv_fs_utime}: sets access and modification times, in seconds since the epoch.
   * libuv 1.44 keeps microseconds (it truncates the rest).
   */
  public FsRequest utime(String path, double atime, double mtime, FsCallback<Void> cb) {
    return op(UTIME, "uv_fs_utime", path, null, 0, 0, 0, 0, atime, mtime, NONE, cb);
  }

  public CompletableFuture<Void> utime(String path, double atime, double mtime) {
    return future(cb -> utime(path, atime, mtime, cb));
  }

  public static void utimeSync(String path, double atime, double mtime) throws UvException {
    sync(UTIME, "uv_fs_utime", path, null, 0, 0, 0, 0, atime, mtime, NONE);
  }

  /** {@code uv_fs_utime} with Instants, kept to the microsecond (libuv 1.44's resolution). */
  public FsRequest utime(String path, Instant atime, Instant mtime, FsCallback<Void> cb) {
    return utime(path, seconds(atime, "atime"), seconds(mtime, "mtime"), cb);
  }

  public CompletableFuture<Void> utime(String path, Instant atime, Instant mtime) {
    return utime(path, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  public static void utimeSync(String path, Instant atime, Instant mtime) throws UvException {
    utimeSync(path, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  /** {@code uv_fs_futime}: {@link #utime} on a descriptor. */
  public FsRequest futime(int fd, double atime, double mtime, FsCallback<Void> cb) {
    return op(FUTIME, "uv_fs_futime", null, null, fd, 0, 0, 0, atime, mtime, NONE, cb);
  }

  public CompletableFuture<Void> futime(int fd, double atime, double mtime) {
    return future(cb -> futime(fd, atime, mtime, cb));
  }

  public static void futimeSync(int fd, double atime, double mtime) throws UvException {
    sync(FUTIME, "uv_fs_futime", null, null, fd, 0, 0, 0, atime, mtime, NONE);
  }

  public FsRequest futime(int fd, Instant atime, Instant mtime, FsCallback<Void> cb) {
    return futime(fd, seconds(atime, "atime"), seconds(mtime, "mtime"), cb);
  }

  public CompletableFuture<Void> futime(int fd, Instant atime, Instant mtime) {
    return futime(fd, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  public static void futimeSync(int fd, Instant atime, Instant mtime) throws UvException {
    futimeSync(fd, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  /** {@code uv_fs_lutime}: like utime, but a symbolic link is changed itself. */
  public FsRequest lutime(String path, double atime, double mtime, FsCallback<Void> cb) {
    return op(LUTIME, "uv_fs_lutime", path, null, 0, 0, 0, 0, atime, mtime, NONE, cb);
  }

  public CompletableFuture<Void> lutime(String path, double atime, double mtime) {
    return future(cb -> lutime(path, atime, mtime, cb));
  }

  public static void lutimeSync(String path, double atime, double mtime) throws UvException {
    sync(LUTIME, "uv_fs_lutime", path, null, 0, 0, 0, 0, atime, mtime, NONE);
  }

  public FsRequest lutime(String path, Instant atime, Instant mtime, FsCallback<Void> cb) {
    return lutime(path, seconds(atime, "atime"), seconds(mtime, "mtime"), cb);
  }

  public CompletableFuture<Void> lutime(String path, Instant atime, Instant mtime) {
    return lutime(path, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  public static void lutimeSync(String path, Instant atime, Instant mtime) throws UvException {
    lutimeSync(path, seconds(atime, "atime"), seconds(mtime, "mtime"));
  }

  // ------------------------------------------------------------------ plumbing (FsOps, FsArgs)

  private <T> FsRequest op(int op, String syscall, String path, String path2, long a, long b,
      long d, long e, FsRequest.Converter<T> converter, FsCallback<T> cb) {
    return FsOps.op(loop, op, syscall, path, path2, a, b, d, e, 0, 0, converter, cb);
  }

  private <T> FsRequest op(int op, String syscall, String path, String path2, long a, long b,
      long d, long e, double t1, double t2, FsRequest.Converter<T> converter, FsCallback<T> cb) {
    return FsOps.op(loop, op, syscall, path, path2, a, b, d, e, t1, t2, converter, cb);
  }

  private FsRequest readWrite(int op, String syscall, int fd, ByteBuffer[] bufs, long offset,
      FsCallback<Integer> cb) {
    return FsOps.readWrite(loop, op, syscall, fd, bufs, offset, cb);
  }
}
