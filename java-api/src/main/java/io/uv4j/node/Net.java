package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
   * net.createServer(ServerOptions.DEFAULT.withAllowHalfOpen(true), socket -> ...);
   * }</pre>
   *
   * @param allowHalfOpen when false (Node's default) an accepted socket ends its writable side
   *     as soon as the peer ends; when true it stays writable until {@code end()} is called
   */
  public record ServerOptions(boolean allowHalfOpen) {
    /** Node's defaults: {@code allowHalfOpen: false}. */
    public static final ServerOptions DEFAULT = new ServerOptions(false);

    public ServerOptions withAllowHalfOpen(boolean allow) {
      return new ServerOptions(allow);
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
   * net.connect(Net.ConnectOptions.of(port, "localhost").withAutoSelectFamily(false), null);
   * }</pre>
   *
   * @param port the port, 0 to 65535
   * @param host the host (null: {@code "localhost"}); names are looked up
   * @param lookup the lookup function, null for {@code dns.lookup}
   * @param autoSelectFamily Node 20's default true: all the addresses are looked up and, when
   *     both families answer, tried in turn (happy eyeballs, see {@link NetSocket#connect})
   * @param autoSelectFamilyAttemptTimeout ms given to each attempt (Node's default 250; under
   *     10 is taken as 10)
   */
  public record ConnectOptions(int port, String host, Lookup lookup, boolean autoSelectFamily,
      int autoSelectFamilyAttemptTimeout) {
    /** Node's defaults for {@code port} and {@code host}. */
    public static ConnectOptions of(int port, String host) {
      return new ConnectOptions(port, host, null, true, 250);
    }

    /** With {@code lookup} (null: {@code dns.lookup}). */
    public ConnectOptions withLookup(Lookup lookup) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, autoSelectFamilyAttemptTimeout);
    }

    /** With {@code autoSelectFamily}. */
    public ConnectOptions withAutoSelectFamily(boolean on) {
      return new ConnectOptions(port, host, lookup, on, autoSelectFamilyAttemptTimeout);
    }

    /** With {@code autoSelectFamilyAttemptTimeout} (checked by {@code connect}). */
    public ConnectOptions withAutoSelectFamilyAttemptTimeout(int ms) {
      return new ConnectOptions(port, host, lookup, autoSelectFamily, ms);
    }
  }

  /** {@code net.connect(options, connectListener)} (the listener may be null). */
  public Socket connect(ConnectOptions options, Runnable connectListener) {
    Socket s = new Socket(this, null, null);
    s.connect(options, connectListener);
    return s;
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
    private final Net net;
    private Tcp handle;
    private int connections;
    private int maxConnections;
    private boolean unref;
    final ServerOptions options;
    // A cluster worker's round-robin server: the primary listens; connections come over IPC.
    private InetSocketAddress rrAddress;
    private Runnable rrClose;

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
      ClusterChild child = ProcessCluster.childOf(net.node);
      if (host == null && child != null) { // a cluster worker: the primary binds (ProcessCluster)
        child.listen(this, null, port, backlog);
        return this;
      }
      if (host == null) {
        listenNow(null, null, port, backlog);
      } else {
        // Node looks the host up first (one address; for a literal the answer comes on the next
        // tick); a lookup error is an 'error' event.
        NodeDns.of(net.node).lookup(host, 0, (err, a) -> {
          if (err != null) {
            emit("error", err);
            return;
          }
          if (child != null) { // Node: lookupAndListen, then listenInCluster
            child.listen(this, a.address(), port, backlog);
            return;
          }
          InetAddress ip = literal(a.address());
          listenNow(ip, NetAddresses.format(ip), port, backlog);
        });
      }
      return this;
    }

    private void listenNow(InetAddress ip, String address, int port, int backlog) {
      if (handle != null) {
        // a second listen() made while the first one's lookup ran: Node's setupListenHandle
        // keeps the handle it has (one 'listening'); a second handle would stay open unowned
        return;
      }
      Tcp h = new Tcp(net.node.loop());
      String shown = address;
      try {
        if (ip == null) {
          try {
            h.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
            shown = "::";
          } catch (UvException e6) {
            h.close();
            h = new Tcp(net.node.loop());
            shown = "0.0.0.0";
            h.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
          }
        } else {
          h.bind(new InetSocketAddress(ip, port));
        }
        h.listen(backlog, (s, err) -> net.node.makeCallback(() -> onConnection(err)));
      } catch (UvException e) {
        h.close();
        SystemError ex = SystemError.uvWithHostPort(e, "listen", shown, port);
        net.node.nextTick(() -> emit("error", ex));
        return;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // literals: cannot happen
      }
      handle = h;
      if (unref) {
        h.unref();
      }
      net.node.nextTick(() -> {
        if (handle != null) {
          emit("listening");
        }
      });
    }

    /** The listening handle (null when not listening, or when the cluster primary listens). */
    Tcp tcp() {
      return handle;
    }

    /** Listens on {@code tcp}, a socket received over IPC (bound, maybe already listening). */
    void listenOn(Tcp tcp, int backlog) {
      try {
        tcp.listen(backlog, (s, err) -> net.node.makeCallback(() -> onConnection(err)));
      } catch (UvException e) {
        tcp.close();
        SystemError ex = SystemError.errno(e, "listen");
        net.node.nextTick(() -> emit("error", ex));
        return;
      }
      handle = tcp;
      if (unref) {
        tcp.unref();
      }
      net.node.nextTick(() -> {
        if (handle != null) {
          emit("listening");
        }
      });
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
      Socket socket = new Socket(net, client, this);
      connections++;
      emit("connection", socket);
      return true;
    }

    void clusterError(NodeError e) {
      net.node.nextTick(() -> emit("error", e));
    }

    private void onConnection(UvException err) {
      if (err != null) {
        emit("error", SystemError.errno(err, "accept"));
        return;
      }
      Tcp client = new Tcp(net.node.loop());
      try {
        handle.accept(client);
      } catch (UncheckedIOException e) {
        client.close();
        emit("error", SystemError.errno((UvException) e.getCause(), "accept"));
        return;
      }
      if (dropOverMax(client)) {
        return;
      }
      Socket socket = new Socket(net, client, this);
      connections++;
      emit("connection", socket);
    }

    /** Node 20's onconnection: over {@code maxConnections}, the connection is closed and 'drop' tells who it was. */
    private boolean dropOverMax(Tcp client) {
      if (maxConnections == 0 || connections < maxConnections) {
        return false;
      }
      InetSocketAddress local = null;
      InetSocketAddress remote = null;
      try {
        local = client.localAddress();
        remote = client.remoteAddress();
      } catch (UvException e) {
        // the peer may already be gone: the fields stay null, as Node's stay undefined
      }
      client.close();
      emit("drop", DropInfo.of(local, remote));
      return true;
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
      if (rrAddress != null) {
        Runnable c = rrClose;
        rrAddress = null;
        rrClose = null;
        if (cb != null) {
          once("close", () -> cb.accept(null));
        }
        c.run();
        emitCloseIfDrained();
        return this;
      }
      if (cb != null) {
        if (handle == null) {
          once("close", () -> cb.accept(new NodeError("ERR_SERVER_NOT_RUNNING", "Server is not running.")));
        } else {
          once("close", () -> cb.accept(null));
        }
      }
      if (handle != null) {
        handle.close();
        handle = null;
      }
      emitCloseIfDrained();
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
