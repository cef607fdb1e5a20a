package io.uv4j.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A JavaScript promise on a {@link NodeRuntime}: reactions run as microtasks, with the
 * specification's job order (so chains interleave with {@code queueMicrotask} and
 * {@code nextTick} exactly as in Node). An unhandled rejection becomes an uncaught exception at
 * the end of the microtask checkpoint, as in Node's default mode.
 *
 * <pre>{@code
 * Promise.resolve(node, 21).then(v -> v * 2).then(v -> { System.out.println(v); return null; });
 * }</pre>
 *
 * Combinators: {@link #all}, {@link #allSettled}, {@link #race} and {@link #any} (rejecting with
 * an {@link AggregateError}), with the specification's algorithms and so V8's turns.
 *
 * <p>Bridges: {@link #fromFuture} (a {@link CompletableFuture} completed on any thread settles the
 * promise on the runtime's thread) and {@link #toCompletableFuture()}.
 *
 * <p>Promises are made and chained on the runtime's thread only (every factory and
 * {@code then} throw {@link IllegalStateException} elsewhere); {@link #await()} and
 * {@link #toCompletableFuture()} serve other threads.
 */
public final class Promise<T> {
  private enum State { PENDING, FULFILLED, REJECTED }

  private final NodeRuntime rt;
  private State state = State.PENDING;
  private T value;
  Throwable reason;
  boolean handled;
  /** Reported to 'unhandledRejection' (Node: promiseInfo.warned). */
  boolean warned;
  /** Node's rejection id, for PromiseRejectionHandledWarning. */
  int uid;
  private List<Runnable> fulfillReactions = new ArrayList<>();
  private List<Runnable> rejectReactions = new ArrayList<>();
  private boolean alreadyResolved;

  private Promise(NodeRuntime rt) {
    this.rt = Objects.requireNonNull(rt, "runtime");
    // Every factory (create, resolve, reject, the combinators) makes its promise here: a promise
    // made off the runtime's thread would touch its queues (an unhandled rejection) unguarded.
    rt.checkThread();
  }

  /** {@code new Promise((resolve, reject) => ...)}: the executor runs now; a throw rejects. */
  public static <T> Promise<T> create(NodeRuntime rt, BiConsumer<Consumer<T>, Consumer<Throwable>> executor) {
    Promise<T> p = new Promise<>(rt);
    try {
      executor.accept(p::resolveOnce, p::rejectOnce);
    } catch (NodeRuntime.NodeExit e) {
      throw e;
    } catch (Throwable t) {
      p.rejectOnce(t);
    }
    return p;
  }

  /**
   * {@code Promise.resolve(value)}. As in JavaScript, a promise of this runtime is returned
   * itself (its reactions take no extra microtask turns); any other value gives a new fulfilled
   * promise.
   */
  @SuppressWarnings("unchecked")
  public static <T> Promise<T> resolve(NodeRuntime rt, T value) {
    if (value instanceof Promise && ((Promise<?>) value).rt == rt) {
      return (Promise<T>) value;
    }
    Promise<T> p = new Promise<>(rt);
    p.resolveOnce(value);
    return p;
  }

  /** {@code Promise.reject(reason)}. */
  public static <T> Promise<T> reject(NodeRuntime rt, Throwable reason) {
    Promise<T> p = new Promise<>(rt);
    p.rejectOnce(reason);
    return p;
  }

  /**
   * A promise settled, on the runtime's thread, when {@code future} completes (on any thread).
   * While the future is pending it keeps the runtime alive, like an I/O request in Node (one
   * libuv async handle, closed when the future completes). A {@link
   * java.util.concurrent.CompletionException} is unwrapped to its cause.
   *
   * @throws NullPointerException if {@code future} is null
   * @throws IllegalStateException off the runtime's thread
   */
  public static <T> Promise<T> fromFuture(NodeRuntime rt, CompletableFuture<T> future) {
    Objects.requireNonNull(future, "future");
    rt.checkThread();
    Promise<T> p = new Promise<>(rt);
    if (future.isDone()) {
      settleFrom(p, future);
      return p;
    }
    io.uv4j.Async[] wake = new io.uv4j.Async[1];
    wake[0] = new io.uv4j.Async(rt.loop(), a -> {
      if (!future.isDone() || a.isClosing()) {
        return;
      }
      a.close();
      rt.makeCallback(() -> settleFrom(p, future));
    });
    future.whenComplete((v, e) -> {
      try {
        wake[0].send();
      } catch (RuntimeException closed) {
        // the runtime ended first: nothing is left to settle
      }
    });
    return p;
  }

  private static <T> void settleFrom(Promise<T> p, CompletableFuture<T> future) {
    T v;
    try {
      v = future.getNow(null);
    } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
      p.rejectOnce(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
      return;
    }
    p.resolveOnce(v);
  }

  /** {@code Promise.resolve(future)} in Java terms: the same as {@link #fromFuture}. */
  public static <T> Promise<T> from(NodeRuntime rt, CompletableFuture<T> future) {
    return fromFuture(rt, future);
  }

  // ===================================================================== combinators

  /**
   * {@code Promise.all(values)}: fulfills with the inputs' values, in input order, once every
   * input fulfilled; rejects with the first rejection (later ones change nothing and are not
   * reported as unhandled). Each input goes through {@link #resolve} and then {@code then}, as in
   * the specification's PerformPromiseAll, so the turns match V8's: a plain value or an
   * already-fulfilled promise settles its slot in the first microtask turn, and the result is
   * resolved inside the reaction job of the last input to fulfill (its own {@code then}
   * reactions run one turn later). No input: the returned promise is already fulfilled with an
   * empty list.
   *
   * <pre>{@code
   * Promise.all(node, List.of(1, Promise.resolve(node, "two"), fsPromises.readFile(path)))
   *     .thenAccept(values -> System.out.println(values.get(0) + " " + values.get(1)));
   * }</pre>
   *
   * Inputs: a {@link Promise} of this runtime is adopted; anything else, null included, is a
   * value (JavaScript's {@code Promise.all([null])} gives {@code [null]}). An exception thrown by
   * the iterable itself (its iterator, {@code hasNext}, {@code next}) rejects the returned
   * promise, as an iterator that throws does in JavaScript. The list is unmodifiable and may hold
   * nulls.
   *
   * @throws NullPointerException if {@code rt} or {@code values} is null (JavaScript would reject
   *     with a TypeError; a null here is a Java mistake)
   * @throws IllegalArgumentException if an input is a promise of another {@link NodeRuntime} (it
   *     settles on another thread and cannot be adopted); the inputs before it already have their
   *     reactions, but the promise this call would have returned is dropped and never reported
   * @throws IllegalStateException off the runtime's thread (as {@link #then})
   */
  public static Promise<List<Object>> all(NodeRuntime rt, Iterable<?> values) {
    Promise<List<Object>> result = start(rt, values);
    List<Object> slots = new ArrayList<>();
    List<Object> view = Collections.unmodifiableList(slots);
    int[] remaining = {1};
    boolean iterated = forEachInput(rt, "all", values, result, (index, next) -> {
      slots.add(null);
      boolean[] alreadyCalled = {false};
      remaining[0]++;
      next.then(v -> {
        if (!alreadyCalled[0]) {
          alreadyCalled[0] = true;
          slots.set(index, v);
          if (--remaining[0] == 0) {
            result.resolveOnce(view);
          }
        }
        return null;
      }, e -> {
        result.rejectOnce(e);
        return null;
      });
    });
    if (iterated && --remaining[0] == 0) {
      result.resolveOnce(view);
    }
    return result;
  }

  /**
   * The outcome of one input of {@link #allSettled}: JavaScript's
   * {@code { status: 'fulfilled', value }} or {@code { status: 'rejected', reason }}.
   *
   * @param status {@code "fulfilled"} or {@code "rejected"}
   * @param value the value when fulfilled (else null)
   * @param reason the reason when rejected (else null)
   */
  public record Settled(String status, Object value, Throwable reason) {
    /** Whether {@link #status()} is {@code "fulfilled"}. */
    public boolean isFulfilled() {
      return "fulfilled".equals(status);
    }
  }

  /**
   * {@code Promise.allSettled(values)}: fulfills, once every input settled, with one {@link
   * Settled} per input in input order; never rejects (except when the iterable itself throws).
   * Same inputs, turns and exceptions as {@link #all}; no input: already fulfilled with an empty
   * list.
   *
   * <pre>{@code
   * Promise.allSettled(node, List.of(Promise.resolve(node, 1), Promise.reject(node, new RuntimeException("no"))))
   *     .thenAccept(all -> all.forEach(s -> System.out.println(s.status() + " " + (s.isFulfilled() ? s.value() : s.reason()))));
   * }</pre>
   *
   * @throws NullPointerException if {@code rt} or {@code values} is null
   * @throws IllegalArgumentException if an input is a promise of another {@link NodeRuntime}
   * @throws IllegalStateException off the runtime's thread
   */
  public static Promise<List<Settled>> allSettled(NodeRuntime rt, Iterable<?> values) {
    Promise<List<Settled>> result = start(rt, values);
    List<Settled> slots = new ArrayList<>();
    List<Settled> view = Collections.unmodifiableList(slots);
    int[] remaining = {1};
    boolean iterated = forEachInput(rt, "allSettled", values, result, (index, next) -> {
      slots.add(null);
      boolean[] alreadyCalled = {false};
      remaining[0]++;
      Consumer<Settled> settle = s -> {
        if (!alreadyCalled[0]) {
          alreadyCalled[0] = true;
          slots.set(index, s);
          if (--remaining[0] == 0) {
            result.resolveOnce(view);
          }
        }
      };
      next.then(v -> {
        settle.accept(new Settled("fulfilled", v, null));
        return null;
      }, e -> {
        settle.accept(new Settled("rejected", null, e));
        return null;
      });
    });
    if (iterated && --remaining[0] == 0) {
      result.resolveOnce(view);
    }
    return result;
  }

  /**
   * {@code Promise.race(values)}: settles as the first input to settle does. Inputs are taken as
   * in {@link #all}, so a plain value and an already-settled promise both win in the first
   * microtask turn, in input order; a pending promise only when it settles. No input: the
   * returned promise stays pending forever (it keeps nothing alive).
   *
   * <pre>{@code
   * Promise.race(node, List.of(slowPromise, Promise.create(node, (res, rej) -> node.setTimeout(() -> res.accept("timeout"), 100))))
   *     .thenAccept(winner -> System.out.println(winner));
   * }</pre>
   *
   * @throws NullPointerException if {@code rt} or {@code values} is null
   * @throws IllegalArgumentException if an input is a promise of another {@link NodeRuntime}
   * @throws IllegalStateException off the runtime's thread
   */
  public static Promise<Object> race(NodeRuntime rt, Iterable<?> values) {
    Promise<Object> result = start(rt, values);
    forEachInput(rt, "race", values, result, (index, next) -> next.then(v -> {
      result.resolveOnce(v);
      return null;
    }, e -> {
      result.rejectOnce(e);
      return null;
    }));
    return result;
  }

  /**
   * {@code Promise.any(values)}: fulfills as the first input to fulfill does; when every input
   * rejected, rejects with an {@link AggregateError} whose {@link AggregateError#errors() errors}
   * are the reasons in input order (not in the order they came) and whose message is
   * {@code "All promises were rejected"}, from the reaction job of the last rejection. No input:
   * the returned promise is already rejected with an AggregateError without errors (unhandled
   * unless a handler is added in the same tick, as in Node). Inputs, turns and exceptions as
   * in {@link #all}.
   *
   * <pre>{@code
   * Promise.any(node, List.of(Promise.reject(node, new RuntimeException("mirror 1 down")), fetchFromMirror2()))
   *     .then(v -> v, e -> ((AggregateError) e).errors());
   * }</pre>
   *
   * @throws NullPointerException if {@code rt} or {@code values} is null
   * @throws IllegalArgumentException if an input is a promise of another {@link NodeRuntime}
   * @throws IllegalStateException off the runtime's thread
   */
  public static Promise<Object> any(NodeRuntime rt, Iterable<?> values) {
    Promise<Object> result = start(rt, values);
    List<Throwable> errors = new ArrayList<>();
    int[] remaining = {1};
    boolean iterated = forEachInput(rt, "any", values, result, (index, next) -> {
      errors.add(null);
      boolean[] alreadyCalled = {false};
      remaining[0]++;
      next.then(v -> {
        result.resolveOnce(v);
        return null;
      }, e -> {
        if (!alreadyCalled[0]) {
          alreadyCalled[0] = true;
          errors.set(index, e);
          if (--remaining[0] == 0) {
            result.rejectOnce(new AggregateError(errors, AggregateError.ALL_REJECTED));
          }
        }
        return null;
      });
    });
    if (iterated && --remaining[0] == 0) {
      result.rejectOnce(new AggregateError(errors, AggregateError.ALL_REJECTED));
    }
    return result;
  }

  /** The checks every combinator makes first, and its pending result promise. */
  private static <R> Promise<R> start(NodeRuntime rt, Iterable<?> values) {
    Objects.requireNonNull(rt, "runtime");
    Objects.requireNonNull(values, "values");
    rt.checkThread();
    return new Promise<>(rt);
  }

  /** One input of a combinator after {@code Promise.resolve}, with its index. */
  private interface Input {
    void accept(int index, Promise<Object> next);
  }

  /**
   * The loop of the specification's PerformPromiseAll, AllSettled, Race and Any: each value the
   * iterable yields goes through {@link #resolve} and, with its index, to {@code each} (which
   * calls {@code then} on it) before the next one is taken, so an iterator with side effects
   * sees JavaScript's interleaving. Returns whether the iteration completed; an exception from
   * the iterable rejects {@code result} instead (IfAbruptRejectPromise).
   */
  private static boolean forEachInput(NodeRuntime rt, String name, Iterable<?> values, Promise<?> result, Input each) {
    Iterator<?> it;
    try {
      it = values.iterator();
    } catch (NodeRuntime.NodeExit e) {
      throw e;
    } catch (Throwable t) {
      result.rejectOnce(t);
      return false;
    }
    for (int index = 0;; index++) {
      Object next;
      try {
        if (!it.hasNext()) {
          return true;
        }
        next = it.next();
      } catch (NodeRuntime.NodeExit e) {
        throw e;
      } catch (Throwable t) {
        result.rejectOnce(t);
        return false;
      }
      if (next instanceof Promise && ((Promise<?>) next).rt != rt) {
        result.handled = true; // dropped: what the inputs before this one do to it is never reported
        throw new IllegalArgumentException("Promise." + name + ": input " + index
            + " is a promise of another NodeRuntime (only this runtime's promises can be adopted)");
      }
      each.accept(index, Promise.<Object>resolve(rt, next));
    }
  }

  /**
   * A future completed (on the runtime's thread) when this promise settles. Callable from any
   * thread: off the runtime's thread the reaction is registered through {@code loop().execute}.
   * Registering counts as handling the rejection (like a {@code then} in JavaScript).
   */
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> f = new CompletableFuture<>();
    Runnable register = () -> then(v -> {
      f.complete(v);
      return null;
    }, e -> {
      f.completeExceptionally(e);
      return null;
    });
    if (rt.onThread()) {
      register.run();
    } else {
      rt.loop().execute(register);
    }
    return f;
  }

  /**
   * {@code await promise} for a thread that is not the runtime's: blocks until the promise
   * settles and returns its value, or throws its reason (unchecked as is; checked ones wrapped in
   * {@link java.util.concurrent.CompletionException}).
   *
   * @throws IllegalStateException on the runtime's own thread, where waiting would stop the
   *     loop that has to settle the promise (a deadlock); use {@link #then} there
   * @throws java.util.concurrent.CancellationException if the waiting thread is interrupted
   *     (its interrupt flag is set again)
   */
  public T await() {
    if (rt.onThread()) {
      throw new IllegalStateException("Promise.await() on the runtime's own thread would deadlock its loop:"
          + " use then(...) there, or await from another thread");
    }
    try {
      return toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      java.util.concurrent.CancellationException c =
          new java.util.concurrent.CancellationException("interrupted while awaiting " + this);
      c.initCause(e);
      throw c;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new java.util.concurrent.CompletionException(cause);
    }
  }

  /**
   * {@code then(value => { ... })} for a handler that returns nothing (Java's {@code then} takes a
   * {@link Function}; an overload taking a {@link Consumer} would make every one-expression lambda
   * such as {@code v -> log(v)} ambiguous, so this one has its own name, as in
   * {@link CompletableFuture#thenAccept}). The derived promise fulfills with null.
   *
   * @throws NullPointerException if {@code onFulfilled} is null
   */
  public Promise<Void> thenAccept(Consumer<? super T> onFulfilled) {
    Objects.requireNonNull(onFulfilled, "onFulfilled");
    return then(v -> {
      onFulfilled.accept(v);
      return (Void) null;
    });
  }

  /**
   * {@code then(() => { ... })}: the value is ignored, a rejection passes through.
   *
   * @throws NullPointerException if {@code onFulfilled} is null
   */
  public Promise<Void> thenRun(Runnable onFulfilled) {
    Objects.requireNonNull(onFulfilled, "onFulfilled");
    return then(v -> {
      onFulfilled.run();
      return (Void) null;
    });
  }

  /** {@code catch(onRejected)} (Java reserves {@code catch}): the same as {@link #catchError}. */
  public Promise<T> catch_(Function<? super Throwable, ? extends T> onRejected) {
    return catchError(onRejected);
  }

  /**
   * {@code catch(err => { ... })} with a handler that returns nothing: the derived promise
   * fulfills with null after a rejection, with the value otherwise.
   *
   * @throws NullPointerException if {@code onRejected} is null
   */
  public Promise<T> catchAccept(Consumer<? super Throwable> onRejected) {
    Objects.requireNonNull(onRejected, "onRejected");
    return then(v -> v, e -> {
      onRejected.accept(e);
      return null;
    });
  }

  /** {@code finally(onFinally)} (Java reserves {@code finally}): the same as {@link #whenDone}. */
  public Promise<T> finally_(Runnable onFinally) {
    return whenDone(onFinally);
  }

  /** {@code then(onFulfilled)}: a rejection passes through. */
  public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled) {
    return then(onFulfilled, null);
  }

  /**
   * {@code then(onFulfilled, onRejected)}; either may be null (pass-through). For a handler that
   * returns a {@link Promise} to adopt, use {@link #thenCompose} (same jobs as JavaScript, and the
   * right Java type).
   */
  public <R> Promise<R> then(Function<? super T, ? extends R> onFulfilled,
      Function<? super Throwable, ? extends R> onRejected) {
    rt.checkThread();
    Promise<R> derived = new Promise<>(rt);
    Runnable fulfillJob = () -> {
      if (onFulfilled == null) {
        @SuppressWarnings("unchecked")
        R passed = (R) value;
        derived.resolveOnce(passed);
        return;
      }
      R result;
      try {
        result = onFulfilled.apply(value);
      } catch (NodeRuntime.NodeExit e) {
        throw e;
      } catch (Throwable t) {
        derived.rejectOnce(t);
        return;
      }
      derived.resolveOnce(result);
    };
    Runnable rejectJob = () -> {
      if (onRejected == null) {
        derived.rejectOnce(reason);
        return;
      }
      R result;
      try {
        result = onRejected.apply(reason);
      } catch (NodeRuntime.NodeExit e) {
        throw e;
      } catch (Throwable t) {
        derived.rejectOnce(t);
        return;
      }
      derived.resolveOnce(result);
    };
    switch (state) {
      case PENDING:
        fulfillReactions.add(fulfillJob);
        rejectReactions.add(rejectJob);
        break;
      case FULFILLED:
        rt.enqueueMicrotask(fulfillJob);
        break;
      default:
        if (!handled) {
          rt.queues.rejectionHandledLate(this);
        }
        rt.enqueueMicrotask(rejectJob);
        break;
    }
    handled = true;
    return derived;
  }

  /** {@code then} whose handler returns a promise to adopt. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <R> Promise<R> thenCompose(Function<? super T, Promise<R>> onFulfilled) {
    // The derived promise adopts the returned one at run time; only the static type needs help.
    return (Promise<R>) (Promise) then(onFulfilled::apply);
  }

  /** {@code catch(onRejected)}. */
  public Promise<T> catchError(Function<? super Throwable, ? extends T> onRejected) {
    return then(v -> v, onRejected);
  }

  /** {@code finally(onFinally)}, with the specification's steps (and their extra jobs). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Promise<T> whenDone(Runnable onFinally) {
    Objects.requireNonNull(onFinally, "onFinally");
    return (Promise<T>) (Promise) then(v -> {
      onFinally.run();
      return Promise.<Object>resolve(rt, null).then(ignored -> v);
    }, e -> {
      onFinally.run();
      return Promise.<Object>resolve(rt, null).then(ignored -> {
        throw sneaky(e);
      });
    });
  }

  /** Whether it is still pending. */
  public boolean isPending() {
    return state == State.PENDING;
  }

  private void resolveOnce(Object x) {
    if (alreadyResolved) {
      return;
    }
    alreadyResolved = true;
    resolveWith(x);
  }

  private void rejectOnce(Throwable r) {
    if (alreadyResolved) {
      return;
    }
    alreadyResolved = true;
    reject(r);
  }

  /** The specification's promise resolve functions. */
  private void resolveWith(Object x) {
    if (x == this) {
      reject(new IllegalStateException("TypeError: Chaining cycle detected for promise"));
      return;
    }
    if (x instanceof Promise) {
      Promise<?> thenable = (Promise<?>) x;
      // NewPromiseResolveThenableJob: one job to call then, whose reaction is another.
      rt.enqueueMicrotask(() -> {
        boolean[] called = {false};
        thenable.then(v -> {
          if (!called[0]) {
            called[0] = true;
            resolveWith(v);
          }
          return null;
        }, e -> {
          if (!called[0]) {
            called[0] = true;
            reject(e);
          }
          return null;
        });
      });
      return;
    }
    @SuppressWarnings("unchecked")
    T v = (T) x;
    fulfill(v);
  }

  private void fulfill(T v) {
    value = v;
    state = State.FULFILLED;
    List<Runnable> reactions = fulfillReactions;
    fulfillReactions = rejectReactions = null;
    for (Runnable r : reactions) {
      rt.enqueueMicrotask(r);
    }
  }

  private void reject(Throwable r) {
    reason = r;
    state = State.REJECTED;
    List<Runnable> reactions = rejectReactions;
    fulfillReactions = rejectReactions = null;
    if (!handled) {
      uid = ++rt.queues.lastPromiseId;
      rt.queues.pendingUnhandledRejections.add(this);
    }
    for (Runnable job : reactions) {
      rt.enqueueMicrotask(job);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  @Override
  public String toString() {
    return "Promise { " + (state == State.PENDING ? "<pending>" : state == State.FULFILLED ? value : "<rejected> " + reason) + " }";
  }
}
