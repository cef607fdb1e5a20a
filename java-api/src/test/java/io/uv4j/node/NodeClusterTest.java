package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Errno;
import io.uv4j.LeakCheck;
import io.uv4j.UvException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** N loops on N threads, one port (SO_REUSEPORT). */
@ExtendWith(LeakCheck.class)
class NodeClusterTest {
  private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress("127.0.0.1", 0);

  /** Each connection gets "index thread\n" from the loop that accepted it, then EOF. */
  private static NodeCluster.Setup tellWhoServes() {
    return (node, index) -> client -> {
      String who = index + " " + Thread.currentThread().getName() + "\n";
      client.write(who.getBytes(StandardCharsets.UTF_8));
      client.shutdown((s, error) -> s.close());
    };
  }

  private static String fetch(int port) throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void twoLoopsBothAcceptOnOnePort() throws Exception {
    NodeCluster cluster = NodeCluster.serve(2, ANY_LOOPBACK_PORT, tellWhoServes());
    Set<String> servedBy = new TreeSet<>();
    int n = 64;
    try {
      assertTrue(cluster.port() > 0);
      assertEquals(2, cluster.threads());
      for (int i = 0; i < n; i++) {
        String reply = fetch(cluster.port());
        // Served on the thread of the loop that accepted it.
        assertTrue(reply.equals("0 uv4j-cluster-0\n") || reply.equals("1 uv4j-cluster-1\n"), reply);
        servedBy.add(reply.substring(0, 1));
      }
    } finally {
      cluster.stop();
    }
    long[] perLoop = cluster.connectionsPerLoop();
    assertEquals(n, perLoop[0] + perLoop[1]);
    // The kernel picks the listener by a hash of each connection's addresses and ports: with 64
    // connections from different source ports, the chance that one loop got none is about 2^-63.
    assertEquals(Set.of("0", "1"), servedBy, "connections per loop: " + perLoop[0] + ", " + perLoop[1]);
  }

  @Test
  void stopClosesOpenConnectionsAndEndsEveryLoop() throws Exception {
    CountDownLatch accepted = new CountDownLatch(1);
    // A server that never answers: the connection stays open until stop().
    NodeCluster cluster = NodeCluster.serve(3, ANY_LOOPBACK_PORT, (node, index) -> client -> {
      client.readStart((s, data) -> { });
      accepted.countDown();
    });
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.port())) {
      s.setSoTimeout(30_000);
      assertTrue(accepted.await(30, TimeUnit.SECONDS));
      cluster.stop();
      assertEquals(-1, s.getInputStream().read(), "the server side was closed by stop()");
    }
    cluster.join(); // already ended
    cluster.stop(); // idempotent
  }

  @Test
  void aPortTakenWithoutReusePortFailsWithEaddrinuseAndLeavesNoLoop() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      UvException e = assertThrows(UvException.class, () -> NodeCluster.serve(2,
          new InetSocketAddress("127.0.0.1", taken.getLocalPort()), tellWhoServes()));
      assertEquals(Errno.EADDRINUSE, e.code());
    }
  }

  @Test
  void setupRunsOnEachLoopThreadWithItsIndexAndNodeStyleCallbacks() throws Exception {
    Set<String> setups = java.util.Collections.synchronizedSet(new TreeSet<>());
    NodeCluster cluster = NodeCluster.serve(3, ANY_LOOPBACK_PORT, (node, index) -> {
      setups.add(index + " " + Thread.currentThread().getName()
          + " " + (NodeRuntime.current() == node));
      return client -> {
        // The handler runs through makeCallback: a nextTick runs right after it.
        StringBuilder order = new StringBuilder("handler");
        node.nextTick(() -> {
          order.append(",tick");
          client.write(order.append('\n').toString().getBytes(StandardCharsets.UTF_8));
          client.shutdown((s, error) -> s.close());
        });
      };
    });
    try {
      assertEquals("handler,tick\n", fetch(cluster.port()));
    } finally {
      cluster.stop();
    }
    assertEquals(Set.of("0 uv4j-cluster-0 true", "1 uv4j-cluster-1 true", "2 uv4j-cluster-2 true"), setups);
  }

  @Test
  void anExceptionInAHandlerEndsThatLoopAndStopReportsIt() throws Exception {
    NodeCluster cluster = NodeCluster.serve(1, ANY_LOOPBACK_PORT, (node, index) -> {
      node.loop(); // the runtime prints the uncaught exception, like Node
      return client -> {
        throw new IllegalStateException("handler failed");
      };
    });
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), cluster.port())) {
      s.setSoTimeout(30_000);
      assertEquals(-1, s.getInputStream().read(), "the loop died and closed the connection");
    }
    cluster.join();
    IllegalStateException e = assertThrows(IllegalStateException.class, cluster::stop);
    assertEquals("handler failed", e.getCause().getMessage());
  }

  @Test
  void badArguments() {
    assertThrows(IllegalArgumentException.class, () -> NodeCluster.serve(0, ANY_LOOPBACK_PORT, tellWhoServes()));
    assertThrows(NullPointerException.class, () -> NodeCluster.serve(1, ANY_LOOPBACK_PORT, null));
  }
}
