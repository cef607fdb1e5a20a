package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A {@code net.Socket} over a {@link Pipe}: what Node gives for a child process's piped stdio
 * ({@code child.stdin}, {@code child.stdout}, {@code child.stderr}). Events as
 * {@link Net.Socket}'s: {@code 'data'} (byte[] copies), {@code 'end'}, {@code 'finish'},
 * {@code 'drain'}, {@code 'error'}, {@code 'close'} (with {@code hadError}, from the libuv close
 * callback). A readable socket starts reading at once; when it ends it ends its own writable side
 * too (Node's {@code allowHalfOpen: false}), which shuts down nothing on a read-only pipe and lets
 * the socket close. A socket made with {@code readable = false} (a child's stdin) is writable
 * only.
 *
 * <pre>{@code
 * Subprocess child = NodeChildProcess.of(node).spawn("tr", List.of("a-z", "A-Z"), null);
 * PipeSocket out = child.stdout();
 * out.onData(b -> System.out.print(new String(b, StandardCharsets.UTF_8))); // HELLO
 * child.stdin().end("hello\n");
 * }</pre>
 */
public final class PipeSocket extends NodeStream {
  private Pipe handle;
  private boolean handleReading;
  private boolean peerEnded;
  private long bytesRead;
  private long bytesWritten;

  /**
   * Wraps {@code pipe}, which must be open (e.g. created for a child by
   * {@link io.uv4j.ChildProcess#spawn}) and belong to {@code node}'s loop.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the pipe belongs to another loop
   * @throws IllegalStateException if not called on the runtime's thread
   */
  public PipeSocket(NodeRuntime node, Pipe pipe, boolean readable) {
    super(node, readable, true, DEFAULT_HIGH_WATER_MARK, DEFAULT_HIGH_WATER_MARK);
    java.util.Objects.requireNonNull(pipe, "pipe");
    if (pipe.loop() != node.loop()) {
      throw new IllegalArgumentException(pipe + " belongs to another loop");
    }
    setAllowHalfOpen(false);
    setEmitClose(false); // 'close' comes from the handle's close callback
    this.handle = pipe;
    on("end", () -> peerEnded = true);
    if (readable) {
      read(0);
    }
  }

  /** The pipe underneath, or null once destroyed. */
  public Pipe handle() {
    return handle;
  }

  // ---------------------------------------------------------------- reading

  private final ReadCallback reader = new ReadCallback() {
    @Override
    public void onData(Stream stream, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      node.makeCallback(() -> onStreamData(copy));
    }

    @Override
    public void onEnd(Stream stream) {
      node.makeCallback(() -> {
        if (!readableEnded()) {
          push(null);
          read(0);
        }
      });
    }

    @Override
    public void onError(Stream stream, UvException error) {
      node.makeCallback(() -> destroy(SystemError.errno(error, "read")));
    }
  };

  private void onStreamData(byte[] chunk) {
    bytesRead += chunk.length;
    if (isDestroyed()) {
      return;
    }
    if (!push(chunk)) {
      handleReading = false;
      if (handle != null) {
        handle.readStop();
      }
    }
  }

  @Override
  protected void doRead(int size) {
    if (handle != null && !handleReading) {
      handleReading = true;
      try {
        handle.readStart(reader);
      } catch (UncheckedIOException e) {
        destroy(SystemError.errno((UvException) e.getCause(), "read"));
      }
    }
  }

  // ---------------------------------------------------------------- writing

  @Override
  public boolean write(byte[] chunk, Consumer<Throwable> cb) {
    if (!peerEnded || !writableEnded()) {
      return super.write(chunk, cb);
    }
    NodeError er = new NodeError("EPIPE", "This socket has been ended by the other party");
    if (cb != null) {
      node.nextTick(() -> cb.accept(er));
    }
    destroy(er);
    return false;
  }

  @Override
  protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
    if (handle == null) {
      cb.accept(new NodeError("ERR_SOCKET_CLOSED", "Socket is closed"));
      return;
    }
    int done;
    try {
      done = handle.tryWrite(ByteBuffer.wrap(chunk));
    } catch (UvException e) {
      cb.accept(SystemError.errno(e, "write"));
      return;
    }
    if (done == chunk.length) {
      bytesWritten += done;
      cb.accept(null);
      return;
    }
    try {
      handle.write(chunk, done, chunk.length - done, (s, err) -> node.makeCallback(() -> {
        if (isDestroyed()) {
          cb.accept(null);
        } else if (err != null) {
          cb.accept(SystemError.errno(err, "write"));
        } else {
          bytesWritten += chunk.length;
          cb.accept(null);
        }
      }));
    } catch (UncheckedIOException e) {
      cb.accept(SystemError.errno((UvException) e.getCause(), "write"));
    }
  }

  @Override
  protected boolean hasFinal() {
    return true;
  }

  @Override
  protected void doFinal(Consumer<Throwable> cb) {
    if (handle == null) {
      cb.accept(null);
      return;
    }
    try {
      handle.shutdown((s, err) -> node.makeCallback(() -> cb.accept(null)));
    } catch (UncheckedIOException e) {
      UvException ue = (UvException) e.getCause();
      cb.accept(ue.code() == Errno.ENOTCONN ? null : SystemError.errno(ue, "shutdown"));
    } catch (IllegalStateException e) {
      cb.accept(null); // a shutdown is already under way
    }
  }

  // ---------------------------------------------------------------- closing

  @Override
  protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
    if (handle != null) {
      boolean isException = err != null;
      Pipe h = handle;
      handle = null;
      h.close(() -> node.makeCallback(() -> emit("close", isException)));
      cb.accept(err);
    } else {
      cb.accept(err);
      node.nextTick(() -> emit("close", err != null));
    }
  }

  /** Bytes read so far. */
  public long bytesRead() {
    return bytesRead;
  }

  /** Bytes written so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Lets the loop end while this pipe is open ({@code socket.unref()}). */
  public PipeSocket unref() {
    if (handle != null) {
      handle.unref();
    }
    return this;
  }

  /** Undoes {@link #unref()}. */
  public PipeSocket ref() {
    if (handle != null) {
      handle.ref();
    }
    return this;
  }
}
