package io.uv4j.node;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's streams ({@code stream.Readable}, {@code Writable} and {@code Duplex}) as one public
 * class: a stream has a readable side, a writable side, or both, chosen by its constructor. Byte
 * chunks only (no object mode, no string decoding). The algorithms, and so the order of events
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

  /**
   * A stream with a readable side, a writable side or both, and their high-water marks (bytes;
   * Node's default {@link #DEFAULT_HIGH_WATER_MARK}).
   */
  protected NodeStream(NodeRuntime node, boolean readable, boolean writable, int readableHighWaterMark,
      int writableHighWaterMark) {
    super(node, readable, writable, readableHighWaterMark, writableHighWaterMark);
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
    addTyped("data", listener, args -> listener.accept((byte[]) args[0]));
    return this;
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
   * @throws IllegalArgumentException with fewer than two streams (ERR_MISSING_ARGS in Node)
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
