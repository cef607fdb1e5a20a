package io.uv4j.bench.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The plain NIO echo server of the TCP comparison: one thread, one {@link Selector}, TCP_NODELAY
 * on, and one direct buffer per connection: a read is written back at once; if the socket does
 * not take it all, the connection stops reading until the rest is written (OP_WRITE).
 *
 * <p>{@code java -cp benchmarks.jar io.uv4j.bench.tcp.NioEchoServer PORT}
 */
public final class NioEchoServer {
  private NioEchoServer() {}

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    Selector selector = Selector.open();
    ServerSocketChannel server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress("127.0.0.1", port), 1024);
    server.configureBlocking(false);
    server.register(selector, SelectionKey.OP_ACCEPT);
    System.out.println("listening port=" + port + " impl=nio " + Jvm.describe());
    System.out.flush();
    for (;;) {
      selector.select();
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        try {
          if (key.isAcceptable()) {
            SocketChannel c;
            while ((c = server.accept()) != null) {
              c.configureBlocking(false);
              c.setOption(StandardSocketOptions.TCP_NODELAY, true);
              c.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(64 * 1024));
            }
          } else if (key.isReadable()) {
            SocketChannel c = (SocketChannel) key.channel();
            ByteBuffer buf = (ByteBuffer) key.attachment();
            buf.clear();
            if (c.read(buf) < 0) {
              close(key);
              continue;
            }
            buf.flip();
            c.write(buf);
            if (buf.hasRemaining()) {
              key.interestOps(SelectionKey.OP_WRITE);
            }
          } else if (key.isWritable()) {
            SocketChannel c = (SocketChannel) key.channel();
            ByteBuffer buf = (ByteBuffer) key.attachment();
            c.write(buf);
            if (!buf.hasRemaining()) {
              key.interestOps(SelectionKey.OP_READ);
            }
          }
        } catch (IOException e) {
          close(key); // reset by the peer: drop the connection
        }
      }
    }
  }

  private static void close(SelectionKey key) {
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
