package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** dgram beyond the differential scenario: udp6, the implicit bind of a first send, misuse. */
@ExtendWith(LeakCheck.class)
class NodeDgramTest {
  @Test
  void udp6SendBeforeBindBindsImplicitlyAndQueuesTheDatagram() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeDgram dgram = NodeDgram.of(node);
      NodeDgram.Socket server = dgram.createSocket("udp6");
      NodeDgram.Socket client = dgram.createSocket("udp6");
      server.on("message", a -> {
        NodeDgram.Rinfo r = (NodeDgram.Rinfo) a[1];
        events.add("message " + new String((byte[]) a[0]) + " " + r.address() + " " + r.family() + " " + r.size());
        server.close();
        client.close();
      });
      server.bind(0, "::1", () -> {
        client.on("listening", () -> events.add("client listening"));
        client.send("six", server.address().port(), "::1", (err, n) -> events.add("sent " + err + " " + n));
        events.add("send called");
      });
    });
    assertEquals(List.of("send called", "client listening", "sent null 3", "message six ::1 IPv6 3"), events);
  }

  @Test
  void misuseThrowsNodesErrors() {
    NodeTesting.run(node -> {
      NodeDgram dgram = NodeDgram.of(node);
      assertEquals("ERR_SOCKET_BAD_TYPE", assertThrows(NodeError.class, () -> dgram.createSocket("udp5")).code());
      NodeDgram.Socket s = dgram.createSocket("udp4");
      // Node 20 does not check bind's port (it is taken modulo 65536): see NodeDgram.Socket.bind
      NodeError oob = assertThrows(NodeError.class, () -> s.send(new byte[3], 2, 5, 1234, "127.0.0.1", null));
      assertEquals("ERR_BUFFER_OUT_OF_BOUNDS", oob.code());
      assertEquals("\"length\" is outside of buffer bounds", oob.getMessage());
      assertEquals("\"offset\" is outside of buffer bounds",
          assertThrows(NodeError.class, () -> s.send(new byte[3], -1, 1, 1234, "127.0.0.1", null)).getMessage());
      assertThrows(NullPointerException.class, () -> s.send((java.util.List<byte[]>) null, 1234, "127.0.0.1", null));
      java.util.List<byte[]> withNull = new java.util.ArrayList<>();
      withNull.add(null);
      assertThrows(NullPointerException.class, () -> s.send(withNull, 1234, "127.0.0.1", null));
      assertEquals("ERR_SOCKET_BAD_PORT",
          assertThrows(NodeError.class, () -> s.send(java.util.List.of(new byte[1]), 0, "127.0.0.1", null)).code());
      assertEquals("ERR_SOCKET_DGRAM_NOT_CONNECTED",
          assertThrows(NodeError.class, () -> s.send(java.util.List.of(new byte[1]), null)).code());
      assertEquals("ERR_SOCKET_BAD_PORT",
          assertThrows(NodeError.class, () -> s.send("x", 0, "127.0.0.1", null)).code());
      assertEquals("ERR_SOCKET_DGRAM_NOT_CONNECTED", assertThrows(NodeError.class, s::disconnect).code());
      assertEquals("ERR_SOCKET_DGRAM_NOT_CONNECTED", assertThrows(NodeError.class, () -> s.send("x", null)).code());
      // an address of the other family: an EINVAL error event (Node), see NodeNetScenarios2
      s.close();
      assertEquals("ERR_SOCKET_DGRAM_NOT_RUNNING", assertThrows(NodeError.class, s::close).code());
      assertEquals("ERR_SOCKET_DGRAM_NOT_RUNNING", assertThrows(NodeError.class, s::address).code());
    });
  }

  @Test
  void ipv6AddressesAreWrittenAsNodeWritesThem() throws Exception {
    assertEquals("::1", NetAddresses.format(java.net.InetAddress.getByName("::1")));
    assertEquals("::", NetAddresses.format(java.net.InetAddress.getByName("::")));
    assertEquals("fe80::1:0:0:2", NetAddresses.format(java.net.InetAddress.getByName("fe80:0:0:0:1:0:0:2")));
    assertEquals("2001:db8::1:0:0:1", NetAddresses.format(java.net.InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
    assertEquals("1:0:2:3:4:5:6:7", NetAddresses.format(java.net.InetAddress.getByName("1:0:2:3:4:5:6:7")));
  }
}
