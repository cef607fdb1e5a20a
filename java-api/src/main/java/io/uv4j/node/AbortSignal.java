package io.uv4j.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Node's {@code AbortSignal} (lib/internal/abort_controller.js): tells whether an operation was
 * cancelled ({@link #aborted()}, {@link #reason()}) and notifies {@code 'abort'} listeners. Get one
 * from an {@link AbortController}, or {@link #abort(NodeRuntime, Object)}, {@link #timeout} and
 * {@link #any}.
 *
 * <p>As in Node, it is an {@code EventTarget}: {@link #addEventListener} ignores a listener
 * already registered for the type; the listeners run synchronously inside
 * {@link AbortController#abort}, in registration order, each with an {@link Event}; the
 * {@link #setOnabort onabort} handler takes the place where it was first set; an exception thrown
 * by a listener does not stop the others and reaches {@code 'uncaughtException'} on the next tick.
 * Listeners added during the dispatch run in it when they end up after a listener still to run
 * (Node walks its linked list).
 *
 * <pre>{@code
 * AbortController ac = new AbortController(node);
 * ac.signal().addEventListener("abort", e -> System.out.println("aborted: " + ac.signal().reason()));
 * ac.abort("enough");   // aborted: enough (synchronously)
 * }</pre>
 *
 * <p>Java's {@code null} stands for JavaScript's {@code undefined}: {@code abort(null)} gives the
 * default reason. Only the thread of the runtime may use a signal (else
 * {@link IllegalStateException}).
 */
public final class AbortSignal {
  /** The event given to listeners: Node's {@code Event} for {@code 'abort'}. */
  public static final class Event {
    private final String type;
    private final AbortSignal target;

    Event(String type, AbortSignal target) {
      this.type = type;
      this.target = target;
    }

    /** {@code event.type}: {@code "abort"}. */
    public String type() {
      return type;
    }

    /** {@code event.target}: the signal. */
    public AbortSignal target() {
      return target;
    }

    /** {@code event.isTrusted}: true, the runtime dispatched it. */
    public boolean isTrusted() {
      return true;
    }
  }

  /** One registration, a node of the per-type linked list Node keeps (Node: Listener). */
  private static class Handler {
    final Object original;
    Consumer<Event> fn;
    final boolean once;
    boolean removed;
    Handler previous;
    Handler next;

    Handler(Handler previous, Object original, Consumer<Event> fn, boolean once) {
      this.original = original;
      this.fn = fn;
      this.once = once;
      this.previous = previous;
      if (previous != null) {
        previous.next = this;
      }
    }

    void remove() {
      if (previous != null) {
        previous.next = next;
      }
      if (next != null) {
        next.previous = previous;
      }
      removed = true;
    }
  }

  /** The head of a type's list (Node: the root object with its size). */
  private static final class Root extends Handler {
    int size;

    Root() {
      super(null, null, null, false);
    }
  }

  final NodeRuntime rt;
  private boolean aborted;
  private Object reason;
  private final boolean composite;
  /** A composite signal's sources (never composite themselves). */
  private Set<AbortSignal> sources;
  /** The composite signals following this one, in the order they were made. */
  private Set<AbortSignal> dependents;
  private final Map<String, Root> events = new HashMap<>();
  private final Map<String, Handler> handlers = new HashMap<>();
  private boolean maxWarned;
  private int maxListeners = EventEmitter.DEFAULT_MAX_LISTENERS;

  AbortSignal(NodeRuntime rt, boolean composite) {
    this.rt = Objects.requireNonNull(rt, "runtime");
    this.composite = composite;
  }

  // ------------------------------------------------------------------ state

  /** {@code signal.aborted}. */
  public boolean aborted() {
    rt.checkThread();
    return aborted;
  }

  /**
   * {@code signal.reason}: what {@code abort(reason)} was given (by default a {@link DOMException}
   * named {@code AbortError}; {@code TimeoutError} for {@link #timeout}); null before the abort.
   */
  public Object reason() {
    rt.checkThread();
    return reason;
  }

  /**
   * {@code signal.throwIfAborted()}: throws {@link #reason()} once aborted. A reason that is not a
   * {@link Throwable} (Java cannot throw it) is thrown as an {@link AbortError} whose
   * {@link AbortError#reason()} is the value.
   */
  public void throwIfAborted() {
    rt.checkThread();
    if (aborted) {
      throw NodeError.sneaky(reason instanceof Throwable ? (Throwable) reason : new AbortError(reason));
    }
  }

  // ------------------------------------------------------------------ factories

  /** {@code AbortSignal.abort(reason)}: a signal already aborted (null: the default AbortError). */
  public static AbortSignal abort(NodeRuntime node, Object reason) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    AbortSignal s = new AbortSignal(node, false);
    s.aborted = true;
    s.reason = reason != null ? reason : DOMException.abortError();
    return s;
  }

  /** {@code AbortSignal.abort()}: aborted, with the default AbortError {@link DOMException}. */
  public static AbortSignal abort(NodeRuntime node) {
    return abort(node, null);
  }

  /**
   * {@code AbortSignal.timeout(delay)}: aborted after {@code delayMs} with a {@code TimeoutError}
   * {@link DOMException}. Its timer is unref'd: it does not keep the runtime alive.
   *
   * @throws NodeError ERR_OUT_OF_RANGE unless {@code delayMs} is an integer in [0, 2^32 - 1]
   */
  public static AbortSignal timeout(NodeRuntime node, double delayMs) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    if (delayMs != Math.rint(delayMs) || Double.isInfinite(delayMs)) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"delay\" is out of range. It must be an integer. Received "
          + numberForRange(delayMs));
    }
    if (delayMs < 0 || delayMs > 4294967295d) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"delay\" is out of range. It must be >= 0 && <= "
          + "4294967295. Received " + numberForRange(delayMs));
    }
    AbortSignal s = new AbortSignal(node, false);
    node.setTimeout(() -> abortSignal(s, new DOMException(DOMException.TIMED_OUT, "TimeoutError")), delayMs).unref();
    return s;
  }

  /** A number as Node's ERR_OUT_OF_RANGE prints it (integers above 2^32 with '_' separators). */
  static String numberForRange(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    String s = Timers.jsNumber(d);
    if (d == Math.rint(d) && Math.abs(d) > 4294967296d && !Double.isInfinite(d)) {
      StringBuilder out = new StringBuilder();
      int start = s.startsWith("-") ? 1 : 0;
      int i = s.length();
      for (; i >= start + 4; i -= 3) {
        out.insert(0, "_" + s.substring(i - 3, i));
      }
      return s.substring(0, i) + out;
    }
    return s;
  }

  /**
   * {@code AbortSignal.any(signals)}: a signal aborted, with the same reason, when the first of
   * {@code signals} aborts (at once if one already has). Its listeners run after those of the
   * source signal.
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE for a null list or a null element, with Node's message
   */
  public static AbortSignal any(NodeRuntime node, List<AbortSignal> signals) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    if (signals == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE",
          "The \"signals\" argument must be an instance of Array. Received null");
    }
    List<AbortSignal> list = new ArrayList<>(signals);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new NodeError("ERR_INVALID_ARG_TYPE",
            "The \"signals[" + i + "]\" argument must be an instance of AbortSignal. Received null");
      }
      if (list.get(i).rt != node) {
        throw new IllegalArgumentException("signals[" + i + "] belongs to another NodeRuntime");
      }
    }
    AbortSignal result = new AbortSignal(node, true);
    if (list.isEmpty()) {
      return result;
    }
    result.sources = new LinkedHashSet<>();
    for (AbortSignal signal : list) {
      if (signal.aborted) {
        abortSignal(result, signal.reason);
        return result;
      }
      if (!signal.composite) {
        result.sources.add(signal);
        signal.dependents().add(result);
      } else if (signal.sources != null) {
        for (AbortSignal source : signal.sources) {
          if (result.sources.add(source)) {
            source.dependents().add(result);
          }
        }
      }
    }
    return result;
  }

  private Set<AbortSignal> dependents() {
    if (dependents == null) {
      dependents = new LinkedHashSet<>();
    }
    return dependents;
  }

  // ------------------------------------------------------------------ aborting

  /**
   * Node's abortSignal(): marks it aborted, runs its 'abort' listeners, then aborts the signals
   * made by {@link #any} from it, in the order they were made. A second abort does nothing.
   */
  static void abortSignal(AbortSignal signal, Object reason) {
    if (signal.aborted) {
      return;
    }
    signal.aborted = true;
    signal.reason = reason;
    signal.dispatch("abort");
    if (signal.dependents != null) {
      for (AbortSignal d : new ArrayList<>(signal.dependents)) {
        abortSignal(d, reason);
      }
    }
  }

  /** Node's dispatch: walks the list, caching each next node before calling the listener. */
  private void dispatch(String type) {
    Root root = events.get(type);
    if (root == null || root.next == null) {
      return;
    }
    Event event = new Event(type, this);
    Handler handler = root.next;
    while (handler != null) {
      Handler next = handler.next;
      if (handler.removed) {
        handler = next;
        continue;
      }
      if (handler.once) {
        handler.remove();
        root.size--;
      }
      Consumer<Event> fn = handler.fn;
      if (fn != null) {
        try {
          fn.accept(event);
        } catch (NodeRuntime.NodeExit e) {
          throw e;
        } catch (Throwable t) {
          // Node: process.nextTick(() => { throw err; })
          rt.nextTick(() -> {
            throw NodeError.sneaky(t);
          });
        }
      }
      handler = next;
    }
  }

  // ------------------------------------------------------------------ listeners

  /** {@code addEventListener(type, listener)}. */
  public void addEventListener(String type, Consumer<Event> listener) {
    addEventListener(type, listener, false);
  }

  /**
   * {@code addEventListener(type, listener, { once })}: ignored when {@code listener} is already
   * registered for {@code type}; a null listener only emits Node's
   * {@code AddEventListenerArgumentTypeWarning}.
   *
   * @throws NullPointerException if {@code type} is null
   */
  public void addEventListener(String type, Consumer<Event> listener, boolean once) {
    add(type, listener, listener, once);
  }

  /**
   * {@code addEventListener(type, listener, { once, signal })}: as
   * {@link #addEventListener(String, Consumer, boolean)}, removed when {@code signal} aborts;
   * nothing is added if it already has. A null {@code signal} is none.
   */
  public void addEventListener(String type, Consumer<Event> listener, boolean once, AbortSignal signal) {
    if (registerRemoval(type, listener, signal)) {
      add(type, listener, listener, once);
    }
  }

  /** {@code addEventListener(type, () => ..., { once, signal })}. */
  public void addEventListener(String type, Runnable listener, boolean once, AbortSignal signal) {
    if (registerRemoval(type, listener, signal)) {
      add(type, listener, listener == null ? null : e -> listener.run(), once);
    }
  }

  /** Node: the signal's once listener removing this one is registered first; false if aborted. */
  private boolean registerRemoval(String type, Object listener, AbortSignal signal) {
    Objects.requireNonNull(type, "type");
    rt.checkThread();
    if (signal == null) {
      return true;
    }
    if (signal.aborted) {
      return false;
    }
    signal.add("abort", new Object(), e -> removeEventListener(type, listener), true);
    return true;
  }

  /** {@code addEventListener(type, () => ...)}. */
  public void addEventListener(String type, Runnable listener) {
    addEventListener(type, listener, false);
  }

  /** {@code addEventListener(type, () => ..., { once })}. */
  public void addEventListener(String type, Runnable listener, boolean once) {
    add(type, listener, listener == null ? null : e -> listener.run(), once);
  }

  private void add(String type, Object original, Consumer<Event> fn, boolean once) {
    Objects.requireNonNull(type, "type");
    rt.checkThread();
    if (original == null) {
      rt.emitWarning(new NodeWarning("AddEventListenerArgumentTypeWarning",
          "addEventListener called with undefined which has no effect.", null));
      return;
    }
    Root root = events.get(type);
    if (root == null) {
      root = new Root();
      events.put(type, root);
    }
    Handler previous = root;
    Handler handler = root.next;
    while (handler != null) {
      if (handler.original == original) {
        return; // duplicate: ignored
      }
      previous = handler;
      handler = handler.next;
    }
    new Handler(previous, original, fn, once);
    root.size++;
    newListener(root.size, type);
  }

  private void newListener(int size, String type) {
    if (maxListeners > 0 && size > maxListeners && !maxWarned) {
      maxWarned = true;
      rt.emitWarning(new NodeWarning("MaxListenersExceededWarning", "Possible EventTarget memory leak detected. "
          + size + " " + type + " listeners added to [AbortSignal]. MaxListeners is "
          + maxListeners + ". Use events.setMaxListeners() to increase limit", null));
    }
  }

  /**
   * {@code removeEventListener(type, listener)}: removes the registration of that object (the one
   * given to {@link #addEventListener}); unknown listeners are ignored.
   */
  public void removeEventListener(String type, Object listener) {
    Objects.requireNonNull(type, "type");
    rt.checkThread();
    Root root = events.get(type);
    if (listener == null || root == null || root.next == null) {
      return;
    }
    for (Handler h = root.next; h != null; h = h.next) {
      if (h.original == listener) {
        h.remove();
        if (--root.size == 0) {
          events.remove(type);
        }
        return;
      }
    }
  }

  /**
   * {@code signal.onabort = handler}: the first assignment (even of null) registers a listener
   * slot at the end of the list; later ones replace the handler in that slot, keeping its place.
   * Null disables it.
   */
  public void setOnabort(Consumer<Event> handler) {
    rt.checkThread();
    Handler slot = handlers.get("abort");
    if (slot != null) {
      Root root = events.get("abort");
      if (slot.fn != null && root != null) {
        root.size--;
      }
      slot.fn = handler;
      if (handler != null && root != null) {
        root.size++;
        newListener(root.size, "abort");
      }
      return;
    }
    Object wrapper = new Object();
    add("abort", wrapper, handler, false);
    for (Handler h = events.get("abort").next; h != null; h = h.next) {
      if (h.original == wrapper) {
        handlers.put("abort", h);
      }
    }
  }

  /** {@code signal.onabort}: the handler set last, or null. */
  public Consumer<Event> onabort() {
    rt.checkThread();
    Handler slot = handlers.get("abort");
    return slot == null ? null : slot.fn;
  }

  /** Node's events.setMaxListeners for a target: the limit, and the warning re-armed. */
  void setMaxListeners(int n) {
    maxListeners = n;
    maxWarned = false;
  }

  int getMaxListeners() {
    return maxListeners;
  }

  /** How many listeners {@code type} has (Node's {@code events.listenerCount} for targets). */
  int listenerCount(String type) {
    Root root = events.get(type);
    return root == null ? 0 : root.size;
  }

  /** The registered listeners of {@code type}, in order (Node's {@code getEventListeners}). */
  List<Object> listeners(String type) {
    List<Object> out = new ArrayList<>();
    Root root = events.get(type);
    if (root != null) {
      for (Handler h = root.next; h != null; h = h.next) {
        out.add(handlers.get(type) == h ? h.fn : h.original);
      }
    }
    return out;
  }

  /** As Node's {@code util.inspect(signal)}: {@code AbortSignal { aborted: false }}. */
  @Override
  public String toString() {
    return "AbortSignal { aborted: " + aborted + " }";
  }
}
