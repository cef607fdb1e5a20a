package io.uv4j.node;

import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Java twins of the Promise combinator scenarios (Promise.all, allSettled, race, any and
 * AggregateError): the same program as NAME.js, line for line. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodeCombinatorScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("promise_all_turns", NodeCombinatorScenarios::allTurns);
    all.put("promise_all_reject_first", NodeCombinatorScenarios::allRejectFirst);
    all.put("promise_all_settled_shape", NodeCombinatorScenarios::allSettledShape);
    all.put("promise_race_inputs", NodeCombinatorScenarios::raceInputs);
    all.put("promise_any_rejections", NodeCombinatorScenarios::anyRejections);
    all.put("promise_combinators_empty", NodeCombinatorScenarios::combinatorsEmpty);
    all.put("promise_combinator_unhandled", NodeCombinatorScenarios::combinatorUnhandled);
    all.put("promise_combinators_in_timers", NodeCombinatorScenarios::combinatorsInTimers);
    all.put("promise_all_iterable_lazy", NodeCombinatorScenarios::allIterableLazy);
  }

  private static void allTurns(NodeRuntime node, Consumer<String> log) {
    Runnable counter = counter(node, log, 7);
    node.queueMicrotask(counter);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Consumer<Object>[] resolveLater = new Consumer[1];
    Promise<Object> pending = Promise.create(node, (resolve, reject) -> resolveLater[0] = resolve);
    Promise<Object> adopted = Promise.create(node, (resolve, reject) -> resolve.accept(Promise.resolve(node, "adopted")));
    Promise.all(node, List.of(1, Promise.resolve(node, "resolved"), pending)).thenAccept(v -> log.accept("all mixed " + fmt(v)));
    Promise.all(node, Arrays.asList(1, "x", null)).thenAccept(v -> log.accept("all values " + fmt(v)));
    Promise.all(node, List.of(Promise.resolve(node, "r"))).thenAccept(v -> log.accept("all resolved " + fmt(v)));
    Promise.all(node, List.of(adopted)).thenAccept(v -> log.accept("all adopted " + fmt(v)));
    Promise.all(node, List.of(Promise.resolve(node, null).then(v -> "chained")))
        .thenAccept(v -> log.accept("all chained " + fmt(v)));
    Promise.all(node, List.of(Promise.all(node, List.of(1)), Promise.all(node, List.of(Promise.all(node, List.of(2))))))
        .thenAccept(v -> log.accept("all nested " + v.stream().map(x -> fmt((List<?>) x)).collect(Collectors.joining(","))));
    node.queueMicrotask(() -> {
      log.accept("micro: resolve pending");
      resolveLater[0].accept("late");
    });
    node.nextTick(() -> {
      log.accept("tick");
      node.queueMicrotask(() -> log.accept("micro from tick"));
    });
    Promise.resolve(node, null).thenRun(() -> log.accept("plain then 1")).thenRun(() -> log.accept("plain then 2"))
        .thenRun(() -> log.accept("plain then 3"));
    log.accept("main");
  }

  private static void allRejectFirst(NodeRuntime node, Consumer<String> log) {
    node.onUnhandledRejection((r, p) -> log.accept("unhandledRejection " + r.getMessage()));
    Promise<Object> bad1 = late(node, log, 2, "bad1", true);
    Promise<Object> bad2 = late(node, log, 2, "bad2", true);
    Promise<Object> ok1 = late(node, log, 2, "ok1", false);
    Promise<Object> ok2 = late(node, log, 2, "ok2", false);
    Promise.all(node, List.of(ok1, bad1, bad2, ok2))
        .then(v -> say(log, "all fulfilled (never)"), e -> say(log, "all rejected " + e.getMessage()));
    Promise.all(node, List.of(Promise.reject(node, new RuntimeException("first")),
        Promise.reject(node, new RuntimeException("second")), 1))
        .catchAccept(e -> log.accept("sync inputs rejected " + e.getMessage()));
    Promise<List<Object>> p = Promise.all(node, List.of(Promise.resolve(node, 1), Promise.reject(node, new RuntimeException("x")),
        Promise.<Object>create(node, (resolve, reject) -> { })));
    p.catchAccept(e -> log.accept("catch " + e.getMessage()));
    p.then(v -> say(log, "p fulfilled (never)"), e -> say(log, "p rejected, second handler"));
    turns(node, log);
    node.onExit(code -> log.accept("exit"));
    log.accept("main");
  }

  private static void allSettledShape(NodeRuntime node, Consumer<String> log) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    Consumer<Object>[] resolveLater = new Consumer[1];
    @SuppressWarnings({"unchecked", "rawtypes"})
    Consumer<Throwable>[] rejectLater = new Consumer[1];
    Promise<Object> a = Promise.create(node, (resolve, reject) -> resolveLater[0] = resolve);
    Promise<Object> b = Promise.create(node, (resolve, reject) -> rejectLater[0] = reject);
    Promise.allSettled(node, Arrays.asList(b, 1, Promise.reject(node, new RuntimeException("now")), a, null,
        Promise.resolve(node, "r"))).thenAccept(list -> {
          log.accept("settled " + list.size());
          for (int i = 0; i < list.size(); i++) {
            log.accept(i + " " + show(list.get(i)));
          }
        });
    Promise.allSettled(node, List.of(Promise.reject(node, new RuntimeException("only"))))
        .thenAccept(list -> log.accept("single " + show(list.get(0))));
    Promise.allSettled(node, List.of(1, Promise.resolve(node, 2)))
        .thenAccept(list -> log.accept("values " + list.stream().map(NodeCombinatorScenarios::show)
            .collect(Collectors.joining(", "))));
    node.setTimeout(() -> {
      log.accept("timeout: reject b");
      rejectLater[0].accept(new RuntimeException("later"));
      Promise.resolve(node, null).thenRun(() -> log.accept("after reject 1")).thenRun(() -> log.accept("after reject 2"));
    }, 2);
    node.setTimeout(() -> {
      log.accept("timeout: resolve a");
      resolveLater[0].accept("a");
      Promise.resolve(node, null).thenRun(() -> log.accept("after resolve 1")).thenRun(() -> log.accept("after resolve 2"));
    }, 4);
    turns(node, log);
    log.accept("main");
  }

  private static void raceInputs(NodeRuntime node, Consumer<String> log) {
    node.onUnhandledRejection((r, p) -> log.accept("unhandledRejection " + r.getMessage()));
    node.queueMicrotask(counter(node, log, 5));
    Promise<Object> early = Promise.create(node,
        (resolve, reject) -> node.setTimeout(() -> reject.accept(new RuntimeException("timeout")), 2));
    Promise<Object> pending = Promise.create(node, (resolve, reject) -> node.setTimeout(() -> resolve.accept("pending"), 2));
    Promise<Object> tooLate = Promise.create(node,
        (resolve, reject) -> node.setTimeout(() -> reject.accept(new RuntimeException("too late")), 2));
    Promise.race(node, List.of(pending, "value", Promise.resolve(node, "resolved"))).thenAccept(v -> log.accept("race 1 " + v));
    Promise.race(node, List.of(Promise.resolve(node, "resolved"), "value")).thenAccept(v -> log.accept("race 2 " + v));
    Promise.race(node, List.of(adopting(node), "value")).thenAccept(v -> log.accept("race 3 " + v));
    Promise.race(node, List.of(adopting(node), Promise.resolve(node, null).then(v -> "one then")))
        .thenAccept(v -> log.accept("race 4 " + v));
    Promise.race(node, List.of(adopting(node), Promise.resolve(node, null).then(v -> 0).then(v -> "two thens")))
        .thenAccept(v -> log.accept("race 5 " + v));
    Promise.race(node, List.of(Promise.reject(node, new RuntimeException("rejected")), "value"))
        .then(v -> say(log, "race 6 " + v), e -> say(log, "race 6 rejected " + e.getMessage()));
    Promise.race(node, List.of(pending)).thenAccept(v -> log.accept("race 7 " + v));
    Promise.race(node, List.of(pending, tooLate))
        .then(v -> say(log, "race 8 " + v), e -> say(log, "race 8 rejected " + e.getMessage()));
    Promise.race(node, List.of(early, pending))
        .then(v -> say(log, "race 9 " + v), e -> say(log, "race 9 rejected " + e.getMessage()));
    log.accept("main");
  }

  private static void anyRejections(NodeRuntime node, Consumer<String> log) {
    Promise<Object> e2 = late(node, log, 2, "e2", true);
    Promise<Object> f1 = late(node, log, 2, "f1", true);
    Promise<Object> e4 = late(node, log, 2, "e4", true);
    Promise<Object> f2 = late(node, log, 2, "f2", true);
    Promise<Object> ok = late(node, log, 2, "ok", false);
    Promise<Object> e1 = late(node, log, 2, "e1", true);
    Promise<Object> slow = late(node, log, 2, "slow", false);
    Promise.any(node, List.of(e1, e2, Promise.reject(node, new RuntimeException("e3")), e4))
        .then(v -> say(log, "any 1 fulfilled (never)"), e -> say(log, "any 1 " + describe(e)));
    Promise.any(node, List.of(f1, ok, f2))
        .then(v -> say(log, "any 2 fulfilled " + v), e -> say(log, "any 2 rejected (never)"));
    Promise.any(node, List.of(Promise.reject(node, new RuntimeException("x")), "value")).thenAccept(v -> log.accept("any 3 " + v));
    Promise.any(node, List.of(Promise.reject(node, new RuntimeException("y1")), Promise.reject(node, new RuntimeException("y2"))))
        .catchAccept(e -> log.accept("any 4 " + describe(e)));
    Promise.any(node, List.of(slow, Promise.resolve(node, "fast")))
        .thenAccept(v -> log.accept("any 5 " + v));
    turns(node, log);
    log.accept("main");
  }

  private static void combinatorsEmpty(NodeRuntime node, Consumer<String> log) {
    node.queueMicrotask(counter(node, log, 3));
    Promise.resolve(node, null).thenRun(() -> log.accept("plain then before"));
    Promise<List<Object>> all = Promise.all(node, List.of());
    Promise<List<Promise.Settled>> settled = Promise.allSettled(node, List.of());
    Promise<Object> any = Promise.any(node, List.of());
    Promise<Object> race = Promise.race(node, List.of());
    all.thenAccept(v -> log.accept("all [] " + v.size()));
    settled.thenAccept(v -> log.accept("allSettled [] " + v.size()));
    any.catchAccept(e -> log.accept("any [] " + e.getClass().getSimpleName() + ": " + e.getMessage() + " errors "
        + ((AggregateError) e).errors().size()));
    race.then(v -> say(log, "race [] fulfilled (never)"), e -> say(log, "race [] rejected (never)"));
    Promise.race(node, List.of(race, "sentinel")).thenAccept(v -> log.accept("race [] still pending: " + v));
    Promise.all(node, new HashSet<>()).thenAccept(v -> log.accept("all of an empty set " + v.size()));
    Promise.resolve(node, null).thenRun(() -> log.accept("plain then after"));
    node.onExit(code -> log.accept("exit"));
    log.accept("main");
  }

  private static void combinatorUnhandled(NodeRuntime node, Consumer<String> log) {
    Map<Promise<?>, String> names = new IdentityHashMap<>();
    node.onUnhandledRejection((r, p) -> {
      log.accept("unhandledRejection " + names.get(p) + " " + (r instanceof AggregateError
          ? "AggregateError " + ((AggregateError) r).errors().size() : r.getMessage()));
      node.nextTick(() -> log.accept("tick from handler " + names.get(p)));
    });
    node.onRejectionHandled(p -> log.accept("rejectionHandled " + names.get(p)));
    Promise<List<Object>> a = Promise.all(node, List.of(Promise.reject(node, new RuntimeException("all-input"))));
    names.put(a, "all");
    Promise<Object> b = Promise.any(node, List.of());
    names.put(b, "any-empty");
    Promise<Object> d = Promise.any(node, List.of(Promise.reject(node, new RuntimeException("d1")),
        Promise.reject(node, new RuntimeException("d2"))));
    names.put(d, "any");
    Promise<Object> c = Promise.race(node, List.of(Promise.create(node,
        (resolve, reject) -> node.setTimeout(() -> reject.accept(new RuntimeException("race-late")), 1))));
    names.put(c, "race");
    Promise<List<Promise.Settled>> s = Promise.allSettled(node, List.of(Promise.reject(node, new RuntimeException("settled-input"))));
    names.put(s, "allSettled");
    s.thenAccept(list -> log.accept("allSettled fulfilled " + list.get(0).status()));
    node.nextTick(() -> log.accept("tick"));
    Promise.resolve(node, null).thenRun(() -> log.accept("micro 1")).thenRun(() -> log.accept("micro 2"))
        .thenRun(() -> log.accept("micro 3"));
    node.setTimeout(() -> {
      log.accept("timeout: handle all late");
      a.catchAccept(e -> log.accept("late catch " + e.getMessage()));
    }, 3);
    log.accept("main");
  }

  private static void combinatorsInTimers(NodeRuntime node, Consumer<String> log) {
    node.setTimeout(() -> {
      log.accept("timeout 1");
      Promise.all(node, List.of(1, Promise.resolve(node, 2))).thenAccept(v -> log.accept("all in timeout 1 " + join(v)));
      node.nextTick(() -> log.accept("tick in timeout 1"));
      node.setImmediate(() -> {
        log.accept("immediate A");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Consumer<Object>[] fromTick = new Consumer[1];
        Promise<Object> viaTick = Promise.create(node, (resolve, reject) -> fromTick[0] = resolve);
        node.nextTick(() -> fromTick[0].accept("tick"));
        Promise.race(node, List.of(Promise.create(node, (resolve, reject) -> node.setImmediate(() -> resolve.accept("next immediate"))),
            viaTick)).thenAccept(v -> log.accept("race in immediate A " + v));
        Promise.allSettled(node, List.of(Promise.reject(node, new RuntimeException("no")), "yes"))
            .thenAccept(l -> log.accept("allSettled in immediate A "
                + l.stream().map(Promise.Settled::status).collect(Collectors.joining(","))));
        node.queueMicrotask(() -> log.accept("micro in immediate A"));
      });
      node.setImmediate(() -> {
        log.accept("immediate B");
        Promise.any(node, List.of(Promise.reject(node, new RuntimeException("b")),
            Promise.create(node, (resolve, reject) -> node.setImmediate(() -> resolve.accept("later immediate")))))
            .thenAccept(v -> log.accept("any in immediate B " + v));
      });
    }, 1);
    node.setTimeout(() -> {
      log.accept("timeout 2");
      Promise.any(node, List.of(Promise.reject(node, new RuntimeException("x")), Promise.resolve(node, "ok")))
          .thenAccept(v -> log.accept("any in timeout 2 " + v));
      Promise.all(node, List.of(Promise.all(node, List.of()), Promise.race(node, List.of("r"))))
          .thenAccept(v -> log.accept("nested in timeout 2 " + ((List<?>) v.get(0)).size() + " " + v.get(1)));
    }, 1);
    NodeOrderScenarios.busy(30); // both timers due in the first pass (see the .js)
  }

  private static void allIterableLazy(NodeRuntime node, Consumer<String> log) {
    Iterable<Object> inputs = () -> generator(step -> {
      if (step == 0) {
        log.accept("yield 1");
        return Promise.resolve(node, "a");
      }
      log.accept("after yield 1");
      node.queueMicrotask(() -> {
        log.accept("micro from the iterator");
        node.queueMicrotask(() -> log.accept("micro from the iterator, again"));
      });
      return DONE;
    });
    Promise.all(node, inputs).thenAccept(v -> log.accept("all " + join(v)));
    Iterable<Object> failing = () -> generator(step -> {
      if (step == 0) {
        return 1;
      }
      throw new RuntimeException("iterator failed");
    });
    Promise.all(node, failing).then(v -> say(log, "never"), e -> say(log, "all of failing " + e.getMessage()));
    Promise.race(node, failing).then(v -> say(log, "race of failing " + v),
        e -> say(log, "race of failing rejected " + e.getMessage()));
    log.accept("main");
  }

  // ------------------------------------------------------------------------------- helpers

  private static final Object DONE = new Object();

  /**
   * A JavaScript generator as a Java iterator: {@code body} runs step n (the code up to the nth
   * yield) when the nth value is asked for (hasNext), returning the value or DONE.
   */
  private static Iterator<Object> generator(IntFunction<Object> body) {
    return new Iterator<>() {
      int step;
      Object buffered;
      boolean ready;

      @Override
      public boolean hasNext() {
        if (!ready) {
          buffered = buffered == DONE ? DONE : body.apply(step++);
          ready = true;
        }
        return buffered != DONE;
      }

      @Override
      public Object next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        return buffered;
      }
    };
  }

  /** {@code const counter = () => { n++; log('turn ' + n); if (n < max) queueMicrotask(counter); }}. */
  private static Runnable counter(NodeRuntime node, Consumer<String> log, int max) {
    int[] n = {0};
    Runnable[] counter = new Runnable[1];
    counter[0] = () -> {
      n[0]++;
      log.accept("turn " + n[0]);
      if (n[0] < max) {
        node.queueMicrotask(counter[0]);
      }
    };
    return counter[0];
  }

  /** {@code Promise.resolve().then(turn 1).then(turn 2).then(turn 3)}. */
  private static void turns(NodeRuntime node, Consumer<String> log) {
    Promise.resolve(node, null).thenRun(() -> log.accept("turn 1")).thenRun(() -> log.accept("turn 2"))
        .thenRun(() -> log.accept("turn 3"));
  }

  /** {@code new Promise((resolve, reject) => setTimeout(() => { log('settle ' + v); ... }, ms))}. */
  private static Promise<Object> late(NodeRuntime node, Consumer<String> log, int ms, String v, boolean fail) {
    return Promise.create(node, (resolve, reject) -> node.setTimeout(() -> {
      log.accept("settle " + v);
      if (fail) {
        reject.accept(new RuntimeException(v));
      } else {
        resolve.accept(v);
      }
    }, ms));
  }

  /** {@code new Promise((resolve) => resolve(Promise.resolve('adopting')))}. */
  private static Promise<Object> adopting(NodeRuntime node) {
    return Promise.create(node, (resolve, reject) -> resolve.accept(Promise.resolve(node, "adopting")));
  }

  private static String show(Promise.Settled s) {
    return s.status() + " " + (s.isFulfilled() ? String.valueOf(s.value()) : s.reason().getMessage());
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage() + " ["
        + ((AggregateError) e).errors().stream().map(Throwable::getMessage).collect(Collectors.joining(",")) + "]";
  }

  /** JavaScript's {@code String(x)}: an array is its elements joined by commas. */
  private static String js(Object x) {
    return x instanceof List ? join((List<?>) x) : String.valueOf(x);
  }

  private static String join(List<?> v) {
    return v.stream().map(NodeCombinatorScenarios::js).collect(Collectors.joining(","));
  }

  /** {@code '[' + v.map(String).join(',') + ']'}. */
  private static String fmt(List<?> v) {
    return "[" + join(v) + "]";
  }

  private static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }

  private NodeCombinatorScenarios() {
  }
}
