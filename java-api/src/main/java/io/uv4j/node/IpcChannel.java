package io.uv4j.node;

import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.UvException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The IPC channel of a forked child, on either side (Node's setupChannel in
 * lib/internal/child_process.js): newline-delimited JSON over an IPC {@link Pipe}. Messages are
 * emitted as {@code 'message'} on the target (the {@link Subprocess} in the parent, the
 * {@link ParentProcess} in the child) on the tick after the read that completed them;
 * {@code 'disconnect'} on the tick after a disconnect (ours, or the peer's end of file).
 */
final class IpcChannel {
  /** Node's threshold for send()'s return value: more than this queued and send returns false. */
  private static final long QUEUE_LIMIT = 65536 * 2;

  private final NodeRuntime node;
  private final EventEmitter target;
  private final Runnable onChannelClosed;
  private Pipe pipe; // null once disconnected (Node: target.channel === null)
  private boolean connected = true;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  IpcChannel(NodeRuntime node, EventEmitter target, Pipe pipe, Runnable onChannelClosed) {
    this.node = node;
    this.target = target;
    this.pipe = pipe;
    this.onChannelClosed = onChannelClosed;
  }

  void start() {
    pipe.readStart(reader);
  }

  Pipe pipe() {
    return pipe;
  }

  boolean connected() {
    return connected;
  }

  private final ReadCallback reader = new ReadCallback() {
    @Override
    public void onData(Stream stream, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      node.makeCallback(() -> onRead(copy));
    }

    @Override
    public void onEnd(Stream stream) {
      node.makeCallback(IpcChannel.this::onEof);
    }

    @Override
    public void onError(Stream stream, UvException error) {
      node.makeCallback(IpcChannel.this::onEof);
    }
  };

  private void onRead(byte[] chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        partial.write(chunk, start, i - start);
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        start = i + 1;
        Object message;
        try {
          message = Json.parse(line);
        } catch (IllegalArgumentException e) {
          throw new NodeError("ERR_IPC_BAD_MESSAGE", "IPC message is not JSON: " + e.getMessage(), e);
        }
        handleMessage(message);
      }
    }
    partial.write(chunk, start, chunk.length - start);
  }

  private void handleMessage(Object message) {
    if (pipe == null) {
      return;
    }
    String event = "message";
    if (message instanceof Map) {
      Object cmd = ((Map<?, ?>) message).get("cmd");
      if (cmd instanceof String && ((String) cmd).length() > 5 && ((String) cmd).startsWith("NODE_")) {
        event = "internalMessage";
      }
    }
    String e = event;
    node.nextTick(() -> target.emit(e, message, null));
  }

  private void onEof() {
    partial.reset();
    if (connected) {
      disconnect();
    }
    closePipe();
    onChannelClosed.run();
  }

  private Pipe closingPipe;

  private void closePipe() {
    Pipe p = pipe != null ? pipe : closingPipe;
    pipe = null;
    if (p != null && !p.isClosing()) {
      p.close();
    }
  }

  /** {@code send(message, callback)}; see {@link Subprocess#send}. */
  boolean send(Object message, Consumer<Throwable> callback) {
    if (!connected) {
      NodeError ex = new NodeError("ERR_IPC_CHANNEL_CLOSED", "Channel closed");
      if (callback != null) {
        node.nextTick(() -> callback.accept(ex));
      } else {
        node.nextTick(() -> target.emit("error", ex));
      }
      return false;
    }
    byte[] bytes = (Json.stringify(message) + "\n").getBytes(StandardCharsets.UTF_8);
    int done;
    try {
      done = pipe.tryWrite(ByteBuffer.wrap(bytes));
    } catch (UvException e) {
      done = e.code() == io.uv4j.Errno.EAGAIN ? 0 : -1;
      if (done < 0) {
        failed(SystemError.errno(e, "write"), callback);
        return false;
      }
    }
    if (done == bytes.length) {
      if (callback != null) {
        node.nextTick(() -> callback.accept(null));
      }
    } else {
      try {
        pipe.write(bytes, done, bytes.length - done, (s, err) -> node.makeCallback(() -> {
          if (callback != null) {
            callback.accept(err == null ? null : SystemError.errno(err, "write"));
          }
        }));
      } catch (UncheckedIOException e) {
        failed(SystemError.errno((UvException) e.getCause(), "write"), callback);
        return false;
      }
    }
    return pipe.writeQueueSize() < QUEUE_LIMIT;
  }

  private void failed(SystemError ex, Consumer<Throwable> callback) {
    if (callback != null) {
      node.nextTick(() -> callback.accept(ex));
    } else {
      node.nextTick(() -> target.emit("error", ex));
    }
  }

  /** {@code disconnect()}: no more sends; the pipe closes and 'disconnect' follows on the next tick. */
  void disconnect() {
    if (!connected) {
      target.emit("error", new NodeError("ERR_IPC_DISCONNECTED", "IPC channel is already disconnected"));
      return;
    }
    connected = false;
    Pipe p = pipe;
    closingPipe = p;
    pipe = null;
    node.nextTick(() -> {
      if (p != null && !p.isClosing()) {
        p.close();
      }
      target.emit("disconnect");
    });
  }

  void ref() {
    Pipe p = pipe;
    if (p != null && !p.isClosing()) {
      p.ref();
    }
  }

  void unref() {
    Pipe p = pipe;
    if (p != null && !p.isClosing()) {
      p.unref();
    }
  }
}
