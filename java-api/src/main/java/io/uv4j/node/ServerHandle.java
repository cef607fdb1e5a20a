package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The listening handle of a {@link Net.Server} (Node's setupListenHandle and onconnection in
 * lib/net.js): binding and listening, 'listening' on the next tick, accepting a connection
 * (with the server's {@code noDelay}, {@code keepAlive} and {@code pauseOnConnect}), and
 * {@code maxConnections}' 'drop'.
 */
final class ServerHandle {
  private ServerHandle() {}

  /** Binds (no address: :: dual-stack, else 0.0.0.0) and listens; errors are 'error' on the next tick. */
  static void listen(Net.Server s, InetAddress ip, String address, int port, int backlog) {
    if (s.handle != null) {
      // a second listen() made while the first one's lookup ran: Node's setupListenHandle
      // keeps the handle it has (one 'listening'); a second handle would stay open unowned
      return;
    }
    NodeRuntime node = s.net.node;
    Tcp h = new Tcp(node.loop());
    String shown = address;
    try {
      if (ip == null) {
        try {
          h.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
          shown = "::";
        } catch (UvException e6) {
          h.close();
          h = new Tcp(node.loop());
          shown = "0.0.0.0";
          h.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
        }
      } else {
        h.bind(new InetSocketAddress(ip, port));
      }
      h.listen(backlog, (t, err) -> node.makeCallback(() -> s.onConnection(err)));
    } catch (UvException e) {
      h.close();
      SystemError ex = SystemError.uvWithHostPort(e, "listen", shown, port);
      node.nextTick(() -> s.emit("error", ex));
      return;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // literals: cannot happen
    }
    listening(s, h);
  }

  /** Listens on {@code tcp}, a socket received over IPC (bound, maybe already listening). */
  static void listenOn(Net.Server s, Tcp tcp, int backlog) {
    NodeRuntime node = s.net.node;
    try {
      tcp.listen(backlog, (t, err) -> node.makeCallback(() -> s.onConnection(err)));
    } catch (UvException e) {
      tcp.close();
      SystemError ex = SystemError.errno(e, "listen");
      node.nextTick(() -> s.emit("error", ex));
      return;
    }
    listening(s, tcp);
  }

  private static void listening(Net.Server s, Tcp h) {
    s.handle = h;
    if (s.unref) {
      h.unref();
    }
    s.net.node.nextTick(() -> {
      if (s.handle != null) {
        s.emit("listening");
      }
    });
  }

  /** Node's onconnection. */
  static void onConnection(Net.Server s, UvException err) {
    if (err != null) {
      s.emit("error", SystemError.errno(err, "accept"));
      return;
    }
    Tcp client = new Tcp(s.net.node.loop());
    try {
      s.handle.accept(client);
    } catch (UncheckedIOException e) {
      client.close();
      s.emit("error", SystemError.errno((UvException) e.getCause(), "accept"));
      return;
    }
    if (dropOverMax(s, client)) {
      return;
    }
    Net.Socket socket = accepted(s, client);
    s.connections++;
    s.emit("connection", socket);
  }

  /** The server's noDelay/keepAlive on the client handle (Node's onconnection), pauseOnConnect. */
  static Net.Socket accepted(Net.Server s, Tcp client) {
    Net.ServerOptions options = s.options;
    if (options.noDelay()) {
      try {
        client.noDelay(true);
      } catch (UvException e) {
        // Node ignores the status
      }
    }
    if (options.keepAlive()) {
      NetConnect.keepAlive(client, true, options.keepAliveInitialDelay() / 1000);
    }
    Net.Socket socket = new Net.Socket(s.net, client, s);
    socket.acceptedOptions(options.noDelay(), options.keepAlive(), options.keepAliveInitialDelay() / 1000);
    return socket;
  }

  /** Node 20's onconnection: over {@code maxConnections}, the connection is closed and 'drop' tells who it was. */
  static boolean dropOverMax(Net.Server s, Tcp client) {
    if (s.maxConnections == 0 || s.connections < s.maxConnections) {
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
    s.emit("drop", Net.DropInfo.of(local, remote));
    return true;
  }

  /** Node's Server.prototype.listen after its checks: a cluster worker asks the primary; a host is looked up first. */
  static void lookupAndListen(Net.Server s, String host, int port, int backlog) {
    NodeRuntime node = s.net.node;
    ClusterChild child = ProcessCluster.childOf(node);
    if (host == null && child != null) { // a cluster worker: the primary binds (ProcessCluster)
      child.listen(s, null, port, backlog);
      return;
    }
    if (host == null) {
      listen(s, null, null, port, backlog);
      return;
    }
    // Node looks the host up first (one address; for a literal the answer comes on the next
    // tick); a lookup error is an 'error' event.
    NodeDns.of(node).lookup(host, 0, (err, a) -> {
      if (err != null) {
        s.emit("error", err);
        return;
      }
      if (child != null) { // Node: lookupAndListen, then listenInCluster
        child.listen(s, a.address(), port, backlog);
        return;
      }
      InetAddress ip = Net.literal(a.address());
      listen(s, ip, NetAddresses.format(ip), port, backlog);
    });
  }

  /** Node's Server.prototype.close: stops accepting; {@code cb} at 'close', or ERR_SERVER_NOT_RUNNING. */
  static void close(Net.Server s, java.util.function.Consumer<Throwable> cb) {
    if (s.rrAddress != null) {
      Runnable c = s.rrClose;
      s.rrAddress = null;
      s.rrClose = null;
      if (cb != null) {
        s.once("close", () -> cb.accept(null));
      }
      c.run();
      s.emitCloseIfDrained();
      return;
    }
    if (cb != null) {
      if (s.handle == null) {
        s.once("close", () -> cb.accept(new NodeError("ERR_SERVER_NOT_RUNNING", "Server is not running.")));
      } else {
        s.once("close", () -> cb.accept(null));
      }
    }
    if (s.handle != null) {
      s.handle.close();
      s.handle = null;
    }
    s.emitCloseIfDrained();
  }
}
