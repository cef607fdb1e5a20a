package io.uv4j.node;

import io.uv4j.Async;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A worker's end of its channel to the parent: Node's {@code parentPort}, from
 * {@link WorkerContext#parentPort()} inside a {@link Worker}.
 *
 * <p>Messages posted by the parent wait until the first {@link #onMessage} listener is added
 * (Node starts a port when it gets a 'message' listener); each is then delivered on the worker's
 * thread as a separate callback ({@link NodeRuntime#makeCallback}), in the order posted. While it
 * has a listener, an open port keeps the worker's loop alive (a ref'd libuv async handle): a
 * worker listening for messages runs until the port is {@linkplain #close() closed} or
 * {@linkplain #unref() unref'd}, it calls {@code exit}, or the parent terminates it.
 *
 * <p>Messages are Java objects passed <b>by reference</b>: Java has no structured clone, so the
 * receiver sees the very object that was posted. Post immutable values (strings, boxed numbers,
 * records of those) or objects the sender no longer touches; never share mutable state between
 * threads this way. {@link #postMessage(ByteBuffer, boolean)} copies or transfers a buffer.
 *
 * <pre>{@code
 * MessagePort parent = WorkerContext.parentPort();   // inside a Worker's code
 * parent.onMessage(m -> {
 *   parent.postMessage("got " + m);
 *   parent.close();
 * });
 * }</pre>
 */
public final class MessagePort extends EventEmitter {
  private volatile NodeRuntime node;
  private final Mailbox inbox;
  private final Mailbox outbox;
  private Async async;
  /** Whether the wake-up handle is ref'd: Node's port.ref()/unref(), also set by the first/last 'message' listener. */
  private boolean refd;
  private volatile boolean closed;
  private volatile boolean inTransit;

  /** On the receiving runtime's thread. */
  MessagePort(NodeRuntime node, Mailbox inbox, Mailbox outbox) {
    this.inbox = inbox;
    this.outbox = outbox;
    bind(node);
  }

  private void bind(NodeRuntime rt) {
    this.node = rt;
    this.async = inbox.attach(rt, box -> onWake());
    this.async.unref(); // ref'd once a listener is added
    this.refd = false;
  }

  /**
   * The sending side of a transfer ({@code postMessage(port)}, Node's transfer list): the port
   * leaves its runtime (its wake-up handle closes, queued messages stay) and is re-bound to the
   * runtime that receives it, before that runtime's listeners see it.
   */
  static Object sending(Object message) {
    if (message instanceof MessagePort p) {
      p.node.checkThread();
      if (p.closed || p.inTransit) {
        throw new IllegalStateException("a closed or already transferred MessagePort cannot be posted");
      }
      p.inTransit = true;
      p.removeAllListeners("message");
      p.inbox.suspend();
    }
    return message;
  }

  /** The receiving side of a transfer, on the receiving runtime's thread. */
  static Object received(Object message, NodeRuntime rt) {
    if (message instanceof MessagePort p && p.inTransit) {
      p.inTransit = false;
      p.bind(rt);
    }
    return message;
  }

  /** Both ends of a new {@link MessageChannel}, on {@code rt}. */
  static MessagePort[] pair(NodeRuntime rt, boolean cloning) {
    Mailbox a = new Mailbox(cloning);
    Mailbox b = new Mailbox(cloning);
    return new MessagePort[] {new MessagePort(rt, a, b), new MessagePort(rt, b, a)};
  }

  /**
   * {@code port.postMessage(value)}: {@code message} (by reference, see the class comment) is
   * delivered to the other side's 'message' listeners. Any thread; messages from one thread keep
   * their order. Dropped once this port or the other side has closed, or the other side exited.
   */
  public void postMessage(Object message) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      // Node drops it, after the clone check (a DataCloneError is still thrown).
      if (outbox.cloning) {
        Mailbox.cloneOut(message);
      }
      return;
    }
    outbox.send(message);
  }

  /**
   * Posts a buffer. {@code transfer = false}: the remaining bytes are copied into a new buffer of
   * the same kind. {@code transfer = true}: no copy, the receiver gets the same memory and the
   * sender must not use it afterwards (its limit becomes 0, like a detached ArrayBuffer; other
   * views of it the sender kept are not detached and must not be used either).
   */
  public void postMessage(ByteBuffer buffer, boolean transfer) {
    if (closed) {
      Objects.requireNonNull(buffer, "buffer");
      return;
    }
    outbox.post(Mailbox.prepare(Objects.requireNonNull(buffer, "buffer"), transfer));
  }

  /**
   * {@code port.on('message', listener)}: starts delivery; the port then keeps the loop alive.
   * ({@code on("message", args -> ...)} does the same.)
   *
   * @throws IllegalStateException off the port's runtime thread, or while the port is in transit
   */
  public MessagePort onMessage(Consumer<Object> listener) {
    Objects.requireNonNull(listener, "listener");
    if (inTransit) {
      throw new IllegalStateException("this MessagePort was transferred: listen on the receiving side");
    }
    node.checkThread();
    addTyped("message", listener, args -> listener.accept(args[0]));
    return this;
  }

  @Override
  void listenerAdded(String event) {
    if (!event.equals("message")) {
      return;
    }
    if (inTransit) {
      throw new IllegalStateException("this MessagePort was transferred: listen on the receiving side");
    }
    node.checkThread();
    if (closed) {
      return;
    }
    if (listenerCount("message") == 1) {
      setRef(true); // Node's setupPortReferencing: the first 'message' listener refs and starts the port
      if (!inbox.isEmpty()) {
        async.send(); // messages that waited for a listener: delivered in a later callback
      }
    }
  }

  /**
   * {@code port.unref()}: the port alone no longer keeps the worker alive (until {@link #ref()}, or
   * a first 'message' listener added when there was none, refs it again, as in Node).
   */
  public MessagePort unref() {
    node.checkThread();
    setRef(false);
    return this;
  }

  /**
   * {@code port.ref()}: the open port keeps the loop alive, with or without a 'message' listener
   * (as Node's; removing the last listener unrefs it again).
   */
  public MessagePort ref() {
    node.checkThread();
    setRef(true);
    return this;
  }

  /** {@code port.hasRef()}: whether the port keeps the loop alive now (open and ref'd). */
  public boolean hasRef() {
    node.checkThread();
    return !closed && refd;
  }

  /**
   * {@code port.close()}: no more messages are received here (those still queued are dropped) and
   * the port stops keeping the loop alive; messages posted to it afterwards are dropped. As in
   * Node, the port's handle closes and, in its close callback (the loop's close phase), the other
   * side is sent a close message and then this port emits {@code 'close'}. The other side gets
   * the messages sent before, then closes itself and emits its own {@code 'close'} (also when
   * it has no 'message' listener). A worker's {@code parentPort} has no port on the other side.
   */
  public void close() {
    node.checkThread();
    if (closed) {
      return;
    }
    closed = true;
    NodeRuntime rt = node;
    Runnable onClosed = () -> {
      outbox.post(Mailbox.CLOSE);
      rt.makeCallback(() -> emit("close"));
    };
    if (!inbox.detach(onClosed)) {
      rt.nextTick(onClosed);
    }
  }

  @Override
  void listenerRemoved(String event) {
    if (event.equals("message") && !inTransit && listenerCount("message") == 0) {
      setRef(false); // the last 'message' listener gone: unref'd and stopped (messages wait)
    }
  }

  private void setRef(boolean on) {
    if (closed) {
      return;
    }
    refd = on;
    if (on) {
      async.ref();
    } else {
      async.unref();
    }
  }

  private void onWake() {
    if (closed) {
      return;
    }
    if (listenerCount("message") == 0) {
      // Not started: messages wait in the queue, but a close message first in it is handled.
      if (inbox.takeCloseIfFirst()) {
        close();
      }
      return;
    }
    inbox.drain(m -> {
      if (m == Mailbox.CLOSE) {
        close();
      } else {
        node.makeCallback(() -> deliver(this, m, node));
      }
    });
  }

  /**
   * Emits 'message' on {@code target}, or 'messageerror' with the exception when a cloned message
   * cannot be deserialized here (Node: a message that fails to deserialize).
   */
  static void deliver(EventEmitter target, Object m, NodeRuntime rt) {
    if (m instanceof Mailbox.Cloned c) {
      Object value;
      try {
        value = Mailbox.open(c);
      } catch (Exception | LinkageError e) {
        target.emit("messageerror", e);
        return;
      }
      target.emit("message", value);
    } else {
      target.emit("message", received(m, rt));
    }
  }

  /**
   * {@code port.on('messageerror', listener)}: a message that could not be deserialized here (a
   * channel that clones: a class this thread's context class loader cannot load, or a failing
   * {@code readObject}); the listener gets the exception and the message is dropped.
   */
  public MessagePort onMessageError(Consumer<Throwable> listener) {
    Objects.requireNonNull(listener, "listener");
    node.checkThread();
    addTyped("messageerror", listener, args -> listener.accept((Throwable) args[0]));
    return this;
  }
}
