package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class NetTest {
  @Test
  void echoThroughPipeReturnsEveryByteInOrder() {
    byte[] data = NodeTesting.pattern(6 * 1024 * 1024 + 5);
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(sock -> sock.pipe(sock)); // echo, with backpressure both ways
      server[0].listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.connect(server[0].address().getPort(), "127.0.0.1");
        // Written in 64 KiB pieces, waiting for 'drain' whenever write() says so.
        int[] off = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
          while (off[0] < data.length) {
            int n = Math.min(65536, data.length - off[0]);
            byte[] piece = java.util.Arrays.copyOfRange(data, off[0], off[0] + n);
            off[0] += n;
            if (!c.write(piece)) {
              c.once("drain", pump[0]);
              return;
            }
          }
          c.end();
        };
        c.on("connect", pump[0]);
        c.on("data", args -> back.writeBytes((byte[]) args[0]));
        c.on("end", () -> events.add("end"));
        c.on("close", args -> {
          events.add("close " + args[0]);
          server[0].close();
        });
      });
    });
    assertEquals(List.of("end", "close false"), events);
    assertArrayEquals(data, back.toByteArray());
  }

  @Test
  void aPipeEchoToAPeerThatNeverReadsStaysBounded() throws Exception {
    // Issue 8: socket.pipe(socket) against a peer (a plain java.net socket on another thread)
    // that sends and never reads. The echo's writes go over the mark, the pipe pauses the
    // source, the socket stops reading; the peer's sends then block in its kernel. What the
    // server holds (read but not yet written) must stay within the marks, not grow with what
    // the peer sends.
    java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
    long[] maxHeld = {0};
    List<String> events = new ArrayList<>();
    java.net.Socket[] peer = new java.net.Socket[1];
    Thread[] writer = new Thread[1];
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(sock -> {
        sock.pipe(sock);
        long[] last = {-1, 0}; // sent at the last sample, samples without progress
        Timeout[] poll = new Timeout[1];
        poll[0] = node.setInterval(() -> {
          maxHeld[0] = Math.max(maxHeld[0], sock.bytesRead() - sock.bytesWritten());
          long now = sent.get();
          last[1] = now == last[0] ? last[1] + 1 : 0;
          last[0] = now;
          if (last[1] < 200 && now < 1L << 30) { // 1 s without progress: the peer is blocked
            return;
          }
          node.clearInterval(poll[0]);
          events.add("peer blocked " + (now < 1L << 30));
          events.add("socket not reading " + (sock.readableLength() >= sock.readableHighWaterMark()));
          try {
            peer[0].close(); // unblocks the writer
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          sock.destroy();
          server[0].close();
        }, 5);
      });
      server[0].listen(0, "127.0.0.1", () -> {
        try {
          peer[0] = new java.net.Socket("127.0.0.1", server[0].address().getPort());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        writer[0] = new Thread(() -> {
          byte[] chunk = new byte[64 * 1024];
          try {
            java.io.OutputStream o = peer[0].getOutputStream();
            while (sent.get() < 1L << 30) {
              o.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (java.io.IOException e) {
            // closed under a blocked write: the end of the test
          }
        }, "non-reading-peer");
        writer[0].start();
      });
    });
    writer[0].join();
    assertEquals(List.of("peer blocked true", "socket not reading true"), events);
    // Readable mark + writable mark + a read and a write in flight: well under 1 MiB.
    assertTrue(maxHeld[0] < 1024 * 1024, "held " + maxHeld[0] + " bytes; peer sent " + sent.get());
  }

  @Test
  void writeReturnsFalseAboveTheHighWaterMarkAndDrainFollowsOnce() {
    int size = 32 * 1024 * 1024; // more than the kernel buffers take at once
    List<String> events = new ArrayList<>();
    long[] received = {0};
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(sock -> {
        sock.on("data", args -> received[0] += ((byte[]) args[0]).length);
        sock.on("close", () -> server[0].close());
      });
      server[0].listen(0, "127.0.0.1", () -> {
        Net.Socket[] c = new Net.Socket[1];
        c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> {
          assertTrue(c[0].write(new byte[100]), "a small write is under the mark");
          boolean r = c[0].write(new byte[size], err -> events.add("write cb " + err));
          events.add("write returned " + r);
          events.add("queued in libuv " + (c[0].writeQueueSize() > 0));
          events.add("needDrain " + c[0].writableNeedDrain());
          c[0].on("drain", () -> {
            events.add("drain, writableLength " + c[0].writableLength());
            c[0].end();
          });
        });
      });
    });
    assertEquals(List.of("write returned false", "queued in libuv true", "needDrain true",
        "drain, writableLength 0", "write cb null"), events);
    assertEquals(size + 100, received[0]);
  }

  @Test
  void aPausedSocketStopsReadingAtItsHighWaterMark() {
    int size = 32 * 1024 * 1024;
    List<String> events = new ArrayList<>();
    long[] received = {0};
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      Net.Socket[] serverSide = new Net.Socket[1];
      server[0] = net.createServer(sock -> {
        serverSide[0] = sock;
        sock.write(new byte[size]);
        sock.end();
        server[0].close();
      });
      server[0].listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.connect(server[0].address().getPort(), "127.0.0.1");
        // No 'data' listener: the socket buffers up to its mark, then stops reading.
        Timeout[] poll = new Timeout[1];
        poll[0] = node.setInterval(() -> {
          if (c.readableLength() < c.readableHighWaterMark()) {
            return;
          }
          node.clearInterval(poll[0]);
          node.setTimeout(() -> {
            // One read past the mark at most (64 KiB), however long we wait.
            events.add("bounded " + (c.readableLength() < c.readableHighWaterMark() + 64 * 1024));
            events.add("server still has bytes to write " + (serverSide[0].writableLength() > 0));
            c.on("data", args -> received[0] += ((byte[]) args[0]).length);
            c.on("end", () -> events.add("end"));
          }, 100);
        }, 5);
      });
    });
    assertEquals(List.of("bounded true", "server still has bytes to write true", "end"), events);
    assertEquals(size, received[0]);
  }

  @Test
  void connectionRefusedIsAnErrorThenClose() {
    List<String> events = new ArrayList<>();
    SystemError[] error = new SystemError[1];
    int[] port = {0};
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server probe = net.createServer();
      probe.listen(0, "127.0.0.1", () -> {
        port[0] = probe.address().getPort();
        probe.close(e -> {
          Net.Socket c = net.connect(port[0], "127.0.0.1", () -> events.add("connected (never)"));
          c.on("error", args -> {
            error[0] = (SystemError) args[0];
            events.add("error");
          });
          c.on("close", args -> events.add("close hadError=" + args[0]));
        });
      });
    });
    assertEquals(List.of("error", "close hadError=true"), events);
    assertEquals("ECONNREFUSED", error[0].code());
    assertEquals("connect", error[0].syscall());
    assertEquals("127.0.0.1", error[0].address());
    assertEquals(port[0], error[0].port());
    assertEquals("connect ECONNREFUSED 127.0.0.1:" + port[0], error[0].getMessage());
  }

  @Test
  void listeningOnATakenPortIsAnError() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server first = net.createServer();
      first.listen(0, "127.0.0.1", () -> {
        int port = first.address().getPort();
        Net.Server second = net.createServer();
        second.on("error", args -> {
          SystemError e = (SystemError) args[0];
          events.add(e.code() + " " + e.syscall() + " "
              + e.getMessage().equals("listen EADDRINUSE: address already in use 127.0.0.1:" + port));
          events.add("second listening " + second.listening());
          first.close(err -> events.add("first closed " + err));
        });
        second.listen(port, "127.0.0.1", () -> events.add("listening (never)"));
      });
    });
    assertEquals(List.of("EADDRINUSE listen true", "second listening false", "first closed null"), events);
  }

  @Test
  void socketsDestroyedInOrderCloseInReverseOrder() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      List<Net.Socket> clients = new ArrayList<>();
      int[] accepted = {0};
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(sock -> {
        if (++accepted[0] == 3) {
          server[0].close(e -> events.add("server close"));
          for (Net.Socket c : clients) {
            c.destroy();
          }
        }
      });
      server[0].listen(0, "127.0.0.1", () -> {
        for (String name : List.of("a", "b", "c")) {
          Net.Socket c = net.connect(server[0].address().getPort(), "127.0.0.1");
          c.on("close", () -> events.add(name));
          clients.add(c);
        }
      });
    });
    assertEquals(List.of("c", "b", "a", "server close"), events);
  }

  @Test
  void closingAServerThatIsNotListeningReportsIt() {
    NodeError[] got = new NodeError[1];
    NodeTesting.run(node -> Net.of(node).createServer().close(e -> got[0] = (NodeError) e));
    assertEquals("ERR_SERVER_NOT_RUNNING", got[0].code());
  }

  @Test
  void peerEndingEndsOurSideTooAndWritesAfterEndFail() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(sock -> {
        sock.on("data", () -> { });
        sock.on("end", () -> events.add("server end, writable " + sock.isWritable()));
        sock.on("finish", () -> {
          events.add("server finish (ended by itself)");
          sock.write("late", e -> events.add("late write " + ((NodeError) e).code()));
        });
        sock.on("error", args -> events.add("server error " + ((NodeError) args[0]).code()));
        sock.on("close", () -> server[0].close());
      });
      server[0].listen(0, "127.0.0.1", () -> {
        Net.Socket[] c = new Net.Socket[1];
        c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> {
          assertTrue(c[0].remoteAddress().getPort() > 0);
          assertEquals("127.0.0.1", c[0].address().getAddress().getHostAddress());
        });
        c[0].on("data", () -> { });
        c[0].end("bye");
      });
    });
    // Node replaces write() once the peer ended: EPIPE, not ERR_STREAM_WRITE_AFTER_END.
    assertEquals(List.of("server end, writable true", "server finish (ended by itself)",
        "late write EPIPE", "server error EPIPE"), events);
  }

  @Test
  void hostNamesAreLookedUpBeforeConnecting() {
    assertEquals(4, Net.isIP("127.0.0.1"));
    assertEquals(6, Net.isIP("::1"));
    assertEquals(0, Net.isIP("example.com"));
    assertEquals(0, Net.isIP("256.1.1.1"));
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      assertThrows(NodeError.class, () -> net.connect(70000, "127.0.0.1"));
      // A name that cannot resolve (RFC 2606 .invalid): 'lookup' with the error (as Node 20's
      // lookupAndConnectMultiple), then the error destroys the socket on the next tick.
      Net.Socket bad = net.connect(80, "no-such-host.invalid");
      bad.on("lookup", a -> out.add("lookup event " + ((NodeError) a[0]).code()));
      bad.onError(e -> out.add(((NodeError) e).code()));
      bad.onClose(() -> out.add("close"));
      Net.Server s = net.createServer();
      assertNull(s.address());
      assertFalse(s.listening());
    });
    assertEquals(3, out.size(), out.toString());
    assertTrue(out.get(1).equals("ENOTFOUND") || out.get(1).equals("EAI_AGAIN"), out.toString());
    assertEquals("lookup event " + out.get(1), out.get(0));
    assertEquals("close", out.get(2));
  }

  @Test
  void misuseGivesNodesCodedErrors() {
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Socket s = net.socket();
      NodeError e = assertThrows(NodeError.class, () -> s.setTimeout(-1));
      assertEquals("ERR_OUT_OF_RANGE", e.code());
      assertEquals("The value of \"msecs\" is out of range. It must be a non-negative finite number. Received -1",
          e.getMessage());
      assertEquals("ERR_SOCKET_BAD_PORT", assertThrows(NodeError.class, () -> s.connect(65536, "127.0.0.1", null)).code());
      assertEquals("open", s.readyState()); // a failed connect() leaves the socket as it was
      assertTrue(s.pending());
      assertNull(s.remoteFamily());
      assertNull(s.localFamily());
      // before the connection: remembered, no error (Node applies them at connect)
      s.setNoDelay(true).setKeepAlive(true, 500);
      assertThrows(NullPointerException.class, () -> net.createServer().getConnections(null));
      s.destroy();
      assertEquals("closed", s.readyState());
    });
  }

  @Test
  void callsFromAnotherThreadAreRefused() throws Exception {
    Net.Socket[] socket = new Net.Socket[1];
    Net.Server[] server = new Net.Server[1];
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      socket[0] = net.socket();
      server[0] = net.createServer();
      Thread t = new Thread(() -> {
        assertThrows(IllegalStateException.class, () -> socket[0].setTimeout(10));
        assertThrows(IllegalStateException.class, () -> socket[0].connect(1, "127.0.0.1", null));
        assertThrows(IllegalStateException.class, () -> server[0].getConnections((err, n) -> { }));
        assertThrows(IllegalStateException.class, () -> server[0].maxConnections(1));
      });
      t.start();
      try {
        t.join();
      } catch (InterruptedException ie) {
        throw new AssertionError(ie);
      }
      socket[0].destroy();
    });
  }

  @Test
  void connectionsOverMaxConnectionsAreDropped() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server server = net.createServer(c -> out.add("connection"));
      server.maxConnections(-1); // like Node 20: every connection is dropped
      server.on("drop", a -> out.add("drop " + ((Net.DropInfo) a[0]).remoteFamily()));
      server.listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.connect(server.address().getPort(), "127.0.0.1");
        c.resume();
        c.on("close", () -> server.getConnections((err, n) -> {
          out.add("count " + n);
          server.close();
        }));
      });
    });
    assertEquals(List.of("drop IPv4", "count 0"), out);
  }

  @Test
  void socketOptionsNeverThrowOnAConnectedSocket() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Net.Server server = net.createServer(c -> c.end());
      server.listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.socket();
        c.setNoDelay(true).setKeepAlive(true, 3000); // remembered, applied at connect
        c.connect(server.address().getPort(), "127.0.0.1", () -> {
          c.setKeepAlive(true, 0).setKeepAlive(true, 999).setKeepAlive(false, 0).setNoDelay(false);
          out.add("connected " + c.readyState());
          c.destroy();
        });
        c.on("close", () -> server.close());
      });
    });
    assertEquals(List.of("connected open"), out);
  }
}

