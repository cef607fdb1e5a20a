package io.uv4j.node;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * What {@link TimersPromises#setInterval} returns: Node's {@code timers/promises.setInterval}, an
 * async generator, as an iterator of promises. {@link #next()} gives a promise of the next
 * {@link Result}: the value, once per interval tick (ticks not yet consumed are counted and given
 * at once by the next calls); {@link #return_} ends it (Node's {@code break} out of
 * {@code for await}), clearing the interval. With an {@link AbortSignal}, aborting clears the
 * interval and makes the pending or next {@code next()} reject with an {@link AbortError} (after
 * the ticks already counted).
 *
 * <p>The interval starts at the first {@code next()} (a generator's body runs then), and every
 * step takes the microtask turns of V8's async generators (a {@code yield} awaits its value, a
 * {@code return} awaits its argument), so reactions interleave with other promise jobs as in Node.
 *
 * <pre>{@code
 * IntervalIterator<String> it = TimersPromises.setInterval(node, 100, "tick");
 * it.next().thenAccept(r -> {
 *   System.out.println(r.value());   // tick, 100 ms later
 *   it.return_(null);                // clears the interval
 * });
 * }</pre>
 *
 * @param <T> the value type
 */
public final class IntervalIterator<T> {
  /**
   * One step's result: {@code { value, done }}; after the end {@code value} is the argument of
   * {@link #return_} (null for JavaScript's undefined).
   *
   * @param value the value yielded
   * @param done whether the iterator has ended
   * @param <T> the value type
   */
  public record Result<T>(T value, boolean done) {}

  private enum State { START, RUNNING, AWAITING, YIELD, AWAITING_RETURN, DONE }

  private static final class Request<T> {
    final boolean isReturn;
    final T value;
    Consumer<Result<T>> resolve;
    Consumer<Throwable> reject;

    Request(boolean isReturn, T value) {
      this.isReturn = isReturn;
      this.value = value;
    }
  }

  private final NodeRuntime node;
  private final double delayMs;
  private final T value;
  private final AbortSignal signal;
  private final boolean ref;
  private final ArrayDeque<Request<T>> queue = new ArrayDeque<>();
  private State state = State.START;
  private Timeout interval;
  private int notYielded;
  /** The resolve function of the promise the body awaits while no tick is pending. */
  private Consumer<Object> callback;
  private Consumer<AbortSignal.Event> onCancel;

  IntervalIterator(NodeRuntime node, double delayMs, T value, AbortSignal signal, boolean ref) {
    this.node = node;
    this.delayMs = delayMs;
    this.value = value;
    this.signal = signal;
    this.ref = ref;
  }

  /**
   * {@code iterator.next()}: a promise of the next value.
   *
   * @throws IllegalStateException off the runtime's thread
   */
  public Promise<Result<T>> next() {
    return enqueue(false, null);
  }

  /**
   * {@code iterator.return(value)}: ends the iterator (clearing its interval once the queued
   * steps before it are done); the promise fulfills with {@code { value, done: true }}.
   *
   * @throws IllegalStateException off the runtime's thread
   */
  public Promise<Result<T>> return_(T value) {
    return enqueue(true, value);
  }

  private Promise<Result<T>> enqueue(boolean isReturn, T v) {
    node.checkThread();
    Request<T> r = new Request<>(isReturn, v);
    Promise<Result<T>> p = Promise.create(node, (resolve, reject) -> {
      r.resolve = resolve;
      r.reject = reject;
    });
    queue.add(r);
    if (state == State.START || state == State.YIELD || state == State.DONE) {
      resumeNext();
    }
    return p;
  }

  /** The specification's AsyncGeneratorResumeNext / DrainQueue for this body. */
  private void resumeNext() {
    while (!queue.isEmpty()) {
      if (state == State.RUNNING || state == State.AWAITING || state == State.AWAITING_RETURN) {
        return;
      }
      Request<T> r = queue.peek();
      if (state == State.START && r.isReturn) {
        state = State.DONE; // never started: no interval
      }
      if (state == State.DONE) {
        if (r.isReturn) {
          // AsyncGeneratorAwaitReturn: one turn.
          state = State.AWAITING_RETURN;
          Promise.resolve(node, (Object) r.value).then(v -> {
            state = State.DONE;
            complete(new Result<>(r.value, true), null);
            resumeNext();
            return null;
          });
          return;
        }
        complete(new Result<>(null, true), null);
        continue;
      }
      if (state == State.START) {
        state = State.RUNNING;
        start();
        return;
      }
      resumeAtYield(r);
      return;
    }
  }

  /** The body from its first line to its first suspension. */
  private void start() {
    if (signal != null && signal.aborted()) {
      // Thrown before the try block: no finally.
      state = State.DONE;
      complete(null, new AbortError(signal.reason()));
      resumeNext();
      return;
    }
    interval = node.setInterval(() -> {
      notYielded++;
      if (callback != null) {
        Consumer<Object> c = callback;
        callback = null;
        c.accept(null);
      }
    }, delayMs);
    if (!ref) {
      interval.unref();
    }
    if (signal != null) {
      onCancel = e -> {
        node.clearInterval(interval);
        if (callback != null) {
          Consumer<Object> c = callback;
          callback = null;
          c.accept(Promise.reject(node, new AbortError(signal.reason())));
        }
      };
      signal.addEventListener("abort", onCancel, true);
    }
    loopTop();
  }

  /** {@code while (!signal?.aborted) { if (notYielded === 0) await ...; for (...) yield value; }} */
  private void loopTop() {
    if (signal != null && signal.aborted()) {
      finish(null, new AbortError(signal.reason()));
      return;
    }
    if (notYielded == 0) {
      state = State.AWAITING;
      @SuppressWarnings("unchecked")
      Promise<Object> wait = Promise.create(node, (resolve, reject) -> callback = (Consumer<Object>) resolve);
      wait.then(v -> {
        state = State.RUNNING;
        yieldPending();
        return null;
      }, e -> {
        state = State.RUNNING;
        finish(null, e);
        return null;
      });
      return;
    }
    yieldPending();
  }

  /** {@code for (; notYielded > 0; notYielded--) yield value;} from its test. */
  private void yieldPending() {
    if (notYielded <= 0) {
      loopTop();
      return;
    }
    // yield in an async generator awaits its operand first.
    Promise.resolve(node, (Object) value).then(v -> {
      @SuppressWarnings("unchecked")
      T yielded = (T) v;
      complete(new Result<>(yielded, false), null);
      if (queue.isEmpty()) {
        state = State.YIELD;
      } else {
        resumeAtYield(queue.peek());
      }
      return null;
    }, e -> {
      finish(null, e);
      return null;
    });
  }

  /** Resumes the body suspended at its yield with the front request. */
  private void resumeAtYield(Request<T> r) {
    state = State.RUNNING;
    if (r.isReturn) {
      // A return completion at a yield awaits its value, then runs the finally block.
      Promise.resolve(node, (Object) r.value).then(v -> {
        finish(new Result<>(r.value, true), null);
        return null;
      });
      return;
    }
    notYielded--;
    yieldPending();
  }

  /** The finally block (clear the interval, remove the abort listener), then the body's end. */
  private void finish(Result<T> result, Throwable error) {
    node.clearInterval(interval);
    if (signal != null && onCancel != null) {
      signal.removeEventListener("abort", onCancel);
    }
    state = State.DONE;
    complete(result, error);
    resumeNext();
  }

  /** AsyncGeneratorCompleteStep: settles the front request's promise. */
  private void complete(Result<T> result, Throwable error) {
    Request<T> r = queue.poll();
    if (r == null) {
      return;
    }
    if (error != null) {
      r.reject.accept(error);
    } else {
      r.resolve.accept(result);
    }
  }
}
