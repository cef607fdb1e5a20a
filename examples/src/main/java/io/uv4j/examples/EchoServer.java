package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * A TCP echo server: {@code echo-server [port] [--any]} (port 7000, on 127.0.0.1; all
 * interfaces with {@code --any}).
 *
 * <p>Reads land in the loop's own native buffer and the read callback writes that very view back
 * with {@link Stream#write(java.nio.ByteBuffer)}: {@code uv_try_write} sends it at once when the
 * socket can take it (the usual case) and only what the kernel could not take is copied and
 * queued. Nothing is allocated per read. End of stream and read errors close the connection
 * (the defaults of {@link io.uv4j.ReadCallback}).
 *
 * <p><b>Slow peers.</b> A peer that sends without reading would make those queued copies grow
 * without bound (before this was handled, 1.9 GB in 10 s). So the echo stops reading when a write
 * returns false (the connection's queue is over {@link Stream#highWaterMark()}, 64 KiB) and
 * resumes in {@link Stream#onDrain}: the peer's own sends then block in its kernel, and the
 * server holds at most the mark plus one read per connection.
 */
public final class EchoServer {
  public static final int DEFAULT_PORT = 7000;

  private final Loop loop;
  private final Tcp server;
  private final InetSocketAddress address;
  private volatile int connections; // written on the loop thread only
  private LoopThread thread;

  private EchoServer(InetSocketAddress bindTo) throws UvException {
    loop = Loop.create();
    try {
      server = new Tcp(loop);
      server.bind(bindTo);
      server.listen(128, this::onConnection);
      address = server.localAddress(); // the real port when bindTo's port was 0
    } catch (UvException | RuntimeException e) {
      loop.shutdown();
      throw e;
    }
  }

  /** Listens on {@code bindTo} (port 0: any free port) and serves on a new thread. */
  public static EchoServer start(InetSocketAddress bindTo) throws UvException {
    EchoServer s = new EchoServer(bindTo);
    s.thread = new LoopThread(s.loop, "echo-server");
    return s;
  }

  private void onConnection(Stream listener, UvException error) {
    if (error != null) {
      System.err.println("echo-server: " + error.getMessage());
      return;
    }
    Tcp client = new Tcp(loop);
    try {
      listener.accept(client);
    } catch (UncheckedIOException e) {
      System.err.println("echo-server: " + e.getCause().getMessage());
      client.close();
      return;
    }
    connections++;
    noDelay(client);
    client.onDrain(stream -> stream.readStart(ECHO)); // the peer caught up: read again
    client.readStart(ECHO);
  }

  /** Writes back what it reads; stops reading while the peer does not take its echo. */
  private static final ReadCallback ECHO = (stream, data) -> {
    if (!stream.write(data)) {
      stream.readStop(); // until onDrain
    }
  };

  /** Ping-pong traffic: send each echo now rather than wait for the peer's ACK (Nagle). */
  static void noDelay(Tcp tcp) {
    try {
      tcp.noDelay(true);
    } catch (UvException e) {
      // only latency suffers
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections;
  }

  /** Stops serving and closes every connection; throws if a callback failed. */
  public void stop() throws InterruptedException {
    thread.stop();
  }

  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    String host = "127.0.0.1";
    for (String arg : args) {
      if (arg.equals("--any")) {
        host = "0.0.0.0";
      } else {
        port = Integer.parseInt(arg);
      }
    }
    EchoServer server = start(new InetSocketAddress(host, port));
    System.out.println("echo-server listening on " + server.address() + " (Ctrl-C stops it)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        System.err.println("echo-server: " + e);
      }
      System.out.println("echo-server: " + server.connections() + " connection(s) served");
    }));
    server.thread.await();
  }
}
