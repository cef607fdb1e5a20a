package io.uv4j.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The readable side of a {@link NodeStream} (lib/internal/streams/readable.js): the read
 * buffer, flowing and paused modes, 'data'/'readable'/'end', {@code read(n)}, {@code pipe}.
 */
abstract class ReadableSide extends StreamBase {
  // ---- readable side
  int rHwm;
  final boolean rObjectMode;
  StringDecoder decoder; // setEncoding / the encoding option (Node: state.decoder)
  String rEncoding;
  final ArrayDeque<Object> rBuffer = new ArrayDeque<>(); // byte[], String (decoder) or objects
  long rLength; // bytes, chars (decoder) or objects
  Boolean flowing; // null: never set (Node: state.flowing === null)
  Boolean rPaused; // Node: state[kPaused], null until pause() or resume()
  boolean ended;
  boolean endEmitted;
  boolean reading;
  boolean rSync = true;
  boolean needReadable;
  boolean emittedReadable;
  boolean readableListening;
  boolean resumeScheduled;
  boolean readingMore;
  boolean dataEmitted;
  final List<NodeStream> pipes = new ArrayList<>();
  Object awaitDrainWriters; // null, a NodeStream, or a List<NodeStream> (multiAwaitDrain)
  boolean multiAwaitDrain;

  ReadableSide(NodeRuntime node, boolean readable, boolean writable, int readableHighWaterMark,
      boolean objectMode, String encoding) {
    super(node, readable, writable);
    if (readableHighWaterMark < 0) {
      throw new IllegalArgumentException("high-water marks must be >= 0");
    }
    this.rHwm = readableHighWaterMark;
    this.rObjectMode = objectMode;
    if (encoding != null) {
      this.decoder = new StringDecoder(encoding);
      this.rEncoding = decoder.encoding();
    }
  }

  /** After 'end' (needs the writable side: allowHalfOpen, autoDestroy). */
  abstract void endReadableNT();

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
          node.nextTick(() -> readChunk(0));
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

  void updateReadableListening() {
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
   * {@code push(chunk)}: adds a chunk to the read queue (or emits it at once when flowing);
   * {@code null} signals the end. Returns whether more may be pushed (below the high-water mark).
   * A byte stream takes {@code byte[]} and {@code String} (UTF-8) chunks, decoded to strings when
   * an encoding is set ({@link #setEncoding}); an object-mode stream takes any non-null object.
   * A wrong chunk type destroys the stream with ERR_INVALID_ARG_TYPE, like Node.
   */
  public boolean push(Object chunk) {
    return push(chunk, null);
  }

  /** {@code push(buffer)}: as {@link #push(Object)} (kept for code compiled against the byte-only streams). */
  public boolean push(byte[] chunk) {
    return push((Object) chunk, null);
  }

  /**
   * {@code push(string, encoding)}: the string's bytes in {@code encoding} (kept as a string when
   * it is the stream's own encoding).
   *
   * @throws NodeError ERR_UNKNOWN_ENCODING for an unknown encoding
   */
  public boolean push(Object chunk, String encoding) {
    requireReadable();
    if (chunk == null) {
      reading = false;
      onEofChunk();
      return false;
    }
    boolean decoded = false; // Node: encoding !== '' (the chunk is already in the stream's encoding)
    if (!rObjectMode) {
      if (chunk instanceof String) {
        String enc = Encodings.normalize(encoding);
        if (enc.equals(rEncoding)) {
          decoded = true;
        } else {
          chunk = Encodings.encode((String) chunk, enc);
        }
      } else if (!(chunk instanceof byte[])) {
        errorOrDestroy(new NodeError("ERR_INVALID_ARG_TYPE",
            "The \"chunk\" argument must be of type string or an instance of Buffer, TypedArray, or DataView."
                + " Received " + WritableSide.describeArg(chunk)), false);
        return false;
      }
      if (chunkLength(chunk) == 0) {
        reading = false;
        maybeReadMore();
        return canPushMore();
      }
    }
    if (ended) {
      errorOrDestroy(new NodeError("ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"), false);
      return false;
    }
    if (destroyed || errored != null) {
      return false;
    }
    reading = false;
    if (decoder != null && !decoded && chunk instanceof byte[]) {
      chunk = decoder.write((byte[]) chunk);
      if (!rObjectMode && ((String) chunk).isEmpty()) {
        maybeReadMore();
        return canPushMore();
      }
    }
    addChunk(chunk);
    return canPushMore();
  }

  boolean canPushMore() {
    return !ended && (rLength < rHwm || rLength == 0);
  }

  static int chunkLength(Object chunk) {
    return chunk instanceof byte[] ? ((byte[]) chunk).length : ((String) chunk).length();
  }

  /** How much a buffered chunk counts (Node: 1 in object mode, else its length). */
  int weight(Object chunk) {
    return rObjectMode ? 1 : chunkLength(chunk);
  }

  /**
   * {@code setEncoding(encoding)}: from now on {@code 'data'} delivers strings (listen with
   * {@link NodeStream#onStringData}), decoded with a {@link StringDecoder} so that a character
   * split across two chunks arrives whole; what is already buffered is decoded now.
   *
   * @throws NodeError ERR_UNKNOWN_ENCODING for an unknown encoding
   */
  public NodeStream setEncoding(String encoding) {
    requireReadable();
    StringDecoder d = new StringDecoder(encoding);
    decoder = d;
    rEncoding = d.encoding();
    StringBuilder content = new StringBuilder();
    for (Object data : rBuffer) {
      content.append(data instanceof byte[] ? d.write((byte[]) data) : data);
    }
    rBuffer.clear();
    if (content.length() > 0) {
      rBuffer.add(content.toString());
    }
    rLength = content.length();
    return self();
  }

  /** {@code readableEncoding}: the encoding set by {@link #setEncoding} or the option, or null. */
  public String readableEncoding() {
    return rEncoding;
  }

  /** {@code readableObjectMode}. */
  public boolean readableObjectMode() {
    return rObjectMode;
  }

  void addChunk(Object chunk) {
    if (Boolean.TRUE.equals(flowing) && rLength == 0 && !rSync && listenerCount("data") > 0) {
      clearAwaitDrain();
      dataEmitted = true;
      emit("data", (Object) chunk);
    } else {
      rLength += weight(chunk);
      rBuffer.add(chunk);
      if (needReadable) {
        emitReadable();
      }
    }
    maybeReadMore();
  }

  void clearAwaitDrain() {
    if (multiAwaitDrain) {
      ((List<?>) awaitDrainWriters).clear();
    } else {
      awaitDrainWriters = null;
    }
  }

  /**
   * {@code read()} of a byte stream: everything buffered (one chunk while flowing), or null.
   *
   * @throws IllegalStateException in object mode or with an encoding set (use
   *     {@link #readObject()} or {@link #readString()})
   */
  public byte[] read() {
    return read(-1);
  }

  /**
   * {@code read()} of a stream with an encoding set: the buffered text (one chunk while
   * flowing), or null.
   *
   * @throws IllegalStateException without an encoding, or in object mode
   */
  public String readString() {
    return readString(-1);
  }

  /** {@code read(n)} of a stream with an encoding set: n characters, as {@link #read(int)}. */
  public String readString(int n) {
    if (decoder == null || rObjectMode) {
      throw new IllegalStateException("readString needs an encoding (setEncoding) and no object mode");
    }
    return (String) readChunk(n);
  }

  /**
   * {@code read()} of an object-mode stream: the next object, or null.
   *
   * @throws IllegalStateException if the stream is not in object mode
   */
  public Object readObject() {
    if (!rObjectMode) {
      throw new IllegalStateException("readObject needs an object-mode stream");
    }
    return readChunk(-1);
  }

  /**
   * {@code read(n)}: n bytes if that many are buffered (or the rest at the end), else null
   * (and more are requested); -1 means Node's {@code read()} without a size.
   *
   * @throws IllegalStateException in object mode or with an encoding set
   */
  public byte[] read(int n) {
    if (n != 0 && (decoder != null || rObjectMode)) {
      throw new IllegalStateException("read() returns strings or objects here: use readString or readObject");
    }
    return (byte[]) readChunk(n);
  }

  /** Node's Readable.prototype.read: a byte[], a String or an object. */
  Object readChunk(int n) {
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
    Object ret = want > 0 ? fromList((int) want) : null;
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

  long howMuchToRead(boolean all, int n) {
    if ((!all && n <= 0) || (rLength == 0 && ended)) {
      return 0;
    }
    if (rObjectMode) {
      return 1;
    }
    if (all) {
      if (Boolean.TRUE.equals(flowing) && rLength > 0) {
        return chunkLength(rBuffer.peekFirst());
      }
      return rLength;
    }
    if (n <= rLength) {
      return n;
    }
    return ended ? rLength : 0;
  }

  static int nextPowerOfTwo(int n) {
    if (n > 0x40000000) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"size\" is out of range. It must be <= 1GiB. Received " + n);
    }
    return Integer.highestOneBit(n - 1) << 1;
  }

  /** Takes n bytes or chars (or one object) from the front of the buffer (n <= rLength, n > 0). */
  Object fromList(int n) {
    if (rLength == 0) {
      return null;
    }
    if (rObjectMode) {
      return rBuffer.pollFirst();
    }
    Object first = rBuffer.peekFirst();
    if (chunkLength(first) == n) {
      return rBuffer.pollFirst();
    }
    if (decoder != null) {
      StringBuilder out = new StringBuilder(n);
      while (out.length() < n) {
        String b = (String) rBuffer.pollFirst();
        int take = Math.min(b.length(), n - out.length());
        out.append(b, 0, take);
        if (take < b.length()) {
          rBuffer.addFirst(b.substring(take));
        }
      }
      return out.toString();
    }
    byte[] out = new byte[n];
    int off = 0;
    while (off < n) {
      byte[] b = (byte[]) rBuffer.pollFirst();
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

  void onEofChunk() {
    if (ended) {
      return;
    }
    if (decoder != null) {
      String tail = decoder.end();
      if (!tail.isEmpty()) {
        rBuffer.add(tail);
        rLength += rObjectMode ? 1 : tail.length();
      }
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

  void emitReadable() {
    needReadable = false;
    if (!emittedReadable) {
      emittedReadable = true;
      node.nextTick(this::emitReadableNow);
    }
  }

  void emitReadableNow() {
    if (!destroyed && errored == null && (rLength > 0 || ended)) {
      emit("readable");
      emittedReadable = false;
    }
    needReadable = !Boolean.TRUE.equals(flowing) && !ended && rLength <= rHwm;
    flow();
  }

  void maybeReadMore() {
    if (!readingMore && constructed) {
      readingMore = true;
      node.nextTick(() -> {
        while (!reading && !ended && (rLength < rHwm || (Boolean.TRUE.equals(flowing) && rLength == 0))) {
          long len = rLength;
          readChunk(0);
          if (len == rLength) {
            break;
          }
        }
        readingMore = false;
      });
    }
  }

  void flow() {
    while (Boolean.TRUE.equals(flowing) && readChunk(-1) != null) {
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
            readChunk(0);
          }
          resumeScheduled = false;
          emit("resume");
          flow();
          if (Boolean.TRUE.equals(flowing) && !reading) {
            readChunk(0);
          }
        });
      }
    }
    rPaused = false;
    return self();
  }

  /** {@code pause()}: stop emitting 'data' (data is buffered up to the high-water mark). */
  public NodeStream pause() {
    requireReadable();
    if (!Boolean.FALSE.equals(flowing)) {
      flowing = false;
      emit("pause");
    }
    rPaused = true;
    return self();
  }

  public boolean isPaused() {
    return Boolean.TRUE.equals(rPaused) || Boolean.FALSE.equals(flowing);
  }

  void endReadable() {
    if (!endEmitted) {
      ended = true;
      node.nextTick(this::endReadableNT);
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
    NodeStream src = self();
    if (pipes.size() == 1 && !multiAwaitDrain) {
      multiAwaitDrain = true;
      List<NodeStream> set = new ArrayList<>();
      if (awaitDrainWriters != null) {
        set.add((NodeStream) awaitDrainWriters);
      }
      awaitDrainWriters = set;
    }
    pipes.add(dest);
    ReadablePipe p = new ReadablePipe(this, src, dest);
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

  /** {@code unpipe()}: stops every pipe from this stream. */
  public NodeStream unpipe() {
    if (pipes.isEmpty()) {
      return self();
    }
    List<NodeStream> dests = new ArrayList<>(pipes);
    pipes.clear();
    pause();
    for (NodeStream d : dests) {
      d.emit("unpipe", this, new boolean[] {false});
    }
    return self();
  }

  /** {@code unpipe(dest)}. */
  public NodeStream unpipe(NodeStream dest) {
    int i = pipes.indexOf(dest);
    if (i < 0) {
      return self();
    }
    pipes.remove(i);
    if (pipes.isEmpty()) {
      pause();
    }
    dest.emit("unpipe", this, new boolean[] {false});
    return self();
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

  void requireReadable() {
    if (!hasReadable) {
      throw new UnsupportedOperationException("not a readable stream");
    }
    node.checkThread();
  }
}
