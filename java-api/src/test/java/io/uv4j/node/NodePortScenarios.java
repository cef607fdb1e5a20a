package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the scenarios ported from Node's own tests (nodejs/node test/parallel, see
 * docs/NODE-PORTS.md): timers, nextTick and microtask ordering. The same program as NAME.js,
 * line for line; {@code common.mustCall} became printed lines. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodePortScenarios {
  private NodePortScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("next_tick_ordering", NodePortScenarios::nextTickOrdering);
    all.put("next_tick_ordering2", NodePortScenarios::nextTickOrdering2);
    all.put("timers_immediate_queue", NodePortScenarios::timersImmediateQueue);
    all.put("microtask_queue_run", NodePortScenarios::microtaskQueueRun);
    all.put("microtask_queue_run_immediate", NodePortScenarios::microtaskQueueRunImmediate);
    all.put("microtask_queue_integration", NodePortScenarios::microtaskQueueIntegration);
    all.put("next_tick", NodePortScenarios::nextTick);
    all.put("next_tick_intentional_starvation", NodePortScenarios::nextTickIntentionalStarvation);
    all.put("next_tick_errors", NodePortScenarios::nextTickErrors);
    all.put("next_tick_when_exiting", NodePortScenarios::nextTickWhenExiting);
    all.put("timers_immediate", NodePortScenarios::timersImmediate);
    all.put("timers_clear_immediate", NodePortScenarios::timersClearImmediate);
    all.put("timers_uncaught_exception", NodePortScenarios::timersUncaughtException);
    all.put("timers_interval_throw", NodePortScenarios::timersIntervalThrow);
  }

  private static void nextTickOrdering(NodeRuntime node, Consumer<String> log) {
    int n = 30;
    List<String> done = new ArrayList<>();
    node.nextTick(() -> {
      log.accept("Running from nextTick");
      done.add("nextTick");
    });
    for (int i = 0; i < n; i++) {
      int timeout = i;
      node.setTimeout(() -> {
        log.accept("Running from setTimeout " + timeout);
        done.add(String.valueOf(timeout));
      }, i);
    }
    log.accept("Running from main.");
    node.onExit(code -> log.accept("first done: " + done.get(0)));
  }

  private static void nextTickOrdering2(NodeRuntime node, Consumer<String> log) {
    List<String> order = new ArrayList<>();
    node.nextTick(() -> {
      node.setTimeout(() -> order.add("setTimeout"), 0);
      node.nextTick(() -> order.add("nextTick"));
    });
    node.onExit(code -> log.accept(String.join(",", order)));
  }

  private static void timersImmediateQueue(NodeRuntime node, Consumer<String> log) {
    boolean[] ticked = {false};
    int[] hit = {0};
    int queue = 1000;
    Runnable[] run = new Runnable[1];
    run[0] = () -> {
      if (hit[0] == 0) {
        node.nextTick(() -> ticked[0] = true);
      }
      if (ticked[0]) {
        return;
      }
      hit[0]++;
      node.setImmediate(run[0]);
    };
    for (int i = 0; i < queue; i++) {
      node.setImmediate(run[0]);
    }
    node.onExit(code -> log.accept("hit " + hit[0]));
  }

  private static void microtaskQueueRun(NodeRuntime node, Consumer<String> log) {
    int[] done = {0};
    node.onExit(code -> log.accept("done " + done[0]));
    node.setTimeout(() -> enqueueMicrotask(node, () -> {
      log.accept("microtask from timeout 1");
      done[0]++;
    }), 0);
    node.setTimeout(() -> {
      boolean[] called = {false};
      enqueueMicrotask(node, () -> {
        log.accept("microtask from timeout 2");
        node.nextTick(() -> {
          log.accept("tick from the microtask");
          called[0] = true;
        });
      });
      node.setTimeout(() -> {
        log.accept("timeout 3, called " + called[0]);
        if (called[0]) {
          done[0]++;
        }
      }, 0);
    }, 0);
  }

  private static void microtaskQueueRunImmediate(NodeRuntime node, Consumer<String> log) {
    int[] done = {0};
    node.onExit(code -> log.accept("done " + done[0]));
    node.setImmediate(() -> enqueueMicrotask(node, () -> {
      log.accept("microtask from immediate 1");
      done[0]++;
    }));
    node.setImmediate(() -> {
      boolean[] called = {false};
      enqueueMicrotask(node, () -> {
        log.accept("microtask from immediate 2");
        node.nextTick(() -> {
          log.accept("tick from the microtask");
          called[0] = true;
        });
      });
      node.setImmediate(() -> {
        log.accept("immediate 3, called " + called[0]);
        if (called[0]) {
          done[0]++;
        }
      });
    });
  }

  private static void microtaskQueueIntegration(NodeRuntime node, Consumer<String> log) {
    int[] expected = {0};
    int[] done = {0};
    node.onExit(code -> log.accept("done " + done[0] + " of " + expected[0]));
    Consumer<String> test = name -> {
      boolean[] nextTickCalled = {false};
      expected[0]++;
      enqueueMicrotask(node, () -> {
        node.nextTick(() -> nextTickCalled[0] = true);
        node.setTimeout(() -> {
          log.accept(name + ": nextTickCalled " + nextTickCalled[0]);
          done[0]++;
        }, 0);
      });
    };
    test.accept("first tick");
    node.setTimeout(() -> node.nextTick(() -> test.accept("tick callback")), 0);
  }

  private static void nextTick(NodeRuntime node, Consumer<String> log) {
    node.nextTick(() -> {
      log.accept("tick 1");
      node.nextTick(() -> {
        log.accept("tick 1.1");
        node.nextTick(() -> log.accept("tick 1.1.1"));
      });
    });
    node.setTimeout(() -> {
      log.accept("timeout");
      node.nextTick(() -> log.accept("tick from timeout"));
    }, 50);
    node.nextTick(() -> log.accept("tick 2"));
    node.onExit(code -> {
      log.accept("exit");
      node.nextTick(() -> log.accept("tick from exit (never)"));
    });
  }

  private static void nextTickIntentionalStarvation(NodeRuntime node, Consumer<String> log) {
    boolean[] ran = {false};
    boolean[] starved = {false};
    boolean[] timerRan = {false};
    long start = System.currentTimeMillis();
    Runnable[] spin = new Runnable[1];
    spin[0] = () -> {
      ran[0] = true;
      if (System.currentTimeMillis() - start > 100) {
        log.accept("The timer is starving, just as we planned.");
        starved[0] = true;
        return;
      }
      node.nextTick(spin[0]);
    };
    spin[0].run();
    node.setTimeout(() -> {
      if (!starved[0]) {
        throw new IllegalStateException("The timer escaped!");
      }
      log.accept("The timer ran once the ban was lifted");
      timerRan[0] = true;
    }, 50);
    node.onExit(code -> log.accept("ran " + ran[0] + " starved " + starved[0] + " timerRan " + timerRan[0]));
  }

  private static void nextTickErrors(NodeRuntime node, Consumer<String> log) {
    List<String> order = new ArrayList<>();
    boolean[] exceptionHandled = {false};
    node.nextTick(() -> {
      order.add("A");
      throw new IllegalStateException("what is not defined");
    });
    node.nextTick(() -> order.add("C"));
    try {
      node.nextTick(null);
    } catch (NullPointerException e) {
      log.accept("nextTick(null) refused");
    }
    node.onUncaughtException(e -> {
      if (!exceptionHandled[0]) {
        exceptionHandled[0] = true;
        order.add("B");
      } else {
        order.add("OOPS!");
      }
    });
    node.onExit(code -> log.accept(String.join(",", order)));
  }

  private static void nextTickWhenExiting(NodeRuntime node, Consumer<String> log) {
    node.onExit(code -> {
      log.accept("exit");
      node.nextTick(() -> log.accept("tick from exit (never)"));
    });
    node.nextTick(() -> log.accept("tick before exit (never)"));
    node.exit(0);
  }

  private static void timersImmediate(NodeRuntime node, Consumer<String> log) {
    boolean[] mainFinished = {false};
    Immediate[] b = new Immediate[1];
    node.setImmediate(() -> {
      log.accept("A: mainFinished " + mainFinished[0]);
      node.clearImmediate(b[0]);
    });
    b[0] = node.setImmediate(() -> log.accept("B (never)"));
    node.setImmediate(() -> log.accept("C"));
    node.onExit(code -> log.accept("exit"));
    mainFinished[0] = true;
  }

  private static void timersClearImmediate(NodeRuntime node, Consumer<String> log) {
    int n = 3;
    int[] count = {0};
    for (int i = 0; i < n; i++) {
      Immediate[] immediate = new Immediate[1];
      immediate[0] = node.setImmediate(() -> {
        node.clearImmediate(immediate[0]);
        count[0]++;
      });
    }
    node.onExit(code -> log.accept("count " + count[0]));
  }

  private static void timersUncaughtException(NodeRuntime node, Consumer<String> log) {
    int[] exceptions = {0};
    int[] timer1 = {0};
    int[] timer2 = {0};
    log.accept("set first timer");
    node.setTimeout(() -> {
      log.accept("first timer");
      timer1[0]++;
      throw new IllegalStateException("BAM!");
    }, 100);
    log.accept("set second timer");
    node.setTimeout(() -> {
      log.accept("second timer, timer1 " + timer1[0]);
      timer2[0]++;
    }, 100);
    node.onUncaughtException(err -> {
      log.accept("uncaught handler " + err.getMessage());
      exceptions[0]++;
    });
    node.onExit(code -> log.accept("exit: " + exceptions[0] + " " + timer1[0] + " " + timer2[0]));
  }

  private static void timersIntervalThrow(NodeRuntime node, Consumer<String> log) {
    int[] count = {2};
    Timeout interval = node.setInterval(() -> {
      throw new IllegalStateException("IntervalError");
    }, 1);
    node.onUncaughtException(err -> {
      log.accept("uncaught " + err.getMessage());
      if (--count[0] == 0) {
        node.clearInterval(interval);
      }
    });
    node.onExit(code -> log.accept("exit"));
  }

  static void enqueueMicrotask(NodeRuntime node, Runnable fn) {
    Promise.resolve(node, null).then(v -> {
      fn.run();
      return null;
    });
  }
}
