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
    all.put("n9_events", NodeScenarios9::events);
    all.put("n9_events_on_options", NodeScenarios9::eventsOnOptions);
    all.put("n9_net_local_port", NodeScenarios9::netLocalPort);
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

  private static String show(EventIterator.Result r) {
    return r.done() ? "done" : Json.stringify(java.util.Arrays.asList(r.value()));
  }

  /** {@code try { await p } catch (e) { log(prefix, describe(e)) }}: continues either way. */
  private static <T> Promise<Object> attempt(Promise<T> p, java.util.function.Function<T, String> ok,
      java.util.function.Function<Throwable, String> failed, Consumer<String> log) {
    return p.then(v -> {
      String line = ok.apply(v);
      if (line != null) {
        log.accept(line);
      }
      return null;
    }, e -> {
      log.accept(failed.apply(e));
      return null;
    });
  }

  private static void events(NodeRuntime node, Consumer<String> log) {
    EventEmitter ee = new EventEmitter();
    EventIterator it = EventEmitter.on(node, ee, "x");
    log.accept("listeners " + ee.listenerCount("x") + " " + ee.listenerCount("error"));
    ee.emit("x", 1);
    ee.emit("x", 2, "b");
    Promise<Object> chain = it.next().thenCompose(r -> {
      log.accept("next " + show(r));
      return it.next();
    }).thenCompose(r -> {
      log.accept("next " + show(r));
      Promise<EventIterator.Result> waiting = it.next();
      ee.emit("x", 3);
      return waiting;
    }).thenCompose(r -> {
      log.accept("awaited " + show(r));
      ee.emit("error", new NodeError("ERR_X", "boom"));
      log.accept("after error listeners " + ee.listenerCount("x") + " " + ee.listenerCount("error"));
      return attempt(it.next(), v -> null, e -> "rejected " + e.getMessage(), log);
    }).thenCompose(x -> it.next()).thenCompose(r -> {
      log.accept("then " + show(r));
      AbortController ac = new AbortController(node);
      EventIterator it2 = EventEmitter.on(node, ee, "y", ac.signal());
      Promise<EventIterator.Result> p = it2.next();
      ac.abort();
      return attempt(p, v -> null, e -> "aborted " + ((AbortError) e).name() + " " + ((NodeError) e).code() + " "
          + e.getMessage(), log).thenCompose(y -> it2.next()).thenCompose(r2 -> {
            log.accept("after abort " + show(r2) + " " + ee.listenerCount("y"));
            try {
              EventEmitter.on(node, ee, "y", ac.signal());
            } catch (AbortError e) {
              log.accept("already aborted throws " + e.name());
            }
            EventIterator it3 = EventEmitter.on(node, ee, "z");
            Promise<EventIterator.Result> p3 = it3.next();
            return it3.returnIterator().thenCompose(r3 -> p3.thenCompose(r4 -> {
              log.accept("return " + show(r3) + " " + show(r4) + " " + ee.listenerCount("z"));
              try {
                it3.throwError(null);
              } catch (NodeError e) {
                log.accept("throw null " + e.code() + " " + e.getMessage());
              }
              return forAwait(node, ee, log);
            }));
          });
    });
    chain.thenRun(() -> captureRejections(node, log));
  }

  /** The for-await loop of n9_events.js over 'w', ended by break (the iterator's return()). */
  private static Promise<Object> forAwait(NodeRuntime node, EventEmitter ee, Consumer<String> log) {
    EventIterator it4 = EventEmitter.on(node, ee, "w");
    ee.emit("w", "q1");
    List<String> got = new ArrayList<>();
    node.setImmediate(() -> {
      ee.emit("w", "q2");
      ee.emit("w", "end");
    });
    return Promise.create(node, (resolve, reject) -> {
      Consumer<EventIterator.Result>[] loop = newLoop();
      loop[0] = r -> {
        got.add((String) r.value()[0]);
        if (r.value()[0].equals("end")) {
          it4.returnIterator().thenRun(() -> {
            log.accept("for await " + String.join(",", got) + " " + ee.listenerCount("w"));
            resolve.accept(null);
          });
          return;
        }
        it4.next().thenAccept(loop[0]);
      };
      it4.next().thenAccept(loop[0]);
    });
  }

  @SuppressWarnings("unchecked")
  private static Consumer<EventIterator.Result>[] newLoop() {
    return new Consumer[1];
  }

  private static void captureRejections(NodeRuntime node, Consumer<String> log) {
    EventEmitter c1 = new EventEmitter(true);
    c1.onAsync("x", a -> Promise.reject(node, new NodeError("ERR_X", "bad " + a[0])));
    c1.on("error", a -> log.accept("error event " + ((Throwable) a[0]).getMessage()));
    c1.emit("x", 1);
    EventEmitter c2 = new EventEmitter(true);
    c2.setRejectionHandler((err, event, args) -> log.accept("rejection handler " + err.getMessage() + " " + event + " "
        + args[0] + "+" + args[1]));
    c2.onAsync("y", a -> Promise.reject(node, new NodeError("ERR_X", "bad y")));
    c2.emit("y", "a", "b");
    node.onUnhandledRejection((r, p) -> log.accept("unhandled " + r.getMessage()));
    EventEmitter c3 = new EventEmitter();
    c3.onAsync("z", a -> Promise.reject(node, new NodeError("ERR_X", "bad z")));
    c3.on("error", () -> log.accept("not expected"));
    c3.emit("z");
    log.accept("default " + EventEmitter.getCaptureRejectionsDefault());
    EventEmitter.setCaptureRejectionsDefault(true);
    EventEmitter c4 = new EventEmitter();
    EventEmitter.setCaptureRejectionsDefault(false);
    c4.onAsync("e", a -> Promise.reject(node, new NodeError("ERR_X", "bad e")));
    c4.on("error", a -> log.accept("default-captured " + ((Throwable) a[0]).getMessage()));
    c4.emit("e");
    node.nextTick(() -> log.accept("tick after emits"));
  }

  private static void eventsOnOptions(NodeRuntime node, Consumer<String> log) {
    t(log, "highWaterMark 0", () -> EventEmitter.on(node, new EventEmitter(), "x",
        EventIterator.Options.DEFAULT.withWatermarks(0, 1)));
    t(log, "lowWaterMark 2**53", () -> EventEmitter.on(node, new EventEmitter(), "x",
        EventIterator.Options.DEFAULT.withWatermarks(9007199254740991L, 9007199254740992L)));
    EventEmitter ee = new EventEmitter();
    EventIterator it = EventEmitter.on(node, ee, "data", EventIterator.Options.DEFAULT.withClose(List.of("end", "finish")));
    log.accept("listeners " + ee.listenerCount("data") + " " + ee.listenerCount("end") + " " + ee.listenerCount("finish"));
    ee.emit("data", "a");
    ee.emit("data", "b");
    ee.emit("end");
    log.accept("after end " + ee.listenerCount("data") + " " + ee.listenerCount("end") + " " + ee.listenerCount("error"));
    it.next().thenCompose(r -> {
      log.accept("next " + show(r));
      return it.next();
    }).thenCompose(r -> {
      log.accept("next " + show(r));
      return it.next();
    }).thenAccept(r -> {
      log.accept("next " + show(r));
      NodeStream rs = NodeStreamModeScenarios.idleReadable(node, NodeStream.Options.readable().withObjectMode(true));
      EventIterator it2 = EventEmitter.on(node, rs, "data", EventIterator.Options.DEFAULT.withWatermarks(2, 1));
      node.setImmediate(() -> {
        log.accept("flowing " + rs.readableFlowing());
        rs.push("1");
        rs.push("2");
        log.accept("two queued, paused " + rs.isPaused());
        rs.push("3");
        log.accept("three queued, paused " + rs.isPaused());
        Consumer<EventIterator.Result> got = r2 -> log.accept("got " + show(r2) + " paused " + rs.isPaused());
        it2.next().thenCompose(r2 -> {
          got.accept(r2);
          return it2.next();
        }).thenCompose(r2 -> {
          got.accept(r2);
          return it2.next();
        }).thenCompose(r2 -> {
          got.accept(r2);
          return it2.returnIterator();
        }).thenAccept(r2 -> log.accept("returned, data listeners " + rs.listenerCount("data")));
      });
    });
  }

  private static void netLocalPort(NodeRuntime node, Consumer<String> log) {
    Net net = node.net();
    Net.Server free = net.createServer();
    free.listen(0, "127.0.0.1", () -> {
      int localPort = free.address().getPort();
      free.close(e0 -> {
        Net.Server server = net.createServer(s -> s.end());
        server.listen(0, "127.0.0.1", () -> {
          int port = server.address().getPort();
          java.util.function.UnaryOperator<String> clean = m -> m.replace(String.valueOf(localPort), "LPORT")
              .replace(String.valueOf(port), "PORT");
          Net.Lookup lookup = (host, cb) -> cb.call(null, List.of(new NodeDns.LookupAddress("::1", 6),
              new NodeDns.LookupAddress("127.0.0.1", 4)));
          Net.Socket c = net.connect(Net.ConnectOptions.of(port, "both.example").withLookup(lookup)
              .withLocalPort(localPort), null);
          c.on("connectionAttempt", a -> log.accept("attempt " + a[0] + " " + a[2]));
          c.on("connectionAttemptFailed", a -> log.accept("failed " + a[0] + " " + ((NodeError) a[3]).code() + " "
              + clean.apply(((NodeError) a[3]).getMessage())));
          c.on("connect", () -> {
            log.accept("connected, local port is localPort: " + (c.address().getPort() == localPort) + " "
                + c.address().getAddress().getHostAddress());
            c.on("close", () -> server.close(e1 -> {
              Net.Socket refused = net.connect(Net.ConnectOptions.of(port, "127.0.0.1").withLocalPort(localPort), null);
              refused.on("error", a -> log.accept("refused: " + ((NodeError) a[0]).code() + " "
                  + clean.apply(((NodeError) a[0]).getMessage())));
            }));
            c.resume();
          });
        });
      });
    });
  }
}
