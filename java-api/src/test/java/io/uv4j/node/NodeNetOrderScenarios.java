package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the net, dgram and dns scenarios of the divergence hunts: listen events, refused
 * connects, misuse errors, pause and encodings, lookups and their timeouts, dgram sends to itself
 * (branch node5); 'end' from the peer, server close waiting for its connections, destroy with an
 * error, listen and connect errors (branch node3). Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeNetOrderScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("net_listen_events", NodeNetOrderScenarios::netListenEvents);
    all.put("net_connect_refused", NodeNetOrderScenarios::netConnectRefused);
    all.put("net_misuse_errors", NodeNetOrderScenarios::netMisuseErrors);
    all.put("dgram_misuse_errors", NodeNetOrderScenarios::dgramMisuseErrors);
    all.put("net_pause_encoding", NodeNetOrderScenarios::netPauseEncoding);
    all.put("dns_lookup_variants", NodeNetOrderScenarios::dnsLookupVariants);
    all.put("dgram_self_send", NodeNetOrderScenarios::dgramSelfSend);
    all.put("net_lookup_timeout", NodeNetOrderScenarios::netLookupTimeout);
    all.put("net_end_peer_order", NodeNetOrderScenarios::netEndPeerOrder);
    all.put("net_server_close_waits", NodeNetOrderScenarios::netServerCloseWaits);
    all.put("net_destroy_with_error", NodeNetOrderScenarios::netDestroyWithError);
    all.put("net_listen_connect_errors", NodeNetOrderScenarios::netListenConnectErrors);
  }

  private static void netListenEvents(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> srvLog = new ArrayList<>();
    List<String> cliLog = new ArrayList<>();
    Net.Server server = net.createServer();
    server.on("listening", () -> log.accept("listening listener (before listen)"));
    server.on("connection", args -> {
      Net.Socket s = (Net.Socket) args[0];
      srvLog.add("connection");
      int n = server.connections();
      node.nextTick(() -> srvLog.add("getConnections null " + n));
      s.onData(d -> {
        srvLog.add("data " + NodeOrderScenarios2.bytes(d));
        s.end("pong!");
      });
      s.onEnd(() -> srvLog.add("end"));
      s.onFinish(() -> srvLog.add("finish"));
      s.on("close", cargs -> {
        srvLog.add("close " + cargs[0] + " read " + s.bytesRead() + " written " + s.bytesWritten());
        server.close(err -> {
          log.accept("server: " + String.join(", ", srvLog));
          log.accept("client: " + String.join(", ", cliLog));
          log.accept("server closed, listening " + server.listening());
        });
      });
    });
    server.listen(0, "127.0.0.1", () -> {
      java.net.InetSocketAddress a = server.address();
      log.accept("listen callback: address,family,port " + a.getAddress().getHostAddress() + " "
          + (a.getAddress() instanceof java.net.Inet4Address ? "IPv4" : "IPv6") + " port>0 " + (a.getPort() > 0)
          + " listening " + server.listening());
      Net.Socket c = net.connect(a.getPort(), "127.0.0.1");
      cliLog.add("connecting " + c.connecting());
      c.on("connect", () -> cliLog.add("connect, connecting " + c.connecting() + " remote "
          + c.remoteAddress().getAddress().getHostAddress()));
      c.on("ready", () -> cliLog.add("ready"));
      c.write("ping", err -> cliLog.add("write cb"));
      c.onData(d -> cliLog.add("data " + NodeOrderScenarios2.bytes(d)));
      c.onEnd(() -> cliLog.add("end"));
      c.on("close", cargs -> cliLog.add("close " + cargs[0] + " read " + c.bytesRead() + " written " + c.bytesWritten()));
    });
    server.on("listening", () -> log.accept("listening listener (after listen)"));
    log.accept("listening right after listen() " + server.listening());
  }

  private static void netConnectRefused(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server probe = net.createServer();
    probe.listen(0, "127.0.0.1", () -> {
      int port = probe.address().getPort();
      probe.close(err0 -> {
        Net.Socket c = net.connect(port, "127.0.0.1");
        c.write("early", err -> log.accept("write cb " + (err == null ? "null" : NodeOrderScenarios2.codeOf(err))));
        c.onError(x -> {
          SystemError e = (SystemError) x;
          log.accept("error " + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " address="
              + e.address() + " port=" + (e.port() == port ? "P" : String.valueOf(e.port())) + " | "
              + e.getMessage().replace(String.valueOf(port), "P"));
          log.accept("in error: destroyed " + c.isDestroyed() + " connecting " + c.connecting());
        });
        c.on("close", args -> {
          log.accept("close hadError " + args[0]);
          netConnectRefusedPart2(node, log, net);
        });
        c.onEnd(() -> log.accept("end (never)"));
        log.accept("connecting " + c.connecting());
      });
    });
  }

  private static void netConnectRefusedPart2(NodeRuntime node, Consumer<String> log, Net net) {
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(s -> {
      s.onEnd(() -> log.accept("server socket end"));
      s.onError(e -> log.accept("server socket error " + NodeOrderScenarios2.codeOf(e)));
      s.on("close", args -> {
        log.accept("server socket close " + args[0]);
        server[0].close();
      });
    });
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> {
        c[0].destroy();
        log.accept("client destroyed " + c[0].isDestroyed());
      });
      c[0].on("close", args -> log.accept("client close " + args[0]));
    });
  }

  private static void show(Consumer<String> log, String label, Throwable e) {
    log.accept(label + ": " + ((NodeError) e).code() + " | " + e.getMessage());
  }

  private static void netMisuseErrors(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    try {
      net.createServer().listen(70000);
    } catch (NodeError e) {
      show(log, "listen 70000", e);
    }
    try {
      net.createServer().listen(-1);
    } catch (NodeError e) {
      show(log, "listen -1", e);
    }
    try {
      net.connect(70000, "127.0.0.1");
    } catch (NodeError e) {
      show(log, "connect 70000", e);
    }
    try {
      net.connect(-2, "127.0.0.1");
    } catch (NodeError e) {
      show(log, "connect -2", e);
    }
    List<String> ips = new ArrayList<>();
    for (String ip : new String[] {"127.0.0.1", "::1", "x", "1.2.3.256", "::ffff:1.2.3.4", ""}) {
      ips.add(String.valueOf(Net.isIP(ip)));
    }
    log.accept("isIP " + String.join(",", ips));
    net.createServer().close(err -> show(log, "close not running", err));
    Net.Server server = net.createServer(s -> {
      s.onData(d -> log.accept("server data " + NodeOrderScenarios2.bytes(d)));
      s.onEnd(() -> {
        log.accept("server end");
        s.end();
      });
    });
    server.listen(0, "127.0.0.1", () -> {
      try {
        server.listen(0, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "listen twice", e);
      }
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server.address().getPort(), "127.0.0.1", () -> {
        c[0].end("last");
        c[0].end();
        c[0].write("after end", err -> show(log, "write cb", err));
        c[0].onError(e -> show(log, "socket error event", e));
        log.accept("writable " + c[0].isWritable() + " writableEnded " + c[0].writableEnded());
      });
      c[0].on("close", args -> {
        log.accept("client close " + args[0]);
        server.close(err -> log.accept("server closed"));
      });
    });
  }

  private static void dgramMisuseErrors(NodeRuntime node, Consumer<String> log) {
    NodeDgram dgram = NodeDgram.of(node);
    try {
      dgram.createSocket("udp5");
    } catch (NodeError e) {
      show(log, "udp5", e);
    }
    NodeDgram.Socket s = dgram.createSocket("udp4");
    try {
      s.address();
    } catch (NodeError e) {
      show(log, "address before bind", e);
    }
    s.on("listening", () -> {
      log.accept("listening");
      try {
        s.bind(0);
      } catch (NodeError e) {
        show(log, "bind twice", e);
      }
      try {
        s.send("x", 70000, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send port 70000", e);
      }
      try {
        s.send("x", 0, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send port 0", e);
      }
      s.close(() -> log.accept("close callback"));
      try {
        s.send("x", 9, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send after close", e);
      }
      try {
        s.close();
      } catch (NodeError e) {
        show(log, "close twice", e);
      }
      try {
        s.address();
      } catch (NodeError e) {
        show(log, "address after close", e);
      }
      node.nextTick(() -> log.accept("tick after close"));
    });
    s.on("close", () -> log.accept("close event"));
    s.bind(0, "127.0.0.1", null);
    log.accept("main");
  }

  private static void netPauseEncoding(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    byte[][] chunks = {"ab".getBytes(StandardCharsets.UTF_8), {(byte) 0xc3}, {(byte) 0xa9, (byte) 0xe2, (byte) 0x82},
      {(byte) 0xac, 0x7a}};
    Net.Server server = net.createServer(s -> s.once("data", () -> {
      int[] i = {0};
      Timeout[] iv = new Timeout[1];
      iv[0] = node.setInterval(() -> {
        s.write(chunks[i[0]++]);
        if (i[0] == chunks.length) {
          node.clearInterval(iv[0]);
          s.end();
        }
      }, 15);
    }));
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server.address().getPort(), "127.0.0.1", () -> c[0].write("hello"));
      int[] n = {0};
      c[0].on("data", args -> {
        n[0]++;
        Object d = args[0];
        log.accept("data " + n[0] + " " + (d instanceof String str ? "string " + Json.stringify(str)
            : "buffer " + Crypto.hex((byte[]) d)));
        if (n[0] == 1) {
          c[0].setEncoding("utf8");
          log.accept("readableEncoding " + c[0].readableEncoding());
        }
        if (n[0] == 2) {
          c[0].pause();
          log.accept("paused, isPaused " + c[0].isPaused());
          node.setTimeout(() -> {
            log.accept("resume, readableLength " + c[0].readableLength());
            c[0].resume();
          }, 100);
        }
      });
      c[0].onEnd(() -> log.accept("end"));
      c[0].onClose(() -> {
        log.accept("close");
        server.close();
      });
    });
  }

  private static void dnsLookupVariants(NodeRuntime node, Consumer<String> log) {
    NodeDns dns = NodeDns.of(node);
    Consumer<Object[]> showErr = a -> {
      SystemError e = (SystemError) a[1];
      log.accept(a[0] + ": " + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " hostname=" + e.path()
          + " | " + e.getMessage());
    };
    try {
      dns.lookup("localhost", 5, (err, a) -> { });
    } catch (NodeError e) {
      log.accept("family 5: " + e.code() + " | " + e.getMessage());
    }
    dns.lookupAll("10.1.2.3", 0, (err, addrs) -> {
      log.accept("all v4 literal " + addrs);
      dns.lookupAll("fe80::1", 0, (err2, addrs2) -> {
        log.accept("all v6 literal " + addrs2);
        dns.lookup("10.1.2.3", 6, (err3, a3) -> {
          log.accept("v4 literal with family 6: " + (err3 != null ? err3.code() : a3.address() + " " + a3.family()));
          dns.lookup("", (err4, a4) -> {
            log.accept("empty host: " + err4 + " " + a4.address() + " " + a4.family());
            dns.lookupAll("no-such-host.invalid", 0, (err5, addrs5) -> {
              showErr.accept(new Object[] {"all ENOTFOUND", err5});
              log.accept("addrs " + NodeOrderScenarios2.str(addrs5));
              dns.promises().lookup("no-such-host.invalid", 4)
                  .catchAccept(e -> showErr.accept(new Object[] {"promise ENOTFOUND", e}));
            });
          });
        });
      });
    });
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void dgramSelfSend(NodeRuntime node, Consumer<String> log) {
    NodeDgram.Socket s = NodeDgram.of(node).createSocket("udp4");
    int[] got = {0};
    s.on("listening", () -> log.accept("listening"));
    s.on("message", args -> {
      NodeDgram.Rinfo rinfo = (NodeDgram.Rinfo) args[1];
      log.accept("message " + Json.stringify(NodeOrderScenarios2.bytes((byte[]) args[0])) + " size " + rinfo.size() + " family "
          + rinfo.family());
      if (++got[0] == 4) {
        s.close(() -> log.accept("close callback"));
        log.accept("closing");
      }
    });
    s.on("close", () -> log.accept("close event"));
    s.bind(0, "127.0.0.1", () -> {
      int port = s.address().port();
      s.send("one", port, "127.0.0.1", (err, n) -> log.accept("send one cb " + err + " " + n));
      s.send("", port, "127.0.0.1", (err, n) -> log.accept("send empty cb " + err + " " + n));
      s.send("xxthreexx".getBytes(StandardCharsets.UTF_8), 2, 5, port, "127.0.0.1",
          (err, n) -> log.accept("send three cb " + err + " " + n));
      s.send("four".getBytes(StandardCharsets.UTF_8), port, "127.0.0.1", (err, n) -> log.accept("send four cb " + err + " " + n));
      node.nextTick(() -> log.accept("tick after sends"));
    });
    log.accept("main");
  }

  private static void netLookupTimeout(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Socket c = net.connect(80, "no-such-host.invalid");
    c.on("lookup", a -> log.accept("lookup event err=" + (a[0] == null ? "null" : NodeOrderScenarios2.codeOf((Throwable) a[0]))
        + " address=" + NodeOrderScenarios2.str(a[1])));
    c.onError(x -> {
      SystemError e = (SystemError) x;
      log.accept("error " + e.code() + " syscall=" + e.syscall() + " hostname=" + e.path() + " | " + e.getMessage());
    });
    c.on("close", a -> {
      log.accept("close " + a[0]);
      netLookupTimeoutPart2(node, log, net);
    });
    log.accept("connecting " + c.connecting());
  }

  private static void netLookupTimeoutPart2(NodeRuntime node, Consumer<String> log, Net net) {
    Net.Server server = net.createServer(s -> {
      node.setTimeout(() -> s.write("keepalive"), 50);
      s.onEnd(() -> s.end());
    });
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket client = net.connect(server.address().getPort(), "127.0.0.1");
      long[] dataAt = {-1};
      client.setTimeout(300);
      client.onData(d -> {
        dataAt[0] = System.currentTimeMillis();
        log.accept("data " + NodeOrderScenarios2.bytes(d));
      });
      client.onTimeout(() -> {
        log.accept("timeout after the data (" + (dataAt[0] >= 0 && System.currentTimeMillis() - dataAt[0] >= 299
            ? "late enough" : "too early") + ")");
        client.end();
      });
      client.onClose(() -> {
        log.accept("client close");
        server.close();
      });
    });
  }

  private static void netEndPeerOrder(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(s -> {
      s.setEncoding("utf8");
      s.onStringData(d -> log.accept("server data " + d));
      s.onEnd(() -> {
        log.accept("server end");
        node.nextTick(() -> log.accept("tick after server end"));
      });
      s.onFinish(() -> log.accept("server finish"));
      s.on("close", args -> {
        log.accept("server socket close " + args[0]);
        server[0].close(e -> log.accept("server closed"));
      });
    });
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket c = net.connect(server[0].address().getPort(), "127.0.0.1");
      c.on("connect", () -> {
        log.accept("client connect");
        c.end("bye", err -> log.accept("client end cb"));
      });
      c.on("ready", () -> log.accept("client ready"));
      c.onFinish(() -> log.accept("client finish"));
      c.onEnd(() -> log.accept("client end"));
      c.on("close", args -> log.accept("client close " + args[0]));
    });
  }

  private static void netServerCloseWaits(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(s -> {
      log.accept("server got connection");
      server[0].close(e -> log.accept("server close callback"));
      log.accept("server.listening after close() " + server[0].listening());
      s.onEnd(() -> log.accept("server socket end"));
      s.onClose(() -> log.accept("server socket close"));
      s.end("bye");
    });
    server[0].on("close", () -> log.accept("server close event"));
    server[0].listen(0, "127.0.0.1", () -> {
      int port = server[0].address().getPort();
      Net.Socket c = net.connect(port, "127.0.0.1");
      c.setEncoding("utf8");
      c.onStringData(d -> log.accept("client data " + d));
      c.onEnd(() -> {
        log.accept("client end");
        Net.Socket again = net.connect(port, "127.0.0.1");
        again.onError(e -> log.accept("second connect " + ((NodeError) e).code()));
      });
      c.onClose(() -> log.accept("client close"));
    });
  }

  private static void netDestroyWithError(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(s -> {
      s.onClose(() -> {
        log.accept("server socket close");
        server[0].close(e -> log.accept("server closed"));
      });
      s.onError(e -> { });
    });
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> {
        c[0].destroy(new RuntimeException("boom"));
        log.accept("destroyed, destroyed=" + c[0].isDestroyed());
        c[0].write("late", err -> log.accept("write cb " + NodeOrderScenarios.code(err)));
        node.nextTick(() -> log.accept("tick after destroy"));
      });
      c[0].onError(e -> log.accept("client error " + e.getMessage()));
      c[0].on("close", args -> log.accept("client close " + args[0]));
    });
  }

  private static void netListenConnectErrors(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server a = net.createServer();
    a.listen(0, "127.0.0.1", () -> {
      int port = a.address().getPort();
      Net.Server b = net.createServer();
      b.on("error", args -> {
        SystemError e = (SystemError) args[0];
        log.accept("b error " + e.code() + " " + e.syscall() + " listening " + b.listening());
        a.close(err -> {
          log.accept("a closed");
          Net.Socket c = net.connect(port, "127.0.0.1", () -> log.accept("connected (never)"));
          c.onError(x -> log.accept("c error " + ((SystemError) x).code() + " " + ((SystemError) x).syscall()));
          c.on("close", cargs -> log.accept("c close " + cargs[0]));
          node.nextTick(() -> log.accept("tick after connect, connecting " + c.connecting()));
        });
      });
      b.listen(port, "127.0.0.1", () -> log.accept("b listening (never)"));
      node.nextTick(() -> log.accept("tick after b.listen"));
      log.accept("b.listen returned");
    });
  }

  private NodeNetOrderScenarios() {}
}
