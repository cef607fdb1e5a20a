package io.uv4j.node;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the ordering scenarios added on branch node3 (tick/microtask nesting, rejection
 * timing, timers in one pass, exit events): the same program as NAME.js, line for line. The
 * branch's EventEmitter, MessageChannel and worker twins are in {@link NodeEventOrderScenarios},
 * its stream, net and fs twins in {@link NodeStreamOrderScenarios}, {@link NodeNetOrderScenarios}
 * and {@link NodeFsOrderScenarios}. Registered into {@link NodeScenarios#ALL}.
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
    all.put("promise_adoption_ticks", NodeOrderScenarios::promiseAdoptionTicks);
    all.put("timer_refresh_sibling", NodeOrderScenarios::timerRefreshSibling);
    all.put("process_exit_in_microtask", NodeOrderScenarios::processExitInMicrotask);
    all.put("promise_resolve_identity", NodeOrderScenarios::promiseResolveIdentity);
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

  static String code(Throwable err) {
    return err == null ? "null" : ((NodeError) err).code();
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

  static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }

  private NodeOrderScenarios() {}
}
