package io.uv4j.node;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code timers/promises}: {@link #setTimeout} and {@link #setImmediate} returning a
 * {@link Promise} fulfilled with the given value when the timer fires, in the same phases and
 * order as the callback forms. With an {@link AbortSignal}, aborting clears the timer and rejects
 * the promise with an {@link AbortError} (code {@code ABORT_ERR}, its reason the signal's); a
 * signal already aborted gives a promise already rejected. {@code ref = false} makes the timer
 * not keep the runtime alive. {@link #setInterval} gives an {@link IntervalIterator}, Node's
 * async iterator as an iterator of promises.
 *
 * <pre>{@code
 * TimersPromises.setTimeout(node, 100, "done").thenAccept(System.out::println);
 * AbortController ac = new AbortController(node);
 * TimersPromises.setImmediate(node, "x", ac.signal(), true).catchAccept(e -> System.out.println(e));
 * ac.abort();   // AbortError: The operation was aborted
 * }</pre>
 */
public final class TimersPromises {
  private TimersPromises() {}

  /** {@code setTimeout(delay, value)}. */
  public static <T> Promise<T> setTimeout(NodeRuntime node, double delayMs, T value) {
    return setTimeout(node, delayMs, value, null, true);
  }

  /**
   * {@code setTimeout(delay, value, { signal, ref })}. The delay is coerced as by
   * {@link NodeRuntime#setTimeout} (below 1 or above 2^31 - 1: 1 ms). Like Node, with a signal
   * the promise returned is the timer's promise passed through {@code finally} (which removes the
   * abort listener), so its reactions run a few microtask turns later than without one.
   *
   * @param signal null for none
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off the runtime's thread
   */
  public static <T> Promise<T> setTimeout(NodeRuntime node, double delayMs, T value, AbortSignal signal, boolean ref) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    if (signal != null && signal.aborted()) {
      return Promise.reject(node, new AbortError(signal.reason()));
    }
    Consumer<AbortSignal.Event>[] oncancel = cancelSlot();
    Promise<T> ret = Promise.create(node, (resolve, reject) -> {
      Timeout[] t = new Timeout[1];
      t[0] = node.setTimeout(() -> resolve.accept(value), delayMs);
      if (!ref) {
        t[0].unref();
      }
      if (signal != null) {
        oncancel[0] = e -> {
          if (!t[0].destroyed) {
            node.clearTimeout(t[0]);
            reject.accept(new AbortError(signal.reason()));
          }
        };
        signal.addEventListener("abort", oncancel[0]);
      }
    });
    return withCleanup(ret, signal, oncancel[0]);
  }

  /** {@code setImmediate(value)}. */
  public static <T> Promise<T> setImmediate(NodeRuntime node, T value) {
    return setImmediate(node, value, null, true);
  }

  /**
   * {@code setImmediate(value, { signal, ref })}: fulfilled in the check phase, in order with the
   * callback immediates.
   *
   * @param signal null for none
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off the runtime's thread
   */
  public static <T> Promise<T> setImmediate(NodeRuntime node, T value, AbortSignal signal, boolean ref) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    if (signal != null && signal.aborted()) {
      return Promise.reject(node, new AbortError(signal.reason()));
    }
    Consumer<AbortSignal.Event>[] oncancel = cancelSlot();
    Promise<T> ret = Promise.create(node, (resolve, reject) -> {
      Immediate im = node.setImmediate(() -> resolve.accept(value));
      if (!ref) {
        im.unref();
      }
      if (signal != null) {
        oncancel[0] = e -> {
          if (!im.destroyed) {
            node.clearImmediate(im);
            reject.accept(new AbortError(signal.reason()));
          }
        };
        signal.addEventListener("abort", oncancel[0]);
      }
    });
    return withCleanup(ret, signal, oncancel[0]);
  }

  /** {@code setInterval(delay, value)}: see {@link IntervalIterator}. */
  public static <T> IntervalIterator<T> setInterval(NodeRuntime node, double delayMs, T value) {
    return setInterval(node, delayMs, value, null, true);
  }

  /**
   * {@code setInterval(delay, value, { signal, ref })}: an async iterator (here an
   * {@link IntervalIterator} of promises) giving {@code value} once per tick. Nothing starts
   * before the first {@code next()}.
   *
   * @param signal null for none
   * @throws NullPointerException if {@code node} is null
   * @throws IllegalStateException off the runtime's thread
   */
  public static <T> IntervalIterator<T> setInterval(NodeRuntime node, double delayMs, T value, AbortSignal signal,
      boolean ref) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    return new IntervalIterator<>(node, delayMs, value, signal, ref);
  }

  private static <T> Promise<T> withCleanup(Promise<T> ret, AbortSignal signal, Consumer<AbortSignal.Event> oncancel) {
    if (oncancel == null) {
      return ret;
    }
    return ret.finally_(() -> signal.removeEventListener("abort", oncancel));
  }

  @SuppressWarnings("unchecked")
  private static Consumer<AbortSignal.Event>[] cancelSlot() {
    return new Consumer[1];
  }
}
