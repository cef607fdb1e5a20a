package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A libuv event loop ({@code uv_loop_t}).
 *
 * <p>The thread that calls {@link #run()} is the loop thread: every callback of the loop's
 * handles runs on it, at the moment libuv invokes the C callback. While the loop runs, only
 * {@link #execute(Runnable)} and {@link Async#send()} may be called from other threads; any other
 * method called from another thread throws {@link IllegalStateException}. While no thread runs
 * it, the loop may be used from any one thread at a time.
 *
 * <pre>{@code
 * try (Loop loop = Loop.create()) {
 *   Timer timer = new Timer(loop);
 *   timer.start(100, 0, t -> { System.out.println("tick"); t.close(); });
 *   loop.run();
 * }
 * }</pre>
 *
 * <p>A loop must be closed: {@link #close()} fails with {@code EBUSY} (listing them) while
 * handles are left, {@link #shutdown()} closes them first.
 */
public final class Loop implements AutoCloseable, Executor {
  static {
    NativeLibrary.load();
  }

  /** Address of the native uvj_loop; fixed for the life of the loop, invalid once closed. */
  final long address;
  /** Read by any thread (isClosed, toString): volatile. */
  private volatile boolean closed;
  private final AtomicReference<Thread> runningThread = new AtomicReference<>();
  // A callback's failure (LoopErrors): parked until run() rethrows it, unless the handler takes it.
  Throwable pendingError;
  /** True while this loop's thread is inside uv_run (nRun). */
  boolean insideUvRun;
  CallbackExceptionHandler exceptionHandler;
  /** Whether OwnedFds knows the descriptors libuv opens with a loop's first stream. */
  boolean streamFdsRegistered;
  /** Requests (work, fs, DNS...) whose completion callback has not run yet. */
  int activeRequests;

  // execute()'s queue and wake-up (LoopTasks).
  final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  final AtomicBoolean wakeupPending = new AtomicBoolean();
  /** True while a backlog beyond one batch keeps the wake-up handle ref'd. Loop thread only. */
  boolean backlogRef;
  /** Bit 0: closed for execute(); the rest, twice the number of execute() calls in flight. */
  final AtomicInteger executeGuard = new AtomicInteger();

  /**
   * Completions of pool requests (work, fs, DNS) recorded by the native side and handed over in
   * one upcall per batch ({@link #onCompletions}): records of {@code int index, int kind, long
   * result} [+ 20 longs of stat, or a DNS answer]. A view of memory the native loop owns and
   * frees when it closes (not left for a GC to find); read only in onCompletions, which cannot
   * run after close.
   */
  final ByteBuffer doneBuffer;

  /** This loop's id in {@link Upcalls}' registry when FFM up-calls are on, else 0. */
  int upcallId;

  /**
   * Whether a pass of libuv's timers that fires several {@link Timer}s, and an idle, prepare or
   * check phase that calls several handles, reach Java in one upcall (docs/ARCHITECTURE.md,
   * "Timer fires and idle/prepare/check calls in a batch"); on unless
   * {@code -Duv4j.timerBatch=false}. Either way the same callbacks run in the same order.
   */
  static final boolean TIMER_BATCH = !"false".equals(System.getProperty("uv4j.timerBatch"));

  /** Counts {@link #onCompletions} calls: a Timer notes the one in which Java last changed it. */
  int batch;
  /** Timer fires and loop-watcher calls delivered in a batch rather than by their own upcall (tests). */
  long batchedFires;

  private Loop() throws UvException {
    long a = nInit(this);
    try {
      this.doneBuffer = nDoneBuffer(a).order(ByteOrder.nativeOrder());
    } catch (RuntimeException | Error e) {
      nClose(a);
      throw e;
    }
    this.address = a;
    if (!TIMER_BATCH) {
      nTimerBatch(address, false);
    }
    Upcalls.attach(this); // FFM stubs (JDK 22+) before any callback can run
    OwnedFds.registerLoop(this); // Fs.close refuses the loop's internal descriptors
  }

  /**
   * Creates a new loop ({@code uv_loop_init}).
   *
   * <pre>{@code
   * try (Loop loop = Loop.create()) {
   *   new Timer(loop).start(10, t -> {
   *     System.out.println("tick");
   *     t.close(); // a loop closes only once its handles are closed
   *   });
   *   loop.run();
   * }
   * }</pre>
   *
   * @throws UvException if libuv cannot create it (for example {@code EMFILE}: no descriptor
   *     left for its epoll instance or wake-up eventfd)
   * @throws UnsupportedOperationException if the JVM offers no JNI direct buffers
   *     ({@code NewDirectByteBuffer}), which the loop's completion and read buffers need; HotSpot
   *     always does
   */
  public static Loop create() throws UvException {
    return new Loop();
  }

  // ---------------------------------------------------------------- running

  /** Runs in {@link RunMode#DEFAULT} mode. */
  public int run() {
    return run(RunMode.DEFAULT);
  }

  /**
   * Runs the loop ({@code uv_run}) on the calling thread and returns libuv's value: non-zero if
   * handles or requests are still alive (ONCE/NOWAIT, or after {@link #stop()}).
   *
   * <p>Tasks given to {@link #execute} while no run was active run first. If a callback threw
   * and no {@link CallbackExceptionHandler} took it, the loop stops at the end of that iteration
   * and this method rethrows the exception (a checked one wrapped in a RuntimeException); the
   * loop stays usable.
   *
   * @throws IllegalStateException if the loop is closed, already running on another thread, or
   *     this is called from one of its own callbacks (libuv's uv_run is not reentrant)
   */
  public int run(RunMode mode) {
    Objects.requireNonNull(mode, "mode");
    checkOpen();
    claim("run()");
    try {
      checkOpen(); // again: a close() on another thread may have finished since the first check
      return runClaimed(mode);
    } finally {
      runningThread.set(null);
    }
  }

  /** run() once this thread owns the loop. */
  int runClaimed(RunMode mode) {
    int result = 0;
    try {
      // Tasks given while no run was active all run now, in batches: nothing else may keep the
      // loop alive to drain a rest through the (unref'd) wake-up handle.
      int queued = tasks.size();
      do {
        runTasks();
        queued -= LoopTasks.MAX_PER_WAKEUP;
      } while (queued > 0 && pendingError == null);
      if (pendingError == null) {
        insideUvRun = true;
        try {
          result = nRun(address, mode.code);
        } finally {
          insideUvRun = false;
        }
      }
    } catch (Throwable escaped) { // parked by the native safety net, rethrown by nRun
      LoopErrors.record(this, escaped);
    }
    rethrowPendingError();
    return result;
  }

  /**
   * Makes the calling thread the loop's owner, as run() does, so that run(), close() and
   * shutdown() on two threads can never overlap (libuv's loop is not thread-safe). Released by
   * the caller with {@code runningThread.set(null)}.
   */
  private void claim(String what) {
    Thread me = Thread.currentThread();
    if (!runningThread.compareAndSet(null, me)) {
      Thread other = runningThread.get();
      if (other == me) {
        throw new IllegalStateException("Loop." + what + " called from a callback of the same loop: "
            + (what.equals("run()") ? "libuv's uv_run is not reentrant"
                : "call stop() and do it after run() returns"));
      }
      throw foreignThread(other); // running (or closing) there; the same advice applies
    }
  }

  /** Stops the loop at the end of the current iteration ({@code uv_stop}). */
  public void stop() {
    checkUsable();
    nStop(address);
  }

  /**
   * Whether some thread is inside {@link #run()} (or {@link #close()}/{@link #shutdown()}, which
   * take the loop the same way) right now. Any thread may ask.
   */
  public boolean isRunning() {
    return runningThread.get() != null;
  }

  /** Whether {@link #close()} succeeded. */
  public boolean isClosed() {
    return closed;
  }

  /** {@code uv_loop_alive}: whether active and referenced handles or requests, or closing handles, exist. */
  public boolean alive() {
    checkUsable();
    return nAlive(address);
  }

  /** {@code uv_now}: the loop's cached time in milliseconds, updated at the start of each iteration. */
  public long now() {
    checkUsable();
    return nNow(address);
  }

  /** {@code uv_update_time}: refreshes the cached time. */
  public void updateTime() {
    checkUsable();
    nUpdateTime(address);
  }

  /**
   * {@code uv_backend_timeout}: how long the next poll would block, in ms; -1 means no limit. On a
   * loop that has not run yet this is 0 whatever its timers say: the internal wake-up handle of
   * {@link #execute} still has to be registered with the poller ("run the loop to update state").
   */
  public int backendTimeout() {
    checkUsable();
    return nBackendTimeout(address);
  }

  /** {@code uv_backend_fd}: the epoll/kqueue descriptor (-1 where there is none). */
  public int backendFd() {
    checkUsable();
    return nBackendFd(address);
  }

  /** {@code uv_loop_configure(UV_METRICS_IDLE_TIME)}: starts accounting time spent idle in the poll. */
  public void enableIdleTimeMetrics() {
    configure(1);
  }

  /**
   * {@code uv_loop_configure(UV_LOOP_BLOCK_SIGNAL, SIGPROF)}: blocks SIGPROF while polling, so
   * profilers' signals do not wake the loop.
   */
  public void blockProfilingSignal() {
    configure(0);
  }

  /** {@code uv_loop_configure}: 0 blocks SIGPROF, 1 enables idle time metrics (loop.c). */
  private void configure(int option) {
    checkUsable();
    int r = nConfigure(address, option);
    if (r != 0) {
      throw unchecked(r, "uv_loop_configure");
    }
  }

  /**
   * {@code uv_metrics_idle_time}: time spent blocked in the poll since metrics were enabled with
   * {@link #enableIdleTimeMetrics()} (zero before).
   */
  public Duration idleTime() {
    checkUsable();
    return Duration.ofNanos(nIdleTime(address));
  }

  /** Sets what happens when a callback throws; null restores the default (stop and rethrow). */
  public void setExceptionHandler(CallbackExceptionHandler handler) {
    checkThread();
    this.exceptionHandler = handler;
  }

  // ---------------------------------------------------------------- handles

  /** {@code uv_walk}: calls {@code visitor} for every handle of the loop, closing ones included. */
  public void walk(Consumer<Handle> visitor) {
    Objects.requireNonNull(visitor, "visitor");
    for (Handle h : handles()) {
      visitor.accept(h);
    }
  }

  /** Every handle of the loop, closing ones included (the internal wake-up handle is hidden). */
  public List<Handle> handles() {
    checkUsable();
    return Collections.unmodifiableList(Arrays.asList(nHandles(address)));
  }

  /**
   * {@code uv_print_all_handles} as text: one line per handle, flags as libuv prints them
   * ({@code R} referenced, {@code A} active), then the handle.
   */
  public String describeHandles() {
    StringBuilder sb = new StringBuilder();
    for (Handle h : handles()) {
      sb.append('[').append(h.hasRef() ? 'R' : '-').append(h.isActive() ? 'A' : '-').append("] ")
          .append(h).append('\n');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- thread pool

  /**
   * {@code uv_queue_work}: runs {@code work} on a libuv pool thread, then {@code after} on this
   * loop's thread with {@code null}, the exception {@code work} threw, or a {@link UvException}
   * {@code ECANCELED} if it was cancelled first. The request keeps the loop alive until
   * {@code after} has run.
   *
   * <pre>{@code
   * loop.queueWork(() -> hash(password), error -> System.out.println("hashed"));
   * }</pre>
   */
  public WorkRequest queueWork(Runnable work, Consumer<Throwable> after) {
    checkUsable();
    WorkRequest req = new WorkRequest(this, work, after, false);
    req.enqueue();
    requestStarted();
    return req;
  }

  /**
   * A reusable {@code uv_work_t}, not queued yet: each {@link WorkRequest#queue()} runs
   * {@code work} on a libuv pool thread, then {@code after} on this loop's thread, as
   * {@link #queueWork(Runnable, Consumer)} does, and the request may be queued again from
   * {@code after} or later. Queued this way, a round trip allocates nothing on the loop thread.
   *
   * <pre>{@code
   * long[] left = {1000};
   * WorkRequest[] req = new WorkRequest[1];
   * req[0] = loop.workRequest(() -> step(), error -> { if (--left[0] > 0) req[0].queue(); });
   * req[0].queue();
   * }</pre>
   *
   * @throws NullPointerException if {@code work} or {@code after} is null
   * @throws IllegalStateException if the loop is closed or runs on another thread
   */
  public WorkRequest workRequest(Runnable work, Consumer<Throwable> after) {
    checkUsable();
    return new WorkRequest(this, work, after, true);
  }

  /**
   * Runs {@code work} on a libuv pool thread; the future completes on this loop's thread with its
   * value, or exceptionally with what it threw (or {@code ECANCELED}). Cancelling the future does
   * not cancel the work: use {@link #queueWork(Runnable, Consumer)} and
   * {@link WorkRequest#cancel()} for that.
   */
  public <T> CompletableFuture<T> queueWork(Callable<T> work) {
    return WorkRequest.future(this, work);
  }

  void requestStarted() {
    activeRequests++;
  }

  void requestDone() {
    activeRequests--;
  }

  // ---------------------------------------------------------------- the request table

  // The table's state; LoopRequests holds the code and says how it works. Fields of the loop, not
  // of another object, so the fire and completion paths load them without one more indirection.
  /** Requests, Timers (and FFM handles) by index; read by pool threads, hence volatile. */
  volatile Object[] requestTable = new Object[64];
  /** The free indexes below slotsUsed, as a bitmap (see {@link LoopRequests}). */
  long[] freeBits = new long[1];
  /** No free index lies in a word below this one. */
  int freeWord;
  int freeCount;
  int slotsUsed;

  /** Takes an index for {@code request}. Loop thread. */
  int takeSlot(Object request) {
    return LoopRequests.takeSlot(this, request);
  }

  /** Releases an index taken by {@link #takeSlot}. Loop thread. */
  void releaseSlot(int i) {
    LoopRequests.releaseSlot(this, i);
  }

  /** Called by timer.c when the Timer at {@code index} fires. Loop thread. */
  void onTimer(int index) {
    ((Timer) requestTable[index]).onTimer();
  }

  /** Indexes taken and not released (tests). */
  int slotsInUse() {
    return LoopRequests.slotsInUse(this);
  }

  /** The object at {@code index} (timer.c, for {@link #handles()}; FFM up-calls: a handle's peer index). */
  Object slot(int index) {
    return requestTable[index];
  }

  /** Called by work.c on a pool thread: runs the work of the request at {@code index}. */
  void runWork(int index) {
    ((WorkRequest) requestTable[index]).runWork();
  }

  /** Tests: the completion buffer holds only {@code bytes} (at least 256), so batches fill up. */
  void limitBatch(int bytes) {
    checkUsable();
    nLimitBatch(address, bytes);
  }

  /** Switches batched timer fires on or off for this loop (tests compare both). Loop thread. */
  void timerBatch(boolean on) {
    checkUsable();
    nTimerBatch(address, on);
  }

  /**
   * Called by the native side on the loop thread with {@code count} completion records in
   * {@link #doneBuffer}: {@link LoopRequests#onCompletions}.
   */
  void onCompletions(int count) {
    LoopRequests.onCompletions(this, count);
  }

  /** Called by fs.c for a completion whose result is a Java object (not batched). */
  void completeFs(int index, long result, Object extra) {
    LoopRequests.completeFs(this, index, result, extra);
  }

  // ---------------------------------------------------------------- stream reads

  /** Where every stream read of this loop lands; see {@link ReadCallback}. Loop thread only. */
  ByteBuffer readBuffer;
  /** readBuffer's native address: writes of it pass the address, not the object (Stream.write). */
  long readBase;
  private int readBufferSize = LoopReadBuffers.DEFAULT_SIZE;

  /**
   * Sets the size of the loop's read buffer (default 64 KiB, at most 64 MiB): the most one read
   * callback can deliver. Only before the first stream starts reading.
   *
   * @throws IllegalArgumentException outside 1024 bytes to 64 MiB
   * @throws IllegalStateException once a stream of this loop reads
   */
  public void setReadBufferSize(int bytes) {
    checkUsable();
    if (bytes < 1024 || bytes > LoopReadBuffers.MAX_SIZE) {
      throw new IllegalArgumentException("read buffer must be 1024 bytes to 64 MiB: " + bytes);
    }
    if (readBuffer != null) {
      throw new IllegalStateException("a stream or UDP handle of this loop already reads into the current buffer");
    }
    readBufferSize = bytes;
  }

  /** Allocated on first use (see {@link LoopReadBuffers}): a Java direct buffer, so a view kept too long never dangles. */
  ByteBuffer readBuffer() {
    ByteBuffer b = readBuffer;
    return b != null ? b : LoopReadBuffers.allocate(this, readBufferSize);
  }

  // ---------------------------------------------------------------- execute

  /**
   * Runs {@code task} on the loop thread, soon. Any thread may call it, at any time while the
   * loop is open. Tasks from one thread run in the order they were given; none is dropped. The
   * loop is woken once per batch of tasks; the mechanism does not keep the loop alive on its own:
   * tasks given while no {@link #run()} is active run at the start of the next one (or in
   * {@link #close()}). A wake-up runs at most 4096 tasks before the loop returns to I/O; a
   * backlog beyond that does keep the loop alive until it has run, so a task that keeps queueing
   * tasks keeps the loop running (like recursive {@code setImmediate} in Node).
   *
   * @throws RejectedExecutionException once the loop is closed
   */
  @Override
  public void execute(Runnable task) {
    LoopTasks.execute(this, task);
  }

  /** Called on the loop thread by the wake-up handle, and by run()/close(): {@link LoopTasks}. */
  void runTasks() {
    LoopTasks.runTasks(this);
  }

  // ---------------------------------------------------------------- close

  /**
   * Closes the loop ({@code uv_loop_close}) after running tasks still queued by
   * {@link #execute}. Closing a closed loop does nothing.
   *
   * @throws UvException {@code EBUSY}, listing them, while handles remain (the loop stays open;
   *     see {@link #shutdown()})
   * @throws IllegalStateException if the loop is running
   */
  @Override
  public void close() throws UvException {
    if (closed) {
      return;
    }
    claim("close()");
    try {
      LoopClose.closeClaimed(this);
    } finally {
      runningThread.set(null);
    }
  }

  /**
   * Closes every handle, runs the loop until their close callbacks (and the completion callbacks
   * of requests in flight) have run, then closes the loop. Callbacks may still run (timers due, close callbacks); if one throws, this method
   * rethrows it and the loop stays open.
   */
  public void shutdown() throws UvException {
    if (closed) {
      return;
    }
    claim("shutdown()");
    try {
      if (closed) {
        return;
      }
      LoopClose.shutdownClaimed(this);
    } finally {
      runningThread.set(null);
    }
  }

  /** LoopClose, once uv_loop_close succeeded. */
  void markClosed() {
    closed = true;
  }

  // ---------------------------------------------------------------- plumbing

  /** Called on the loop thread when user code in a callback threw: {@link LoopErrors}. */
  void callbackFailed(Object source, Throwable t) {
    LoopErrors.callbackFailed(this, source, t);
  }

  /**
   * A Throwable escaped an FFM up-call of this loop (Upcalls.escaped, loop thread): what the
   * JNI path's native safety net does (park it, stop the loop, run() rethrows it).
   */
  void upcallEscaped(Throwable t) {
    LoopErrors.record(this, t);
  }

  /** Whether {@code t} owns the loop right now (inside run(), close() or shutdown()). */
  boolean isRunningOn(Thread t) {
    return runningThread.get() == t;
  }

  void rethrowPendingError() {
    LoopErrors.rethrowPending(this);
  }

  void checkOpen() {
    if (closed) {
      throw new IllegalStateException("Loop is closed");
    }
  }

  /** Throws if another thread runs the loop right now. */
  void checkThread() {
    Thread t = runningThread.get();
    if (t != null && t != Thread.currentThread()) {
      throw foreignThread(t);
    }
  }

  /** Whether {@code t} may touch the loop now (no other thread runs it) and it is open. */
  boolean isUsableBy(Thread t) {
    Thread running = runningThread.get();
    return !closed && (running == null || running == t);
  }

  /** The loop is open and the caller may touch it. */
  void checkUsable() {
    checkOpen();
    checkThread();
  }

  private static IllegalStateException foreignThread(Thread loopThread) {
    // loopThread is null when run() lost a race with a run() that has just ended.
    String where = loopThread == null ? "another thread" : "thread '" + loopThread.getName() + "'";
    return new IllegalStateException("called from thread '" + Thread.currentThread().getName()
        + "' while the loop runs on " + where
        + ": only Loop.execute() and Async.send() may be called from other threads; "
        + "use loop.execute(() -> ...) to run this on the loop thread");
  }

  static RuntimeException unchecked(int code, String syscall) {
    return new java.io.UncheckedIOException(new UvException(code, syscall));
  }

  @Override
  public String toString() {
    return "Loop[" + (closed ? "closed" : isRunning() ? "running" : "idle") + "]";
  }

  private static native long nInit(Loop self) throws UvException;

  private static native ByteBuffer nDoneBuffer(long address);

  private static native void nTimerBatch(long address, boolean on);

  private static native void nLimitBatch(long address, int bytes);

  static native int nClose(long address);

  private static native int nRun(long address, int mode);

  static native void nStop(long address);

  private static native boolean nAlive(long address);

  private static native long nNow(long address);

  private static native void nUpdateTime(long address);

  private static native int nBackendTimeout(long address);

  private static native int nBackendFd(long address);

  private static native int nConfigure(long address, int option);

  private static native long nIdleTime(long address);

  static native int nWakeup(long address);

  static native void nWakeupRef(long address, boolean ref);

  static native int nSetReadBuffer(long address, ByteBuffer buffer);

  static native Handle[] nHandles(long address);
}
