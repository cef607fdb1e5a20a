package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the stream tests: loopback servers on ephemeral ports. */
final class Net {
  /** 127.0.0.1, port chosen by the kernel. */
  static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 0);

  private Net() {}

  /** A server bound to 127.0.0.1:0 and listening; read its port with localAddress(). */
  static Tcp listen(Loop loop, StreamCallback onConnection) throws UvException {
    Tcp server = new Tcp(loop);
    server.bind(LOCAL);
    server.listen(128, onConnection);
    return server;
  }

  /**
   * An echo server like libuv's test echo server: every accepted connection writes back what it
   * reads (write without callback), shuts down its write side at EOF and closes once that is
   * done; errors close it. The accepted streams are added to {@code accepted}, if given.
   */
  static Tcp echoServer(Loop loop, List<Stream> accepted) throws UvException {
    return listen(loop, (server, error) -> {
      assertNull(error);
      Tcp conn = new Tcp(loop);
      server.accept(conn);
      if (accepted != null) {
        accepted.add(conn);
      }
      conn.readStart(echo());
    });
  }

  static Tcp echoServer(Loop loop) throws UvException {
    return echoServer(loop, null);
  }

  /** Reads and writes back; at EOF shuts down, then closes. */
  static ReadCallback echo() {
    return new ReadCallback() {
      @Override
      public void onData(Stream stream, ByteBuffer data) {
        stream.write(data);
      }

      @Override
      public void onEnd(Stream stream) {
        stream.shutdown((s, e) -> s.close());
      }
    };
  }

  static byte[] bytes(ByteBuffer data) {
    byte[] b = new byte[data.remaining()];
    data.duplicate().get(b);
    return b;
  }

  /** Closes every handle of the list that is not closing yet. */
  static void closeAll(List<? extends Handle> handles) {
    for (Handle h : new ArrayList<>(handles)) {
      h.close();
    }
  }
}
