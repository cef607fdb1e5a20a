package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Promise.all/allSettled/race/any: what Java callers can get wrong (null runtime or iterable, a
 * promise of another runtime, the wrong thread), null inputs, and the shape of the results. The
 * ordering itself is checked against Node by the promise_* differential scenarios.
 */
@ExtendWith(LeakCheck.class)
class NodePromiseCombinatorsTest {
  /** The four combinators, as one signature. */
  private static final List<BiFunction<NodeRuntime, Iterable<?>, Promise<?>>> ALL_FOUR =
      List.of(Promise::all, Promise::allSettled, Promise::race, Promise::any);

  @Test
  void aNullIterableOrRuntimeIsANullPointerException() throws Exception {
    List<String> out = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      for (BiFunction<NodeRuntime, Iterable<?>, Promise<?>> c : ALL_FOUR) {
        out.add(assertThrows(NullPointerException.class, () -> c.apply(node, null)).getMessage());
        out.add(assertThrows(NullPointerException.class, () -> c.apply(null, List.of(1))).getMessage());
      }
    });
    assertEquals(0, code);
    assertEquals(List.of("values", "runtime", "values", "runtime", "values", "runtime", "values", "runtime"), out);
  }

  @Test
  void nullElementsAreValues() throws Exception {
    List<Object> out = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      Promise.all(node, Arrays.asList(null, 1, null)).thenAccept(out::add);
      Promise.allSettled(node, Arrays.asList((Object) null)).thenAccept(l -> {
        out.add(l.get(0).status());
        out.add(l.get(0).value());
        out.add(l.get(0).reason());
      });
      Promise.race(node, Arrays.asList(null, 2)).thenAccept(v -> out.add("race " + v));
      Promise.any(node, Arrays.asList(null, 3)).thenAccept(v -> out.add("any " + v));
    });
    assertEquals(0, code);
    assertEquals(Arrays.asList(Arrays.asList(null, 1, null), "fulfilled", null, null, "race null", "any null"), out);
  }

  @Test
  void resultListsAreUnmodifiable() throws Exception {
    List<Object> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      Promise.all(node, List.of(1)).thenAccept(l -> out.add(assertThrows(UnsupportedOperationException.class,
          () -> l.add(2)).getClass()));
      Promise.allSettled(node, List.of()).thenAccept(l -> out.add(assertThrows(UnsupportedOperationException.class,
          () -> l.add(null)).getClass()));
      Promise.any(node, List.of(Promise.reject(node, new IllegalStateException("x")))).catchAccept(e ->
          out.add(assertThrows(UnsupportedOperationException.class, () -> ((AggregateError) e).errors().clear()).getClass()));
    });
    assertEquals(List.of(UnsupportedOperationException.class, UnsupportedOperationException.class,
        UnsupportedOperationException.class), out);
  }

  @Test
  void aggregateErrorCopiesItsErrorsAndCarriesNodesMessage() {
    List<Throwable> errors = new ArrayList<>(List.of(new IllegalStateException("a")));
    AggregateError e = new AggregateError(errors, AggregateError.ALL_REJECTED);
    errors.add(new IllegalStateException("b"));
    assertEquals(1, e.errors().size());
    assertEquals("All promises were rejected", e.getMessage());
    assertThrows(NullPointerException.class, () -> new AggregateError(null, "m"));
  }

  /**
   * A promise of another runtime settles on that runtime's thread and cannot be adopted: an
   * IllegalArgumentException, and the result the call was building (which an earlier input's
   * rejection reaches) is never reported as an unhandled rejection.
   */
  @Test
  void aPromiseOfAnotherRuntimeIsRefused() throws Exception {
    AtomicReference<Promise<Integer>> foreign = new AtomicReference<>();
    Thread other = new Thread(() -> {
      try {
        NodeRuntime.run(o -> foreign.set(Promise.resolve(o, 1)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "other-runtime");
    other.start();
    other.join();
    List<String> out = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      node.onUnhandledRejection((r, p) -> out.add("unhandledRejection " + r.getMessage()));
      for (BiFunction<NodeRuntime, Iterable<?>, Promise<?>> c : ALL_FOUR) {
        Promise<Object> rejected = Promise.reject(node, new IllegalStateException("earlier input"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> c.apply(node, List.of(rejected, foreign.get())));
        out.add(e.getMessage());
      }
      Promise.resolve(node, null).thenRun(() -> out.add("microtasks ran"));
    });
    assertEquals(0, code);
    assertEquals(List.of(
        "Promise.all: input 1 is a promise of another NodeRuntime (only this runtime's promises can be adopted)",
        "Promise.allSettled: input 1 is a promise of another NodeRuntime (only this runtime's promises can be adopted)",
        "Promise.race: input 1 is a promise of another NodeRuntime (only this runtime's promises can be adopted)",
        "Promise.any: input 1 is a promise of another NodeRuntime (only this runtime's promises can be adopted)",
        "microtasks ran"), out);
  }

  /** As then(): the runtime's thread only, even for an empty input. */
  @Test
  void anotherThreadGetsAnIllegalStateException() throws Exception {
    List<Object> out = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      Promise<Integer> p = Promise.resolve(node, 1);
      Thread t = new Thread(() -> {
        for (BiFunction<NodeRuntime, Iterable<?>, Promise<?>> c : ALL_FOUR) {
          for (List<?> input : List.of(List.of(), List.of(p))) {
            try {
              c.apply(node, input);
              out.add("no exception");
            } catch (IllegalStateException e) {
              out.add(e.getMessage().startsWith("NodeRuntime used from thread 'foreign'"));
            }
          }
        }
      }, "foreign");
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(0, code);
    assertEquals(List.of(true, true, true, true, true, true, true, true), out);
  }

  /** JavaScript's IfAbruptRejectPromise: a throwing iterable rejects the result, it does not throw. */
  @Test
  void aThrowingIterableRejectsTheResult() throws Exception {
    List<Object> out = new ArrayList<>();
    IllegalStateException boom = new IllegalStateException("boom");
    Iterable<Object> throwsAtIterator = () -> {
      throw boom;
    };
    Iterable<Object> throwsAtNext = () -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        throw boom;
      }
    };
    int code = NodeRuntime.run(node -> {
      for (BiFunction<NodeRuntime, Iterable<?>, Promise<?>> c : ALL_FOUR) {
        for (Iterable<Object> it : List.of(throwsAtIterator, throwsAtNext)) {
          Promise<?> p = c.apply(node, it);
          out.add(p.isPending());
          p.then(v -> null, e -> out.add(e == boom));
        }
      }
    });
    assertEquals(0, code);
    assertEquals(List.of(false, false, false, false, false, false, false, false,
        true, true, true, true, true, true, true, true), out);
  }

  @Test
  void emptyInputsSettleAtCreationExceptRace() throws Exception {
    List<Object> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      out.add(Promise.all(node, List.of()).isPending());
      out.add(Promise.allSettled(node, List.of()).isPending());
      Promise<Object> any = Promise.any(node, List.of());
      out.add(any.isPending());
      any.catchAccept(e -> {
        out.add(e.getClass());
        out.add(((AggregateError) e).errors());
      });
      Promise<Object> race = Promise.race(node, List.of());
      out.add(race.isPending());
      node.setImmediate(() -> out.add(race.isPending()));
    });
    assertEquals(List.of(false, false, false, true, AggregateError.class, List.of(), true), out);
  }

  @Test
  void allKeepsInputOrderAndTheFirstRejectionWins() throws Exception {
    List<Object> out = new ArrayList<>();
    IllegalStateException first = new IllegalStateException("first");
    NodeRuntime.run(node -> {
      Promise<Object> slow = Promise.create(node, (res, rej) -> node.setTimeout(() -> res.accept("slow"), 2));
      Promise.all(node, List.of(slow, "fast")).thenAccept(out::add);
      Promise<Object> later = Promise.create(node,
          (res, rej) -> node.setTimeout(() -> rej.accept(new IllegalStateException("later")), 2));
      Promise.all(node, List.of(later, Promise.reject(node, first))).catchAccept(e -> out.add(e == first));
      Promise.any(node, List.of(later, Promise.reject(node, first))).catchAccept(e -> {
        List<Throwable> errors = ((AggregateError) e).errors();
        out.add(errors.get(0).getMessage() + "," + errors.get(1).getMessage());
      });
    });
    assertEquals(List.of(true, List.of("slow", "fast"), "later,first"), out);
  }
}
