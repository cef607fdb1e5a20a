package io.uv4j.node;

import io.uv4j.DirEntry;
import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.Stat;
import io.uv4j.UvException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code *Sync} forms of {@link NodeFs}: they block the calling thread (as in Node, they
 * block the loop when called on it) and throw {@link SystemError} (Node's code, syscall, path)
 * instead of calling back.
 */
final class FsSync {
  private FsSync() {}

  interface Op<T> {
    T run() throws UvException;
  }

  static <T> T call(Op<T> op) {
    try {
      return op.run();
    } catch (UvException e) {
      throw SystemError.from(e);
    }
  }

  static byte[] readFile(String path) {
    Objects.requireNonNull(path, "path");
    int fd = call(() -> Fs.openSync(path, Fs.O_RDONLY, 0666));
    try {
      // Node's readFileSync: a regular file's size is checked before reading (as fs.readFile does)
      Stat st = call(() -> Fs.fstatSync(fd));
      if (st.isFile() && st.size() > NodeFs.MAX_LENGTH) {
        throw new NodeError("ERR_FS_FILE_TOO_LARGE", "File size (" + st.size() + ") is greater than 2 GiB");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocateDirect(NodeFs.READ_FILE_UNKNOWN_CHUNK);
      byte[] chunk = new byte[buf.capacity()];
      while (true) {
        buf.clear();
        int n = call(() -> Fs.readSync(fd, buf, -1));
        if (n == 0) {
          return out.toByteArray();
        }
        buf.flip().get(chunk, 0, n);
        out.write(chunk, 0, n);
        if (out.size() > NodeFs.MAX_LENGTH - chunk.length) {
          throw new NodeError("ERR_FS_FILE_TOO_LARGE", "File size is greater than 2 GiB");
        }
      }
    } finally {
      call(() -> {
        Fs.closeSync(fd);
        return null;
      });
    }
  }

  static void writeFile(String path, String flags, int mode, byte[] data) {
    writeFile(path, flags, mode, false, data);
  }

  /** writeFileSync/appendFileSync: open, write all, fsync if {@code flush}, close. */
  static void writeFile(String path, String flags, int mode, boolean flush, byte[] data) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(data, "data");
    int fd = call(() -> Fs.openSync(path, NodeFs.flags(flags), mode));
    try {
      ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, data.length)).put(data).flip();
      while (buf.hasRemaining()) {
        call(() -> Fs.writeSync(fd, buf, -1));
      }
      if (flush) {
        call(() -> {
          Fs.fsyncSync(fd);
          return null;
        });
      }
    } finally {
      call(() -> {
        Fs.closeSync(fd);
        return null;
      });
    }
  }

  static int read(int fd, byte[] buffer, int offset, int length, long position) {
    if (!FsChecks.readRange(buffer.length, offset, length, position)) {
      return 0;
    }
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, length));
    buf.limit(length);
    int n = call(() -> Fs.readSync(fd, buf, position));
    buf.flip().get(buffer, offset, n);
    return n;
  }

  static int write(int fd, byte[] buffer, int offset, int length, long position) {
    long pos = FsChecks.writeRange(buffer.length, offset, length, position);
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, length));
    buf.put(buffer, offset, length).flip();
    return call(() -> Fs.writeSync(fd, buf, pos));
  }

  static boolean exists(String path) {
    if (path == null || path.indexOf('\0') >= 0) {
      return false; // Node: an invalid path (getValidatedPath throws) is false
    }
    try {
      Fs.accessSync(path, Fs.F_OK);
      return true;
    } catch (UvException e) {
      return false;
    }
  }

  static List<String> readdir(String path) {
    FsChecks.path(path, "path");
    List<DirEntry> entries = call(() -> Fs.scandirSync(path));
    List<String> names = new ArrayList<>(entries.size());
    for (DirEntry d : entries) {
      names.add(d.name());
    }
    return names;
  }

  /** {@code mkdirSync(path, {recursive})}: the first directory created, or null. */
  static String mkdir(String path, boolean recursive) {
    Objects.requireNonNull(path, "path");
    if (!recursive) {
      call(() -> {
        Fs.mkdirSync(path, 0777);
        return null;
      });
      return null;
    }
    String p = FsTrees.trimSlashes(path);
    List<String> missing = new ArrayList<>();
    String cur = p;
    while (cur != null) {
      try {
        Stat st = Fs.statSync(cur);
        if (!st.isDirectory()) {
          throw SystemError.from(new UvException(Errno.EEXIST, "mkdir", path, null));
        }
        break;
      } catch (UvException e) {
        if (e.code() != Errno.ENOENT) {
          throw SystemError.from(new UvException(e.code(), "mkdir", path, null));
        }
        missing.add(cur);
        cur = FsTrees.parent(cur);
      }
    }
    String first = null;
    for (int i = missing.size() - 1; i >= 0; i--) {
      String dir = missing.get(i);
      try {
        Fs.mkdirSync(dir, 0777);
        if (first == null) {
          first = dir;
        }
      } catch (UvException e) {
        if (e.code() != Errno.EEXIST) {
          throw SystemError.from(new UvException(e.code(), "mkdir", path, null));
        }
      }
    }
    return first;
  }

  static void rm(String path, boolean recursive, boolean force) {
    FsChecks.path(path, "path");
    Stat st;
    try {
      st = Fs.lstatSync(path);
    } catch (UvException e) {
      if (force && e.code() == Errno.ENOENT) {
        return;
      }
      throw SystemError.from(e);
    }
    if (st.isDirectory() && !recursive) {
      throw SystemError.of("ERR_FS_EISDIR", "Path is a directory: rm returned EISDIR (is a directory) " + path,
          -Errno.EISDIR, "rm", path);
    }
    if (st.isDirectory()) {
      for (String name : readdir(path)) {
        rm(path + "/" + name, true, force);
      }
      call(() -> {
        Fs.rmdirSync(path);
        return null;
      });
    } else {
      call(() -> {
        Fs.unlinkSync(path);
        return null;
      });
    }
  }

  /**
   * {@code rmdirSync(path, {recursive: true})} (Node's rimraf after its checks): a missing path is
   * ENOENT (lstat), a non-directory ENOTDIR (rmdir), a directory is removed with its contents.
   */
  static void rmdirRecursive(String path) {
    FsChecks.path(path, "path");
    Stat st = call(() -> Fs.lstatSync(path));
    if (!st.isDirectory()) {
      throw SystemError.from(new UvException(Errno.ENOTDIR, "rmdir", path, null));
    }
    rm(path, true, false);
  }
}
