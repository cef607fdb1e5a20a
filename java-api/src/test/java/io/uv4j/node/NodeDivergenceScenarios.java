package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the scenarios written for the divergences of issue 12 (each once differed from
 * Node 20): the same program as NAME.js, line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeDivergenceScenarios {
  private NodeDivergenceScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("timer_refresh_after_fire", NodeDivergenceScenarios::timerRefreshAfterFire);
    all.put("random_bytes_zero", NodeDivergenceScenarios::randomBytesZero);
    all.put("dns_lookup_empty", NodeDivergenceScenarios::dnsLookupEmpty);
    all.put("uncaught_then_immediate", NodeDivergenceScenarios::uncaughtThenImmediate);
    all.put("net_half_open", NodeDivergenceScenarios::netHalfOpen);
  }

  private static void timerRefreshAfterFire(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    Timeout[] t = new Timeout[1];
    t[0] = node.setTimeout(() -> {
      n[0]++;
      log.accept("fired " + n[0]);
      if (n[0] == 1) {
        node.setTimeout(() -> {
          log.accept("refreshing the fired timeout");
          t[0].refresh();
        }, 5);
      } else {
        node.setImmediate(() -> log.accept("hasRef " + t[0].hasRef()));
      }
    }, 1);
    node.onExit(code -> log.accept("exit"));
  }

  private static void randomBytesZero(NodeRuntime node, Consumer<String> log) {
    Crypto crypto = Crypto.of(node);
    log.accept("start");
    crypto.randomBytes(0, (err, buf) -> log.accept("zero: err " + err + " length " + buf.length));
    log.accept("after randomBytes(0)");
    crypto.randomBytes(4, (err, buf) -> log.accept("four: length " + buf.length));
    node.nextTick(() -> log.accept("tick"));
    log.accept("end");
  }

  private static void dnsLookupEmpty(NodeRuntime node, Consumer<String> log) {
    NodeDns dns = NodeDns.of(node);
    log.accept("start");
    dns.lookup("", (err, a) -> log.accept("empty: " + err + " " + a.address() + " " + a.family()));
    dns.lookup("", 6, (err, a) -> log.accept("empty v6: " + err + " " + a.address() + " " + a.family()));
    dns.lookupAll("", 0, (err, all) -> log.accept("empty all: " + err + " " + all));
    node.nextTick(() -> log.accept("tick"));
    log.accept("end");
  }

  private static void uncaughtThenImmediate(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtException(e -> {
      log.accept("caught " + e.getMessage());
      node.nextTick(() -> log.accept("tick from handler"));
    });
    node.setImmediate(() -> {
      log.accept("immediate 1");
      node.nextTick(() -> log.accept("tick from 1"));
      Promise.resolve(node, null).then(v -> say(log, "promise from 1"));
      throw new RuntimeException("one");
    });
    node.setImmediate(() -> {
      log.accept("immediate 2");
      node.nextTick(() -> log.accept("tick from 2"));
    });
    node.setImmediate(() -> {
      log.accept("immediate 3");
      node.setTimeout(() -> {
        log.accept("timeout");
        node.setImmediate(() -> {
          log.accept("last immediate throws");
          node.nextTick(() -> log.accept("tick from last"));
          throw new RuntimeException("two");
        });
      }, 5);
    });
  }

  private static void netHalfOpen(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(Net.ServerOptions.DEFAULT.withAllowHalfOpen(true), socket -> {
      // The typed event methods (onData, onEnd, ...) stand for socket.on('data', ...) etc.
      StringBuilder got = new StringBuilder();
      socket.onData(d -> got.append(str(d)));
      socket.onEnd(() -> {
        log.accept("server end, got " + got);
        socket.end("reply to " + got);
      });
      socket.onFinish(() -> log.accept("server finish"));
      socket.onClose(() -> {
        log.accept("server socket close");
        server[0].close(e -> log.accept("server closed"));
      });
    });
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> c[0].end("hello"));
      StringBuilder reply = new StringBuilder();
      c[0].on("data", d -> reply.append(str(d[0])));
      c[0].on("end", () -> log.accept("client end, reply: " + reply));
      c[0].on("close", () -> log.accept("client close"));
    });
  }

  static String str(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }
}
