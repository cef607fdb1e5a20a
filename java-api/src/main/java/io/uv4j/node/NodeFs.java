package io.uv4j.node;

import io.uv4j.DirEntry;
import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.FsCallback;
import io.uv4j.Stat;
import io.uv4j.UvException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code fs} module on a {@link NodeRuntime}: callback forms ({@code (err, value)} through
 * {@link NodeRuntime#makeCallback}, so nextTicks and promises run after each, as in Node), the
 * promise forms of {@code fs.promises} ({@link #promises()}), and file streams
 * ({@link #createReadStream}, {@link #createWriteStream}). Everything runs on the core
 * {@link Fs} (libuv's thread pool); errors are {@link SystemError}s with Node's code, syscall and
 * path ({@code ENOENT: no such file or directory, open '/nope'}).
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
public final class NodeFs {
  /** Node's kReadFileBufferLength: readFile reads known sizes in chunks of this. */
  static final int READ_FILE_CHUNK = 512 * 1024;
  /** Node's kReadFileUnknownBufferLength: chunk size when the size is unknown (0, e.g. /proc). */
  static final int READ_FILE_UNKNOWN_CHUNK = 64 * 1024;
  /** Node's kIoMaxLength (2 GiB - 1): larger files cannot be read into one buffer. */
  static final long MAX_LENGTH = Integer.MAX_VALUE;

  private final NodeRuntime node;
  private final Fs fs;
  private final Promises promises = new Promises();

  private NodeFs(NodeRuntime node) {
    this.node = Objects.requireNonNull(node, "node");
    this.fs = new Fs(node.loop());
  }

  /** The fs module of {@code node}. */
  public static NodeFs of(NodeRuntime node) {
    return new NodeFs(node);
  }

  /** {@code fs.promises}. */
  public Promises promises() {
    return promises;
  }

  /** A core callback entering Node-style code through makeCallback. */
  private <T> FsCallback<T> step(FsCallback<T> body) {
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
    Objects.requireNonNull(cb, "callback");
    fs.open(path, Fs.O_RDONLY, 0666, step((fd, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      fs.fstat(fd, step((st, err2) -> {
        if (err2 != null) {
          closeThen(fd, SystemError.from(err2), null, cb);
          return;
        }
        long size = st.isFile() ? st.size() : 0;
        if (size > MAX_LENGTH) {
          closeThen(fd, new NodeError("ERR_FS_FILE_TOO_LARGE",
              "File size (" + size + ") is greater than 2 GiB"), null, cb);
          return;
        }
        new FileReader(fd, (int) size, cb).next();
      }));
    }));
  }

  /** {@code fs.readFile(path, encoding, cb)}: the file decoded (utf8, latin1, hex, base64...). */
  public void readFile(String path, String encoding, NodeCallback<String> cb) {
    Objects.requireNonNull(cb, "callback");
    Encodings.normalize(encoding);
    readFile(path, (err, data) -> cb.call(err, err != null ? null : Encodings.decode(data, encoding)));
  }

  /** Reads a whole open file: to {@code size} bytes if known, else until a read returns 0. */
  private final class FileReader {
    final int fd;
    final int size;
    final NodeCallback<byte[]> cb;
    final ByteBuffer buf;
    byte[] data;
    int pos;
    List<byte[]> chunks;

    FileReader(int fd, int size, NodeCallback<byte[]> cb) {
      this.fd = fd;
      this.size = size;
      this.cb = cb;
      this.buf = ByteBuffer.allocateDirect(size == 0 ? READ_FILE_UNKNOWN_CHUNK : Math.min(size, READ_FILE_CHUNK));
      if (size > 0) {
        data = new byte[size];
      } else {
        chunks = new ArrayList<>();
      }
    }

    void next() {
      if (size > 0 && pos == size) {
        closeThen(fd, null, data, cb);
        return;
      }
      buf.clear();
      if (size > 0) {
        buf.limit(Math.min(buf.capacity(), size - pos));
      }
      fs.read(fd, buf, -1, step((n, err) -> {
        if (err != null) {
          closeThen(fd, SystemError.from(err), null, cb);
          return;
        }
        if (n == 0) {
          closeThen(fd, null, result(), cb);
          return;
        }
        buf.flip();
        if (size > 0) {
          buf.get(data, pos, n);
        } else {
          byte[] c = new byte[n];
          buf.get(c);
          chunks.add(c);
        }
        pos += n;
        if (size == 0 && pos > MAX_LENGTH - READ_FILE_UNKNOWN_CHUNK) {
          closeThen(fd, new NodeError("ERR_FS_FILE_TOO_LARGE", "File size is greater than 2 GiB"), null, cb);
          return;
        }
        next();
      }));
    }

    byte[] result() {
      if (size > 0) {
        if (pos == size) {
          return data;
        }
        byte[] cut = new byte[pos];
        System.arraycopy(data, 0, cut, 0, pos);
        return cut;
      }
      return concat(chunks, pos);
    }
  }

  static byte[] concat(List<byte[]> chunks, int total) {
    byte[] out = new byte[total];
    int off = 0;
    for (byte[] c : chunks) {
      System.arraycopy(c, 0, out, off, c.length);
      off += c.length;
    }
    return out;
  }

  /** Closes {@code fd}, then reports {@code err} (or the close error) or {@code value}. */
  private <T> void closeThen(int fd, NodeError err, T value, NodeCallback<T> cb) {
    fs.close(fd, step((v, closeErr) -> {
      if (err != null) {
        cb.call(err, null);
      } else if (closeErr != null) {
        cb.call(SystemError.from(closeErr), null);
      } else {
        cb.call(null, value);
      }
    }));
  }

  /** {@code fs.writeFile(path, data, cb)}: creates or truncates. */
  public void writeFile(String path, byte[] data, NodeCallback<Void> cb) {
    writeWhole(path, "w", data, cb);
  }

  /** {@code fs.writeFile(path, text, cb)}, UTF-8. */
  public void writeFile(String path, String data, NodeCallback<Void> cb) {
    writeWhole(path, "w", Encodings.encode(data, "utf8"), cb);
  }

  /** {@code fs.appendFile(path, data, cb)}: creates if needed. */
  public void appendFile(String path, byte[] data, NodeCallback<Void> cb) {
    writeWhole(path, "a", data, cb);
  }

  public void appendFile(String path, String data, NodeCallback<Void> cb) {
    writeWhole(path, "a", Encodings.encode(data, "utf8"), cb);
  }

  private void writeWhole(String path, String flags, byte[] data, NodeCallback<Void> cb) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cb, "callback");
    fs.open(path, flags(flags), 0666, step((fd, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, data.length)).put(data).flip();
      writeAll(fd, new ByteBuffer[] {buf}, -1, e -> closeThen(fd, e, null, cb));
    }));
  }

  /** Writes all of {@code bufs} (positions advance), at {@code pos} (-1: the file position). */
  private void writeAll(int fd, ByteBuffer[] bufs, long pos, Consumer<NodeError> done) {
    if (remaining(bufs) == 0) {
      done.accept(null);
      return;
    }
    fs.write(fd, bufs, pos, step((n, err) -> {
      if (err != null) {
        done.accept(SystemError.from(err));
        return;
      }
      writeAll(fd, bufs, pos < 0 ? -1 : pos + n, done);
    }));
  }

  static long remaining(ByteBuffer[] bufs) {
    long r = 0;
    for (ByteBuffer b : bufs) {
      r += b.remaining();
    }
    return r;
  }

  // =================================================================== metadata and names

  /** {@code fs.stat(path, cb)}. */
  public void stat(String path, NodeCallback<Stat> cb) {
    fs.stat(path, deliver(cb));
  }

  /** {@code fs.lstat(path, cb)}. */
  public void lstat(String path, NodeCallback<Stat> cb) {
    fs.lstat(path, deliver(cb));
  }

  /** {@code fs.readdir(path, cb)}: the names, sorted as libuv returns them. */
  public void readdir(String path, NodeCallback<List<String>> cb) {
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
    fs.scandir(path, deliver(cb));
  }

  /** {@code fs.mkdir(path, cb)} (mode 0o777); the value is null. */
  public void mkdir(String path, NodeCallback<String> cb) {
    mkdir(path, false, cb);
  }

  /**
   * {@code fs.mkdir(path, {recursive}, cb)}: with {@code recursive}, missing parents are created
   * and an existing directory is no error; the value is the first directory created (null if
   * none), as in Node.
   */
  public void mkdir(String path, boolean recursive, NodeCallback<String> cb) {
    Objects.requireNonNull(cb, "callback");
    if (!recursive) {
      fs.mkdir(path, 0777, step((v, err) -> cb.call(err != null ? SystemError.from(err) : null, null)));
      return;
    }
    // Like Node, an error names the path asked for, not the component that failed.
    mkdirp(trimSlashes(path), (err, first) -> {
      if (err instanceof SystemError && err.getCause() instanceof UvException) {
        UvException u = (UvException) err.getCause();
        err = SystemError.from(new UvException(u.code(), u.syscall(), path, null));
      }
      cb.call(err, first);
    });
  }

  private void mkdirp(String path, NodeCallback<String> cb) {
    fs.mkdir(path, 0777, step((v, err) -> {
      if (err == null) {
        cb.call(null, path);
      } else if (err.code() == Errno.EEXIST) {
        existingDir(path, err, cb);
      } else if (err.code() == Errno.ENOENT) {
        String parent = parent(path);
        if (parent == null) {
          cb.call(SystemError.from(err), null);
          return;
        }
        mkdirp(parent, (perr, first) -> {
          if (perr != null) {
            cb.call(perr, null);
            return;
          }
          fs.mkdir(path, 0777, step((v2, err2) -> {
            if (err2 == null) {
              cb.call(null, first != null ? first : path);
            } else if (err2.code() == Errno.EEXIST) {
              existingDir(path, err2, (e3, ignored) -> cb.call(e3, e3 != null ? null : first));
            } else {
              cb.call(SystemError.from(err2), null);
            }
          }));
        });
      } else {
        cb.call(SystemError.from(err), null);
      }
    }));
  }

  /** EEXIST during a recursive mkdir: fine if it is a directory. */
  private void existingDir(String path, UvException exists, NodeCallback<String> cb) {
    fs.stat(path, step((st, err) -> {
      if (err == null && st.isDirectory()) {
        cb.call(null, null);
      } else {
        cb.call(SystemError.from(exists), null);
      }
    }));
  }

  private static String trimSlashes(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String parent(String path) {
    int i = path.lastIndexOf('/');
    if (i < 0) {
      return null; // relative, first component: its parent is the working directory
    }
    if (i == 0) {
      return path.length() > 1 ? "/" : null;
    }
    return path.substring(0, i);
  }

  /**
   * {@code fs.rm(path, {recursive, force}, cb)}: removes a file, or with {@code recursive} a
   * directory tree; {@code force} ignores a missing path. A directory without {@code recursive}
   * is {@code ERR_FS_EISDIR}, as in Node.
   */
  public void rm(String path, boolean recursive, boolean force, NodeCallback<Void> cb) {
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
      removeTree(path, st.isDirectory(), force, e -> cb.call(e, null));
    }));
  }

  /** rm -r: children one after another, then the directory. */
  private void removeTree(String path, boolean isDir, boolean force, Consumer<NodeError> done) {
    if (!isDir) {
      fs.unlink(path, step((v, err) -> done.accept(ignoreMissing(err, force))));
      return;
    }
    fs.scandir(path, step((entries, err) -> {
      if (err != null) {
        done.accept(ignoreMissing(err, force));
        return;
      }
      Iterator<DirEntry> it = entries.iterator();
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (!it.hasNext()) {
          fs.rmdir(path, step((v, err2) -> done.accept(ignoreMissing(err2, force))));
          return;
        }
        DirEntry d = it.next();
        String child = path + "/" + d.name();
        Consumer<NodeError> after = e -> {
          if (e != null) {
            done.accept(e);
          } else {
            next[0].run();
          }
        };
        if (d.type() == DirEntry.Type.UNKNOWN) {
          fs.lstat(child, step((st, err3) -> {
            if (err3 != null) {
              after.accept(ignoreMissing(err3, force));
            } else {
              removeTree(child, st.isDirectory(), force, after);
            }
          }));
        } else {
          removeTree(child, d.type() == DirEntry.Type.DIR, force, after);
        }
      };
      next[0].run();
    }));
  }

  private static NodeError ignoreMissing(UvException err, boolean force) {
    if (err == null || (force && err.code() == Errno.ENOENT)) {
      return null;
    }
    return SystemError.from(err);
  }

  /** {@code fs.rename(from, to, cb)}. */
  public void rename(String from, String to, NodeCallback<Void> cb) {
    fs.rename(from, to, deliver(cb));
  }

  /** {@code fs.unlink(path, cb)}. */
  public void unlink(String path, NodeCallback<Void> cb) {
    fs.unlink(path, deliver(cb));
  }

  /** {@code fs.rmdir(path, cb)}. */
  public void rmdir(String path, NodeCallback<Void> cb) {
    fs.rmdir(path, deliver(cb));
  }

  /** {@code fs.copyFile(src, dest, cb)}. */
  public void copyFile(String src, String dest, NodeCallback<Void> cb) {
    fs.copyfile(src, dest, 0, deliver(cb));
  }

  /** {@code fs.mkdtemp(prefix, cb)}: creates prefix + 6 random characters. */
  public void mkdtemp(String prefix, NodeCallback<String> cb) {
    fs.mkdtemp(prefix + "XXXXXX", deliver(cb));
  }

  // =================================================================== fs.promises

  /** {@code fs.promises}: the same operations returning {@link Promise}s. */
  public final class Promises {
    private Promises() {}

    private <T> Promise<T> promise(Consumer<NodeCallback<T>> op) {
      return Promise.create(node, (resolve, reject) -> op.accept((err, v) -> {
        if (err != null) {
          reject.accept(err);
        } else {
          resolve.accept(v);
        }
      }));
    }

    public Promise<byte[]> readFile(String path) {
      return promise(cb -> NodeFs.this.readFile(path, cb));
    }

    public Promise<String> readFile(String path, String encoding) {
      return promise(cb -> NodeFs.this.readFile(path, encoding, cb));
    }

    public Promise<Void> writeFile(String path, byte[] data) {
      return promise(cb -> NodeFs.this.writeFile(path, data, cb));
    }

    public Promise<Void> writeFile(String path, String data) {
      return promise(cb -> NodeFs.this.writeFile(path, data, cb));
    }

    public Promise<Void> appendFile(String path, byte[] data) {
      return promise(cb -> NodeFs.this.appendFile(path, data, cb));
    }

    public Promise<Void> appendFile(String path, String data) {
      return promise(cb -> NodeFs.this.appendFile(path, data, cb));
    }

    public Promise<Stat> stat(String path) {
      return promise(cb -> NodeFs.this.stat(path, cb));
    }

    public Promise<Stat> lstat(String path) {
      return promise(cb -> NodeFs.this.lstat(path, cb));
    }

    public Promise<List<String>> readdir(String path) {
      return promise(cb -> NodeFs.this.readdir(path, cb));
    }

    public Promise<String> mkdir(String path) {
      return promise(cb -> NodeFs.this.mkdir(path, false, cb));
    }

    public Promise<String> mkdir(String path, boolean recursive) {
      return promise(cb -> NodeFs.this.mkdir(path, recursive, cb));
    }

    public Promise<Void> rm(String path, boolean recursive, boolean force) {
      return promise(cb -> NodeFs.this.rm(path, recursive, force, cb));
    }

    public Promise<Void> rename(String from, String to) {
      return promise(cb -> NodeFs.this.rename(from, to, cb));
    }

    public Promise<Void> unlink(String path) {
      return promise(cb -> NodeFs.this.unlink(path, cb));
    }

    public Promise<Void> rmdir(String path) {
      return promise(cb -> NodeFs.this.rmdir(path, cb));
    }

    public Promise<Void> copyFile(String src, String dest) {
      return promise(cb -> NodeFs.this.copyFile(src, dest, cb));
    }

    public Promise<String> mkdtemp(String prefix) {
      return promise(cb -> NodeFs.this.mkdtemp(prefix, cb));
    }
  }

  // =================================================================== streams

  /** {@code fs.createReadStream(path)}: 64 KiB chunks. */
  public ReadStream createReadStream(String path) {
    return new ReadStream(this, path, ReadStream.DEFAULT_HIGH_WATER_MARK, -1, -1);
  }

  /** {@code fs.createReadStream(path, {highWaterMark})}: chunks of at most that many bytes. */
  public ReadStream createReadStream(String path, int highWaterMark) {
    return new ReadStream(this, path, highWaterMark, -1, -1);
  }

  /** {@code fs.createReadStream(path, {highWaterMark, start, end})}: bytes start..end inclusive (-1: unset). */
  public ReadStream createReadStream(String path, int highWaterMark, long start, long end) {
    return new ReadStream(this, path, highWaterMark, start, end);
  }

  /** {@code fs.createWriteStream(path)}: flags 'w', 16 KiB high-water mark. */
  public WriteStream createWriteStream(String path) {
    return new WriteStream(this, path, "w", NodeStream.DEFAULT_HIGH_WATER_MARK);
  }

  /** {@code fs.createWriteStream(path, {flags, highWaterMark})}, e.g. flags "a" to append. */
  public WriteStream createWriteStream(String path, String flags, int highWaterMark) {
    return new WriteStream(this, path, flags, highWaterMark);
  }

  /**
   * {@code fs.ReadStream}: opens the file (events {@code 'open'} with the fd, {@code 'ready'}),
   * reads it in chunks of the high-water mark ({@code 'data'}, {@code 'end'}), closes it
   * ({@code 'close'}). Errors: {@code 'error'} then {@code 'close'}.
   */
  public static final class ReadStream extends NodeStream {
    /** Node's default for file read streams: 64 KiB. */
    public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;

    private final NodeFs nfs;
    private final String path;
    private final long end;
    private long pos;
    private int fd = -1;
    private long bytesRead;
    private boolean performingIO;
    private Runnable onIoDone;

    ReadStream(NodeFs nfs, String path, int highWaterMark, long start, long end) {
      super(nfs.node, true, false, highWaterMark, 0);
      this.nfs = nfs;
      this.path = Objects.requireNonNull(path, "path");
      if (start >= 0 && end >= 0 && start > end) {
        throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"start\" is out of range. It must be <= \"end\" (here: " + end + "). Received " + start);
      }
      this.pos = start;
      this.end = end < 0 ? Long.MAX_VALUE : end;
      construct();
    }

    public String path() {
      return path;
    }

    public long bytesRead() {
      return bytesRead;
    }

    /** True until the file is open. */
    public boolean pending() {
      return fd < 0;
    }

    @Override
    protected void doConstruct(Consumer<Throwable> cb) {
      nfs.fs.open(path, Fs.O_RDONLY, 0666, nfs.step((fd, err) -> {
        if (err != null) {
          cb.accept(SystemError.from(err));
          return;
        }
        this.fd = fd;
        cb.accept(null);
        emit("open", fd);
        emit("ready");
      }));
    }

    @Override
    protected void doRead(int size) {
      long n = size;
      if (end != Long.MAX_VALUE) {
        n = Math.min(end - (pos >= 0 ? pos : bytesRead) + 1, size);
      }
      if (n <= 0) {
        push(null);
        return;
      }
      ByteBuffer buf = ByteBuffer.allocateDirect((int) n);
      performingIO = true;
      nfs.fs.read(fd, buf, pos, nfs.step((bytes, err) -> {
        performingIO = false;
        if (isDestroyed()) {
          ioDone();
          return;
        }
        if (err != null) {
          errorOrDestroy(SystemError.from(err), false);
        } else if (bytes > 0) {
          if (pos >= 0) {
            pos += bytes;
          }
          bytesRead += bytes;
          byte[] chunk = new byte[bytes];
          buf.flip().get(chunk);
          push(chunk);
        } else {
          push(null);
        }
      }));
    }

    private void ioDone() {
      Runnable r = onIoDone;
      onIoDone = null;
      if (r != null) {
        r.run();
      }
    }

    @Override
    protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
      // A pending read still uses the fd: close it when the read is back.
      if (performingIO) {
        onIoDone = () -> closeFd(this.nfs, fd, err, cb, () -> fd = -1);
      } else {
        closeFd(nfs, fd, err, cb, () -> fd = -1);
      }
    }

    /** {@code close(cb)}: destroys the stream; {@code cb} runs at 'close'. */
    public void close(Runnable cb) {
      if (cb != null) {
        once("close", cb);
      }
      destroy();
    }
  }

  static void closeFd(NodeFs nfs, int fd, Throwable err, Consumer<Throwable> cb, Runnable forget) {
    if (fd < 0) {
      cb.accept(err);
      return;
    }
    forget.run();
    nfs.fs.close(fd, nfs.step((v, e) -> cb.accept(e != null ? SystemError.from(e) : err)));
  }

  /**
   * {@code fs.WriteStream}: opens the file ({@code 'open'}, {@code 'ready'}), writes chunks in
   * order (several buffered ones in one vectored write), {@code 'finish'} after
   * {@link #end()}, then closes ({@code 'close'}).
   */
  public static final class WriteStream extends NodeStream {
    private final NodeFs nfs;
    private final String path;
    private final String flags;
    private int fd = -1;
    private long bytesWritten;
    private boolean performingIO;
    private Runnable onIoDone;

    WriteStream(NodeFs nfs, String path, String flags, int highWaterMark) {
      super(nfs.node, false, true, 0, highWaterMark);
      this.nfs = nfs;
      this.path = Objects.requireNonNull(path, "path");
      this.flags = flags;
      flags(flags); // validates now, as Node does
      construct();
    }

    public String path() {
      return path;
    }

    public long bytesWritten() {
      return bytesWritten;
    }

    public boolean pending() {
      return fd < 0;
    }

    @Override
    protected void doConstruct(Consumer<Throwable> cb) {
      nfs.fs.open(path, flags(flags), 0666, nfs.step((fd, err) -> {
        if (err != null) {
          cb.accept(SystemError.from(err));
          return;
        }
        this.fd = fd;
        cb.accept(null);
        emit("open", fd);
        emit("ready");
      }));
    }

    @Override
    protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
      writeBuffers(new ByteBuffer[] {ByteBuffer.wrap(chunk)}, cb);
    }

    @Override
    protected boolean hasWritev() {
      return true;
    }

    @Override
    protected void doWritev(List<byte[]> chunks, Consumer<Throwable> cb) {
      ByteBuffer[] bufs = new ByteBuffer[chunks.size()];
      for (int i = 0; i < bufs.length; i++) {
        bufs[i] = ByteBuffer.wrap(chunks.get(i));
      }
      writeBuffers(bufs, cb);
    }

    private void writeBuffers(ByteBuffer[] bufs, Consumer<Throwable> cb) {
      performingIO = true;
      long before = remaining(bufs);
      nfs.writeAll(fd, bufs, -1, err -> {
        performingIO = false;
        bytesWritten += before - remaining(bufs);
        if (isDestroyed()) {
          cb.accept(err != null ? err
              : new NodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"));
          ioDone(); // now _destroy may close the fd
          return;
        }
        cb.accept(err);
      });
    }

    private void ioDone() {
      Runnable r = onIoDone;
      onIoDone = null;
      if (r != null) {
        r.run();
      }
    }

    @Override
    protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
      if (performingIO) {
        onIoDone = () -> closeFd(nfs, fd, err, cb, () -> fd = -1);
      } else {
        closeFd(nfs, fd, err, cb, () -> fd = -1);
      }
    }

    /** {@code close(cb)}: ends the stream and closes the file; {@code cb} at 'close'. */
    public void close(Runnable cb) {
      if (cb != null) {
        once("close", cb);
      }
      if (!writableEnded()) {
        end();
      } else if (writableFinished() || isDestroyed()) {
        destroy();
      }
    }
  }
}
