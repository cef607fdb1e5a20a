package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * More Java twins of scenarios ported from Node's tests (timers, queueMicrotask, process exit;
 * see docs/NODE-PORTS.md). The same program as NAME.js, line for line. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodePortScenarios2 {
  private NodePortScenarios2() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("timers_non_integer_delay", NodePortScenarios2::timersNonIntegerDelay);
    all.put("timers_zero_timeout", NodePortScenarios2::timersZeroTimeout);
    all.put("timers_nested", NodePortScenarios2::timersNested);
    all.put("timers_unref", NodePortScenarios2::timersUnref);
    all.put("timers_unrefd_interval_still_fires", NodePortScenarios2::timersUnrefdIntervalStillFires);
    all.put("timers_immediate_unref", NodePortScenarios2::timersImmediateUnref);
    all.put("timers_refresh", NodePortScenarios2::timersRefresh);
    all.put("timers_same_timeout_wrong_list_deleted", NodePortScenarios2::timersSameTimeoutWrongListDeleted);
    all.put("timers_clear_null", NodePortScenarios2::timersClearNull);
    all.put("queue_microtask", NodePortScenarios2::queueMicrotask);
    all.put("process_exit_recursive", NodePortScenarios2::processExitRecursive);
    all.put("process_exit_handler", NodePortScenarios2::processExitHandler);
    all.put("process_beforeexit", NodePortScenarios2::processBeforeExit);
    all.put("net_allow_half_open", NodePortScenarios2::netAllowHalfOpen);
    all.put("net_server_close", NodePortScenarios2::netServerClose);
    all.put("promise_unhandled_throw", NodePortScenarios2::promiseUnhandledThrow);
  }

  private static void netAllowHalfOpen(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(socket -> socket.end(new byte[1024]));
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket socket = net.connect(server[0].address().getPort(), "127.0.0.1");
      log.accept("allowHalfOpen " + socket.allowHalfOpen());
      int[] bytes = {0};
      socket.on("data", d -> bytes[0] += ((byte[]) d[0]).length);
      socket.on("end", () -> {
        log.accept("end after " + bytes[0] + " bytes");
        node.nextTick(() -> {
          log.accept("tick after end: destroyed " + socket.isDestroyed());
          server[0].close();
        });
      });
      socket.on("finish", () -> log.accept("finish: destroyed " + socket.isDestroyed()));
      socket.on("close", () -> log.accept("close"));
    });
  }

  private static void netServerClose(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> events = new ArrayList<>();
    List<Net.Socket> sockets = new ArrayList<>();
    node.onExit(code -> {
      log.accept("events " + events.size());
      log.accept("server events " + events.stream().filter("server"::equals).count());
      log.accept("client events " + events.stream().filter("client"::equals).count());
    });
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(c -> {
      c.on("close", () -> events.add("client"));
      sockets.add(c);
      if (sockets.size() == 2) {
        server[0].close();
        sockets.forEach(Net.Socket::destroy);
      }
    });
    server[0].on("close", () -> events.add("server"));
    server[0].listen(0, "127.0.0.1", () -> {
      net.createConnection(server[0].address().getPort(), "127.0.0.1", null).on("error", e -> { });
      net.createConnection(server[0].address().getPort(), "127.0.0.1", null).on("error", e -> { });
    });
  }

  private static void promiseUnhandledThrow(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtException(err -> log.accept("uncaught " + err.getMessage()));
    Promise.reject(node, new IllegalStateException("one"));
    Promise<Object> late = Promise.reject(node, new IllegalStateException("handled in time"));
    node.nextTick(() -> {
      log.accept("tick");
      late.catchError(e -> {
        log.accept("caught " + e.getMessage());
        return null;
      });
    });
    Promise.resolve(node, null).then(v -> {
      log.accept("microtask");
      return null;
    });
    node.setTimeout(() -> {
      log.accept("timeout");
      Promise.reject(node, new IllegalStateException("two"));
      node.nextTick(() -> log.accept("tick after two"));
    }, 1);
    node.onExit(code -> log.accept("exit " + code));
  }

  private static void timersNonIntegerDelay(NodeRuntime node, Consumer<String> log) {
    int[] n = {50};
    int[] fired = {0};
    Timeout[] interval = new Timeout[1];
    interval[0] = node.setInterval(() -> {
      fired[0]++;
      if (--n[0] == 0) {
        node.clearInterval(interval[0]);
        log.accept("interval fired " + fired[0] + " times");
      }
    }, 1.1);
    List<Integer> ordering = new ArrayList<>();
    node.setTimeout(() -> ordering.add(1), 1);
    node.setTimeout(() -> ordering.add(2), 1.8);
    node.setTimeout(() -> ordering.add(3), 1.1);
    node.setTimeout(() -> ordering.add(4), 1);
    node.setTimeout(() -> log.accept("ordering " + join(ordering)), 2);
  }

  private static void timersZeroTimeout(NodeRuntime node, Consumer<String> log) {
    int[] ncalled1 = {0};
    node.setTimeout(() -> {
      ncalled1[0]++;
      log.accept("timeout f");
    }, 0);
    node.setTimeout(() -> { }, 0);
    int[] ncalled2 = {0};
    Timeout[] iv = new Timeout[1];
    iv[0] = node.setInterval(() -> {
      log.accept("interval f " + (ncalled2[0] + 1));
      if (++ncalled2[0] == 3) {
        node.clearTimeout(iv[0]);
      }
    }, 0);
    node.onExit(code -> log.accept("exit " + ncalled1[0] + " " + ncalled2[0]));
  }

  private static void timersNested(NodeRuntime node, Consumer<String> log) {
    for (int delay : new int[] {0, 100}) {
      boolean[] nestedCalled = {false};
      node.setTimeout(() -> {
        log.accept("A " + delay);
        node.setTimeout(() -> {
          log.accept("B " + delay);
          nestedCalled[0] = true;
        }, delay);
        busyLoop(delay);
        node.nextTick(() -> log.accept("tick after A " + delay + ": nestedCalled " + nestedCalled[0]));
        node.onExit(code -> log.accept("exit " + delay + ": nestedCalled " + nestedCalled[0]));
      }, delay);
    }
  }

  private static void timersUnref(NodeRuntime node, Consumer<String> log) {
    boolean[] intervalFired = {false};
    boolean[] timeoutFired = {false};
    boolean[] unrefInterval = {false};
    boolean[] unrefTimer = {false};
    int[] unrefCallbacks = {0};
    int[] checks = {0};
    long longTime = 10 * 1000;
    long shortTime = 100;
    node.setTimeout(() -> { }, 10).unref().ref().unref();
    node.setInterval(() -> { }, 10).unref().ref().unref();
    node.setInterval(() -> intervalFired[0] = true, longTime).unref();
    node.setTimeout(() -> timeoutFired[0] = true, longTime).unref();
    Timeout[] interval = new Timeout[1];
    interval[0] = node.setInterval(() -> {
      unrefInterval[0] = true;
      node.clearInterval(interval[0]);
    }, shortTime);
    interval[0].unref();
    node.setTimeout(() -> unrefTimer[0] = true, shortTime).unref();
    Timeout[] checkUnref = new Timeout[1];
    checkUnref[0] = node.setInterval(() -> {
      if (checks[0] > 5 || (unrefInterval[0] && unrefTimer[0])) {
        node.clearInterval(checkUnref[0]);
      }
      checks[0]++;
    }, 100);
    Timeout[] self = new Timeout[1];
    self[0] = node.setTimeout(() -> {
      unrefCallbacks[0]++;
      self[0].unref();
    }, shortTime);
    Timeout[] selfInterval = new Timeout[1];
    selfInterval[0] = node.setInterval(() -> selfInterval[0].unref(), shortTime);
    Timeout t = node.setInterval(() -> { }, 1);
    node.nextTick(t::unref);
    node.onExit(code -> {
      log.accept("interval fired " + intervalFired[0]);
      log.accept("timeout fired " + timeoutFired[0]);
      log.accept("unref timer " + unrefTimer[0]);
      log.accept("unref interval " + unrefInterval[0]);
      log.accept("unref callbacks " + unrefCallbacks[0]);
    });
  }

  private static void timersUnrefdIntervalStillFires(NodeRuntime node, Consumer<String> log) {
    int n = 3;
    int[] nbIntervalFired = {0};
    Timeout keepOpen = node.setInterval(() -> { }, 9999);
    Timeout[] timer = new Timeout[1];
    timer[0] = node.setInterval(() -> {
      ++nbIntervalFired[0];
      log.accept("fired " + nbIntervalFired[0]);
      if (nbIntervalFired[0] == n) {
        node.clearInterval(timer[0]);
        node.clearInterval(keepOpen);
      }
    }, 1);
    timer[0].unref();
  }

  private static void timersImmediateUnref(NodeRuntime node, Consumer<String> log) {
    Runnable finalStep = () -> {
      log.accept("finalStep");
      node.setImmediate(() -> log.accept("never")).unref();
    };
    Runnable firstStep = () -> {
      log.accept("firstStep");
      int[] count = {2};
      Runnable dec = () -> {
        if (--count[0] == 0) {
          node.setImmediate(finalStep);
        }
      };
      node.setImmediate(() -> {
        log.accept("unref immediate");
        dec.run();
      }).unref();
      node.setTimeout(() -> {
        log.accept("timeout");
        dec.run();
      }, 50);
    };
    node.setImmediate(firstStep).ref().unref().unref().ref();
    node.onExit(code -> log.accept("exit"));
  }

  private static void timersRefresh(NodeRuntime node, Consumer<String> log) {
    {
      boolean[] called = {false};
      Timeout timer = node.setTimeout(() -> {
        called[0] = true;
        log.accept("unref timer");
      }, 1);
      timer.unref();
      node.setTimeout(() -> log.accept("after unref timer, called " + called[0]), 1);
      log.accept("refresh returns the timer " + (timer.refresh() == timer));
    }
    {
      boolean[] called = {false};
      Timeout timer = node.setTimeout(() -> {
        called[0] = true;
        log.accept("regular timer");
      }, 1);
      node.setTimeout(() -> log.accept("after regular timer, called " + called[0]), 1);
      log.accept("refresh returns the timer " + (timer.refresh() == timer));
    }
    {
      int[] called = {0};
      Timeout[] timer = new Timeout[1];
      timer[0] = node.setInterval(() -> {
        called[0]++;
        log.accept("interval " + called[0]);
        if (called[0] == 2) {
          node.clearInterval(timer[0]);
        }
      }, 1);
      node.setTimeout(() -> log.accept("after interval, called " + called[0]), 1);
      log.accept("refresh returns the timer " + (timer[0].refresh() == timer[0]));
    }
  }

  private static void timersSameTimeoutWrongListDeleted(NodeRuntime node, Consumer<String> log) {
    long timeout = 100;
    Timeout[] handle1 = new Timeout[1];
    handle1[0] = node.setTimeout(() -> {
      log.accept("outer");
      node.clearTimeout(handle1[0]);
      Timeout handle2 = node.setTimeout(() -> log.accept("inner (never)"), timeout);
      node.setTimeout(() -> {
        log.accept("clearing the newer timer");
        node.clearTimeout(handle2);
        node.setImmediate(() -> node.setImmediate(() -> log.accept("immediates done")));
      }, 1);
    }, timeout);
    node.onExit(code -> log.accept("exit"));
  }

  private static void timersClearNull(NodeRuntime node, Consumer<String> log) {
    node.clearInterval(null);
    node.clearTimeout(null);
    node.clearImmediate(null);
    log.accept("no error");
  }

  private static void queueMicrotask(NodeRuntime node, Consumer<String> log) {
    try {
      node.queueMicrotask(null);
    } catch (NullPointerException e) {
      log.accept("queueMicrotask(null) refused");
    }
    {
      boolean[] called = {false};
      node.queueMicrotask(() -> called[0] = true);
      log.accept("called synchronously " + called[0]);
    }
    {
      List<String> q = new ArrayList<>();
      Promise.resolve(node, null).then(v -> q.add("a")).then(v -> {
        log.accept("then after a");
        return null;
      });
      node.queueMicrotask(() -> q.add("b"));
      Promise.<Object>reject(node, new IllegalStateException("r")).catchError(e -> q.add("c"));
      node.queueMicrotask(() -> log.accept("q " + String.join(",", q)));
    }
    List<String> eq = new ArrayList<>();
    node.onUncaughtException(e -> eq.add(e.getMessage()));
    node.onExit(code -> log.accept("uncaught " + String.join(",", eq)));
    node.queueMicrotask(() -> {
      throw new IllegalStateException("E1");
    });
    node.queueMicrotask(() -> {
      throw new IllegalStateException("E2");
    });
  }

  private static void processExitRecursive(NodeRuntime node, Consumer<String> log) {
    int[] nexits = {0};
    node.onExit(code -> {
      log.accept("exit " + nexits[0]++ + " code " + code);
      node.exit(0);
    });
    node.onExit(code -> log.accept("second listener, code " + code));
    node.exit(1);
  }

  private static void processExitHandler(NodeRuntime node, Consumer<String> log) {
    node.onExit(code -> {
      log.accept("exit");
      node.setTimeout(() -> log.accept("timeout from exit (never)"), 0);
      node.setImmediate(() -> log.accept("immediate from exit (never)"));
      long start = System.currentTimeMillis();
      while (System.currentTimeMillis() - start < 10) {
        Thread.onSpinWait();
      }
    });
  }

  private static void processBeforeExit(NodeRuntime node, Consumer<String> log) {
    // process.once('beforeExit', fn): one listener that forwards to the pending one, once.
    IntConsumer[] once = new IntConsumer[1];
    node.onBeforeExit(code -> {
      IntConsumer l = once[0];
      once[0] = null;
      if (l != null) {
        l.accept(code);
      }
    });
    Runnable tryRepeatedTimer = () -> {
      log.accept("beforeExit 4");
      int[] n = {0};
      Runnable[] repeatedTimer = new Runnable[1];
      repeatedTimer[0] = () -> {
        log.accept("repeated " + (n[0] + 1));
        if (++n[0] < 5) {
          node.setTimeout(repeatedTimer[0], 1);
        }
      };
      node.setTimeout(repeatedTimer[0], 1);
    };
    Runnable tryListen = () -> {
      log.accept("beforeExit 3");
      Net.Server server = Net.of(node).createServer();
      server.listen(0, "127.0.0.1", null).on("listening", () -> {
        log.accept("listening");
        server.close();
        once[0] = code -> tryRepeatedTimer.run();
      });
    };
    Runnable tryTimer = () -> {
      log.accept("beforeExit 2");
      node.setTimeout(() -> {
        log.accept("timer");
        once[0] = code -> tryListen.run();
      }, 1);
    };
    once[0] = code -> {
      log.accept("beforeExit 1");
      node.setImmediate(() -> {
        log.accept("immediate");
        once[0] = c -> tryTimer.run();
      });
    };
    node.onExit(code -> log.accept("exit " + code));
  }

  private static void busyLoop(long ms) {
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() - start < ms) {
      Thread.onSpinWait();
    }
  }

  private static String join(List<Integer> l) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < l.size(); i++) {
      sb.append(i > 0 ? "," : "").append(l.get(i));
    }
    return sb.toString();
  }
}
