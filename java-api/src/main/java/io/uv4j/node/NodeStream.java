package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's streams ({@code stream.Readable}, {@code Writable} and {@code Duplex}) in one class:
 * a stream has a readable side, a writable side, or both, chosen by its constructor. Byte chunks
 * only (no object mode, no string decoding). The algorithms, and so the order of events and
 * callbacks relative to {@code nextTick}s and promises, follow Node 20's
 * lib/internal/streams/{readable,writable,destroy}.js:
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
public abstract class NodeStream extends EventEmitter {
  /** Node 20's default high-water mark for byte streams. */
  public static final int DEFAULT_HIGH_WATER_MARK = 16 * 1024;

  private static final Consumer<Throwable> NOP = e -> { };

  protected final NodeRuntime node;
  private final boolean hasReadable;
  private final boolean hasWritable;

  // ---- shared (Node keeps a copy in each side's state; they always change together)
  private boolean destroyed;
  private boolean constructed = true;
  private boolean closed;
  private boolean closeEmitted;
  private boolean errorEmitted;
  private Throwable errored;
  private boolean autoDestroy = true;
  private boolean emitClose = true;
  private boolean allowHalfOpen = true;
  private Throwable pendingDestroyError;
  private List<Consumer<Throwable>> pendingDestroyCallbacks;
  private boolean destroyWaitsForConstruct;

  // ---- readable side
  private int rHwm;
  private final ArrayDeque<byte[]> rBuffer = new ArrayDeque<>();
  private long rLength;
  private Boolean flowing; // null: never set (Node: state.flowing === null)
  private Boolean rPaused; // Node: state[kPaused], null until pause() or resume()
  private boolean ended;
  private boolean endEmitted;
  private boolean reading;
  private boolean rSync = true;
  private boolean needReadable;
  private boolean emittedReadable;
  private boolean readableListening;
  private boolean resumeScheduled;
  private boolean readingMore;
  private boolean dataEmitted;
  private final List<NodeStream> pipes = new ArrayList<>();
  private Object awaitDrainWriters; // null, a NodeStream, or a List<NodeStream> (multiAwaitDrain)
  private boolean multiAwaitDrain;

  // ---- writable side
  private final int wHwm;
  private long wLength;
  private boolean writing;
  private boolean wSync = true;
  private long writelen;
  private Consumer<Throwable> writecb;
  private final ArrayList<Pending> buffered = new ArrayList<>();
  private int bufferedIndex;
  private boolean allNoop = true;
  private boolean bufferProcessing;
  private boolean needDrain;
  private boolean ending;
  private boolean wEnded;
  private boolean finished;
  private boolean finalCalled;
  private boolean prefinished;
  private int pendingcb;
  private AfterWriteTick afterWriteTickInfo;
  private final List<Consumer<Throwable>> onFinished = new ArrayList<>();

  private static final class Pending {
    final byte[] chunk;
    final Consumer<Throwable> callback;

    Pending(byte[] chunk, Consumer<Throwable> callback) {
      this.chunk = chunk;
      this.callback = callback;
    }
  }

  private static final class AfterWriteTick {
    int count;
    final Consumer<Throwable> cb;

    AfterWriteTick(Consumer<Throwable> cb) {
      this.count = 1;
      this.cb = cb;
    }
  }

  /**
   * A stream with a readable side, a writable side or both, and their high-water marks (bytes;
   * Node's default {@link #DEFAULT_HIGH_WATER_MARK}).
   */
  protected NodeStream(NodeRuntime node, boolean readable, boolean writable, int readableHighWaterMark,
      int writableHighWaterMark) {
    this.node = Objects.requireNonNull(node, "node");
    node.checkThread();
    if (!readable && !writable) {
      throw new IllegalArgumentException("a stream is readable, writable or both");
    }
    if (readableHighWaterMark < 0 || writableHighWaterMark < 0) {
      throw new IllegalArgumentException("high-water marks must be >= 0");
    }
    this.hasReadable = readable;
    this.hasWritable = writable;
    this.rHwm = readableHighWaterMark;
    this.wHwm = writableHighWaterMark;
    this.needReadable = false;
    this.rSync = true;
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

  private void emitConstructed() {
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

  // =================================================================== hooks

  /** Node's {@code _construct(cb)}: prepare (e.g. open a file), then {@code cb.accept(null or error)}. */
  protected void doConstruct(Consumer<Throwable> cb) {
    cb.accept(null);
  }

  /** Node's {@code _read(size)}: produce data and {@link #push} it (now or later); push(null) at the end. */
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

  /** Node's {@code _writev(chunks, cb)}: write several buffered chunks at once. */
  protected void doWritev(List<byte[]> chunks, Consumer<Throwable> cb) {
    throw new UnsupportedOperationException();
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

  // =================================================================== events

  @Override
  void listenerAdded(String event) {
    if (!hasReadable) {
      return;
    }
    if (event.equals("data")) {
      readableListening = listenerCount("readable") > 0;
      if (!Boolean.FALSE.equals(flowing)) {
        resume();
      }
    } else if (event.equals("readable")) {
      if (!endEmitted && !readableListening) {
        readableListening = true;
        needReadable = true;
        flowing = false;
        emittedReadable = false;
        if (rLength > 0) {
          emitReadable();
        } else if (!reading) {
          node.nextTick(() -> read(0));
        }
      }
    }
  }

  @Override
  void listenerRemoved(String event) {
    if (!hasReadable) {
      return;
    }
    if (event.equals("readable")) {
      node.nextTick(this::updateReadableListening);
    }
  }

  private void updateReadableListening() {
    readableListening = listenerCount("readable") > 0;
    if (resumeScheduled && Boolean.FALSE.equals(rPaused)) {
      flowing = true;
    } else if (listenerCount("data") > 0) {
      resume();
    } else if (!readableListening) {
      flowing = null;
    }
  }

  // =================================================================== readable

  /**
   * Adds a chunk to the read queue (or emits it at once when flowing); {@code null} signals the
   * end. Returns whether more may be pushed (below the high-water mark).
   */
  public boolean push(byte[] chunk) {
    requireReadable();
    if (chunk == null) {
      reading = false;
      onEofChunk();
    } else if (chunk.length > 0) {
      if (ended) {
        errorOrDestroy(new NodeError("ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"), false);
      } else if (destroyed || errored != null) {
        return false;
      } else {
        reading = false;
        addChunk(chunk);
      }
    } else {
      reading = false;
      maybeReadMore();
    }
    return !ended && (rLength < rHwm || rLength == 0);
  }

  private void addChunk(byte[] chunk) {
    if (Boolean.TRUE.equals(flowing) && rLength == 0 && !rSync && listenerCount("data") > 0) {
      clearAwaitDrain();
      dataEmitted = true;
      emit("data", (Object) chunk);
    } else {
      rLength += chunk.length;
      rBuffer.add(chunk);
      if (needReadable) {
        emitReadable();
      }
    }
    maybeReadMore();
  }

  private void clearAwaitDrain() {
    if (multiAwaitDrain) {
      ((List<?>) awaitDrainWriters).clear();
    } else {
      awaitDrainWriters = null;
    }
  }

  /** {@code read()}: everything buffered (one chunk while flowing), or null. */
  public byte[] read() {
    return read(-1);
  }

  /**
   * {@code read(n)}: n bytes if that many are buffered (or the rest at the end), else null
   * (and more are requested); -1 means Node's {@code read()} without a size.
   */
  public byte[] read(int n) {
    requireReadable();
    boolean all = n < 0;
    int nOrig = n;
    if (!all && n > rHwm) {
      rHwm = nextPowerOfTwo(n);
    }
    if (all || n != 0) {
      emittedReadable = false;
    }
    if (!all && n == 0 && needReadable && ((rHwm != 0 ? rLength >= rHwm : rLength > 0) || ended)) {
      if (rLength == 0 && ended) {
        endReadable();
      } else {
        emitReadable();
      }
      return null;
    }
    long want = howMuchToRead(all, n);
    if (want == 0 && ended) {
      if (rLength == 0) {
        endReadable();
      }
      return null;
    }
    boolean doRead = needReadable;
    if (rLength == 0 || rLength - want < rHwm) {
      doRead = true;
    }
    if (ended || reading || destroyed || errored != null || !constructed) {
      doRead = false;
    } else if (doRead) {
      reading = true;
      rSync = true;
      if (rLength == 0) {
        needReadable = true;
      }
      try {
        doRead(rHwm);
      } catch (RuntimeException e) {
        errorOrDestroy(e, false);
      }
      rSync = false;
      if (!reading) {
        want = howMuchToRead(all, nOrig);
      }
    }
    byte[] ret = want > 0 ? fromList((int) want) : null;
    if (ret == null) {
      needReadable = rLength <= rHwm;
      want = 0;
    } else {
      rLength -= want;
      clearAwaitDrain();
    }
    if (rLength == 0) {
      if (!ended) {
        needReadable = true;
      }
      if ((all || nOrig != want) && ended) {
        endReadable();
      }
    }
    if (ret != null && !errorEmitted && !closeEmitted) {
      dataEmitted = true;
      emit("data", (Object) ret);
    }
    return ret;
  }

  private long howMuchToRead(boolean all, int n) {
    if ((!all && n <= 0) || (rLength == 0 && ended)) {
      return 0;
    }
    if (all) {
      if (Boolean.TRUE.equals(flowing) && rLength > 0) {
        return rBuffer.peekFirst().length;
      }
      return rLength;
    }
    if (n <= rLength) {
      return n;
    }
    return ended ? rLength : 0;
  }

  private static int nextPowerOfTwo(int n) {
    if (n > 0x40000000) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"size\" is out of range. It must be <= 1GiB. Received " + n);
    }
    return Integer.highestOneBit(n - 1) << 1;
  }

  /** Takes n bytes from the front of the buffer (n <= rLength, n > 0). */
  private byte[] fromList(int n) {
    if (rLength == 0) {
      return null;
    }
    byte[] first = rBuffer.peekFirst();
    if (first.length == n) {
      return rBuffer.pollFirst();
    }
    byte[] out = new byte[n];
    int off = 0;
    while (off < n) {
      byte[] b = rBuffer.pollFirst();
      int take = Math.min(b.length, n - off);
      System.arraycopy(b, 0, out, off, take);
      off += take;
      if (take < b.length) {
        byte[] rest = new byte[b.length - take];
        System.arraycopy(b, take, rest, 0, rest.length);
        rBuffer.addFirst(rest);
      }
    }
    return out;
  }

  private void onEofChunk() {
    if (ended) {
      return;
    }
    ended = true;
    if (rSync) {
      emitReadable();
    } else {
      needReadable = false;
      emittedReadable = true;
      emitReadableNow();
    }
  }

  private void emitReadable() {
    needReadable = false;
    if (!emittedReadable) {
      emittedReadable = true;
      node.nextTick(this::emitReadableNow);
    }
  }

  private void emitReadableNow() {
    if (!destroyed && errored == null && (rLength > 0 || ended)) {
      emit("readable");
      emittedReadable = false;
    }
    needReadable = !Boolean.TRUE.equals(flowing) && !ended && rLength <= rHwm;
    flow();
  }

  private void maybeReadMore() {
    if (!readingMore && constructed) {
      readingMore = true;
      node.nextTick(() -> {
        while (!reading && !ended && (rLength < rHwm || (Boolean.TRUE.equals(flowing) && rLength == 0))) {
          long len = rLength;
          read(0);
          if (len == rLength) {
            break;
          }
        }
        readingMore = false;
      });
    }
  }

  private void flow() {
    while (Boolean.TRUE.equals(flowing) && read() != null) {
      // each read() emitted a 'data' event
    }
  }

  /** {@code resume()}: switch to flowing mode (data is emitted from the next tick on). */
  public NodeStream resume() {
    requireReadable();
    if (!Boolean.TRUE.equals(flowing)) {
      flowing = !readableListening;
      if (!resumeScheduled) {
        resumeScheduled = true;
        node.nextTick(() -> {
          if (!reading) {
            read(0);
          }
          resumeScheduled = false;
          emit("resume");
          flow();
          if (Boolean.TRUE.equals(flowing) && !reading) {
            read(0);
          }
        });
      }
    }
    rPaused = false;
    return this;
  }

  /** {@code pause()}: stop emitting 'data' (data is buffered up to the high-water mark). */
  public NodeStream pause() {
    requireReadable();
    if (!Boolean.FALSE.equals(flowing)) {
      flowing = false;
      emit("pause");
    }
    rPaused = true;
    return this;
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(rPaused) || Boolean.FALSE.equals(flowing);
  }

  private void endReadable() {
    if (!endEmitted) {
      ended = true;
      node.nextTick(this::endReadableNT);
    }
  }

  private void endReadableNT() {
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

  /** {@code pipe(dest)}: {@link #pipe(NodeStream, boolean)} ending {@code dest} at the end. */
  public <S extends NodeStream> S pipe(S dest) {
    return pipe(dest, true);
  }

  /**
   * {@code pipe(dest, {end})}: writes every chunk to {@code dest}, pausing while
   * {@code dest.write} returns false until its 'drain'; at 'end', {@code dest.end()} if
   * {@code end}.
   */
  public <S extends NodeStream> S pipe(S dest, boolean end) {
    requireReadable();
    NodeStream src = this;
    if (pipes.size() == 1 && !multiAwaitDrain) {
      multiAwaitDrain = true;
      List<NodeStream> set = new ArrayList<>();
      if (awaitDrainWriters != null) {
        set.add((NodeStream) awaitDrainWriters);
      }
      awaitDrainWriters = set;
    }
    pipes.add(dest);
    Pipe p = new Pipe(src, dest);
    Runnable endFn = end ? dest::end : p::unpipe;
    p.endFn = endFn;
    if (endEmitted) {
      node.nextTick(endFn);
    } else {
      src.once("end", endFn);
    }
    dest.on("unpipe", p.onunpipe);
    src.on("data", p.ondata);
    // Node puts its error handler before the user's.
    dest.prependListener("error", p.onerror);
    dest.once("close", p.onclose);
    dest.once("finish", p.onfinish);
    dest.emit("pipe", src);
    if (dest.writableNeedDrain()) {
      p.pause();
    } else if (!Boolean.TRUE.equals(flowing)) {
      src.resume();
    }
    return dest;
  }

  /** The listeners one pipe(src, dest) installs (Node's closures in Readable.prototype.pipe). */
  private final class Pipe {
    final NodeStream src;
    final NodeStream dest;
    Runnable endFn;
    Runnable ondrain;
    boolean cleanedUp;

    final Listener onunpipe;
    final Listener ondata;
    final Listener onerror;
    final Runnable onclose;
    final Runnable onfinish;

    Pipe(NodeStream src, NodeStream dest) {
      this.src = src;
      this.dest = dest;
      this.onunpipe = this::onunpipe;
      this.ondata = this::ondata;
      this.onerror = this::onerror;
      this.onclose = this::onclose;
      this.onfinish = this::onfinish;
    }

    private void onunpipe(Object... args) {
      if (args.length > 0 && args[0] == src) {
        boolean[] info = args.length > 1 ? (boolean[]) args[1] : null;
        if (info != null && !info[0]) {
          info[0] = true;
          cleanup();
        }
      }
    }

    private void ondata(Object... args) {
      boolean ret = dest.write((byte[]) args[0]);
      if (!ret) {
        pause();
      }
    }

    private void onerror(Object... args) {
      unpipe();
      dest.off("error", this.onerror);
      if (dest.listenerCount("error") == 0) {
        Throwable er = args.length > 0 && args[0] instanceof Throwable ? (Throwable) args[0] : null;
        if (!dest.errorEmitted) {
          dest.errorOrDestroy(er, false);
        } else {
          dest.emit("error", er);
        }
      }
    }

    private void onclose() {
      dest.off("finish", this.onfinish);
      unpipe();
    }

    private void onfinish() {
      dest.off("close", this.onclose);
      unpipe();
    }

    void unpipe() {
      src.unpipe(dest);
    }

    void cleanup() {
      dest.off("close", onclose);
      dest.off("finish", onfinish);
      if (ondrain != null) {
        dest.off("drain", ondrain);
      }
      dest.off("error", onerror);
      dest.off("unpipe", onunpipe);
      src.off("end", endFn);
      src.off("data", ondata);
      cleanedUp = true;
      if (ondrain != null && awaitDrainWriters != null && dest.needDrain) {
        ondrain.run();
      }
    }

    @SuppressWarnings("unchecked")
    void pause() {
      if (!cleanedUp) {
        if (pipes.size() == 1 && pipes.get(0) == dest) {
          awaitDrainWriters = dest;
          multiAwaitDrain = false;
        } else if (pipes.size() > 1 && pipes.contains(dest)) {
          List<NodeStream> set = (List<NodeStream>) awaitDrainWriters;
          if (!set.contains(dest)) {
            set.add(dest);
          }
        }
        src.pause();
      }
      if (ondrain == null) {
        ondrain = () -> {
          if (awaitDrainWriters == dest) {
            awaitDrainWriters = null;
          } else if (multiAwaitDrain) {
            ((List<NodeStream>) awaitDrainWriters).remove(dest);
          }
          boolean none = awaitDrainWriters == null
              || (multiAwaitDrain && ((List<NodeStream>) awaitDrainWriters).isEmpty());
          if (none && src.listenerCount("data") > 0) {
            src.resume();
          }
        };
        dest.on("drain", ondrain);
      }
    }
  }

  /** {@code unpipe()}: stops every pipe from this stream. */
  public NodeStream unpipe() {
    if (pipes.isEmpty()) {
      return this;
    }
    List<NodeStream> dests = new ArrayList<>(pipes);
    pipes.clear();
    pause();
    for (NodeStream d : dests) {
      d.emit("unpipe", this, new boolean[] {false});
    }
    return this;
  }

  /** {@code unpipe(dest)}. */
  public NodeStream unpipe(NodeStream dest) {
    int i = pipes.indexOf(dest);
    if (i < 0) {
      return this;
    }
    pipes.remove(i);
    if (pipes.isEmpty()) {
      pause();
    }
    dest.emit("unpipe", this, new boolean[] {false});
    return this;
  }

  public long readableLength() {
    return rLength;
  }

  public int readableHighWaterMark() {
    return rHwm;
  }

  /** {@code readableFlowing}: null (not yet), true or false. */
  public Boolean readableFlowing() {
    return flowing;
  }

  public boolean readableEnded() {
    return endEmitted;
  }

  /** {@code readable}: readable side present, not destroyed, errored or ended. */
  public boolean isReadable() {
    return hasReadable && !destroyed && errored == null && !endEmitted;
  }

  private void requireReadable() {
    if (!hasReadable) {
      throw new UnsupportedOperationException("not a readable stream");
    }
    node.checkThread();
  }

  // =================================================================== writable

  /** {@code write(chunk)}: false once the buffered bytes reach the high-water mark (wait for 'drain'). */
  public boolean write(byte[] chunk) {
    return write(chunk, null);
  }

  public boolean write(String chunk) {
    return write(chunk.getBytes(StandardCharsets.UTF_8), null);
  }

  public boolean write(String chunk, Consumer<Throwable> cb) {
    return write(chunk.getBytes(StandardCharsets.UTF_8), cb);
  }

  /** {@code write(chunk, cb)}: {@code cb} gets null or the error once the chunk is written. */
  public boolean write(byte[] chunk, Consumer<Throwable> cb) {
    Object r = writeInternal(chunk, cb);
    return r == Boolean.TRUE;
  }

  private Object writeInternal(byte[] chunk, Consumer<Throwable> cb) {
    requireWritable();
    Objects.requireNonNull(chunk, "chunk");
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

  private Boolean writeOrBuffer(byte[] chunk, Consumer<Throwable> callback) {
    int len = chunk.length;
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

  private void callDoWrite(byte[] chunk) {
    try {
      doWrite(chunk, this::onwrite);
    } catch (RuntimeException e) {
      onwrite(e);
    }
  }

  private void onwrite(Throwable er) {
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

  private void onwriteError(Throwable er, Consumer<Throwable> cb) {
    --pendingcb;
    cb.accept(er);
    errorBuffer();
    errorOrDestroy(er, false);
  }

  private void afterWrite(int count, Consumer<Throwable> cb) {
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

  private void errorBuffer() {
    if (writing) {
      return;
    }
    for (int n = bufferedIndex; n < buffered.size(); ++n) {
      Pending p = buffered.get(n);
      wLength -= p.chunk.length;
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

  private void resetBuffer() {
    buffered.clear();
    bufferedIndex = 0;
    allNoop = true;
  }

  private void clearBuffer() {
    if (bufferProcessing || destroyed || !constructed) {
      return;
    }
    int bufferedLength = buffered.size() - bufferedIndex;
    if (bufferedLength == 0) {
      return;
    }
    int i = bufferedIndex;
    bufferProcessing = true;
    if (bufferedLength > 1 && hasWritev()) {
      pendingcb -= bufferedLength - 1;
      List<Pending> batch = new ArrayList<>(buffered.subList(i, buffered.size()));
      Consumer<Throwable> callback = allNoop ? NOP : err -> {
        for (Pending p : batch) {
          p.callback.accept(err);
        }
      };
      List<byte[]> chunks = new ArrayList<>(batch.size());
      for (Pending p : batch) {
        chunks.add(p.chunk);
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
        writelen = p.chunk.length;
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
    return end(chunk.getBytes(StandardCharsets.UTF_8), null);
  }

  public NodeStream end(String chunk, Consumer<Throwable> cb) {
    return end(chunk.getBytes(StandardCharsets.UTF_8), cb);
  }

  public NodeStream end(byte[] chunk) {
    return end(chunk, null);
  }

  /** {@code end(chunk, cb)}: writes {@code chunk} (may be null) first. */
  public NodeStream end(byte[] chunk, Consumer<Throwable> cb) {
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
    return this;
  }

  private boolean needFinish() {
    return ending && !destroyed && constructed && wLength == 0 && errored == null
        && buffered.size() == bufferedIndex && !finished && !writing && !errorEmitted && !closeEmitted;
  }

  private void prefinish() {
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

  private void callFinal() {
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

  private void finishMaybe(boolean sync) {
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

  private void finish() {
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

  private void requireWritable() {
    if (!hasWritable) {
      throw new UnsupportedOperationException("not a writable stream");
    }
    node.checkThread();
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
      return this;
    }
    if (hasWritable && !hasReadable && (buffered.size() > bufferedIndex || !onFinished.isEmpty())) {
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
    return this;
  }

  private void destroyAfterConstruct(Throwable constructError) {
    if (!destroyWaitsForConstruct) {
      return;
    }
    destroyWaitsForConstruct = false;
    Throwable err = pendingDestroyError != null ? pendingDestroyError : constructError;
    List<Consumer<Throwable>> cbs = pendingDestroyCallbacks;
    pendingDestroyCallbacks = null;
    callDestroy(err, cbs == null ? null : e -> cbs.forEach(c -> c.accept(e)));
  }

  private void callDestroy(Throwable err, Consumer<Throwable> cb) {
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

  private void emitCloseNT() {
    closeEmitted = true;
    if (emitClose) {
      emit("close");
    }
  }

  private void emitErrorNT(Throwable err) {
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
