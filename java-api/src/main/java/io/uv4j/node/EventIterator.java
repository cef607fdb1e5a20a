package io.uv4j.node;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What {@code events.on(emitter, event, {signal})} returns ({@link EventEmitter#on(NodeRuntime,
 * EventEmitter, String, AbortSignal)}): Node 20's async iterator over the event's emissions.
 * Each {@link #next()} promise gets the arguments of one emission, in order; emissions nobody
 * waits for yet are queued. An {@code 'error'} emitted meanwhile rejects the next {@code next()}
 * (once) and ends the iteration; so does aborting the signal (with an {@link AbortError});
 * {@link #returnIterator()} (Node's {@code return()}, what leaving a {@code for await} loop
 * calls) ends it at once. An ended iterator has removed its listeners and answers
 * {@code {done: true}}.
 *
 * <pre>{@code
 * EventIterator it = EventEmitter.on(node, emitter, "data", null);
 * Consumer<EventIterator.Result>[] loop = new Consumer[1];
 * loop[0] = r -> {
 *   if (r.done()) return;
 *   System.out.println("got " + r.value()[0]);
 *   it.next().thenAccept(loop[0]);   // for await (const [chunk] of it) { ... }
 * };
 * it.next().thenAccept(loop[0]);
 * }</pre>
 */
public final class EventIterator {
  /**
   * One answer of {@link EventIterator#next()}: Node's {@code {value, done}}.
   *
   * @param value the emission's arguments (null when done: Node's undefined)
   * @param done true once the iteration has ended
   */
  public record Result(Object[] value, boolean done) {}

  /**
   * The options of {@code events.on(emitter, event, options)}.
   *
   * <pre>{@code
   * EventIterator it = EventEmitter.on(node, stream, "data",
   *     EventIterator.Options.DEFAULT.withClose(List.of("end")).withWatermarks(64, 8));
   * }</pre>
   *
   * @param signal ends the iteration with an {@link AbortError} when aborted (null: none)
   * @param close events that end the iteration (Node's {@code close}; empty: none)
   * @param highWaterMark over this many queued emissions, a {@link NodeStream} emitter is paused
   *     (Node's default: {@code Number.MAX_SAFE_INTEGER}); other emitters have no {@code pause}
   * @param lowWaterMark under this many, a paused stream is resumed (Node's default 1)
   */
  public record Options(AbortSignal signal, java.util.List<String> close, long highWaterMark, long lowWaterMark) {
    /** Node's defaults: no signal, no close events, watermarks {@code MAX_SAFE_INTEGER} and 1. */
    public static final Options DEFAULT = new Options(null, java.util.List.of(), MAX_SAFE_INTEGER, 1);

    /**
     * Node's option checks.
     *
     * @throws NodeError ERR_OUT_OF_RANGE for a watermark under 1 or above 2^53-1, with Node's message
     * @throws NullPointerException if {@code close} or one of its names is null
     */
    public Options {
      close = java.util.List.copyOf(close);
      checkWatermark(highWaterMark, "options.highWaterMark");
      checkWatermark(lowWaterMark, "options.lowWaterMark");
    }

    /** With {@code signal}. */
    public Options withSignal(AbortSignal signal) {
      return new Options(signal, close, highWaterMark, lowWaterMark);
    }

    /** With the {@code close} events. */
    public Options withClose(java.util.List<String> close) {
      return new Options(signal, close, highWaterMark, lowWaterMark);
    }

    /** With {@code highWaterMark} and {@code lowWaterMark}. */
    public Options withWatermarks(long highWaterMark, long lowWaterMark) {
      return new Options(signal, close, highWaterMark, lowWaterMark);
    }

    /** Node's ERR_OUT_OF_RANGE "Received": integers beyond 2^32 with {@code _} separators. */
    private static String received(long v) {
      String digits = Long.toString(Math.abs(v));
      if (Math.abs(v) <= (1L << 32)) {
        return Long.toString(v);
      }
      StringBuilder b = new StringBuilder();
      int first = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
      b.append(digits, 0, first);
      for (int i = first; i < digits.length(); i += 3) {
        b.append('_').append(digits, i, i + 3);
      }
      return (v < 0 ? "-" : "") + b;
    }

    private static void checkWatermark(long v, String name) {
      if (v < 1 || v > MAX_SAFE_INTEGER) {
        throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"" + name + "\" is out of range. It must be >= 1 && <= "
            + MAX_SAFE_INTEGER + ". Received " + received(v));
      }
    }
  }

  private static final long MAX_SAFE_INTEGER = 9007199254740991L;
  private static final Result DONE = new Result(null, true);

  private final NodeRuntime node;
  private final EventEmitter emitter;
  private final String event;
  private final ArrayDeque<Object[]> unconsumedEvents = new ArrayDeque<>();
  private final ArrayDeque<Waiter> unconsumedPromises = new ArrayDeque<>();
  private final EventEmitter.Listener eventListener = this::eventHandler;
  private final EventEmitter.Listener errorListener = args -> errorHandler(
      args.length > 0 && args[0] instanceof Throwable ? (Throwable) args[0]
          : new NodeError("ERR_UNHANDLED_ERROR", "Unhandled error."));
  private EventEmitter.AutoCloseableListener abortListener;
  private final EventEmitter.Listener closeListener = args -> closeHandler();
  private java.util.List<String> closeEvents = java.util.List.of();
  private long highWaterMark = MAX_SAFE_INTEGER;
  private long lowWaterMark = 1;
  private boolean paused;
  private Throwable error;
  private boolean finished;

  private record Waiter(Consumer<Result> resolve, Consumer<Throwable> reject) {}

  private EventIterator(NodeRuntime node, EventEmitter emitter, String event) {
    this.node = node;
    this.emitter = emitter;
    this.event = event;
  }

  static EventIterator start(NodeRuntime node, EventEmitter emitter, String event, Options options) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(emitter, "emitter");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(options, "options");
    node.checkThread();
    AbortSignal signal = options.signal();
    if (signal != null && signal.aborted()) {
      throw new AbortError(signal.reason());
    }
    EventIterator it = new EventIterator(node, emitter, event);
    it.highWaterMark = options.highWaterMark();
    it.lowWaterMark = options.lowWaterMark();
    it.closeEvents = options.close();
    emitter.on(event, it.eventListener);
    if (!event.equals("error")) {
      emitter.on("error", it.errorListener);
    }
    for (String close : it.closeEvents) {
      emitter.on(close, it.closeListener);
    }
    if (signal != null) {
      it.abortListener = EventEmitter.addAbortListener(signal, e -> it.errorHandler(new AbortError(signal.reason())));
    }
    return it;
  }

  /** {@code iterator.next()}: the next emission (queued or awaited), the pending error, or done. */
  public Promise<Result> next() {
    node.checkThread();
    if (!unconsumedEvents.isEmpty()) {
      Object[] value = unconsumedEvents.poll();
      if (paused && unconsumedEvents.size() < lowWaterMark) {
        ((NodeStream) emitter).resume();
        paused = false;
      }
      return Promise.resolve(node, new Result(value, false));
    }
    if (error != null) {
      Promise<Result> p = Promise.reject(node, error);
      error = null; // only the first next() fails
      return p;
    }
    if (finished) {
      return closeHandler();
    }
    return Promise.create(node, (resolve, reject) -> unconsumedPromises.add(new Waiter(resolve, reject)));
  }

  /**
   * {@code iterator.return()}: ends the iteration (listeners removed, waiting {@code next()}
   * promises fulfilled with done); fulfilled with done.
   */
  public Promise<Result> returnIterator() {
    node.checkThread();
    return closeHandler();
  }

  /**
   * {@code iterator.throw(err)}: as an {@code 'error'} emission: the first waiting
   * {@code next()} (or the next one) rejects with {@code err}, then the iteration ends.
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE if {@code err} is null, with Node's message
   */
  public void throwError(Throwable err) {
    node.checkThread();
    if (err == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE",
          "The \"EventEmitter.AsyncIterator\" property must be an instance of Error. Received null");
    }
    errorHandler(err);
  }

  /** Emissions received and not yet taken by {@link #next()} (Node's watermark data {@code size}). */
  public int queued() {
    return unconsumedEvents.size();
  }

  /** Whether the watermarks paused the emitter (Node's watermark data {@code isPaused}). */
  public boolean isPaused() {
    return paused;
  }

  private void eventHandler(Object[] args) {
    Object[] value = args.clone();
    Waiter w = unconsumedPromises.poll();
    if (w == null) {
      unconsumedEvents.add(value);
      if (!paused && unconsumedEvents.size() > highWaterMark && emitter instanceof NodeStream) {
        paused = true;
        ((NodeStream) emitter).pause();
      }
    } else {
      w.resolve().accept(new Result(value, false));
    }
  }

  private void errorHandler(Throwable err) {
    Waiter w = unconsumedPromises.poll();
    if (w == null) {
      error = err;
    } else {
      w.reject().accept(err);
    }
    closeHandler();
  }

  private Promise<Result> closeHandler() {
    if (abortListener != null) {
      abortListener.close();
      abortListener = null;
    }
    // Node's removeAll: the most recently added first
    for (int i = closeEvents.size() - 1; i >= 0; i--) {
      emitter.off(closeEvents.get(i), closeListener);
    }
    if (!event.equals("error")) {
      emitter.off("error", errorListener);
    }
    emitter.off(event, eventListener);
    finished = true;
    Waiter w;
    while ((w = unconsumedPromises.poll()) != null) {
      w.resolve().accept(DONE);
    }
    return Promise.resolve(node, DONE);
  }
}
