package io.uv4j.node;

import java.util.ArrayList;
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
 * Bridges: {@link #fromFuture} (a {@link CompletableFuture} completed on any thread settles the
 * promise on the runtime's thread) and {@link #toCompletableFuture()}.
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
