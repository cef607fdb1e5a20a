package io.uv4j.node;

import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The IPC channel of a forked child, on either side (Node's setupChannel in
 * lib/internal/child_process.js): newline-delimited JSON over an IPC {@link Pipe}. Messages are
 * emitted as {@code 'message'} on the target (the {@link Subprocess} in the parent, the
 * {@link ParentProcess} in the child) on the tick after the read that completed them;
 * {@code 'disconnect'} on the tick after a disconnect (ours, or the peer's end of file).
 *
 * <p>A message can carry a handle, as in Node: the JSON line is the wrapper
 * {@code {"cmd":"NODE_HANDLE","type":...,"msg":message}} written with {@link Pipe#write2} together
 * with the descriptor, so the descriptor arrives with the first byte of its message. The reader
 * takes every received descriptor in the read callback that delivered it (a FIFO of accepted
 * handles), and each NODE_HANDLE line, once complete, takes the oldest one: message and handle are
 * emitted together ({@code 'message'} or, for a {@code NODE_*} inner message,
 * {@code 'internalMessage'}, with {@code (message, handle)}), and a {@code NODE_HANDLE_ACK} is
 * sent back as Node does. Types: {@code net.Server} (a {@link Net.Server} listening on the
 * received socket), {@code net.Socket} (a connected {@link Net.Socket}), {@code net.Native} (the
 * raw {@link Tcp}, what {@code cluster} uses).
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
  /** Descriptors received and not yet matched with their NODE_HANDLE message. */
  private final ArrayDeque<Tcp> received = new ArrayDeque<>();

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
      takePending((Pipe) stream);
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

  /** Takes every descriptor that came with this read (libuv wants them taken in its callback). */
  private void takePending(Pipe p) {
    while (p.pendingCount() > 0) {
      if (p.pendingType() == Uv.HandleType.TCP) {
        Tcp t = new Tcp(p.loop());
        p.acceptPending(t);
        received.add(t);
      } else {
        p.discardPending(); // only TCP handles travel on uv4j's channels
      }
    }
  }

  private void handleMessage(Object message) {
    if (pipe == null) {
      return;
    }
    if (message instanceof Map && "NODE_HANDLE".equals(((Map<?, ?>) message).get("cmd"))) {
      Map<?, ?> wrapper = (Map<?, ?>) message;
      Tcp tcp = received.poll();
      sendAck();
      Object inner = wrapper.get("msg");
      if (tcp == null) {
        throw new NodeError("ERR_IPC_BAD_MESSAGE", "a NODE_HANDLE message came without a handle");
      }
      Object handle = wrap(tcp, String.valueOf(wrapper.get("type")));
      String ev = isInternal(inner) ? "internalMessage" : "message";
      node.nextTick(() -> target.emit(ev, inner, handle));
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

  private static boolean isInternal(Object message) {
    if (message instanceof Map) {
      Object cmd = ((Map<?, ?>) message).get("cmd");
      return cmd instanceof String && ((String) cmd).length() > 5 && ((String) cmd).startsWith("NODE_");
    }
    return false;
  }

  private Object wrap(Tcp tcp, String type) {
    switch (type) {
      case "net.Server": {
        Net.Server server = Net.of(node).createServer();
        server.listenOn(tcp, Net.DEFAULT_BACKLOG);
        return server;
      }
      case "net.Socket":
        return Net.of(node).socketOn(tcp);
      default:
        return tcp;
    }
  }

  private void sendAck() {
    Map<String, Object> ack = new LinkedHashMap<>();
    ack.put("cmd", "NODE_HANDLE_ACK");
    if (connected) {
      send(ack, null);
    }
  }

  private void closeReceived() {
    Tcp t;
    while ((t = received.poll()) != null) {
      t.close();
    }
  }

  private void onEof() {
    partial.reset();
    closeReceived();
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

  /**
   * {@code send(message, handle)}: {@code message} wrapped in a NODE_HANDLE line, written with
   * {@code handle}'s descriptor. {@code handle} is a {@link Net.Server} (stays open here), a
   * {@link Net.Socket} (paused, and destroyed here once written unless {@code keepOpen}) or a raw
   * {@link Tcp} (left to the caller: close it from {@code callback} if it is not needed here;
   * closing it while the write is queued would fail the write with EBADF).
   */
  boolean sendHandle(Object message, Object handle, boolean keepOpen, Consumer<Throwable> callback) {
    Tcp tcp;
    String type;
    Runnable after = null;
    if (handle instanceof Net.Server) {
      tcp = ((Net.Server) handle).tcp();
      type = "net.Server";
      if (tcp == null) {
        throw new NodeError("ERR_SERVER_NOT_RUNNING", "Server is not running.");
      }
    } else if (handle instanceof Net.Socket) {
      Net.Socket socket = (Net.Socket) handle;
      tcp = socket.tcp();
      type = "net.Socket";
      if (tcp == null || socket.isDestroyed()) {
        throw new NodeError("ERR_SOCKET_CLOSED", "Socket is closed");
      }
      socket.pause();
      if (!keepOpen) {
        after = socket::destroy;
      }
    } else if (handle instanceof Tcp) {
      tcp = (Tcp) handle;
      type = "net.Native";
    } else {
      throw new NodeError("ERR_INVALID_HANDLE_TYPE", "This handle type cannot be sent: "
          + (handle == null ? "null" : handle.getClass().getName()));
    }
    if (!connected) {
      failed(new NodeError("ERR_IPC_CHANNEL_CLOSED", "Channel closed"), callback);
      return false;
    }
    Map<String, Object> wrapper = new LinkedHashMap<>();
    wrapper.put("cmd", "NODE_HANDLE");
    wrapper.put("type", type);
    wrapper.put("msg", message);
    byte[] bytes = (Json.stringify(wrapper) + "\n").getBytes(StandardCharsets.UTF_8);
    Runnable afterWrite = after;
    try {
      pipe.write2(bytes, tcp, (s, err) -> node.makeCallback(() -> {
        if (afterWrite != null) {
          afterWrite.run();
        }
        if (callback != null) {
          callback.accept(err == null ? null : SystemError.errno(err, "write"));
        }
      }));
    } catch (UncheckedIOException e) {
      failed(SystemError.errno((UvException) e.getCause(), "write"), callback);
      return false;
    }
    return pipe.writeQueueSize() < QUEUE_LIMIT;
  }

  private void failed(NodeError ex, Consumer<Throwable> callback) {
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
    closeReceived();
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
