package io.uv4j.node;

import io.uv4j.Async;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Map;
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
  /** Set by {@link #detach}: the receiver closed, later posts are dropped. */
  private volatile boolean detached;

  /**
   * Node's close message: what a closing port leaves in its peer's queue, after the messages it
   * sent before; the peer closes itself when it reaches it.
   */
  static final Object CLOSE = new Object() {
    @Override
    public String toString() {
      return "Mailbox.CLOSE";
    }
  };
  /** Whether messages are cloned (serialized by the sender, deserialized by the receiver). */
  final boolean cloning;

  Mailbox() {
    this(false);
  }

  Mailbox(boolean cloning) {
    this.cloning = cloning;
  }

  /**
   * Any thread, for {@code postMessage(message)}: clones it first when this channel clones (the
   * sender's DataCloneError is thrown here, before anything is queued), then queues it.
   */
  void send(Object message) {
    Object out = cloning ? cloneOut(message) : message;
    post(MessagePort.sending(out));
  }

  /** Any thread: queues {@code message} and wakes the receiver (dropped once it has closed). */
  void post(Object message) {
    if (detached) {
      return;
    }
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
    detach(null);
  }

  /**
   * Receiver thread: {@link #detach()}, with {@code onClosed} run in the Async's close callback
   * (the loop's close phase). Returns false, without running it, if there was no Async.
   */
  boolean detach(Runnable onClosed) {
    detached = true;
    Async a = async;
    async = null;
    queue.clear();
    if (a == null) {
      return false;
    }
    a.close(onClosed);
    return true;
  }

  /** Receiver thread: takes the close message if it is first in the queue. */
  boolean takeCloseIfFirst() {
    if (queue.peek() == CLOSE) {
      queue.poll();
      return true;
    }
    return false;
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

  // ---------------------------------------------------------------- cloning (structured clone in Java)

  /** A message serialized by its sender, deserialized by the receiver ({@link #open}). */
  record Cloned(byte[] bytes) { }

  /**
   * Node's structured clone mapped to Java: immutable values (strings, boxed primitives, enums,
   * BigInteger/BigDecimal) and what crosses by transfer (MessagePort, ByteBuffer) pass as they
   * are; anything else is serialized now, and what cannot be is refused synchronously with a
   * DataCloneError, as Node's postMessage throws for a function or a socket.
   */
  static Object cloneOut(Object message) {
    if (message instanceof MessagePort || message instanceof ByteBuffer || immutable(message)) {
      return message;
    }
    if (!(message instanceof Serializable)) {
      throw dataCloneError(message, null);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(message);
    } catch (IOException | RuntimeException e) {
      throw dataCloneError(message, e);
    }
    return new Cloned(bytes.toByteArray());
  }

  private static boolean immutable(Object m) {
    return m instanceof String || m instanceof Number && (m instanceof Integer || m instanceof Long
        || m instanceof Double || m instanceof Float || m instanceof Short || m instanceof Byte
        || m instanceof BigInteger || m instanceof BigDecimal)
        || m instanceof Boolean || m instanceof Character || m instanceof Enum;
  }

  private static NodeError dataCloneError(Object message, Throwable cause) {
    String what = message.getClass().isSynthetic() || message.getClass().getSimpleName().contains("$$Lambda")
        ? "a lambda" : message.getClass().getName();
    String detail = cause instanceof NotSerializableException ? " (" + cause.getMessage() + " is not Serializable)"
        : cause != null ? " (" + cause + ")" : "";
    return new NodeError("DataCloneError", what + " could not be cloned." + detail, cause);
  }

  /**
   * The receiver's side of a clone: deserializes with the receiving thread's context class loader,
   * so a class the receiver cannot load fails here (ClassNotFoundException), as does a failing
   * {@code readObject}: the caller emits 'messageerror' with the exception.
   */
  static Object open(Cloned c) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ReceiverInput(new ByteArrayInputStream(c.bytes()))) {
      return in.readObject();
    }
  }

  private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "byte", byte.class,
      "char", char.class, "short", short.class, "int", int.class, "long", long.class, "float", float.class,
      "double", double.class, "void", void.class);

  /** Resolves classes through the receiving thread's context class loader only. */
  private static final class ReceiverInput extends ObjectInputStream {
    ReceiverInput(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws ClassNotFoundException {
      Class<?> p = PRIMITIVES.get(desc.getName());
      if (p != null) {
        return p;
      }
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return Class.forName(desc.getName(), false, loader);
    }
  }
}
