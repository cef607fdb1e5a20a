package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Node 20's happy eyeballs (lib/net.js internalConnectMultiple): a socket whose host looked up
 * to addresses of both families tries them in turn (families alternating), each attempt on a
 * fresh TCP handle, moving on when one fails or after {@code autoSelectFamilyAttemptTimeout}
 * ms; events {@code 'connectionAttempt'} (address, port, family), {@code 'connectionAttemptFailed'}
 * (address, port, family, error), {@code 'connectionAttemptTimeout'} (address, port, family).
 * When every attempt failed the socket is destroyed with a {@link NodeAggregateError}.
 */
final class ConnectMultiple {
  private final NetSocket socket;
  private final NodeRuntime node;
  private final List<NodeDns.LookupAddress> addresses;
  private final int port;
  private final long timeout;
  private final List<NodeError> errors = new ArrayList<>();
  private final boolean[] timedOut;
  private int current;
  private Timeout timer;

  ConnectMultiple(NetSocket socket, NodeRuntime node, List<NodeDns.LookupAddress> addresses, int port, long timeout) {
    this.socket = socket;
    this.node = node;
    this.addresses = addresses;
    this.port = port;
    this.timeout = timeout;
    this.timedOut = new boolean[addresses.size()];
  }

  /** The socket is destroyed: no more attempts. */
  void cancel() {
    clearTimer();
  }

  private void clearTimer() {
    if (timer != null) {
      node.clearTimeout(timer);
      timer = null;
    }
  }

  /** Node's internalConnectMultiple: the next attempt, or the end. */
  void next(boolean canceled) {
    clearTimer();
    if (!socket.connecting()) {
      return;
    }
    if (canceled || current == addresses.size()) {
      if (errors.isEmpty()) {
        socket.destroy(new NodeError("ERR_SOCKET_CONNECTION_TIMEOUT", "Socket connection timeout"));
      } else {
        socket.destroy(new NodeAggregateError(errors));
      }
      return;
    }
    int i = current++;
    Tcp h = i > 0 ? socket.reinitializeHandle() : socket.tcp();
    NodeDns.LookupAddress a = addresses.get(i);
    if (socket.localPort() != 0) { // Node: bind to the family's any-address and localPort first
      SystemError bindErr = NetConnect.bindLocal(h, a.family(), a.family() == 4 ? "0.0.0.0" : "::", socket.localPort());
      if (bindErr != null) {
        errors.add(bindErr);
        next(false);
        return;
      }
    }
    socket.emit("connectionAttempt", a.address(), port, a.family());
    socket.attempted(a.address() + ":" + port);
    InetAddress ip = Net.literal(a.address());
    try {
      h.connect(new InetSocketAddress(ip, port), (s, err) -> node.makeCallback(() -> after(i, h, ip, err)));
    } catch (UncheckedIOException e) {
      NodeError ex = SystemError.withHostPort((UvException) e.getCause(), "connect", a.address(), port);
      errors.add(ex);
      socket.emit("connectionAttemptFailed", a.address(), port, a.family(), ex);
      next(false);
      return;
    }
    if (i < addresses.size() - 1) {
      timer = node.setTimeout(() -> onTimeout(i, h), timeout);
    }
  }

  /** Node's afterConnectMultiple. */
  private void after(int i, Tcp h, InetAddress ip, UvException err) {
    if (timedOut[i] || socket.isDestroyed()) {
      return; // Node: the timed-out request has no oncomplete any more
    }
    clearTimer(); // another attempt is not started by the timer
    if (err == null && i != current - 1) {
      h.close(); // a success after a later attempt started: not used
      return;
    }
    NodeDns.LookupAddress a = addresses.get(i);
    if (err != null) {
      String local = socket.localPort() != 0 ? (a.family() == 4 ? "0.0.0.0" : "::") + ":" + socket.localPort() : null;
      NodeError ex = SystemError.withHostPort(err, "connect", a.address(), port, local); // Node's createConnectionError
      errors.add(ex);
      socket.emit("connectionAttemptFailed", a.address(), port, a.family(), ex);
      if (socket.connecting()) {
        next(err.code() == Errno.ECANCELED);
      }
      return;
    }
    socket.afterConnect(null, ip, port);
  }

  /** Node's internalConnectMultipleTimeout. */
  private void onTimeout(int i, Tcp h) {
    timer = null;
    NodeDns.LookupAddress a = addresses.get(i);
    socket.emit("connectionAttemptTimeout", a.address(), port, a.family());
    timedOut[i] = true;
    errors.add(SystemError.withHostPort(new UvException(Errno.ETIMEDOUT, "connect"), "connect", a.address(), port));
    if (!h.isClosing()) {
      h.close();
    }
    if (socket.connecting()) {
      next(false);
    }
  }
}
