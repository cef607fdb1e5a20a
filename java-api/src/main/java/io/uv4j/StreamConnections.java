package io.uv4j;

import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * How a {@link Stream} gets its connection: {@code uv_listen} and {@code uv_accept} on the server
 * side, the checks of a connect ({@link Tcp}, {@link Pipe}) and of the open of an existing
 * descriptor. These are the transitions of the stream's role (docs/ARCHITECTURE.md, "Handle
 * state machines"): libuv asserts when a listening stream's watcher sees a write, a connect or a
 * shutdown, so the role decides which operations reach libuv at all.
 *
 * <p>Static methods over the stream's fields; the natives stay declared on {@code Stream}.
 */
final class StreamConnections {
  private StreamConnections() {}

  /** {@link Stream#listen}. */
  static void listen(Stream s, int backlog, StreamCallback onConnection) throws UvException {
    Objects.requireNonNull(onConnection, "onConnection");
    long a = s.open();
    if (backlog < 0) {
      throw new IllegalArgumentException("backlog must be >= 0: " + backlog);
    }
    if (s.role != Stream.NEW) {
      throw new IllegalStateException(s + ": listen() needs a new stream, this one is " + s.roleName());
    }
    if (!s.writes.isEmpty() || s.shutdownCallback != null || Handle.nIsActive(a)) {
      throw new IllegalStateException(s + ": listen() on a stream that reads or writes");
    }
    s.connectionCallback = onConnection;
    int r = Stream.nListen(a, backlog);
    s.trackFd(); // uv_listen creates the socket of an unbound Tcp, even when listen(2) then fails
    if (r != 0) {
      s.connectionCallback = null;
      throw new UvException(r, "uv_listen", s.bindTarget(), null);
    }
    s.role = Stream.LISTENING;
  }

  /** {@link Stream#accept}: into a new client of the same kind and loop. */
  static void accept(Stream server, Stream client) {
    Objects.requireNonNull(client, "client");
    long a = server.open();
    if (server.role != Stream.LISTENING) {
      throw new IllegalStateException(server + ": accept() on a stream that is not listening");
    }
    if (client.loop != server.loop) {
      throw new IllegalArgumentException(client + " belongs to another loop: accept() takes a "
          + "client created on the server's loop");
    }
    Class<?> kind = server.getClass();
    if (client.getClass() != kind) {
      throw new IllegalArgumentException("a " + kind.getSimpleName() + " server accepts into a "
          + kind.getSimpleName() + ", not a " + client.getClass().getSimpleName());
    }
    if (client == server) {
      throw new IllegalStateException("accept() into the listening stream itself");
    }
    long c = client.open();
    if (client.role != Stream.NEW || Stream.nFileno(c) >= 0) {
      throw new IllegalStateException(client + ": accept() needs a new client without a socket");
    }
    int r = Stream.nAccept(a, c);
    if (r != 0) {
      throw new UncheckedIOException(new UvException(r, "uv_accept"));
    }
    client.role = Stream.CONNECTED;
    client.trackFd();
  }

  /** {@code Stream.startConnect}: checks a connect may start (the caller has called open()). */
  static void startConnect(Stream s, StreamCallback callback) {
    if (s.role == Stream.CONNECTING) {
      throw new IllegalStateException(s + ": a connect is already in progress");
    }
    if (s.role != Stream.NEW) {
      throw new IllegalStateException(s + ": connect() needs a new stream, this one is " + s.roleName()
          + (s.role == Stream.CONNECT_FAILED ? " (close it and connect with a new one)" : ""));
    }
    s.connectCallback = callback;
  }

  /** {@code Stream.openableAddress}: Tcp.open / Pipe.open, only on a new stream without a descriptor. */
  static long openableAddress(Stream s, long fd) {
    long a = s.open();
    if (s.role != Stream.NEW || Stream.nFileno(a) >= 0) {
      throw new IllegalStateException(s + ": open() needs a new stream without a socket");
    }
    if (fd < 0 || fd > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a descriptor: " + fd);
    }
    Object owner = OwnedFds.owner((int) fd);
    if (owner != null) {
      throw new IllegalArgumentException("fd " + fd + " belongs to " + owner
          + ": a descriptor can be owned by one handle only");
    }
    return a;
  }

  /** {@code Stream.fdKindName}: a {@code Stream.fdKind} answer in words, for open()'s errors. */
  static String fdKindName(int kind) {
    switch (kind & 0xff) {
      case Stream.FD_FIFO: return "a pipe";
      case Stream.FD_UNIX_SOCKET: return "a Unix domain socket";
      case Stream.FD_TCP_SOCKET: return "a TCP socket";
      case Stream.FD_OTHER_SOCKET: return "a socket that is neither TCP nor Unix domain";
      case Stream.FD_FILE: return "a regular file";
      case Stream.FD_CHAR_DEVICE: return "a character device";
      case Stream.FD_DIRECTORY: return "a directory";
      default: return "not a pipe or socket";
    }
  }
}
