package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the AbortController / timers/promises / events scenarios (branch node8): each is
 * NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeAbortScenarios {
  private NodeAbortScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("abort_listener_order", NodeAbortScenarios::abortListenerOrder);
    all.put("abort_static_signals", NodeAbortScenarios::abortStaticSignals);
    all.put("timersp_order", NodeAbortScenarios::timerspOrder);
    all.put("timersp_abort", NodeAbortScenarios::timerspAbort);
    all.put("timersp_unref", NodeAbortScenarios::timerspUnref);
    all.put("timersp_interval", NodeAbortScenarios::timerspInterval);
    all.put("events2_error_monitor", NodeAbortScenarios::events2ErrorMonitor);
    all.put("events2_once_signal", NodeAbortScenarios::events2OnceSignal);
    all.put("events2_error_names", NodeAbortScenarios::events2ErrorNames);
    all.put("events2_target_limits", NodeAbortScenarios::events2TargetLimits);
    all.put("events2_abort_listener", NodeAbortScenarios::events2AbortListener);
  }

  private static void abortListenerOrder(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtException(e -> log.accept("uncaught " + e.getMessage()));
    AbortController ac = new AbortController(node);
    AbortSignal s = ac.signal();
    log.accept("aborted " + s.aborted() + " reason " + undef(s.reason()));
    s.setOnabort(e -> log.accept("onabort first (replaced)"));
    Consumer<AbortSignal.Event> dup = e -> log.accept("dup type " + e.type() + " trusted " + e.isTrusted()
        + " target " + (e.target() == s));
    s.addEventListener("abort", dup);
    s.addEventListener("abort", dup);
    s.addEventListener("abort", () -> log.accept("once listener"), true);
    Runnable removed = () -> log.accept("removed (never)");
    s.addEventListener("abort", () -> {
      log.accept("remover");
      s.removeEventListener("abort", removed);
      s.addEventListener("abort", () -> log.accept("added during dispatch"));
    });
    s.addEventListener("abort", removed);
    s.addEventListener("abort", () -> {
      log.accept("thrower");
      throw new RuntimeException("listener boom");
    });
    s.addEventListener("abort", () -> log.accept("after thrower, aborted " + s.aborted()));
    s.setOnabort(e -> log.accept("onabort second, in the first slot"));
    node.nextTick(() -> log.accept("tick queued before abort"));
    log.accept("before abort");
    ac.abort();
    log.accept("after abort " + s.aborted());
    DOMException r = (DOMException) s.reason();
    log.accept("reason " + r.name() + " | " + r.getMessage() + " | " + r.code() + " | " + r + " | " + true);
    ac.abort("second");
    log.accept("still " + ((DOMException) s.reason()).name());
    try {
      s.throwIfAborted();
    } catch (Throwable e) {
      log.accept("throwIfAborted threw the reason " + (e == r));
    }
    AbortController late = new AbortController(node);
    late.signal().addEventListener("abort", () -> log.accept("late 1"));
    late.signal().addEventListener("abort", () -> {
      log.accept("late 2 adds two");
      late.signal().addEventListener("abort", () -> log.accept("late 3 (added by 2, after the last)"));
    });
    late.abort("why");
    log.accept("late reason " + late.signal().reason());
    AbortController nul = new AbortController(node);
    nul.signal().setOnabort(null);
    nul.signal().addEventListener("abort", () -> log.accept("nul listener"));
    nul.signal().setOnabort(e -> log.accept("nul onabort (slot made by the null assignment)"));
    log.accept("onabort getter " + (nul.signal().onabort() != null ? "function" : "object"));
    nul.abort();
    AbortController off = new AbortController(node);
    off.signal().setOnabort(e -> log.accept("off onabort (never)"));
    off.signal().setOnabort(null);
    log.accept("onabort after null " + off.signal().onabort());
    off.abort();
    Runnable twice = () -> log.accept("once then plain: one call");
    AbortController tw = new AbortController(node);
    tw.signal().addEventListener("abort", twice, true);
    tw.signal().addEventListener("abort", twice);
    tw.abort();
    log.accept("main end");
  }

  private static void abortStaticSignals(NodeRuntime node, Consumer<String> log) {
    AbortSignal a = AbortSignal.abort(node, "given");
    log.accept("abort(reason) " + a.aborted() + " " + a.reason());
    DOMException d = (DOMException) AbortSignal.abort(node).reason();
    log.accept("abort() " + d.name() + " " + d.code() + " " + d.getMessage());
    AbortController c1 = new AbortController(node);
    AbortController c2 = new AbortController(node);
    c1.signal().addEventListener("abort", () -> log.accept("c1 listener before any()"));
    AbortSignal any = AbortSignal.any(node, List.of(c1.signal(), c2.signal()));
    AbortSignal any2 = AbortSignal.any(node, List.of(any, c2.signal()));
    any.addEventListener("abort", () -> log.accept("any aborted " + any.reason() + " any2 " + any2.aborted()));
    any2.setOnabort(e -> log.accept("any2 aborted " + any2.reason()));
    c1.signal().addEventListener("abort", () -> log.accept("c1 listener after any(), any.aborted " + any.aborted()));
    log.accept("any pending " + any.aborted());
    c1.abort("r1");
    c2.abort("r2");
    log.accept("any reason " + any.reason() + ", any2 reason " + any2.reason());
    AbortSignal pre = AbortSignal.any(node, List.of(c2.signal(), new AbortController(node).signal()));
    log.accept("any of an aborted one: " + pre.aborted() + " " + pre.reason());
    AbortSignal empty = AbortSignal.any(node, List.of());
    log.accept("any([]) " + empty.aborted());
    List<Runnable> errs = new ArrayList<>();
    errs.add(() -> AbortSignal.timeout(node, -1));
    errs.add(() -> AbortSignal.timeout(node, 1.5));
    errs.add(() -> AbortSignal.timeout(node, 4294967296d));
    errs.add(() -> AbortSignal.timeout(node, 5000000000d));
    errs.add(() -> AbortSignal.any(node, null));
    errs.add(() -> AbortSignal.any(node, java.util.Arrays.asList(c1.signal(), null)));
    for (Runnable f : errs) {
      try {
        f.run();
      } catch (NodeError e) {
        log.accept(e.name() + " " + e.code() + " " + e);
      }
    }
    AbortSignal t = AbortSignal.timeout(node, 10);
    t.addEventListener("abort", () -> {
      DOMException r = (DOMException) t.reason();
      log.accept("timeout " + r.name() + " " + r.code() + " " + r.getMessage());
      try {
        t.throwIfAborted();
      } catch (Throwable e) {
        log.accept("throwIfAborted " + e);
      }
    });
    node.setTimeout(() -> {
      log.accept("50 ms timer, timeout aborted " + t.aborted());
      AbortSignal forever = AbortSignal.timeout(node, 100000);
      forever.setOnabort(e -> log.accept("never: an unref timer"));
    }, 50);
    node.onExit(code -> log.accept("exit"));
  }

  private static void timerspOrder(NodeRuntime node, Consumer<String> log) {
    TimersPromises.setTimeout(node, 5, "p1").then(v -> say(log, "promise timeout " + v));
    node.setTimeout(() -> {
      log.accept("callback timeout");
      node.nextTick(() -> log.accept("tick after callback timeout"));
    }, 5);
    TimersPromises.setTimeout(node, 5, null).then(v -> say(log, "promise timeout without value " + undef(v)));
    node.setTimeout(() -> {
      log.accept("second list");
      TimersPromises.setImmediate(node, "i1").then(v -> say(log, "promise immediate " + v));
      node.setImmediate(() -> log.accept("callback immediate"));
      TimersPromises.setImmediate(node, "i2").then(v -> say(log, "promise immediate " + v));
      TimersPromises.setTimeout(node, 0, "zero").then(v -> {
        log.accept("promise timeout " + v);
        TimersPromises.setTimeout(node, -5, "negative").then(w -> say(log, "promise timeout " + w));
        return null;
      });
      Promise.resolve(node, null).then(v -> say(log, "microtask in second list"));
    }, 40);
    node.nextTick(() -> log.accept("tick"));
    log.accept("main end");
  }

  private static void timerspAbort(NodeRuntime node, Consumer<String> log) {
    Function<String, Function<Throwable, Object>> show = label -> e -> {
      AbortError ae = (AbortError) e;
      Object cause = ae.reason();
      return say(log, label + " " + ae.name() + " " + ae.code() + " " + ae.getMessage() + " | " + ae
          + " | cause " + (cause instanceof DOMException ? ((DOMException) cause).name() : cause));
    };
    AbortController ac = new AbortController(node);
    TimersPromises.setTimeout(node, 20, "never", ac.signal(), true).then(v -> say(log, "never"),
        show.apply("timeout rejected"));
    TimersPromises.setImmediate(node, "never", ac.signal(), true).then(v -> say(log, "never"),
        show.apply("immediate rejected"));
    TimersPromises.setTimeout(node, 1, "pre", AbortSignal.abort(node, "why"), true)
        .then(v -> v, show.apply("pre-aborted timeout"));
    TimersPromises.setImmediate(node, "pre", AbortSignal.abort(node), true)
        .then(v -> v, show.apply("pre-aborted immediate"));
    Promise.resolve(node, null).then(v -> say(log, "microtask queued before abort"));
    ac.abort();
    log.accept("after abort, sync");
    AbortController late = new AbortController(node);
    TimersPromises.setTimeout(node, 5, "fired", late.signal(), true).then(v -> say(log, "late fulfilled " + v),
        show.apply("late rejected"));
    node.setTimeout(() -> {
      log.accept("same list, after the promise timer: abort");
      late.abort("too late");
      log.accept("late signal aborted " + late.signal().aborted());
    }, 5);
    AbortController withSignal = new AbortController(node);
    Promise<String> plain = TimersPromises.setTimeout(node, 60, "plain");
    Promise<String> signalled = TimersPromises.setTimeout(node, 60, "signalled", withSignal.signal(), true);
    plain.then(v -> say(log, "fulfilled " + v));
    signalled.then(v -> say(log, "fulfilled " + v));
    TimersPromises.setTimeout(node, 100000, "unref", null, false).then(v -> say(log, "never (unref)"));
    node.onExit(code -> log.accept("exit"));
  }

  private static void timerspUnref(NodeRuntime node, Consumer<String> log) {
    TimersPromises.setTimeout(node, 100000, "long", null, false).then(v -> say(log, "never: " + v));
    TimersPromises.setImmediate(node, "unref'd immediate", null, false).then(w -> say(log, w));
    TimersPromises.setTimeout(node, 100, "ref'd timeout").then(v -> {
      log.accept(v);
      TimersPromises.setTimeout(node, 1, "unref'd 1 ms timeout", null, false).then(w -> say(log, "never: " + w));
      Promise.resolve(node, null).then(w -> say(log, "microtask after the timer"));
      return null;
    });
    node.onExit(code -> log.accept("exit"));
    log.accept("main end");
  }

  private static void timerspInterval(NodeRuntime node, Consumer<String> log) {
    // for await (const v of setInterval(10, 'tick')) { ...; if (n === 3) break; }
    IntervalIterator<String> ticks = TimersPromises.setInterval(node, 10, "tick");
    int[] n = {0};
    Runnable[] step = new Runnable[1];
    step[0] = () -> ticks.next().then(r -> {
      log.accept("got " + r.value() + " " + (++n[0]));
      chain(node, log, "p", 3);
      if (n[0] == 3) {
        ticks.return_(null).then(x -> say(log, "loop done"));
      } else {
        step[0].run();
      }
      return null;
    });
    step[0].run();
    AbortController ac = new AbortController(node);
    IntervalIterator<String> it = TimersPromises.setInterval(node, 15, "x", ac.signal(), true);
    it.next().then(r -> {
      log.accept("it first " + show(r));
      it.next().then(r2 -> say(log, "never " + show(r2)), e -> {
        AbortError ae = (AbortError) e;
        return say(log, "it rejected " + ae.name() + " " + ae.code() + " cause " + ae.reason());
      });
      it.next().then(r3 -> say(log, "it after " + show(r3)));
      chain(node, log, "a", 5);
      ac.abort("why");
      chain(node, log, "b", 5);
      return null;
    });
    IntervalIterator<String> pre = TimersPromises.setInterval(node, 10, "y", AbortSignal.abort(node, "early"), true);
    pre.next().then(r -> say(log, "never"),
        e -> say(log, "pre-aborted " + e.getMessage() + " cause " + ((AbortError) e).reason()));
    pre.next().then(r -> say(log, "pre then " + show(r)));
    IntervalIterator<String> early = TimersPromises.setInterval(node, 10, "z");
    early.return_("bye").then(r -> say(log, "return before start " + show(r)));
    early.next().then(r -> say(log, "next after return " + show(r)));
    TimersPromises.setInterval(node, 100000, "u", null, false).next().then(r -> say(log, "never (unref)"));
    chain(node, log, "s", 3);
    log.accept("main end");
  }

  /** JSON.stringify of an iterator result. */
  private static String show(IntervalIterator.Result<?> r) {
    return "{" + (r.value() == null ? "" : "\"value\":\"" + r.value() + "\",") + "\"done\":" + r.done() + "}";
  }

  /** let p = Promise.resolve(); for (i = 1..n) p = p.then(() => log(label + i)); */
  private static void chain(NodeRuntime node, Consumer<String> log, String label, int n) {
    Promise<Object> p = Promise.resolve(node, null);
    for (int i = 1; i <= n; i++) {
      String line = label + i;
      p = p.then(v -> say(log, line));
    }
  }

  private static void events2ErrorMonitor(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    e.on(EventEmitter.ERROR_MONITOR, args -> log.accept("monitor " + ((Throwable) args[0]).getMessage()));
    try {
      e.emit("error", new RuntimeException("first"));
    } catch (RuntimeException err) {
      log.accept("thrown after the monitor " + err.getMessage());
    }
    e.on("error", args -> log.accept("error listener " + ((Throwable) args[0]).getMessage()));
    e.prependListener(EventEmitter.ERROR_MONITOR,
        args -> log.accept("monitor prepended " + ((Throwable) args[0]).getMessage()));
    log.accept("emit returns " + e.emit("error", new RuntimeException("second")));
    log.accept("listenerCount error " + e.listenerCount("error") + " monitor "
        + e.listenerCount(EventEmitter.ERROR_MONITOR));
    log.accept("eventNames " + String.join(",", e.eventNames()));
    EventEmitter x = new EventEmitter();
    Runnable a = () -> log.accept("a called");
    EventEmitter.Listener b = args -> log.accept("b called " + args[0]);
    x.on("removeListener", args -> log.accept("removeListener " + args[0] + " "
        + (args[1] == a ? "a" : args[1] == b ? "b" : "?")));
    x.on("ev", a);
    x.once("ev", b);
    List<Object> raw = x.rawListeners("ev");
    EventEmitter.OnceWrapper w = (EventEmitter.OnceWrapper) raw.get(1);
    log.accept("raw[0] is a " + (raw.get(0) == a) + ", raw[1] is b " + (raw.get(1) == b)
        + ", raw[1].listener is b " + (w.listener() == b));
    log.accept("listeners()[1] is b " + (x.listeners("ev").get(1) == b));
    w.call("direct");
    log.accept("after calling the wrapper " + x.listenerCount("ev"));
    w.call("again");
    x.once("ev", b);
    x.removeListener("ev", x.rawListeners("ev").get(1));
    log.accept("removed by wrapper " + x.listenerCount("ev"));
    x.emit("ev", 1);
    log.accept("static listenerCount " + EventEmitter.listenerCount(x, "ev"));
  }

  private static void events2OnceSignal(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    e.on("newListener", args -> log.accept("newListener " + args[0]));
    AbortController ac = new AbortController(node);
    EventEmitter.once(node, e, "ready", ac.signal()).then(args -> say(log, "ready " + args[0] + "," + args[1]));
    log.accept("abort listeners " + EventEmitter.getEventListeners(ac.signal(), "abort").size());
    e.emit("ready", 1, 2);
    log.accept("after emit: ready " + e.listenerCount("ready") + " error " + e.listenerCount("error")
        + " abort " + EventEmitter.getEventListeners(ac.signal(), "abort").size());
    AbortController ac2 = new AbortController(node);
    EventEmitter.once(node, e, "never", ac2.signal()).then(v -> say(log, "never"), err -> {
      AbortError ae = (AbortError) err;
      return say(log, "aborted " + ae.name() + " " + ae.code() + " " + ae.getMessage() + " cause " + ae.reason());
    });
    ac2.abort("stop");
    log.accept("after abort: never " + e.listenerCount("never") + " error " + e.listenerCount("error"));
    EventEmitter.once(node, e, "x", AbortSignal.abort(node, "early"))
        .catchAccept(err -> log.accept("pre-aborted " + ((AbortError) err).code() + " cause " + ((AbortError) err).reason()));
    log.accept("pre-aborted registered x " + e.listenerCount("x"));
    AbortController ac3 = new AbortController(node);
    EventEmitter.once(node, e, "y", ac3.signal()).catchAccept(err -> log.accept("error rejected " + err.getMessage()));
    e.emit("error", new RuntimeException("bad"));
    log.accept("after error: y " + e.listenerCount("y") + " abort "
        + EventEmitter.getEventListeners(ac3.signal(), "abort").size());
    Promise.resolve(node, null).then(v -> say(log, "microtask"));
  }

  private static void events2ErrorNames(NodeRuntime node, Consumer<String> log) {
    Consumer<Throwable> show = e -> {
      if (e instanceof DOMException) {
        DOMException d = (DOMException) e;
        log.accept(d.name() + " | " + d.code() + " | " + d);
      } else {
        NodeError n = (NodeError) e;
        log.accept(n.name() + " | " + n.code() + " | " + n);
      }
    };
    try {
      new EventEmitter().setMaxListeners(-1);
    } catch (NodeError e) {
      show.accept(e);
    }
    try {
      new EventEmitter().emit("error", "text");
    } catch (NodeError e) {
      show.accept(e);
    }
    NodeFs fs = NodeFs.of(node);
    try {
      fs.open("/tmp", "bogus", (err, fd) -> { });
    } catch (NodeError e) {
      show.accept(e);
    }
    try {
      Crypto.timingSafeEqual(new byte[1], new byte[2]);
    } catch (NodeError e) {
      show.accept(e);
    }
    try {
      AbortSignal.timeout(node, -1);
    } catch (NodeError e) {
      show.accept(e);
    }
    AbortController ac = new AbortController(node);
    ac.abort();
    show.accept((Throwable) ac.signal().reason());
    fs.readFile("/nonexistent-uv4j-file", (e, bytes) -> {
      show.accept(e);
      TimersPromises.setTimeout(node, 1, 0, ac.signal(), true).catchAccept(show);
    });
  }

  private static void events2TargetLimits(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning " + w.name() + ": " + w.getMessage()));
    AbortSignal s = new AbortController(node).signal();
    log.accept("default max " + EventEmitter.getMaxListeners(s));
    EventEmitter.setMaxListeners(2, s);
    log.accept("max " + EventEmitter.getMaxListeners(s));
    for (int i = 0; i < 4; i++) {
      s.addEventListener("abort", new Object()::hashCode); // a distinct listener each time
    }
    EventEmitter.setMaxListeners(4, s);
    s.addEventListener("abort", new Object()::hashCode);
    EventEmitter.setMaxListeners(0, s);
    for (int i = 0; i < 20; i++) {
      s.addEventListener("abort", new Object()::hashCode);
    }
    try {
      EventEmitter.setMaxListeners(-1, s);
    } catch (NodeError e) {
      log.accept(e.toString());
    }
    EventEmitter e = new EventEmitter();
    EventEmitter.setMaxListeners(1, e, s);
    log.accept("emitter max " + e.getMaxListeners() + " signal max " + EventEmitter.getMaxListeners(s));
    AbortController remover = new AbortController(node);
    AbortController target = new AbortController(node);
    target.signal().addEventListener("abort", () -> log.accept("never: removed by the other signal"), false,
        remover.signal());
    target.signal().addEventListener("abort", () -> log.accept("kept listener"), true,
        new AbortController(node).signal());
    log.accept("target " + EventEmitter.getEventListeners(target.signal(), "abort").size() + " remover "
        + EventEmitter.getEventListeners(remover.signal(), "abort").size());
    remover.abort();
    log.accept("after remover.abort: target " + EventEmitter.getEventListeners(target.signal(), "abort").size()
        + " remover " + EventEmitter.getEventListeners(remover.signal(), "abort").size());
    target.signal().addEventListener("abort", () -> log.accept("never: aborted option signal"), false,
        AbortSignal.abort(node));
    log.accept("with an aborted signal: " + EventEmitter.getEventListeners(target.signal(), "abort").size());
    target.abort();
    log.accept("main end");
  }

  private static void events2AbortListener(NodeRuntime node, Consumer<String> log) {
    AbortController ac = new AbortController(node);
    EventEmitter.addAbortListener(ac.signal(), e -> log.accept("listener " + e.type()));
    ac.signal().addEventListener("abort", () -> log.accept("second"));
    EventEmitter.AutoCloseableListener d = EventEmitter.addAbortListener(ac.signal(),
        e -> log.accept("disposed (never)"));
    d.close();
    log.accept("listeners " + EventEmitter.getEventListeners(ac.signal(), "abort").size());
    Promise.resolve(node, null).then(v -> say(log, "microtask queued first"));
    EventEmitter.addAbortListener(AbortSignal.abort(node), e -> log.accept("pre-aborted, argument " + undef(e)));
    ac.abort();
    log.accept("after abort, listeners " + EventEmitter.getEventListeners(ac.signal(), "abort").size());
    try {
      EventEmitter.addAbortListener(null, e -> { });
    } catch (NodeError e) {
      log.accept(e.toString());
    }
    try {
      EventEmitter.addAbortListener(ac.signal(), null);
    } catch (NodeError e) {
      log.accept(e.toString());
    }
  }

  /** JavaScript's String(undefined) for Java's null. */
  private static Object undef(Object v) {
    return v == null ? "undefined" : v;
  }

  private static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }
}
