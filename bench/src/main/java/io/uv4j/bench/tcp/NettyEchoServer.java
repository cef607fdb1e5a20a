package io.uv4j.bench.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.Version;
import io.netty.util.internal.PlatformDependent;

/**
 * The Netty echo servers of the TCP comparison: Netty's own echo example (write each read,
 * flush on read-complete) on one event-loop thread that also accepts, pooled direct buffers,
 * TCP_NODELAY on; on the native epoll transport or on the NIO transport.
 *
 * <p>{@code java -cp benchmarks.jar io.uv4j.bench.tcp.NettyEchoServer PORT epoll|nio}
 */
public final class NettyEchoServer {
  private NettyEchoServer() {}

  @ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // reset by the peer: drop the connection
    }
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    boolean epoll = args.length < 2 || args[1].equals("epoll");
    EventLoopGroup group;
    Class<? extends ServerChannel> channel;
    if (epoll) {
      Epoll.ensureAvailability();
      group = new EpollEventLoopGroup(1);
      channel = EpollServerSocketChannel.class;
    } else {
      group = new NioEventLoopGroup(1);
      channel = NioServerSocketChannel.class;
    }
    Echo echo = new Echo();
    ServerBootstrap b = new ServerBootstrap()
        .group(group) // one thread accepts and serves every connection
        .channel(channel)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(echo);
    b.bind("127.0.0.1", port).sync();
    String version = Version.identify().values().iterator().next().artifactVersion();
    System.out.println("listening port=" + port + " impl=netty-" + (epoll ? "epoll" : "nio")
        + " netty=" + version + " directBuffers=" + PlatformDependent.directBufferPreferred()
        + " " + Jvm.describe());
    System.out.flush();
  }
}
