package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Net connect and server options (session 21): Node's coded errors for bad values, the runtime's
 * autoSelectFamily defaults, binding to a local port, keep-alive delays under a second.
 */
@ExtendWith(LeakCheck.class)
class NetOptionsTest {
  @Test
  void badConnectOptionsThrowNodesErrorsBeforeAnyHandle() {
    NodeTesting.run(node -> {
      Net net = node.net();
      NodeError ip = assertThrows(NodeError.class,
          () -> net.connect(Net.ConnectOptions.of(80, "127.0.0.1").withLocalAddress("not-an-ip"), null));
      assertEquals("ERR_INVALID_IP_ADDRESS", ip.code());
      assertEquals("Invalid IP address: not-an-ip", ip.getMessage());
      NodeError family = assertThrows(NodeError.class,
          () -> net.connect(Net.ConnectOptions.of(80, "localhost").withFamily(7), null));
      assertEquals("ERR_INVALID_ARG_VALUE", family.code());
      assertEquals("The property 'options.family' must be one of: 0, 4, 6. Received 7", family.getMessage());
      NodeError hints = assertThrows(NodeError.class,
          () -> net.connect(Net.ConnectOptions.of(80, "localhost").withHints(1), null));
      assertEquals("The argument 'hints' is invalid. Received 1", hints.getMessage());
      NodeError timeout = assertThrows(NodeError.class,
          () -> net.connect(Net.ConnectOptions.of(80, "127.0.0.1").withTimeout(-5), null));
      assertEquals("ERR_OUT_OF_RANGE", timeout.code());
      assertThrows(NullPointerException.class, () -> net.connect((Net.ConnectOptions) null, null));
      // Node checks family and hints in dns.lookup: an IP literal or a custom lookup skips them
      List<String> seen = new ArrayList<>();
      Net.Socket s = net.connect(Net.ConnectOptions.of(1, "localhost").withFamily(7).withHints(1)
          .withLookup((name, cb) -> {
            seen.add(name);
            cb.call(new NodeError("ERR_X", "no lookup"), null);
          }), null);
      s.on("error", a -> seen.add(((NodeError) a[0]).code()));
      Net.Socket literal = net.connect(Net.ConnectOptions.of(1, "127.0.0.1").withFamily(7), null);
      literal.destroy();
      node.setImmediate(() -> assertEquals(List.of("localhost", "ERR_X"), seen));
    });
  }

  @Test
  void autoSelectFamilyDefaultsBelongToTheRuntime() {
    Net.ConnectOptions outside = Net.ConnectOptions.of(1, "h");
    assertTrue(outside.autoSelectFamily());
    assertEquals(250, outside.autoSelectFamilyAttemptTimeout());
    NodeTesting.run(node -> {
      Net net = node.net();
      NodeError zero = assertThrows(NodeError.class, () -> net.setDefaultAutoSelectFamilyAttemptTimeout(0));
      assertEquals("The value of \"value\" is out of range. It must be >= 1 && <= 2147483647. Received 0",
          zero.getMessage());
      net.setDefaultAutoSelectFamilyAttemptTimeout(3);
      assertEquals(10, net.getDefaultAutoSelectFamilyAttemptTimeout());
      net.setDefaultAutoSelectFamily(false);
      assertFalse(Net.ConnectOptions.of(1, "h").autoSelectFamily());
      assertEquals(10, Net.ConnectOptions.of(1, "h").autoSelectFamilyAttemptTimeout());
      AtomicReference<Throwable> other = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          net.setDefaultAutoSelectFamily(true);
        } catch (Throwable e) {
          other.set(e);
        }
      });
      t.start();
      t.join();
      assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));
    });
    NodeTesting.run(node -> assertTrue(node.net().getDefaultAutoSelectFamily(), "a new runtime has Node's default"));
  }

  @Test
  void optionRecordsNormalizeLikeNode() {
    assertEquals(0, new Net.ServerOptions(false, false, false, true, -5).keepAliveInitialDelay());
    assertEquals(0, Net.ConnectOptions.of(1, "h").withKeepAlive(true, -1).keepAliveInitialDelay());
    Net.ConnectOptions five = new Net.ConnectOptions(1, "h", null, true, 250);
    assertNull(five.localAddress());
    assertEquals(0, five.family());
    assertEquals(Net.ServerOptions.DEFAULT, new Net.ServerOptions(false));
  }

  @Test
  void localPortAndKeepAliveUnderASecond() throws Exception {
    int free;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      free = probe.getLocalPort();
    }
    int chosen = free;
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = node.net();
      Net.Server server = net.createServer(Net.ServerOptions.DEFAULT.withKeepAlive(true, 200).withNoDelay(true), c -> {
        events.add("server remote port " + (c.remoteAddress().getPort() == chosen));
        c.end();
      });
      server.listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.connect(Net.ConnectOptions.of(server.address().getPort(), "127.0.0.1")
            .withLocalPort(chosen).withKeepAlive(true, 0).withNoDelay(true), null);
        c.on("connect", () -> {
          events.add("client local port " + (c.address().getPort() == chosen));
          c.setKeepAlive(true, 300); // under a second: the system's idle time, no exception
          c.setKeepAlive(false, 0);
          c.setNoDelay(false);
        });
        c.resume();
        c.on("close", () -> server.close());
      });
    });
    assertTrue(events.contains("client local port true"), events.toString());
    assertTrue(events.contains("server remote port true"), events.toString());
  }
}
