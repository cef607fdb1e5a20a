package io.uv4j.node;

import io.uv4j.Pipe;
import io.uv4j.UvException;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Consumer;

/**
 * A forked child's side of its IPC channel: Node's {@code process.send},
 * {@code process.on('message')}, {@code process.disconnect()}, {@code process.connected} and
 * {@code 'disconnect'}. {@link #of} opens the channel the parent passed in
 * {@code NODE_CHANNEL_FD} (an IPC {@link Pipe} on that descriptor). As in Node the channel does not
 * keep the loop alive by itself: only while {@code 'message'} or {@code 'disconnect'} listeners
 * exist (or a send is being written).
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *   NodeRuntime.run(node -> {
 *     ParentProcess parent = ParentProcess.of(node);
 *     parent.on("message", a -> parent.send(Map.of("echo", a[0])));
 *   });
 * }
 * }</pre>
 */
public final class ParentProcess extends EventEmitter {
  private static final Map<NodeRuntime, ParentProcess> CHANNELS = new WeakHashMap<>();

  private final IpcChannel channel;
  private int refs;

  private ParentProcess(NodeRuntime node, Pipe pipe) {
    this.channel = new IpcChannel(node, this, pipe, () -> { });
    pipe.unref();
    channel.start();
  }

  /**
   * The channel to the parent of this process, opened on first use, or null when this process
   * was not forked with one ({@code NODE_CHANNEL_FD} unset).
   *
   * @throws NodeError ERR_IPC_... if {@code NODE_CHANNEL_FD} is not a descriptor number, or
   *     {@code NODE_CHANNEL_SERIALIZATION_MODE} is not {@code json}
   * @throws SystemError if the descriptor cannot be opened as a pipe
   * @throws IllegalStateException if not called on the runtime's thread
   */
  public static ParentProcess of(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    synchronized (CHANNELS) {
      ParentProcess p = CHANNELS.get(node);
      if (p != null) {
        return p;
      }
      String fd = System.getenv("NODE_CHANNEL_FD");
      if (fd == null) {
        return null;
      }
      String mode = System.getenv("NODE_CHANNEL_SERIALIZATION_MODE");
      if (mode != null && !mode.equals("json")) {
        throw new NodeError("ERR_IPC_SYNC_FORK", "unsupported IPC serialization '" + mode + "' (only json)");
      }
      int n;
      try {
        n = Integer.parseInt(fd);
      } catch (NumberFormatException e) {
        throw new NodeError("ERR_INVALID_ARG_VALUE", "NODE_CHANNEL_FD is not a descriptor: " + fd);
      }
      Pipe pipe = new Pipe(node.loop(), true);
      try {
        pipe.open(n);
      } catch (UvException e) {
        pipe.close();
        throw SystemError.from(e, "open");
      } catch (RuntimeException e) {
        pipe.close();
        throw e;
      }
      p = new ParentProcess(node, pipe);
      CHANNELS.put(node, p);
      return p;
    }
  }

  /** {@code process.connected}. */
  public boolean connected() {
    return channel.connected();
  }

  /** {@code process.send(message)}; see {@link Subprocess#send(Object, Consumer)}. */
  public boolean send(Object message) {
    return channel.send(message, null);
  }

  /** {@code process.send(message, callback)}; see {@link Subprocess#send(Object, Consumer)}. */
  public boolean send(Object message, Consumer<Throwable> callback) {
    return channel.send(message, callback);
  }

  /**
   * {@code process.send(message, sendHandle, callback)}: with a handle; see
   * {@link Subprocess#send(Object, Object, Consumer)}.
   */
  public boolean send(Object message, Object sendHandle, Consumer<Throwable> callback) {
    return sendHandle == null ? channel.send(message, callback)
        : channel.sendHandle(message, sendHandle, false, callback);
  }

  /** Keeps the channel referenced (cluster: a server listening through the primary). */
  void holdRef() {
    if (refs++ == 0) {
      channel.ref();
    }
  }

  void releaseRef() {
    if (--refs == 0) {
      channel.unref();
    }
  }

  /** {@code process.disconnect()}: closes the channel; 'disconnect' follows on the next tick. */
  public void disconnect() {
    channel.disconnect();
  }

  @Override
  void listenerAdded(String event) {
    if ((event.equals("message") || event.equals("disconnect")) && refs++ == 0) {
      channel.ref();
    }
  }

  @Override
  void listenerRemoved(String event) {
    if ((event.equals("message") || event.equals("disconnect")) && --refs == 0) {
      channel.unref();
    }
  }
}
