package io.uv4j;


import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Poll on TCP sockets made by Java channels, whose descriptors are read by reflection (hence a
 * child JVM with {@code --add-opens}). A scenario prints {@code OK <name>} as its last line.
 */
class PollChildJvmTest {

  @ParameterizedTest
  @ValueSource(strings = {"poll_oob", "poll_duplex", "disconnectOnASocket"})
  void scenario(String scenario) throws Exception {
    ChildScenarios.run(PollChildJvmTest.class, scenario);
  }

  // ---------------------------------------------------------------- the child

  public static void main(String[] args) throws Throwable {
    ChildScenarios.childMain(PollChildJvmTest.class, args);
  }

  static void check(boolean ok, String what) {
    ChildScenarios.check(ok, what);
  }

  static int fd(Object ch) throws Exception {
    Method m = ch.getClass().getMethod("getFDVal");
    m.setAccessible(true);
    return (int) m.invoke(ch);
  }

  /** A connected pair of non-blocking TCP channels: [client, accepted]. */
  static SocketChannel[] pair() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      SocketChannel client = SocketChannel.open(server.getLocalAddress());
      SocketChannel accepted = server.accept();
      client.configureBlocking(false);
      accepted.configureBlocking(false);
      return new SocketChannel[] {client, accepted};
    }
  }

  /** libuv's poll_oob: urgent (out-of-band) TCP data shows up as PRIORITIZED. */
  static void poll_oob() throws Exception {
    SocketChannel[] s = pair();
    List<Integer> seen = new ArrayList<>();
    try (Loop loop = Loop.create()) {
      Poll p = new Poll(loop, fd(s[1]));
      p.start(Poll.READABLE | Poll.PRIORITIZED, (h, error, events) -> {
        check(error == null, "error " + error);
        seen.add(events);
        if ((events & Poll.PRIORITIZED) != 0) {
          h.close();
        }
      });
      s[0].socket().sendUrgentData('!');
      loop.run();
    }
    check(seen.stream().anyMatch(e -> (e & Poll.PRIORITIZED) != 0), "PRIORITIZED seen: " + seen);
    s[0].close();
    s[1].close();
  }

  /**
   * libuv's poll_duplex, shortened: both ends of one connection are polled for READABLE,
   * WRITABLE and DISCONNECT; each writes 1 MiB in chunks whenever writable, then shuts down its
   * writing side, reads whatever is readable, and closes its Poll once it has sent everything
   * and seen the peer's end of stream. Each side must receive exactly what the other sent.
   */
  static void poll_duplex() throws Exception {
    SocketChannel[] s = pair();
    final int total = 1 << 20;
    long[] received = new long[2];
    long[] sent = new long[2];
    boolean[] eof = new boolean[2];
    boolean[] shut = new boolean[2];
    int[] closed = {0};
    try (Loop loop = Loop.create()) {
      for (int i = 0; i < 2; i++) {
        final int me = i;
        SocketChannel ch = s[i];
        ByteBuffer out = ByteBuffer.allocate(16 * 1024);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        Poll p = new Poll(loop, fd(ch));
        Poll.Callback[] cb = new Poll.Callback[1];
        cb[0] = (h, error, events) -> {
          check(error == null, "error " + error);
          try {
            if ((events & Poll.WRITABLE) != 0 && !shut[me]) {
              while (sent[me] < total) {
                out.clear();
                out.limit((int) Math.min(out.capacity(), total - sent[me]));
                int n = ch.write(out);
                if (n == 0) {
                  break;
                }
                sent[me] += n;
              }
              if (sent[me] == total) {
                ch.shutdownOutput();
                shut[me] = true;
                h.start(Poll.READABLE | Poll.DISCONNECT, cb[0]); // writable no more: stop asking
              }
            }
            if ((events & (Poll.READABLE | Poll.DISCONNECT)) != 0) {
              int n;
              while ((n = ch.read(in.clear())) > 0) {
                received[me] += n;
              }
              if (n < 0) {
                eof[me] = true;
              }
            }
            if (shut[me] && eof[me]) {
              h.close(() -> closed[0]++);
            }
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        };
        p.start(Poll.READABLE | Poll.WRITABLE | Poll.DISCONNECT, cb[0]);
      }
      loop.run();
    }
    check(closed[0] == 2, "both closed");
    check(received[0] == total && received[1] == total,
        "received " + received[0] + " and " + received[1] + " of " + total);
    s[0].close();
    s[1].close();
  }

  /** The peer closes: DISCONNECT (POLLRDHUP), with READABLE (end of stream). */
  static void disconnectOnASocket() throws Exception {
    SocketChannel[] s = pair();
    List<Integer> seen = new ArrayList<>();
    try (Loop loop = Loop.create()) {
      Poll p = new Poll(loop, fd(s[1]));
      p.start(Poll.DISCONNECT, (h, error, events) -> {
        check(error == null, "error " + error);
        seen.add(events);
        h.close();
      });
      s[0].close();
      loop.run();
    }
    check(seen.size() == 1 && (seen.get(0) & Poll.DISCONNECT) != 0, "DISCONNECT: " + seen);
    s[1].close();
  }
}
