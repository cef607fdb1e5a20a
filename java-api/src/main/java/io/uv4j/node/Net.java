package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code net} module on a {@link NodeRuntime}, over the core {@link Tcp}: servers
 * ({@link #createServer}) and client sockets ({@link #connect}). Every libuv callback enters
 * through {@link NodeRuntime#makeCallback}; the order of events follows Node 20's lib/net.js
 * (for example 'listening' and the connect attempt come on a later tick; a socket's 'close' is
 * emitted from the libuv close callback, so sockets destroyed in the order A, B report 'close'
 * B, A, as in Node).
 *
 * <p>Hosts are IP literals or names: names, {@code "localhost"} included, go through
 * {@code dns.lookup} first (a connecting socket emits {@code 'lookup'}).
 *
 * <pre>{@code
 * Net net = Net.of(node);
 * Net.Server server = net.createServer(socket -> socket.pipe(socket));   // echo
 * server.listen(0, "127.0.0.1", () -> {
 *   Net.Socket c = net.connect(server.address().getPort(), "127.0.0.1");
 *   c.end("hi");   // written once connected
 *   c.on("data", args -> System.out.println(new String((byte[]) args[0])));   // hi
 *   c.on("close", () -> server.close());
 * });
 * }</pre>
 */
public final class Net {
  /** Node's default listen backlog. */
  public static final int DEFAULT_BACKLOG = 511;

  final NodeRuntime node;

  private Net(NodeRuntime node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** The net module of {@code node}. */
  public static Net of(NodeRuntime node) {
    return new Net(node);
  }

  /**
   * The options of {@code net.createServer(options)}.
   *
   * <pre>{@code
   * net.createServer(ServerOptions.DEFAULT.withAllowHalfOpen(true).withNoDelay(true), socket -> ...);
   * }</pre>
   *
   * @param allowHalfOpen when false (Node's default) an accepted socket ends its writable side
   *     as soon as the peer ends; when true it stays writable until {@code end()} is called
   * @param pauseOnConnect when true an accepted socket does not read until {@code resume()} (Node's
   *     {@code pauseOnConnect}: its handle does not read and the stream is paused, no 'pause' event)
   * @param noDelay when true Nagle's algorithm is disabled on each accepted socket
   * @param keepAlive when true keep-alive is enabled on each accepted socket
   * @param keepAliveInitialDelay ms before the first keep-alive probe, taken in whole seconds as
   *     Node does (negative: 0; under one second: the system's default idle time, see
   *     {@link NetSocket#setKeepAlive})
   */
  public record ServerOptions(boolean allowHalfOpen, boolean pauseOnConnect, boolean noDelay,
      boolean keepAlive, int keepAliveInitialDelay) {
    /** Node's defaults: every option false, {@code keepAliveInitialDelay} 0. */
    public static final ServerOptions DEFAULT = new ServerOptions(false);

    /** Node's options with {@code keepAliveInitialDelay} made non-negative, as Node's Server does. */
    public ServerOptions {
      keepAliveInitialDelay = Math.max(0, keepAliveInitialDelay);
    }

    /** Only {@code allowHalfOpen}, the other options Node's defaults. */
    public ServerOptions(boolean allowHalfOpen) {
      this(allowHalfOpen, false, false, false, 0);
    }

    /** With {@code allowHalfOpen}. */
    public ServerOptions withAllowHalfOpen(boolean allow) {
      return new ServerOptions(allow, pauseOnConnect, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code pauseOnConnect}. */
    public ServerOptions withPauseOnConnect(boolean pause) {
      return new ServerOptions(allowHalfOpen, pause, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code noDelay}. */
    public ServerOptions withNoDelay(boolean on) {
      return new ServerOptions(allowHalfOpen, pauseOnConnect, on, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code keepAlive} and {@code keepAliveInitialDelay} (ms). */
    public ServerOptions withKeepAlive(boolean on, int initialDelayMs) {
      return new ServerOptions(allowHalfOpen, pauseOnConnect, noDelay, on, initialDelayMs);
    }
  }

  /**
   * A {@code lookup} function for {@link ConnectOptions}: like {@code dns.lookup(hostname,
   * {all: true}, callback)}, it answers the host's addresses (or an error), now or later.
   */
  @FunctionalInterface
  public interface Lookup {
    /** Looks {@code hostname} up; {@code callback} gets the addresses or the error. */
    void lookup(String hostname, NodeCallback<List<NodeDns.LookupAddress>> callback);
  }

  /**
   * The options of {@code socket.connect(options)} / {@code net.connect(options)}.
   *
   * <pre>{@code
   * net.connect(Net.ConnectOptions.of(port, "localhost").withFamily(4).withLocalAddress("127.0.0.1")
   *     .withTimeout(5000).withNoDelay(true), null);
   * }</pre>
   *
   * @param port the port, 0 to 65535
   * @param host the host (null: {@code "localhost"}); names are looked up
   * @param lookup the lookup function, null for {@code dns.lookup}
   * @param autoSelectFamily all the addresses are looked up and, when both families answer,
   *     tried in turn (happy eyeballs, see {@link NetSocket#connect}); {@link #of} takes it from
   *     {@link Net#getDefaultAutoSelectFamily()} (Node 20: true)
   * @param autoSelectFamilyAttemptTimeout ms given to each attempt ({@link #of}: from
   *     {@link Net#getDefaultAutoSelectFamilyAttemptTimeout()}, Node's 250; under 10 is taken
   *     as 10)
   * @param family the address family to look up: 0 (both), 4 or 6 (another: Node's
   *     ERR_INVALID_ARG_VALUE when a name is looked up; a 4 or 6 turns happy eyeballs off)
   * @param hints {@code getaddrinfo} flags for the lookup ({@link io.uv4j.Dns#AI_ADDRCONFIG},
   *     {@code AI_V4MAPPED}, {@code AI_ALL}; 0: Node's default, {@code AI_ADDRCONFIG} unless the
   *     family is 4 or 6)
   * @param localAddress the local address to bind to before connecting (an IP literal), or null
   * @param localPort the local port to bind to, 0 for any
   * @param timeout {@code net.connect} only: {@code socket.setTimeout(timeout)} before
   *     connecting (0: none)
   * @param noDelay when true Nagle's algorithm is disabled once connected
   * @param keepAlive when true keep-alive is enabled once connected
   * @param keepAliveInitialDelay ms before the first keep-alive probe (negative: 0)
   */
  public record ConnectOptions(int port, String host, Lookup lookup, boolean autoSelectFamily,
      int autoSelectFamilyAttemptTimeout, int family, int hints, String localAddress, int localPort,
      long timeout, boolean noDelay, boolean keepAlive, int keepAliveInitialDelay) {
    /** The options with {@code keepAliveInitialDelay} made non-negative, as Node's Socket does. */
    public ConnectOptions {
      keepAliveInitialDelay = Math.max(0, keepAliveInitialDelay);
    }

    /** The first five options, the others Node's defaults. */
    public ConnectOptions(int port, String host, Lookup lookup, boolean autoSelectFamily,
        int autoSelectFamilyAttemptTimeout) {
      this(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, 0, 0, null, 0, 0,
          false, false, 0);
    }

    /**
     * Node's defaults for {@code port} and {@code host}; {@code autoSelectFamily} and its
     * attempt timeout are the current defaults of the runtime running on this thread
     * ({@link Net#setDefaultAutoSelectFamily}), Node 20's {@code true} and 250 ms elsewhere.
     */
    public static ConnectOptions of(int port, String host) {
      NodeRuntime rt = NodeRuntime.currentOrNull();
      return rt == null ? new ConnectOptions(port, host, null, true, 250)
          : new ConnectOptions(port, host, null, rt.autoSelectFamilyDefault, rt.autoSelectFamilyAttemptTimeoutDefault);
    }

    /** With {@code lookup} (null: {@code dns.lookup}). */
    public ConnectOptions withLookup(Lookup lookup) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code autoSelectFamily}. */
    public ConnectOptions withAutoSelectFamily(boolean on) {
      return new ConnectOptions(port, host, lookup, on, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code autoSelectFamilyAttemptTimeout} (checked by {@code connect}). */
    public ConnectOptions withAutoSelectFamilyAttemptTimeout(int ms) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, ms, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code family} (0, 4 or 6; checked by {@code connect}). */
    public ConnectOptions withFamily(int family) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code hints} (checked by {@code connect}). */
    public ConnectOptions withHints(int hints) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code localAddress} (null: none; checked by {@code connect}). */
    public ConnectOptions withLocalAddress(String localAddress) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code localPort} (0: none). */
    public ConnectOptions withLocalPort(int localPort) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code timeout} (ms; used by {@code net.connect}). */
    public ConnectOptions withTimeout(long timeout) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code noDelay}. */
    public ConnectOptions withNoDelay(boolean on) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, on, keepAlive, keepAliveInitialDelay);
    }

    /** With {@code keepAlive} and {@code keepAliveInitialDelay} (ms). */
    public ConnectOptions withKeepAlive(boolean on, int initialDelayMs) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout, family,
          hints, localAddress, localPort, timeout, noDelay, on, initialDelayMs);
    }
  }

  /**
   * {@code net.connect(options, connectListener)} (the listener may be null): a new socket with
   * {@code noDelay}/{@code keepAlive} from {@code options}, {@code setTimeout(options.timeout)}
   * when it is not 0, then {@link NetSocket#connect(ConnectOptions, Runnable)}.
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a negative {@code timeout}, and the errors of
   *     {@link NetSocket#connect(ConnectOptions, Runnable)}
   * @throws NullPointerException if {@code options} is null
   */
  public Socket connect(ConnectOptions options, Runnable connectListener) {
    Objects.requireNonNull(options, "options");
    node.checkThread();
    Socket s = new Socket(this, null, null);
    s.initOptions(options.noDelay(), options.keepAlive(), options.keepAliveInitialDelay());
    if (options.timeout() != 0) {
      s.setTimeout(options.timeout());
    }
    s.connect(options, connectListener);
    return s;
  }

  /** {@code net.getDefaultAutoSelectFamily()}: this runtime's default (Node 20: true). */
  public boolean getDefaultAutoSelectFamily() {
    return node.autoSelectFamilyDefault;
  }

  /**
   * {@code net.setDefaultAutoSelectFamily(value)}: the default of {@code autoSelectFamily} for
   * the connects of this runtime ({@link ConnectOptions#of} and {@link #connect(int, String)}).
   */
  public void setDefaultAutoSelectFamily(boolean value) {
    node.checkThread();
    node.autoSelectFamilyDefault = value;
  }

  /** {@code net.getDefaultAutoSelectFamilyAttemptTimeout()}: this runtime's default (250 ms). */
  public int getDefaultAutoSelectFamilyAttemptTimeout() {
    return node.autoSelectFamilyAttemptTimeoutDefault;
  }

  /**
   * {@code net.setDefaultAutoSelectFamilyAttemptTimeout(value)}: values under 10 become 10, as
   * in Node.
   *
   * @throws NodeError ERR_OUT_OF_RANGE if {@code value} is under 1, with Node's message
   */
  public void setDefaultAutoSelectFamilyAttemptTimeout(int value) {
    node.checkThread();
    if (value < 1) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"value\" is out of range. It must be >= 1 && <= 2147483647. Received "
          + value);
    }
    node.autoSelectFamilyAttemptTimeoutDefault = Math.max(10, value);
  }

  /** {@code net.createServer()}. */
  public Server createServer() {
    return new Server(this, ServerOptions.DEFAULT);
  }

  /** {@code net.createServer(connectionListener)}: the listener gets each accepted {@link Socket}. */
  public Server createServer(Consumer<Socket> connectionListener) {
    return createServer(ServerOptions.DEFAULT, connectionListener);
  }

  /**
   * {@code net.createServer(options, connectionListener)}; {@code connectionListener} may be null.
   *
   * @throws NullPointerException if {@code options} is null
   */
  public Server createServer(ServerOptions options, Consumer<Socket> connectionListener) {
    Objects.requireNonNull(options, "options");
    Server s = new Server(this, options);
    if (connectionListener != null) {
      s.on("connection", args -> connectionListener.accept((Socket) args[0]));
    }
    return s;
  }

  /** {@code net.connect(port, host)}. */
  public Socket connect(int port, String host) {
    return connect(port, host, null);
  }

  /**
   * {@code new net.Socket()}: a socket not yet connected (see {@link NetSocket#connect}).
   *
   * <pre>{@code
   * Net.Socket s = net.socket();
   * s.readyState();                     // "open", pending() true
   * s.connect(port, "localhost", null);  // "opening"
   * }</pre>
   */
  public Socket socket() {
    return socket(false);
  }

  /** {@code new net.Socket({allowHalfOpen})}: see {@link #socket()}. */
  public Socket socket(boolean allowHalfOpen) {
    node.checkThread();
    Socket s = new Socket(this, null, null);
    s.setAllowHalfOpen(allowHalfOpen);
    return s;
  }

  /** {@code net.connect(port, host, connectListener)}: the listener runs once at 'connect'. */
  public Socket connect(int port, String host, Runnable connectListener) {
    Socket s = new Socket(this, null, null);
    s.connect(port, host, connectListener);
    return s;
  }

  /** {@code net.createConnection(options, connectListener)}: alias of {@link #connect(ConnectOptions, Runnable)}. */
  public Socket createConnection(ConnectOptions options, Runnable connectListener) {
    return connect(options, connectListener);
  }

  /** Alias of {@link #connect(int, String, Runnable)}. */
  public Socket createConnection(int port, String host, Runnable connectListener) {
    return connect(port, host, connectListener);
  }

  /** A connected {@link Socket} over {@code tcp} (a handle received over IPC); it starts reading. */
  Socket socketOn(Tcp tcp) {
    return new Socket(this, tcp, null);
  }

  /** {@code net.isIP(input)}: 4, 6, or 0 if {@code input} is not an IP address literal. */
  public static int isIP(String input) {
    return NetAddresses.isIP(input);
  }

  /** An IP literal as an address, without DNS (callers look names up first). */
  static InetAddress literal(String host) {
    return NetAddresses.literal(host);
  }

  // =================================================================== Server

  /**
   * {@code net.Server}: events {@code 'listening'}, {@code 'connection'} (a {@link Socket}),
   * {@code 'drop'} (a {@link DropInfo}: a connection closed at once for {@link #maxConnections}),
   * {@code 'error'}, {@code 'close'} (after {@link #close} once every connection has ended).
   */
  public static final class Server extends EventEmitter {
    final Net net;
    Tcp handle;
    int connections;
    int maxConnections;
    boolean unref;
    final ServerOptions options;
    // A cluster worker's round-robin server: the primary listens; connections come over IPC.
    InetSocketAddress rrAddress;
    Runnable rrClose;

    Server(Net net, ServerOptions options) {
      this.net = net;
      this.options = options;
    }

    /** {@code server.listen(port)} on every interface (:: dual-stack, else 0.0.0.0). */
    public Server listen(int port) {
      return listen(port, null, DEFAULT_BACKLOG, null);
    }

    public Server listen(int port, Runnable onListening) {
      return listen(port, null, DEFAULT_BACKLOG, onListening);
    }

    /** {@code server.listen(port, host, cb)}: {@code cb} runs once at 'listening'. Port 0 picks one. */
    public Server listen(int port, String host, Runnable onListening) {
      return listen(port, host, DEFAULT_BACKLOG, onListening);
    }

    public Server listen(int port, String hostOrEmpty, int backlog, Runnable onListening) {
      // Node: `if (options.host)`: an empty host listens on the unspecified address
      String host = hostOrEmpty == null || hostOrEmpty.isEmpty() ? null : hostOrEmpty;
      net.node.checkThread();
      if (port < 0 || port > 65535) {
        throw new NodeError("ERR_SOCKET_BAD_PORT", "options.port should be >= 0 and < 65536. Received type number (" + port + ").");
      }
      if (handle != null) {
        throw new NodeError("ERR_SERVER_ALREADY_LISTEN", "Listen method has been called more than once without closing.");
      }
      if (onListening != null) {
        once("listening", onListening);
      }
      ServerHandle.lookupAndListen(this, host, port, backlog);
      return this;
    }

    private void listenNow(InetAddress ip, String address, int port, int backlog) {
      ServerHandle.listen(this, ip, address, port, backlog);
    }

    /** The listening handle (null when not listening, or when the cluster primary listens). */
    Tcp tcp() {
      return handle;
    }

    /** Listens on {@code tcp}, a socket received over IPC (bound, maybe already listening). */
    void listenOn(Tcp tcp, int backlog) {
      ServerHandle.listenOn(this, tcp, backlog);
    }

    /** A cluster worker's round-robin server is listening at {@code address} (through the primary). */
    void rrListening(InetSocketAddress address, Runnable onClose) {
      rrAddress = address;
      rrClose = onClose;
      net.node.nextTick(() -> {
        if (rrAddress != null) {
          emit("listening");
        }
      });
    }

    /** A connection the cluster primary accepted for this server; false if it no longer listens. */
    boolean clusterConnection(Tcp client) {
      if (rrAddress == null) {
        return false;
      }
      if (dropOverMax(client)) {
        return true;
      }
      Socket socket = accepted(client);
      connections++;
      emit("connection", socket);
      return true;
    }

    void clusterError(NodeError e) {
      net.node.nextTick(() -> emit("error", e));
    }

    void onConnection(UvException err) {
      ServerHandle.onConnection(this, err);
    }

    /** Node 20's onconnection: over {@code maxConnections}, the connection is closed and 'drop' tells who it was. */
    private boolean dropOverMax(Tcp client) {
      return ServerHandle.dropOverMax(this, client);
    }

    private Socket accepted(Tcp client) {
      return ServerHandle.accepted(this, client);
    }

    /**
     * {@code server.maxConnections = max}: connections accepted while {@code max} are open are
     * closed at once, each with a {@code 'drop'} event. 0 (the default, Node's
     * {@code undefined}) means no limit; like Node 20, a negative value drops every connection.
     */
    public Server maxConnections(int max) {
      net.node.checkThread();
      this.maxConnections = max;
      return this;
    }

    /** {@code server.maxConnections}: 0 when not set. */
    public int maxConnections() {
      return maxConnections;
    }

    /**
     * {@code server.getConnections(cb)}: {@code cb} gets {@code (null, count)} on the next tick
     * (asynchronously, as in Node), the count of connections accepted and not yet closed.
     *
     * @throws NullPointerException if {@code cb} is null
     */
    public Server getConnections(NodeCallback<Integer> cb) {
      Objects.requireNonNull(cb, "cb");
      net.node.checkThread();
      net.node.nextTick(() -> cb.call(null, connections));
      return this;
    }

    /** {@code server.address()}: the bound address, or null when not listening. */
    public InetSocketAddress address() {
      if (handle == null) {
        return rrAddress;
      }
      try {
        return handle.localAddress();
      } catch (UvException e) {
        throw SystemError.errno(e, "getsockname");
      }
    }

    /** {@code server.listening}. */
    public boolean listening() {
      return handle != null || rrAddress != null;
    }

    /** Connections accepted and not yet destroyed. */
    public int connections() {
      return connections;
    }

    /** {@code server.close()}: stops accepting; 'close' once every connection has ended. */
    public Server close() {
      return close(null);
    }

    /** {@code server.close(cb)}: {@code cb} gets null at 'close', or ERR_SERVER_NOT_RUNNING. */
    public Server close(Consumer<Throwable> cb) {
      net.node.checkThread();
      ServerHandle.close(this, cb);
      return this;
    }

    void emitCloseIfDrained() {
      if (handle != null || connections > 0) {
        return;
      }
      net.node.nextTick(() -> emit("close"));
    }

    void connectionEnded() {
      connections--;
      emitCloseIfDrained();
    }

    /** {@code server.ref()}: keeps the runtime alive while listening (the default). */
    public Server ref() {
      unref = false;
      if (handle != null) {
        handle.ref();
      }
      return this;
    }

    /** {@code server.unref()}: listening alone does not keep the runtime alive. */
    public Server unref() {
      unref = true;
      if (handle != null) {
        handle.unref();
      }
      return this;
    }
  }

  /**
   * The argument of a server's {@code 'drop'} event: both ends of the connection that was
   * closed for {@code maxConnections} (null fields when unknown).
   *
   * <pre>{@code
   * server.on("drop", args -> System.out.println(((Net.DropInfo) args[0]).remoteAddress()));
   * }</pre>
   *
   * @param localAddress the server side's address, e.g. {@code "127.0.0.1"}
   * @param localPort the server side's port
   * @param localFamily {@code "IPv4"} or {@code "IPv6"}
   * @param remoteAddress the peer's address
   * @param remotePort the peer's port
   * @param remoteFamily {@code "IPv4"} or {@code "IPv6"}
   */
  public record DropInfo(String localAddress, int localPort, String localFamily,
      String remoteAddress, int remotePort, String remoteFamily) {
    static DropInfo of(InetSocketAddress local, InetSocketAddress remote) {
      return new DropInfo(local == null ? null : NetAddresses.format(local.getAddress()),
          local == null ? 0 : local.getPort(), familyOf(local),
          remote == null ? null : NetAddresses.format(remote.getAddress()),
          remote == null ? 0 : remote.getPort(), familyOf(remote));
    }

    private static String familyOf(InetSocketAddress a) {
      return a == null ? null : a.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4";
    }
  }

  // =================================================================== Socket

  /** {@code net.Socket} (see {@link NetSocket}). */
  public static final class Socket extends NetSocket {
    Socket(Net net, Tcp handle, Server server) {
      super(net, handle, server);
    }
  }
}
