package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What both sides of a {@link NodeStream} share (Node keeps a copy in each side's state; they
 * always change together): construction, the hooks, destroy (lib/internal/streams/destroy.js).
 * {@link ReadableSide} and {@link WritableSide} add the two sides; {@link NodeStream} is the
 * public class.
 */
abstract class StreamBase extends EventEmitter {
  static final Consumer<Throwable> NOP = e -> { };

  protected final NodeRuntime node;
  final boolean hasReadable;
  final boolean hasWritable;

  // ---- shared (Node keeps a copy in each side's state; they always change together)
  boolean destroyed;
  boolean constructed = true;
  boolean closed;
  boolean closeEmitted;
  boolean errorEmitted;
  Throwable errored;
  boolean autoDestroy = true;
  boolean emitClose = true;
  boolean allowHalfOpen = true;
  Throwable pendingDestroyError;
  List<Consumer<Throwable>> pendingDestroyCallbacks;
  boolean destroyWaitsForConstruct;

  StreamBase(NodeRuntime node, boolean readable, boolean writable) {
    this.node = Objects.requireNonNull(node, "node");
    node.checkThread();
    if (!readable && !writable) {
      throw new IllegalArgumentException("a stream is readable, writable or both");
    }
    this.hasReadable = readable;
    this.hasWritable = writable;
  }

  final NodeStream self() {
    return (NodeStream) this;
  }

  /** The sides' construct callbacks (readable, then writable). */
  abstract void emitConstructed();

  /** Writes buffered or end callbacks waiting (Writable.prototype.destroy). */
  abstract boolean hasBufferedWrites();

  abstract void errorBuffer();

  public abstract boolean isReadable();

  public abstract boolean isWritable();

  /**
   * Starts {@link #doConstruct} on the next tick (Node: {@code _construct}); reads, writes and
   * {@code 'finish'} wait for it. Call at most once, from the subclass constructor.
   */
  protected final void construct() {
    constructed = false;
    node.nextTick(() -> {
      boolean[] called = {false};
      Consumer<Throwable> onConstruct = err -> {
        if (called[0]) {
          errorOrDestroy(new NodeError("ERR_MULTIPLE_CALLBACK", "Callback called multiple times"), false);
          return;
        }
        called[0] = true;
        constructed = true;
        if (destroyed) {
          destroyAfterConstruct(err);
        } else if (err != null) {
          errorOrDestroy(err, true);
        } else {
          node.nextTick(this::emitConstructed);
        }
      };
      try {
        doConstruct(err -> node.nextTick(() -> onConstruct.accept(err)));
      } catch (RuntimeException e) {
        node.nextTick(() -> onConstruct.accept(e));
      }
    });
  }

  // =================================================================== hooks

  /** Node's {@code _construct(cb)}: prepare (e.g. open a file), then {@code cb.accept(null or error)}. */
  protected void doConstruct(Consumer<Throwable> cb) {
    cb.accept(null);
  }

  /** Node's {@code _read(size)}: produce data and {@code push} it (now or later); push(null) at the end. */
  protected void doRead(int size) {
    throw new NodeError("ERR_METHOD_NOT_IMPLEMENTED", "The _read() method is not implemented");
  }

  /** Node's {@code _write(chunk, cb)}: write {@code chunk}, then {@code cb.accept(null or error)}. */
  protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
    throw new NodeError("ERR_METHOD_NOT_IMPLEMENTED", "The _write() method is not implemented");
  }

  /** Whether {@link #doWritev} is implemented (Node: {@code _writev} is defined). */
  protected boolean hasWritev() {
    return false;
  }

  /**
   * Node's {@code _writev(chunks, cb)}: write several buffered chunks at once. Called only when
   * {@link #hasWritev()} returns true; a subclass that says so overrides this too.
   *
   * @throws UnsupportedOperationException if {@link #hasWritev()} was overridden to return true
   *     and this method was not
   */
  protected void doWritev(List<byte[]> chunks, Consumer<Throwable> cb) {
    throw new UnsupportedOperationException(getClass().getName()
        + ": hasWritev() returns true but doWritev(chunks, cb) is not overridden");
  }

  /** Whether {@link #doFinal} is implemented (Node: {@code _final} is defined). */
  protected boolean hasFinal() {
    return false;
  }

  /** Node's {@code _final(cb)}: after the last write, before 'finish'. */
  protected void doFinal(Consumer<Throwable> cb) {
    cb.accept(null);
  }

  /** Node's {@code _destroy(err, cb)}: release resources, then {@code cb.accept(err)}. */
  protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
    cb.accept(err);
  }

  // =================================================================== destroy

  /** {@code destroy()}. */
  public NodeStream destroy() {
    return destroy(null, null);
  }

  /** {@code destroy(err)}: 'error' (if err) then 'close', on a later tick. */
  public NodeStream destroy(Throwable err) {
    return destroy(err, null);
  }

  NodeStream destroy(Throwable err, Consumer<Throwable> cb) {
    node.checkThread();
    if (destroyed) {
      if (cb != null) {
        cb.accept(null);
      }
      return self();
    }
    if (hasWritable && !hasReadable && hasBufferedWrites()) {
      node.nextTick(this::errorBuffer); // Writable.prototype.destroy
    }
    if (err != null && errored == null) {
      errored = err;
    }
    destroyed = true;
    if (!constructed) {
      // Node: waits for the construct callback (once kDestroy).
      destroyWaitsForConstruct = true;
      pendingDestroyError = err;
      if (cb != null) {
        if (pendingDestroyCallbacks == null) {
          pendingDestroyCallbacks = new ArrayList<>();
        }
        pendingDestroyCallbacks.add(cb);
      }
    } else {
      callDestroy(err, cb);
    }
    return self();
  }

  void destroyAfterConstruct(Throwable constructError) {
    if (!destroyWaitsForConstruct) {
      return;
    }
    destroyWaitsForConstruct = false;
    Throwable err = pendingDestroyError != null ? pendingDestroyError : constructError;
    List<Consumer<Throwable>> cbs = pendingDestroyCallbacks;
    pendingDestroyCallbacks = null;
    callDestroy(err, cbs == null ? null : e -> cbs.forEach(c -> c.accept(e)));
  }

  void callDestroy(Throwable err, Consumer<Throwable> cb) {
    boolean[] called = {false};
    Consumer<Throwable> onDestroy = e -> {
      if (called[0]) {
        return;
      }
      called[0] = true;
      if (e != null && errored == null) {
        errored = e;
      }
      closed = true;
      if (cb != null) {
        cb.accept(e);
      }
      if (e != null) {
        node.nextTick(() -> {
          emitErrorNT(e);
          emitCloseNT();
        });
      } else {
        node.nextTick(this::emitCloseNT);
      }
    };
    try {
      doDestroy(err, onDestroy);
    } catch (RuntimeException e) {
      onDestroy.accept(e);
    }
  }

  void emitCloseNT() {
    closeEmitted = true;
    if (emitClose) {
      emit("close");
    }
  }

  void emitErrorNT(Throwable err) {
    if (errorEmitted) {
      return;
    }
    errorEmitted = true;
    emit("error", err);
  }

  /** Node's errorOrDestroy: with autoDestroy, destroy(err); else emit 'error'. */
  final void errorOrDestroy(Throwable err, boolean sync) {
    if (destroyed) {
      return;
    }
    if (autoDestroy) {
      destroy(err);
    } else if (err != null) {
      if (errored == null) {
        errored = err;
      }
      if (sync) {
        node.nextTick(() -> emitErrorNT(err));
      } else {
        emitErrorNT(err);
      }
    }
  }

  public boolean isDestroyed() {
    return destroyed;
  }

  /** {@code closed}: destroy has completed (before 'close' is emitted). */
  public boolean isClosed() {
    return closed;
  }

  /** The error the stream was destroyed or failed with, or null. */
  public Throwable errored() {
    return errored;
  }
}
