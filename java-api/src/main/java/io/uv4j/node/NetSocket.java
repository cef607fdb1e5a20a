package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code net.Socket}: a duplex {@link NodeStream} over a TCP connection. Events
 * {@code 'connect'} and {@code 'ready'} (client), {@code 'data'} (a {@code byte[]} copy of what
 * was read), {@code 'end'} (the peer finished; the socket then ends its side too, Node's
 * {@code allowHalfOpen: false}), {@code 'drain'}, {@code 'finish'}, {@code 'error'},
 * {@code 'close'} (with {@code hadError}, from the libuv close callback).
 * {@link #write} returns false once 16 KiB wait to be written.
 *
 * <pre>{@code
 * Net.Socket socket = Net.of(node).connect(80, "example.com", () -> System.out.println("connected"));
 * socket.on("lookup", a -> System.out.println("resolved to " + a[1]));
 * socket.onData(b -> System.out.print(new String(b, StandardCharsets.ISO_8859_1)));
 * socket.end("HEAD / HTTP/1.0\r\nHost: example.com\r\n\r\n");
 * }</pre>
 */
public class NetSocket extends NodeStream {
  private final Net net;
  private Tcp handle;
  private Net.Server server;
  private boolean connecting;
  private boolean handleReading;
  private boolean peerEnded;
  private long bytesRead;
  private long bytesWritten;
  private InetSocketAddress remote;
  private InetSocketAddress local;
  private Timeout idleTimer;
  private List<String> attempted;
  private ConnectMultiple multiple;
  // setNoDelay/setKeepAlive before the handle exists: applied when connect() creates it.
  private boolean noDelay;
  private boolean keepAlive;
  private int keepAliveDelaySecs;
  // connect's localAddress/localPort (Node's req.localAddress/localPort), bound before connecting
  private String localAddress;
  private int localPort;
  /** The handle a connect was issued on (or accepted), and whether it is connected: Node's second connect fails. */
  private Tcp connectIssuedOn;
  private boolean handleConnected;

  /** The TCP handle (null before connect or after destroy). */
  Tcp tcp() {
    return handle;
  }

  NetSocket(Net net, Tcp handle, Net.Server server) {
    super(net.node, true, true, DEFAULT_HIGH_WATER_MARK, DEFAULT_HIGH_WATER_MARK);
    this.net = net;
    setAllowHalfOpen(server != null && server.options.allowHalfOpen());
    setEmitClose(false); // 'close' comes from the handle's close callback
    this.handle = handle;
    this.server = server;
    on("end", () -> peerEnded = true); // Node's onReadableStreamEnd
    if (handle != null) {
      connectIssuedOn = handle;
      handleConnected = true;
      names();
      if (server != null && server.options.pauseOnConnect()) {
        flowing = false; // Node's pauseOnCreate: not reading, paused without a 'pause' event
      } else {
        read(0); // an accepted connection starts reading at once
      }
    }
  }

  /** {@code new net.Socket({noDelay, keepAlive, keepAliveInitialDelay})}: applied at connect. */
  void initOptions(boolean noDelay, boolean keepAlive, int keepAliveInitialDelayMs) {
    this.noDelay = noDelay;
    this.keepAlive = keepAlive;
    this.keepAliveDelaySecs = keepAliveInitialDelayMs / 1000;
  }

  /** What the server set on an accepted handle (Node's kSetNoDelay/kSetKeepAlive of the socket). */
  void acceptedOptions(boolean noDelay, boolean keepAlive, int keepAliveDelaySecs) {
    this.noDelay = noDelay;
    this.keepAlive = keepAlive;
    this.keepAliveDelaySecs = keepAliveDelaySecs;
  }

  /** {@code socket.connect(port, host, connectListener)}: see {@link #connect(Net.ConnectOptions, Runnable)}. */
  public Net.Socket connect(int port, String host, Runnable connectListener) {
    return connect(Net.ConnectOptions.of(port, host), connectListener);
  }

  /**
   * {@code socket.connect(options, connectListener)}: the host (null: {@code "localhost"}) is
   * looked up unless it is an IP literal; {@code 'lookup'} {@code (err, address, family, host)}
   * is emitted for each address (with {@code autoSelectFamily}, Node 20's default, all of them
   * are looked up), and a lookup error destroys the socket. When the addresses hold both
   * families, they are tried in turn (Node's happy eyeballs: {@code 'connectionAttempt'},
   * {@code 'connectionAttemptFailed'}, {@code 'connectionAttemptTimeout'} events, a
   * {@link NodeAggregateError} if all fail, see {@link #autoSelectFamilyAttemptedAddresses}).
   * {@code connectListener} (may be null) is a once-listener of {@code 'connect'}.
   *
   * @throws NodeError ERR_SOCKET_BAD_PORT if the port is not in [0, 65535], ERR_OUT_OF_RANGE
   *     for an {@code autoSelectFamilyAttemptTimeout} under 1
   * @throws NullPointerException if {@code options} is null
   */
  public Net.Socket connect(Net.ConnectOptions options, Runnable connectListener) {
    net.node.checkThread();
    NetConnect.check(options);
    int port = options.port();
    int attemptTimeout = Math.max(10, options.autoSelectFamilyAttemptTimeout());
    String h = options.host() != null && !options.host().isEmpty() ? options.host() : "localhost";
    int family = options.family();
    localAddress = options.localAddress() == null || options.localAddress().isEmpty() ? null : options.localAddress();
    localPort = options.localPort();
    if (connectListener != null) {
      once("connect", connectListener);
    }
    if (handle == null) {
      handle = new Tcp(net.node.loop());
      applyPendingOptions();
    }
    connecting = true;
    if (Net.isIP(h) != 0) {
      // Node: an IP literal is not looked up (no 'lookup'); the connect starts on the next tick.
      InetAddress ip = Net.literal(h);
      net.node.nextTick(() -> {
        if (connecting) {
          internalConnect(ip, port);
        }
      });
      return (Net.Socket) this;
    }
    // Node: hints 0 without family 4 or 6 becomes dns.ADDRCONFIG
    int hints = options.hints() == 0 && family != 4 && family != 6 ? io.uv4j.Dns.AI_ADDRCONFIG : options.hints();
    Net.Lookup lookup = options.lookup() != null ? options.lookup()
        : (name, cb) -> NodeDns.of(net.node).lookupAll(name, family, hints, cb);
    if (family == 4 || family == 6 || localAddress != null || !options.autoSelectFamily()) {
      lookup.lookup(h, (err, all) -> LookupAndConnect.one(this, net.node, h, port, err, all));
    } else {
      lookup.lookup(h, (err, all) -> LookupAndConnect.all(this, net.node, h, port, attemptTimeout, err, all));
    }
    return (Net.Socket) this;
  }

  /** Node's happy eyeballs over {@code toAttempt} (two or more addresses). */
  void connectMultiple(List<NodeDns.LookupAddress> toAttempt, int port, long attemptTimeout) {
    attempted = new ArrayList<>();
    multiple = new ConnectMultiple(this, net.node, toAttempt, port, attemptTimeout);
    multiple.next(false);
  }

  /**
   * {@code socket.autoSelectFamilyAttemptedAddresses}: the {@code "address:port"} of each
   * attempt of a happy-eyeballs connect so far, or null when there was none (one address).
   */
  public List<String> autoSelectFamilyAttemptedAddresses() {
    return attempted == null ? null : List.copyOf(attempted);
  }

  void attempted(String addressAndPort) {
    attempted.add(addressAndPort);
  }

  /** Node's kReinitializeHandle: a fresh TCP handle for the next attempt, the old one closed. */
  Tcp reinitializeHandle() {
    if (handle != null && !handle.isClosing()) {
      handle.close();
    }
    handle = new Tcp(net.node.loop());
    applyPendingOptions();
    return handle;
  }

  void internalConnect(InetAddress ip, int port) {
    int type = ip instanceof java.net.Inet6Address ? 6 : 4;
    if (localAddress != null || localPort != 0) {
      String la = localAddress != null ? localAddress : type == 4 ? "0.0.0.0" : "::";
      SystemError err = NetConnect.bindLocal(handle, type, la, localPort);
      if (err != null) {
        destroy(err);
        return;
      }
    }
    emit("connectionAttempt", NetAddresses.format(ip), port, ip instanceof java.net.Inet6Address ? 6 : 4);
    if (!connecting) {
      return; // destroyed by a listener
    }
    if (connectIssuedOn == handle) {
      // Node calls uv_tcp_connect again on the same handle: EALREADY while the first connect is
      // in progress, EISCONN once connected; the socket is destroyed with that error.
      UvException e = new UvException(Errno.code(handleConnected ? "EISCONN" : "EALREADY"), "connect");
      String localDetail = null;
      try {
        InetSocketAddress l = handle.localAddress();
        localDetail = NetAddresses.format(l.getAddress()) + ":" + l.getPort();
      } catch (UvException | UncheckedIOException | IllegalStateException ignored) {
        // no local name yet: the message has no " - Local (...)" part, as in Node
      }
      destroy(SystemError.withHostPort(e, "connect", NetAddresses.format(ip), port, localDetail));
      return;
    }
    connectIssuedOn = handle;
    handleConnected = false;
    try {
      handle.connect(new InetSocketAddress(ip, port), (s, err) -> net.node.makeCallback(() -> afterConnect(err, ip, port)));
    } catch (UncheckedIOException e) {
      destroy(connectError((UvException) e.getCause(), ip, port));
    }
  }

  /** The bound local address as Node's req.localAddress (the default address when only a port was given). */
  String localAddressFor(int type) {
    return localAddress != null ? localAddress : type == 4 ? "0.0.0.0" : "::";
  }

  int localPort() {
    return localPort;
  }

  /** Node's afterConnect error: {@code connect CODE address:port}, {@code - Local (a:p)} with a local address and port. */
  private SystemError connectError(UvException err, InetAddress ip, int port) {
    String local = localPort != 0 ? localAddressFor(ip instanceof java.net.Inet6Address ? 6 : 4) + ":" + localPort : null;
    return SystemError.withHostPort(err, "connect", NetAddresses.format(ip), port, local);
  }

  void afterConnect(UvException err, InetAddress ip, int port) {
    if (isDestroyed()) {
      return;
    }
    connecting = false;
    if (err == null) {
      handleConnected = true;
      unrefTimer();
      names();
      emit("connect");
      emit("ready");
      if (!isPaused()) {
        read(0);
      }
    } else {
      SystemError ex = connectError(err, ip, port);
      emit("connectionAttemptFailed", NetAddresses.format(ip), port, ip instanceof java.net.Inet6Address ? 6 : 4, ex);
      destroy(ex);
    }
  }

  private void names() {
    try {
      // The peer's name is read when first asked for (Node's _getpeername caches it then).
      local = handle.localAddress();
    } catch (UvException e) {
      // e.g. the peer already reset the connection: the names stay unknown
    }
  }

  // ---------------------------------------------------------------- reading

  private final ReadCallback reader = new ReadCallback() {
    @Override
    public void onData(Stream stream, ByteBuffer data) {
      byte[] copy = new byte[data.remaining()];
      data.get(copy);
      net.node.makeCallback(() -> onStreamData(copy));
    }

    @Override
    public void onEnd(Stream stream) {
      net.node.makeCallback(() -> {
        if (!readableEnded()) {
          push(null);
          read(0);
        }
      });
    }

    @Override
    public void onError(Stream stream, UvException error) {
      net.node.makeCallback(() -> destroy(SystemError.errno(error, "read")));
    }
  };

  private void onStreamData(byte[] chunk) {
    bytesRead += chunk.length;
    unrefTimer();
    if (isDestroyed()) {
      return;
    }
    if (!push(chunk)) {
      // Backpressure: the read buffer is full; doRead starts reading again.
      handleReading = false;
      if (!isDestroyed()) {
        handle.readStop();
      }
    }
  }

  @Override
  protected void doRead(int size) {
    if (connecting || handle == null) {
      once("connect", () -> doRead(size));
    } else if (!handleReading) {
      handleReading = true;
      try {
        handle.readStart(reader);
      } catch (UncheckedIOException e) {
        destroy(SystemError.errno((UvException) e.getCause(), "read"));
      }
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * {@inheritDoc} Once the peer has ended and this side has ended too, a write fails with
   * {@code EPIPE} ("This socket has been ended by the other party") and destroys the socket.
   */
  @Override
  public boolean write(byte[] chunk, Consumer<Throwable> cb) {
    if (!peerEnded || allowHalfOpen() || !writableEnded()) {
      return super.write(chunk, cb);
    }
    NodeError er = new NodeError("EPIPE", "This socket has been ended by the other party");
    if (cb != null) {
      net.node.nextTick(() -> cb.accept(er));
    }
    destroy(er);
    return false;
  }

  @Override
  protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
    if (connecting) {
      // Written once connected; failed if the socket closes first.
      Runnable[] onClose = new Runnable[1];
      Runnable onConnect = () -> {
        off("close", onClose[0]);
        doWrite(chunk, cb); // Node's _writeGeneric again: a 'connect' listener may have destroyed it
      };
      onClose[0] = () -> cb.accept(new NodeError("ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
          "Socket closed before the connection was established"));
      once("connect", onConnect);
      once("close", onClose[0]);
      return;
    }
    if (handle == null) {
      cb.accept(new NodeError("ERR_SOCKET_CLOSED", "Socket is closed"));
      return;
    }
    writeGeneric(chunk, cb);
  }

  /** Like Node's stream_base writeGeneric: try now; what is left goes through uv_write. */
  private void writeGeneric(byte[] chunk, Consumer<Throwable> cb) {
    unrefTimer();
    SocketWrites.writeGeneric(this, net.node, handle, chunk, cb);
  }

  void wrote(int n) {
    bytesWritten += n;
  }

  @Override
  protected boolean hasFinal() {
    return true;
  }

  @Override
  protected void doFinal(Consumer<Throwable> cb) {
    if (connecting || handle == null) {
      // Node: a pending socket shuts down once connected.
      once("connect", () -> doFinal(cb));
      return;
    }
    try {
      // Node ignores the shutdown status: the stream finishes either way.
      handle.shutdown((s, err) -> net.node.makeCallback(() -> cb.accept(null)));
    } catch (UncheckedIOException e) {
      UvException ue = (UvException) e.getCause();
      cb.accept(ue.code() == Errno.ENOTCONN ? null : SystemError.errno(ue, "shutdown"));
    }
  }

  // ---------------------------------------------------------------- closing

  @Override
  protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
    connecting = false;
    if (multiple != null) {
      multiple.cancel();
    }
    if (idleTimer != null) {
      net.node.clearTimeout(idleTimer);
      idleTimer = null;
    }
    if (handle != null) {
      boolean isException = err != null;
      Tcp h = handle;
      handle = null;
      h.close(() -> net.node.makeCallback(() -> emit("close", isException)));
      cb.accept(err);
    } else {
      cb.accept(err);
      net.node.nextTick(() -> emit("close", err != null));
    }
    if (server != null) {
      Net.Server s = server;
      server = null;
      s.connectionEnded();
    }
  }

  // ---------------------------------------------------------------- queries and options

  /**
   * {@code socket.setTimeout(ms, callback)}: after {@code ms} milliseconds without reads or
   * writes, {@code 'timeout'} is emitted (once per idle period; the socket stays open: end or
   * destroy it in the listener). {@code ms} 0 disables it and removes {@code callback}, which
   * may be null. The timer does not keep the runtime alive.
   *
   * {@code ms} over 2^31-1 is truncated to it, with Node's TimeoutOverflowWarning.
   *
   * @throws NodeError ERR_OUT_OF_RANGE if {@code ms} is negative, as Node's
   */
  public Net.Socket setTimeout(long ms, Runnable callback) {
    net.node.checkThread();
    if (ms < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"msecs\" is out of range. It must be a non-negative finite number. Received " + ms);
    }
    if (ms > NodeRuntime.TIMEOUT_MAX) {
      // Node's getTimerDuration: truncated, with a warning (not the timers' "set to 1")
      net.node.emitWarning(ms + " does not fit into a 32-bit signed integer.\nTimer duration was truncated to "
          + NodeRuntime.TIMEOUT_MAX + ".", "TimeoutOverflowWarning", null);
      ms = NodeRuntime.TIMEOUT_MAX;
    }
    if (idleTimer != null) {
      net.node.clearTimeout(idleTimer);
      idleTimer = null;
    }
    if (ms == 0) {
      if (callback != null) {
        off("timeout", callback);
      }
      return (Net.Socket) this;
    }
    if (isDestroyed()) {
      return (Net.Socket) this;
    }
    idleTimer = net.node.setTimeout(() -> emit("timeout"), ms).unref();
    if (callback != null) {
      once("timeout", callback);
    }
    return (Net.Socket) this;
  }

  /** {@code socket.setTimeout(ms)}. */
  public Net.Socket setTimeout(long ms) {
    return setTimeout(ms, null);
  }

  /** {@code on('timeout', listener)}. */
  public Net.Socket onTimeout(Runnable listener) {
    addTyped("timeout", listener, args -> listener.run());
    return (Net.Socket) this;
  }

  /** Activity: the idle timer starts again (Node: _unrefTimer). */
  void unrefTimer() {
    if (idleTimer != null) {
      idleTimer.refresh();
    }
  }

  /** True while connecting (Node: {@code socket.connecting}). */
  public boolean connecting() {
    return connecting;
  }

  /**
   * {@code socket.pending}: true before the socket is connected (no connection yet, connecting)
   * and once destroyed, as Node's {@code !this._handle || this.connecting}.
   */
  public boolean pending() {
    return handle == null || connecting;
  }

  /**
   * {@code socket.readyState}: {@code "opening"} while connecting, else {@code "open"} (readable
   * and writable), {@code "readOnly"} (this side ended), {@code "writeOnly"} (the peer ended) or
   * {@code "closed"}. Like Node, a socket not yet connected is {@code "open"}.
   */
  public String readyState() {
    if (connecting) {
      return "opening";
    }
    boolean r = isReadable();
    boolean w = isWritable();
    return r && w ? "open" : r ? "readOnly" : w ? "writeOnly" : "closed";
  }

  /**
   * The peer's address, or null before connecting. Like Node, it is read when first asked for
   * and then stays known once the socket is closed (a socket destroyed before anyone asked
   * has none).
   */
  public InetSocketAddress remoteAddress() {
    if (remote == null && handle != null && !connecting) {
      try {
        remote = handle.remoteAddress();
      } catch (UvException e) {
        // not connected (yet), or the peer is gone: unknown, as Node's {}
      }
    }
    return remote;
  }

  /** {@code socket.remoteFamily}: {@code "IPv4"}, {@code "IPv6"}, or null before connecting. */
  public String remoteFamily() {
    return family(remoteAddress());
  }

  /** The local address: null before connecting and once destroyed, as in Node. */
  public InetSocketAddress address() {
    return handle == null ? null : local;
  }

  /** {@code socket.localFamily}: {@code "IPv4"}, {@code "IPv6"}, or null (see {@link #address}). */
  public String localFamily() {
    return family(address());
  }

  private static String family(InetSocketAddress a) {
    if (a == null) {
      return null;
    }
    return a.getAddress() instanceof java.net.Inet6Address ? "IPv6" : "IPv4";
  }

  public long bytesRead() {
    return bytesRead;
  }

  /** Bytes written to the socket so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /**
   * {@code setNoDelay(noDelay)}: disables Nagle's algorithm. Before {@link #connect} it is
   * remembered and applied when the connection starts; like Node, a failure is ignored.
   */
  public Net.Socket setNoDelay(boolean noDelay) {
    net.node.checkThread();
    if (handle != null && noDelay == this.noDelay) {
      return (Net.Socket) this; // Node: the handle is only told of a change
    }
    this.noDelay = noDelay;
    if (handle != null) {
      try {
        handle.noDelay(noDelay);
      } catch (UvException e) {
        // Node ignores the status of setNoDelay
      }
    }
    return (Net.Socket) this;
  }

  /**
   * {@code setKeepAlive(enable, initialDelayMs)}: the delay is taken in whole seconds, as Node
   * does; before {@link #connect} it is remembered and applied when the connection starts. Like
   * Node, a failure is ignored, and the handle is only touched when something changes. A delay
   * under one second (Node's 0, which libuv 1.46 hands to {@code TCP_KEEPIDLE}: the kernel
   * refuses it after {@code SO_KEEPALIVE} is set, so the kernel's idle time stays) enables
   * keep-alive with the system's idle time ({@code /proc/sys/net/ipv4/tcp_keepalive_time},
   * else 7200 s).
   */
  public Net.Socket setKeepAlive(boolean enable, int initialDelayMs) {
    net.node.checkThread();
    int delay = initialDelayMs / 1000;
    if (handle != null && enable == keepAlive && (!enable || delay == keepAliveDelaySecs)) {
      return (Net.Socket) this;
    }
    this.keepAlive = enable;
    this.keepAliveDelaySecs = delay;
    if (handle != null) {
      NetConnect.keepAlive(handle, enable, delay);
    }
    return (Net.Socket) this;
  }

  private void applyPendingOptions() {
    if (noDelay) {
      try {
        handle.noDelay(true);
      } catch (UvException e) {
        // ignored, as in Node
      }
    }
    if (keepAlive) {
      NetConnect.keepAlive(handle, true, keepAliveDelaySecs);
    }
  }

  public Net.Socket ref() {
    if (handle != null) {
      handle.ref();
    }
    return (Net.Socket) this;
  }

  public Net.Socket unref() {
    if (handle != null) {
      handle.unref();
    }
    return (Net.Socket) this;
  }

  /** Bytes queued in libuv, not yet written to the kernel. */
  public long writeQueueSize() {
    return handle == null ? 0 : handle.writeQueueSize();
  }
}
