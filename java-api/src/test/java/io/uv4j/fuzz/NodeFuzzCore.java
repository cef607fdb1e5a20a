package io.uv4j.fuzz;

import io.uv4j.node.AbortController;
import io.uv4j.node.AbortSignal;
import io.uv4j.node.EventEmitter;
import io.uv4j.node.Immediate;
import io.uv4j.node.IntervalIterator;
import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Promise;
import io.uv4j.node.Timeout;
import io.uv4j.node.TimersPromises;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The Node-layer fuzzer's timers, nextTick/microtasks, Promise, EventEmitter,
 * AbortController/AbortSignal and timers/promises operations (see {@link NodeApiFuzzer}).
 */
final class NodeFuzzCore {
  final NodeApiFuzzer f;

  /** A timer or immediate the fuzzer made, and whether it was cleared (then it must not run). */
  static final class TimerRec {
    Timeout timeout;
    Immediate immediate;
    boolean interval;
    boolean cleared;
    /** refresh() after a run re-arms a timeout (Node: "reactivate the timer"). */
    boolean refreshed;
    int fires;
    String name;
  }

  final List<TimerRec> timers = new ArrayList<>();
  final List<EventEmitter> emitters = new ArrayList<>();
  final List<AbortController> controllers = new ArrayList<>();
  final List<AbortSignal> signals = new ArrayList<>();
  final List<Promise<Object>> promises = new ArrayList<>();
  final List<IntervalIterator<Object>> iterators = new ArrayList<>();
  final List<CompletableFuture<Object>> futures = new ArrayList<>();
  int names;

  NodeFuzzCore(NodeApiFuzzer f) {
    this.f = f;
    f.cleanups.add(this::cleanup);
  }

  NodeRuntime node() {
    return f.node;
  }

  static final double[] DELAYS = {-1, 0, 1, 1, 2, 5, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, NodeRuntime.TIMEOUT_MAX + 1.0, 1e20, -1e20, 3.7, 10, Double.MIN_VALUE};

  static double delay(Random r) {
    return DELAYS[r.nextInt(DELAYS.length)];
  }

  static <T> T pickOf(Random r, List<T> l) {
    return l.isEmpty() ? null : l.get(r.nextInt(l.size()));
  }

  // ------------------------------------------------------------------ timers

  void timer(Random r) {
    int what = r.nextInt(12);
    if (what <= 3 || timers.isEmpty()) {
      TimerRec rec = new TimerRec();
      rec.name = "T" + names++;
      rec.interval = r.nextInt(4) == 0;
      double d = delay(r);
      if (r.nextInt(40) == 0) {
        d = NodeRuntime.TIMEOUT_MAX; // 24 days: the cleanup clears it, exit() drops it
      }
      double delay = d;
      f.log((rec.interval ? "setInterval " : "setTimeout ") + rec.name + " " + delay);
      Consumer<Timeout> body = t -> {
        rec.fires++;
        if (rec.cleared) {
          f.violation("timer " + rec.name + " ran after clear");
        }
        if (!rec.interval && rec.fires > 1 && !rec.refreshed) {
          f.violation("timeout " + rec.name + " ran twice");
        }
        if (rec.interval && (rec.fires > 3 || f.finishing)) {
          rec.cleared = true;
          f.api("clearInterval in callback", () -> f.node.clearInterval(t));
        }
        f.behave(rec.name);
      };
      f.api("setTimer", () -> rec.timeout = rec.interval ? node().setInterval(body, delay) : node().setTimeout(body, delay));
      if (rec.timeout != null) {
        timers.add(rec);
      }
    } else if (what == 4) {
      TimerRec rec = new TimerRec();
      rec.name = "I" + names++;
      f.log("setImmediate " + rec.name);
      f.api("setImmediate", () -> rec.immediate = node().setImmediate(im -> {
        rec.fires++;
        if (rec.cleared) {
          f.violation("immediate " + rec.name + " ran after clearImmediate");
        }
        f.behave(rec.name);
      }));
      if (rec.immediate != null) {
        timers.add(rec);
      }
    } else {
      TimerRec rec = pickOf(r, timers);
      int op = r.nextInt(9);
      f.log("timer op " + op + " on " + rec.name);
      switch (op) {
        case 0: case 1:
          if (rec.timeout != null) {
            rec.cleared = true;
            f.api("clearTimeout", () -> {
              if (r.nextBoolean()) {
                node().clearTimeout(rec.timeout);
              } else {
                node().clearInterval(rec.timeout);
              }
            });
          } else {
            rec.cleared = true;
            f.api("clearImmediate", () -> node().clearImmediate(rec.immediate));
          }
          break;
        case 2:
          f.api("clear null", () -> {
            node().clearTimeout(null);
            node().clearImmediate(null);
            node().clearInterval(null);
          });
          break;
        case 3:
          if (rec.timeout != null) {
            rec.refreshed = true;
            f.api("refresh", () -> rec.timeout.refresh());
          }
          break;
        case 4:
          f.api("unref", () -> {
            if (rec.timeout != null) {
              rec.timeout.unref();
            } else {
              rec.immediate.unref();
            }
          });
          break;
        case 5:
          f.api("ref", () -> {
            if (rec.timeout != null) {
              rec.timeout.ref().hasRef();
            } else {
              rec.immediate.ref().hasRef();
            }
          });
          break;
        case 6:
          if (rec.timeout != null) {
            rec.cleared = true;
            f.api("Timeout.close", () -> rec.timeout.close());
          }
          break;
        case 7:
          if (rec.immediate != null) {
            rec.cleared = true; // clearImmediate given an immediate through clearTimeout's sibling
            f.api("clearImmediate twice", () -> {
              node().clearImmediate(rec.immediate);
              node().clearImmediate(rec.immediate);
            });
          } else {
            f.api("now", () -> node().now());
          }
          break;
        default:
          f.api("setTimeout with arg", () -> node().setTimeout((a, b) -> f.behave("T2args"), delay(r), null, "b"));
          break;
      }
    }
    if (timers.size() > 200) {
      // forget old records, but never a live interval or a 24-day timeout: the cleanup must clear them
      List<TimerRec> old = new ArrayList<>(timers.subList(0, 100));
      timers.subList(0, 100).clear();
      for (TimerRec t : old) {
        if (!t.cleared && t.timeout != null && (t.interval || t.fires == 0)) {
          timers.add(t);
        }
      }
    }
  }

  // ------------------------------------------------------------------ nextTick, microtasks

  void tick(Random r) {
    int what = r.nextInt(5);
    int n = 1 + r.nextInt(4);
    f.log("tick " + what + " x" + n);
    for (int i = 0; i < n; i++) {
      switch (what) {
        case 0: f.api("nextTick", () -> node().nextTick(f.cb("tick"))); break;
        case 1: f.api("queueMicrotask", () -> node().queueMicrotask(f.cb("microtask"))); break;
        case 2: f.api("nextTick null", () -> node().nextTick(null)); break;
        case 3: f.api("makeCallback", () -> node().makeCallback(f.cb("makeCallback"))); break;
        default: f.api("nested ticks", () -> node().nextTick(() -> node().queueMicrotask(() -> node().nextTick(f.cb("deep tick"))))); break;
      }
    }
  }

  // ------------------------------------------------------------------ promises

  @SuppressWarnings("unchecked")
  void promise(Random r) {
    int what = r.nextInt(12);
    f.log("promise " + what);
    Promise<Object> p = pickOf(r, promises);
    switch (what) {
      case 0:
        f.api("Promise.resolve", () -> promises.add(Promise.resolve(node(), (Object) "v")));
        break;
      case 1:
        f.api("Promise.reject", () -> promises.add(Promise.reject(node(), new Documented.FuzzException("rejected"))));
        break;
      case 2:
        f.api("Promise.create", () -> promises.add(Promise.create(node(), (res, rej) -> {
          int m = r.nextInt(5);
          if (m == 0) {
            throw new Documented.FuzzException("executor throws");
          } else if (m == 1) {
            node().setTimeout(() -> res.accept("late"), 1);
          } else if (m == 2) {
            rej.accept(null);
          } else {
            res.accept(null);
            res.accept("twice");
            rej.accept(new Documented.FuzzException("after resolve"));
          }
        })));
        break;
      case 3:
        if (p != null) {
          f.api("then", () -> promises.add(p.then(v -> {
            f.behave("then");
            return v;
          })));
        }
        break;
      case 4:
        if (p != null) {
          f.api("catch/finally", () -> p.catch_(e -> {
            f.behave("catch");
            return null;
          }).finally_(f.cb("finally")));
        }
        break;
      case 5: {
        List<Object> mix = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          mix.add(r.nextInt(3) == 0 ? "plain" : p);
        }
        if (r.nextInt(6) == 0) {
          mix.add(null);
        }
        int kind = r.nextInt(4);
        f.api("combinator " + kind, () -> {
          Promise<?> c = kind == 0 ? Promise.all(node(), mix) : kind == 1 ? Promise.allSettled(node(), mix)
              : kind == 2 ? Promise.race(node(), mix) : Promise.any(node(), mix);
          promises.add((Promise<Object>) c);
        });
        break;
      }
      case 6:
        f.api("combinator null", () -> Promise.all(node(), null));
        break;
      case 7: {
        CompletableFuture<Object> cf = new CompletableFuture<>();
        futures.add(cf);
        f.api("Promise.fromFuture", () -> promises.add(Promise.fromFuture(node(), cf)));
        // completed later from another thread (a documented cross-thread hand-over)
        f.misc.onForeignThread("complete future", () -> {
          NodeFuzzMisc.sleep(r.nextInt(5));
          if (r.nextBoolean()) {
            cf.complete("done");
          } else {
            cf.completeExceptionally(new Documented.FuzzException("future failed"));
          }
        });
        break;
      }
      case 8:
        if (p != null) {
          f.api("await on loop thread", () -> p.await());
        }
        break;
      case 9:
        if (p != null) {
          f.api("thenCompose", () -> promises.add(p.thenCompose(v -> r.nextBoolean() ? null : Promise.resolve(node(), v))));
        }
        break;
      case 10:
        if (p != null) {
          f.api("then(null, null)", () -> p.then(null, null));
        }
        break;
      default:
        f.settles("Promise.resolve(later)", Promise.resolve(node(), (Object) 1), true);
        break;
    }
    if (promises.size() > 100) {
      promises.subList(0, 50).clear();
    }
  }

  // ------------------------------------------------------------------ EventEmitter

  void emitter(Random r) {
    if (emitters.isEmpty() || r.nextInt(10) == 0) {
      f.log("new EventEmitter");
      emitters.add(new EventEmitter());
      return;
    }
    EventEmitter e = pickOf(r, emitters);
    String ev = r.nextInt(6) == 0 ? "error" : r.nextInt(10) == 0 ? "newListener" : "e" + r.nextInt(3);
    int what = r.nextInt(14);
    f.log("emitter op " + what + " '" + ev + "'");
    switch (what) {
      case 0: case 1:
        f.api("on", () -> e.on(ev, args -> f.behave("listener " + ev)));
        break;
      case 2:
        f.api("once", () -> e.once(ev, args -> f.behave("once " + ev)));
        break;
      case 3: { // a listener that adds and removes listeners while the emit runs
        EventEmitter.Listener[] self = new EventEmitter.Listener[1];
        self[0] = args -> {
          f.api("off during emit", () -> e.off(ev, self[0]));
          f.api("on during emit", () -> e.on(ev, a -> f.behave("added during emit")));
          f.api("removeAll during emit", () -> {
            if (r.nextInt(4) == 0) {
              e.removeAllListeners(ev);
            }
          });
        };
        f.api("prependListener", () -> e.prependListener(ev, self[0]));
        break;
      }
      case 4: case 5: case 6: {
        Object[] args = r.nextInt(4) == 0 ? new Object[0]
            : new Object[] {r.nextBoolean() ? new Documented.FuzzException("emitted") : r.nextBoolean() ? null : "s"};
        f.api("emit", () -> e.emit(ev, args)); // 'error' with no listener throws the argument
        break;
      }
      case 7:
        f.api("off unknown", () -> e.off(ev, (Runnable) () -> { }));
        break;
      case 8:
        f.api("removeAllListeners", () -> {
          if (r.nextBoolean()) {
            e.removeAllListeners();
          } else {
            e.removeAllListeners(ev);
          }
        });
        break;
      case 9:
        f.api("setMaxListeners", () -> e.setMaxListeners(new int[] {-1, 0, 1, 100}[r.nextInt(4)]));
        break;
      case 10:
        f.api("queries", () -> {
          e.listenerCount(ev);
          e.listeners(ev);
          e.rawListeners(ev);
          e.eventNames();
          e.getMaxListeners();
        });
        break;
      case 11: {
        AbortSignal s = pickOf(r, signals);
        f.api("events.once", () -> f.settles("events.once", EventEmitter.once(node(), e, ev, s), false));
        break;
      }
      case 12:
        f.api("on null", () -> e.on(null, (Runnable) null));
        break;
      default:
        f.api("emit null event", () -> e.emit(null));
        break;
    }
    if (emitters.size() > 20) {
      emitters.remove(0);
    }
  }

  // ------------------------------------------------------------------ abort

  void abort(Random r) {
    int what = r.nextInt(12);
    f.log("abort op " + what);
    AbortController c = pickOf(r, controllers);
    AbortSignal s = pickOf(r, signals);
    switch (what) {
      case 0: case 1:
        f.api("new AbortController", () -> {
          AbortController ac = new AbortController(node());
          controllers.add(ac);
          signals.add(ac.signal());
        });
        break;
      case 2:
        if (c != null) {
          Object reason = new Object[] {null, "why", new Documented.FuzzException("reason"), 42}[r.nextInt(4)];
          f.api("abort", () -> c.abort(reason));
        }
        break;
      case 3:
        f.api("AbortSignal.timeout", () -> signals.add(AbortSignal.timeout(node(), delay(r))));
        break;
      case 4:
        f.api("AbortSignal.abort", () -> signals.add(AbortSignal.abort(node(), r.nextBoolean() ? null : "r")));
        break;
      case 5: {
        List<AbortSignal> l = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          l.add(pickOf(r, signals));
        }
        f.api("AbortSignal.any", () -> signals.add(AbortSignal.any(node(), r.nextInt(8) == 0 ? null : l)));
        break;
      }
      case 6:
        if (s != null) {
          f.api("addEventListener", () -> s.addEventListener(r.nextInt(5) == 0 ? "other" : "abort",
              ev -> f.behave("abort listener"), r.nextBoolean()));
        }
        break;
      case 7:
        if (s != null) {
          f.api("throwIfAborted", s::throwIfAborted);
        }
        break;
      case 8:
        if (s != null) {
          f.api("onabort", () -> s.setOnabort(r.nextInt(3) == 0 ? null : ev -> f.behave("onabort")));
        }
        break;
      case 9:
        if (s != null) {
          f.api("addAbortListener", () -> {
            EventEmitter.AutoCloseableListener l = EventEmitter.addAbortListener(s, ev -> f.behave("abort listener2"));
            if (r.nextBoolean()) {
              l.close();
              l.close();
            }
          });
        }
        break;
      case 10:
        if (s != null) {
          f.api("removeEventListener", () -> s.removeEventListener("abort", (Runnable) () -> { }));
          f.api("signal queries", () -> {
            s.aborted();
            s.reason();
            String.valueOf(s);
            EventEmitter.getEventListeners(s, "abort");
          });
        }
        break;
      default:
        f.api("addEventListener null", () -> {
          if (s != null) {
            s.addEventListener(null, (Consumer<AbortSignal.Event>) null);
          }
        });
        break;
    }
    if (signals.size() > 60) {
      signals.subList(0, 30).clear();
    }
    if (controllers.size() > 30) {
      controllers.subList(0, 15).clear();
    }
  }

  // ------------------------------------------------------------------ timers/promises

  void timersPromises(Random r) {
    int what = r.nextInt(6);
    AbortSignal s = r.nextBoolean() ? pickOf(r, signals) : null;
    boolean ref = r.nextInt(4) != 0;
    f.log("timers/promises " + what + " signal=" + (s != null) + " ref=" + ref);
    switch (what) {
      case 0: case 1:
        f.api("timersPromises.setTimeout", () -> f.settles("timersPromises.setTimeout",
            TimersPromises.setTimeout(node(), delay(r), (Object) "v", s, ref), false));
        break;
      case 2:
        f.api("timersPromises.setImmediate", () -> f.settles("timersPromises.setImmediate",
            TimersPromises.setImmediate(node(), (Object) "v", s, ref), false));
        break;
      case 3:
        f.api("timersPromises.setInterval", () -> iterators.add(TimersPromises.setInterval(node(), delay(r), (Object) "i", s, ref)));
        break;
      case 4: {
        IntervalIterator<Object> it = pickOf(r, iterators);
        if (it != null) {
          f.api("iterator.next", () -> f.settles("iterator.next", it.next(), false));
        }
        break;
      }
      default: {
        IntervalIterator<Object> it = pickOf(r, iterators);
        if (it != null) {
          iterators.remove(it);
          f.api("iterator.return", () -> f.settles("iterator.return", it.return_(null), false));
          f.api("iterator.next after return", () -> it.next());
        }
        break;
      }
    }
  }

  void cleanup() {
    for (TimerRec t : timers) {
      t.cleared = true;
      f.api("cleanup clear", () -> {
        if (t.timeout != null) {
          node().clearTimeout(t.timeout);
        } else {
          node().clearImmediate(t.immediate);
        }
      });
    }
    for (IntervalIterator<Object> it : iterators) {
      f.api("cleanup iterator.return", () -> it.return_(null));
    }
    for (AbortController c : controllers) {
      f.api("cleanup abort", () -> c.abort()); // aborts pending timers/promises with signals
    }
    for (CompletableFuture<Object> cf : futures) {
      cf.complete("cleanup");
    }
    Arrays.asList(timers, iterators, controllers, futures).forEach(List::clear);
  }
}
