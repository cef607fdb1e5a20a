package io.uv4j.node;

import io.uv4j.DirEntry;
import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.FsCallback;
import io.uv4j.Stat;
import io.uv4j.UvException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Node's {@code fs} module on a {@link NodeRuntime}: callback forms ({@code (err, value)} through
 * {@link NodeRuntime#makeCallback}, so nextTicks and promises run after each, as in Node), the
 * promise forms of {@code fs.promises} ({@link #promises()}), and file streams
 * ({@link #createReadStream}, {@link #createWriteStream}, from {@link NodeFsStreams}), the
 * {@code *Sync} forms ({@link NodeFsSync}) and the watchers ({@link #watch}, {@link #watchFile}).
 * Everything runs on the core
 * {@link Fs} (libuv's thread pool); errors are {@link SystemError}s with Node's code, syscall and
 * path ({@code ENOENT: no such file or directory, open '/nope'}). A path argument is checked as
 * Node's {@code getValidatedPath} does, before anything starts: null throws {@link NodeError}
 * {@code ERR_INVALID_ARG_TYPE}, a NUL character {@code ERR_INVALID_ARG_VALUE} (a promise form
 * rejects with them).
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * fs.writeFile("/tmp/a.txt", "hello", (err, v) -> {
 *   fs.readFile("/tmp/a.txt", "utf8", (err2, text) -> System.out.println(text));
 * });
 * fs.promises().stat("/tmp/a.txt").then(st -> st.size());
 * fs.createReadStream("/tmp/a.txt").pipe(fs.createWriteStream("/tmp/b.txt"));
 * }</pre>
 */
public final class NodeFs extends NodeFsStreams {
  /** Node's kReadFileBufferLength: readFile reads known sizes in chunks of this. */
  static final int READ_FILE_CHUNK = 512 * 1024;
  /** Node's kReadFileUnknownBufferLength: chunk size when the size is unknown (0, e.g. /proc). */
  static final int READ_FILE_UNKNOWN_CHUNK = 64 * 1024;
  /** Node's kIoMaxLength (2 GiB - 1): larger files cannot be read into one buffer. */
  static final long MAX_LENGTH = Integer.MAX_VALUE;

  final Fs fs;
  private Promises promises;
  // Helpers made at their first use (start-up loads only what a program needs).
  private FsTrees trees;
  private FsFiles files;

  FsTrees trees() {
    return trees != null ? trees : (trees = new FsTrees(this));
  }

  FsFiles files() {
    return files != null ? files : (files = new FsFiles(this));
  }

  private NodeFs(NodeRuntime node) {
    super(node);
    this.fs = new Fs(node.loop());
  }

  /** The fs module of {@code node}. */
  public static NodeFs of(NodeRuntime node) {
    return new NodeFs(node);
  }

  /** {@code fs.promises}. */
  public Promises promises() {
    if (promises == null) {
      promises = new Promises();
    }
    return promises;
  }

  /**
   * A core callback entering Node-style code through makeCallback. Every callback-form call
   * makes one before it starts, so this is where a call from another thread is refused
   * (IllegalStateException), as in the rest of the layer.
   */
  <T> FsCallback<T> step(FsCallback<T> body) {
    node.checkThread();
    return (v, e) -> node.makeCallback(() -> body.done(v, e));
  }

  /** A core callback delivering straight to {@code cb}, errors as SystemError. */
  private <T> FsCallback<T> deliver(NodeCallback<T> cb) {
    Objects.requireNonNull(cb, "callback");
    return step((v, e) -> cb.call(e != null ? SystemError.from(e) : null, e != null ? null : v));
  }

  // =================================================================== flags

  /** Node's string flags ('r', 'w', 'a', 'wx', 'r+', ...) as open(2) flags. */
  public static int flags(String flags) {
    switch (flags) {
      case "r": return Fs.O_RDONLY;
      case "rs": case "sr": return Fs.O_RDONLY | Fs.O_SYNC;
      case "r+": return Fs.O_RDWR;
      case "rs+": case "sr+": return Fs.O_RDWR | Fs.O_SYNC;
      case "w": return Fs.O_TRUNC | Fs.O_CREAT | Fs.O_WRONLY;
      case "wx": case "xw": return Fs.O_TRUNC | Fs.O_CREAT | Fs.O_WRONLY | Fs.O_EXCL;
      case "w+": return Fs.O_TRUNC | Fs.O_CREAT | Fs.O_RDWR;
      case "wx+": case "xw+": return Fs.O_TRUNC | Fs.O_CREAT | Fs.O_RDWR | Fs.O_EXCL;
      case "a": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_WRONLY;
      case "ax": case "xa": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_WRONLY | Fs.O_EXCL;
      case "as": case "sa": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_WRONLY | Fs.O_SYNC;
      case "a+": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_RDWR;
      case "ax+": case "xa+": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_RDWR | Fs.O_EXCL;
      case "as+": case "sa+": return Fs.O_APPEND | Fs.O_CREAT | Fs.O_RDWR | Fs.O_SYNC;
      default:
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument 'flags' is invalid. Received '" + flags + "'");
    }
  }

  // =================================================================== whole files

  /** {@code fs.readFile(path, cb)}: the whole file (open, fstat, reads, close). */
  public void readFile(String path, NodeCallback<byte[]> cb) {
    FsChecks.path(path, "path");
    files().readFile(path, cb);
  }

  /** {@code fs.readFile(path, encoding, cb)}: the file decoded (utf8, latin1, hex, base64...). */
  public void readFile(String path, String encoding, NodeCallback<String> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(cb, "callback");
    Encodings.normalize(encoding);
    readFile(path, (err, data) -> cb.call(err, err != null ? null : Encodings.decode(data, encoding)));
  }

  /** {@code fs.writeFile(path, data, cb)}: creates or truncates. */
  public void writeFile(String path, byte[] data, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    files().writeWhole(path, "w", 0666, false, data, cb);
  }

  /** {@code fs.writeFile(path, text, cb)}, UTF-8. */
  public void writeFile(String path, String data, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    files().writeWhole(path, "w", 0666, false, Encodings.encode(data, "utf8"), cb);
  }

  /** {@code fs.appendFile(path, data, cb)}: creates if needed. */
  public void appendFile(String path, byte[] data, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    files().writeWhole(path, "a", 0666, false, data, cb);
  }

  public void appendFile(String path, String data, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    files().writeWhole(path, "a", 0666, false, Encodings.encode(data, "utf8"), cb);
  }

  /** {@code fs.writeFile(path, data, options, cb)} (flag default 'w'; encoding ignored for bytes). */
  public void writeFile(String path, byte[] data, WriteFileOptions options, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    files().writeWhole(path, options.flagOr("w"), options.mode(), options.flush(), data, cb);
  }

  /** {@code fs.writeFile(path, text, options, cb)}: the text in {@code options.encoding()}. */
  public void writeFile(String path, String data, WriteFileOptions options, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    files().writeWhole(path, options.flagOr("w"), options.mode(), options.flush(), options.bytes(data), cb);
  }

  /** {@code fs.appendFile(path, data, options, cb)} (flag default 'a'). */
  public void appendFile(String path, byte[] data, WriteFileOptions options, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    files().writeWhole(path, options.flagOr("a"), options.mode(), options.flush(), data, cb);
  }

  /** {@code fs.appendFile(path, text, options, cb)}: the text in {@code options.encoding()}. */
  public void appendFile(String path, String data, WriteFileOptions options, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    files().writeWhole(path, options.flagOr("a"), options.mode(), options.flush(), options.bytes(data), cb);
  }

  // =================================================================== metadata and names

  /** {@code fs.stat(path, cb)}. */
  public void stat(String path, NodeCallback<Stat> cb) {
    FsChecks.path(path, "path");
    fs.stat(path, deliver(cb));
  }

  /** {@code fs.lstat(path, cb)}. */
  public void lstat(String path, NodeCallback<Stat> cb) {
    FsChecks.path(path, "path");
    fs.lstat(path, deliver(cb));
  }

  /** {@code fs.readdir(path, cb)}: the names, sorted as libuv returns them. */
  public void readdir(String path, NodeCallback<List<String>> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(cb, "callback");
    fs.scandir(path, step((entries, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      List<String> names = new ArrayList<>(entries.size());
      for (DirEntry d : entries) {
        names.add(d.name());
      }
      cb.call(null, names);
    }));
  }

  /** {@code fs.readdir(path, {withFileTypes: true}, cb)}. */
  public void readdirWithFileTypes(String path, NodeCallback<List<DirEntry>> cb) {
    FsChecks.path(path, "path");
    fs.scandir(path, deliver(cb));
  }

  /** {@code fs.mkdir(path, cb)} (mode 0o777); the value is null. */
  public void mkdir(String path, NodeCallback<String> cb) {
    FsChecks.path(path, "path");
    mkdir(path, false, cb);
  }

  /**
   * {@code fs.mkdir(path, {recursive}, cb)}: with {@code recursive}, missing parents are created
   * and an existing directory is no error; the value is the first directory created (null if
   * none), as in Node.
   */
  public void mkdir(String path, boolean recursive, NodeCallback<String> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(cb, "callback");
    if (!recursive) {
      fs.mkdir(path, 0777, step((v, err) -> cb.call(err != null ? SystemError.from(err) : null, null)));
      return;
    }
    // Like Node, an error names the path asked for, not the component that failed.
    trees().mkdirp(FsTrees.trimSlashes(path), (err, first) -> {
      if (err instanceof SystemError && err.getCause() instanceof UvException) {
        UvException u = (UvException) err.getCause();
        err = SystemError.from(new UvException(u.code(), u.syscall(), path, null));
      }
      cb.call(err, first);
    });
  }

  /**
   * {@code fs.rm(path, {recursive, force}, cb)}: removes a file, or with {@code recursive} a
   * directory tree; {@code force} ignores a missing path. A directory without {@code recursive}
   * is {@code ERR_FS_EISDIR}, as in Node.
   */
  public void rm(String path, boolean recursive, boolean force, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(cb, "callback");
    fs.lstat(path, step((st, err) -> {
      if (err != null) {
        if (force && err.code() == Errno.ENOENT) {
          cb.call(null, null);
        } else {
          cb.call(SystemError.from(err), null);
        }
        return;
      }
      if (st.isDirectory() && !recursive) {
        cb.call(SystemError.of("ERR_FS_EISDIR", "Path is a directory: rm returned EISDIR (is a directory) " + path,
            -Errno.EISDIR, "rm", path), null);
        return;
      }
      trees().removeTree(path, st.isDirectory(), force, e -> cb.call(e, null));
    }));
  }

  /** {@code fs.rename(from, to, cb)}. */
  public void rename(String from, String to, NodeCallback<Void> cb) {
    FsChecks.path(from, "oldPath");
    FsChecks.path(to, "newPath");
    fs.rename(from, to, deliver(cb));
  }

  /** {@code fs.unlink(path, cb)}. */
  public void unlink(String path, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    fs.unlink(path, deliver(cb));
  }

  /** {@code fs.rmdir(path, cb)}. */
  public void rmdir(String path, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    fs.rmdir(path, deliver(cb));
  }

  /** {@code fs.copyFile(src, dest, cb)}. */
  public void copyFile(String src, String dest, NodeCallback<Void> cb) {
    FsChecks.path(src, "src");
    FsChecks.path(dest, "dest");
    fs.copyfile(src, dest, 0, deliver(cb));
  }

  /**
   * {@code fs.copyFile(src, dest, mode, cb)}: {@code mode} is a mask of {@code COPYFILE_EXCL}
   * (EEXIST if {@code dest} exists), {@code COPYFILE_FICLONE} (copy-on-write where possible) and
   * {@code COPYFILE_FICLONE_FORCE} (copy-on-write or fail, e.g. ENOTSUP on ext4).
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a mode outside 0..7 (at once, as in Node)
   */
  public void copyFile(String src, String dest, int mode, NodeCallback<Void> cb) {
    FsChecks.path(src, "src");
    FsChecks.path(dest, "dest");
    FsChecks.accessOrCopyMode(mode);
    fs.copyfile(src, dest, mode, deliver(FsChecks.callback(cb, "cb")));
  }

  /** {@code fs.access(path, cb)}: an error unless {@code path} exists ({@code F_OK}). */
  public void access(String path, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    access(path, Fs.F_OK, cb);
  }

  /**
   * {@code fs.access(path, mode, cb)}: an error ({@code EACCES ... access 'path'}, {@code ENOENT})
   * unless the process may access {@code path} as {@code mode} says: {@code F_OK} or a mask of
   * {@code R_OK}, {@code W_OK}, {@code X_OK} ({@link #constants}).
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a mode outside 0..7, ERR_INVALID_ARG_TYPE for a null
   *     path or callback (at once, as in Node)
   */
  public void access(String path, int mode, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    FsChecks.accessOrCopyMode(mode);
    fs.access(path, mode, deliver(FsChecks.callback(cb, "cb")));
  }

  /** {@code fs.truncate(path, cb)}: empties the file. */
  public void truncate(String path, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    truncate(path, 0, cb);
  }

  /**
   * {@code fs.truncate(path, len, cb)}: opens the file ('r+': {@code ENOENT ... open} if
   * missing), sets its size to {@code len} (negative: 0; longer: zero-padded), closes it.
   *
   * @throws NodeError ERR_OUT_OF_RANGE beyond {@code Number.MAX_SAFE_INTEGER}
   */
  public void truncate(String path, long len, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    long n = FsChecks.truncateLength(len);
    files().truncate(path, n, FsChecks.callback(cb, "cb"));
  }

  /** {@code fs.ftruncate(fd, cb)}: empties the open file. */
  public void ftruncate(int fd, NodeCallback<Void> cb) {
    ftruncate(fd, 0, cb);
  }

  /**
   * {@code fs.ftruncate(fd, len, cb)}: sets the open file's size (negative {@code len}: 0).
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a negative fd or a len beyond {@code Number.MAX_SAFE_INTEGER}
   */
  public void ftruncate(int fd, long len, NodeCallback<Void> cb) {
    FsChecks.fd(fd);
    long n = FsChecks.truncateLength(len);
    fs.ftruncate(fd, n, deliver(FsChecks.callback(cb, "cb")));
  }

  /**
   * {@code fs.rmdir(path, {recursive}, cb)}: with {@code recursive} (deprecated, DEP0147, warned
   * once) a directory is removed with its contents; a missing path is ENOENT (lstat), a file
   * ENOTDIR (rmdir), as in Node 20.
   */
  public void rmdir(String path, boolean recursive, NodeCallback<Void> cb) {
    FsChecks.path(path, "path");
    if (!recursive) {
      rmdir(path, cb);
      return;
    }
    FsChecks.path(path, "path");
    FsChecks.callback(cb, "cb");
    warnRecursiveRmdir();
    fs.lstat(path, step((st, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
      } else if (!st.isDirectory()) {
        cb.call(SystemError.from(new UvException(Errno.ENOTDIR, "rmdir", path, null)), null);
      } else {
        trees().removeTree(path, true, false, e -> cb.call(e, null));
      }
    }));
  }

  /** {@code fs.mkdtemp(prefix, cb)}: creates prefix + 6 random characters. */
  public void mkdtemp(String prefix, NodeCallback<String> cb) {
    FsChecks.path(prefix, "prefix");
    fs.mkdtemp(prefix + "XXXXXX", deliver(cb));
  }

  // =================================================================== descriptors

  /** {@code fs.constants}: {@code NodeFs.constants.O_CREAT}, {@code NodeFs.constants.F_OK}, ... */
  public static final FsConstants constants = new FsConstants();

  /** {@code fs.open(path, flags, cb)} with mode 0o666: the callback gets the descriptor. */
  public void open(String path, String flags, NodeCallback<Integer> cb) {
    FsChecks.path(path, "path");
    open(path, flags, 0666, cb);
  }

  /**
   * {@code fs.open(path, flags, mode, cb)}.
   *
   * @throws NodeError ERR_INVALID_ARG_VALUE for unknown flags (at once, as in Node)
   */
  public void open(String path, String flags, int mode, NodeCallback<Integer> cb) {
    FsChecks.path(path, "path");
    int f = flags(flags);
    fs.open(path, f, mode, deliver(cb));
  }

  /**
   * {@code fs.read(fd, buffer, offset, length, position, cb)}: reads into
   * {@code buffer[offset, offset + length)}; {@code position} -1 reads at the file's position.
   * The callback gets the number of bytes read (0 at the end of the file; 0 on the next tick,
   * reading nothing, for a length of 0, as in Node).
   *
   * @throws NodeError {@code ERR_OUT_OF_RANGE} if the range does not fit {@code buffer} or
   *     {@code position} is below -1, {@code ERR_INVALID_ARG_VALUE} for an empty buffer (Node's
   *     messages)
   */
  public void read(int fd, byte[] buffer, int offset, int length, long position, NodeCallback<Integer> cb) {
    Objects.requireNonNull(cb, "callback");
    if (!FsChecks.readRange(buffer.length, offset, length, position)) {
      node.nextTick(() -> cb.call(null, 0));
      return;
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, length));
    buf.limit(length);
    fs.read(fd, buf, position, step((n, err) -> {
      if (err == null) {
        buf.flip().get(buffer, offset, n);
      }
      cb.call(err != null ? SystemError.from(err) : null, err != null ? null : n);
    }));
  }

  /**
   * {@code fs.write(fd, buffer, offset, length, position, cb)}: the callback gets the number of
   * bytes written (possibly fewer than {@code length}, as in Node). A negative {@code position}
   * writes at the file's position.
   *
   * @throws NodeError {@code ERR_OUT_OF_RANGE} if the range does not fit {@code buffer} (Node's
   *     messages)
   */
  public void write(int fd, byte[] buffer, int offset, int length, long position, NodeCallback<Integer> cb) {
    long pos = FsChecks.writeRange(buffer.length, offset, length, position);
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, length));
    buf.put(buffer, offset, length).flip();
    fs.write(fd, buf, pos, deliver(cb));
  }

  /** {@code fs.write(fd, string, cb)}: UTF-8 at the file's position. */
  public void write(int fd, String text, NodeCallback<Integer> cb) {
    byte[] b = Encodings.encode(text, "utf8");
    write(fd, b, 0, b.length, -1, cb);
  }

  /** {@code fs.close(fd, cb)}. Descriptors owned by libuv handles are refused (EBADF). */
  public void close(int fd, NodeCallback<Void> cb) {
    fs.close(fd, deliver(cb));
  }

  /** {@code fs.fstat(fd, cb)}. */
  public void fstat(int fd, NodeCallback<Stat> cb) {
    fs.fstat(fd, deliver(cb));
  }

  // =================================================================== watchers

  /**
   * {@code fs.watch(filename)}: an {@link FSWatcher} on the OS's notifications (inotify);
   * listen to its 'change' (eventType 'rename' or 'change', filename), 'error' and 'close'.
   *
   * @throws SystemError if {@code filename} cannot be watched ({@code ENOENT ... watch '/nope'})
   */
  public FSWatcher watch(String filename) {
    return watch(filename, true, null);
  }

  /** {@code fs.watch(filename, listener)}: {@code listener} is added for 'change'. */
  public FSWatcher watch(String filename, FSWatcher.Listener listener) {
    return watch(filename, true, listener);
  }

  /**
   * {@code fs.watch(filename, {persistent}, listener)}: a watcher that is not persistent does
   * not keep the runtime alive; {@code listener} may be null.
   */
  public FSWatcher watch(String filename, boolean persistent, FSWatcher.Listener listener) {
    return FsWatch.watch(node, filename, persistent, listener);
  }

  /** {@code fs.watchFile(filename, listener)}: polls every 5007 ms (Node's default). */
  public StatWatcher watchFile(String filename, StatWatcher.Listener listener) {
    return watchFile(filename, true, FsWatch.DEFAULT_INTERVAL, listener);
  }

  /**
   * {@code fs.watchFile(filename, {persistent, interval}, listener)}: {@code listener(curr, prev)}
   * runs when a poll's stat differs from the previous one (all-zero stats while the file does not
   * exist). One {@link StatWatcher} per resolved path and runtime: a second call adds its
   * listener to it (the first interval stays).
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE for a null listener, ERR_OUT_OF_RANGE for an interval
   *     outside 0..2^32-1
   */
  public StatWatcher watchFile(String filename, boolean persistent, long interval, StatWatcher.Listener listener) {
    return FsWatch.watchFile(node, filename, persistent, interval, listener);
  }

  /** {@code fs.unwatchFile(filename)}: removes every listener; the polling stops. */
  public void unwatchFile(String filename) {
    FsWatch.unwatchFile(node, filename, null);
  }

  /**
   * {@code fs.unwatchFile(filename, listener)}: removes {@code listener}; the polling stops with
   * the last one. Nothing happens for a path not watched.
   */
  public void unwatchFile(String filename, StatWatcher.Listener listener) {
    FsWatch.unwatchFile(node, filename, listener);
  }

  // =================================================================== fs.promises

  /** {@code fs.promises}: the same operations returning {@link Promise}s. */
  public final class Promises extends FsPromises {
    private Promises() {
      super(NodeFs.this);
    }
  }
}
