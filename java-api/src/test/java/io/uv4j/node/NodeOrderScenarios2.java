package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the second divergence hunt (branch node5): timers and process, child processes,
 * workers and message ports, crypto arguments, uncaught exception sources, string encodings and
 * EventEmitter edge cases; the hunt's fs, stream and net/dgram/dns twins are in
 * {@link NodeFsOrderScenarios}, {@link NodeStreamOrderScenarios} and {@link NodeNetOrderScenarios}.
 * Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeOrderScenarios2 {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("timers_args_delays", NodeOrderScenarios2::timersArgsDelays);
    all.put("process_warnings_variants", NodeOrderScenarios2::processWarningsVariants);
    all.put("cp_kill_signals", NodeOrderScenarios2::cpKillSignals);
    all.put("worker_lifecycle", NodeOrderScenarios2::workerLifecycle);
    all.put("message_port_close", NodeOrderScenarios2::messagePortClose);
    all.put("crypto_arg_errors", NodeOrderScenarios2::cryptoArgErrors);
    all.put("uncaught_sources", NodeOrderScenarios2::uncaughtSources);
    all.put("cp_spawn_errors", NodeOrderScenarios2::cpSpawnErrors);
    all.put("encode_strings", NodeOrderScenarios2::encodeStrings);
    all.put("ee_edge_cases", NodeOrderScenarios2::eeEdgeCases);
    all.put("worker_parent_port_close", NodeOrderScenarios2::workerParentPortClose);
  }

  /** Runs each step when the previous one calls its continuation. */
  interface Step {
    void run(Runnable next);
  }

  static void sequence(List<Step> steps, Runnable done) {
    int[] i = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (i[0] == steps.size()) {
        done.run();
        return;
      }
      steps.get(i[0]++).run(next[0]);
    };
    next[0].run();
  }

  static String tmpdir(NodeFs fs) {
    return fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
  }

  static String str(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  // ------------------------------------------------------------------ helpers (also of the fs, stream, net twins)

  static String bytes(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static String codeOf(Throwable e) {
    return e == null ? "null" : ((NodeError) e).code();
  }

  static class Stream extends NodeStream {
    Stream(NodeRuntime node, Options o, boolean emitClose, boolean autoDestroy) {
      super(node, o);
      setEmitClose(emitClose);
      setAutoDestroy(autoDestroy);
    }

    @Override
    protected void doRead(int size) {
    }

    @Override
    protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
      cb.accept(null);
    }
  }

  // ------------------------------------------------------------------ timers, process

  private static void busy(long ms) {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      Thread.onSpinWait();
    }
  }

  private static void timersArgsDelays(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning " + w.name() + " | " + String.join(" / ", w.getMessage().split("\n"))));
    node.setImmediate((String a) -> {
      log.accept("immediate arg " + a);
      node.setTimeout((String x, String y) -> log.accept("timeout args " + x + " " + y), 20, "x", "y");
      int[] n = {0};
      Timeout[] iv = new Timeout[1];
      iv[0] = node.setInterval((String v) -> {
        log.accept("interval arg " + v + " #" + ++n[0]);
        if (n[0] == 2) {
          node.clearInterval(iv[0]);
        }
      }, 30, "iv");
    }, "imm");
    node.setTimeout(() -> log.accept("delay -5"), -5);
    node.setTimeout(() -> log.accept("delay NaN"), Double.NaN);
    node.setTimeout(() -> log.accept("delay 0"), 0);
    node.setTimeout(() -> log.accept("delay 0.5"), 0.5);
    node.setTimeout(() -> log.accept("delay 2^31"), Math.pow(2, 31));
    node.setTimeout(() -> log.accept("delay Infinity"), Double.POSITIVE_INFINITY);
    node.setTimeout(() -> log.accept("delay 1"), 1);
    node.clearTimeout(null);
    node.clearTimeout(null);
    node.clearInterval(null);
    node.clearImmediate(null);
    Timeout t = node.setTimeout(() -> log.accept("cleared twice (never)"), 1);
    node.clearTimeout(t);
    node.clearTimeout(t);
    Timeout u = node.setTimeout(() -> log.accept("never"), 10);
    log.accept("unref returns same " + (u.unref() == u) + " hasRef " + u.hasRef());
    log.accept("ref returns same " + (u.ref() == u) + " hasRef " + u.hasRef());
    node.clearTimeout(u);
    log.accept("after clear hasRef " + u.hasRef());
    Immediate im = node.setImmediate(() -> { });
    log.accept("immediate hasRef " + im.hasRef() + " unref same " + (im.unref() == im) + " hasRef " + im.hasRef());
    node.nextTick(() -> log.accept("tick"));
    busy(15);
    log.accept("main (blocked 15ms)");
  }

  private static void processWarningsVariants(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning name=" + w.name() + " message=" + Json.stringify(w.getMessage())
        + " code=" + str(w.code()) + " detail=undefined isError=" + (w instanceof RuntimeException)));
    node.emitWarning("plain");
    node.emitWarning("typed", "CustomWarning", null);
    node.emitWarning("typed and coded", "CustomWarning", "CODE1");
    node.emitWarning("with options", "OptWarning", "CODE2");
    node.emitWarning(new NodeWarning("ErrWarning", "from an error", null));
    node.emitWarning("old thing", "DeprecationWarning", "DEP0001");
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  // ------------------------------------------------------------------ child_process

  private static void cpKillSignals(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    List<Step> steps = List.of(
        next -> {
          Subprocess c = cp.spawn("sleep", List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
          c.on("spawn", () -> {
            try {
              c.kill("SIGFOO");
            } catch (NodeError e) {
              log.accept("unknown signal: " + e.code() + " | " + e.getMessage());
            }
            log.accept("kill SIGINT returns " + c.kill("SIGINT") + " killed " + c.killed());
          });
          c.on("exit", a -> log.accept("exit " + a[0] + " " + a[1] + " exitCode " + c.exitCode() + " signalCode "
              + c.signalCode()));
          c.on("close", a -> {
            log.accept("close " + a[0] + " " + a[1] + " kill again " + c.kill());
            next.run();
          });
        },
        next -> {
          Subprocess c = cp.spawn("sleep", List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
          c.on("spawn", () -> log.accept("kill 9 returns " + c.kill(9)));
          c.on("exit", a -> log.accept("exit " + a[0] + " " + a[1]));
          c.on("close", a -> next.run());
        },
        next -> {
          Subprocess c = cp.spawn("sh", List.of("-c", "trap \"exit 7\" TERM; echo ready; while :; do sleep 0.01; done"),
              new NodeChildProcess.Options());
          c.stdout().once("data", () -> log.accept("kill returns " + c.kill() + " killed " + c.killed()));
          c.on("exit", a -> log.accept("trapped exit " + a[0] + " " + a[1] + " killed " + c.killed()));
          c.on("close", a -> next.run());
        },
        next -> cp.exec("echo before; kill -USR1 $$; sleep 5", new NodeChildProcess.Options(), (err, out, errOut) -> {
          log.accept("exec error code=" + err.code() + " killed=" + err.killed() + " signal=" + err.signal()
              + " | " + Json.stringify(err.getMessage()) + " stdout=" + Json.stringify(out));
          next.run();
        }));
    sequence(steps, () -> log.accept("done"));
  }

  // ------------------------------------------------------------------ worker_threads

  private static void workerLifecycle(NodeRuntime node, Consumer<String> log) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("n", 1);
    data.put("s", "x");
    List<Step> steps = List.of(
        next -> {
          Worker w = new Worker(node, wnode -> WorkerContext.parentPort().postMessage(
              "got " + Json.stringify(WorkerContext.workerData())), (Object) data);
          w.onMessage(m -> log.accept("message " + m));
          w.onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        },
        next -> {
          Worker w = new Worker(node, wnode -> {
            WorkerContext.parentPort().postMessage("started");
            wnode.setInterval(() -> { }, 1000);
          });
          w.onMessage(m -> {
            log.accept("message " + m);
            Promise<Integer> p = w.terminate();
            p.thenAccept(code -> {
              log.accept("terminate resolved " + code);
              w.terminate().thenAccept(c2 -> {
                log.accept("terminate again resolved " + str(c2));
                next.run();
              });
            });
          });
          w.onExit(code -> log.accept("exit " + code));
        },
        next -> {
          Worker w = new Worker(node, wnode -> {
            MessagePort parentPort = WorkerContext.parentPort();
            parentPort.postMessage("a");
            parentPort.postMessage("b");
            wnode.exit(5);
          });
          w.onMessage(m -> log.accept("message " + m));
          w.onError(e -> log.accept("error (never) " + e));
          w.onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        },
        next -> {
          Worker[] w = new Worker[1];
          w[0] = new Worker(node, wnode -> {
            MessagePort parentPort = WorkerContext.parentPort();
            parentPort.postMessage("a");
            parentPort.postMessage("b");
            parentPort.onMessage(m -> {
              throw new RuntimeException("worker failed");
            });
          });
          w[0].onMessage(m -> {
            log.accept("message " + m);
            if (m.equals("b")) {
              w[0].postMessage("go");
            }
          });
          w[0].onError(e -> log.accept("error " + e.getMessage()));
          w[0].onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        });
    sequence(steps, () -> log.accept("done"));
  }

  private static void messagePortClose(NodeRuntime node, Consumer<String> log) {
    MessageChannel ch = new MessageChannel(node);
    MessagePort port1 = ch.port1();
    MessagePort port2 = ch.port2();
    port1.on("close", () -> log.accept("port1 close"));
    port2.on("close", () -> {
      log.accept("port2 close");
      MessageChannel c = new MessageChannel(node);
      c.port1().on("close", () -> log.accept("c.port1 close"));
      c.port2().on("close", () -> log.accept("c.port2 close (it had no message listener)"));
      c.port2().ref();
      log.accept("c.port2 hasRef " + c.port2().hasRef() + " (ref() without a message listener)");
      c.port1().close();
      node.setImmediate(() -> log.accept("immediate queued after c.port1.close()"));
      node.nextTick(() -> log.accept("tick after c.port1.close()"));
    });
    port2.onMessage(m -> {
      log.accept("port2 message " + m);
      node.nextTick(() -> log.accept("tick after " + m));
    });
    EventEmitter.Listener f = args -> { };
    port1.unref();
    port1.on("message", f);
    log.accept("port1 hasRef after unref() then on(message) " + port1.hasRef());
    port1.off("message", f);
    log.accept("port1 hasRef after the last listener went " + port1.hasRef());
    port1.postMessage("one");
    port1.postMessage("two");
    port1.close();
    port1.close();
    port1.postMessage("after close (dropped)");
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  // ------------------------------------------------------------------ crypto

  private static void tryIt(Consumer<String> log, String label, Runnable f) {
    try {
      f.run();
      log.accept(label + ": no error");
    } catch (NodeError e) {
      log.accept(label + ": " + e.code() + " | " + e.getMessage());
    }
  }

  private static void cryptoArgErrors(NodeRuntime node, Consumer<String> log) {
    Crypto crypto = Crypto.of(node);
    NodeCallback<byte[]> noop = (err, v) -> { };
    tryIt(log, "pbkdf2 iterations 0", () -> crypto.pbkdf2("p", "s", 0, 8, "sha256", noop));
    tryIt(log, "pbkdf2 keylen -1", () -> crypto.pbkdf2("p", "s", 1, -1, "sha256", noop));
    tryIt(log, "pbkdf2 digest md55", () -> crypto.pbkdf2("p", "s", 1, 8, "md55", noop));
    tryIt(log, "pbkdf2Sync digest nope", () -> Crypto.pbkdf2Sync("p", "s", 1, 8, "nope"));
    tryIt(log, "scrypt keylen -1", () -> crypto.scrypt("p", "s", -1, noop));
    tryIt(log, "scryptSync N=3", () -> Crypto.scryptSync(new byte[] {'p'}, new byte[] {'s'}, 8, 3, 0, 0, 0));
    tryIt(log, "randomBytes -1", () -> crypto.randomBytes(-1, noop));
    crypto.randomBytes(0, (err, b) -> log.accept("randomBytes(0) cb " + err + " " + b.length));
    crypto.pbkdf2("p", "s", 1, 0, "sha1", (err, k) -> log.accept("pbkdf2 keylen 0 cb " + err + " " + k.length));
    node.nextTick(() -> log.accept("tick"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    log.accept("main");
  }

  private static void uncaughtSources(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    node.onUncaughtExceptionWithOrigin((e, origin) -> log.accept("uncaught "
        + (e instanceof NodeError ne ? ne.code() + " " : "") + e.getMessage() + " / " + origin));
    node.nextTick(() -> log.accept("tick 1"));
    node.nextTick(() -> {
      throw new RuntimeException("tick 2 throws");
    });
    node.nextTick(() -> log.accept("tick 3"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.setTimeout(() -> fs.stat(".", (err, st) -> {
      log.accept("stat callback throws");
      node.nextTick(() -> log.accept("tick queued before the throw"));
      throw new RuntimeException("from fs callback");
    }), 1);
    node.setTimeout(() -> {
      NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
      r.destroy(new RuntimeException("stream failed"));
      r.onClose(() -> log.accept("stream close"));
    }, 20);
    node.setTimeout(() -> {
      EventEmitter e = new EventEmitter();
      e.emit("error", "just a string");
    }, 30);
    node.setTimeout(() -> {
      EventEmitter e = new EventEmitter();
      e.emit("error");
    }, 40);
    node.setTimeout(() -> {
      node.setImmediate(() -> {
        throw new RuntimeException("immediate 1 throws");
      });
      node.setImmediate(() -> log.accept("immediate 2"));
    }, 50);
    log.accept("main");
  }

  // ------------------------------------------------------------------ child_process, encodings, events

  private static void cpSpawnErrors(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    java.util.function.Function<Object, String> rel = x -> String.valueOf(x).replace(d, "<d>");
    fs.writeFileSync(d + "/not-exec", "echo hi\n");
    java.util.function.Function<Subprocess.SpawnError, String> describe = e -> e.code() + " errno=" + e.errno()
        + " syscall=" + rel.apply(e.syscall()) + " path=" + rel.apply(e.path()) + " spawnargs="
        + rel.apply(Json.stringify(e.spawnargs())) + " | " + rel.apply(e.getMessage());
    java.util.function.BiConsumer<Object[], Runnable> watch = (a, next) -> {
      String label = (String) a[0];
      Subprocess c = (Subprocess) a[1];
      c.on("spawn", () -> log.accept(label + " spawn (never)"));
      c.on("exit", () -> log.accept(label + " exit (never)"));
      c.on("error", args -> log.accept(label + " error " + describe.apply((Subprocess.SpawnError) args[0])));
      c.on("close", args -> {
        log.accept(label + " close " + args[0] + " " + args[1] + " exitCode " + c.exitCode());
        next.run();
      });
    };
    List<Step> steps = List.of(
        next -> watch.accept(new Object[] {"bad cwd", cp.spawn("ls", List.of("-l"),
            new NodeChildProcess.Options().cwd(d + "/missing"))}, next),
        next -> watch.accept(new Object[] {"not executable", cp.spawn(d + "/not-exec", List.of(),
            new NodeChildProcess.Options())}, next),
        next -> cp.exec("pwd", new NodeChildProcess.Options().cwd(d + "/missing"), (err, out, errOut) -> {
          log.accept("exec bad cwd " + describe.apply((Subprocess.SpawnError) err.getCause()) + " killed="
              + str(err.killed()) + " cmd=" + err.cmd() + " stdout=" + Json.stringify(out));
          next.run();
        }),
        next -> {
          Subprocess c = cp.spawn("sh", List.of("-c", "echo out; echo err >&2"),
              new NodeChildProcess.Options().stdio("ignore", "pipe", "ignore"));
          log.accept("stdio " + (c.stdin() != null ? "stream" : "null") + "," + (c.stdout() != null ? "stream" : "null")
              + "," + (c.stderr() != null ? "stream" : "null"));
          StringBuilder out = new StringBuilder();
          c.stdout().onData(b -> out.append(bytes(b)));
          c.on("close", args -> {
            log.accept("mixed stdio close " + args[0] + " " + Json.stringify(out.toString()));
            next.run();
          });
        });
    sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static void encodeStrings(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    fs.writeFile(d + "/s", "a\ud800b\udc00c\ud83d\ude00", (err, v) -> {
      log.accept("writeFile lone surrogates: " + Crypto.hex(fs.readFileSync(d + "/s")));
      fs.rmSync(d, true, false);
      String[][] cases = {
        {"latin1", "a\u0100\u20ac\u00ff"},
        {"ascii", "a\u0100\u20ac\u00ff"},
        {"hex", "abc"},
        {"hex", "12zz34"},
        {"hex", "ABcd"},
        {"base64", "aGVs bG8="},
        {"base64", "aGVsbG8"},
        {"base64", "aGV*sbG8=="},
        {"base64url", "aGVsbG8_-w"},
        {"utf8", "x\udbff"},
      };
      for (String[] c : cases) {
        NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
        r.push(c[1], c[0]);
        r.push((Object) null);
        byte[] chunk = r.read();
        log.accept(c[0] + " " + Json.stringify(c[1]) + " -> " + (chunk == null ? "null" : Crypto.hex(chunk)));
      }
    });
  }

  private static void eeEdgeCases(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    Runnable a = () -> log.accept("a");
    Runnable c = () -> log.accept("c");
    Runnable b = () -> {
      log.accept("b adds c");
      e.on("x", c);
    };
    e.on("newListener", args -> log.accept("newListener " + args[0] + " count before " + e.listenerCount((String) args[0])));
    e.on("x", a);
    e.once("x", b);
    log.accept("emit 1 -> " + e.emit("x"));
    log.accept("emit 2 -> " + e.emit("x"));
    log.accept("emit y -> " + e.emit("y"));
    e.on("removeListener", args -> log.accept("removeListener " + args[0] + " "
        + (args[1] == a ? "a" : args[1] == c ? "c" : "?")));
    e.removeAllListeners("x");
    log.accept("x count " + e.listenerCount("x"));
    try {
      e.setMaxListeners(-1);
    } catch (NodeError err) {
      log.accept("setMaxListeners(-1): " + err.code() + " | " + err.getMessage());
    }
    log.accept("eventNames " + String.join(",", e.eventNames()));
    e.removeAllListeners();
    log.accept("eventNames after removeAll " + Json.stringify(e.eventNames()));
  }

  private static void workerParentPortClose(NodeRuntime node, Consumer<String> log) {
    Worker w = new Worker(node, wnode -> {
      MessagePort parentPort = WorkerContext.parentPort();
      wnode.setTimeout(() -> {
        parentPort.on("close", () -> parentPort.postMessage("never: closed"));
        parentPort.onMessage(m -> {
          parentPort.postMessage("echo " + m);
          if (m.equals("bye")) {
            parentPort.close();
          }
        });
      }, 20);
    });
    w.postMessage("a");
    w.postMessage("b");
    w.postMessage("bye");
    w.onMessage(m -> log.accept("parent got " + m));
    w.onExit(code -> log.accept("exit " + code));
    log.accept("main");
  }

  private NodeOrderScenarios2() {}
}
