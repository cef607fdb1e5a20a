package io.uv4j.node;

import io.uv4j.Async;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One direction of a message channel between two runtimes: a queue any thread appends to, and an
 * {@link Async} on the receiving loop that wakes it (sends coalesce: one wake-up drains many
 * messages). Messages posted before the receiver attaches its Async wait in the queue.
 */
final class Mailbox {
  /** Messages handled per wake-up before the loop gets back to its other work. */
  private static final int BATCH = 1000;

  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  /** The receiver's wake-up; null before {@link #attach} and after {@link #detach}. */
  private volatile Async async;

  /** Any thread: queues {@code message} and wakes the receiver (dropped once it has closed). */
  void post(Object message) {
    queue.add(message);
    wake();
  }

  private void wake() {
    Async a = async;
    if (a != null) {
      try {
        a.send();
      } catch (IllegalStateException closed) {
        // The receiver closed its side: like Node, messages to a closed port are dropped.
      }
    }
  }

  /**
   * On the receiving runtime's thread: creates the Async on its loop; {@code onWake} runs there
   * for each wake-up and takes messages with {@link #drain}. Messages already queued are signalled.
   */
  Async attach(NodeRuntime receiver, Consumer<Mailbox> onWake) {
    Async a = new Async(receiver.loop(), x -> onWake.accept(this));
    async = a;
    // A post that saw no Async before the line above left its message for this wake-up.
    if (!queue.isEmpty()) {
      a.send();
    }
    return a;
  }

  /**
   * Receiver thread: closes the Async but keeps the queue, for a port in transit to another
   * runtime (posts wait for its {@link #attach} there).
   */
  void suspend() {
    Async a = async;
    async = null;
    if (a != null) {
      a.close();
    }
  }

  /** Receiver thread: closes the Async; later posts are dropped. */
  void detach() {
    Async a = async;
    async = null;
    if (a != null) {
      a.close();
    }
    queue.clear();
  }

  /**
   * Receiver thread, from the wake-up: hands at most one batch of messages to {@code deliver},
   * and signals again if more are left so the loop's other callbacks are not starved.
   */
  void drain(Consumer<Object> deliver) {
    for (int i = 0; i < BATCH; i++) {
      Object m = queue.poll();
      if (m == null) {
        return;
      }
      deliver.accept(m);
      if (async == null) {
        return; // closed by the message just delivered
      }
    }
    if (!queue.isEmpty()) {
      wake();
    }
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  // ---------------------------------------------------------------- message values

  /**
   * What crosses for {@code postMessage(buf, transfer)}: with {@code transfer}, the receiver gets
   * a view of the same memory (position, limit and byte order as given) and the sender's buffer
   * is emptied (limit 0: reads and writes through it fail, like a detached ArrayBuffer); without,
   * a copy of the remaining bytes in a new buffer of the same kind (direct or heap).
   */
  static ByteBuffer prepare(ByteBuffer buf, boolean transfer) {
    if (transfer) {
      ByteBuffer moved = buf.duplicate().order(buf.order());
      buf.limit(0);
      return moved;
    }
    ByteBuffer copy = buf.isDirect() ? ByteBuffer.allocateDirect(buf.remaining())
        : ByteBuffer.allocate(buf.remaining());
    copy.put(buf.duplicate());
    copy.flip();
    return copy.order(buf.order());
  }
}
