package io.uv4j.bench.tcp;

import io.uv4j.Loop;
import io.uv4j.Tcp;
import io.uv4j.Uv;
import java.net.InetSocketAddress;

/**
 * The uv4j echo server of the TCP comparison: one loop on the main thread, TCP_NODELAY on, and
 * each read written back with {@code write(ByteBuffer)} (try-write first, the rest copied). Its
 * "listening" line names the up-call backend ({@code Uv.backend()}: ffm on JDK 22+ with a jar
 * built on JDK 22+, else jni).
 *
 * <p>{@code java -cp benchmarks.jar io.uv4j.bench.tcp.UvEchoServer PORT}
 */
public final class UvEchoServer {
  private UvEchoServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Loop loop = Loop.create();
    Tcp server = new Tcp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", port));
    server.listen(1024, (s, error) -> {
      if (error != null) {
        return;
      }
      Tcp client = new Tcp(loop);
      s.accept(client);
      try {
        client.noDelay(true);
      } catch (Exception e) {
        client.close();
        return;
      }
      // The view is the loop's read buffer; write takes the bytes before returning.
      client.readStart((stream, data) -> stream.write(data));
    });
    System.out.println("listening port=" + port + " impl=uv4j libuv=" + Uv.versionString()
        + " backend=" + Uv.backend() + " " + Jvm.describe());
    System.out.flush();
    loop.run();
  }
}
