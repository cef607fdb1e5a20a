package io.uv4j;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A UDP socket ({@code uv_udp_t}).
 *
 * <pre>{@code
 * Udp server = new Udp(loop);
 * server.bind(new InetSocketAddress("127.0.0.1", 7000));
 * server.recvStart((u, data, from, partial) -> u.send(data, from, (h, error) -> { }));  // echo
 * loop.run();
 * }</pre>
 *
 * <p><b>State</b> (docs/ARCHITECTURE.md, "Udp"): a handle is <i>new</i> until it has a bound
 * socket; {@link #bind}, {@link #open} of a bound socket, and the operations that bind
 * implicitly to the wildcard address and an ephemeral port ({@link #send} or {@link #trySend} to
 * an address; {@link #recvStart} and {@link #joinGroup} when the handle has no socket yet, for
 * libuv leaves an existing unbound one unbound) make it <i>bound</i>;
 * {@link #connect} makes it <i>connected</i> and {@link #disconnect} bound again. Receiving is
 * on between {@link #recvStart} and {@link #recvStop}. Then closing and closed ({@link Handle}).
 * A connected handle sends only without an address ({@code EISCONN} otherwise), an unconnected
 * one only with one ({@code EDESTADDRREQ} otherwise), as libuv answers.
 *
 * <p><b>Receiving</b> is zero-copy: each datagram lands in the loop's read buffer (shared with
 * the loop's streams, see {@link Loop#setReadBufferSize}) and {@link UdpRecvCallback#onDatagram}
 * gets a view of it and a reusable view of the sender ({@link UdpAddress}): no allocation per
 * datagram. A datagram larger than the read buffer is cut ({@code partial}). With
 * {@code recvmmsg} (see {@link #Udp(Loop, StandardProtocolFamily, boolean)}) one system call
 * takes up to 20 datagrams, one per 64 KiB of the read buffer.
 *
 * <p><b>Sending</b>: {@link #send(ByteBuffer, InetSocketAddress, UdpSendCallback)} sends a
 * direct buffer in place and keeps it reachable until the callback (do not modify it before);
 * heap buffers and arrays are copied once, and so is a receive view (the loop's read buffer,
 * which the next receive overwrites). Each datagram is sent whole or not at all. The callback
 * runs exactly once per accepted send, in order; with {@code ECANCELED} if the handle is closed
 * first. {@link #trySend} sends at once or not at all.
 *
 * <p>Set-up operations throw the checked {@link UvException}; those used inside callbacks
 * ({@link #send}, {@link #recvStart}) throw it wrapped in an {@link UncheckedIOException}.
 * Every method is for the loop thread and throws {@link IllegalStateException} on a closed handle
 * or from another thread while the loop runs.
 */
public final class Udp extends Handle {
  /** {@link #bind(InetSocketAddress, int)}: {@code UV_UDP_IPV6ONLY}, no IPv4 on an IPv6 socket. */
  public static final int IPV6ONLY = 1;
  /** {@link #bind(InetSocketAddress, int)}: {@code UV_UDP_REUSEADDR} (SO_REUSEADDR on Linux). */
  public static final int REUSEADDR = 4;
  /**
   * {@link #bind(InetSocketAddress, int)}: {@code UV_UDP_LINUX_RECVERR}, full ICMP error
   * reporting (IP_RECVERR); Linux only, ignored elsewhere.
   */
  public static final int RECVERR = 32;
  /**
   * {@link #bind(InetSocketAddress, int)}: SO_REUSEPORT, set on the socket before binding (libuv
   * 1.44 has no flag for it): several sockets, of one or several loops, bind the same port and
   * the kernel spreads datagrams between them. ENOTSUP where the platform has no SO_REUSEPORT.
   */
  public static final int REUSEPORT = 0x10000;
  private static final int LIBUV_FLAGS = IPV6ONLY | REUSEADDR | RECVERR;

  // States (docs/ARCHITECTURE.md "Udp"). Closing and closed are Handle's. Loop thread only.
  static final int NEW = 0;
  static final int BOUND = 1;
  static final int CONNECTED = 2;
  private static final String[] STATE_NAMES = {"new", "bound", "connected"};
  private static final int UV_UDP_PARTIAL = 2;

  int state = NEW;
  private final boolean mmsg;
  int ownedFd = -1;
  private UdpRecvCallback recvCallback;
  private final UdpAddress sender = new UdpAddress();
  private final UdpRecvViews views = new UdpRecvViews(); // recvmmsg: the chunks' views

  // Sends complete in order per handle: their buffers (kept reachable) and callbacks, FIFO.
  final UdpSendQueue sends = new UdpSendQueue();
  // The target of the send being made (loop thread only).
  final UdpTarget target = new UdpTarget();

  /** {@code uv_udp_init}: the socket is created when first needed (bind, send, recvStart...). */
  public Udp(Loop loop) {
    this(loop, null, false);
  }

  /** {@code uv_udp_init_ex}: creates the socket of {@code family} (INET or INET6) now. */
  public Udp(Loop loop, StandardProtocolFamily family) {
    this(loop, Objects.requireNonNull(family, "family"), false);
  }

  /**
   * {@code uv_udp_init_ex} with {@code UV_UDP_RECVMMSG} when {@code recvmmsg}: receives up to 20
   * datagrams per system call where the platform has recvmmsg (Linux; {@link #usesRecvmmsg()}
   * tells), one per 64 KiB of the loop's read buffer: give the loop a read buffer of a multiple
   * of 64 KiB ({@link Loop#setReadBufferSize}, e.g. 1280 KiB for 20) before the first receive.
   * Each datagram is still a separate {@link UdpRecvCallback#onDatagram} call with its own
   * zero-copy view (a datagram over 64 KiB is cut: {@code partial}).
   *
   * @param family INET or INET6 to create the socket now, null to create it when first needed
   * @throws IllegalArgumentException if {@code family} is UNIX
   */
  public Udp(Loop loop, StandardProtocolFamily family, boolean recvmmsg) {
    super(loop);
    if (family == StandardProtocolFamily.UNIX) {
      throw new IllegalArgumentException("a Udp handle is INET or INET6");
    }
    this.mmsg = recvmmsg;
    this.address = nInit(loop.address, this,
        family == null ? 0 : family == StandardProtocolFamily.INET6 ? 6 : 4, recvmmsg);
    trackFd();
  }

  // ---------------------------------------------------------------- socket set-up

  /**
   * {@code uv_udp_open}: adopts an existing IPv4 or IPv6 datagram socket, bound or not, connected
   * or not; the handle owns it from here on (closing the handle closes it). libuv sets
   * SO_REUSEADDR on it and makes it non-blocking.
   *
   * @throws IllegalArgumentException if {@code fd} is not an IPv4/IPv6 datagram socket, or
   *     belongs to another handle or to a loop
   * @throws UvException EBUSY if this handle already has a socket
   */
  public void open(long fd) throws UvException {
    long a = open();
    if (fd < 0 || fd > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a descriptor: " + fd);
    }
    Object owner = OwnedFds.owner((int) fd);
    if (owner != null) {
      throw new IllegalArgumentException("fd " + fd + " belongs to " + owner
          + ": a descriptor can be owned by one handle only");
    }
    int kind = nFdKind((int) fd);
    if (kind < 0) {
      throw new UvException(kind, "uv_udp_open", "fd " + fd, null);
    }
    if (kind != 0 && (kind & 0xff) != 1) {
      throw new IllegalArgumentException("fd " + fd + " is "
          + ((kind & 0xff) == 2 ? "a socket that is not an IPv4/IPv6 datagram socket" : "not a socket")
          + ": Udp.open takes a UDP socket");
    }
    int r = nOpen(a, (int) fd);
    if (r != 0) {
      throw new UvException(r, "uv_udp_open", "fd " + fd, null);
    }
    state = (kind & 0x100) != 0 ? CONNECTED : (kind & 0x200) != 0 ? BOUND : NEW;
    trackFd();
  }

  /** For Pipe.write2: uv_fileno, or a negative errno (no socket yet). */
  int filenoOrError() {
    return nFileno(address);
  }

  /** For Pipe.acceptPending: new, no socket yet. */
  boolean acceptable() {
    return state == NEW && nFileno(open()) < 0;
  }

  /** Pipe.acceptPending gave this handle a socket received from another process. */
  void accepted() {
    int fd = nFileno(address);
    int kind = fd < 0 ? 0 : nFdKind(fd);
    state = kind > 0 && (kind & 0x100) != 0 ? CONNECTED : kind > 0 && (kind & 0x200) != 0 ? BOUND : NEW;
    trackFd();
  }

  /** {@code uv_udp_bind} without flags. */
  public void bind(InetSocketAddress local) throws UvException {
    bind(local, 0);
  }

  /**
   * {@code uv_udp_bind}.
   *
   * @param flags {@link #IPV6ONLY}, {@link #REUSEADDR}, {@link #REUSEPORT}, {@link #RECVERR}, or'ed
   * @throws IllegalArgumentException for unknown flags, an unresolved address, or
   *     {@link #IPV6ONLY} with an IPv4 address
   * @throws IllegalStateException if the handle is already bound or connected
   * @throws UvException EADDRINUSE, EINVAL (address family other than the socket's)...
   */
  public void bind(InetSocketAddress local, int flags) throws UvException {
    long a = open();
    if ((flags & ~(LIBUV_FLAGS | REUSEPORT)) != 0) {
      throw new IllegalArgumentException("unknown bind flags: 0x" + Integer.toHexString(flags));
    }
    UdpTarget d = target;
    d.set(Objects.requireNonNull(local, "local"));
    if ((flags & IPV6ONLY) != 0 && d.family != 6) {
      throw new IllegalArgumentException("IPV6ONLY needs an IPv6 address: " + local);
    }
    if (state != NEW) {
      throw new IllegalStateException(this + ": bind() on a handle that is already " + state());
    }
    int r = nBind(a, d.family, d.hi, d.lo, d.port, d.scope, flags & LIBUV_FLAGS, (flags & REUSEPORT) != 0);
    trackFd(); // the socket exists from here on, even when bind(2) failed
    if (r != 0) {
      throw new UvException(r, "uv_udp_bind", local.toString(), null);
    }
    state = BOUND;
  }

  /**
   * {@code uv_udp_connect}: datagrams go to {@code remote} only (send without address), and only
   * its datagrams are received. Binds first if needed.
   *
   * @throws UvException EISCONN if already connected, ...
   */
  public void connect(InetSocketAddress remote) throws UvException {
    long a = open();
    UdpTarget d = target;
    d.set(Objects.requireNonNull(remote, "remote"));
    int r = nConnect(a, d.family, d.hi, d.lo, d.port, d.scope);
    trackFd();
    if (r != 0) {
      throw new UvException(r, "uv_udp_connect", remote.toString(), null);
    }
    state = CONNECTED;
  }

  /**
   * {@code uv_udp_connect(handle, NULL)}: connected back to bound.
   *
   * @throws UvException ENOTCONN if not connected
   */
  public void disconnect() throws UvException {
    long a = open();
    int r = nConnect(a, 0, 0, 0, 0, 0);
    if (r != 0) {
      throw new UvException(r, "uv_udp_connect");
    }
    state = BOUND;
  }

  /** Whether {@link #connect} succeeded (or the adopted socket was connected) and no disconnect since. */
  public boolean isConnected() {
    open();
    return state == CONNECTED;
  }

  /** {@code uv_udp_getsockname}. */
  public InetSocketAddress localAddress() throws UvException {
    return Tcp.decode(nName(open(), false));
  }

  /** {@code uv_udp_getpeername}: ENOTCONN unless connected. */
  public InetSocketAddress remoteAddress() throws UvException {
    return Tcp.decode(nName(open(), true));
  }

  /** {@code uv_fileno}: the socket (EBADF before it exists). */
  public int fileno() throws UvException {
    int r = nFileno(open());
    if (r < 0) {
      throw new UvException(r, "uv_fileno");
    }
    return r;
  }

  // ---------------------------------------------------------------- sending

  /**
   * {@code uv_udp_send}: sends {@code buf}'s remaining bytes as one datagram to {@code to} (null
   * on a connected handle). A direct buffer is sent in place (kept reachable until the callback);
   * heap buffers and receive views are copied. The position advances by the bytes taken.
   *
   * @throws UncheckedIOException wrapping EISCONN (address on a connected handle), EDESTADDRREQ
   *     (no address on an unconnected one), EINVAL...
   * @throws IllegalArgumentException if {@code to} is unresolved
   */
  public void send(ByteBuffer buf, InetSocketAddress to, UdpSendCallback callback) {
    UdpSends.send(this, buf, to, callback);
  }

  /**
   * Sends {@code buf}'s remaining bytes as one datagram on a connected handle: like
   * {@link #send(ByteBuffer, InetSocketAddress, UdpSendCallback)} without an address.
   *
   * @throws UncheckedIOException wrapping EDESTADDRREQ if the handle is not connected
   */
  public void send(ByteBuffer buf, UdpSendCallback callback) {
    send(buf, (InetSocketAddress) null, callback);
  }

  /** {@link #trySend(ByteBuffer, InetSocketAddress)} on a connected handle. */
  public int trySend(ByteBuffer buf) throws UvException {
    return trySend(buf, null);
  }

  /**
   * Replies to a datagram's sender without allocating: like
   * {@link #send(ByteBuffer, InetSocketAddress, UdpSendCallback)} with the address {@code to}
   * holds now (it is copied; the view may change afterwards).
   */
  public void send(ByteBuffer buf, UdpAddress to, UdpSendCallback callback) {
    UdpSends.send(this, buf, to, callback);
  }

  /** {@code data[off, off+len)}, copied once, as one datagram; see {@link #send(ByteBuffer, InetSocketAddress, UdpSendCallback)}. */
  public void send(byte[] data, int off, int len, InetSocketAddress to, UdpSendCallback callback) {
    UdpSends.send(this, data, off, len, to, callback);
  }

  /**
   * Several buffers as one datagram ({@code uv_udp_send} with several buffers), in order; direct
   * ones in place. Every buffer's position advances to its limit.
   *
   * @throws IllegalArgumentException if {@code bufs} is empty (libuv needs at least one)
   */
  public void send(ByteBuffer[] bufs, InetSocketAddress to, UdpSendCallback callback) {
    UdpSends.send(this, bufs, to, callback);
  }

  /**
   * {@code uv_udp_try_send}: sends {@code buf}'s remaining bytes as one datagram now, or not at
   * all. Returns the bytes sent (the datagram's size; 0 for an empty datagram) and advances the
   * position by them, or returns -1 without sending when it would block ({@code EAGAIN}: the
   * socket buffer is full, or {@link #send} requests are still queued).
   *
   * @param to the destination, null on a connected handle
   * @throws UvException EISCONN, EDESTADDRREQ, EMSGSIZE (datagram too large)...
   */
  public int trySend(ByteBuffer buf, InetSocketAddress to) throws UvException {
    return UdpSends.trySend(this, buf, to);
  }

  /**
   * {@code uv_udp_try_send2}: sends each buffer's remaining bytes as one datagram, all to
   * {@code to}, now and in as few system calls as the platform allows ({@code sendmmsg} on Linux
   * with libuv 1.50 and later; one {@code uv_udp_try_send} per datagram with older libuv or on a
   * handle without a socket yet, which the first send binds). Returns how many datagrams were
   * sent, always the first ones, and advances those buffers' positions; returns 0 without
   * sending when the first would block ({@code EAGAIN}, or {@link #send} requests still queued).
   * Direct buffers are sent in place; others are copied first.
   *
   * <pre>{@code
   * int sent = udp.trySendBatch(new ByteBuffer[] {a, b, c}, peer); // 0..3; resend the rest later
   * }</pre>
   *
   * @param to the destination, null on a connected handle
   * @throws UvException EISCONN, EDESTADDRREQ, EMSGSIZE... when not even the first was sent
   * @throws NullPointerException if {@code datagrams} or one of them is null
   */
  public int trySendBatch(ByteBuffer[] datagrams, InetSocketAddress to) throws UvException {
    return UdpSends.trySendBatch(this, datagrams, to);
  }

  /** {@code uv_udp_get_send_queue_size}: bytes of queued sends not yet handed to the kernel. */
  public long sendQueueSize() {
    return nSendQueue(open(), false);
  }

  /** {@code uv_udp_get_send_queue_count}: sends whose callback has not run yet. */
  public long sendQueueCount() {
    return nSendQueue(open(), true);
  }

  // ---------------------------------------------------------------- receiving

  /**
   * {@code uv_udp_recv_start}: binds to 0.0.0.0 and an ephemeral port first if the handle has no
   * socket yet.
   *
   * @throws UncheckedIOException wrapping EALREADY if already receiving (the running receive
   *     keeps its callback)
   * @throws IllegalStateException with recvmmsg, if the loop's read buffer is under 64 KiB
   */
  public void recvStart(UdpRecvCallback callback) {
    Objects.requireNonNull(callback, "callback");
    long a = open();
    ByteBuffer rb = loop.readBuffer(); // allocated on first use
    if (mmsg && rb.capacity() < UdpRecvViews.CHUNK && nUsingRecvmmsg(a)) {
      throw new IllegalStateException("recvmmsg needs a read buffer of at least 64 KiB (one datagram "
          + "per 64 KiB), this loop's is " + rb.capacity() + " bytes: see Loop.setReadBufferSize");
    }
    UdpRecvCallback previous = recvCallback;
    recvCallback = callback;
    boolean hadSocket = ownedFd >= 0;
    int r = nRecvStart(a);
    trackFd();
    if (r != 0) {
      recvCallback = previous;
      throw new UncheckedIOException(new UvException(r, "uv_udp_recv_start"));
    }
    if (state == NEW && !hadSocket) {
      state = BOUND; // libuv bound the socket it created (an existing unbound one stays so)
    }
  }

  /** {@code uv_udp_recv_stop}: no more datagrams until the next {@link #recvStart}. */
  public void recvStop() {
    nRecvStop(open());
    recvCallback = null;
  }

  /** Whether the handle receives ({@link #recvStart} without {@link #recvStop} since). */
  public boolean isReceiving() {
    loop.checkThread();
    return recvCallback != null && !isClosing();
  }

  /** {@code uv_udp_using_recvmmsg}: whether receives use recvmmsg. */
  public boolean usesRecvmmsg() {
    return nUsingRecvmmsg(open());
  }

  // ---------------------------------------------------------------- options

  /** {@code uv_udp_set_broadcast}: SO_BROADCAST. EBADF before the socket exists. */
  public void broadcast(boolean on) throws UvException {
    UdpOptions.set(this, UdpOptions.BROADCAST, on ? 1 : 0, "uv_udp_set_broadcast");
  }

  /**
   * {@code uv_udp_set_ttl}: IP_TTL / IPV6_UNICAST_HOPS.
   *
   * @throws IllegalArgumentException outside 1 to 255
   */
  public void ttl(int ttl) throws UvException {
    if (ttl < 1 || ttl > 255) {
      throw new IllegalArgumentException("TTL must be 1 to 255: " + ttl);
    }
    UdpOptions.set(this, UdpOptions.TTL, ttl, "uv_udp_set_ttl");
  }

  /**
   * {@code uv_udp_set_multicast_ttl}: IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS.
   *
   * @throws IllegalArgumentException outside 0 to 255
   */
  public void multicastTtl(int ttl) throws UvException {
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("multicast TTL must be 0 to 255: " + ttl);
    }
    UdpOptions.set(this, UdpOptions.MULTICAST_TTL, ttl, "uv_udp_set_multicast_ttl");
  }

  /** {@code uv_udp_set_multicast_loop}: whether this host's own multicast datagrams come back. */
  public void multicastLoop(boolean on) throws UvException {
    UdpOptions.set(this, UdpOptions.MULTICAST_LOOP, on ? 1 : 0, "uv_udp_set_multicast_loop");
  }

  /**
   * {@code uv_udp_set_multicast_interface}: the interface multicast datagrams leave by, as its
   * address (IPv4) or scope (IPv6, e.g. {@code "::%eth0"}); null for the system's choice.
   */
  public void multicastInterface(String interfaceAddress) throws UvException {
    int r = nMulticastInterface(open(), interfaceAddress);
    if (r != 0) {
      throw new UvException(r, "uv_udp_set_multicast_interface", interfaceAddress, null);
    }
  }

  /** {@code uv_send_buffer_size}: reads (value 0) or sets SO_SNDBUF. */
  public int sendBufferSize(int value) throws UvException {
    return UdpOptions.bufferSize(this, UdpOptions.SNDBUF, value, "uv_send_buffer_size");
  }

  /** {@code uv_recv_buffer_size}: reads (value 0) or sets SO_RCVBUF. */
  public int recvBufferSize(int value) throws UvException {
    return UdpOptions.bufferSize(this, UdpOptions.RCVBUF, value, "uv_recv_buffer_size");
  }

  /**
   * {@code uv_udp_set_membership(JOIN)}: receive the datagrams sent to {@code group} (binds to the
   * wildcard address with SO_REUSEADDR first if the handle has no socket).
   *
   * @param group a multicast address literal, e.g. "239.255.0.1" or "ff02::1"
   * @param interfaceAddress the local interface's address (IPv4) or scope (IPv6); null: any
   * @throws IllegalArgumentException if {@code group} is not a multicast address literal
   * @throws UvException ENODEV (no multicast route), EADDRINUSE (already joined)...
   */
  public void joinGroup(String group, String interfaceAddress) throws UvException {
    UdpOptions.membership(this, group, interfaceAddress, null, true);
  }

  /** {@code uv_udp_set_membership(LEAVE)}. */
  public void leaveGroup(String group, String interfaceAddress) throws UvException {
    UdpOptions.membership(this, group, interfaceAddress, null, false);
  }

  /**
   * {@code uv_udp_set_source_membership(JOIN)}: source-specific multicast, datagrams sent to
   * {@code group} by {@code source} only.
   *
   * @throws IllegalArgumentException if {@code source} is not an address literal of the
   *     group's family
   */
  public void joinSourceGroup(String group, String interfaceAddress, String source) throws UvException {
    UdpOptions.membership(this, group, interfaceAddress, Objects.requireNonNull(source, "source"), true);
  }

  /** {@code uv_udp_set_source_membership(LEAVE)}. */
  public void leaveSourceGroup(String group, String interfaceAddress, String source) throws UvException {
    UdpOptions.membership(this, group, interfaceAddress, Objects.requireNonNull(source, "source"), false);
  }

  // ---------------------------------------------------------------- plumbing

  /** The state's name, for diagnostics and tests. */
  String state() {
    return STATE_NAMES[state];
  }

  /** Records the socket libuv now holds for this handle, if it has one. */
  void trackFd() {
    if (ownedFd < 0 && address != 0) {
      int fd = nFileno(address);
      if (fd >= 0) {
        ownedFd = fd;
        OwnedFds.add(fd, this);
      }
    }
  }

  /** uv_close closes the socket: forget it first. */
  @Override
  void beforeClose() {
    if (ownedFd >= 0) {
      OwnedFds.remove(ownedFd, this);
      ownedFd = -1;
    }
  }

  @Override
  void clearCallbacks() {
    recvCallback = null;
    target.forget();
    views.clear();
  }

  // ---------------------------------------------------------------- from native

  /** A datagram (nread >= 0, family 4 or 6, or 0 if the kernel gave no address) or an error (nread < 0). */
  void onRecv(int nread, int offset, int flags, int family, int port, long hi, long lo, int scope) {
    UdpRecvCallback cb = recvCallback;
    if (cb == null || isClosing()) {
      return; // recvmmsg keeps delivering the chunks of its batch to a handle closed meanwhile
    }
    try {
      if (nread < 0) {
        cb.onError(this, new UvException(nread, "uv_udp_recv"));
        return;
      }
      ByteBuffer b = views.view(loop.readBuffer, offset);
      b.clear().limit(nread);
      UdpAddress from = null;
      if (family != 0) {
        sender.set(family, port, hi, lo, scope);
        from = sender;
      }
      cb.onDatagram(this, b, from, (flags & UV_UDP_PARTIAL) != 0);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  void onSendDone(int status) {
    UdpSendCallback cb = sends.poll(); // its buffer may go now
    try {
      cb.done(this, status < 0 ? new UvException(status, "uv_udp_send") : null);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  private static native long nInit(long loop, Udp self, int family, boolean mmsg);

  private static native int nFdKind(int fd);

  private static native int nOpen(long h, int fd);

  private static native int nBind(long h, int family, long hi, long lo, int port, int scope, int flags, boolean reusePort);

  private static native int nConnect(long h, int family, long hi, long lo, int port, int scope);

  private static native byte[] nName(long h, boolean peer) throws UvException;

  private static native int nRecvStart(long h);

  private static native int nRecvStop(long h);

  private static native boolean nUsingRecvmmsg(long h);

  static native int nSendDirect(long h, ByteBuffer buf, int pos, int len, boolean copy,
      int family, long hi, long lo, int port, int scope);

  static native int nSendArray(long h, byte[] data, int off, int len,
      int family, long hi, long lo, int port, int scope);

  static native int nSendv(long h, ByteBuffer[] bufs, int[] pos, int[] len,
      int family, long hi, long lo, int port, int scope);

  static native int nTrySendDirect(long h, ByteBuffer buf, int pos, int len,
      int family, long hi, long lo, int port, int scope);

  static native int nTrySendMany(long h, ByteBuffer[] direct, int[] pos, int[] len,
      int family, long hi, long lo, int port, int scope);

  static native int nTrySendArray(long h, byte[] data, int off, int len,
      int family, long hi, long lo, int port, int scope);

  private static native long nSendQueue(long h, boolean count);

  static native int nOption(long h, int which, int value);

  private static native int nMulticastInterface(long h, String iface);

  static native int nMembership(long h, String group, String iface, String source, boolean join);

  private static native int nFileno(long h);
}
