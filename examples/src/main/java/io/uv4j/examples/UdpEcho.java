package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.Timer;
import io.uv4j.Udp;
import io.uv4j.UdpAddress;
import io.uv4j.UdpSendCallback;
import io.uv4j.UvException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * A UDP echo server and its client.
 *
 * <ul>
 *   <li>{@code udp-echo server [port] [--any]} (port 7001, on 127.0.0.1; all interfaces with
 *       {@code --any}) sends every datagram back to its sender. The datagram is a view of the
 *       loop's read buffer and the sender a reusable {@link UdpAddress}: replying with
 *       {@link Udp#send(ByteBuffer, UdpAddress, UdpSendCallback)} copies the bytes once into the
 *       send request and allocates nothing on the Java heap.
 *   <li>{@code udp-echo client [host] [port] [datagrams] [size]} (127.0.0.1 7001 10000 64) sends
 *       {@code datagrams} datagrams of {@code size} random bytes one at a time, waits for each to
 *       come back, compares it byte for byte, and prints round trips per second. UDP may lose a
 *       datagram: one unanswered for a second is sent again, up to 5 times. Exit status 0 when
 *       every echo matched, 1 otherwise.
 * </ul>
 */
public final class UdpEcho {
  public static final int DEFAULT_PORT = 7001;
  static final int RETRIES = 5;
  static final long RETRY_MS = 1000;

  private UdpEcho() {}

  // ---------------------------------------------------------------- server

  /** A running server: {@link #address()}, {@link #datagrams()}, {@link #stop()}. */
  public static final class Server {
    private final Loop loop;
    private final Udp udp;
    private final InetSocketAddress address;
    private volatile long datagrams; // written on the loop thread only
    private LoopThread thread;

    private Server(InetSocketAddress bindTo) throws UvException {
      loop = Loop.create();
      try {
        udp = new Udp(loop);
        udp.bind(bindTo);
        address = udp.localAddress(); // the real port when bindTo's port was 0
        udp.recvStart((u, data, from, partial) -> {
          datagrams++;
          if (from != null && !partial) {
            u.send(data, from, SENT); // a cut datagram is not echoed: it would not match
          }
        });
      } catch (UvException | RuntimeException e) {
        loop.shutdown();
        throw e;
      }
    }

    public InetSocketAddress address() {
      return address;
    }

    /** Datagrams received so far. */
    public long datagrams() {
      return datagrams;
    }

    /** Stops serving and closes the socket; throws if a callback failed. */
    public void stop() throws InterruptedException {
      thread.stop();
    }
  }

  /** A failed echo send (e.g. the client went away: ECONNREFUSED) is not the server's problem. */
  private static final UdpSendCallback SENT = (u, error) -> { };

  /** Binds {@code bindTo} (port 0: any free port) and serves on a new thread. */
  public static Server start(InetSocketAddress bindTo) throws UvException {
    Server s = new Server(bindTo);
    s.thread = new LoopThread(s.loop, "udp-echo");
    return s;
  }

  // ---------------------------------------------------------------- client

  /**
   * Runs the exchange on a loop of the calling thread and returns how long it took in
   * nanoseconds.
   *
   * @throws IOException if a send fails, an echo differs from what was sent, or a datagram is
   *     lost {@link #RETRIES} times
   */
  public static long runClient(InetSocketAddress server, int datagrams, int size) throws IOException {
    if (datagrams < 1 || size < 0 || size > 65_507) {
      throw new IllegalArgumentException("datagrams must be >= 1 and size 0 to 65507");
    }
    Loop loop = Loop.create();
    try {
      Client c = new Client(loop, server, datagrams, size);
      c.sendCurrent();
      loop.run(); // until the socket is closed: done or failed
      if (c.failure != null) {
        throw c.failure;
      }
      return c.endNanos - c.startNanos;
    } finally {
      try {
        loop.shutdown();
      } catch (UvException e) {
        throw new IOException(e);
      }
    }
  }

  private static final class Client {
    private static final int SHIFTS = 251; // datagram i is pool[i % SHIFTS, + size)

    final Udp udp;
    final Timer retry;
    final InetSocketAddress server;
    final int datagrams;
    final int size;
    final byte[] pool;
    final ByteBuffer out;
    int sent; // datagrams sent; the last one is in flight
    int tries;
    long startNanos;
    long endNanos;
    IOException failure;

    Client(Loop loop, InetSocketAddress server, int datagrams, int size) {
      this.udp = new Udp(loop);
      this.retry = new Timer(loop);
      this.server = server;
      this.datagrams = datagrams;
      this.size = size;
      this.pool = new byte[size + SHIFTS];
      new Random(42).nextBytes(pool);
      this.out = ByteBuffer.allocateDirect(Math.max(1, size));
      udp.recvStart(this::onDatagram); // binds 0.0.0.0 and an ephemeral port
      startNanos = System.nanoTime();
    }

    void sendCurrent() {
      out.clear().put(pool, sent % SHIFTS, size).flip();
      udp.send(out, server, (u, error) -> {
        if (error != null) {
          fail(new IOException("send to " + server + ": " + error.getMessage(), error));
        }
      });
      retry.start(RETRY_MS, t -> {
        if (++tries > RETRIES) {
          fail(new IOException("datagram " + sent + " lost " + RETRIES + " times: is a UDP echo server on " + server + "?"));
        } else {
          sendCurrent(); // lost: again
        }
      });
    }

    void onDatagram(Udp u, ByteBuffer data, UdpAddress from, boolean partial) {
      if (from == null || !from.matches(server) && !server.getAddress().isAnyLocalAddress()) {
        return; // not from the server
      }
      int off = sent % SHIFTS;
      if (data.remaining() != size || !ByteBuffer.wrap(pool, off, size).equals(data)) {
        return; // a late duplicate of an earlier datagram (after a retry): not this one
      }
      tries = 0;
      if (++sent == datagrams) {
        endNanos = System.nanoTime();
        close();
        return;
      }
      sendCurrent();
    }

    void fail(IOException e) {
      if (failure == null) {
        failure = e;
      }
      close();
    }

    void close() {
      retry.close();
      udp.close();
    }
  }

  // ---------------------------------------------------------------- main

  public static void main(String[] args) throws Exception {
    String mode = args.length == 0 ? "server" : args[0];
    if (mode.equals("server")) {
      int port = DEFAULT_PORT;
      String host = "127.0.0.1";
      for (int i = 1; i < args.length; i++) {
        if (args[i].equals("--any")) {
          host = "0.0.0.0";
        } else {
          port = Integer.parseInt(args[i]);
        }
      }
      Server server = start(new InetSocketAddress(host, port));
      System.out.println("udp-echo server on " + server.address() + " (Ctrl-C stops it)");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.stop();
        } catch (Exception e) {
          System.err.println("udp-echo: " + e);
        }
        System.out.println("udp-echo: " + server.datagrams() + " datagram(s) echoed");
      }));
      server.thread.await();
    } else if (mode.equals("client")) {
      String host = args.length > 1 ? args[1] : "127.0.0.1";
      int port = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_PORT;
      int datagrams = args.length > 3 ? Integer.parseInt(args[3]) : 10_000;
      int size = args.length > 4 ? Integer.parseInt(args[4]) : 64;
      try {
        long nanos = runClient(new InetSocketAddress(host, port), datagrams, size);
        System.out.printf("udp-echo client: %d datagrams of %d bytes echoed and verified, %.0f round trips/s%n",
            datagrams, size, datagrams / (nanos / 1e9));
      } catch (IOException e) {
        System.err.println("udp-echo client: " + e.getMessage());
        System.exit(1);
      }
    } else {
      System.err.println("usage: udp-echo server [port] [--any] | udp-echo client [host] [port] [datagrams] [size]");
      System.exit(2);
    }
  }
}
