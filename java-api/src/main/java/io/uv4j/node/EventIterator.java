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
  private Throwable error;
  private boolean finished;

  private record Waiter(Consumer<Result> resolve, Consumer<Throwable> reject) {}

  private EventIterator(NodeRuntime node, EventEmitter emitter, String event) {
    this.node = node;
    this.emitter = emitter;
    this.event = event;
  }

  static EventIterator start(NodeRuntime node, EventEmitter emitter, String event, AbortSignal signal) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(emitter, "emitter");
    Objects.requireNonNull(event, "event");
    node.checkThread();
    if (signal != null && signal.aborted()) {
      throw new AbortError(signal.reason());
    }
    EventIterator it = new EventIterator(node, emitter, event);
    emitter.on(event, it.eventListener);
    if (!event.equals("error")) {
      emitter.on("error", it.errorListener);
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
      return Promise.resolve(node, new Result(unconsumedEvents.poll(), false));
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

  private void eventHandler(Object[] args) {
    Object[] value = args.clone();
    Waiter w = unconsumedPromises.poll();
    if (w == null) {
      unconsumedEvents.add(value);
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
