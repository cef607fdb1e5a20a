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
public final class MessagePort {
  private final NodeRuntime node;
  private final Mailbox inbox;
  private final Mailbox outbox;
  private final Async async;
  private final List<Consumer<Object>> listeners = new ArrayList<>();
  private boolean wantRef = true;
  private boolean closed;

  /** On the receiving runtime's thread. */
  MessagePort(NodeRuntime node, Mailbox inbox, Mailbox outbox) {
    this.node = node;
    this.inbox = inbox;
    this.outbox = outbox;
    this.async = inbox.attach(node, box -> onWake());
    this.async.unref(); // ref'd once a listener is added
  }

  /**
   * {@code port.postMessage(value)}: {@code message} (by reference, see the class comment) is
   * delivered to the other side's 'message' listeners. Any thread; messages from one thread keep
   * their order. Dropped once the other side has closed or exited.
   */
  public void postMessage(Object message) {
    outbox.post(Objects.requireNonNull(message, "message"));
  }

  /**
   * Posts a buffer. {@code transfer = false}: the remaining bytes are copied into a new buffer of
   * the same kind. {@code transfer = true}: no copy, the receiver gets the same memory and the
   * sender must not use it afterwards (its limit becomes 0, like a detached ArrayBuffer; other
   * views of it the sender kept are not detached and must not be used either).
   */
  public void postMessage(ByteBuffer buffer, boolean transfer) {
    outbox.post(Mailbox.prepare(Objects.requireNonNull(buffer, "buffer"), transfer));
  }

  /** {@code port.on('message', listener)}: starts delivery; the port then keeps the loop alive. */
  public MessagePort onMessage(Consumer<Object> listener) {
    Objects.requireNonNull(listener, "listener");
    node.checkThread();
    if (closed) {
      return this;
    }
    listeners.add(listener);
    if (listeners.size() == 1) {
      updateRef();
      if (!inbox.isEmpty()) {
        async.send(); // messages that waited for a listener: delivered in a later callback
      }
    }
    return this;
  }

  /** {@code port.unref()}: the port alone no longer keeps the worker alive. */
  public MessagePort unref() {
    node.checkThread();
    wantRef = false;
    updateRef();
    return this;
  }

  /** {@code port.ref()}: undoes {@link #unref()}. */
  public MessagePort ref() {
    node.checkThread();
    wantRef = true;
    updateRef();
    return this;
  }

  /** Whether the port keeps the loop alive now (open, listened to, not unref'd). */
  public boolean hasRef() {
    node.checkThread();
    return !closed && wantRef && !listeners.isEmpty();
  }

  /**
   * {@code port.close()}: no more messages are received here (those still queued are dropped) and
   * the port stops keeping the loop alive; messages posted to it afterwards are dropped.
   */
  public void close() {
    node.checkThread();
    if (closed) {
      return;
    }
    closed = true;
    listeners.clear();
    inbox.detach();
  }

  private void updateRef() {
    if (closed) {
      return;
    }
    if (wantRef && !listeners.isEmpty()) {
      async.ref();
    } else {
      async.unref();
    }
  }

  private void onWake() {
    if (listeners.isEmpty()) {
      return; // not started: messages wait in the queue
    }
    inbox.drain(m -> node.makeCallback(() -> {
      for (Consumer<Object> l : new ArrayList<>(listeners)) {
        l.accept(m);
      }
    }));
  }
}
