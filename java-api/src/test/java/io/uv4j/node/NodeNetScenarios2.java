package io.uv4j.node;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the net2_*.js scenarios (net socket states, server connection limits, host
 * lookups, argument errors, dgram buffer lists). Registered into {@link NodeScenarios#ALL}.
 */
final class NodeNetScenarios2 {
  private NodeNetScenarios2() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("net2_ready_state", NodeNetScenarios2::readyState);
    all.put("net2_connections", NodeNetScenarios2::connections);
    all.put("net2_lookup", NodeNetScenarios2::lookup);
    all.put("net2_arg_errors", NodeNetScenarios2::argErrors);
    all.put("net2_dgram_list", NodeNetScenarios2::dgramList);
    all.put("net2_happy_eyeballs", NodeNetScenarios2::happyEyeballs);
    all.put("net2_attempt_timeout", NodeNetScenarios2::attemptTimeout);
  }

  /** JavaScript's String(x): null is "undefined". */
  private static String js(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  private static String addr(InetSocketAddress a) {
    return a == null ? null : a.getAddress().getHostAddress();
  }

  private static void st(List<String> log, String tag, NetSocket s) {
    log.add(tag + " pending=" + s.pending() + " readyState=" + s.readyState() + " connecting=" + s.connecting()
        + " remote=" + js(addr(s.remoteAddress())) + "/" + js(s.remoteFamily())
        + " local=" + js(addr(s.address())) + "/" + js(s.localFamily()));
  }

  private static void readyState(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> clientLog = new ArrayList<>();
    List<String> serverLog = new ArrayList<>();
    int[] toClose = {2};
    int[] accepted = {0};
    Net.Server[] server = new Net.Server[1];
    Runnable done = () -> {
      if (--toClose[0] == 0) {
        server[0].close(err -> {
          clientLog.forEach(l -> log.accept("client: " + l));
          serverLog.forEach(l -> log.accept("server: " + l));
        });
      }
    };
    server[0] = net.createServer(Net.ServerOptions.DEFAULT.withAllowHalfOpen(true), c -> {
      int n = ++accepted[0];
      if (n == 2) {
        c.on("end", () -> c.end());
        c.on("close", done);
        return;
      }
      st(serverLog, "server connection", c);
      c.on("end", () -> {
        st(serverLog, "server peer ended", c);
        c.end();
        st(serverLog, "server ended too", c);
      });
      c.on("close", () -> st(serverLog, "server close", c));
    });
    server[0].listen(0, "127.0.0.1", () -> {
      int port = server[0].address().getPort();
      Net.Socket s = net.socket(true);
      st(clientLog, "new", s);
      s.connect(port, "127.0.0.1", null);
      st(clientLog, "connecting", s);
      s.on("connect", () -> {
        st(clientLog, "connected", s);
        s.end();
        st(clientLog, "after end()", s);
      });
      s.on("end", () -> st(clientLog, "peer ended", s));
      s.on("close", () -> {
        st(clientLog, "close", s);
        Net.Socket d = net.socket();
        d.connect(port, "127.0.0.1", null);
        d.destroy();
        st(clientLog, "destroyed while connecting", d);
        d.on("close", () -> {
          st(clientLog, "close after destroy while connecting", d);
          Net.Socket[] e = new Net.Socket[1];
          e[0] = net.connect(port, "127.0.0.1", () -> {
            e[0].destroy();
            st(clientLog, "destroyed once connected", e[0]);
          });
          e[0].on("close", () -> {
            st(clientLog, "close after destroy", e[0]);
            done.run();
          });
        });
      });
    });
  }

  private static void connections(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> serverLog = new ArrayList<>();
    List<String> aLog = new ArrayList<>();
    List<String> bLog = new ArrayList<>();
    Net.Server server = net.createServer(c -> serverLog.add("connection"));
    server.maxConnections(1);
    int[] port = {0};
    server.on("drop", args -> {
      Net.DropInfo d = (Net.DropInfo) args[0];
      serverLog.add("drop localAddress,localPort,localFamily,remoteAddress,remotePort,remoteFamily " + d.localAddress()
          + " " + d.localFamily() + " " + d.remoteAddress() + " " + d.remoteFamily() + " " + (d.localPort() == port[0])
          + " " + (d.remotePort() > 0));
    });
    server.listen(0, "localhost", () -> {
      port[0] = server.address().getPort();
      log.accept("listening on " + server.address().getAddress().getHostAddress() + " IPv4 max " + server.maxConnections());
      boolean[] sync = {true};
      server.getConnections((err, n) -> log.accept("getConnections " + err + " " + n + " sync=" + sync[0]));
      sync[0] = false;
      Net.Socket a = net.connect(port[0], "localhost");
      a.on("lookup", args -> aLog.add("lookup " + args[0] + " " + args[1] + " " + args[2] + " " + args[3]));
      a.on("connect", () -> {
        aLog.add("connect " + addr(a.remoteAddress()) + " " + a.remoteFamily());
        Net.Socket b = net.connect(port[0], "localhost");
        b.on("lookup", args -> bLog.add("lookup " + args[0] + " " + args[1] + " " + args[2] + " " + args[3]));
        b.on("connect", () -> bLog.add("connect"));
        b.on("end", () -> bLog.add("end"));
        b.on("error", args -> bLog.add("error " + ((NodeError) args[0]).code()));
        b.resume();
        b.on("close", args -> {
          bLog.add("close " + args[0]);
          server.getConnections((err, n) -> {
            log.accept("getConnections " + err + " " + n);
            a.destroy();
            server.close(e -> server.getConnections((err2, n2) -> {
              log.accept("getConnections after close " + err2 + " " + n2);
              serverLog.forEach(l -> log.accept("server: " + l));
              aLog.forEach(l -> log.accept("a: " + l));
              bLog.forEach(l -> log.accept("b: " + l));
            }));
          });
        });
      });
    });
  }

  private static void lookup(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server server = net.createServer(c -> c.end());
    server.listen(0, "localhost", () -> {
      int port = server.address().getPort();
      log.accept("listening " + server.address().getAddress().getHostAddress() + " IPv4");
      Net.Socket lit = net.connect(port, "127.0.0.1");
      lit.on("lookup", args -> log.accept("literal: lookup (unexpected)"));
      lit.on("connect", () -> log.accept("literal: connect " + lit.remoteFamily()));
      lit.resume();
      lit.on("close", () -> {
        log.accept("literal: close");
        Net.Socket[] c = new Net.Socket[1];
        c[0] = net.connect(port, "localhost", () -> log.accept("localhost: connect listener " + addr(c[0].remoteAddress())));
        log.accept("localhost: connecting " + c[0].connecting() + " " + c[0].readyState());
        c[0].on("lookup", args -> log.accept("localhost: lookup " + args[0] + " " + args[1] + " " + args[2] + " "
            + args[3] + " connecting=" + c[0].connecting()));
        c[0].on("connect", () -> log.accept("localhost: connect"));
        c[0].resume();
        c[0].on("close", () -> {
          log.accept("localhost: close");
          Net.Socket bad = net.connect(port, "no-such-host.invalid");
          bad.on("lookup", args -> {
            SystemError err = (SystemError) args[0];
            log.accept("bad: lookup " + err.code() + " " + err.syscall() + " " + err.path() + " " + js(args[1]) + " "
                + js(args[2]) + " " + args[3]);
          });
          bad.on("error", args -> {
            NodeError e = (NodeError) args[0];
            log.accept("bad: error " + e.code() + " " + e.getMessage());
          });
          bad.on("close", args -> {
            log.accept("bad: close " + args[0] + " " + bad.readyState() + " " + bad.pending());
            Net.Server s2 = net.createServer();
            s2.on("error", eargs -> {
              SystemError e = (SystemError) eargs[0];
              log.accept("listen error " + e.code() + " " + e.syscall() + " " + e.path() + " " + e.getMessage()
                  + " listening=" + s2.listening());
              server.close(err -> log.accept("server closed"));
            });
            s2.listen(0, "no-such-host.invalid", null);
          });
        });
      });
    });
  }

  private interface Action {
    void run();
  }

  private static void t(Consumer<String> log, String name, Action f) {
    try {
      f.run();
      log.accept(name + ": no throw");
    } catch (NodeError e) {
      log.accept(name + ": " + e.code() + " " + e.getMessage());
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void argErrors(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    NodeDgram dgram = NodeDgram.of(node);
    node.onWarning(w -> log.accept("warning " + w.name() + " | " + String.join(" / ", w.getMessage().split("\n"))));
    Net.Socket s = net.socket();
    t(log, "setTimeout(-1)", () -> s.setTimeout(-1));
    t(log, "setTimeout(2 ** 31)", () -> s.setTimeout(2147483648L));
    t(log, "connect port 70000", () -> net.socket().connect(70000, "127.0.0.1", null));
    t(log, "connect port -1", () -> net.connect(-1, "127.0.0.1"));
    t(log, "listen port 70000", () -> net.createServer().listen(70000));
    t(log, "listen port -1", () -> net.createServer().listen(-1, "127.0.0.1", null));
    NodeDgram.Socket u = dgram.createSocket("udp4");
    t(log, "send port 0", () -> u.send("x", 0, "127.0.0.1", null));
    t(log, "send port 70000", () -> u.send("x", 70000, "127.0.0.1", null));
    t(log, "send offset+length past the end", () -> u.send(b("abc"), 2, 5, 1234, "127.0.0.1", null));
    t(log, "send offset -1", () -> u.send(b("abc"), -1, 1, 1234, "127.0.0.1", null));
    t(log, "send offset 4", () -> u.send(b("abc"), 4, 0, 1234, "127.0.0.1", null));
    t(log, "send length -1", () -> u.send(b("abc"), 0, -1, 1234, "127.0.0.1", null));
    t(log, "connect port 0", () -> u.connect(0, "127.0.0.1", null));
    u.close();
    NodeDgram.Socket v = dgram.createSocket("udp4");
    v.on("error", args -> {
      SystemError e = (SystemError) args[0];
      log.accept("bind ::1 on udp4: " + e.code() + " " + e.syscall() + " " + e.address() + " " + e.getMessage());
      v.close();
      NodeDgram.Socket w = dgram.createSocket("udp4");
      w.on("error", args2 -> {
        SystemError e2 = (SystemError) args2[0];
        log.accept("bind to a bad name: " + e2.code() + " " + e2.syscall() + " " + e2.path() + " " + e2.getMessage());
        w.close();
        NodeDgram.Socket x = dgram.createSocket("udp4");
        x.bind(0, "localhost", () -> {
          log.accept("bound to localhost: " + x.address().address() + " " + x.address().family());
          x.send("y", 9, "::1", (err, n) -> {
            SystemError se = (SystemError) err;
            log.accept("send to ::1 on udp4: " + se.code() + " " + se.syscall() + " " + se.getMessage() + " undefined");
            x.send("y", 9, "no-such-host.invalid", (err2, n2) -> {
              SystemError se2 = (SystemError) err2;
              log.accept("send to a bad name: " + se2.code() + " " + se2.syscall() + " " + se2.getMessage() + " undefined");
              x.close(() -> log.accept("closed"));
            });
          });
        });
      });
      w.bind(0, "no-such-host.invalid", null);
    });
    v.bind(0, "::1", null);
  }

  private static void dgramList(NodeRuntime node, Consumer<String> log) {
    NodeDgram dgram = NodeDgram.of(node);
    NodeDgram.Socket r = dgram.createSocket("udp4");
    NodeDgram.Socket a = dgram.createSocket("udp4");
    List<String> sent = new ArrayList<>();
    List<String> received = new ArrayList<>();
    int[] got = {0};
    r.on("message", args -> {
      NodeDgram.Rinfo info = (NodeDgram.Rinfo) args[1];
      received.add("message \"" + new String((byte[]) args[0], StandardCharsets.UTF_8) + "\" size " + info.size()
          + " " + info.family());
      if (++got[0] == 5) {
        a.close();
        r.close(() -> {
          sent.forEach(log);
          received.forEach(log);
        });
      }
    });
    r.bind(0, "127.0.0.1", () -> {
      int port = r.address().port();
      a.send(List.of(b("ab"), b("c"), b("de")), port, "127.0.0.1", (err, n) -> {
        sent.add("list sent " + err + " " + n);
        a.send(List.of(), port, "127.0.0.1", (err2, n2) -> {
          sent.add("empty list sent " + err2 + " " + n2);
          a.send(b("0123456789"), 2, 3, port, "127.0.0.1", (err3, n3) -> {
            sent.add("slice sent " + err3 + " " + n3);
            a.connect(port, "localhost", e -> {
              a.send(List.of(b("con"), b("nected")), (err4, n4) -> {
                sent.add("connected list sent " + err4 + " " + n4);
                a.send(b("xyz"), 1, 1, (err5, n5) -> sent.add("connected slice sent " + err5 + " " + n5));
              });
            });
          });
        });
      });
    });
  }

  private static String describe(Object x, int port) {
    String noPort = ":" + port;
    if (x instanceof NodeAggregateError e) {
      List<String> m = new ArrayList<>();
      for (Throwable t : e.errors()) {
        m.add(t.getMessage().replace(noPort, ":PORT"));
      }
      return "AggregateError " + e.code() + " \"" + e.getMessage() + "\" [" + String.join("; ", m) + "]";
    }
    if (x instanceof NodeError e) {
      return "Error " + e.code() + " \"" + e.getMessage().replace(noPort, ":PORT") + "\"";
    }
    return x instanceof Integer i && i == port ? "PORT" : String.valueOf(x);
  }

  private static void watch(Consumer<String> log, String tag, Net.Socket s, int port) {
    for (String ev : List.of("lookup", "connectionAttempt", "connectionAttemptFailed", "connectionAttemptTimeout",
        "connect", "error", "close")) {
      s.on(ev, args -> {
        List<String> parts = new ArrayList<>();
        for (Object a : args) {
          parts.add(describe(a, port));
        }
        log.accept(tag + " " + ev + " " + String.join(" | ", parts) + " connecting=" + s.connecting());
      });
    }
  }

  private static void happyEyeballs(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server server = net.createServer(c -> c.end());
    // Answers asynchronously, like dns.lookup: IPv6 first, then IPv4, then IPv6 again (tried once).
    Net.Lookup lookup = (host, cb) -> node.nextTick(() -> cb.call(null, List.of(
        new NodeDns.LookupAddress("::1", 6), new NodeDns.LookupAddress("127.0.0.1", 4),
        new NodeDns.LookupAddress("::1", 6))));
    server.listen(0, "127.0.0.1", () -> {
      int port = server.address().getPort();
      Net.Socket a = net.connect(Net.ConnectOptions.of(port, "two.example").withLookup(lookup), null);
      watch(log, "a", a, port);
      a.resume();
      a.on("connect", () -> log.accept("a attempted " + String.join(",", a.autoSelectFamilyAttemptedAddresses())
          .replace(":" + port, ":PORT") + " remote " + addr(a.remoteAddress())));
      a.on("close", () -> {
        Net.Socket b = net.connect(Net.ConnectOptions.of(1, "two.example").withLookup(lookup), null);
        watch(log, "b", b, port);
        b.on("close", () -> {
          Net.Socket c = net.connect(Net.ConnectOptions.of(port, "two.example").withLookup(lookup)
              .withAutoSelectFamily(false), null);
          watch(log, "c", c, port);
          c.on("close", () -> {
            try {
              net.connect(Net.ConnectOptions.of(port, "two.example").withAutoSelectFamilyAttemptTimeout(0), null);
            } catch (NodeError e) {
              log.accept("attempt timeout 0: " + e.code() + " " + e.getMessage());
            }
            server.close(err -> log.accept("server closed"));
          });
        });
      });
    });
  }

  private static void attemptTimeout(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server server = net.createServer(c -> c.end());
    server.listen(0, () -> { // '::', both families
      int port = server.address().getPort();
      Net.Lookup lookup = (host, cb) -> node.nextTick(() -> cb.call(null, List.of(
          new NodeDns.LookupAddress("::1", 6), new NodeDns.LookupAddress("127.0.0.1", 4))));
      Net.Socket c = net.connect(Net.ConnectOptions.of(port, "two.example").withLookup(lookup)
          .withAutoSelectFamilyAttemptTimeout(10), null);
      boolean[] first = {true};
      for (String ev : List.of("connectionAttempt", "connectionAttemptFailed", "connectionAttemptTimeout", "connect",
          "error", "close")) {
        c.on(ev, args -> {
          List<String> parts = new ArrayList<>();
          for (Object a : args) {
            parts.add(a instanceof Integer i && i == port ? "PORT" : String.valueOf(a));
          }
          log.accept(ev + " " + String.join(" | ", parts));
        });
      }
      c.on("connectionAttempt", () -> {
        if (first[0]) {
          first[0] = false;
          node.nextTick(() -> NodeOrderScenarios.busy(30));
        }
      });
      c.resume();
      c.on("connect", () -> log.accept("attempted " + String.join(",", c.autoSelectFamilyAttemptedAddresses())
          .replace(":" + port, ":PORT") + " remote " + addr(c.remoteAddress())));
      c.on("close", () -> server.close(err -> log.accept("server closed")));
    });
  }
}
