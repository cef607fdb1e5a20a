package io.uv4j.node;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Node's {@code stream.Transform} (lib/internal/streams/transform.js): a duplex stream whose
 * written chunks go through {@link #doTransform} and come out of its readable side. The write
 * callback waits while the readable side is full (above its high-water mark), so backpressure
 * passes through; {@code end()} runs {@link #doFlush} and then ends the readable side. With
 * {@link NodeStream.Options#withObjectMode} it transforms objects.
 *
 * <pre>{@code
 * NodeTransform upper = NodeTransform.of(node, NodeStream.Options.duplex().withObjectMode(true),
 *     (chunk, callback) -> callback.call(null, ((String) chunk).toUpperCase()));
 * NodeStream.pipeline(NodeStream.from(node, List.of("a", "b")), upper, sink, err -> { });
 * }</pre>
 */
public abstract class NodeTransform extends NodeStream {
  /** {@code callback(err, value)} of {@code _transform} and {@code _flush}. */
  @FunctionalInterface
  public interface Callback {
    /** Reports an error, or pushes {@code value} (when not null) and asks for the next chunk. */
    void call(Throwable err, Object value);
  }

  private Consumer<Throwable> pendingCallback; // Node: this[kCallback]

  /** {@code new Transform()}: bytes in, bytes out, Node's default high-water marks. */
  protected NodeTransform(NodeRuntime node) {
    this(node, Options.duplex());
  }

  /**
   * {@code new Transform(options)}.
   *
   * @throws IllegalArgumentException if {@code options} lack a side (a transform has both)
   * @throws NullPointerException if an argument is null
   */
  protected NodeTransform(NodeRuntime node, Options options) {
    super(node, requireDuplex(options));
    rSync = false;
  }

  private static Options requireDuplex(Options options) {
    Objects.requireNonNull(options, "options");
    if (!options.readableSide() || !options.writableSide()) {
      throw new IllegalArgumentException("a transform is readable and writable");
    }
    return options;
  }

  /**
   * A transform of {@code transform} ({@code new Transform({transform})}).
   *
   * @throws NullPointerException if an argument is null
   */
  public static NodeTransform of(NodeRuntime node, Options options, BiConsumer<Object, Callback> transform) {
    Objects.requireNonNull(transform, "transform");
    return new NodeTransform(node, options) {
      @Override
      protected void doTransform(Object chunk, Callback callback) {
        transform.accept(chunk, callback);
      }
    };
  }

  /**
   * Node's {@code _transform(chunk, encoding, callback)}: {@code chunk} is a {@code byte[]} (an
   * object in writable object mode); call {@code callback} once, with an error or with a value
   * to push (or null), possibly after pushing more with {@link #push(Object)}.
   */
  protected abstract void doTransform(Object chunk, Callback callback);

  /** Node's {@code _flush(callback)}: at the end of the writes, before the readable side ends. */
  protected void doFlush(Callback callback) {
    callback.call(null, null);
  }

  @Override
  protected final void doWrite(byte[] chunk, Consumer<Throwable> cb) {
    transformWrite(chunk, cb);
  }

  @Override
  protected final void doWriteObject(Object chunk, Consumer<Throwable> cb) {
    transformWrite(chunk, cb);
  }

  private void transformWrite(Object chunk, Consumer<Throwable> callback) {
    long length = rLength;
    doTransform(chunk, (err, val) -> {
      if (err != null) {
        callback.accept(err);
        return;
      }
      if (val != null) {
        push(val);
      }
      if (ended) {
        node.nextTick(() -> callback.accept(null));
      } else if (wEnded || length == rLength || rLength < rHwm) {
        callback.accept(null);
      } else {
        pendingCallback = callback;
      }
    });
  }

  @Override
  protected final void doRead(int size) {
    if (pendingCallback != null) {
      Consumer<Throwable> callback = pendingCallback;
      pendingCallback = null;
      callback.accept(null);
    }
  }

  @Override
  protected final boolean hasFinal() {
    return true;
  }

  @Override
  protected final void doFinal(Consumer<Throwable> cb) {
    if (!destroyed) {
      doFlush((er, data) -> {
        if (er != null) {
          cb.accept(er);
          return;
        }
        if (data != null) {
          push(data);
        }
        push(null);
        cb.accept(null);
      });
    } else {
      push(null);
      cb.accept(null);
    }
  }
}
