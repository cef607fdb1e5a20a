package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * test-udp-open.c (libuv 1.44.2), ported, plus Udp.open misuse: these need raw sockets, made
 * with java.nio channels whose descriptor is read by reflection, so each scenario runs in a child
 * JVM ({@code -Xcheck:jni}, {@code --add-opens java.base/sun.nio.ch}), which also turns a libuv
 * abort into a failed test instead of a dead run. A scenario prints {@code OK <name>} last when
 * every assertion held and nothing leaked.
 */
class UdpChildJvmTest {

  @ParameterizedTest
  @ValueSource(strings = {"udpOpen", "udpOpenTwice", "udpOpenBound", "udpOpenConnect", "openRefusesWhatIsNotAFreeUdpSocket"})
  void scenario(String scenario) throws Exception {
    ChildScenarios.run(UdpChildJvmTest.class, scenario);
  }

  // ---------------------------------------------------------------- the child

  public static void main(String[] args) throws Throwable {
    ChildScenarios.childMain(UdpChildJvmTest.class, args);
  }

  static void check(boolean ok, String what) {
    ChildScenarios.check(ok, what);
  }

  static Throwable thrown(ThrowingRunnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected an exception");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static final byte[] PING = "PING".getBytes(US_ASCII);

  /** create_udp_socket: IPv4 datagram socket with SO_REUSEADDR. */
  static DatagramChannel udpSocket() throws Exception {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
    HELD.add(ch); // its descriptor goes to a handle: never closed nor collected by Java
    return ch;
  }

  static int fdOf(Channel ch) throws ReflectiveOperationException {
    Method m = ch.getClass().getMethod("getFDVal");
    m.setAccessible(true);
    return (int) m.invoke(ch);
  }

  private static final List<Object> HELD = new ArrayList<>();

  /** The recv_cb of test-udp-open.c: PING, stop, close. */
  static UdpRecvCallback pingThenClose(int[] closes) {
    return (u, data, from, partial) -> {
      check(!partial, "flags == 0");
      check(from != null, "addr");
      check(data.remaining() == 4 && data.equals(ByteBuffer.wrap(PING)), "PING");
      u.recvStop();
      u.close(() -> closes[0]++);
    };
  }

  static void udpOpen() throws Exception {
    int[] sendCb = {0};
    int[] closes = {0};
    DatagramChannel sock = udpSocket();
    Loop loop = Loop.create();
    Udp client = new Udp(loop);
    client.open(fdOf(sock));
    check(client.state().equals("new"), "an adopted unbound socket is new: " + client.state());
    client.bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress addr = client.localAddress();
    client.recvStart(pingThenClose(closes));
    client.send(ByteBuffer.wrap(PING), addr, (h, e) -> {
      check(e == null, "send: " + e);
      sendCb[0]++;
      h.close(() -> closes[0]++);
    });
    // libuv answers EEXIST (the loop already watches that descriptor); uv4j refuses it first, as
    // it refuses any descriptor a handle owns.
    Udp client2 = new Udp(loop);
    Throwable t = thrown(() -> client2.open(fdOf(sock)));
    check(t instanceof IllegalArgumentException && t.getMessage().contains("belongs to"), "client2: " + t);
    client2.close();
    loop.run();
    check(sendCb[0] == 1, "send_cb_called " + sendCb[0]);
    check(closes[0] == 1, "close_cb_called " + closes[0]);
    loop.close();
  }

  static void udpOpenTwice() throws Exception {
    DatagramChannel sock1 = udpSocket();
    DatagramChannel sock2 = DatagramChannel.open(StandardProtocolFamily.INET);
    Loop loop = Loop.create();
    Udp client = new Udp(loop);
    client.open(fdOf(sock1));
    Throwable t = thrown(() -> client.open(fdOf(sock2)));
    check(t instanceof UvException && ((UvException) t).errorName().equals("EBUSY"), "second open: " + t);
    sock2.close(); // close_socket(sock2): still ours
    client.close();
    loop.run();
    loop.close();
  }

  static void udpOpenBound() throws Exception {
    DatagramChannel sock = udpSocket();
    sock.bind(new InetSocketAddress("127.0.0.1", 0));
    Loop loop = Loop.create();
    Udp client = new Udp(loop);
    client.open(fdOf(sock));
    check(client.localAddress().equals(sock.getLocalAddress()), "bound address kept");
    check(client.state().equals("bound"), "an adopted bound socket is bound: " + client.state());
    client.recvStart(pingThenClose(new int[1]));
    client.close();
    loop.run();
    loop.close();
  }

  static void udpOpenConnect() throws Exception {
    int[] sendCb = {0};
    int[] closes = {0};
    Loop loop = Loop.create();
    Udp server = new Udp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress addr = server.localAddress();
    DatagramChannel sock = udpSocket();
    sock.connect(addr);
    Udp client = new Udp(loop);
    client.open(fdOf(sock));
    check(client.isConnected(), "an adopted connected socket is connected");
    check(client.remoteAddress().equals(addr), "peer");
    server.recvStart(pingThenClose(closes));
    client.send(ByteBuffer.wrap(PING), (InetSocketAddress) null, (h, e) -> {
      check(e == null, "send: " + e);
      sendCb[0]++;
      h.close(() -> closes[0]++);
    });
    loop.run();
    check(sendCb[0] == 1, "send_cb_called " + sendCb[0]);
    check(closes[0] == 2, "close_cb_called " + closes[0]);
    check(client.isClosed(), "closed");
    loop.close();
  }

  /** A TCP socket, a Unix socket, a closed number, a Tcp's socket, a loop's descriptor: all refused. */
  static void openRefusesWhatIsNotAFreeUdpSocket() throws Exception {
    Loop loop = Loop.create();
    Udp u = new Udp(loop);
    try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
      ss.bind(new InetSocketAddress("127.0.0.1", 0));
      SocketChannel tcp = SocketChannel.open(ss.getLocalAddress());
      Throwable t = thrown(() -> u.open(fdOf(tcp)));
      check(t instanceof IllegalArgumentException && t.getMessage().contains("not an IPv4/IPv6 datagram"), "tcp: " + t);
      t = thrown(() -> u.open(fdOf(ss)));
      check(t instanceof IllegalArgumentException, "listening tcp: " + t);
      tcp.close();
    }
    SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
    check(thrown(() -> u.open(fdOf(unix))) instanceof IllegalArgumentException, "unix socket");
    unix.close();
    Throwable closed = thrown(() -> u.open(100_000));
    check(closed instanceof UvException && ((UvException) closed).errorName().equals("EBADF"), "closed fd: " + closed);
    Tcp tcpHandle = new Tcp(loop);
    tcpHandle.bind(new InetSocketAddress("127.0.0.1", 0));
    Throwable owned = thrown(() -> u.open(tcpHandle.fileno()));
    check(owned instanceof IllegalArgumentException && owned.getMessage().contains("Tcp"), "a Tcp's fd: " + owned);
    int loopFd = OwnedFds.snapshot().entrySet().stream().filter(e -> e.getValue() == loop)
        .mapToInt(e -> e.getKey()).findFirst().orElse(-1);
    check(loopFd >= 0, "the loop registers its descriptors");
    check(thrown(() -> u.open(loopFd)) instanceof IllegalArgumentException, "a loop's fd");
    // Still a usable new handle after all that.
    u.bind(new InetSocketAddress("127.0.0.1", 0));
    check(u.state().equals("bound"), "bound");
    u.close();
    tcpHandle.close();
    loop.run();
    loop.close();
  }
}
