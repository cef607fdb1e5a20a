package io.uv4j.node;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's streams ({@code stream.Readable}, {@code Writable} and {@code Duplex}) as one public
 * class: a stream has a readable side, a writable side, or both, chosen by its constructor. Chunks
 * are bytes by default, strings on a readable side with an encoding ({@link #setEncoding}, decoded
 * with a {@link StringDecoder}), or any objects in object mode ({@link Options}); {@link #from}
 * makes an object-mode Readable of an {@link Iterable} and {@link NodeTransform} is Node's
 * {@code stream.Transform}. The algorithms, and so the order of events
 * and callbacks relative to {@code nextTick}s and promises, follow Node 20's
 * lib/internal/streams/{readable,writable,destroy}.js, one file each here ({@code ReadableSide},
 * {@code WritableSide}, {@code StreamBase}, package-private layers under this class), and
 * {@link #pipeline}/{@link #finished} follow pipeline.js and end-of-stream.js:
 *
 * <ul>
 *   <li>Readable: {@code 'data'}, {@code 'end'}, {@code 'readable'}, {@code 'pause'},
 *       {@code 'resume'}; a {@code 'data'} listener starts the flow (on the next tick);
 *       {@link #pause()}, {@link #resume()}, {@link #read()}, {@link #pipe} with backpressure
 *       (the source pauses when {@code write} returns false and resumes on {@code 'drain'}).
 *   <li>Writable: {@link #write} returns false once the buffered bytes reach the high-water mark,
 *       and {@code 'drain'} follows when they are all written; {@link #end} then
 *       {@code 'finish'}.
 *   <li>Both: {@link #destroy}, {@code 'error'} then {@code 'close'}; auto-destroy after
 *       {@code 'end'} and {@code 'finish'}.
 * </ul>
 *
 * Implementations override {@link #doRead}, {@link #doWrite} (and optionally
 * {@link #doWritev}, {@link #doFinal}, {@link #doDestroy}, {@link #doConstruct}) and call
 * {@link #push}. All methods run on the runtime's thread.
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * NodeStream in = fs.createReadStream("/tmp/a.txt");
 * in.onData(chunk -> System.out.println(chunk.length + " bytes"));
 * in.onEnd(() -> System.out.println("done"));
 * in.pipe(fs.createWriteStream("/tmp/b.txt"));   // with backpressure
 * }</pre>
 */
public abstract class NodeStream extends WritableSide {
  /** Node 20's default high-water mark for byte streams. */
  public static final int DEFAULT_HIGH_WATER_MARK = 16 * 1024;

  /** Node's default high-water mark of object-mode streams: 16 objects. */
  public static final int DEFAULT_OBJECT_HIGH_WATER_MARK = 16;

  /**
   * The options of Node's stream constructors that shape the state: which sides there are,
   * ({@code readableSide}, {@code writableSide}), {@code readableObjectMode}/{@code writableObjectMode} ({@code objectMode} sets both),
   * {@code readableHighWaterMark}/{@code writableHighWaterMark} (-1: Node's default for the mode,
   * 16 KiB or 16 objects) and {@code encoding} (the readable side's, null for bytes).
   *
   * <pre>{@code
   * new NodeStream(node, NodeStream.Options.readable().withObjectMode(true)) { ... }
   * new NodeStream(node, NodeStream.Options.duplex().withHighWaterMark(4).withEncoding("utf8")) { ... }
   * }</pre>
   */
  public record Options(boolean readableSide, boolean writableSide, boolean readableObjectMode,
      boolean writableObjectMode, int readableHighWaterMark, int writableHighWaterMark, String encoding) {
    /**
     * @throws IllegalArgumentException without a side, or for a high-water mark below -1
     * @throws NodeError ERR_UNKNOWN_ENCODING for an unknown encoding
     */
    public Options {
      if (!readableSide && !writableSide) {
        throw new IllegalArgumentException("a stream is readable, writable or both");
      }
      if (readableHighWaterMark < -1 || writableHighWaterMark < -1) {
        throw new IllegalArgumentException("high-water marks must be >= 0 (or -1 for the default)");
      }
      if (encoding != null) {
        encoding = Encodings.normalize(encoding);
      }
    }

    /** {@code new Readable()}'s defaults. */
    public static Options readable() {
      return new Options(true, false, false, false, -1, -1, null);
    }

    /** {@code new Writable()}'s defaults. */
    public static Options writable() {
      return new Options(false, true, false, false, -1, -1, null);
    }

    /** {@code new Duplex()}'s (and {@code Transform}'s) defaults. */
    public static Options duplex() {
      return new Options(true, true, false, false, -1, -1, null);
    }

    /** {@code objectMode}: both sides. */
    public Options withObjectMode(boolean on) {
      return new Options(readableSide, writableSide, on, on, readableHighWaterMark, writableHighWaterMark, encoding);
    }

    public Options withReadableObjectMode(boolean on) {
      return new Options(readableSide, writableSide, on, writableObjectMode, readableHighWaterMark,
          writableHighWaterMark, encoding);
    }

    public Options withWritableObjectMode(boolean on) {
      return new Options(readableSide, writableSide, readableObjectMode, on, readableHighWaterMark,
          writableHighWaterMark, encoding);
    }

    /** {@code highWaterMark}: both sides. */
    public Options withHighWaterMark(int hwm) {
      return new Options(readableSide, writableSide, readableObjectMode, writableObjectMode, hwm, hwm, encoding);
    }

    public Options withReadableHighWaterMark(int hwm) {
      return new Options(readableSide, writableSide, readableObjectMode, writableObjectMode, hwm,
          writableHighWaterMark, encoding);
    }

    public Options withWritableHighWaterMark(int hwm) {
      return new Options(readableSide, writableSide, readableObjectMode, writableObjectMode, readableHighWaterMark,
          hwm, encoding);
    }

    /** {@code encoding}: the readable side delivers strings (as after {@code setEncoding}). */
    public Options withEncoding(String enc) {
      return new Options(readableSide, writableSide, readableObjectMode, writableObjectMode, readableHighWaterMark,
          writableHighWaterMark, enc);
    }

    int rHwm() {
      return readableHighWaterMark >= 0 ? readableHighWaterMark
          : readableObjectMode ? DEFAULT_OBJECT_HIGH_WATER_MARK : DEFAULT_HIGH_WATER_MARK;
    }

    int wHwm() {
      return writableHighWaterMark >= 0 ? writableHighWaterMark
          : writableObjectMode ? DEFAULT_OBJECT_HIGH_WATER_MARK : DEFAULT_HIGH_WATER_MARK;
    }
  }

  /**
   * A stream with a readable side, a writable side or both, and their high-water marks (bytes;
   * Node's default {@link #DEFAULT_HIGH_WATER_MARK}).
   */
  protected NodeStream(NodeRuntime node, boolean readable, boolean writable, int readableHighWaterMark,
      int writableHighWaterMark) {
    super(node, readable, writable, readableHighWaterMark, writableHighWaterMark, false, false, null);
  }

  /**
   * A stream shaped by {@code options} (sides, object mode, high-water marks, encoding).
   *
   * @throws NullPointerException if an argument is null
   */
  protected NodeStream(NodeRuntime node, Options options) {
    super(node, Objects.requireNonNull(options, "options").readableSide(), options.writableSide(), options.rHwm(),
        options.wHwm(), options.readableObjectMode(), options.writableObjectMode(), options.encoding());
  }

  /**
   * {@code stream.Readable.from(iterable)}: an object-mode Readable (high-water mark 1) of the
   * items, pulled one {@code read} at a time; a null item destroys it with
   * ERR_STREAM_NULL_VALUES, and an exception from the iterator destroys it with that exception.
   *
   * @throws NullPointerException if an argument is null
   */
  public static NodeStream from(NodeRuntime node, Iterable<?> iterable) {
    Objects.requireNonNull(iterable, "iterable");
    return new IterableReadable(node, Options.readable().withObjectMode(true).withHighWaterMark(1),
        iterable.iterator());
  }

  /** {@code Readable.from(iterator)}: as {@link #from(NodeRuntime, Iterable)}, from an iterator. */
  public static NodeStream from(NodeRuntime node, java.util.Iterator<?> iterator) {
    Objects.requireNonNull(iterator, "iterator");
    return new IterableReadable(node, Options.readable().withObjectMode(true).withHighWaterMark(1), iterator);
  }

  /**
   * {@code Readable.from(iterable, options)}: with other options (e.g. object mode off for byte
   * or string items, another high-water mark).
   */
  public static NodeStream from(NodeRuntime node, Iterable<?> iterable, Options options) {
    Objects.requireNonNull(iterable, "iterable");
    return new IterableReadable(node, options, iterable.iterator());
  }

  /** Node's {@code emitClose} option (default true): whether destroy emits 'close' itself. */
  protected final void setEmitClose(boolean emit) {
    this.emitClose = emit;
  }

  /** Node's {@code autoDestroy} option (default true). */
  protected final void setAutoDestroy(boolean auto) {
    this.autoDestroy = auto;
  }

  // ---------------------------------------------------------------- typed events

  /**
   * {@code on('data', listener)} with the chunk typed: each chunk read, as bytes. Like
   * {@code on("data", ...)}, it switches the stream to flowing mode. {@code off("data", listener)}
   * removes it.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public NodeStream onData(Consumer<byte[]> listener) {
    addTyped("data", listener, args -> listener.accept(bytesChunk(args[0])));
    return this;
  }

  /**
   * {@code on('data', listener)} of a stream with an encoding ({@link #setEncoding} or the
   * option): each chunk as a string, never a split character.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public NodeStream onStringData(Consumer<String> listener) {
    addTyped("data", listener, args -> {
      if (!(args[0] instanceof String)) {
        throw new IllegalStateException("'data' delivers " + args[0].getClass().getSimpleName()
            + " here (no encoding set): use onData or onObjectData");
      }
      listener.accept((String) args[0]);
    });
    return this;
  }

  /**
   * {@code on('data', listener)} of any stream: the chunk as delivered (an object in object mode,
   * a String with an encoding, else a byte[]).
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public NodeStream onObjectData(Consumer<Object> listener) {
    addTyped("data", listener, args -> listener.accept(args[0]));
    return this;
  }

  private static byte[] bytesChunk(Object chunk) {
    if (!(chunk instanceof byte[])) {
      throw new IllegalStateException("'data' delivers " + chunk.getClass().getSimpleName()
          + " here (encoding or object mode): use onStringData or onObjectData");
    }
    return (byte[]) chunk;
  }

  /** {@code on('end', listener)}: the readable side ended (the peer finished). */
  public NodeStream onEnd(Runnable listener) {
    addTyped("end", listener, args -> listener.run());
    return this;
  }

  /** {@code on('finish', listener)}: everything written was flushed after {@code end()}. */
  public NodeStream onFinish(Runnable listener) {
    addTyped("finish", listener, args -> listener.run());
    return this;
  }

  /** {@code on('drain', listener)}: {@code write} may be called again after it returned false. */
  public NodeStream onDrain(Runnable listener) {
    addTyped("drain", listener, args -> listener.run());
    return this;
  }

  /** {@code on('close', listener)}: the stream and its resources are closed. */
  public NodeStream onClose(Runnable listener) {
    addTyped("close", listener, args -> listener.run());
    return this;
  }

  /** {@code on('error', listener)} with the error typed. */
  public NodeStream onError(Consumer<Throwable> listener) {
    addTyped("error", listener, args -> listener.accept((Throwable) args[0]));
    return this;
  }

  /** Node's {@code allowHalfOpen} (default true): false ends the writable side after 'end'. */
  protected final void setAllowHalfOpen(boolean allow) {
    this.allowHalfOpen = allow;
  }

  public boolean allowHalfOpen() {
    return allowHalfOpen;
  }

  /**
   * {@code stream.finished(stream, callback)}: {@code callback} runs once, with null when the
   * stream has ended and/or finished (and closed, if it emits 'close'), with the error if it
   * failed, or with {@code ERR_STREAM_PREMATURE_CLOSE} if it closed before. Returns a cleanup
   * that removes the listeners.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Runnable finished(NodeStream stream, Consumer<Throwable> callback) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(callback, "callback");
    stream.node.checkThread();
    return Pipeline.eos(stream, stream.hasReadable, stream.hasWritable, callback);
  }

  /**
   * {@code stream.pipeline(source, ...transforms, destination, callback)}: pipes each stream
   * into the next, destroys all of them when one fails, and calls {@code callback} (null or the
   * first error) on the tick after the last one finished. Returns the last stream.
   *
   * @throws NullPointerException if an argument is null
   * @throws NodeError {@code ERR_MISSING_ARGS} with fewer than two streams (Node's message),
   *     {@code ERR_INVALID_ARG_TYPE} if the source is not readable or a later stream not writable
   */
  public static <S extends NodeStream> S pipeline(List<? extends NodeStream> streams, Consumer<Throwable> callback) {
    @SuppressWarnings("unchecked")
    S last = (S) Pipeline.pipeline(streams, callback);
    return last;
  }

  /** {@code stream.pipeline(source, destination, callback)}. */
  public static <S extends NodeStream> S pipeline(NodeStream source, S destination, Consumer<Throwable> callback) {
    return pipeline(List.of(source, destination), callback);
  }

  /** {@code stream.pipeline(source, transform, destination, callback)}. */
  public static <S extends NodeStream> S pipeline(NodeStream source, NodeStream transform, S destination,
      Consumer<Throwable> callback) {
    return pipeline(List.of(source, transform, destination), callback);
  }
}
