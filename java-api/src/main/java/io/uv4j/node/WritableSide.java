package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The writable side of a {@link NodeStream} (lib/internal/streams/writable.js): buffering,
 * {@code write}'s return value and 'drain', {@code _writev} batches, {@code end}, 'finish'.
 */
abstract class WritableSide extends ReadableSide {
  // ---- writable side
  final int wHwm;
  final boolean wObjectMode;
  long wLength; // bytes, or objects in object mode
  boolean writing;
  boolean wSync = true;
  long writelen;
  Consumer<Throwable> writecb;
  final ArrayList<Pending> buffered = new ArrayList<>();
  int bufferedIndex;
  boolean allNoop = true;
  boolean bufferProcessing;
  boolean needDrain;
  boolean ending;
  boolean wEnded;
  boolean finished;
  boolean finalCalled;
  boolean prefinished;
  int pendingcb;
  AfterWriteTick afterWriteTickInfo;
  final List<Consumer<Throwable>> onFinished = new ArrayList<>();

  static final class Pending {
    final Object chunk;
    final Consumer<Throwable> callback;

    Pending(Object chunk, Consumer<Throwable> callback) {
      this.chunk = chunk;
      this.callback = callback;
    }
  }

  static final class AfterWriteTick {
    int count;
    final Consumer<Throwable> cb;

    AfterWriteTick(Consumer<Throwable> cb) {
      this.count = 1;
      this.cb = cb;
    }
  }

  WritableSide(NodeRuntime node, boolean readable, boolean writable, int readableHighWaterMark,
      int writableHighWaterMark, boolean readableObjectMode, boolean writableObjectMode, String encoding) {
    super(node, readable, writable, readableHighWaterMark, readableObjectMode, encoding);
    if (writableHighWaterMark < 0) {
      throw new IllegalArgumentException("high-water marks must be >= 0");
    }
    this.wHwm = writableHighWaterMark;
    this.wObjectMode = writableObjectMode;
  }

  /** How much a written chunk counts (1 in object mode, else its bytes). */
  final int wWeight(Object chunk) {
    return wObjectMode ? 1 : ((byte[]) chunk).length;
  }

  /** {@code writableObjectMode}. */
  public boolean writableObjectMode() {
    return wObjectMode;
  }

  /**
   * Node's {@code _write} of an object-mode stream: write {@code chunk} (any object), then
   * {@code cb.accept(null or error)}. {@link #doWrite} is the hook of byte streams.
   */
  protected void doWriteObject(Object chunk, Consumer<Throwable> cb) {
    throw new NodeError("ERR_METHOD_NOT_IMPLEMENTED", "The _write() method is not implemented");
  }

  @Override
  boolean hasBufferedWrites() {
    return buffered.size() > bufferedIndex || !onFinished.isEmpty();
  }

  @Override
  void emitConstructed() {
    // Node: the readable side's construct callback, then the writable side's.
    if (hasReadable && needReadable) {
      maybeReadMore();
    }
    if (hasWritable) {
      if (!writing) {
        clearBuffer();
      }
      finishMaybe(false);
    }
  }

  @Override
  void endReadableNT() {
    if (errored == null && !closeEmitted && !endEmitted && rLength == 0) {
      endEmitted = true;
      emit("end");
      if (isWritable() && !allowHalfOpen) {
        node.nextTick(() -> {
          if (isWritable() && !wEnded && !destroyed) {
            end();
          }
        });
      } else if (autoDestroy) {
        boolean wDone = !hasWritable || finished;
        if (wDone) {
          destroy();
        }
      }
    }
  }

  // =================================================================== writable

  /** {@code write(chunk)}: false once the buffered bytes reach the high-water mark (wait for 'drain'). */
  public boolean write(byte[] chunk) {
    return write(chunk, null);
  }

  /** {@code write(string)}: its UTF-8 bytes (the string itself in object mode). */
  public boolean write(String chunk) {
    return write(chunk, (Consumer<Throwable>) null);
  }

  public boolean write(String chunk, Consumer<Throwable> cb) {
    if (wObjectMode || chunk == null) { // null: ERR_STREAM_NULL_VALUES, as write(Object) throws
      return writeInternal(chunk, cb) == Boolean.TRUE;
    }
    return write(Encodings.utf8Bytes(chunk), cb);
  }

  /**
   * {@code write(chunk)} of any chunk: an object in object mode; a {@code byte[]} or
   * {@code String} otherwise.
   *
   * @throws NodeError ERR_STREAM_NULL_VALUES for null, ERR_INVALID_ARG_TYPE for another type
   *     outside object mode (thrown, like Node)
   */
  public boolean write(Object chunk) {
    return write(chunk, (Consumer<Throwable>) null);
  }

  /** {@code write(chunk, cb)} of any chunk (see {@link #write(Object)}). */
  public boolean write(Object chunk, Consumer<Throwable> cb) {
    if (!wObjectMode && chunk instanceof byte[]) {
      return write((byte[]) chunk, cb);
    }
    if (!wObjectMode && chunk instanceof String) {
      return write((String) chunk, cb);
    }
    return writeInternal(chunk, cb) == Boolean.TRUE;
  }

  /** {@code write(chunk, cb)}: {@code cb} gets null or the error once the chunk is written. */
  public boolean write(byte[] chunk, Consumer<Throwable> cb) {
    Object r = writeInternal(chunk, cb);
    return r == Boolean.TRUE;
  }

  Object writeInternal(Object chunk, Consumer<Throwable> cb) {
    requireWritable();
    if (chunk == null) {
      throw new NodeError("ERR_STREAM_NULL_VALUES", "May not write null values to stream");
    }
    if (!wObjectMode) {
      if (chunk instanceof String) {
        chunk = Encodings.utf8Bytes((String) chunk);
      } else if (!(chunk instanceof byte[])) {
        throw new NodeError("ERR_INVALID_ARG_TYPE",
            "The \"chunk\" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received "
                + describeArg(chunk));
      }
    }
    Consumer<Throwable> callback = cb != null ? cb : NOP;
    NodeError err = null;
    if (ending) {
      err = new NodeError("ERR_STREAM_WRITE_AFTER_END", "write after end");
    } else if (destroyed) {
      err = new NodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed");
    }
    if (err != null) {
      NodeError e = err;
      node.nextTick(() -> callback.accept(e));
      errorOrDestroy(err, true);
      return err;
    }
    pendingcb++;
    return writeOrBuffer(chunk, callback);
  }

  static String describeArg(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return "type " + (v instanceof Number ? "number" : "boolean") + " (" + v + ")";
    }
    return "an instance of " + v.getClass().getSimpleName();
  }

  Boolean writeOrBuffer(Object chunk, Consumer<Throwable> callback) {
    int len = wWeight(chunk);
    wLength += len;
    boolean ret = wLength < wHwm;
    if (!ret) {
      needDrain = true;
    }
    if (writing || errored != null || !constructed) {
      buffered.add(new Pending(chunk, callback));
      if (allNoop && callback != NOP) {
        allNoop = false;
      }
    } else {
      writelen = len;
      writecb = callback;
      writing = true;
      wSync = true;
      callDoWrite(chunk);
      wSync = false;
    }
    return ret && errored == null && !destroyed;
  }

  void callDoWrite(Object chunk) {
    try {
      if (wObjectMode) {
        doWriteObject(chunk, this::onwrite);
      } else {
        doWrite((byte[]) chunk, this::onwrite);
      }
    } catch (RuntimeException e) {
      onwrite(e);
    }
  }

  void onwrite(Throwable er) {
    boolean sync = wSync;
    Consumer<Throwable> cb = writecb;
    if (cb == null) {
      errorOrDestroy(new NodeError("ERR_MULTIPLE_CALLBACK", "Callback called multiple times"), false);
      return;
    }
    writing = false;
    writecb = null;
    wLength -= writelen;
    writelen = 0;
    if (er != null) {
      if (errored == null) {
        errored = er;
      }
      if (sync) {
        node.nextTick(() -> onwriteError(er, cb));
      } else {
        onwriteError(er, cb);
      }
    } else {
      if (buffered.size() > bufferedIndex) {
        clearBuffer();
      }
      if (sync) {
        if (afterWriteTickInfo != null && afterWriteTickInfo.cb == cb) {
          afterWriteTickInfo.count++;
        } else {
          AfterWriteTick info = new AfterWriteTick(cb);
          afterWriteTickInfo = info;
          node.nextTick(() -> {
            afterWriteTickInfo = null;
            afterWrite(info.count, info.cb);
          });
        }
      } else {
        afterWrite(1, cb);
      }
    }
  }

  void onwriteError(Throwable er, Consumer<Throwable> cb) {
    --pendingcb;
    cb.accept(er);
    errorBuffer();
    errorOrDestroy(er, false);
  }

  void afterWrite(int count, Consumer<Throwable> cb) {
    boolean drain = !ending && !destroyed && wLength == 0 && needDrain;
    if (drain) {
      needDrain = false;
      emit("drain");
    }
    while (count-- > 0) {
      pendingcb--;
      cb.accept(null);
    }
    if (destroyed) {
      errorBuffer();
    }
    finishMaybe(false);
  }

  void errorBuffer() {
    if (writing) {
      return;
    }
    for (int n = bufferedIndex; n < buffered.size(); ++n) {
      Pending p = buffered.get(n);
      wLength -= wWeight(p.chunk);
      p.callback.accept(errored != null ? errored
          : new NodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"));
    }
    List<Consumer<Throwable>> l = new ArrayList<>(onFinished);
    onFinished.clear();
    for (Consumer<Throwable> c : l) {
      c.accept(errored != null ? errored
          : new NodeError("ERR_STREAM_DESTROYED", "Cannot call end after a stream was destroyed"));
    }
    resetBuffer();
  }

  void resetBuffer() {
    buffered.clear();
    bufferedIndex = 0;
    allNoop = true;
  }

  void clearBuffer() {
    if (bufferProcessing || destroyed || !constructed) {
      return;
    }
    int bufferedLength = buffered.size() - bufferedIndex;
    if (bufferedLength == 0) {
      return;
    }
    int i = bufferedIndex;
    bufferProcessing = true;
    if (bufferedLength > 1 && hasWritev() && !wObjectMode) {
      pendingcb -= bufferedLength - 1;
      List<Pending> batch = new ArrayList<>(buffered.subList(i, buffered.size()));
      Consumer<Throwable> callback = allNoop ? NOP : err -> {
        for (Pending p : batch) {
          p.callback.accept(err);
        }
      };
      List<byte[]> chunks = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        chunks.add((byte[]) p.chunk);
      }
      writelen = wLength;
      writecb = callback;
      writing = true;
      wSync = true;
      if (destroyed) {
        onwrite(new NodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"));
      } else {
        try {
          doWritev(chunks, this::onwrite);
        } catch (RuntimeException e) {
          onwrite(e);
        }
      }
      wSync = false;
      resetBuffer();
    } else {
      do {
        Pending p = buffered.get(i);
        buffered.set(i++, null);
        writelen = wWeight(p.chunk);
        writecb = p.callback;
        writing = true;
        wSync = true;
        if (destroyed) {
          onwrite(new NodeError("ERR_STREAM_DESTROYED", "Cannot call write after a stream was destroyed"));
        } else {
          callDoWrite(p.chunk);
        }
        wSync = false;
      } while (i < buffered.size() && !writing);
      if (i == buffered.size()) {
        resetBuffer();
      } else if (i > 256) {
        buffered.subList(0, i).clear();
        bufferedIndex = 0;
      } else {
        bufferedIndex = i;
      }
    }
    bufferProcessing = false;
  }

  /** {@code end()}: no more writes; 'finish' once everything is written. */
  public NodeStream end() {
    return end((byte[]) null, null);
  }

  /** {@code end(cb)}: {@code cb} runs at 'finish' (or gets the error). */
  public NodeStream end(Consumer<Throwable> cb) {
    return end((byte[]) null, cb);
  }

  public NodeStream end(String chunk) {
    return end(chunk, (Consumer<Throwable>) null);
  }

  public NodeStream end(String chunk, Consumer<Throwable> cb) {
    // null: no chunk (Node's end(null)), as end((byte[]) null, cb)
    return wObjectMode || chunk == null ? endChunk(chunk, cb) : end(Encodings.utf8Bytes(chunk), cb);
  }

  public NodeStream end(byte[] chunk) {
    return end(chunk, null);
  }

  /** {@code end(chunk)} of any chunk (see {@link #write(Object)}). */
  public NodeStream end(Object chunk) {
    return end(chunk, null);
  }

  /** {@code end(chunk, cb)} of any chunk (see {@link #write(Object)}). */
  public NodeStream end(Object chunk, Consumer<Throwable> cb) {
    return endChunk(chunk, cb);
  }

  /** {@code end(chunk, cb)}: writes {@code chunk} (may be null) first. */
  public NodeStream end(byte[] chunk, Consumer<Throwable> cb) {
    return endChunk(chunk, cb);
  }

  NodeStream endChunk(Object chunk, Consumer<Throwable> cb) {
    requireWritable();
    Throwable err = null;
    if (chunk != null) {
      Object r = writeInternal(chunk, null);
      if (r instanceof Throwable) {
        err = (Throwable) r;
      }
    }
    if (err != null) {
      // nothing more: the write reported it
    } else if (errored == null && !ending) {
      ending = true;
      finishMaybe(true);
      wEnded = true;
    } else if (finished) {
      err = new NodeError("ERR_STREAM_ALREADY_FINISHED", "Cannot call end after a stream was finished");
    } else if (destroyed) {
      err = new NodeError("ERR_STREAM_DESTROYED", "Cannot call end after a stream was destroyed");
    }
    if (cb != null) {
      if (err != null || finished) {
        Throwable e = err;
        node.nextTick(() -> cb.accept(e));
      } else {
        onFinished.add(cb);
      }
    }
    return self();
  }

  boolean needFinish() {
    return ending && !destroyed && constructed && wLength == 0 && errored == null
        && buffered.size() == bufferedIndex && !finished && !writing && !errorEmitted && !closeEmitted;
  }

  void prefinish() {
    if (!prefinished && !finalCalled) {
      if (hasFinal() && !destroyed) {
        finalCalled = true;
        callFinal();
      } else {
        prefinished = true;
        emit("prefinish");
      }
    }
  }

  void callFinal() {
    boolean[] called = {false};
    Consumer<Throwable> onFinish = err -> {
      if (called[0]) {
        errorOrDestroy(err != null ? err : new NodeError("ERR_MULTIPLE_CALLBACK", "Callback called multiple times"), false);
        return;
      }
      called[0] = true;
      pendingcb--;
      if (err != null) {
        List<Consumer<Throwable>> l = new ArrayList<>(onFinished);
        onFinished.clear();
        for (Consumer<Throwable> c : l) {
          c.accept(err);
        }
        errorOrDestroy(err, wSync);
      } else if (needFinish()) {
        prefinished = true;
        emit("prefinish");
        pendingcb++;
        node.nextTick(this::finish);
      }
    };
    wSync = true;
    pendingcb++;
    try {
      doFinal(onFinish);
    } catch (RuntimeException e) {
      onFinish.accept(e);
    }
    wSync = false;
  }

  void finishMaybe(boolean sync) {
    if (needFinish()) {
      prefinish();
      if (pendingcb == 0) {
        if (sync) {
          pendingcb++;
          node.nextTick(() -> {
            if (needFinish()) {
              finish();
            } else {
              pendingcb--;
            }
          });
        } else if (needFinish()) {
          pendingcb++;
          finish();
        }
      }
    }
  }

  void finish() {
    pendingcb--;
    finished = true;
    List<Consumer<Throwable>> l = new ArrayList<>(onFinished);
    onFinished.clear();
    for (Consumer<Throwable> c : l) {
      c.accept(null);
    }
    emit("finish");
    if (autoDestroy) {
      boolean rDone = !hasReadable || endEmitted;
      if (rDone) {
        destroy();
      }
    }
  }

  /** Bytes written but not yet flushed ({@code writableLength}). */
  public long writableLength() {
    return wLength;
  }

  public int writableHighWaterMark() {
    return wHwm;
  }

  /** Whether a write returned false and 'drain' has not come yet. */
  public boolean writableNeedDrain() {
    return hasWritable && !destroyed && !ending && needDrain;
  }

  public boolean writableEnded() {
    return ending;
  }

  public boolean writableFinished() {
    return finished;
  }

  /** {@code writable}: writable side present, not destroyed, errored or ending. */
  public boolean isWritable() {
    return hasWritable && !destroyed && errored == null && !ending && !wEnded;
  }

  void requireWritable() {
    if (!hasWritable) {
      throw new UnsupportedOperationException("not a writable stream");
    }
    node.checkThread();
  }

  // ---------------------------------------------------------------- state read by Pipeline (Node: streams/utils)

  boolean hasReadableSide() {
    return hasReadable;
  }

  boolean hasWritableSide() {
    return hasWritable;
  }

  /** Node's willEmitClose: autoDestroy and emitClose, not closed yet. */
  boolean willEmitCloseState() {
    return autoDestroy && emitClose && !closed;
  }

  /** Node's isReadableFinished(stream, strict). */
  boolean readableFinishedState(boolean strict) {
    return endEmitted || (!strict && ended && rLength == 0);
  }

  /** Node's isWritableFinished(stream, strict). */
  boolean writableFinishedState(boolean strict) {
    return finished || (!strict && wEnded && wLength == 0);
  }

  boolean readableEndedState() {
    return ended;
  }

  boolean errorEmittedState() {
    return errorEmitted;
  }
}
