package io.uv4j.node;

import io.uv4j.Fs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Whole-file operations of {@link NodeFs} in callbacks: readFile, writeFile, appendFile. */
final class FsFiles {
  private final NodeFs nfs;

  FsFiles(NodeFs nfs) {
    this.nfs = nfs;
  }

  void readFile(String path, NodeCallback<byte[]> cb) {
    Objects.requireNonNull(cb, "callback");
    nfs.fs.open(path, Fs.O_RDONLY, 0666, nfs.step((fd, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      nfs.fs.fstat(fd, nfs.step((st, err2) -> {
        if (err2 != null) {
          closeThen(fd, SystemError.from(err2), null, cb);
          return;
        }
        long size = st.isFile() ? st.size() : 0;
        if (size > NodeFs.MAX_LENGTH) {
          closeThen(fd, new NodeError("ERR_FS_FILE_TOO_LARGE",
              "File size (" + size + ") is greater than 2 GiB"), null, cb);
          return;
        }
        new FileReader(fd, (int) size, cb).next();
      }));
    }));
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
      this.buf = ByteBuffer.allocateDirect(size == 0 ? NodeFs.READ_FILE_UNKNOWN_CHUNK : Math.min(size, NodeFs.READ_FILE_CHUNK));
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
      nfs.fs.read(fd, buf, -1, nfs.step((n, err) -> {
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
        if (size == 0 && pos > NodeFs.MAX_LENGTH - NodeFs.READ_FILE_UNKNOWN_CHUNK) {
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
  <T> void closeThen(int fd, NodeError err, T value, NodeCallback<T> cb) {
    nfs.fs.close(fd, nfs.step((v, closeErr) -> {
      if (err != null) {
        cb.call(err, null);
      } else if (closeErr != null) {
        cb.call(SystemError.from(closeErr), null);
      } else {
        cb.call(null, value);
      }
    }));
  }

  /** writeFile/appendFile: open, write all, fsync if {@code flush}, close (the first error wins). */
  void writeWhole(String path, String flags, int mode, boolean flush, byte[] data, NodeCallback<Void> cb) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(cb, "callback");
    nfs.fs.open(path, NodeFs.flags(flags), mode, nfs.step((fd, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(1, data.length)).put(data).flip();
      writeAll(fd, new ByteBuffer[] {buf}, -1, e -> {
        if (e != null || !flush) {
          closeThen(fd, e, null, cb);
          return;
        }
        nfs.fs.fsync(fd, nfs.step((v, err2) -> closeThen(fd, err2 != null ? SystemError.from(err2) : null, null, cb)));
      });
    }));
  }

  /** Writes all of {@code bufs} (positions advance), at {@code pos} (-1: the file position). */
  void writeAll(int fd, ByteBuffer[] bufs, long pos, Consumer<NodeError> done) {
    if (remaining(bufs) == 0) {
      done.accept(null);
      return;
    }
    nfs.fs.write(fd, bufs, pos, nfs.step((n, err) -> {
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

  /** {@code fs.truncate(path, len, cb)}: open 'r+', ftruncate, close (the first error wins). */
  void truncate(String path, long len, NodeCallback<Void> cb) {
    nfs.fs.open(path, Fs.O_RDWR, 0666, nfs.step((fd, err) -> {
      if (err != null) {
        cb.call(SystemError.from(err), null);
        return;
      }
      nfs.fs.ftruncate(fd, len, nfs.step((v, err2) -> closeThen(fd, err2 != null ? SystemError.from(err2) : null, null, cb)));
    }));
  }
}
