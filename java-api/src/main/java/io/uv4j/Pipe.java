package io.uv4j;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A local stream ({@code uv_pipe_t}): a Unix domain socket (a named pipe on Windows), or a pipe
 * or socket descriptor opened with {@link #open(int)}.
 *
 * <pre>{@code
 * Pipe server = new Pipe(loop, false);
 * server.bind("/tmp/echo.sock");
 * server.listen(16, (s, e) -> { Pipe c = new Pipe(loop, false); s.accept(c); c.readStart((st, d) -> st.write(d)); });
 * }</pre>
 *
 * <p><b>IPC and handle passing.</b> A pipe created with {@code ipc = true} can carry handles
 * between processes along with its bytes: {@link #write2} sends a {@link Tcp}, {@link Pipe} or
 * {@link Udp} handle's descriptor (the receiving process gets its own copy of the socket), and
 * the receiver, in its read callback, takes each received handle with {@link #acceptPending}.
 * This is how a process-based cluster shares one listening socket:
 * <pre>{@code
 * // parent: channel is an IPC pipe to the child (StdioConfig.pipe(new Pipe(loop, true), true, true))
 * channel.write2("server".getBytes(UTF_8), server, (s, err) -> server.close());
 *
 * // child: the channel is descriptor 3
 * Pipe channel = new Pipe(loop, true);
 * channel.open(3);
 * channel.readStart((s, data) -> {
 *   while (channel.pendingCount() > 0) {
 *     Tcp server = new Tcp(loop);
 *     channel.acceptPending(server);          // a listening socket: listen on it here too
 *     server.listen(128, (srv, err) -> { Tcp c = new Tcp(loop); srv.accept(c); ... });
 *   }
 * });
 * }</pre>
 * Descriptors received but not accepted are closed with the pipe.
 */
public final class Pipe extends Stream {
  /** {@link #chmod} flags. */
  public static final int READABLE = 1;
  public static final int WRITABLE = 2;

  private final boolean ipc;
  private String connectTarget;
  private String bindTarget;

  /** {@code uv_pipe_init}; {@code ipc} enables handle passing between processes ({@link #write2}). */
  public Pipe(Loop loop, boolean ipc) {
    super(loop);
    this.address = nInit(loop.address, this, ipc);
    this.ipc = ipc;
    this.receivesDescriptors = ipc;
    initialized();
  }

  /**
   * A connected pair of Unix domain sockets ({@code uv_socketpair}), each opened in a new pipe
   * of {@code loop}: an in-process channel, or (with {@code ipc}) a handle-passing one.
   */
  public static Pipe[] pair(Loop loop, boolean ipc) throws UvException {
    Objects.requireNonNull(loop, "loop");
    loop.checkThread();
    int[] fds = Uv.socketpair();
    Pipe a = null;
    Pipe b = null;
    try {
      a = new Pipe(loop, ipc);
      a.open(fds[0]);
      fds[0] = -1;
      b = new Pipe(loop, ipc);
      b.open(fds[1]);
      fds[1] = -1;
      return new Pipe[] {a, b};
    } catch (RuntimeException | UvException e) {
      for (int fd : fds) {
        if (fd >= 0) {
          nCloseFd(fd);
        }
      }
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      throw e;
    }
  }

  /** Whether this pipe was created with {@code ipc = true}. */
  public boolean isIpc() {
    return ipc;
  }

  /**
   * {@code uv_pipe_open}: adopts an existing pipe (FIFO) or Unix domain socket descriptor; the
   * handle owns it from here on (closing the handle closes it, except stdin/out/err).
   *
   * @throws IllegalArgumentException if {@code fd} is a regular file, a directory, a character
   *     device (a terminal, {@code /dev/null}: libuv cannot poll those as streams), a TCP socket
   *     ({@link Tcp#open}), or belongs to another handle or to a loop
   * @throws IllegalStateException if this handle already has a descriptor or was used
   */
  public void open(int fd) throws UvException {
    long a = openableAddress(fd);
    int kind = fdKind(fd);
    if (kind < 0) {
      throw new UvException(kind, "uv_pipe_open", "fd " + fd, null);
    }
    int k = kind & 0xff;
    if (kind != 0 && k != FD_FIFO && k != FD_UNIX_SOCKET) {
      throw new IllegalArgumentException("fd " + fd + " is " + fdKindName(kind)
          + ": Pipe.open takes a pipe or a Unix domain socket" + (k == FD_TCP_SOCKET ? " (use Tcp.open)" : ""));
    }
    int r = nOpen(a, fd);
    if (r != 0) {
      throw new UvException(r, "uv_pipe_open", "fd " + fd, null);
    }
    opened(k == FD_FIFO ? kind | FD_CONNECTED : kind); // a pipe has no listening side
  }

  /**
   * {@code uv_pipe_bind}: a file system path (Unix) or pipe name (Windows). A path too long for
   * a socket address (over 107 bytes on Linux) is ENAMETOOLONG, never silently shortened.
   *
   * <p>A name starting with {@code '\0'} is a Linux abstract socket name (no file; Node's
   * convention), bound with {@code uv_pipe_bind2} and its exact length: {@code "\0uv4j-demo"}.
   *
   * @throws UnsupportedOperationException for an abstract name with libuv older than 1.46.0
   * @throws IllegalArgumentException if the name contains NUL anywhere but at its start
   */
  public void bind(String name) throws UvException {
    int r = nBind(open(), bytes(name));
    trackFd();
    if (r != 0) {
      throw new UvException(r, "uv_pipe_bind", name, null);
    }
    bindTarget = name;
  }

  /**
   * {@code uv_pipe_connect}: errors (ENOENT, ECONNREFUSED...) arrive in the callback; a name too
   * long for a socket address throws ENAMETOOLONG here. A name starting with {@code '\0'} is a
   * Linux abstract socket name ({@code uv_pipe_connect2}), as in {@link #bind(String)}.
   *
   * @throws UnsupportedOperationException for an abstract name with libuv older than 1.46.0
   */
  public void connect(String name, StreamCallback callback) {
    Objects.requireNonNull(callback, "callback");
    byte[] b = bytes(name);
    long a = open();
    startConnect(callback);
    connectTarget = name;
    int r = nConnect(a, b);
    if (r != 0) {
      connectFailed();
      throw new UncheckedIOException(new UvException(r, "uv_pipe_connect", name, null));
    }
    connectStarted();
  }

  /** {@code uv_pipe_chmod} with {@link #READABLE} and/or {@link #WRITABLE}. */
  public void chmod(int flags) throws UvException {
    int r = nChmod(open(), flags);
    if (r != 0) {
      throw new UvException(r, "uv_pipe_chmod");
    }
  }

  /** {@code uv_pipe_pending_instances} (Windows pipe servers). */
  public void pendingInstances(int count) {
    nPendingInstances(open(), count);
  }

  // ---------------------------------------------------------------- IPC

  /**
   * {@code uv_write2}: writes {@code data}'s remaining bytes (copied once) and sends
   * {@code sendHandle}'s descriptor with them; with a null {@code sendHandle}, a plain
   * {@link #write(ByteBuffer, StreamCallback) write}. The receiving process gets its own copy of
   * the socket ({@link #acceptPending}); this process keeps its handle. Close it (if it is not
   * needed here) in the callback: closed while this write is still queued (a channel whose peer
   * is not reading), it makes the write fail with {@code EBADF}, as in libuv. The callback runs
   * once, as for any write.
   *
   * @return false if the queue is now over the {@link #highWaterMark()} (see {@link #onDrain})
   * @throws IllegalStateException if this pipe is not an IPC pipe, is listening or closed, or
   *     {@code sendHandle} is closed
   * @throws IllegalArgumentException if {@code data} is empty (a descriptor travels with at least
   *     one byte), or {@code sendHandle} is not a Tcp, Pipe or Udp of this loop
   * @throws UncheckedIOException with EBADF if {@code sendHandle} has no socket yet, or libuv's
   *     error (EPIPE after a shutdown...)
   */
  public boolean write2(ByteBuffer data, Handle sendHandle, StreamCallback callback) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(callback, "callback");
    if (sendHandle == null) {
      return write(data, callback);
    }
    long a = writableAddress();
    long send = sendableAddress(sendHandle);
    int len = data.remaining();
    if (len == 0) {
      throw new IllegalArgumentException("write2 needs at least one byte to carry the handle");
    }
    int pos = data.position();
    int r;
    if (data.hasArray()) {
      r = nWrite2(a, data.array(), data.arrayOffset() + pos, len, send);
    } else {
      byte[] copy = new byte[len];
      data.duplicate().get(copy);
      r = nWrite2(a, copy, 0, len, send);
    }
    checkWrite(r, "uv_write2");
    sendHandle.pinForSend();
    pushWrite(sendHandle, callback, len); // keeps the handle reachable; unpinned on completion
    data.position(pos + len);
    return belowHighWaterMark();
  }

  /** {@link #write2(ByteBuffer, Handle, StreamCallback)} of a whole array. */
  public boolean write2(byte[] data, Handle sendHandle, StreamCallback callback) {
    return write2(ByteBuffer.wrap(Objects.requireNonNull(data, "data")), sendHandle, callback);
  }

  private long sendableAddress(Handle h) {
    if (!ipc) {
      throw new IllegalStateException(this + ": write2 with a handle needs a Pipe created with ipc = true");
    }
    if (!(h instanceof Tcp || h instanceof Pipe || h instanceof Udp)) {
      throw new IllegalArgumentException("write2 sends a Tcp, Pipe or Udp handle, not a "
          + h.getClass().getSimpleName());
    }
    if (h.loop != loop) {
      throw new IllegalArgumentException(h + " belongs to another loop: write2 sends a handle of the pipe's loop");
    }
    long s = h.open();
    int fd = h instanceof Udp ? ((Udp) h).filenoOrError() : nFilenoOf(s);
    if (fd < 0) {
      throw new UncheckedIOException(new UvException(Errno.EBADF, "uv_write2", null, null,
          h + " has no socket to send yet (bind, listen or connect it first)"));
    }
    return s;
  }

  /**
   * {@code uv_pipe_pending_count}: handles received on this IPC pipe and not yet taken with
   * {@link #acceptPending}; 0 for a pipe that is not an IPC pipe. Check it in the read callback
   * of the data that carried them.
   */
  public int pendingCount() {
    return nPendingCount(open());
  }

  /**
   * {@code uv_pipe_pending_type}: what the next pending handle is ({@link Uv.HandleType#TCP},
   * {@link Uv.HandleType#NAMED_PIPE}, {@link Uv.HandleType#UDP}; FILE or UNKNOWN for descriptors
   * no handle can take, see {@link #discardPending}); UNKNOWN when none is pending.
   */
  public Uv.HandleType pendingType() {
    return Uv.HandleType.values()[nPendingType(open())];
  }

  /**
   * {@code uv_accept} on an IPC pipe: takes the next pending handle into {@code client}, a new
   * handle of the pending type ({@link #pendingType}) on this loop, without a socket yet. A
   * received listening socket can then {@link #listen} (the child side of a cluster); a
   * connected one reads and writes; a received Udp keeps the socket's binding.
   *
   * @throws IllegalStateException if this pipe is not an IPC pipe, is listening or closed, or
   *     {@code client} is closed, already used or has a socket
   * @throws IllegalArgumentException if {@code client} is of another kind than the pending
   *     handle, belongs to another loop, or is this pipe
   * @throws UncheckedIOException with EAGAIN when no handle is pending
   */
  public void acceptPending(Handle client) {
    Objects.requireNonNull(client, "client");
    long a = open();
    if (!ipc) {
      throw new IllegalStateException(this + ": acceptPending() needs a Pipe created with ipc = true");
    }
    if (role == LISTENING) {
      throw new IllegalStateException(this + ": acceptPending() on a listening pipe (use accept)");
    }
    if (client.loop != loop) {
      throw new IllegalArgumentException(client + " belongs to another loop: acceptPending() takes a "
          + "handle created on the pipe's loop");
    }
    if (client == this) {
      throw new IllegalArgumentException("acceptPending() into the IPC pipe itself");
    }
    if (nPendingCount(a) == 0) {
      throw new UncheckedIOException(new UvException(Errno.EAGAIN, "uv_accept", null, null,
          "no handle is pending on " + this));
    }
    Uv.HandleType type = pendingType();
    Class<?> wanted = type == Uv.HandleType.TCP ? Tcp.class
        : type == Uv.HandleType.NAMED_PIPE ? Pipe.class : type == Uv.HandleType.UDP ? Udp.class : null;
    if (wanted == null) {
      throw new IllegalArgumentException("the pending descriptor is " + type
          + ": no handle can take it (discardPending() closes it)");
    }
    if (client.getClass() != wanted) {
      throw new IllegalArgumentException("the pending handle is " + type + ": accept it into a "
          + wanted.getSimpleName() + ", not a " + client.getClass().getSimpleName());
    }
    long c = client.open();
    boolean fresh = client instanceof Udp ? ((Udp) client).acceptable()
        : ((Stream) client).role == NEW && nFilenoOf(c) < 0;
    if (!fresh) {
      throw new IllegalStateException(client + ": acceptPending() needs a new handle without a socket");
    }
    int r = nAcceptPending(a, c);
    if (r != 0) {
      throw new UncheckedIOException(new UvException(r, "uv_accept"));
    }
    if (client instanceof Udp) {
      ((Udp) client).accepted();
    } else {
      int kind = fdKind(nFilenoOf(c));
      ((Stream) client).opened((kind & 0xff) == FD_FIFO ? kind | FD_CONNECTED : Math.max(kind, 0));
    }
  }

  /** Closes the next pending descriptor without taking it (for types no handle can take). */
  public void discardPending() {
    long a = open();
    if (!ipc || role == LISTENING || nPendingCount(a) == 0) {
      return;
    }
    int fd = nPendingFds(a)[0];
    Pipe sink = new Pipe(loop, false);
    int r = nAcceptPending(a, sink.address); // libuv closes the descriptor itself on failure
    sink.close();
    OwnedFds.remove(fd, this); // closed either way: the number is free for reuse
    if (r != 0) {
      throw new UncheckedIOException(new UvException(r, "uv_accept"));
    }
  }

  /**
   * Before each read callback of an IPC pipe: the descriptors that came with the data are
   * libuv's until accepted (Fs.close must refuse them; see {@link OwnedFds}).
   */
  @Override
  final void notePendingDescriptors() {
    if (nPendingCount(address) > 0) {
      for (int fd : nPendingFds(address)) {
        OwnedFds.add(fd, this);
      }
      holdsPending = true;
    }
  }

  /** Whether OwnedFds may hold received descriptors for this pipe (see notePendingDescriptors). */
  private boolean holdsPending;

  /** uv_close closes the descriptors still pending too. */
  @Override
  void beforeClose() {
    super.beforeClose();
    if (holdsPending) {
      OwnedFds.removeAll(this);
      holdsPending = false;
    }
  }

  /** {@code uv_pipe_getsockname}. */
  public String localName() throws UvException {
    return string(nName(open(), false));
  }

  /** {@code uv_pipe_getpeername}. */
  public String peerName() throws UvException {
    return string(nName(open(), true));
  }

  @Override
  String connectSyscall() {
    return "uv_pipe_connect";
  }

  @Override
  String connectTarget() {
    return connectTarget;
  }

  @Override
  String bindTarget() {
    return bindTarget;
  }

  private static byte[] bytes(String name) {
    Objects.requireNonNull(name, "name");
    if (name.indexOf('\0', 1) >= 0 || name.equals("\0")) {
      throw new IllegalArgumentException("pipe name contains a NUL character");
    }
    if (name.startsWith("\0") && Uv.version() < 0x012e00) {
      throw new UnsupportedOperationException(
          "abstract socket names need libuv >= 1.46.0 (uv_pipe_bind2), this is " + Uv.versionString());
    }
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static String string(byte[] b) {
    int n = b.length;
    while (n > 0 && b[n - 1] == 0) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  private static native int nWrite2(long h, byte[] data, int off, int len, long sendHandle);

  private static native int nPendingCount(long h);

  /** The received descriptors not yet accepted, in the order acceptPending takes them. */
  static native int[] nPendingFds(long h);

  private static native int nPendingType(long h);

  private static native int nAcceptPending(long h, long client);

  /** uv_pipe: {read, write} descriptors, or throws. */
  static native int[] nPipeFds(boolean nonblockRead, boolean nonblockWrite) throws UvException;

  /** uv_socketpair(SOCK_STREAM or SOCK_DGRAM): two descriptors, or throws. */
  static native int[] nSocketpair(boolean datagram, boolean nonblock0, boolean nonblock1) throws UvException;

  static native void nCloseFd(int fd);

  private static native long nInit(long loop, Pipe self, boolean ipc);

  private static native int nOpen(long h, int fd);

  private static native int nBind(long h, byte[] name);

  private static native int nConnect(long h, byte[] name);

  private static native int nChmod(long h, int flags);

  private static native void nPendingInstances(long h, int count);

  private static native byte[] nName(long h, boolean peer) throws UvException;
}
