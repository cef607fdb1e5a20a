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
    all.put("n9_process", NodeScenarios9::process);
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

  /** {@code t(name, f)} of n9_process.js: the value, or the error's code, message (the start directory as CWD) and syscall. */
  private static void tp(Consumer<String> log, String start, String name, java.util.function.Supplier<Object> f) {
    try {
      log.accept(name + " " + f.get());
    } catch (NodeError e) {
      String syscall = e instanceof SystemError ? ((SystemError) e).syscall() : null;
      log.accept(name + " " + e.code() + " " + e.getMessage().replace(start, "CWD") + " " + js(syscall));
    }
  }

  private static void process(NodeRuntime node, Consumer<String> log) {
    NodeProcess process = NodeProcess.of(node);
    String start = process.cwd();
    ProcessEnv env = process.env();
    env.set("N9_A", 1);
    log.accept("env number " + (env.get("N9_A") instanceof String ? "string" : "?") + " " + env.get("N9_A"));
    env.put("N9_B", null);
    log.accept("env null " + env.get("N9_B"));
    env.put("N9_C=D", "x");
    log.accept("env with = " + js(env.get("N9_C=D")));
    env.remove("N9_B");
    log.accept("env deleted " + env.containsKey("N9_B") + " " + js(env.get("N9_B")));
    tp(log, start, "chdir missing", () -> {
      process.chdir("n9-no-such-dir");
      return null;
    });
    tp(log, start, "chdir file", () -> {
      process.chdir("/etc/hosts");
      return null;
    });
    process.chdir("/usr/..");
    log.accept("cwd after chdir " + process.cwd());
    long pid = process.pid();
    tp(log, start, "kill 0", () -> process.kill(pid, 0));
    tp(log, start, "kill unknown", () -> process.kill(pid, "SIGFOO"));
    tp(log, start, "kill no SIG prefix", () -> process.kill(pid, "TERM"));
    tp(log, start, "kill no such pid", () -> process.kill(2147483647L, 0));
    tp(log, start, "kill bad number", () -> process.kill(pid, 99));
    tp(log, start, "emitWarning undefined", () -> {
      node.emitWarning((String) null);
      return null;
    });
    node.onWarning(w -> log.accept("warning " + w.name() + " " + js(w.code()) + " " + w.getMessage() + " " + js(w.detail())));
    node.emitWarning("with options", new NodeWarning.Options("N9Warning", "N9_01", "more text"));
    node.emitWarning("legacy", "N9Legacy", "N9_02");
    node.emitWarning("plain");
    node.<Integer, String>nextTick((a, b) -> log.accept("tick args " + a + " " + b), 1, "two");
    node.<String>nextTick(a -> log.accept("tick arg " + a), "one");
    NodeChildProcess cp = NodeChildProcess.of(node);
    cp.execFile("sh", java.util.List.of("-c", "echo \"$N9_A $(pwd)\""), null, (err, stdout, stderr) -> {
      log.accept("child sees " + (err == null ? "null" : err.toString()) + " " + Json.stringify(stdout));
      process.chdir(start);
      env.remove("N9_A");
      Subprocess sleeper = cp.spawn("sleep", java.util.List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
      sleeper.on("spawn", () -> log.accept("kill child " + process.kill(sleeper.pid(), "SIGTERM")));
      sleeper.on("exit", a -> log.accept("child exit " + js(a[0]).replace("undefined", "null") + " " + a[1]));
    });
  }
}
