package io.uv4j.node;

import io.uv4j.Stat;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code fs.promises}: the same operations returning {@link Promise}s.
 *
 * <pre>{@code
 * NodeFs.of(node).promises().readFile("/etc/hostname")
 *     .then(bytes -> new String(bytes, StandardCharsets.UTF_8).strip())
 *     .then(name -> { System.out.println("host " + name); return null; });
 * }</pre>
 */
public class FsPromises {
  private final NodeFs fs;

  FsPromises(NodeFs fs) {
    this.fs = fs;
  }

  private <T> Promise<T> promise(Consumer<NodeCallback<T>> op) {
    return Promise.create(fs.node, (resolve, reject) -> op.accept((err, v) -> {
      if (err != null) {
        reject.accept(err);
      } else {
        resolve.accept(v);
      }
    }));
  }

  public Promise<byte[]> readFile(String path) {
    return promise(cb -> fs.readFile(path, cb));
  }

  public Promise<String> readFile(String path, String encoding) {
    return promise(cb -> fs.readFile(path, encoding, cb));
  }

  public Promise<Void> writeFile(String path, byte[] data) {
    return promise(cb -> fs.writeFile(path, data, cb));
  }

  public Promise<Void> writeFile(String path, String data) {
    return promise(cb -> fs.writeFile(path, data, cb));
  }

  public Promise<Void> appendFile(String path, byte[] data) {
    return promise(cb -> fs.appendFile(path, data, cb));
  }

  public Promise<Void> appendFile(String path, String data) {
    return promise(cb -> fs.appendFile(path, data, cb));
  }

  public Promise<Stat> stat(String path) {
    return promise(cb -> fs.stat(path, cb));
  }

  public Promise<Stat> lstat(String path) {
    return promise(cb -> fs.lstat(path, cb));
  }

  public Promise<List<String>> readdir(String path) {
    return promise(cb -> fs.readdir(path, cb));
  }

  public Promise<String> mkdir(String path) {
    return promise(cb -> fs.mkdir(path, false, cb));
  }

  public Promise<String> mkdir(String path, boolean recursive) {
    return promise(cb -> fs.mkdir(path, recursive, cb));
  }

  public Promise<Void> rm(String path, boolean recursive, boolean force) {
    return promise(cb -> fs.rm(path, recursive, force, cb));
  }

  public Promise<Void> rename(String from, String to) {
    return promise(cb -> fs.rename(from, to, cb));
  }

  public Promise<Void> unlink(String path) {
    return promise(cb -> fs.unlink(path, cb));
  }

  public Promise<Void> rmdir(String path) {
    return promise(cb -> fs.rmdir(path, cb));
  }

  public Promise<Void> copyFile(String src, String dest) {
    return promise(cb -> fs.copyFile(src, dest, cb));
  }

  public Promise<String> mkdtemp(String prefix) {
    return promise(cb -> fs.mkdtemp(prefix, cb));
  }

  /** {@code fsPromises.open(path, flags)}: the descriptor (Node returns a FileHandle; here the number). */
  public Promise<Integer> open(String path, String flags) {
    return promise(cb -> fs.open(path, flags, cb));
  }

  /** {@code filehandle.read(buffer, offset, length, position)} on a descriptor: bytes read. */
  public Promise<Integer> read(int fd, byte[] buffer, int offset, int length, long position) {
    return promise(cb -> fs.read(fd, buffer, offset, length, position, cb));
  }

  /** {@code filehandle.write(buffer, offset, length, position)} on a descriptor: bytes written. */
  public Promise<Integer> write(int fd, byte[] buffer, int offset, int length, long position) {
    return promise(cb -> fs.write(fd, buffer, offset, length, position, cb));
  }

  /** {@code filehandle.close()} on a descriptor. */
  public Promise<Void> close(int fd) {
    return promise(cb -> fs.close(fd, cb));
  }

  /** {@code filehandle.stat()} on a descriptor. */
  public Promise<Stat> fstat(int fd) {
    return promise(cb -> fs.fstat(fd, cb));
  }

  /** {@code fsPromises.access(path)}: resolves if {@code path} exists. */
  public Promise<Void> access(String path) {
    return promise(cb -> fs.access(path, cb));
  }

  /** {@code fsPromises.access(path, mode)}: rejects (EACCES, ENOENT, ERR_OUT_OF_RANGE) unless allowed. */
  public Promise<Void> access(String path, int mode) {
    return promise(cb -> fs.access(path, mode, cb));
  }

  /** {@code fsPromises.truncate(path)}: empties the file. */
  public Promise<Void> truncate(String path) {
    return promise(cb -> fs.truncate(path, cb));
  }

  /** {@code fsPromises.truncate(path, len)}. */
  public Promise<Void> truncate(String path, long len) {
    return promise(cb -> fs.truncate(path, len, cb));
  }

  /** {@code filehandle.truncate(len)} on a descriptor. */
  public Promise<Void> ftruncate(int fd, long len) {
    return promise(cb -> fs.ftruncate(fd, len, cb));
  }

  /** {@code fsPromises.copyFile(src, dest, mode)}: COPYFILE_EXCL / FICLONE / FICLONE_FORCE. */
  public Promise<Void> copyFile(String src, String dest, int mode) {
    return promise(cb -> fs.copyFile(src, dest, mode, cb));
  }

  /** {@code fsPromises.writeFile(path, data, options)}. */
  public Promise<Void> writeFile(String path, byte[] data, WriteFileOptions options) {
    return promise(cb -> fs.writeFile(path, data, options, cb));
  }

  /** {@code fsPromises.writeFile(path, text, options)}. */
  public Promise<Void> writeFile(String path, String data, WriteFileOptions options) {
    return promise(cb -> fs.writeFile(path, data, options, cb));
  }

  /** {@code fsPromises.appendFile(path, data, options)}. */
  public Promise<Void> appendFile(String path, byte[] data, WriteFileOptions options) {
    return promise(cb -> fs.appendFile(path, data, options, cb));
  }

  /** {@code fsPromises.appendFile(path, text, options)}. */
  public Promise<Void> appendFile(String path, String data, WriteFileOptions options) {
    return promise(cb -> fs.appendFile(path, data, options, cb));
  }

  /**
   * {@code fsPromises.rmdir(path, {recursive})}: with {@code recursive} (DEP0147, warned once)
   * Node's promise form stats (following links; a missing path is ENOENT with syscall
   * {@code stat}, unlike the callback form's lstat), removes a directory with its contents, and
   * otherwise calls rmdir (ENOTDIR for a file).
   */
  public Promise<Void> rmdir(String path, boolean recursive) {
    if (!recursive) {
      return rmdir(path);
    }
    return promise(cb -> {
      FsChecks.path(path, "path");
      fs.warnRecursiveRmdir();
      fs.fs.stat(path, fs.step((st, err) -> {
        if (err != null) {
          cb.call(SystemError.from(err), null);
        } else if (st.isDirectory()) {
          fs.trees().removeTree(path, true, false, e -> cb.call(e, null));
        } else {
          fs.rmdir(path, cb);
        }
      }));
    });
  }
}
