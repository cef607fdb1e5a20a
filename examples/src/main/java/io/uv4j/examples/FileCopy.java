package io.uv4j.examples;

import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.Loop;
import io.uv4j.Stat;
import io.uv4j.UvException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * {@code copy <src> <dst>}: copies a file with libuv's asynchronous file system operations, one
 * 64 KiB direct buffer reused for every chunk, and a one-line progress bar.
 *
 * <p>Every step is a callback on the loop thread that starts the next one: open the source,
 * fstat it (size for the progress bar, permissions for the copy), make sure the destination is
 * not the source itself, open the destination, then read a chunk / write it (again while a write
 * is short) until a read returns 0, and close both files. libuv runs each operation on its
 * thread pool; the loop thread only ever waits in {@code run()}.
 *
 * <p>On an error the first {@link UvException}'s message is printed (it names the libuv call and
 * the path, like Node's errors), the open files are closed, and the exit code is 1.
 */
public final class FileCopy {
  static final int CHUNK = 64 * 1024;
  /** How often the progress line is redrawn, at most. */
  private static final long REDRAW_NS = 100_000_000L;
  private static final int BAR_WIDTH = 30;

  private final Fs fs;
  private final String src;
  private final String dst;
  private final PrintStream out;
  /** Reused for every chunk: libuv reads into and writes from it in place. */
  private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);

  private int in = -1;
  private int outFd = -1;
  private long size;
  private long copied;
  private long startNs;
  private long lastDrawNs;
  private String error;

  private FileCopy(Loop loop, String src, String dst, PrintStream out) {
    this.fs = new Fs(loop);
    this.src = src;
    this.dst = dst;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the tool; returns the exit code (0 success, 1 copy failed, 2 usage). */
  static int run(String[] args, PrintStream out, PrintStream err) throws UvException {
    if (args.length != 2) {
      err.println("usage: copy <src> <dst>");
      return 2;
    }
    try (Loop loop = Loop.create()) {
      FileCopy copy = new FileCopy(loop, args[0], args[1], out);
      copy.start();
      loop.run();
      if (copy.error != null) {
        err.println("copy: " + copy.error);
        return 1;
      }
      return 0;
    }
  }

  private void start() {
    startNs = System.nanoTime();
    fs.open(src, Fs.O_RDONLY, 0, (fd, e) -> {
      if (failed(e, null)) {
        return;
      }
      in = fd;
      fs.fstat(in, (st, e2) -> {
        if (failed(e2, "reading '" + src + "'")) {
          return;
        }
        if (st.isDirectory()) {
          fail("'" + src + "' is a directory");
          return;
        }
        size = st.size();
        checkNotSameFile(st);
      });
    });
  }

  /** Opening the source itself with O_TRUNC would destroy it: refuse, like cp does. */
  private void checkNotSameFile(Stat source) {
    fs.stat(dst, (target, e) -> {
      if (e != null && e.code() != Errno.ENOENT) {
        failed(e, null);
        return;
      }
      if (target != null && target.dev() == source.dev() && target.ino() == source.ino()) {
        fail("'" + src + "' and '" + dst + "' are the same file");
        return;
      }
      int flags = Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC;
      fs.open(dst, flags, source.permissions(), (fd, e2) -> {
        if (failed(e2, null)) {
          return;
        }
        outFd = fd;
        readNext();
      });
    });
  }

  private void readNext() {
    buf.clear();
    fs.read(in, buf, copied, (n, e) -> {
      if (failed(e, "reading '" + src + "'")) {
        return;
      }
      if (n == 0) {
        finish();
        return;
      }
      buf.flip();
      writeRest();
    });
  }

  /** Writes what is left in the buffer; a short write continues where it stopped. */
  private void writeRest() {
    long at = copied;
    fs.write(outFd, buf, at, (n, e) -> {
      if (failed(e, "writing '" + dst + "'")) {
        return;
      }
      copied += n;
      progress(false);
      if (buf.hasRemaining()) {
        writeRest();
      } else {
        readNext();
      }
    });
  }

  private void finish() {
    progress(true);
    closeBoth();
  }

  private void progress(boolean last) {
    long now = System.nanoTime();
    if (!last && now - lastDrawNs < REDRAW_NS) {
      return;
    }
    lastDrawNs = now;
    double fraction = size == 0 ? 1.0 : Math.min(1.0, (double) copied / size);
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    double seconds = Math.max(1e-9, (now - startNs) / 1e9);
    String line = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %,.1f MB  %,.1f MB/s",
        "#".repeat(filled), " ".repeat(BAR_WIDTH - filled), Math.round(fraction * 100),
        copied / 1e6, copied / 1e6 / seconds);
    out.print(line);
    if (last) {
      out.println();
    }
    out.flush();
  }

  /** Records the error (the first one wins) and closes what is open; true if there was one. */
  private boolean failed(UvException e, String context) {
    if (e == null) {
      return false;
    }
    // fd operations carry no path in their message: say which file it was.
    fail(context == null || e.path() != null ? e.getMessage() : e.getMessage() + " (" + context + ")");
    return true;
  }

  private void fail(String message) {
    if (error == null) {
      error = message;
    }
    if (copied > 0) {
      out.println(); // end the progress line before the error is printed
    }
    closeBoth();
  }

  private void closeBoth() {
    if (in >= 0) {
      close(in, src);
      in = -1;
    }
    if (outFd >= 0) {
      close(outFd, dst);
      outFd = -1;
    }
  }

  private void close(int fd, String path) {
    fs.close(fd, (v, e) -> {
      if (e != null && error == null) {
        // A failed close of the destination can mean lost data (e.g. NFS, quota).
        error = e.getMessage() + " (closing '" + path + "')";
      }
    });
  }
}
