package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Checks an echo server: {@code echo-client [host] [port] [messages] [size]} (127.0.0.1 7000
 * 10000 64) sends {@code messages} messages of {@code size} random bytes one at a time, waits
 * for each to come back whole and compares it byte for byte, then prints the round trips per
 * second. Exit status 0 when every echo matched, 1 otherwise.
 */
public final class EchoClient implements ReadCallback {
  private static final int SHIFTS = 251; // message i is pool[i % SHIFTS, + size): neighbours differ

  private final Tcp tcp;
  private final int messages;
  private final int size;
  private final byte[] pool;
  private int sent;     // messages sent; the last one is in flight
  private int received; // bytes of the message in flight echoed so far
  private long startNanos;
  private long endNanos;
  private IOException failure;

  private EchoClient(Loop loop, int messages, int size) {
    this.tcp = new Tcp(loop);
    this.messages = messages;
    this.size = size;
    this.pool = new byte[size + SHIFTS];
    new Random(42).nextBytes(pool);
  }

  /**
   * Runs the exchange on a loop of the calling thread and returns how long it took in
   * nanoseconds.
   *
   * @throws IOException if the connection fails or an echo differs from what was sent
   */
  public static long run(InetSocketAddress server, int messages, int size) throws IOException {
    if (messages < 1 || size < 1) {
      throw new IllegalArgumentException("messages and size must be >= 1");
    }
    Loop loop = Loop.create();
    try {
      EchoClient client = new EchoClient(loop, messages, size);
      client.tcp.connect(server, client::onConnect);
      loop.run(); // until the connection is closed: done or failed
      if (client.failure != null) {
        throw client.failure;
      }
      return client.endNanos - client.startNanos;
    } finally {
      loop.shutdown();
    }
  }

  private void onConnect(Stream stream, UvException error) {
    if (error != null) {
      fail(error);
      return;
    }
    EchoServer.noDelay(tcp);
    tcp.readStart(this);
    startNanos = System.nanoTime();
    sendNext();
  }

  private void sendNext() {
    tcp.write(ByteBuffer.wrap(pool, sent % SHIFTS, size)); // taken now: no callback to wait for
    sent++;
    received = 0;
  }

  @Override
  public void onData(Stream stream, ByteBuffer data) {
    int n = data.remaining();
    if (received + n > size) {
      fail(new IOException("echo of message " + sent + " is longer than the " + size
          + " bytes sent"));
      return;
    }
    int offset = (sent - 1) % SHIFTS + received;
    int at = data.mismatch(ByteBuffer.wrap(pool, offset, n)); // both are compared from position
    if (at >= 0) {
      fail(new IOException(String.format("echo mismatch in message %d at byte %d: sent %d, got %d",
          sent, received + at, pool[offset + at], data.get(at))));
      return;
    }
    received += n;
    if (received == size) {
      if (sent == messages) {
        endNanos = System.nanoTime();
        tcp.close();
      } else {
        sendNext();
      }
    }
  }

  @Override
  public void onEnd(Stream stream) {
    fail(new EOFException("the server closed the connection after " + (sent - 1) + " of "
        + messages + " echoes (and " + received + " bytes of the next)"));
  }

  @Override
  public void onError(Stream stream, UvException error) {
    fail(error);
  }

  private void fail(IOException e) {
    if (failure == null) {
      failure = e;
    }
    tcp.close();
  }

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : EchoServer.DEFAULT_PORT;
    int messages = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int size = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    InetSocketAddress server = new InetSocketAddress(host, port);
    if (server.isUnresolved()) {
      System.err.println("echo-client: cannot resolve " + host);
      System.exit(1);
    }
    long nanos;
    try {
      nanos = run(server, messages, size);
    } catch (IOException e) {
      System.err.println("echo-client: " + e.getMessage());
      System.exit(1);
      return;
    }
    System.out.printf("echo-client: %d round trips of %d bytes in %.1f ms: %.0f round trips/s%n",
        messages, size, nanos / 1e6, messages / (nanos / 1e9));
  }
}
