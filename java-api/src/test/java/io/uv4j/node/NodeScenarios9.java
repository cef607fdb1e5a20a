package io.uv4j.node;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the n9_*.js scenarios (session 21, node9): net connect and server options,
 * process env/cwd/kill/nextTick/emitWarning, events.on and captureRejections. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodeScenarios9 {
  private NodeScenarios9() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("n9_net_connect_options", NodeScenarios9::netConnectOptions);
  }

  /** JavaScript's String(x): null is "undefined". */
  static String js(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  /** The scenarios' {@code t(name, f)}: "name ok" or "name CODE message". */
  static void t(Consumer<String> log, String name, Runnable f) {
    try {
      f.run();
      log.accept(name + " ok");
    } catch (NodeError e) {
      log.accept(name + " " + e.code() + " " + e.getMessage());
    }
  }

  private static void netConnectOptions(NodeRuntime node, Consumer<String> log) {
    Net net = node.net();
    t(log, "localAddress abc", () -> net.connect(Net.ConnectOptions.of(1, "127.0.0.1").withLocalAddress("abc"), null));
    t(log, "family 5", () -> net.connect(Net.ConnectOptions.of(1, "localhost").withFamily(5), null));
    t(log, "hints 12345", () -> net.connect(Net.ConnectOptions.of(1, "localhost").withHints(12345), null));
    t(log, "timeout -1", () -> net.connect(Net.ConnectOptions.of(1, "127.0.0.1").withTimeout(-1), null));
    t(log, "attempt timeout 0", () -> net.setDefaultAutoSelectFamilyAttemptTimeout(0));
    log.accept("defaults " + net.getDefaultAutoSelectFamily() + " " + net.getDefaultAutoSelectFamilyAttemptTimeout());
    net.setDefaultAutoSelectFamily(false);
    net.setDefaultAutoSelectFamilyAttemptTimeout(5);
    log.accept("defaults now " + net.getDefaultAutoSelectFamily() + " " + net.getDefaultAutoSelectFamilyAttemptTimeout());
    net.setDefaultAutoSelectFamily(true);
    net.setDefaultAutoSelectFamilyAttemptTimeout(250);

    Net.Server server = net.createServer(Net.ServerOptions.DEFAULT.withPauseOnConnect(true).withNoDelay(true)
        .withKeepAlive(true, 500), null);
    server.on("connection", a -> {
      Net.Socket s = (Net.Socket) a[0];
      List<String> lines = new ArrayList<>();
      lines.add("server: paused " + s.isPaused() + " flowing " + s.readableFlowing());
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      s.on("data", d -> chunks.writeBytes((byte[]) d[0]));
      lines.add("server: after data listener, flowing " + s.readableFlowing());
      s.on("end", () -> {
        lines.forEach(log);
        log.accept("server: got " + chunks);
        s.end();
      });
      s.resume();
    });
    server.listen(0, "127.0.0.1", () -> {
      int port = server.address().getPort();
      Net.Socket c = net.connect(Net.ConnectOptions.of(port, "localhost").withFamily(4).withLocalAddress("127.0.0.1")
          .withTimeout(60000).withNoDelay(true).withKeepAlive(true, 999), null);
      c.on("lookup", a -> log.accept("client: lookup " + js(a[0]).replace("undefined", "null") + " " + a[1] + " " + a[2]));
      c.on("connect", () -> {
        log.accept("client: connected from " + c.address().getAddress().getHostAddress() + " " + c.localFamily()
            + " attempted " + js(c.autoSelectFamilyAttemptedAddresses()));
        c.end("hello");
      });
      c.on("close", () -> {
        log.accept("client: close");
        Net.Socket bad = net.connect(Net.ConnectOptions.of(port, "127.0.0.1").withLocalAddress("::1"), null);
        bad.on("error", e -> {
          SystemError se = (SystemError) e[0];
          log.accept("bad local family: " + se.code() + " " + se.syscall() + " " + se.getMessage());
          Net.Socket inUse = net.connect(Net.ConnectOptions.of(port, "127.0.0.1").withLocalAddress("127.0.0.1")
              .withLocalPort(port), null);
          inUse.on("error", e2 -> {
            SystemError se2 = (SystemError) e2[0];
            log.accept("local port in use: " + se2.code() + " " + se2.syscall() + " "
                + se2.getMessage().replace(String.valueOf(port), "PORT"));
            server.close(err -> log.accept("server closed"));
          });
        });
      });
    });
  }
}
