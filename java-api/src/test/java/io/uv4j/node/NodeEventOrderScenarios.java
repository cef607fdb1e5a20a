package io.uv4j.node;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the EventEmitter, MessageChannel and worker event-order scenarios (branch node3):
 * maxListeners warning, once listeners removed during emit, events.once, MessageChannel and
 * worker event order. Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeEventOrderScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("ee_max_listeners_warning", NodeEventOrderScenarios::eeMaxListenersWarning);
    all.put("ee_once_remove_during_emit", NodeEventOrderScenarios::eeOnceRemoveDuringEmit);
    all.put("events_once_promise", NodeEventOrderScenarios::eventsOncePromise);
    all.put("message_channel_order", NodeEventOrderScenarios::messageChannelOrder);
    all.put("worker_event_order", NodeEventOrderScenarios::workerEventOrder);
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
    EventEmitter.once(node, f, "never").then(v -> NodeOrderScenarios.say(log, "never"),
        err -> NodeOrderScenarios.say(log, "rejected by error: " + err.getMessage()));
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

  private NodeEventOrderScenarios() {}
}
