package io.uv4j.node;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The functions of Node's {@code events} module (lib/events.js's module-level {@code once},
 * {@code setMaxListeners}, {@code addAbortListener}) behind {@link EventEmitter}'s static
 * methods; {@code events.on} is {@link EventIterator}.
 */
final class EventsModule {
  private EventsModule() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static Promise<Object[]> once(NodeRuntime node, EventEmitter emitter, String event, AbortSignal signal) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(emitter, "emitter");
    Objects.requireNonNull(event, "event");
    node.checkThread();
    if (signal != null && signal.aborted()) {
      // A throw in Node's async function: its promise rejects at once.
      return Promise.reject(node, new AbortError(signal.reason()));
    }
    Promise<Object[]> inner = Promise.create(node, (resolve, reject) -> {
      EventEmitter.Listener[] error = new EventEmitter.Listener[1];
      Consumer<AbortSignal.Event>[] abort = new Consumer[1];
      EventEmitter.Listener resolver = args -> {
        if (error[0] != null) {
          emitter.off("error", error[0]);
        }
        if (signal != null) {
          signal.removeEventListener("abort", abort[0]);
        }
        resolve.accept(args);
      };
      // Node's order: the event's listener first, then the 'error' one, then the signal's.
      emitter.once(event, resolver);
      if (!event.equals("error")) {
        error[0] = args -> {
          emitter.off(event, resolver);
          if (signal != null) {
            signal.removeEventListener("abort", abort[0]);
          }
          reject.accept(args.length > 0 && args[0] instanceof Throwable ? (Throwable) args[0]
              : new NodeError("ERR_UNHANDLED_ERROR", "Unhandled error."));
        };
        emitter.once("error", error[0]);
      }
      if (signal != null) {
        abort[0] = e -> {
          emitter.off(event, resolver);
          if (error[0] != null) {
            emitter.off("error", error[0]);
          }
          reject.accept(new AbortError(signal.reason()));
        };
        signal.addEventListener("abort", abort[0], true);
      }
    });
    // Node's events.once is an async function returning that promise: the async function's own
    // promise adopts it, two microtask turns after it settles (reactions see that delay).
    return Promise.create(node, (resolve, reject) -> ((Consumer) resolve).accept(inner));
  }

  static void setMaxListeners(int n, Object... targets) {
    if (n < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"setMaxListeners\" is out of range. It must be >= 0. Received " + n);
    }
    if (targets == null || targets.length == 0) {
      throw new IllegalArgumentException("events.setMaxListeners without targets (the process-wide default) "
          + "is not supported");
    }
    for (Object t : targets) {
      Objects.requireNonNull(t, "target"); // Node: a TypeError reading null's setMaxListeners
      if (!(t instanceof EventEmitter) && !(t instanceof AbortSignal)) {
        throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"eventTargets\" argument must be an instance of "
            + "EventEmitter or EventTarget. Received an instance of " + t.getClass().getSimpleName());
      }
    }
    for (Object t : targets) {
      if (t instanceof EventEmitter) {
        ((EventEmitter) t).setMaxListeners(n);
      } else {
        AbortSignal s = (AbortSignal) t;
        s.rt.checkThread();
        s.setMaxListeners(n);
      }
    }
  }

  static EventEmitter.AutoCloseableListener addAbortListener(AbortSignal signal, Consumer<AbortSignal.Event> listener) {
    if (signal == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE",
          "The \"signal\" argument must be an instance of AbortSignal. Received undefined");
    }
    if (listener == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"listener\" argument must be of type function. Received null");
    }
    signal.rt.checkThread();
    if (signal.aborted()) {
      signal.rt.queueMicrotask(() -> listener.accept(null));
      return () -> { };
    }
    signal.addEventListener("abort", listener, true);
    return () -> signal.removeEventListener("abort", listener);
  }

  static List<Object> getEventListeners(AbortSignal signal, String type) {
    Objects.requireNonNull(signal, "signal");
    signal.rt.checkThread();
    return signal.listeners(Objects.requireNonNull(type, "type"));
  }

  static int getMaxListeners(AbortSignal signal) {
    Objects.requireNonNull(signal, "signal");
    signal.rt.checkThread();
    return signal.getMaxListeners();
  }

  static int listenerCount(AbortSignal signal, String type) {
    Objects.requireNonNull(signal, "signal");
    signal.rt.checkThread();
    return signal.listenerCount(Objects.requireNonNull(type, "type"));
  }

  /** Node's _addListener warning: process.emitWarning on a later tick, the target shown as [ClassName]. */
  static void warnMaxListeners(EventEmitter ee, String event, int count, int max) {
    // Node: process.emitWarning (so 'warning' listeners get it on a later tick), the target
    // shown as util.inspect(target, { depth: -1 }) prints it: [ClassName].
    String message = "Possible EventEmitter memory leak detected. " + count + " " + event
        + " listeners added to [" + ee.getClass().getSimpleName() + "]. MaxListeners is " + max
        + ". Use emitter.setMaxListeners() to increase limit";
    NodeRuntime rt = NodeRuntime.currentOrNull();
    if (rt != null) {
      rt.emitWarning(new NodeWarning("MaxListenersExceededWarning", message, null));
    } else {
      System.err.println("MaxListenersExceededWarning: " + message);
    }
  }
}
