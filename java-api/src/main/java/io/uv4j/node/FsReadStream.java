package io.uv4j.node;

import io.uv4j.Fs;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code fs.ReadStream}: opens the file (events {@code 'open'} with the fd, {@code 'ready'}),
 * reads it in chunks of the high-water mark ({@code 'data'}, {@code 'end'}), closes it
 * ({@code 'close'}). Errors: {@code 'error'} then {@code 'close'}.
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * NodeFs.ReadStream in = fs.createReadStream("/etc/hostname");
 * in.onData(chunk -> System.out.println(chunk.length + " bytes"));
 * in.on("close", a -> System.out.println("closed"));
 * }</pre>
 */
public class FsReadStream extends NodeStream {
  /** Node's default for file read streams: 64 KiB. */
  public static final int DEFAULT_HIGH_WATER_MARK = 64 * 1024;

  private final NodeFs nfs;
  private final String path;
  private final int openFlags;
  private final long end;
  private long pos;
  private int fd = -1;
  private long bytesRead;
  private boolean performingIO;
  private Runnable onIoDone;

  FsReadStream(NodeFs nfs, String path, String flags, int highWaterMark, long start, long end, String encoding) {
    super(nfs.node, new Options(true, false, false, false, highWaterMark, 0, encoding));
    this.nfs = nfs;
    this.path = Objects.requireNonNull(path, "path");
    this.openFlags = NodeFs.flags(flags);
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
    nfs.fs.open(path, openFlags, 0666, nfs.step((fd, err) -> {
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
      onIoDone = () -> NodeFs.closeFd(this.nfs, fd, err, cb, () -> fd = -1);
    } else {
      NodeFs.closeFd(nfs, fd, err, cb, () -> fd = -1);
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
