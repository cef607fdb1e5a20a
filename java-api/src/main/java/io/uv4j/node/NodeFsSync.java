package io.uv4j.node;

import io.uv4j.Fs;
import io.uv4j.Stat;
import java.util.List;
import java.util.Objects;

/**
 * The {@code *Sync} functions of Node's {@code fs} module, inherited by {@link NodeFs} (call them
 * on a {@code NodeFs}): they block the calling thread (the loop, when called on it, as in Node)
 * and throw {@link SystemError} (Node's code, errno, syscall, path) instead of calling back.
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * fs.writeFileSync("/tmp/a.txt", "hello", WriteFileOptions.DEFAULT.withMode(0600));
 * fs.accessSync("/tmp/a.txt", NodeFs.constants.R_OK);
 * fs.truncateSync("/tmp/a.txt", 2);
 * }</pre>
 */
public abstract class NodeFsSync {
  final NodeRuntime node;

  NodeFsSync(NodeRuntime node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** {@code fs.rmdir(path, {recursive: true})}'s DEP0147 warning, once per runtime. */
  void warnRecursiveRmdir() {
    if (FsWatch.warnRecursiveRmdir(node)) {
      node.emitWarning("In future versions of Node.js, fs.rmdir(path, { recursive: true }) will be removed."
          + " Use fs.rm(path, { recursive: true }) instead", "DeprecationWarning", "DEP0147");
    }
  }


  /** {@code fs.openSync(path, flags)} (mode 0o666): the descriptor. */
  public int openSync(String path, String flags) {
    FsChecks.path(path, "path");
    return openSync(path, flags, 0666);
  }

  /** {@code fs.openSync(path, flags, mode)}: the descriptor. */
  public int openSync(String path, String flags, int mode) {
    FsChecks.path(path, "path");
    int f = NodeFs.flags(flags);
    return FsSync.call(() -> Fs.openSync(path, f, mode));
  }

  /** {@code fs.readSync(fd, buffer, offset, length, position)}: bytes read (0 at the end). */
  public int readSync(int fd, byte[] buffer, int offset, int length, long position) {
    return FsSync.read(fd, buffer, offset, length, position);
  }

  /** {@code fs.writeSync(fd, buffer, offset, length, position)}: bytes written. */
  public int writeSync(int fd, byte[] buffer, int offset, int length, long position) {
    return FsSync.write(fd, buffer, offset, length, position);
  }

  /** {@code fs.writeSync(fd, string)}: UTF-8 at the file position; bytes written. */
  public int writeSync(int fd, String text) {
    byte[] b = Encodings.encode(text, "utf8");
    return FsSync.write(fd, b, 0, b.length, -1);
  }

  /** {@code fs.closeSync(fd)}. */
  public void closeSync(int fd) {
    FsSync.call(() -> {
      Fs.closeSync(fd);
      return null;
    });
  }

  /** {@code fs.fstatSync(fd)}. */
  public Stat fstatSync(int fd) {
    return FsSync.call(() -> Fs.fstatSync(fd));
  }

  /** {@code fs.readFileSync(path)}: the whole file. */
  public byte[] readFileSync(String path) {
    FsChecks.path(path, "path");
    return FsSync.readFile(path);
  }

  /** {@code fs.readFileSync(path, encoding)}: the file decoded. */
  public String readFileSync(String path, String encoding) {
    FsChecks.path(path, "path");
    Encodings.normalize(encoding);
    return Encodings.decode(FsSync.readFile(path), encoding);
  }

  /** {@code fs.writeFileSync(path, data)}: creates or truncates. */
  public void writeFileSync(String path, byte[] data) {
    FsChecks.path(path, "path");
    FsSync.writeFile(path, "w", 0666, data);
  }

  /** {@code fs.writeFileSync(path, text)}, UTF-8. */
  public void writeFileSync(String path, String data) {
    FsChecks.path(path, "path");
    FsSync.writeFile(path, "w", 0666, Encodings.encode(data, "utf8"));
  }

  /** {@code fs.appendFileSync(path, data)}: creates if needed. */
  public void appendFileSync(String path, byte[] data) {
    FsChecks.path(path, "path");
    FsSync.writeFile(path, "a", 0666, data);
  }

  /** {@code fs.appendFileSync(path, text)}, UTF-8. */
  public void appendFileSync(String path, String data) {
    FsChecks.path(path, "path");
    FsSync.writeFile(path, "a", 0666, Encodings.encode(data, "utf8"));
  }

  /** {@code fs.existsSync(path)}: false for null or any error. */
  public boolean existsSync(String path) {
    return FsSync.exists(path);
  }

  /** {@code fs.statSync(path)}. */
  public Stat statSync(String path) {
    FsChecks.path(path, "path");
    return FsSync.call(() -> Fs.statSync(path));
  }

  /** {@code fs.lstatSync(path)}. */
  public Stat lstatSync(String path) {
    FsChecks.path(path, "path");
    return FsSync.call(() -> Fs.lstatSync(path));
  }

  /** {@code fs.readdirSync(path)}: the names. */
  public List<String> readdirSync(String path) {
    FsChecks.path(path, "path");
    return FsSync.readdir(path);
  }

  /** {@code fs.mkdirSync(path)}; returns null. */
  public String mkdirSync(String path) {
    FsChecks.path(path, "path");
    return FsSync.mkdir(path, false);
  }

  /** {@code fs.mkdirSync(path, {recursive})}: the first directory created, or null. */
  public String mkdirSync(String path, boolean recursive) {
    FsChecks.path(path, "path");
    return FsSync.mkdir(path, recursive);
  }

  /** {@code fs.rmSync(path, {recursive, force})}: a directory without recursive is ERR_FS_EISDIR. */
  public void rmSync(String path, boolean recursive, boolean force) {
    FsChecks.path(path, "path");
    FsSync.rm(path, recursive, force);
  }

  /** {@code fs.renameSync(from, to)}. */
  public void renameSync(String from, String to) {
    FsChecks.path(from, "oldPath");
    FsChecks.path(to, "newPath");
    FsSync.call(() -> {
      Fs.renameSync(from, to);
      return null;
    });
  }

  /** {@code fs.unlinkSync(path)}. */
  public void unlinkSync(String path) {
    FsChecks.path(path, "path");
    FsSync.call(() -> {
      Fs.unlinkSync(path);
      return null;
    });
  }

  /** {@code fs.rmdirSync(path)}: an empty directory. */
  public void rmdirSync(String path) {
    FsChecks.path(path, "path");
    FsSync.call(() -> {
      Fs.rmdirSync(path);
      return null;
    });
  }

  /** {@code fs.copyFileSync(src, dest)}: overwrites {@code dest}. */
  public void copyFileSync(String src, String dest) {
    FsChecks.path(src, "src");
    FsChecks.path(dest, "dest");
    FsSync.call(() -> {
      Fs.copyfileSync(src, dest, 0);
      return null;
    });
  }

  /** {@code fs.mkdtempSync(prefix)}: creates prefix + 6 random characters; the path. */
  public String mkdtempSync(String prefix) {
    FsChecks.path(prefix, "prefix");
    return FsSync.call(() -> Fs.mkdtempSync(prefix + "XXXXXX"));
  }

  /** {@code fs.rmdirSync(path, {recursive})} (DEP0147; see {@link NodeFs#rmdir(String, boolean, NodeCallback)}). */
  public void rmdirSync(String path, boolean recursive) {
    FsChecks.path(path, "path");
    if (!recursive) {
      rmdirSync(path);
      return;
    }
    warnRecursiveRmdir();
    FsSync.rmdirRecursive(path);
  }

  /** {@code fs.accessSync(path)}: throws unless {@code path} exists ({@code F_OK}). */
  public void accessSync(String path) {
    FsChecks.path(path, "path");
    accessSync(path, Fs.F_OK);
  }

  /**
   * {@code fs.accessSync(path, mode)}: throws unless the process may access {@code path} as
   * {@code mode} says ({@code F_OK}, or a mask of {@code R_OK}, {@code W_OK}, {@code X_OK} of
   * {@link NodeFs#constants}).
   *
   * @throws SystemError e.g. {@code ENOENT: no such file or directory, access '/nope'}
   * @throws NodeError ERR_OUT_OF_RANGE for a mode outside 0..7, ERR_INVALID_ARG_TYPE for a null path
   */
  public void accessSync(String path, int mode) {
    FsChecks.path(path, "path");
    FsChecks.accessOrCopyMode(mode);
    FsSync.call(() -> {
      Fs.accessSync(path, mode);
      return null;
    });
  }

  /** {@code fs.truncateSync(path)}: empties the file. */
  public void truncateSync(String path) {
    FsChecks.path(path, "path");
    truncateSync(path, 0);
  }

  /**
   * {@code fs.truncateSync(path, len)}: opens the file ('r+'), sets its size to {@code len} bytes
   * (a negative {@code len} is 0; a longer size pads with zeros) and closes it.
   *
   * @throws SystemError e.g. {@code ENOENT ... open '/nope'}, {@code EISDIR ... open '/dir'}
   * @throws NodeError ERR_OUT_OF_RANGE beyond {@code Number.MAX_SAFE_INTEGER}
   */
  public void truncateSync(String path, long len) {
    FsChecks.path(path, "path");
    long n = FsChecks.truncateLength(len);
    int fd = FsSync.call(() -> Fs.openSync(path, Fs.O_RDWR, 0666));
    try {
      ftruncateSync(fd, n);
    } finally {
      closeSync(fd);
    }
  }

  /** {@code fs.ftruncateSync(fd)}: empties the open file. */
  public void ftruncateSync(int fd) {
    ftruncateSync(fd, 0);
  }

  /**
   * {@code fs.ftruncateSync(fd, len)}: sets the open file's size (a negative {@code len} is 0).
   *
   * @throws SystemError e.g. {@code EBADF: bad file descriptor, ftruncate}, {@code EINVAL} for a
   *     read-only descriptor
   * @throws NodeError ERR_OUT_OF_RANGE for a negative {@code fd}
   */
  public void ftruncateSync(int fd, long len) {
    FsChecks.fd(fd);
    long n = FsChecks.truncateLength(len);
    FsSync.call(() -> {
      Fs.ftruncateSync(fd, n);
      return null;
    });
  }

  /**
   * {@code fs.copyFileSync(src, dest, mode)}: {@code mode} is a mask of
   * {@code COPYFILE_EXCL} (EEXIST if {@code dest} exists), {@code COPYFILE_FICLONE} (copy-on-write
   * if the file system can, else a copy) and {@code COPYFILE_FICLONE_FORCE} (copy-on-write or
   * fail, e.g. ENOTSUP on ext4).
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a mode outside 0..7
   */
  public void copyFileSync(String src, String dest, int mode) {
    FsChecks.path(src, "src");
    FsChecks.path(dest, "dest");
    FsChecks.accessOrCopyMode(mode);
    FsSync.call(() -> {
      Fs.copyfileSync(src, dest, mode);
      return null;
    });
  }

  /** {@code fs.writeFileSync(path, data, options)} (flag default 'w'; encoding ignored for bytes). */
  public void writeFileSync(String path, byte[] data, WriteFileOptions options) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    FsSync.writeFile(path, options.flagOr("w"), options.mode(), options.flush(), data);
  }

  /** {@code fs.writeFileSync(path, text, options)}: the text in {@code options.encoding()}. */
  public void writeFileSync(String path, String data, WriteFileOptions options) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    FsSync.writeFile(path, options.flagOr("w"), options.mode(), options.flush(), options.bytes(data));
  }

  /** {@code fs.appendFileSync(path, data, options)} (flag default 'a'). */
  public void appendFileSync(String path, byte[] data, WriteFileOptions options) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    FsSync.writeFile(path, options.flagOr("a"), options.mode(), options.flush(), data);
  }

  /** {@code fs.appendFileSync(path, text, options)}: the text in {@code options.encoding()}. */
  public void appendFileSync(String path, String data, WriteFileOptions options) {
    FsChecks.path(path, "path");
    Objects.requireNonNull(options, "options").check();
    FsSync.writeFile(path, options.flagOr("a"), options.mode(), options.flush(), options.bytes(data));
  }
}
