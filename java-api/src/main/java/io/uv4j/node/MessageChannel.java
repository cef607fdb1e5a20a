package io.uv4j.node;

import java.util.Objects;

/**
 * {@code new MessageChannel()}: two entangled {@link MessagePort}s; what one posts, the other's
 * {@code 'message'} listeners receive. Both start on the runtime that creates the channel; a port
 * posted as a message ({@code worker.postMessage(channel.port2())}, Node's transfer list) moves
 * to the runtime that receives it, with the messages still queued for it.
 *
 * <pre>{@code
 * MessageChannel ch = new MessageChannel(node);
 * ch.port1().onMessage(m -> System.out.println("got " + m));
 * worker.postMessage(ch.port2());   // the worker talks on it directly
 * }</pre>
 */
public final class MessageChannel {
  private final MessagePort port1;
  private final MessagePort port2;

  /**
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off {@code node}'s thread
   */
  public MessageChannel(NodeRuntime node) {
    this(node, false);
  }

  /**
   * A channel whose messages are cloned when {@code cloneMessages} (see
   * {@link Worker.Options#withCloneMessages}): postMessage throws a DataCloneError for a value
   * that cannot be serialized, and a port emits 'messageerror' for one it cannot deserialize.
   *
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off {@code node}'s thread
   */
  public MessageChannel(NodeRuntime node, boolean cloneMessages) {
    Objects.requireNonNull(node, "node").checkThread();
    MessagePort[] ports = MessagePort.pair(node, cloneMessages);
    this.port1 = ports[0];
    this.port2 = ports[1];
  }

  /** {@code channel.port1}. */
  public MessagePort port1() {
    return port1;
  }

  /** {@code channel.port2}. */
  public MessagePort port2() {
    return port2;
  }
}
