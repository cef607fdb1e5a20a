package io.uv4j;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A libuv stream ({@code uv_stream_t}): the base of {@link Tcp} and {@link Pipe}.
 *
 * <p><b>Reads</b> land in the loop's own native buffer; {@link ReadCallback#onData} sees a view
 * of exactly the bytes read, valid during the callback (no copy, no allocation).
 *
 * <p><b>Writes</b> come in two kinds:
 * <ul>
 *   <li>{@link #write(ByteBuffer)} / {@link #write(byte[])} without a callback take the bytes
 *       now: they are sent at once with {@code uv_try_write} when nothing is queued, and
 *       whatever could not be sent is copied once into native memory and queued. The buffer may
 *       be reused as soon as the call returns. A failure is reported to the stream's
 *       {@link ReadCallback#onError} (or closes the stream when it is not reading).
 *   <li>{@code write(..., StreamCallback)} writes a direct buffer in place, without a copy, and
 *       keeps it reachable until the callback (do not modify it before); heap buffers and arrays
 *       are copied once, and so is the view {@link ReadCallback#onData} gets (the loop's read
 *       buffer, which the next read overwrites). The callback runs exactly once: on success, on
 *       error, or with {@code ECANCELED} when the stream is closed first.
 * </ul>
 * A buffer's position advances by the bytes taken when the write is accepted.
 *
 * <p><b>Backpressure.</b> A peer that does not read makes writes queue in memory without bound
 * unless the writer stops producing. Every write returns {@code false} once the bytes it leaves
 * queued push {@link #pendingWriteBytes()} over the stream's {@link #highWaterMark()}; the
 * {@link #onDrain} callback then runs once, when the queue has fallen to the
 * {@link #lowWaterMark()}. A server that writes what it reads stops reading meanwhile:
 * <pre>{@code
 * ReadCallback echo = (s, data) -> {
 *   if (!s.write(data)) {
 *     s.readStop();                      // the peer is not keeping up: stop taking its bytes
 *   }
 * };
 * client.onDrain(s -> s.readStart(echo)); // the queue is down to the low-water mark: resume
 * client.readStart(echo);
 * }</pre>
 * Memory per stream then stays under the high-water mark plus one write. See
 * {@link #writeWaterMarks} for the defaults and {@link #onDrain} for when drain runs.
 *
 * <p>Operations used at set-up ({@link #listen}) throw the checked {@link UvException}; those
 * used inside callbacks ({@link #accept}, {@link #readStart}, writes) throw it wrapped in an
 * {@link UncheckedIOException}.
 */
public abstract class Stream extends Handle {
  // The stream's role (docs/ARCHITECTURE.md, "Handle state machines"). libuv asserts when a
  // listening stream's watcher sees a write, a connect or a shutdown, so the role decides which
  // operations reach libuv at all. Closing and closed are Handle's. Loop thread only.
  static final int NEW = 0;
  static final int LISTENING = 1;
  static final int CONNECTING = 2;
  static final int CONNECTED = 3;
  static final int CONNECT_FAILED = 4;
  private static final String[] ROLE_NAMES = {"new", "listening", "connecting", "connected", "connect failed"};

  int role = NEW;
  /** The socket or pipe descriptor registered in OwnedFds for this stream, or -1. */
  private int ownedFd = -1;
  /** An IPC pipe: a read may bring descriptors (see {@link #notePendingDescriptors}). */
  boolean receivesDescriptors;

  private ReadCallback readCallback;
  StreamCallback connectionCallback;
  StreamCallback shutdownCallback;
  StreamCallback connectCallback;

  // Writes in flight (FIFO, buffers kept reachable) and backpressure (see the section below):
  // all on the loop thread, no allocation per write.
  final StreamWriteQueue writes = new StreamWriteQueue();
  Consumer<Stream> drainCallback;

  Stream(Loop loop) {
    super(loop);
  }

  /** Called by the subclass once uv_*_init succeeded. */
  final void initialized() {
    if (!loop.streamFdsRegistered) {
      // libuv opens the loop's EMFILE reserve descriptor with its first stream: Fs.close must
      // refuse that one too.
      loop.streamFdsRegistered = true;
      OwnedFds.registerLoop(loop);
    }
    trackFd(); // uv_tcp_init_ex creates the socket at once
    if (Upcalls.ACTIVE) {
      nSetPeer(address, peerIndex()); // reads and write completions come through FFM (stream.c)
    }
  }

  // ---------------------------------------------------------------- server side

  /**
   * {@code uv_listen}: {@code onConnection} runs for each incoming connection; then {@link #accept}.
   *
   * @throws IllegalStateException unless the stream is new (not listening, connecting,
   *     connected, reading or writing)
   * @throws IllegalArgumentException if {@code backlog} is negative
   */
  public void listen(int backlog, StreamCallback onConnection) throws UvException {
    StreamConnections.listen(this, backlog, onConnection);
  }

  /**
   * {@code uv_accept}: takes the pending connection into {@code client}, a new stream of the same
   * kind ({@code Tcp} for a {@code Tcp} server, {@code Pipe} for a {@code Pipe} server) created on
   * the same loop, that has no socket yet. {@code EAGAIN} when no connection is pending.
   *
   * @throws IllegalStateException if this stream is not listening, or {@code client} is closed,
   *     not new, already has a descriptor, or is this stream
   * @throws IllegalArgumentException if {@code client} belongs to another loop or is of another kind
   */
  public void accept(Stream client) {
    StreamConnections.accept(this, client);
  }

  // ---------------------------------------------------------------- reading

  /** {@code uv_read_start}. */
  public void readStart(ReadCallback callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    if (role == LISTENING) { // what libuv answers for a listening socket; it must not see it
      throw new UncheckedIOException(new UvException(Errno.ENOTCONN, "uv_read_start"));
    }
    loop.readBuffer(); // allocated on first use
    ReadCallback previous = readCallback;
    readCallback = callback;
    int r = nReadStart(a);
    if (r != 0) {
      readCallback = previous; // EALREADY: the running read keeps its callback
      throw new UncheckedIOException(new UvException(r, "uv_read_start"));
    }
  }

  /** {@code uv_read_stop}: no more reads until the next {@link #readStart}. */
  public void readStop() {
    nReadStop(open());
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes {@code buf}'s remaining bytes, taken now (see the class comment).
   *
   * @return false if the bytes left queued put {@link #pendingWriteBytes()} over the
   *     {@link #highWaterMark()}: stop writing until {@link #onDrain} (see the class comment)
   */
  public boolean write(ByteBuffer buf) {
    return StreamWrites.write(this, buf);
  }

  /**
   * The bytes from {@code pos} to the limit, with the limit read once: the native side is handed
   * (pos, len) without another bounds check, so they must come from single reads. A buffer that
   * another thread moves meanwhile (misuse) then sends wrong bytes, never bytes past its limit.
   */
  static int span(ByteBuffer buf, int pos) {
    return Math.max(0, buf.limit() - pos);
  }

  /**
   * Writes {@code data}, taken now (see the class comment).
   *
   * @return false if the queue is now over the {@link #highWaterMark()} (see {@link #onDrain})
   */
  public boolean write(byte[] data) {
    return write(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
  }

  /**
   * Writes {@code buf}'s remaining bytes; a direct buffer without a copy (see the class comment).
   *
   * @return false if the queue is now over the {@link #highWaterMark()} (see {@link #onDrain})
   */
  public boolean write(ByteBuffer buf, StreamCallback callback) {
    return StreamWrites.write(this, buf, callback);
  }

  /**
   * Writes {@code data[off, off+len)}, copied once.
   *
   * @return false if the queue is now over the {@link #highWaterMark()} (see {@link #onDrain})
   */
  public boolean write(byte[] data, int off, int len, StreamCallback callback) {
    return StreamWrites.write(this, data, off, len, callback);
  }

  /**
   * Writes several buffers in one request, in order; direct ones in place.
   *
   * @return false if the queue is now over the {@link #highWaterMark()} (see {@link #onDrain})
   */
  public boolean write(ByteBuffer[] bufs, StreamCallback callback) {
    return StreamWrites.write(this, bufs, callback);
  }

  /**
   * {@code uv_try_write}: writes what can be written now without blocking and returns the count
   * (0 if nothing could be), advancing the position by it.
   */
  public int tryWrite(ByteBuffer buf) throws UvException {
    return StreamWrites.tryWrite(this, buf);
  }

  /** {@code uv_shutdown}: after queued writes, shut the write side (the peer reads EOF). */
  public void shutdown(StreamCallback callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    if (role == LISTENING) {
      throw new UncheckedIOException(new UvException(Errno.ENOTCONN, "uv_shutdown"));
    }
    if (shutdownCallback != null) {
      throw new IllegalStateException("a shutdown is already in progress");
    }
    shutdownCallback = callback;
    int r = nShutdown(a);
    if (r != 0) {
      shutdownCallback = null;
      throw new UncheckedIOException(new UvException(r, "uv_shutdown"));
    }
  }

  /** {@code uv_is_readable}. */
  public boolean isReadable() {
    return nIsReadable(open());
  }

  /** {@code uv_is_writable}. */
  public boolean isWritable() {
    return nIsWritable(open());
  }

  /** {@code uv_stream_get_write_queue_size}: bytes queued, not yet written. */
  public long writeQueueSize() {
    return nWriteQueueSize(open());
  }

  /** {@code uv_fileno}: the OS descriptor. */
  public int fileno() throws UvException {
    int r = nFileno(open());
    if (r < 0) {
      throw new UvException(r, "uv_fileno");
    }
    return r;
  }

  /** {@code uv_send_buffer_size}: reads (value 0) or sets SO_SNDBUF. */
  public int sendBufferSize(int value) throws UvException {
    return bufferSize(true, value);
  }

  /** {@code uv_recv_buffer_size}: reads (value 0) or sets SO_RCVBUF. */
  public int recvBufferSize(int value) throws UvException {
    return bufferSize(false, value);
  }

  private int bufferSize(boolean send, int value) throws UvException {
    if (value < 0) {
      throw new IllegalArgumentException("buffer size must be >= 0: " + value);
    }
    int r = nBufferSize(open(), send, value);
    if (r < 0) {
      throw new UvException(r, send ? "uv_send_buffer_size" : "uv_recv_buffer_size");
    }
    return r;
  }

  // ---------------------------------------------------------------- backpressure

  /**
   * The default {@link #highWaterMark()}: 64 KiB, one read of the loop's default read buffer
   * (so an echo is over the mark after one queued read) and the high mark Netty and Node (22+)
   * use. A slow peer then costs at most about 64 KiB plus one write; 10 000 of them about 1.3 GB
   * at worst, where 1 MiB would allow 20 GB. Raise it per stream for bulk transfers to fast peers.
   */
  public static final long DEFAULT_HIGH_WATER_MARK = 64 * 1024;

  /**
   * The default {@link #lowWaterMark()}: 0, drain when every write has completed (Node's
   * {@code 'drain'}). The kernel's send buffer still holds data for the peer at that point, so
   * resuming then costs no throughput.
   */
  public static final long DEFAULT_LOW_WATER_MARK = 0;

  /**
   * Bytes this stream holds for writes that have not completed yet: the part of each write that
   * was not sent at once (a no-callback write sent whole by {@code uv_try_write} counts
   * nothing). This is the memory a slow peer costs, and what the water marks are compared with.
   * It falls as writes complete, before their callbacks run; 0 once the close callback has run
   * (closing completes the pending writes with {@code ECANCELED}). Unlike
   * {@link #writeQueueSize()} (libuv's count of bytes not yet handed to the kernel), it includes
   * writes sent but whose completion has not been processed yet.
   */
  public long pendingWriteBytes() {
    loop.checkThread();
    return writes.pending;
  }

  /** Whether {@link #pendingWriteBytes()} is over the {@link #highWaterMark()}. */
  public boolean isWriteQueueFull() {
    loop.checkThread();
    return writes.pending > writes.high;
  }

  /** Over this many {@link #pendingWriteBytes()} a write returns false. */
  public long highWaterMark() {
    loop.checkThread();
    return writes.high;
  }

  /** {@link #onDrain} runs when {@link #pendingWriteBytes()} falls to this many after a full signal. */
  public long lowWaterMark() {
    loop.checkThread();
    return writes.low;
  }

  /**
   * Sets this stream's water marks (defaults {@link #DEFAULT_LOW_WATER_MARK} and
   * {@link #DEFAULT_HIGH_WATER_MARK}): writes return false while more than {@code high} bytes
   * are pending, and {@link #onDrain} runs when they fall to {@code low}. Takes effect from the
   * next write or completion.
   *
   * @throws IllegalArgumentException unless {@code 0 <= low <= high}
   */
  public void writeWaterMarks(long low, long high) {
    if (low < 0 || low > high) {
      throw new IllegalArgumentException("water marks need 0 <= low <= high: low " + low + ", high " + high);
    }
    open();
    writes.low = low;
    writes.high = high;
  }

  /**
   * Sets (null: removes) the drain callback. It runs on the loop thread, after the completion
   * callback of the write that brought {@link #pendingWriteBytes()} down to the
   * {@link #lowWaterMark()}, exactly once per episode that began with a write returning false
   * (whether or not that result was looked at); never without such a write, never for a write
   * that failed (the failure is reported instead), and never once the stream is closing. It is
   * never called from inside a write call, so setting it right after a write returned false is
   * in time; a drain that comes while no callback is set is not replayed.
   */
  public void onDrain(Consumer<Stream> callback) {
    open();
    drainCallback = callback;
  }

  /** For Pipe.write2: see {@link StreamWriteQueue#belowHigh}. */
  final boolean belowHighWaterMark() {
    return writes.belowHigh();
  }

  // ---------------------------------------------------------------- connect (Tcp, Pipe)

  /** Checks a connect may start (the caller has called open()) and records its callback. */
  final void startConnect(StreamCallback callback) {
    StreamConnections.startConnect(this, callback);
  }

  /** libuv accepted the connect request. */
  final void connectStarted() {
    role = CONNECTING;
    trackFd(); // the connect created the socket
  }

  /** libuv refused the connect request at once; its socket may be half set up. */
  final void connectFailed() {
    connectCallback = null;
    role = CONNECT_FAILED;
    trackFd();
  }

  /** Tcp.open / Pipe.open: only on a new stream without a descriptor. */
  final long openableAddress(long fd) {
    return StreamConnections.openableAddress(this, fd);
  }

  /**
   * What a descriptor is (see {@link #nFdKind}): FD_* in the low byte, plus FD_CONNECTED and
   * FD_LISTENING for sockets; negative errno if fstat fails; 0 where the platform cannot tell.
   */
  static int fdKind(long fd) {
    return nFdKind((int) fd);
  }

  static final int FD_FIFO = 1;
  static final int FD_UNIX_SOCKET = 2;
  static final int FD_TCP_SOCKET = 3;
  static final int FD_OTHER_SOCKET = 4;
  static final int FD_FILE = 5;
  static final int FD_CHAR_DEVICE = 6;
  static final int FD_DIRECTORY = 7;
  static final int FD_OTHER = 8;
  static final int FD_CONNECTED = 0x100;
  static final int FD_LISTENING = 0x200;

  static String fdKindName(int kind) {
    return StreamConnections.fdKindName(kind);
  }

  /** After a successful open(): the role follows the descriptor's state. */
  final void opened(int kind) {
    role = (kind & FD_CONNECTED) != 0 ? CONNECTED : NEW;
    trackFd();
  }

  /** Records the descriptor libuv now holds for this stream, if it has one. */
  final void trackFd() {
    if (ownedFd < 0 && address != 0) {
      int fd = nFileno(address);
      if (fd >= 0) {
        ownedFd = fd;
        OwnedFds.add(fd, this);
      }
    }
  }

  /** IPC pipes: records the descriptors a read brought. */
  void notePendingDescriptors() {}

  /** uv_close closes the descriptor: forget it first. */
  @Override
  void beforeClose() {
    if (ownedFd >= 0) {
      OwnedFds.remove(ownedFd, this);
      ownedFd = -1;
    }
  }

  /**
   * The address for a write. A listening stream answers EPIPE as libuv does for one it created,
   * without libuv seeing the write: on a listening socket that was opened (or had a failed
   * connect) libuv would queue it, and its listen watcher asserts on the POLLOUT that follows.
   */
  final long writableAddress() {
    long a = open();
    if (role == LISTENING) {
      throw new UncheckedIOException(new UvException(Errno.EPIPE, "uv_write"));
    }
    return a;
  }

  final String roleName() {
    return ROLE_NAMES[role];
  }

  /** Handle's form plus the stream's role, e.g. {@code Tcp@1b2c3d[active, listening]}. */
  @Override
  public String toString() {
    String s = super.toString();
    return s.substring(0, s.length() - 1) + ", " + roleName() + "]";
  }

  // ---------------------------------------------------------------- from native

  void onConnection(int status) {
    try {
      connectionCallback.done(this, status < 0 ? new UvException(status, "uv_listen") : null);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  final void onRead(int nread) {
    ReadCallback cb = readCallback;
    if (cb == null) {
      return;
    }
    if (receivesDescriptors) {
      notePendingDescriptors();
    }
    try {
      if (nread > 0) {
        ByteBuffer b = loop.readBuffer;
        b.clear().limit(nread);
        cb.onData(this, b);
      } else if (nread == Errno.EOF) {
        cb.onEnd(this);
      } else {
        cb.onError(this, new UvException(nread, "uv_read"));
      }
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  final void onWriteDone(int status) {
    StreamWriteQueue q = writes;
    Object kept = q.headBuffer();
    // The buffer may go now; pending bytes fall before the callback, which may throw.
    StreamCallback cb = q.poll();
    try {
      if (cb != null) {
        cb.done(this, status < 0 ? new UvException(status, "uv_write") : null);
      } else if (status < 0 && status != Errno.ECANCELED) {
        UvException e = new UvException(status, "uv_write");
        if (readCallback != null) {
          readCallback.onError(this, e);
        } else {
          close();
        }
      }
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
    if (kept instanceof Handle) {
      ((Handle) kept).unpinForSend(); // Pipe.write2 sent it: its memory may go if it was closed
    }
    StreamWrites.maybeDrain(this, status);
  }

  void onShutdown(int status) {
    StreamCallback cb = shutdownCallback;
    shutdownCallback = null;
    try {
      cb.done(this, status < 0 ? new UvException(status, "uv_shutdown") : null);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  void onConnect(int status) {
    StreamCallback cb = connectCallback;
    connectCallback = null;
    if (role == CONNECTING) {
      role = status == 0 ? CONNECTED : CONNECT_FAILED;
    }
    try {
      cb.done(this, status < 0 ? new UvException(status, connectSyscall(), connectTarget(), null) : null);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  abstract String connectSyscall();

  /** The address or name given to bind, for listen's errors (EADDRINUSE); null if none. */
  abstract String bindTarget();

  abstract String connectTarget();

  @Override
  void clearCallbacks() {
    readCallback = null;
    connectionCallback = null;
    shutdownCallback = null;
    connectCallback = null;
    drainCallback = null;
  }

  /** For Pipe.write2: see {@link StreamWriteQueue#push}. */
  final void pushWrite(Object buffer, StreamCallback callback, long length) {
    writes.push(buffer, callback, length);
  }

  static void checkWrite(int r, String syscall) {
    if (r != 0) {
      throw new UncheckedIOException(new UvException(r, syscall));
    }
  }

  static native int nListen(long h, int backlog);

  static native int nAccept(long server, long client);

  private static native int nReadStart(long h);

  private static native int nReadStop(long h);

  static native int nWriteDirect(long h, ByteBuffer buf, int pos, int len, boolean copy);

  static native int nWriteArray(long h, byte[] data, int off, int len);

  static native int nWritev(long h, ByteBuffer[] bufs, int[] pos, int[] len);

  static native int nTryWriteDirect(long h, ByteBuffer buf, int pos, int len);

  static native int nTryWriteArray(long h, byte[] data, int off, int len);

  static native int nTryWriteReadBuffer(long h, long address, int len);

  static native int nWriteReadBuffer(long h, long address, int len);

  private static native long nDirectAddress(ByteBuffer buf);

  private static native void nSetPeer(long h, int peer);

  /** The native address of a direct buffer (the loop's read buffer, once). */
  static long directAddress(ByteBuffer buf) {
    return nDirectAddress(buf);
  }

  private static native int nShutdown(long h);

  private static native boolean nIsReadable(long h);

  private static native boolean nIsWritable(long h);

  private static native long nWriteQueueSize(long h);

  static native int nFileno(long h);

  /** {@code uv_fileno} of a stream's native handle: its descriptor, or a negative errno (ChildProcess). */
  static int nFilenoOf(long h) {
    return nFileno(h);
  }

  private static native int nFdKind(int fd);

  private static native int nBufferSize(long h, boolean send, int value);
}
