package io.uv4j;

import java.io.UncheckedIOException;
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
 */
public final class Pipe extends Stream {
  /** {@link #chmod} flags. */
  public static final int READABLE = 1;
  public static final int WRITABLE = 2;

  private String connectTarget;
  private String bindTarget;

  /** {@code uv_pipe_init}; {@code ipc} enables handle passing between processes. */
  public Pipe(Loop loop, boolean ipc) {
    super(loop);
    this.address = nInit(loop.address, this, ipc);
    initialized();
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

  private static native long nInit(long loop, Pipe self, boolean ipc);

  private static native int nOpen(long h, int fd);

  private static native int nBind(long h, byte[] name);

  private static native int nConnect(long h, byte[] name);

  private static native int nChmod(long h, int flags);

  private static native void nPendingInstances(long h, int count);

  private static native byte[] nName(long h, boolean peer) throws UvException;
}
