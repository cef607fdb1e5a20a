package io.uv4j;

import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A TCP socket or server ({@code uv_tcp_t}).
 *
 * <pre>{@code
 * Tcp server = new Tcp(loop);
 * server.bind(new InetSocketAddress("127.0.0.1", 7000));
 * server.listen(128, (s, error) -> {
 *   Tcp client = new Tcp(loop);
 *   server.accept(client);
 *   client.readStart((stream, data) -> stream.write(data));   // echo
 * });
 * loop.run();
 * }</pre>
 */
public final class Tcp extends Stream {
  private String connectTarget;
  private String bindTarget;

  /** {@code uv_tcp_init}: the socket is created when first needed (bind, connect). */
  public Tcp(Loop loop) {
    super(loop);
    this.address = nInit(loop.address, this, 0);
    initialized();
  }

  /** {@code uv_tcp_init_ex}: creates the socket of {@code family} (INET or INET6) now. */
  public Tcp(Loop loop, StandardProtocolFamily family) {
    super(loop);
    Objects.requireNonNull(family, "family");
    if (family == StandardProtocolFamily.UNIX) {
      throw new IllegalArgumentException("a Tcp handle is INET or INET6; use Pipe for UNIX");
    }
    this.address = nInit(loop.address, this, family == StandardProtocolFamily.INET6 ? 6 : 4);
    initialized();
  }

  /**
   * {@code uv_tcp_open}: adopts an existing TCP socket descriptor (IPv4 or IPv6, stream), connected
   * or not; the handle owns it from here on (closing the handle closes it). An unconnected one
   * can then {@link #listen} or {@link #connect}; a listening one only {@link #listen}.
   *
   * @throws IllegalArgumentException if {@code fd} is not a TCP socket, or belongs to another
   *     handle or to a loop
   * @throws IllegalStateException if this handle already has a socket or was used
   */
  public void open(long fd) throws UvException {
    long a = openableAddress(fd);
    int kind = fdKind(fd);
    if (kind < 0) {
      throw new UvException(kind, "uv_tcp_open", "fd " + fd, null);
    }
    if (kind != 0 && (kind & 0xff) != FD_TCP_SOCKET) {
      throw new IllegalArgumentException("fd " + fd + " is " + fdKindName(kind)
          + ": Tcp.open takes a TCP socket" + ((kind & 0xff) == FD_UNIX_SOCKET ? " (use Pipe.open)" : ""));
    }
    int r = nOpen(a, fd);
    if (r != 0) {
      throw new UvException(r, "uv_tcp_open", "fd " + fd, null);
    }
    opened(kind);
  }

  /** {@code uv_tcp_bind}. */
  public void bind(InetSocketAddress local) throws UvException {
    bind(local, false, false);
  }

  /**
   * {@code uv_tcp_bind} with {@code UV_TCP_IPV6ONLY} and SO_REUSEPORT (set on the socket before
   * binding: several loops on several threads can then listen on one port, the kernel spreading
   * connections between them).
   */
  public void bind(InetSocketAddress local, boolean ipv6Only, boolean reusePort) throws UvException {
    long a = open();
    InetAddress ip = resolved(local);
    int r = nBind(a, ip.getAddress(), local.getPort(), scope(ip), ipv6Only, reusePort);
    trackFd(); // the socket exists from here on, even when bind(2) failed
    if (r != 0) {
      throw new UvException(r, "uv_tcp_bind", local.toString(), null);
    }
    bindTarget = local.toString();
  }

  /**
   * {@code uv_tcp_connect}: the callback gets null or the error (ECONNREFUSED, ETIMEDOUT,
   * ECANCELED if the handle is closed first...).
   */
  public void connect(InetSocketAddress remote, StreamCallback callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    InetAddress ip = resolved(remote);
    startConnect(callback);
    connectTarget = remote.toString();
    int r = nConnect(a, ip.getAddress(), remote.getPort(), scope(ip));
    if (r != 0) {
      connectFailed();
      throw new UncheckedIOException(new UvException(r, "uv_tcp_connect", remote.toString(), null));
    }
    connectStarted();
  }

  /** {@code uv_tcp_nodelay}: disables Nagle's algorithm when true. */
  public void noDelay(boolean enable) throws UvException {
    check(nNodelay(open(), enable), "uv_tcp_nodelay");
  }

  /** {@code uv_tcp_keepalive}, with the initial delay in seconds. */
  public void keepAlive(boolean enable, int delaySeconds) throws UvException {
    if (enable && delaySeconds < 1) {
      throw new IllegalArgumentException("keep-alive delay must be >= 1 s: " + delaySeconds);
    }
    check(nKeepalive(open(), enable, delaySeconds), "uv_tcp_keepalive");
  }

  /** {@code uv_tcp_simultaneous_accepts} (meaningful on Windows). */
  public void simultaneousAccepts(boolean enable) throws UvException {
    check(nSimultaneousAccepts(open(), enable), "uv_tcp_simultaneous_accepts");
  }

  /** {@code uv_tcp_getsockname}. */
  public InetSocketAddress localAddress() throws UvException {
    return decode(nName(open(), false));
  }

  /** {@code uv_tcp_getpeername}. */
  public InetSocketAddress remoteAddress() throws UvException {
    return decode(nName(open(), true));
  }

  /**
   * {@code uv_tcp_close_reset}: closes with an RST instead of a FIN (SO_LINGER 0); the peer
   * sees ECONNRESET. Like {@link #close(Runnable)} otherwise.
   */
  public void closeReset(Runnable onClose) throws UvException {
    loop.checkThread();
    if (isClosing()) {
      return;
    }
    long a = open();
    beforeClose(); // the close below closes the socket
    int r = nCloseReset(a);
    if (r != 0) {
      trackFd(); // not closed after all
      throw new UvException(r, "uv_tcp_close_reset");
    }
    markClosing(onClose);
  }

  @Override
  String connectSyscall() {
    return "uv_tcp_connect";
  }

  @Override
  String connectTarget() {
    return connectTarget;
  }

  @Override
  String bindTarget() {
    return bindTarget;
  }

  static InetAddress resolved(InetSocketAddress a) {
    Objects.requireNonNull(a, "address");
    if (a.isUnresolved()) {
      throw new IllegalArgumentException("unresolved address " + a + ": resolve it first (Dns)");
    }
    return a.getAddress();
  }

  static int scope(InetAddress ip) {
    return ip instanceof Inet6Address ? ((Inet6Address) ip).getScopeId() : 0;
  }

  /** ip(4|16) + port(2) [+ scope(4)], as uvj_sockaddr_to_java lays it out. */
  static InetSocketAddress decode(byte[] b) {
    try {
      if (b.length == 6) {
        byte[] ip = {b[0], b[1], b[2], b[3]};
        return new InetSocketAddress(InetAddress.getByAddress(ip), ((b[4] & 0xff) << 8) | (b[5] & 0xff));
      }
      byte[] ip = new byte[16];
      System.arraycopy(b, 0, ip, 0, 16);
      int port = ((b[16] & 0xff) << 8) | (b[17] & 0xff);
      int scope = ((b[18] & 0xff) << 24) | ((b[19] & 0xff) << 16) | ((b[20] & 0xff) << 8) | (b[21] & 0xff);
      return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: lengths are 4 and 16
    }
  }

  private static void check(int r, String syscall) throws UvException {
    if (r != 0) {
      throw new UvException(r, syscall);
    }
  }

  private static native long nInit(long loop, Tcp self, int family);

  private static native int nOpen(long h, long fd);

  private static native int nBind(long h, byte[] ip, int port, int scope, boolean ipv6Only, boolean reusePort);

  private static native int nConnect(long h, byte[] ip, int port, int scope);

  private static native int nNodelay(long h, boolean on);

  private static native int nKeepalive(long h, boolean on, int delay);

  private static native int nSimultaneousAccepts(long h, boolean on);

  private static native byte[] nName(long h, boolean peer) throws UvException;

  private static native int nCloseReset(long h);
}
