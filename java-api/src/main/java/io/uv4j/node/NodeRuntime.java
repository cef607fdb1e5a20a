package io.uv4j.node;

import io.uv4j.Loop;
import io.uv4j.UvException;
import java.util.Objects;
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
 * <p>Modules: {@link #fs()}, {@link #net()}, {@link #dns()}, {@link #crypto()} (Node's
 * {@code require}: each made at its first use). Process events: {@code beforeExit}, {@code exit},
 * {@code uncaughtException} (with its origin), {@code unhandledRejection},
 * {@code rejectionHandled}, {@code warning}, each with an {@code off*} to remove a listener.
 * The machinery lives in package-private classes along Node's own files: {@code Timers},
 * {@code Immediates}, {@code TaskQueues}, {@code ProcessEvents}.
 *
 * <p>A runtime belongs to the thread that runs it; its methods must be called on that thread
 * ({@link Loop#execute} hands work over from others).
 */
public final class NodeRuntime {
  /** Node's TIMEOUT_MAX: delays above it (or below 1 ms, or NaN) become 1 ms. */
  public static final long TIMEOUT_MAX = 2147483647L;

  private static final ThreadLocal<NodeRuntime> CURRENT = new ThreadLocal<>();
  static final Runnable NOOP = () -> { };

  private final Loop loop;
  private final Thread thread;
  final long timerBase;

  // The pieces of Node's event loop, one file each: timers, immediates, task queues, process.
  final Timers timers;
  final Immediates immediates;
  final TaskQueues queues = new TaskQueues(this);
  final ProcessEvents process = new ProcessEvents();

  int exitCode;
  boolean exiting;
  Throwable fatal;
  /** net's autoSelectFamily defaults ({@code net.setDefaultAutoSelectFamily*}), per runtime as per Node isolate. */
  boolean autoSelectFamilyDefault = true;
  int autoSelectFamilyAttemptTimeoutDefault = 250;
  /** dns.lookup('') warned already (DEP0118 is emitted once). */
  boolean warnedEmptyHostname;
  /** The fs module's state in this runtime ({@link FsWatch}), made at its first use. */
  FsWatch.State fsState;
  final RuntimeOptions options;
  /** False in workers: their fatal exception goes to the parent's 'error' instead of stderr. */
  boolean printFatal = true;

  private NodeRuntime(Loop loop, RuntimeOptions options) {
    this.loop = loop;
    this.options = options;
    this.thread = Thread.currentThread();
    loop.updateTime();
    this.timerBase = loop.now();
    this.timers = new Timers(this);
    this.immediates = new Immediates(this);
  }

  /**
   * Runs {@code main} as Node runs a main module, then the event loop until nothing is left
   * alive (emitting {@code beforeExit}, which may schedule more), then {@code exit}. Returns the
   * exit code: {@link #exitCode()} (0 by default), 1 after an uncaught exception, or the code
   * given to {@link #exit(int)}. The loop is created and closed here, on the calling thread.
   */
  public static int run(Consumer<NodeRuntime> main) throws UvException {
    return run(RuntimeOptions.defaults(), main);
  }

  /**
   * {@link #run(Consumer)} with {@code options} (Node's command-line flags, e.g.
   * {@code --unhandled-rejections}).
   *
   * @throws NullPointerException if an argument is null
   */
  public static int run(RuntimeOptions options, Consumer<NodeRuntime> main) throws UvException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(main, "main");
    Loop loop = Loop.create();
    try {
      NodeRuntime node = new NodeRuntime(loop, options);
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

  /** The runtime running on this thread, or null outside {@link #run}. */
  static NodeRuntime currentOrNull() {
    return CURRENT.get();
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
      boolean natural = !exiting;
      if (emitExit() && natural) {
        // Node emits a natural exit's 'exit' through MakeCallback: closing that callback scope
        // runs the microtasks the listeners queued (their ticks are dropped: process._exiting).
        // process.exit() and a fatal exception end the process without that checkpoint.
        queues.runMicrotasksAfterExit();
      }
      return exitCode;
    } finally {
      exiting = true; // no more user code from close callbacks during shutdown
      timers.close();
      immediates.close();
      if (outer != null) {
        CURRENT.set(outer);
      } else {
        CURRENT.remove();
      }
    }
  }

  // ===================================================================== modules

  // require('fs'), require('net'), ...: each module object is made at its first use and kept
  // (so a program pays the class loading of the modules it uses only). One line per module.
  private NodeFs fs;
  private Net net;
  private NodeDns dns;
  private Crypto crypto;

  /** {@code require('fs')}: this runtime's {@link NodeFs} (the same object on every call). */
  public NodeFs fs() {
    return fs != null ? fs : (fs = NodeFs.of(this));
  }

  /** {@code require('net')}. */
  public Net net() {
    return net != null ? net : (net = Net.of(this));
  }

  /** {@code require('dns')}. */
  public NodeDns dns() {
    return dns != null ? dns : (dns = NodeDns.of(this));
  }

  /** {@code require('crypto')}. */
  public Crypto crypto() {
    return crypto != null ? crypto : (crypto = Crypto.of(this));
  }

  // ===================================================================== timers

  /** {@code setTimeout(callback, delay)}: delays below 1, above 2^31-1 or NaN become 1 ms. */
  public Timeout setTimeout(Runnable callback, double delayMs) {
    return timers.newTimeout(callback, delayMs, false);
  }

  /** {@code setInterval(callback, delay)}. */
  public Timeout setInterval(Runnable callback, double delayMs) {
    return timers.newTimeout(callback, delayMs, true);
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
    self[0] = timers.newTimeout(() -> callback.accept(self[0]), delayMs, false);
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
    self[0] = timers.newTimeout(() -> callback.accept(self[0]), delayMs, true);
    return self[0];
  }

  /** {@code setTimeout(callback, delay, arg)}: {@code callback} gets {@code arg}. */
  public <A> Timeout setTimeout(Consumer<? super A> callback, double delayMs, A arg) {
    Objects.requireNonNull(callback, "callback");
    return timers.newTimeout(() -> callback.accept(arg), delayMs, false);
  }

  /** {@code setTimeout(callback, delay, a, b)}: {@code callback} gets {@code a} and {@code b}. */
  public <A, B> Timeout setTimeout(java.util.function.BiConsumer<? super A, ? super B> callback,
      double delayMs, A a, B b) {
    Objects.requireNonNull(callback, "callback");
    return timers.newTimeout(() -> callback.accept(a, b), delayMs, false);
  }

  /** {@code setInterval(callback, delay, arg)}: {@code callback} gets {@code arg} each time. */
  public <A> Timeout setInterval(Consumer<? super A> callback, double delayMs, A arg) {
    Objects.requireNonNull(callback, "callback");
    return timers.newTimeout(() -> callback.accept(arg), delayMs, true);
  }

  /** {@code clearTimeout}: null and already-cleared timers are ignored, like Node. */
  public void clearTimeout(Timeout timer) {
    checkThread();
    timers.clear(timer);
  }

  /** {@code clearInterval}: the same as {@link #clearTimeout}. */
  public void clearInterval(Timeout timer) {
    clearTimeout(timer);
  }

  // ===================================================================== immediates

  /** {@code setImmediate(callback)}: runs in the check phase, after the poll. */
  public Immediate setImmediate(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    return immediates.add(callback);
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
    immediates.clear(im);
  }

  // ===================================================================== ticks and microtasks

  /** {@code process.nextTick(callback)}: before any other callback, before promise jobs. */
  public void nextTick(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    queues.ticks.add(callback);
  }

  /** {@code process.nextTick(callback, arg)}: {@code callback} gets {@code arg}. */
  public <A> void nextTick(Consumer<? super A> callback, A arg) {
    Objects.requireNonNull(callback, "callback");
    nextTick(() -> callback.accept(arg));
  }

  /** {@code process.nextTick(callback, a, b)}: {@code callback} gets {@code a} and {@code b}. */
  public <A, B> void nextTick(java.util.function.BiConsumer<? super A, ? super B> callback, A a, B b) {
    Objects.requireNonNull(callback, "callback");
    nextTick(() -> callback.accept(a, b));
  }

  /**
   * {@code process.nextTick(callback, ...args)}: {@code callback} gets the arguments as an
   * array (its own name: an overload would make lambdas ambiguous).
   */
  public void nextTickWith(EventEmitter.Listener callback, Object... args) {
    Objects.requireNonNull(callback, "callback");
    Object[] copy = args == null ? new Object[] {null} : args.clone();
    nextTick(() -> callback.call(copy));
  }

  /** {@code queueMicrotask(callback)}: FIFO with promise jobs. */
  public void queueMicrotask(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread();
    queues.microtasks.add(callback);
  }

  void enqueueMicrotask(Runnable job) {
    queues.microtasks.add(job);
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
    queues.tickAfterCallback();
  }

  // ===================================================================== process

  /** {@code process.on('beforeExit', listener)}: gets the exit code; may schedule more work. */
  public void onBeforeExit(IntConsumer listener) {
    checkThread();
    process.beforeExit.add(Objects.requireNonNull(listener));
  }

  /**
   * {@code process.on('exit', listener)}: last chance. Ticks, timers and I/O started here never
   * run; after a natural exit (not {@link #exit(int)}) the microtasks queued here still do, then
   * 'unhandledRejection' for rejections left unhandled, as in Node.
   */
  public void onExit(IntConsumer listener) {
    checkThread();
    process.exit.add(Objects.requireNonNull(listener));
  }

  /** {@code process.off('beforeExit', listener)}: the same object given to {@link #onBeforeExit}. */
  public void offBeforeExit(IntConsumer listener) {
    checkThread();
    process.beforeExit.remove(listener);
  }

  /** {@code process.off('exit', listener)}. */
  public void offExit(IntConsumer listener) {
    checkThread();
    process.exit.remove(listener);
  }

  /** {@code process.on('uncaughtException', listener)}: with one, the runtime goes on. */
  public void onUncaughtException(Consumer<Throwable> listener) {
    Objects.requireNonNull(listener, "listener");
    checkThread();
    process.uncaughtException.add(listener, (t, origin) -> listener.accept(t));
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
    process.uncaughtException.add(listener, listener);
  }

  /** {@code process.off('uncaughtException', listener)}: the object given to {@code onUncaughtException}. */
  public void offUncaughtException(Object listener) {
    checkThread();
    process.uncaughtException.remove(listener);
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
    process.unhandledRejection.add(listener, listener);
  }

  /** {@code process.off('unhandledRejection', listener)}. */
  public void offUnhandledRejection(java.util.function.BiConsumer<Throwable, Promise<?>> listener) {
    checkThread();
    process.unhandledRejection.remove(listener);
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
    process.rejectionHandled.add(listener, listener);
  }

  /** {@code process.off('rejectionHandled', listener)}. */
  public void offRejectionHandled(Consumer<Promise<?>> listener) {
    checkThread();
    process.rejectionHandled.remove(listener);
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
    process.warning.add(listener, listener);
  }

  /** {@code process.off('warning', listener)}. */
  public void offWarning(Consumer<NodeWarning> listener) {
    checkThread();
    process.warning.remove(listener);
  }

  /**
   * {@code process.emitWarning(message)}: a warning named {@code "Warning"}.
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE if {@code message} is null, as Node's
   */
  public void emitWarning(String message) {
    emitWarning(message, (String) null, null);
  }

  /**
   * {@code process.emitWarning(message, type, code)}: {@code type} null is {@code "Warning"}
   * (Node's undefined), {@code code} may be null.
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE if {@code message} is null, as Node's
   */
  public void emitWarning(String message, String type, String code) {
    emitWarning(message, new NodeWarning.Options(type, code, null));
  }

  /**
   * {@code process.emitWarning(message, {type, code, detail})}: Node prints the detail on the
   * line after the warning.
   *
   * <pre>{@code
   * node.emitWarning("cache is cold", new NodeWarning.Options("PerfWarning", "PERF01", "warm it up first"));
   * // stderr: (uv4j:PID) [PERF01] PerfWarning: cache is cold
   * //         warm it up first
   * }</pre>
   *
   * @throws NodeError ERR_INVALID_ARG_TYPE if {@code message} is null, as Node's
   * @throws NullPointerException if {@code options} is null
   */
  public void emitWarning(String message, NodeWarning.Options options) {
    emitWarning(ProcessEvents.warning(message, options));
  }

  /**
   * {@code process.emitWarning(warning)}: {@code 'warning'} is emitted on the next tick.
   *
   * @throws NullPointerException if {@code warning} is null
   */
  public void emitWarning(NodeWarning warning) {
    Objects.requireNonNull(warning, "warning");
    checkThread();
    nextTick(() -> process.emitWarning(warning));
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
    RuntimeExit.emitBeforeExit(this);
  }

  /** process.emit('exit', code); false if a listener called process.exit(). */
  private boolean emitExit() {
    return RuntimeExit.emitExit(this);
  }

  static final String UNCAUGHT = "uncaughtException";

  void handleUncaught(Throwable t) {
    handleUncaught(t, UNCAUGHT);
  }

  /** An exception from a callback (see {@link RuntimeExit#handleUncaught}). */
  void handleUncaught(Throwable t, String origin) {
    RuntimeExit.handleUncaught(this, t, origin);
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
