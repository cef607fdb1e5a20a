package io.uv4j.node;

import io.uv4j.Stat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the ordering scenarios added on branch node3 (tick/microtask nesting, rejection
 * timing, timers in one pass, exit events, EventEmitter, streams, net, fs.promises, MessageChannel):
 * the same program as NAME.js, line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeOrderScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("tick_micro_depth", NodeOrderScenarios::tickMicroDepth);
    all.put("timers_between_rejections", NodeOrderScenarios::timersBetweenRejections);
    all.put("rejection_handled_timing", NodeOrderScenarios::rejectionHandledTiming);
    all.put("queue_microtask_throw", NodeOrderScenarios::queueMicrotaskThrow);
    all.put("timer_clear_same_pass", NodeOrderScenarios::timerClearSamePass);
    all.put("interval_slow_callback", NodeOrderScenarios::intervalSlowCallback);
    all.put("timer_unref_exit_order", NodeOrderScenarios::timerUnrefExitOrder);
    all.put("immediate_check_phase_ticks", NodeOrderScenarios::immediateCheckPhaseTicks);
    all.put("before_exit_exit_pending", NodeOrderScenarios::beforeExitExitPending);
    all.put("exit_listener_microtasks", NodeOrderScenarios::exitListenerMicrotasks);
    all.put("ee_max_listeners_warning", NodeOrderScenarios::eeMaxListenersWarning);
    all.put("ee_once_remove_during_emit", NodeOrderScenarios::eeOnceRemoveDuringEmit);
    all.put("events_once_promise", NodeOrderScenarios::eventsOncePromise);
    all.put("message_channel_order", NodeOrderScenarios::messageChannelOrder);
    all.put("stream_custom_backpressure", NodeOrderScenarios::streamCustomBackpressure);
    all.put("stream_writable_callbacks", (node, log) -> writableCallbacks(node, log, false));
    all.put("stream_write_after_end", (node, log) -> writableCallbacks(node, log, true));
    all.put("fs_pipe_events", NodeOrderScenarios::fsPipeEvents);
    all.put("net_end_peer_order", NodeOrderScenarios::netEndPeerOrder);
    all.put("fs_promises_chain_ticks", NodeOrderScenarios::fsPromisesChainTicks);
    all.put("promise_adoption_ticks", NodeOrderScenarios::promiseAdoptionTicks);
    all.put("timer_refresh_sibling", NodeOrderScenarios::timerRefreshSibling);
    all.put("worker_event_order", NodeOrderScenarios::workerEventOrder);
    all.put("net_server_close_waits", NodeOrderScenarios::netServerCloseWaits);
    all.put("net_destroy_with_error", NodeOrderScenarios::netDestroyWithError);
    all.put("process_exit_in_microtask", NodeOrderScenarios::processExitInMicrotask);
    all.put("stream_transform_flush", NodeOrderScenarios::streamTransformFlush);
    all.put("stream_readable_event", NodeOrderScenarios::streamReadableEvent);
    all.put("stream_flowing_start", NodeOrderScenarios::streamFlowingStart);
    all.put("stream_destroy_mid_pipe", NodeOrderScenarios::streamDestroyMidPipe);
    all.put("stream_write_error_pipe", NodeOrderScenarios::streamWriteErrorPipe);
    all.put("promise_resolve_identity", NodeOrderScenarios::promiseResolveIdentity);
    all.put("net_listen_connect_errors", NodeOrderScenarios::netListenConnectErrors);
    all.put("rejection_derived_chain", NodeOrderScenarios::rejectionDerivedChain);
    all.put("interval_refresh_close", NodeOrderScenarios::intervalRefreshClose);
  }

  private static void tickMicroDepth(NodeRuntime node, Consumer<String> log) {
    node.nextTick(() -> {
      log.accept("tick A");
      node.queueMicrotask(() -> {
        log.accept("micro A1");
        node.nextTick(() -> {
          log.accept("tick A1a");
          Promise.resolve(node, null).thenRun(() -> {
            log.accept("promise A1a");
            node.nextTick(() -> log.accept("tick A1a-i"));
            node.queueMicrotask(() -> log.accept("micro A1a-ii"));
          });
        });
        node.queueMicrotask(() -> log.accept("micro A2"));
      });
      node.nextTick(() -> log.accept("tick B (queued by A)"));
    });
    Promise.resolve(node, null).thenRun(() -> {
      log.accept("promise P");
      node.nextTick(() -> {
        log.accept("tick P1");
        node.nextTick(() -> log.accept("tick P1.1"));
        node.queueMicrotask(() -> log.accept("micro P1"));
      });
      node.queueMicrotask(() -> log.accept("micro P2"));
    }).thenRun(() -> log.accept("promise P then"));
    node.queueMicrotask(() -> log.accept("micro M"));
    node.nextTick(() -> log.accept("tick C"));
    log.accept("main");
  }

  private static void timersBetweenRejections(NodeRuntime node, Consumer<String> log) {
    node.onUnhandledRejection((reason, p) -> {
      log.accept("unhandledRejection " + reason.getMessage());
      node.nextTick(() -> log.accept("tick from handler " + reason.getMessage()));
      Promise.resolve(node, null).thenRun(() -> log.accept("promise from handler " + reason.getMessage()));
    });
    for (int n : new int[] {1, 2}) {
      node.setTimeout(() -> {
        log.accept("timeout " + n);
        Promise.reject(node, new RuntimeException("t" + n));
        node.nextTick(() -> log.accept("tick after t" + n));
      }, 2);
    }
    node.setTimeout(() -> {
      for (int n : new int[] {1, 2}) {
        node.setImmediate(() -> {
          log.accept("immediate " + n);
          Promise.reject(node, new RuntimeException("i" + n));
          node.queueMicrotask(() -> log.accept("micro after i" + n));
        });
      }
    }, 4);
  }

  private static void rejectionHandledTiming(NodeRuntime node, Consumer<String> log) {
    Map<Promise<?>, String> names = new IdentityHashMap<>();
    node.onUnhandledRejection((r, p) -> log.accept("unhandledRejection " + r.getMessage()));
    node.onRejectionHandled(p -> log.accept("rejectionHandled " + names.get(p)));
    Promise<Object> a = Promise.reject(node, new RuntimeException("a"));
    names.put(a, "a");
    node.nextTick(() -> {
      log.accept("tick: handle a");
      a.catchAccept(e -> log.accept("caught " + e.getMessage()));
    });
    Promise<Object> b = Promise.reject(node, new RuntimeException("b"));
    names.put(b, "b");
    Promise.resolve(node, null).then(v -> null).then(v -> null).thenRun(() -> {
      log.accept("third microtask: handle b");
      b.catchAccept(e -> log.accept("caught " + e.getMessage()));
    });
    Promise<Object> c = Promise.reject(node, new RuntimeException("c"));
    names.put(c, "c");
    node.setTimeout(() -> {
      log.accept("timer: handle c");
      c.catchAccept(e -> log.accept("caught " + e.getMessage()));
      node.nextTick(() -> log.accept("tick after handling c"));
    }, 1);
    Promise<Object> d = Promise.create(node,
        (resolve, reject) -> node.setTimeout(() -> reject.accept(new RuntimeException("d")), 5));
    names.put(d, "d");
    node.setTimeout(() -> {
      log.accept("timer: handle d");
      d.then(v -> say(log, "never"), e -> say(log, "caught " + e.getMessage()));
    }, 10);
    log.accept("main");
  }

  private static void queueMicrotaskThrow(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtExceptionWithOrigin((e, origin) -> {
      log.accept("uncaught " + e.getMessage() + " " + origin);
      node.nextTick(() -> log.accept("tick from handler"));
      node.queueMicrotask(() -> log.accept("micro from handler"));
    });
    node.queueMicrotask(() -> {
      log.accept("micro 1 throws");
      node.nextTick(() -> log.accept("tick from micro 1"));
      throw new RuntimeException("m1");
    });
    node.queueMicrotask(() -> log.accept("micro 2"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise 3"));
    node.nextTick(() -> log.accept("tick 1"));
    node.setTimeout(() -> {
      log.accept("timeout");
      node.queueMicrotask(() -> {
        throw new RuntimeException("m2");
      });
      node.queueMicrotask(() -> log.accept("micro after m2"));
      node.nextTick(() -> log.accept("tick in timeout"));
    }, 1);
    node.setTimeout(() -> log.accept("second timeout"), 1);
    log.accept("main");
  }

  static void busy(long ms) {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      Thread.onSpinWait();
    }
  }

  private static void timerClearSamePass(NodeRuntime node, Consumer<String> log) {
    Timeout[] b = new Timeout[1];
    Timeout[] other = new Timeout[1];
    Timeout[] iv = new Timeout[1];
    node.setTimeout(() -> {
      log.accept("A clears B and other");
      node.clearTimeout(b[0]);
      node.clearTimeout(other[0]);
      node.setTimeout(() -> log.accept("E (created by A)"), 5);
      node.setImmediate(() -> log.accept("immediate from A"));
    }, 5);
    b[0] = node.setTimeout(() -> log.accept("B (never)"), 5);
    node.setTimeout(() -> {
      log.accept("C clears the interval");
      node.clearInterval(iv[0]);
    }, 5);
    iv[0] = node.setInterval(() -> log.accept("interval (never)"), 5);
    other[0] = node.setTimeout(() -> log.accept("other (never)"), 6);
    node.setTimeout(() -> log.accept("D"), 5);
    node.setTimeout(() -> log.accept("F (7ms)"), 7);
    busy(30);
    log.accept("main blocked 30ms");
  }

  private static void intervalSlowCallback(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    Timeout[] iv = new Timeout[1];
    iv[0] = node.setInterval(() -> {
      n[0]++;
      int k = n[0];
      log.accept("interval " + k);
      node.nextTick(() -> log.accept("tick " + k));
      if (k == 1) {
        node.setTimeout(() -> log.accept("timeout 30 created in interval 1"), 30);
      }
      busy(80);
      if (k == 3) {
        node.clearInterval(iv[0]);
      }
    }, 20);
    node.setImmediate(() -> log.accept("immediate"));
  }

  private static void timerUnrefExitOrder(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    Timeout iv = node.setInterval(() -> n[0]++, 1);
    iv.unref();
    log.accept("interval hasRef " + iv.hasRef());
    Timeout t = node.setTimeout(() -> log.accept("unref then ref timer"), 30);
    t.unref();
    t.ref();
    Timeout u = node.setTimeout(() -> log.accept("unref timer (never)"), 1000);
    u.unref();
    node.setTimeout(() -> log.accept("ref timer, interval ran: " + (n[0] > 0)), 20);
    boolean[] once = {false};
    node.onBeforeExit(code -> {
      log.accept("beforeExit");
      if (!once[0]) {
        once[0] = true;
        node.setTimeout(() -> log.accept("timer from beforeExit"), 1);
        node.nextTick(() -> log.accept("tick from beforeExit"));
      }
    });
    node.onExit(code -> {
      log.accept("exit " + code);
      node.setTimeout(() -> log.accept("never"), 0);
      node.nextTick(() -> log.accept("never tick"));
    });
  }

  private static void immediateCheckPhaseTicks(NodeRuntime node, Consumer<String> log) {
    Immediate[] c = new Immediate[1];
    node.setImmediate(() -> {
      log.accept("A");
      node.setImmediate(() -> {
        log.accept("A2 (next iteration)");
        node.nextTick(() -> log.accept("tick A2"));
      });
      Promise.resolve(node, null).thenRun(() -> {
        log.accept("promise A");
        node.nextTick(() -> {
          log.accept("tick from promise A clears C");
          node.clearImmediate(c[0]);
        });
      });
      node.nextTick(() -> log.accept("tick A"));
    });
    node.setImmediate(() -> {
      log.accept("B");
      node.queueMicrotask(() -> log.accept("micro B"));
      node.setImmediate(() -> log.accept("B2 (next iteration)"));
    });
    c[0] = node.setImmediate(() -> log.accept("C (never)"));
    node.setImmediate(() -> {
      log.accept("D");
      node.nextTick(() -> node.setImmediate(() -> log.accept("D2 from a tick")));
    });
  }

  private static void beforeExitExitPending(NodeRuntime node, Consumer<String> log) {
    int[] round = {0};
    node.onBeforeExit(code -> {
      round[0]++;
      log.accept("beforeExit 1 round " + round[0] + " code " + code);
      node.nextTick(() -> log.accept("tick from beforeExit 1"));
      Promise.resolve(node, null).thenRun(() -> log.accept("promise from beforeExit 1"));
      if (round[0] == 1) {
        node.setImmediate(() -> log.accept("immediate from beforeExit"));
      } else {
        node.setExitCode(3);
      }
    });
    node.onBeforeExit(code -> {
      log.accept("beforeExit 2");
      node.queueMicrotask(() -> log.accept("micro from beforeExit 2"));
    });
    node.onExit(code -> {
      log.accept("exit 1 code " + code);
      Promise.resolve(node, null).thenRun(() -> log.accept("promise from exit"));
      node.setImmediate(() -> log.accept("immediate from exit (never)"));
      node.nextTick(() -> log.accept("tick from exit (never)"));
    });
    node.onExit(code -> log.accept("exit 2 code " + code + " exitCode " + node.exitCode()));
    log.accept("main");
  }

  private static void eeMaxListenersWarning(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning " + w.name() + ": " + w.getMessage()));
    EventEmitter e = new EventEmitter();
    for (int i = 0; i < 12; i++) {
      e.on("x", () -> { });
    }
    log.accept("added 12 x listeners");
    e.setMaxListeners(1);
    e.on("y", () -> { });
    e.on("y", () -> { });
    log.accept("added 2 y listeners");
    node.nextTick(() -> log.accept("tick queued after the warnings"));
    EventEmitter f = new EventEmitter();
    f.setMaxListeners(0);
    for (int i = 0; i < 20; i++) {
      f.on("z", () -> { });
    }
    log.accept("main done");
  }

  private static void eeOnceRemoveDuringEmit(NodeRuntime node, Consumer<String> log) {
    Map<Object, String> names = new IdentityHashMap<>();
    // As the JS: names.get(fn) || names.get(fn.listener) (a once-wrapper's listener).
    Function<Object, String> name = fn -> names.getOrDefault(fn, fn instanceof EventEmitter.OnceWrapper
        ? names.getOrDefault(((EventEmitter.OnceWrapper) fn).listener(), "?") : "?");
    EventEmitter e = new EventEmitter();
    e.on("removeListener", args -> log.accept("removeListener " + args[0] + " " + name.apply(args[1])));
    Runnable onceA = () -> log.accept("onceA (never)");
    names.put(onceA, "onceA");
    e.once("x", onceA);
    e.removeListener("x", onceA);
    log.accept("after removing onceA: " + e.listenerCount("x"));
    int[] depth = {0};
    EventEmitter.Listener[] nested = new EventEmitter.Listener[1];
    nested[0] = args -> {
      int v = (Integer) args[0];
      log.accept("nested " + v + " depth " + depth[0]);
      if (depth[0]++ == 0) {
        e.emit("x", v + 1);
      }
    };
    names.put(nested[0], "nested");
    Runnable later = () -> log.accept("later");
    names.put(later, "later");
    EventEmitter.Listener first = args -> log.accept("first once " + args[0]);
    names.put(first, "first");
    Runnable remover = () -> {
      log.accept("remover");
      e.removeListener("x", later);
    };
    names.put(remover, "remover");
    e.on("x", nested[0]);
    e.prependOnceListener("x", first);
    e.on("x", remover);
    e.on("x", later);
    log.accept("listeners: " + join(e.listeners("x"), name));
    e.emit("x", 1);
    log.accept("listeners after: " + join(e.listeners("x"), name));
    e.emit("x", 10);
    EventEmitter p = new EventEmitter();
    p.once("error", args -> log.accept("error once " + ((Throwable) args[0]).getMessage()));
    p.emit("error", new RuntimeException("e1"));
    try {
      p.emit("error", new RuntimeException("e2"));
    } catch (RuntimeException err) {
      log.accept("thrown " + err.getMessage());
    }
    p.on("newListener", args -> log.accept("newListener " + args[0] + " count " + p.listenerCount((String) args[0])));
    p.on("y", () -> { });
    p.once("y", () -> { });
    log.accept("y count " + p.listenerCount("y"));
  }

  private static String join(List<Object> fns, Function<Object, String> name) {
    List<String> out = new ArrayList<>();
    for (Object f : fns) {
      out.add(name.apply(f));
    }
    return String.join(",", out);
  }

  private static void eventsOncePromise(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    EventEmitter.once(node, e, "go").thenAccept(args -> {
      List<String> s = new ArrayList<>();
      for (Object a : args) {
        s.add(String.valueOf(a));
      }
      log.accept("once resolved " + String.join(",", s));
    });
    e.on("go", () -> {
      log.accept("listener");
      node.nextTick(() -> log.accept("tick from listener"));
      node.queueMicrotask(() -> log.accept("micro from listener"));
    });
    log.accept("emit returned " + e.emit("go", 1, 2));
    log.accept("after emit");
    EventEmitter f = new EventEmitter();
    EventEmitter.once(node, f, "never").then(v -> say(log, "never"),
        err -> say(log, "rejected by error: " + err.getMessage()));
    f.emit("error", new RuntimeException("bad"));
    log.accept("listeners left " + f.listenerCount("never") + " " + f.listenerCount("error"));
  }

  private static void messageChannelOrder(NodeRuntime node, Consumer<String> log) {
    MessageChannel ch = new MessageChannel(node);
    MessagePort port1 = ch.port1();
    MessagePort port2 = ch.port2();
    int[] n = {0};
    port2.onMessage(m -> {
      log.accept("message " + m);
      node.nextTick(() -> log.accept("tick after " + m));
      Promise.resolve(node, null).thenRun(() -> log.accept("promise after " + m));
      if (m.equals("a")) {
        port1.postMessage("c (posted by a handler)");
      }
      if (++n[0] == 3) {
        port2.close();
      }
    });
    port1.postMessage("a");
    port1.postMessage("b");
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static void streamCustomBackpressure(NodeRuntime node, Consumer<String> log) {
    int[] i = {0};
    NodeStream src = new NodeStream(node, NodeStream.Options.readable().withObjectMode(true).withHighWaterMark(2)) {
      @Override
      protected void doRead(int size) {
        i[0]++;
        log.accept("read " + i[0]);
        push(i[0] <= 4 ? (Object) ("c" + i[0]) : null);
      }
    };
    NodeStream dst = new NodeStream(node, NodeStream.Options.writable().withObjectMode(true).withHighWaterMark(1)) {
      @Override
      protected void doWriteObject(Object chunk, Consumer<Throwable> cb) {
        log.accept("write " + chunk);
        node.setImmediate(() -> {
          log.accept("done " + chunk);
          cb.accept(null);
        });
      }

      @Override
      protected boolean hasFinal() {
        return true;
      }

      @Override
      protected void doFinal(Consumer<Throwable> cb) {
        log.accept("final");
        cb.accept(null);
      }
    };
    src.onEnd(() -> log.accept("src end"));
    src.onClose(() -> log.accept("src close"));
    dst.onDrain(() -> log.accept("dst drain"));
    dst.onFinish(() -> log.accept("dst finish"));
    dst.onClose(() -> log.accept("dst close"));
    src.pipe(dst);
    log.accept("main");
  }

  private static String code(Throwable err) {
    return err == null ? "null" : ((NodeError) err).code();
  }

  private static void writableCallbacks(NodeRuntime node, Consumer<String> log, boolean writeAfterEnd) {
    NodeStream w = new NodeStream(node, false, true, 0, NodeStream.DEFAULT_HIGH_WATER_MARK) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        log.accept("_write " + new String(chunk, StandardCharsets.UTF_8));
        cb.accept(null);
      }

      @Override
      protected boolean hasFinal() {
        return true;
      }

      @Override
      protected void doFinal(Consumer<Throwable> cb) {
        log.accept("_final");
        node.nextTick(() -> cb.accept(null));
      }
    };
    w.onFinish(() -> log.accept("finish"));
    w.onClose(() -> log.accept("close"));
    w.onError(e -> log.accept("error " + code(e)));
    log.accept("write a returned " + w.write("a", err -> log.accept("cb a")));
    log.accept("write b returned " + w.write("b", err -> log.accept("cb b")));
    node.nextTick(() -> log.accept("tick between"));
    w.end("c", err -> log.accept("end cb " + code(err)));
    if (writeAfterEnd) {
      w.write("d", err -> log.accept("cb d " + code(err)));
    }
    log.accept("main");
  }

  private static void fsPipeEvents(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String dir = fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
    fs.writeFileSync(dir + "/in", "x".repeat(100));
    NodeFs.ReadStream rs = fs.createReadStream(dir + "/in", 64);
    NodeFs.WriteStream ws = fs.createWriteStream(dir + "/out");
    int[] chunks = {0};
    rs.onData(d -> chunks[0]++);
    rs.onEnd(() -> log.accept("rs end after " + chunks[0] + " chunks"));
    boolean[] rsClosed = {false};
    rs.onClose(() -> rsClosed[0] = true);
    ws.on("pipe", () -> log.accept("ws pipe"));
    ws.on("unpipe", () -> log.accept("ws unpipe"));
    ws.onFinish(() -> log.accept("ws finish"));
    ws.onClose(() -> {
      log.accept("ws close " + fs.readFileSync(dir + "/out", "utf8").length());
      fs.rmSync(dir, true, false);
    });
    node.onExit(code -> log.accept("rs closed " + rsClosed[0]));
    rs.pipe(ws);
    log.accept("main");
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

  private static void fsPromisesChainTicks(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    NodeFs.Promises p = fs.promises();
    String dir = fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
    String file = dir + "/f.txt";
    p.writeFile(file, "hello")
        .thenCompose(v -> {
          log.accept("written");
          node.nextTick(() -> log.accept("tick after written"));
          node.queueMicrotask(() -> log.accept("micro after written"));
          return p.readFile(file, "utf8");
        })
        .then(text -> {
          log.accept("read " + text);
          fs.stat(file, (err, st) -> {
            log.accept("callback stat size " + st.size());
            node.nextTick(() -> log.accept("tick from stat callback"));
            p.stat(dir + "/missing")
                .then(x -> say(log, "never"))
                .catch_(e -> {
                  log.accept("missing " + ((SystemError) e).code() + " " + ((SystemError) e).syscall());
                  return p.rm(dir, true, false);
                })
                .thenRun(() -> log.accept("removed"));
            Promise.resolve(node, null).thenRun(() -> log.accept("promise from stat callback"));
          });
          return "chain value";
        })
        .thenAccept(v -> log.accept("then " + v));
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static void promiseAdoptionTicks(NodeRuntime node, Consumer<String> log) {
    Promise<String> base = Promise.resolve(node, "v");
    Promise.<Object>create(node, (resolve, reject) -> resolve.accept(base))
        .thenRun(() -> log.accept("resolved with a promise"));
    base.thenRun(() -> log.accept("direct then"));
    Promise.resolve(node, null).thenCompose(v -> base).thenRun(() -> log.accept("handler returned a promise"));
    Promise.resolve(node, null).then(v -> "plain").thenRun(() -> log.accept("handler returned a value"));
    int[] n = {0};
    @SuppressWarnings("unchecked")
    Function<Object, Object>[] counter = new Function[1];
    counter[0] = ignored -> {
      n[0]++;
      log.accept("turn " + n[0]);
      return n[0] < 5 ? Promise.resolve(node, null).then(counter[0]) : null;
    };
    node.queueMicrotask(() -> counter[0].apply(null));
    Promise<Object> rejected = Promise.reject(node, new RuntimeException("r"));
    Promise.<Object>create(node, (resolve, reject) -> resolve.accept(rejected))
        .catchAccept(e -> log.accept("adopted rejection " + e.getMessage()));
    rejected.catchAccept(e -> log.accept("direct catch"));
    log.accept("main");
  }

  private static void timerRefreshSibling(NodeRuntime node, Consumer<String> log) {
    Timeout a = node.setTimeout(() -> log.accept("A (refreshed by B)"), 10);
    node.setTimeout(() -> {
      log.accept("B refreshes A");
      a.refresh();
    }, 5);
    node.setTimeout(() -> log.accept("C"), 10);
    Timeout[] c2 = new Timeout[1];
    node.setTimeout(() -> {
      log.accept("D refreshes C2");
      c2[0].refresh();
      node.setImmediate(() -> log.accept("immediate from D"));
    }, 10);
    c2[0] = node.setTimeout(() -> log.accept("C2 (refreshed by D)"), 10);
    node.setTimeout(() -> log.accept("E"), 10);
    busy(30);
  }

  private static void workerEventOrder(NodeRuntime node, Consumer<String> log) {
    Worker w = new Worker(node, wnode -> {
      MessagePort parentPort = WorkerContext.parentPort();
      parentPort.onMessage(m -> {
        if (m.equals("go")) {
          parentPort.postMessage("m1");
          parentPort.postMessage("m2");
        } else {
          parentPort.close();
        }
      });
    });
    w.onOnline(() -> {
      log.accept("online");
      w.postMessage("go");
    });
    w.onMessage(m -> {
      log.accept("message " + m);
      node.nextTick(() -> log.accept("tick after " + m));
      if (m.equals("m2")) {
        w.postMessage("done");
      }
    });
    w.onExit(code -> {
      log.accept("exit " + code);
      Worker bad = new Worker(node, wnode -> {
        throw new RuntimeException("worker boom");
      });
      bad.onError(e -> log.accept("error " + e.getMessage()));
      bad.onExit(c -> log.accept("bad exit " + c));
    });
    log.accept("main");
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
        c[0].write("late", err -> log.accept("write cb " + code(err)));
        node.nextTick(() -> log.accept("tick after destroy"));
      });
      c[0].onError(e -> log.accept("client error " + e.getMessage()));
      c[0].on("close", args -> log.accept("client close " + args[0]));
    });
  }

  private static void processExitInMicrotask(NodeRuntime node, Consumer<String> log) {
    node.onExit(code -> {
      log.accept("exit " + code + " exitCode " + node.exitCode());
      Promise.resolve(node, null).thenRun(() -> log.accept("promise from exit (never)"));
    });
    node.setExitCode(4);
    node.setTimeout(() -> log.accept("timer (never)"), 0);
    node.nextTick(() -> log.accept("tick 1"));
    Promise.resolve(node, null).thenRun(() -> {
      log.accept("microtask exits");
      node.nextTick(() -> log.accept("tick from microtask (never)"));
      node.exit(9);
    });
    Promise.resolve(node, null).thenRun(() -> log.accept("second microtask (never)"));
    log.accept("main");
  }

  private static void streamTransformFlush(NodeRuntime node, Consumer<String> log) {
    NodeTransform t = new NodeTransform(node) {
      @Override
      protected void doTransform(Object chunk, Callback cb) {
        String s = new String((byte[]) chunk, StandardCharsets.UTF_8);
        log.accept("transform " + s);
        cb.call(null, s.toUpperCase());
      }

      @Override
      protected void doFlush(Callback cb) {
        log.accept("flush");
        push("!");
        node.nextTick(() -> cb.call(null, null));
      }
    };
    t.onData(d -> log.accept("data " + new String(d, StandardCharsets.UTF_8)));
    t.onFinish(() -> log.accept("finish"));
    t.onEnd(() -> log.accept("end"));
    t.onClose(() -> log.accept("close"));
    t.write("a");
    t.write("b", err -> log.accept("write b cb"));
    t.end("c", err -> log.accept("end cb"));
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static void streamReadableEvent(NodeRuntime node, Consumer<String> log) {
    NodeStream r = new NodeStream(node, true, false, NodeStream.DEFAULT_HIGH_WATER_MARK, 0) {
      @Override
      protected void doRead(int size) {
      }
    };
    r.on("readable", () -> {
      log.accept("readable, length " + r.readableLength());
      byte[] chunk;
      while ((chunk = r.read()) != null) {
        log.accept("read " + new String(chunk, StandardCharsets.UTF_8));
      }
    });
    r.onEnd(() -> log.accept("end"));
    r.onClose(() -> log.accept("close"));
    r.push("one");
    r.push("two");
    log.accept("pushed two");
    node.setImmediate(() -> {
      r.push("three");
      r.push((Object) null);
      log.accept("pushed three and EOF");
    });
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static NodeStream readable(NodeRuntime node, Consumer<NodeStream> read) {
    return new NodeStream(node, true, false, NodeStream.DEFAULT_HIGH_WATER_MARK, 0) {
      @Override
      protected void doRead(int size) {
        read.accept(this);
      }
    };
  }

  private static NodeStream writable(NodeRuntime node, java.util.function.BiConsumer<String, Consumer<Throwable>> write) {
    return new NodeStream(node, false, true, 0, NodeStream.DEFAULT_HIGH_WATER_MARK) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        write.accept(new String(chunk, StandardCharsets.UTF_8), cb);
      }
    };
  }

  private static void streamFlowingStart(NodeRuntime node, Consumer<String> log) {
    NodeStream r = readable(node, self -> { });
    r.push("a");
    node.nextTick(() -> log.accept("tick queued before on(data)"));
    r.onData(bytes -> {
      String d = new String(bytes, StandardCharsets.UTF_8);
      log.accept("data " + d);
      if (d.equals("b")) {
        r.pause();
        log.accept("paused, isPaused " + r.isPaused());
        r.push("c");
        node.setImmediate(() -> {
          log.accept("immediate resumes");
          r.resume();
          r.push((Object) null);
        });
      }
    });
    r.on("pause", () -> log.accept("pause event"));
    r.on("resume", () -> log.accept("resume event"));
    r.onEnd(() -> log.accept("end"));
    r.onClose(() -> log.accept("close"));
    r.push("b");
    log.accept("flowing " + r.readableFlowing());
    node.nextTick(() -> log.accept("tick queued after on(data), flowing " + r.readableFlowing()));
    log.accept("main");
  }

  private static void streamDestroyMidPipe(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    NodeStream src = readable(node, self -> {
      n[0]++;
      if (n[0] <= 3) {
        self.push("c" + n[0]);
      }
    });
    NodeStream[] srcRef = {src};
    NodeStream dst = writable(node, (chunk, cb) -> {
      log.accept("write " + chunk);
      if (chunk.equals("c2")) {
        srcRef[0].destroy();
        log.accept("src destroyed");
      }
      cb.accept(null);
    });
    src.onEnd(() -> log.accept("src end (never)"));
    src.onClose(() -> log.accept("src close"));
    dst.on("unpipe", () -> log.accept("dst unpipe (never)"));
    dst.onFinish(() -> log.accept("dst finish (never)"));
    dst.onClose(() -> log.accept("dst close (never)"));
    src.pipe(dst);
    node.setTimeout(() -> log.accept("later: dst writable " + dst.isWritable() + ", src destroyed "
        + src.isDestroyed()), 5);
  }

  private static void streamWriteErrorPipe(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    NodeStream src = readable(node, self -> {
      n[0]++;
      self.push(n[0] <= 5 ? (Object) ("c" + n[0]) : null);
    });
    NodeStream dst = writable(node, (chunk, cb) -> {
      log.accept("write " + chunk);
      cb.accept(chunk.equals("c2") ? new RuntimeException("disk full") : null);
    });
    src.onClose(() -> log.accept("src close (never)"));
    dst.on("unpipe", () -> log.accept("dst unpipe"));
    dst.onError(e -> log.accept("dst error " + e.getMessage()));
    dst.onClose(() -> log.accept("dst close"));
    src.pipe(dst);
    node.setTimeout(() -> log.accept("later: src destroyed " + src.isDestroyed() + ", flowing "
        + src.readableFlowing()), 5);
  }

  private static void promiseResolveIdentity(NodeRuntime node, Consumer<String> log) {
    Promise<String> p = Promise.resolve(node, "v");
    Promise<?> same = Promise.resolve(node, p);
    log.accept("same object " + (same == p));
    same.thenRun(() -> log.accept("Promise.resolve(p).then"));
    Promise.<Object>create(node, (resolve, reject) -> resolve.accept(p))
        .thenRun(() -> log.accept("new Promise(resolve(p)).then"));
    p.thenRun(() -> log.accept("p.then"));
    Promise.resolve(node, null).thenRun(() -> log.accept("turn 1")).thenRun(() -> log.accept("turn 2"))
        .thenRun(() -> log.accept("turn 3"));
    log.accept("main");
  }

  private static void exitListenerMicrotasks(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtExceptionWithOrigin((e, origin) -> log.accept("uncaughtException " + e.getMessage() + " " + origin));
    node.onUnhandledRejection((r, p) -> {
      log.accept("unhandledRejection " + r.getMessage());
      node.queueMicrotask(() -> log.accept("micro from unhandledRejection"));
      node.nextTick(() -> log.accept("tick from unhandledRejection (never)"));
    });
    node.onExit(code -> {
      log.accept("exit " + code);
      Promise.reject(node, new RuntimeException("rejected in exit"));
      Promise.resolve(node, null).thenRun(() -> {
        log.accept("promise 1");
        node.queueMicrotask(() -> log.accept("micro from promise 1"));
        node.nextTick(() -> log.accept("tick from promise 1 (never)"));
      });
      node.queueMicrotask(() -> {
        throw new RuntimeException("thrown in a microtask");
      });
      node.queueMicrotask(() -> log.accept("micro after the throw"));
      node.setImmediate(() -> log.accept("immediate (never)"));
    });
    node.onExit(code -> log.accept("exit listener 2"));
    log.accept("main");
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

  private static void rejectionDerivedChain(NodeRuntime node, Consumer<String> log) {
    Map<Promise<?>, String> names = new IdentityHashMap<>();
    node.onUnhandledRejection((r, p) -> {
      log.accept("unhandledRejection " + r.getMessage() + " from " + names.get(p));
      node.nextTick(() -> log.accept("tick for " + names.get(p)));
    });
    Promise<Object> a = Promise.reject(node, new RuntimeException("a"));
    names.put(a, "a");
    Promise<Object> a1 = a.then(v -> say(log, "never"));
    names.put(a1, "a.then");
    Promise<Object> a2 = a1.then(v -> say(log, "never"));
    names.put(a2, "a.then.then");
    Promise<Object> b = Promise.reject(node, new RuntimeException("b"));
    names.put(b, "b");
    Promise<Object> b1 = b.whenDone(() -> log.accept("finally of b"));
    names.put(b1, "b.finally");
    Promise<String> c = Promise.create(node, (resolve, reject) -> {
      reject.accept(new RuntimeException("c"));
      reject.accept(new RuntimeException("c again (ignored)"));
      resolve.accept("ignored");
    });
    names.put(c, "c");
    log.accept("main");
  }

  private static void intervalRefreshClose(NodeRuntime node, Consumer<String> log) {
    Timeout[] f = new Timeout[1];
    f[0] = node.setTimeout(() -> {
      log.accept("fired");
      node.setImmediate(() -> log.accept("after fire hasRef " + f[0].hasRef()));
    }, 1);
    int[] n = {0};
    Timeout[] iv = new Timeout[1];
    iv[0] = node.setInterval(() -> {
      n[0]++;
      log.accept("interval " + n[0]);
      if (n[0] == 2) {
        node.clearInterval(iv[0]);
      }
    }, 300);
    node.setTimeout(() -> {
      log.accept("refresh the interval at 100");
      iv[0].refresh();
    }, 100);
    node.setTimeout(() -> log.accept("at 250: interval ran " + n[0] + " times"), 250);
    Timeout t = node.setTimeout(() -> log.accept("closed (never)"), 10);
    t.close();
    log.accept("closed timer hasRef " + t.hasRef());
  }

  private static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }

  private NodeOrderScenarios() {}
}
