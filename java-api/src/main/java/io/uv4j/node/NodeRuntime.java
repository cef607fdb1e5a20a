package io.uv4j.node;

import io.uv4j.Check;
import io.uv4j.Idle;
import io.uv4j.Loop;
import io.uv4j.Timer;
import io.uv4j.UvException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Node.js's event-loop programming model on a libuv loop: {@code setTimeout},
 * {@code setInterval}, {@code setImmediate}, their {@code clear*}, {@code process.nextTick},
 * {@code queueMicrotask}, promises ({@link Promise}), {@code beforeExit}, {@code exit} and
 * {@code uncaughtException}, with Node's exact ordering.
 *
 * <p>It is built the way Node builds it on libuv: one libuv timer for all timers (lists per
 * duration, ordered by expiry), a check handle running immediates, an idle handle keeping the poll
 * from blocking while referenced immediates wait; after every callback the whole nextTick queue
 * drains, then the microtasks, repeatedly.
 *
 * <pre>{@code
 * int exitCode = NodeRuntime.run(node -> {
 *   node.setTimeout(() -> System.out.println("timeout"), 0);
 *   node.setImmediate(() -> System.out.println("immediate"));
 *   node.nextTick(() -> System.out.println("tick"));
 *   Promise.resolve(node, 1).then(v -> { System.out.println("promise"); return v; });
 * });
 * // tick, promise, then timeout and immediate (in an order that depends on timing, as in Node)
 * }</pre>
 *
 * <p>A runtime belongs to the thread that runs it; its methods must be called on that thread
 * ({@link Loop#execute} hands work over from others).
 */
public final class NodeRuntime {
  /** Node's TIMEOUT_MAX: delays above it (or below 1 ms, or NaN) become 1 ms. */
  public static final long TIMEOUT_MAX = 2147483647L;

  private static final ThreadLocal<NodeRuntime> CURRENT = new ThreadLocal<>();
  private static final Runnable NOOP = () -> { };

  private final Loop loop;
  private final Thread thread;
  private final long timerBase;

  // ---- timers (lib/internal/timers.js)
  private final Timer timerHandle;
  private final Map<Long, TimersList> timerListMap = new HashMap<>();
  private final PriorityQueue<TimersList> timerListQueue = new PriorityQueue<>(
      (a, b) -> a.expiry != b.expiry ? Long.compare(a.expiry, b.expiry) : Long.compare(a.id, b.id));
  private long timerListId;
  private long nextExpiry = Long.MAX_VALUE;
  private int timerRefCount;

  // ---- immediates
  private final Check immediateCheck;
  private final Idle immediateIdle;
  private final ImmediateList immediateQueue = new ImmediateList();
  private final ImmediateList outstandingQueue = new ImmediateList();
  private int immediateCount;
  private int immediateRefCount;
  private boolean hasOutstanding;

  // ---- ticks and microtasks
  private final ArrayDeque<Runnable> ticks = new ArrayDeque<>();
  private final ArrayDeque<Runnable> microtasks = new ArrayDeque<>();
  final List<Promise<?>> pendingUnhandledRejections = new ArrayList<>();
  /** Rejections reported unhandled that got a handler later (Node: asyncHandledRejections). */
  final ArrayDeque<Promise<?>> asyncHandledRejections = new ArrayDeque<>();
  int lastPromiseId;

  // ---- process
  private final List<IntConsumer> beforeExitListeners = new ArrayList<>();
  private final List<IntConsumer> exitListeners = new ArrayList<>();
  private final Listeners<java.util.function.BiConsumer<Throwable, String>> uncaughtExceptionListeners = new Listeners<>();
  private final Listeners<java.util.function.BiConsumer<Throwable, Promise<?>>> unhandledRejectionListeners = new Listeners<>();
  private final Listeners<Consumer<Promise<?>>> rejectionHandledListeners = new Listeners<>();
  private final Listeners<Consumer<NodeWarning>> warningListeners = new Listeners<>();
  private boolean warnedOnce;
  private int exitCode;
  private boolean exiting;
  private Throwable fatal;
  /** dns.lookup('') warned already (DEP0118 is emitted once). */
  boolean warnedEmptyHostname;
  /** False in workers: their fatal exception goes to the parent's 'error' instead of stderr. */
  boolean printFatal = true;

  private NodeRuntime(Loop loop) {
    this.loop = loop;
    this.thread = Thread.currentThread();
    loop.updateTime();
    this.timerBase = loop.now();
    this.timerHandle = new Timer(loop);
    this.timerHandle.unref(); // ref'd only while ref'd timers exist
    this.immediateCheck = new Check(loop);
    this.immediateCheck.unref();
    this.immediateCheck.start(c -> checkImmediate());
    this.immediateIdle = new Idle(loop);
  }

  /**
   * Runs {@code main} as Node runs a main module, then the event loop until nothing is left
   * alive (emitting {@code beforeExit}, which may schedule more), then {@code exit}. Returns the
   * exit code: {@link #exitCode()} (0 by default), 1 after an uncaught exception, or the code
   * given to {@link #exit(int)}. The loop is created and closed here, on the calling thread.
   */
  public static int run(Consumer<NodeRuntime> main) throws UvException {
    Objects.requireNonNull(main, "main");
    Loop loop = Loop.create();
    try {
      NodeRuntime node = new NodeRuntime(loop);
      return node.runMain(main);
    } finally {
      loop.shutdown();
    }
  }

  /** The runtime running on this thread (inside {@link #run}). */
  public static NodeRuntime current() {
    NodeRuntime r = CURRENT.get();
    if (r == null) {
      throw new IllegalStateException("no NodeRuntime runs on thread " + Thread.currentThread().getName()
          + ": call this inside NodeRuntime.run(...)");
    }
    return r;
  }

  /** The libuv loop underneath, for the core API. */
  public Loop loop() {
    return loop;
  }

  private int runMain(Consumer<NodeRuntime> main) {
    NodeRuntime outer = CURRENT.get();
    CURRENT.set(this);
    loop.setExceptionHandler((source, t) -> handleUncaught(t, UNCAUGHT));
    try {
      makeCallback(() -> main.accept(this));
      while (!exiting) {
        loop.run();
        if (exiting) {
          break;
        }
        if (loop.alive()) {
          continue;
        }
        emitBeforeExit();
        if (exiting || !loop.alive()) {
          break;
        }
      }
      emitExit();
      return exitCode;
    } finally {
      exiting = true; // no more user code from close callbacks during shutdown
      timerHandle.close();
      immediateCheck.close();
      immediateIdle.close();
      if (outer != null) {
        CURRENT.set(outer);
      } else {
        CURRENT.remove();
      }
    }
  }

  // ===================================================================== timers

  /** {@code setTimeout(callback, delay)}: delays below 1, above 2^31-1 or NaN become 1 ms. */
  public Timeout setTimeout(Runnable callback, double delayMs) {
    return newTimeout(callback, delayMs, false);
  }

  /** {@code setInterval(callback, delay)}. */
  public Timeout setInterval(Runnable callback, double delayMs) {
    return newTimeout(callback, delayMs, true);
  }

  /**
   * {@code setTimeout(callback, delay)} with a callback that receives its own {@link Timeout}
   * (Node's {@code this}), e.g. to {@code refresh()} or {@code unref()} it.
   *
   * @throws NullPointerException if {@code callback} is null
   */
  public Timeout setTimeout(Consumer<Timeout> callback, double delayMs) {
    Objects.requireNonNull(callback, "callback");
    Timeout[] self = new Timeout[1];
    self[0] = newTimeout(() -> callback.accept(self[0]), delayMs, false);
    return self[0];
  }

  /**
   * {@code setInterval(callback, delay)} with a callback that receives its own {@link Timeout}:
   * a self-clearing interval needs no holder.
   *
   * <pre>{@code
   * int[] n = {0};
   * node.setInterval(t -> { if (++n[0] == 3) node.clearInterval(t); }, 10);
   * }</pre>
   *
   * @throws NullPointerException if {@code callback} is null
   */
  public Timeout setInterval(Consumer<Timeout> callback, double delayMs) {
    Objects.requireNonNull(callback, "callback");
    Timeout[] self = new Timeout[1];
    self[0] = newTimeout(() -> callback.accept(self[0]), delayMs, true);
    return self[0];
  }

  /** {@code setTimeout(callback, delay, arg)}: {@code callback} gets {@code arg}. */
  public <A> Timeout setTimeout(Consumer<? super A> callback, double delayMs, A arg) {
    Objects.requireNonNull(callback, "callback");
    return newTimeout(() -> callback.accept(arg), delayMs, false);
  }

  /** {@code setTimeout(callback, delay, a, b)}: {@code callback} gets {@code a} and {@code b}. */
  public <A, B> Timeout setTimeout(java.util.function.BiConsumer<? super A, ? super B> callback,
      double delayMs, A a, B b) {
    Objects.requireNonNull(callback, "callback");
    return newTimeout(() -> callback.accept(a, b), delayMs, false);
  }

  /** {@code setInterval(callback, delay, arg)}: {@code callback} gets {@code arg} each time. */
  public <A> Timeout setInterval(Consumer<? super A> callback, double delayMs, A arg) {
    Objects.requireNonNull(callback, "callback");
    return newTimeout(() -> callback.accept(arg), delayMs, true);
  }

  /** {@code clearTimeout}: null and already-cleared timers are ignored, like Node. */
  public void clearTimeout(Timeout timer) {
    checkThread();
    if (timer != null && timer.onTimeout != null) {
      timer.onTimeout = null;
      unenroll(timer);
    }
  }

  /** {@code clearInterval}: the same as {@link #clearTimeout}. */
  public void clearInterval(Timeout timer) {
    clearTimeout(timer);
  }

  private Timeout newTimeout(Runnable callback, double delayMs, boolean repeat) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    double after = delayMs;
    if (!(after >= 1 && after <= TIMEOUT_MAX)) {
      after = 1;
    }
    Timeout t = new Timeout(this, callback, (long) after, repeat);
    incRefCount();
    insert(t, t.idleTimeout, now());
    return t;
  }

  /** A list of timers of one duration, in insertion order (Node: TimersList). */
  static final class TimersList {
    final long msecs;
    long expiry;
    long id;
    Timeout head;
    Timeout tail;

    TimersList(long expiry, long msecs, long id) {
      this.expiry = expiry;
      this.msecs = msecs;
      this.id = id;
    }

    void append(Timeout t) {
      t.list = this;
      t.prev = tail;
      t.next = null;
      if (tail != null) {
        tail.next = t;
      } else {
        head = t;
      }
      tail = t;
    }

    void remove(Timeout t) {
      if (t.list != this) {
        return;
      }
      if (t.prev != null) {
        t.prev.next = t.next;
      } else {
        head = t.next;
      }
      if (t.next != null) {
        t.next.prev = t.prev;
      } else {
        tail = t.prev;
      }
      t.prev = t.next = null;
      t.list = null;
    }
  }

  /** Node's insert(): into the list of its duration, creating and scheduling one if needed. */
  private void insert(Timeout item, long msecs, long start) {
    item.idleStart = start;
    TimersList list = timerListMap.get(msecs);
    if (list == null) {
      long expiry = start + msecs;
      list = new TimersList(expiry, msecs, timerListId++);
      timerListMap.put(msecs, list);
      timerListQueue.add(list);
      if (nextExpiry > expiry) {
        scheduleTimer(msecs);
        nextExpiry = expiry;
      }
    }
    list.append(item);
  }

  private void unenroll(Timeout item) {
    if (item.destroyed) {
      return;
    }
    item.destroyed = true;
    TimersList list = item.list;
    if (list != null) {
      list.remove(item);
      if (list.head == null && timerListMap.get(list.msecs) == list) {
        timerListQueue.remove(list);
        timerListMap.remove(list.msecs);
      }
    }
    if (item.refed) {
      decRefCount();
    }
    item.idleTimeout = -1;
  }

  /** Timeout.refresh() on a ref'd timer (Node: active). */
  void active(Timeout t) {
    reinsert(t);
  }

  /** Timeout.refresh() on an unref'd timer (Node: unrefActive). */
  void unrefActive(Timeout t) {
    reinsert(t);
  }

  /**
   * Node's insertGuarded(): back into its list from now. A timeout that already fired (or was
   * never cleared) is re-armed, counting its ref again; a cleared one (idleTimeout -1) is not.
   */
  private void reinsert(Timeout t) {
    if (t.idleTimeout < 0) {
      return;
    }
    TimersList list = t.list;
    if (list != null) {
      list.remove(t);
    }
    insert(t, t.idleTimeout, now());
    if (t.destroyed) {
      t.destroyed = false;
      if (t.refed) {
        incRefCount();
      }
    }
  }

  void incRefCount() {
    if (timerRefCount++ == 0) {
      timerHandle.ref();
    }
  }

  void decRefCount() {
    if (--timerRefCount == 0) {
      timerHandle.unref();
    }
  }

  private void scheduleTimer(long durationMs) {
    timerHandle.start(durationMs, 0, t -> runTimers());
  }

  /** Node's Environment::RunTimers: the one libuv timer fired. */
  private void runTimers() {
    if (exiting) {
      return;
    }
    long now = now();
    long ret = 0;
    // Like Node, a throwing timer does not stop its same-due siblings: processTimers resumes
    // after the uncaught-exception handling, with the same `now`.
    while (true) {
      try {
        ret = processTimers(now);
        break;
      } catch (Throwable t) {
        handleUncaught(t);
        if (exiting) {
          return;
        }
      }
    }
    if (ret != 0) {
      long duration = Math.abs(ret) - (loop.now() - timerBase);
      timerHandle.start(duration > 0 ? duration : 1, 0, t -> runTimers());
      if (ret > 0) {
        timerHandle.ref();
      } else {
        timerHandle.unref();
      }
    } else {
      timerHandle.unref();
    }
    // The callback scope closes after the rescheduling: ticks may schedule earlier timers.
    tickAfterCallback();
  }

  private long processTimers(long now) {
    nextExpiry = Long.MAX_VALUE;
    boolean ranAtLeastOneList = false;
    TimersList list;
    while ((list = timerListQueue.peek()) != null) {
      if (list.expiry > now) {
        nextExpiry = list.expiry;
        return timerRefCount > 0 ? nextExpiry : -nextExpiry;
      }
      if (ranAtLeastOneList) {
        runNextTicks();
      } else {
        ranAtLeastOneList = true;
      }
      listOnTimeout(list, now);
    }
    return 0;
  }

  private void listOnTimeout(TimersList list, long now) {
    long msecs = list.msecs;
    boolean ranAtLeastOneTimer = false;
    Timeout timer;
    while ((timer = list.head) != null) {
      long diff = now - timer.idleStart;
      if (diff < msecs) {
        // Too early for the rest of this list: move it to its next expiry.
        timerListQueue.remove(list);
        list.expiry = Math.max(timer.idleStart + msecs, now + 1);
        list.id = timerListId++;
        timerListQueue.add(list);
        return;
      }
      if (ranAtLeastOneTimer) {
        runNextTicks();
      } else {
        ranAtLeastOneTimer = true;
      }
      list.remove(timer);
      if (timer.onTimeout == null) {
        if (!timer.destroyed) {
          timer.destroyed = true;
          if (timer.refed) {
            timerRefCount--;
          }
        }
        continue;
      }
      long start = timer.repeat != 0 ? now() : 0;
      try {
        timer.onTimeout.run();
      } finally {
        if (timer.repeat != 0 && timer.idleTimeout != -1) {
          timer.idleTimeout = timer.repeat;
          insert(timer, timer.idleTimeout, start);
        } else if (timer.list == null && !timer.destroyed) {
          // Like Node, the callback stays: refresh() may re-arm a fired timeout.
          timer.destroyed = true;
          if (timer.refed) {
            timerRefCount--;
          }
        }
      }
    }
    if (timerListMap.get(msecs) == list) {
      timerListMap.remove(msecs);
      timerListQueue.remove(list);
    }
  }

  // ===================================================================== immediates

  /** {@code setImmediate(callback)}: runs in the check phase, after the poll. */
  public Immediate setImmediate(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    Immediate im = new Immediate(this, callback);
    immediateRef();
    immediateCount++;
    immediateQueue.append(im);
    return im;
  }

  /**
   * {@code setImmediate(callback)} with a callback that receives its own {@link Immediate}.
   *
   * @throws NullPointerException if {@code callback} is null
   */
  public Immediate setImmediate(Consumer<Immediate> callback) {
    Objects.requireNonNull(callback, "callback");
    Immediate[] self = new Immediate[1];
    self[0] = setImmediate(() -> callback.accept(self[0]));
    return self[0];
  }

  /** {@code setImmediate(callback, arg)}: {@code callback} gets {@code arg}. */
  public <A> Immediate setImmediate(Consumer<? super A> callback, A arg) {
    Objects.requireNonNull(callback, "callback");
    return setImmediate(() -> callback.accept(arg));
  }

  /** {@code clearImmediate}: null and already-run immediates are ignored. */
  public void clearImmediate(Immediate im) {
    checkThread();
    if (im == null || im.destroyed) {
      return;
    }
    immediateCount--;
    im.destroyed = true;
    if (im.refed && --immediateRefCount == 0) {
      immediateIdle.stop();
    }
    im.refed = false;
    im.onImmediate = null;
    // Like Node: unlinks it from whichever list holds it (head/tail of the pending queue only).
    immediateQueue.remove(im);
  }

  void immediateRef() {
    if (immediateRefCount++ == 0) {
      immediateIdle.start(i -> { }); // keeps the poll from blocking, and the loop alive
    }
  }

  void immediateUnref() {
    if (--immediateRefCount == 0) {
      immediateIdle.stop();
    }
  }

  /** Node's Environment::CheckImmediate, in the check phase. */
  private void checkImmediate() {
    if (exiting || immediateCount == 0) {
      return;
    }
    do {
      // MakeCallback(processImmediate): a throw fails the callback scope, so no ticks run at
      // its close; hasOutstanding stays set and the next immediate runs first, in the next turn.
      boolean failed = false;
      try {
        processImmediate();
      } catch (Throwable t) {
        failed = true;
        handleUncaught(t);
      }
      if (!failed) {
        tickAfterCallback();
      }
    } while (hasOutstanding && !exiting);
    if (immediateRefCount == 0) {
      immediateIdle.stop();
    }
  }

  /** Node's processImmediate() (lib/internal/timers.js). */
  private void processImmediate() {
    ImmediateList queue = outstandingQueue.head != null ? outstandingQueue : immediateQueue;
    Immediate immediate = queue.head;
    // Immediates added while these run go to the next iteration.
    if (queue != outstandingQueue) {
      queue.head = queue.tail = null;
      hasOutstanding = true;
    }
    Immediate prevImmediate = null;
    boolean ranAtLeastOneImmediate = false;
    while (immediate != null) {
      if (ranAtLeastOneImmediate) {
        runNextTicks();
      } else {
        ranAtLeastOneImmediate = true;
      }
      if (immediate.destroyed) {
        // Cleared by a tick above: go on from the last one that ran.
        immediate = prevImmediate != null ? prevImmediate.next : immediate.next;
        outstandingQueue.head = immediate;
        continue;
      }
      immediate.destroyed = true;
      immediateCount--;
      if (immediate.refed) {
        immediateRefCount--;
      }
      immediate.refed = false;
      prevImmediate = immediate;
      try {
        immediate.onImmediate.run();
      } finally {
        immediate.onImmediate = null;
        immediate = immediate.next;
        outstandingQueue.head = immediate;
      }
    }
    if (queue == outstandingQueue) {
      outstandingQueue.head = null;
    }
    hasOutstanding = false;
  }

  /** A linked list of immediates (Node: ImmediateList). */
  static final class ImmediateList {
    Immediate head;
    Immediate tail;

    void append(Immediate im) {
      if (tail != null) {
        tail.next = im;
        im.prev = tail;
      } else {
        head = im;
      }
      tail = im;
    }

    void remove(Immediate im) {
      if (im.next != null) {
        im.next.prev = im.prev;
      }
      if (im.prev != null) {
        im.prev.next = im.next;
      }
      if (im == head) {
        head = im.next;
      }
      if (im == tail) {
        tail = im.prev;
      }
      im.next = im.prev = null;
    }

    boolean contains(Immediate im) {
      for (Immediate i = head; i != null; i = i.next) {
        if (i == im) {
          return true;
        }
      }
      return false;
    }
  }

  // ===================================================================== ticks and microtasks

  /** {@code process.nextTick(callback)}: before any other callback, before promise jobs. */
  public void nextTick(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    ticks.add(callback);
  }

  /** {@code queueMicrotask(callback)}: FIFO with promise jobs. */
  public void queueMicrotask(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    microtasks.add(callback);
  }

  void enqueueMicrotask(Runnable job) {
    microtasks.add(job);
  }

  /**
   * Runs {@code callback} as Node runs a callback from native code (MakeCallback): then drains
   * nextTicks and microtasks; an exception goes to {@code uncaughtException}. For code that
   * calls back into Node-style code from core handles.
   */
  public void makeCallback(Runnable callback) {
    if (exiting) {
      return;
    }
    try {
      callback.run();
    } catch (Throwable t) {
      // A failed callback scope runs no ticks at its close (they run after the next callback;
      // the uncaughtException handling queues an immediate for that).
      handleUncaught(t);
      return;
    }
    tickAfterCallback();
  }

  /** InternalCallbackScope::Close: after a callback from libuv. */
  private void tickAfterCallback() {
    if (exiting) {
      return;
    }
    try {
      runNextTicks();
    } catch (Throwable t) {
      handleUncaught(t);
    }
  }

  /** Node's runNextTicks(). */
  private void runNextTicks() {
    if (ticks.isEmpty() && !hasRejectionToWarn()) {
      runMicrotasks();
    }
    if (ticks.isEmpty() && !hasRejectionToWarn()) {
      return;
    }
    processTicksAndRejections();
  }

  /**
   * Node's processTicksAndRejections(): all ticks, then microtasks, until both are empty. A
   * throwing tick ends the drain (the exception goes to the caller's callback scope); the ticks
   * after it wait for the next callback.
   */
  private void processTicksAndRejections() {
    do {
      Runnable tick;
      while (!exiting && (tick = ticks.poll()) != null) {
        tick.run();
      }
      runMicrotasks();
    } while (!exiting && (!ticks.isEmpty() || processPromiseRejections()));
  }

  private void runMicrotasks() {
    Runnable job;
    while (!exiting && (job = microtasks.poll()) != null) {
      try {
        job.run();
      } catch (Throwable t) {
        handleUncaught(t);
      }
    }
  }

  private boolean hasRejectionToWarn() {
    return !pendingUnhandledRejections.isEmpty() || !asyncHandledRejections.isEmpty();
  }

  /**
   * Node's processPromiseRejections() in its default 'throw' mode: first
   * {@code 'rejectionHandled'} for rejections reported earlier and handled since (a warning when
   * nobody listens), then for each new unhandled rejection {@code 'unhandledRejection'}, or, with
   * no listener, an uncaught exception of origin {@code "unhandledRejection"}.
   */
  private boolean processPromiseRejections() {
    boolean maybeScheduled = !asyncHandledRejections.isEmpty();
    Promise<?> handledLate;
    while ((handledLate = asyncHandledRejections.poll()) != null) {
      if (rejectionHandledListeners.isEmpty()) {
        emitWarning(new NodeWarning("PromiseRejectionHandledWarning",
            "Promise rejection was handled asynchronously (rejection id: " + handledLate.uid + ")", null));
      } else {
        for (Consumer<Promise<?>> l : rejectionHandledListeners.snapshot()) {
          l.accept(handledLate);
        }
      }
    }
    int len = pendingUnhandledRejections.size();
    while (len-- > 0 && !pendingUnhandledRejections.isEmpty()) {
      Promise<?> p = pendingUnhandledRejections.remove(0);
      if (p.handled) {
        continue;
      }
      p.warned = true;
      if (unhandledRejectionListeners.isEmpty()) {
        handleUncaught(p.reason, "unhandledRejection");
      } else {
        for (java.util.function.BiConsumer<Throwable, Promise<?>> l : unhandledRejectionListeners.snapshot()) {
          l.accept(p.reason, p);
        }
      }
      maybeScheduled = true;
    }
    return maybeScheduled || !pendingUnhandledRejections.isEmpty();
  }

  /** A rejected promise got its first handler (Node: handledRejection). */
  void rejectionHandledLate(Promise<?> p) {
    if (p.warned) {
      asyncHandledRejections.add(p);
    } else {
      pendingUnhandledRejections.remove(p);
    }
  }

  // ===================================================================== process

  /** {@code process.on('beforeExit', listener)}: gets the exit code; may schedule more work. */
  public void onBeforeExit(IntConsumer listener) {
    checkThread();
    beforeExitListeners.add(Objects.requireNonNull(listener));
  }

  /** {@code process.on('exit', listener)}: last chance, synchronous only. */
  public void onExit(IntConsumer listener) {
    checkThread();
    exitListeners.add(Objects.requireNonNull(listener));
  }

  /** {@code process.off('beforeExit', listener)}: the same object given to {@link #onBeforeExit}. */
  public void offBeforeExit(IntConsumer listener) {
    checkThread();
    beforeExitListeners.remove(listener);
  }

  /** {@code process.off('exit', listener)}. */
  public void offExit(IntConsumer listener) {
    checkThread();
    exitListeners.remove(listener);
  }

  /** {@code process.on('uncaughtException', listener)}: with one, the runtime goes on. */
  public void onUncaughtException(Consumer<Throwable> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    uncaughtExceptionListeners.add(listener, (t, origin) -> listener.accept(t));
  }

  /**
   * {@code process.on('uncaughtException', (err, origin) => ...)} (its own name: an overload of
   * {@link #onUncaughtException(Consumer)} would make method references such as
   * {@code list::add} ambiguous): {@code origin} is
   * {@code "uncaughtException"}, or {@code "unhandledRejection"} for a rejected promise nobody
   * handled (and no {@link #onUnhandledRejection} listener took).
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void onUncaughtExceptionWithOrigin(java.util.function.BiConsumer<Throwable, String> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    uncaughtExceptionListeners.add(listener, listener);
  }

  /** {@code process.off('uncaughtException', listener)}: the object given to {@code onUncaughtException}. */
  public void offUncaughtException(Object listener) {
    checkThread();
    uncaughtExceptionListeners.remove(listener);
  }

  /**
   * {@code process.on('unhandledRejection', (reason, promise) => ...)}: a promise was rejected
   * and had no handler by the end of the tick queue's drain. With a listener, the rejection does
   * not become an uncaught exception.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void onUnhandledRejection(java.util.function.BiConsumer<Throwable, Promise<?>> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    unhandledRejectionListeners.add(listener, listener);
  }

  /** {@code process.off('unhandledRejection', listener)}. */
  public void offUnhandledRejection(java.util.function.BiConsumer<Throwable, Promise<?>> listener) {
    checkThread();
    unhandledRejectionListeners.remove(listener);
  }

  /**
   * {@code process.on('rejectionHandled', promise => ...)}: a promise reported to
   * {@code 'unhandledRejection'} got a handler later. Without a listener, a
   * {@code PromiseRejectionHandledWarning} is emitted instead.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void onRejectionHandled(Consumer<Promise<?>> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    rejectionHandledListeners.add(listener, listener);
  }

  /** {@code process.off('rejectionHandled', listener)}. */
  public void offRejectionHandled(Consumer<Promise<?>> listener) {
    checkThread();
    rejectionHandledListeners.remove(listener);
  }

  /**
   * {@code process.on('warning', warning => ...)}: each warning given to {@link #emitWarning}
   * (and the runtime's own), on the tick after it was emitted. The runtime prints every warning on
   * stderr as well, as Node's default listener does.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void onWarning(Consumer<NodeWarning> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    warningListeners.add(listener, listener);
  }

  /** {@code process.off('warning', listener)}. */
  public void offWarning(Consumer<NodeWarning> listener) {
    checkThread();
    warningListeners.remove(listener);
  }

  /** {@code process.emitWarning(message)}: a warning named {@code "Warning"}. */
  public void emitWarning(String message) {
    emitWarning(new NodeWarning("Warning", message, null));
  }

  /** {@code process.emitWarning(message, type, code)}; {@code code} may be null. */
  public void emitWarning(String message, String type, String code) {
    emitWarning(new NodeWarning(type, message, code));
  }

  /**
   * {@code process.emitWarning(warning)}: {@code 'warning'} is emitted on the next tick.
   *
   * @throws NullPointerException if {@code warning} is null
   */
  public void emitWarning(NodeWarning warning) {
    Objects.requireNonNull(warning, "warning");
    checkThread();
    nextTick(() -> {
      for (Consumer<NodeWarning> l : warningListeners.snapshot()) {
        l.accept(warning);
      }
      printWarning(warning);
    });
  }

  private void printWarning(NodeWarning w) {
    StringBuilder b = new StringBuilder("(uv4j:").append(ProcessHandle.current().pid()).append(") ")
        .append(w).append('\n');
    if (!warnedOnce) {
      warnedOnce = true;
      b.append("(the warning comes from the program; NodeWarning carries its stack trace)\n");
    }
    System.err.print(b);
  }

  /** Listeners removable by the object the user gave (which may differ from what is called). */
  static final class Listeners<L> {
    private final List<Object> keys = new ArrayList<>();
    private final List<L> calls = new ArrayList<>();

    void add(Object key, L call) {
      keys.add(key);
      calls.add(call);
    }

    /** Removes the most recently added registration of {@code key}, like Node's removeListener. */
    void remove(Object key) {
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (keys.get(i) == key) {
          keys.remove(i);
          calls.remove(i);
          return;
        }
      }
    }

    boolean isEmpty() {
      return calls.isEmpty();
    }

    List<L> snapshot() {
      return new ArrayList<>(calls);
    }
  }

  /** {@code process.exitCode}. */
  public int exitCode() {
    return exitCode;
  }

  public void setExitCode(int code) {
    exitCode = code;
  }

  /**
   * {@code process.exit(code)}: emits {@code exit} and ends the runtime now; no other callback
   * runs. Thrown through the caller's stack as an {@link Error} that the runtime catches.
   */
  public void exit(int code) {
    checkThread();
    exitCode = code;
    exiting = true;
    loop.stop();
    throw new NodeExit(code);
  }

  /** The uncaught exception that ended the runtime, if one did. */
  public Throwable fatalException() {
    return fatal;
  }

  /** process.emit('beforeExit', code): all listeners in one callback scope. */
  private void emitBeforeExit() {
    List<IntConsumer> listeners = new ArrayList<>(beforeExitListeners);
    makeCallback(() -> {
      for (IntConsumer l : listeners) {
        l.accept(exitCode);
      }
    });
  }

  private void emitExit() {
    exiting = true;
    for (IntConsumer l : new ArrayList<>(exitListeners)) {
      try {
        l.accept(exitCode);
      } catch (NodeExit e) {
        // Node: process.exit() inside an 'exit' listener exits at once (process.reallyExit):
        // the code it gives stands and the remaining listeners do not run.
        return;
      } catch (Throwable t) {
        t.printStackTrace();
        exitCode = 7; // Node: internal exception handler run-time failure
      }
    }
  }

  static final String UNCAUGHT = "uncaughtException";

  void handleUncaught(Throwable t) {
    handleUncaught(t, UNCAUGHT);
  }

  void handleUncaught(Throwable t, String origin) {
    if (t instanceof NodeExit) {
      exiting = true;
      loop.stop();
      return;
    }
    if (exiting) {
      return;
    }
    if (!uncaughtExceptionListeners.isEmpty()) {
      try {
        for (java.util.function.BiConsumer<Throwable, String> l : uncaughtExceptionListeners.snapshot()) {
          l.accept(t, origin);
        }
        // Node (process._fatalException): "make sure any ticks get processed by ensuring that
        // the next Immediate cycle isn't empty".
        if (!exiting) {
          setImmediate(NOOP);
        }
        return;
      } catch (NodeExit e) {
        exiting = true;
        loop.stop();
        return;
      } catch (Throwable t2) {
        t2.addSuppressed(t);
        t = t2;
      }
    }
    // Node prints the error and exits with code 1 (after 'exit' listeners).
    fatal = t;
    if (printFatal) {
      System.err.print("Uncaught ");
      t.printStackTrace();
    }
    exitCode = 1;
    exiting = true;
    loop.stop();
  }

  /** Whether the runtime is ending (exit(), or a fatal exception): no more user callbacks run. */
  public boolean isExiting() {
    return exiting;
  }

  /** Milliseconds since the runtime started, on libuv's clock, refreshed (Node: getLibuvNow). */
  public long now() {
    loop.updateTime();
    return loop.now() - timerBase;
  }

  boolean onThread() {
    return Thread.currentThread() == thread;
  }

  void checkThread() {
    if (Thread.currentThread() != thread) {
      throw new IllegalStateException("NodeRuntime used from thread '" + Thread.currentThread().getName()
          + "'; it runs on '" + thread.getName() + "': use runtime.loop().execute(...) to get there");
    }
  }

  /** Thrown by {@link #exit(int)} to unwind the caller; caught by the runtime. */
  static final class NodeExit extends Error {
    private static final long serialVersionUID = 1L;

    NodeExit(int code) {
      super("process.exit(" + code + ")", null, false, false);
    }
  }
}
