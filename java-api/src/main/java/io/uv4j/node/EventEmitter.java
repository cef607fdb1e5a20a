package io.uv4j.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code EventEmitter} ({@code require('events')}): named events, listeners called
 * synchronously in registration order with the arguments given to {@link #emit}.
 *
 * <p>As in Node: {@code emit} calls the listeners registered when it starts (one added during an
 * emit waits for the next one; one removed during it is still called this time); a {@code once}
 * listener is removed just before it runs; {@link #off} removes the most recently added
 * registration of a listener; {@code 'newListener'} is emitted before a listener is added and
 * {@code 'removeListener'} after one is removed; emitting {@code 'error'} with no listener throws
 * the error (a {@link Throwable} argument itself, anything else wrapped in an
 * {@code ERR_UNHANDLED_ERROR} {@link NodeError}). An exception thrown by a listener goes out of
 * {@code emit} to its caller.
 *
 * <pre>{@code
 * EventEmitter e = new EventEmitter();
 * e.on("greet", args -> System.out.println("hello " + args[0]));
 * e.once("greet", () -> System.out.println("only once"));
 * e.emit("greet", "world");   // hello world, only once
 * }</pre>
 *
 * <p>A listener is either a {@link Listener} (gets the arguments) or a {@link Runnable} (ignores
 * them); {@link #off} takes the same object that was registered.
 */
public class EventEmitter {
  /**
   * Node's {@code events.errorMonitor}: listeners of this event see every {@code 'error'} emitted,
   * before the {@code 'error'} listeners, and do not count as handling it (with no
   * {@code 'error'} listener, {@code emit} still throws after them). Node's is a symbol; here a
   * string spelt as that symbol prints, {@code "Symbol(events.errorMonitor)"}, so
   * {@link #eventNames()} lists it as Node shows it.
   */
  public static final String ERROR_MONITOR = "Symbol(events.errorMonitor)";

  /** Node's default for {@link #setMaxListeners}: more listeners than this print a warning. */
  public static final int DEFAULT_MAX_LISTENERS = 10;

  /** A listener receiving the event's arguments. */
  @FunctionalInterface
  public interface Listener {
    void call(Object... args);
  }

  /**
   * What {@link #rawListeners} gives for a {@code once} registration (Node's once-wrapper):
   * {@link #listener()} is the listener given to {@code once}; calling the wrapper removes the
   * registration (if still there) and calls the listener, once.
   *
   * <pre>{@code
   * e.once("x", l);
   * EventEmitter.OnceWrapper w = (EventEmitter.OnceWrapper) e.rawListeners("x").get(0);
   * w.call("arg");   // removes it from "x", then calls l
   * }</pre>
   */
  public static final class OnceWrapper implements Listener {
    private final EventEmitter target;
    private final String event;
    private final Entry entry;

    private OnceWrapper(EventEmitter target, String event, Entry entry) {
      this.target = target;
      this.event = event;
      this.entry = entry;
    }

    /** Node's {@code wrapper.listener}: the listener given to {@code once}. */
    public Object listener() {
      return entry.original;
    }

    /** Calls it as {@code emit} would: the first call removes it and runs the listener. */
    @Override
    public void call(Object... args) {
      if (entry.fired) {
        return;
      }
      target.off(event, entry.original, entry);
      entry.fired = true;
      entry.fn.call(args);
    }
  }

  /** One registration: what the user gave (for off/listeners) and how to call it. */
  private static final class Entry {
    final Object original;
    final Listener fn;
    final boolean once;
    boolean fired;
    OnceWrapper wrapper;

    OnceWrapper wrapper(EventEmitter target, String event) {
      if (wrapper == null) {
        wrapper = new OnceWrapper(target, event, this);
      }
      return wrapper;
    }

    Entry(Object original, Listener fn, boolean once) {
      this.original = original;
      this.fn = fn;
      this.once = once;
    }
  }

  /**
   * A listener that returns a promise (an async function's): with {@code captureRejections}, a
   * rejection of the promise it returns goes to the emitter (see {@link #onAsync}).
   */
  @FunctionalInterface
  public interface AsyncListener {
    /** Called with the event's arguments; returns a promise or null. */
    Promise<?> call(Object... args);
  }

  /**
   * Node's {@code emitter[Symbol.for('nodejs.rejection')]}: where a captured rejection goes
   * instead of {@code 'error'} ({@link #setRejectionHandler}).
   */
  @FunctionalInterface
  public interface RejectionHandler {
    /** {@code (err, event, ...args)}: the reason, and the event and arguments of the emit. */
    void onRejection(Throwable err, String event, Object... args);
  }

  private static volatile boolean captureRejectionsDefault;
  boolean captureRejections = captureRejectionsDefault;
  private RejectionHandler rejectionHandler;

  /** {@code new EventEmitter()}: {@code captureRejections} from {@link #getCaptureRejectionsDefault()}. */
  public EventEmitter() {
  }

  /**
   * {@code new EventEmitter({captureRejections})}: when true, a promise returned by an
   * {@link #onAsync} listener that rejects makes the emitter emit {@code 'error'} with the reason
   * (or call its {@link #setRejectionHandler rejection handler}) on a later tick, as Node's.
   */
  public EventEmitter(boolean captureRejections) {
    this.captureRejections = captureRejections;
  }

  /**
   * {@code EventEmitter.captureRejections = value}: the {@code captureRejections} of emitters
   * made afterwards without the option (process-wide; false by default, as in Node).
   */
  public static void setCaptureRejectionsDefault(boolean value) {
    captureRejectionsDefault = value;
  }

  /** {@code EventEmitter.captureRejections}. */
  public static boolean getCaptureRejectionsDefault() {
    return captureRejectionsDefault;
  }

  /**
   * {@code emitter[Symbol.for('nodejs.rejection')] = handler}: with {@code captureRejections},
   * rejections go to {@code handler} instead of {@code 'error'} (null: back to {@code 'error'}).
   */
  public EventEmitter setRejectionHandler(RejectionHandler handler) {
    this.rejectionHandler = handler;
    return this;
  }

  RejectionHandler rejectionHandler() {
    return rejectionHandler;
  }

  /**
   * {@code on(event, async (...args) => ...)}: a listener returning a promise (null is allowed).
   * With {@code captureRejections}, its rejection is routed to {@code 'error'} or the rejection
   * handler (Node's addCatch: a {@code then} reaction, then a tick); without, it is an ordinary
   * unhandled rejection. {@link #off} takes {@code listener}.
   */
  public EventEmitter onAsync(String event, AsyncListener listener) {
    Objects.requireNonNull(listener, "listener");
    return addTyped(event, listener, args -> CaptureRejections.call(this, event, listener, args));
  }

  /** {@code once(event, async (...args) => ...)}: see {@link #onAsync}. */
  public EventEmitter onceAsync(String event, AsyncListener listener) {
    Objects.requireNonNull(listener, "listener");
    return add(event, listener, args -> CaptureRejections.call(this, event, listener, args), true, false);
  }

  // Insertion-ordered like a JS object's keys, so eventNames() matches Node's order.
  private final Map<String, List<Entry>> events = new LinkedHashMap<>();
  private int maxListeners = DEFAULT_MAX_LISTENERS;
  private List<String> warned;

  // ------------------------------------------------------------------ adding

  /** {@code on(event, listener)} (alias addListener). */
  public EventEmitter on(String event, Listener listener) {
    return add(event, listener, adapt(listener), false, false);
  }

  /** {@code on(event, listener)} for a listener that takes no arguments. */
  public EventEmitter on(String event, Runnable listener) {
    return add(event, listener, adapt(listener), false, false);
  }

  /** {@code once(event, listener)}: removed before its first call. */
  public EventEmitter once(String event, Listener listener) {
    return add(event, listener, adapt(listener), true, false);
  }

  public EventEmitter once(String event, Runnable listener) {
    return add(event, listener, adapt(listener), true, false);
  }

  /** {@code prependListener}: called before those already registered. */
  public EventEmitter prependListener(String event, Listener listener) {
    return add(event, listener, adapt(listener), false, true);
  }

  public EventEmitter prependListener(String event, Runnable listener) {
    return add(event, listener, adapt(listener), false, true);
  }

  public EventEmitter prependOnceListener(String event, Listener listener) {
    return add(event, listener, adapt(listener), true, true);
  }

  public EventEmitter prependOnceListener(String event, Runnable listener) {
    return add(event, listener, adapt(listener), true, true);
  }

  /**
   * For the typed event methods of subclasses ({@code onData(Consumer<byte[]>)}, ...): registers
   * {@code fn} under {@code original}, so {@code off(event, original)} removes it.
   */
  EventEmitter addTyped(String event, Object original, Listener fn) {
    Objects.requireNonNull(original, "listener");
    return add(event, original, fn, false, false);
  }

  private static Listener adapt(Listener l) {
    return Objects.requireNonNull(l, "listener");
  }

  private static Listener adapt(Runnable r) {
    Objects.requireNonNull(r, "listener");
    return args -> r.run();
  }

  private EventEmitter add(String event, Object original, Listener fn, boolean once, boolean prepend) {
    Objects.requireNonNull(event, "event");
    // Node emits newListener before adding, so a newListener listener for the same event
    // does not see itself.
    if (events.containsKey("newListener")) {
      emit("newListener", event, original);
    }
    List<Entry> list = events.computeIfAbsent(event, k -> new ArrayList<>());
    Entry e = new Entry(original, fn, once);
    if (prepend) {
      list.add(0, e);
    } else {
      list.add(e);
    }
    if (maxListeners > 0 && list.size() > maxListeners && (warned == null || !warned.contains(event))) {
      if (warned == null) {
        warned = new ArrayList<>();
      }
      warned.add(event);
      EventsModule.warnMaxListeners(this, event, list.size(), maxListeners);
    }
    if (!prepend) {
      listenerAdded(event); // Node's Readable.on override; prependListener bypasses it
    }
    return this;
  }

  /** Hook for subclasses, after on/once (streams start flowing when a 'data' listener comes). */
  void listenerAdded(String event) {}

  /** Hook for subclasses, after a listener of {@code event} was removed. */
  void listenerRemoved(String event) {}

  // ------------------------------------------------------------------ removing

  /**
   * {@code off(event, listener)} (alias removeListener): removes the most recent registration of
   * {@code listener} (the object given to on/once); then emits {@code 'removeListener'}.
   */
  public EventEmitter off(String event, Object listener) {
    List<Entry> list = events.get(event);
    if (list == null || listener == null) {
      return this;
    }
    for (int i = list.size() - 1; i >= 0; i--) {
      Entry e = list.get(i);
      if (e.original == listener || (e.wrapper != null && e.wrapper == listener)) {
        boolean single = list.size() == 1;
        list.remove(i);
        if (list.isEmpty()) {
          events.remove(event);
        }
        listenerRemoved(event);
        if (events.containsKey("removeListener")) {
          // Node: the listener itself when it was the only one, else the argument given.
          emit("removeListener", event, single ? e.original : listener);
        }
        break;
      }
    }
    return this;
  }

  /** Alias of {@link #off}. */
  public EventEmitter removeListener(String event, Object listener) {
    return off(event, listener);
  }

  /** Removes every listener of {@code event}, most recent first, each with 'removeListener'. */
  public EventEmitter removeAllListeners(String event) {
    List<Entry> list = events.get(event);
    if (list == null) {
      return this;
    }
    if (!events.containsKey("removeListener")) {
      events.remove(event);
      listenerRemoved(event);
      return this;
    }
    List<Entry> copy = new ArrayList<>(list);
    for (int i = copy.size() - 1; i >= 0; i--) {
      off(event, copy.get(i).original);
    }
    return this;
  }

  /** Removes every listener of every event ('removeListener' listeners last). */
  public EventEmitter removeAllListeners() {
    if (!events.containsKey("removeListener")) {
      List<String> names = new ArrayList<>(events.keySet());
      events.clear();
      for (String n : names) {
        listenerRemoved(n);
      }
      return this;
    }
    for (String name : new ArrayList<>(events.keySet())) {
      if (!name.equals("removeListener")) {
        removeAllListeners(name);
      }
    }
    removeAllListeners("removeListener");
    return this;
  }

  // ------------------------------------------------------------------ emitting

  /**
   * {@code emit(event, ...args)}: calls the listeners registered now, in order, synchronously.
   * Returns whether there were any. {@code 'error'} without listeners throws.
   */
  public boolean emit(String event, Object... args) {
    if ("error".equals(event) && events.containsKey(ERROR_MONITOR)) { // null: Node's emit(undefined), no listeners
      emit(ERROR_MONITOR, args);
    }
    List<Entry> list = events.get(event);
    if (list == null || list.isEmpty()) {
      if ("error".equals(event)) {
        Object er = args.length > 0 ? args[0] : null;
        if (er instanceof Throwable) {
          throw NodeError.sneaky((Throwable) er);
        }
        // Node: new ERR_UNHANDLED_ERROR(inspect(er)); inspect(undefined) is the string 'undefined'
        String shown = args.length == 0 ? "undefined" : er instanceof String ? "'" + er + "'" : String.valueOf(er);
        throw new NodeError("ERR_UNHANDLED_ERROR", "Unhandled error. (" + shown + ")");
      }
      return false;
    }
    Entry[] snapshot = list.toArray(new Entry[0]);
    for (Entry e : snapshot) {
      if (e.once) {
        if (e.fired) {
          continue;
        }
        e.fired = true;
        off(event, e.original, e);
      }
      e.fn.call(args);
    }
    return true;
  }

  /** Removes exactly {@code entry} (a firing once-listener), with 'removeListener'. */
  private void off(String event, Object original, Entry entry) {
    List<Entry> list = events.get(event);
    boolean single = list != null && list.size() == 1;
    if (list == null || !list.remove(entry)) {
      return;
    }
    if (list.isEmpty()) {
      events.remove(event);
    }
    listenerRemoved(event);
    if (events.containsKey("removeListener")) {
      // Node's once-wrapper calls removeListener(type, wrapper): 'removeListener' gets the
      // listener when it was alone, else the wrapper (whose listener() is the listener).
      emit("removeListener", event, single ? original : entry.wrapper(this, event));
    }
  }

  // ------------------------------------------------------------------ queries

  /** {@code emitter.listenerCount(event)}: how many listeners {@code event} has. */
  public int listenerCount(String event) {
    List<Entry> list = events.get(event);
    return list == null ? 0 : list.size();
  }

  /** The listeners of {@code event} as registered (once-listeners unwrapped), in call order. */
  public List<Object> listeners(String event) {
    List<Entry> list = events.get(event);
    if (list == null) {
      return Collections.emptyList();
    }
    List<Object> out = new ArrayList<>(list.size());
    for (Entry e : list) {
      out.add(e.original);
    }
    return out;
  }

  /**
   * {@code rawListeners(event)}: as {@link #listeners}, but a {@code once} registration appears
   * as its {@link OnceWrapper} (the same object each time), whose {@code listener()} is the
   * listener.
   */
  public List<Object> rawListeners(String event) {
    List<Entry> list = events.get(event);
    if (list == null) {
      return Collections.emptyList();
    }
    List<Object> out = new ArrayList<>(list.size());
    for (Entry e : list) {
      if (e.once) {
        out.add(e.wrapper(this, event));
      } else {
        out.add(e.original);
      }
    }
    return out;
  }

  /**
   * The events that have listeners, in the order they were first added; {@link #ERROR_MONITOR}
   * last, as Node lists symbols after strings.
   */
  public List<String> eventNames() {
    List<String> names = new ArrayList<>(events.keySet());
    if (names.remove(ERROR_MONITOR)) {
      names.add(ERROR_MONITOR);
    }
    return names;
  }

  /**
   * More listeners than this for one event print a warning once (0: no limit).
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a negative {@code n}, with Node's message
   */
  public EventEmitter setMaxListeners(int n) {
    if (n < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"setMaxListeners\" is out of range. It must be >= 0. Received " + n);
    }
    maxListeners = n;
    return this;
  }

  /** {@code emitter.getMaxListeners()}. */
  public int getMaxListeners() {
    return maxListeners;
  }

  // ------------------------------------------------------------------ static helpers

  /**
   * {@code events.once(emitter, name)}: a promise fulfilled with the arguments of the next
   * {@code event}, or rejected by an {@code 'error'} emitted first.
   */
  public static Promise<Object[]> once(NodeRuntime node, EventEmitter emitter, String event) {
    return once(node, emitter, event, null);
  }

  /**
   * {@code events.once(emitter, name, { signal })}: as {@link #once(NodeRuntime, EventEmitter,
   * String)}; aborting {@code signal} first removes the listeners and rejects with an
   * {@link AbortError} (its reason the signal's); a signal already aborted gives a promise
   * already rejected, registering nothing.
   *
   * @param signal null for none
   * @throws NullPointerException if {@code node}, {@code emitter} or {@code event} is null
   */
  public static Promise<Object[]> once(NodeRuntime node, EventEmitter emitter, String event, AbortSignal signal) {
    return EventsModule.once(node, emitter, event, signal);
  }

  /**
   * {@code events.on(emitter, event)}: an async iterator over the emissions (see
   * {@link EventIterator}).
   *
   * @throws NullPointerException if an argument is null
   */
  public static EventIterator on(NodeRuntime node, EventEmitter emitter, String event) {
    return EventIterator.start(node, emitter, event, EventIterator.Options.DEFAULT);
  }

  /**
   * {@code events.on(emitter, event, {signal, close, highWaterMark, lowWaterMark})}: see
   * {@link EventIterator} and {@link EventIterator.Options}.
   *
   * @throws AbortError if the signal is already aborted (thrown, as Node's)
   * @throws NullPointerException if an argument is null
   */
  public static EventIterator on(NodeRuntime node, EventEmitter emitter, String event, EventIterator.Options options) {
    return EventIterator.start(node, emitter, event, options);
  }

  /**
   * {@code events.on(emitter, event, {signal})}: see {@link EventIterator}; aborting
   * {@code signal} rejects the waiting (or next) {@code next()} with an {@link AbortError} and
   * ends the iteration.
   *
   * @param signal null for none
   * @throws AbortError if {@code signal} is already aborted (thrown, as Node's)
   * @throws NullPointerException if {@code node}, {@code emitter} or {@code event} is null
   */
  public static EventIterator on(NodeRuntime node, EventEmitter emitter, String event, AbortSignal signal) {
    return EventIterator.start(node, emitter, event, EventIterator.Options.DEFAULT.withSignal(signal));
  }

  /** {@code EventEmitter.listenerCount(emitter, event)} (Node's deprecated static form). */
  public static int listenerCount(EventEmitter emitter, String event) {
    return Objects.requireNonNull(emitter, "emitter").listenerCount(event);
  }

  /** {@code events.getEventListeners(emitter, name)}: the same as {@link #listeners}. */
  public static List<Object> getEventListeners(EventEmitter emitter, String event) {
    return Objects.requireNonNull(emitter, "emitter").listeners(event);
  }

  /**
   * {@code events.getEventListeners(signal, type)}: the listeners registered on an
   * {@link AbortSignal}, in order (the {@code onabort} slot as its current handler).
   */
  public static List<Object> getEventListeners(AbortSignal signal, String type) {
    return EventsModule.getEventListeners(signal, type);
  }

  /**
   * {@code events.setMaxListeners(n, ...eventTargets)}: the limit of each target, an
   * {@link EventEmitter} or an {@link AbortSignal} (whose warning is re-armed). Node with no
   * target changes the process-wide default; uv4j has none, so targets are required.
   *
   * @throws NodeError ERR_OUT_OF_RANGE for a negative {@code n}; ERR_INVALID_ARG_TYPE for a target
   *     of another type, with Node's messages
   * @throws NullPointerException for a null target
   * @throws IllegalArgumentException without targets
   */
  public static void setMaxListeners(int n, Object... targets) {
    EventsModule.setMaxListeners(n, targets);
  }

  /** {@code events.getMaxListeners(signal)}: its limit (10 unless set). */
  public static int getMaxListeners(AbortSignal signal) {
    return EventsModule.getMaxListeners(signal);
  }

  /**
   * {@code events.addAbortListener(signal, listener)}: {@code listener} once on abort (with the
   * event; Node's stopImmediatePropagation cannot skip it), or on a microtask (with null: Node's
   * undefined) if {@code signal} is already aborted. Closing the result (Node's
   * {@code [Symbol.dispose]()}) removes the listener.
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE for a null signal or listener, with Node's messages
   */
  public static AutoCloseableListener addAbortListener(AbortSignal signal, Consumer<AbortSignal.Event> listener) {
    return EventsModule.addAbortListener(signal, listener);
  }

  /**
   * What {@link #addAbortListener} returns: Node's disposable; {@link #close()} removes the
   * listener and throws nothing.
   */
  @FunctionalInterface
  public interface AutoCloseableListener extends AutoCloseable {
    /** Removes the listener (Node's {@code [Symbol.dispose]()}); nothing if it ran or was removed. */
    @Override
    void close();
  }

  /** {@code events.listenerCount} for an {@link AbortSignal} (Node's {@code listenerCount} of a target). */
  public static int listenerCount(AbortSignal signal, String type) {
    return EventsModule.listenerCount(signal, type);
  }
}
