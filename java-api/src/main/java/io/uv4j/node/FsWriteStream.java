package io.uv4j.node;

import io.uv4j.Fs;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code fs.WriteStream}: opens the file ({@code 'open'}, {@code 'ready'}), writes chunks in
 * order (several buffered ones in one vectored write), {@code 'finish'} after
 * {@link #end()}, then closes ({@code 'close'}).
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * NodeFs.WriteStream out = fs.createWriteStream("/tmp/copy.txt");
 * fs.createReadStream("/etc/hostname").pipe(out);
 * out.on("finish", a -> System.out.println("all written"));
 * }</pre>
 */
public class FsWriteStream extends NodeStream {
  private final NodeFs nfs;
  private final String path;
  private final String flags;
  private int fd = -1;
  private long pos;
  private long bytesWritten;
  private boolean performingIO;
  private Runnable onIoDone;

  FsWriteStream(NodeFs nfs, String path, String flags, int highWaterMark, long start) {
    super(nfs.node, false, true, 0, highWaterMark);
    if (start < -1) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"start\" is out of range. It must be >= 0. Received " + start);
    }
    this.pos = start;
    this.nfs = nfs;
    this.path = Objects.requireNonNull(path, "path");
    this.flags = flags;
    NodeFs.flags(flags); // validates now, as Node does
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
    nfs.fs.open(path, NodeFs.flags(flags), 0666, nfs.step((fd, err) -> {
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
    long before = FsFiles.remaining(bufs);
    nfs.files().writeAll(fd, bufs, pos, err -> {
      performingIO = false;
      long written = before - FsFiles.remaining(bufs);
      bytesWritten += written;
      if (pos >= 0) {
        pos += written;
      }
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
      onIoDone = () -> NodeFs.closeFd(nfs, fd, err, cb, () -> fd = -1);
    } else {
      NodeFs.closeFd(nfs, fd, err, cb, () -> fd = -1);
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
