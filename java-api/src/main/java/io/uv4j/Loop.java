package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayDeque;
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

  /** Tasks run per wake-up before the loop goes back to I/O; the rest run next iteration. */
  private static final int MAX_TASKS_PER_WAKEUP = 4096;

  /** Address of the native uvj_loop; fixed for the life of the loop, invalid once closed. */
  final long address;
  /** Read by any thread (isClosed, toString): volatile. */
  private volatile boolean closed;
  private final AtomicReference<Thread> runningThread = new AtomicReference<>();
  private Throwable pendingError;
  /** True while this loop's thread is inside uv_run (nRun). */
  private boolean insideUvRun;
  private CallbackExceptionHandler exceptionHandler;
  /** Whether OwnedFds knows the descriptors libuv opens with a loop's first stream. */
  boolean streamFdsRegistered;
  /** Requests (work, fs, DNS...) whose completion callback has not run yet. */
  private int activeRequests;

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  /** True while a backlog beyond one batch keeps the wake-up handle ref'd. Loop thread only. */
  private boolean backlogRef;
  /** Bit 0: closed for execute(); the rest, twice the number of execute() calls in flight. */
  private final AtomicInteger executeGuard = new AtomicInteger();

  /**
   * Completions of pool requests (work, fs, DNS) recorded by the native side and handed over in
   * one upcall per batch ({@link #onCompletions}): records of {@code int index, int kind, long
   * result} [+ 20 longs of stat, or a DNS answer]. A view of memory the native loop owns and
   * frees when it closes (not left for a GC to find); read only in onCompletions, which cannot
   * run after close.
   */
  private final ByteBuffer doneBuffer;

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
  private int runClaimed(RunMode mode) {
    int result = 0;
    try {
      // Tasks given while no run was active all run now, in batches: nothing else may keep the
      // loop alive to drain a rest through the (unref'd) wake-up handle.
      int queued = tasks.size();
      do {
        runTasks();
        queued -= MAX_TASKS_PER_WAKEUP;
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
      recordError(escaped);
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
    checkUsable();
    int r = nConfigure(address, 1);
    if (r != 0) {
      throw unchecked(r, "uv_loop_configure");
    }
  }

  /**
   * {@code uv_loop_configure(UV_LOOP_BLOCK_SIGNAL, SIGPROF)}: blocks SIGPROF while polling, so
   * profilers' signals do not wake the loop.
   */
  public void blockProfilingSignal() {
    checkUsable();
    int r = nConfigure(address, 0);
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
    WorkRequest req = new WorkRequest(this, work, after);
    req.queue();
    requestStarted();
    return req;
  }

  /**
   * Runs {@code work} on a libuv pool thread; the future completes on this loop's thread with its
   * value, or exceptionally with what it threw (or {@code ECANCELED}). Cancelling the future does
   * not cancel the work: use {@link #queueWork(Runnable, Consumer)} and
   * {@link WorkRequest#cancel()} for that.
   */
  public <T> CompletableFuture<T> queueWork(Callable<T> work) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> future = new CompletableFuture<>();
    Object[] result = new Object[1];
    queueWork(() -> {
      try {
        result[0] = work.call();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new WrappedCheckedException(e);
      }
    }, error -> {
      if (error == null) {
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        future.complete(value);
      } else {
        future.completeExceptionally(error instanceof WrappedCheckedException ? error.getCause() : error);
      }
    });
    return future;
  }

  /** Carries a checked exception out of a Callable through the Runnable-based work path. */
  private static final class WrappedCheckedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrappedCheckedException(Exception cause) {
      super(cause);
    }
  }

  void requestStarted() {
    activeRequests++;
  }

  void requestDone() {
    activeRequests--;
  }

  // ---------------------------------------------------------------- the request table

  /*
   * Pool requests (work, fs, DNS) and Timers are known to native code by their index here, never
   * by a JNI reference: the native request (timer) at the same index of the loop's request
   * (timer) slab is reused with the index. A Timer holds its index from its constructor to its
   * close.
   * Indexes are taken and released on the loop thread; a pool thread reads the array (volatile:
   * a grown array is published whole; an entry is written before its request is queued, which
   * libuv's queue mutex orders before the pool thread's read).
   */
  private volatile Object[] requestTable = new Object[64];
  /*
   * The free indexes below slotsUsed, as a bitmap: takeSlot hands out the lowest, so indexes (and
   * the slab elements native code keeps at them) stay packed and are reused in address order, as
   * a C program's malloc reuses freed memory. A stack of freed indexes would hand a million new
   * Timers elements in the reverse order of their closes, a cache and TLB miss each.
   */
  private long[] freeBits = new long[1];
  /** No free index lies in a word below this one. */
  private int freeWord;
  private int freeCount;
  private int slotsUsed;

  /** Takes an index for {@code request}. Loop thread. */
  int takeSlot(Object request) {
    Object[] table = requestTable;
    int i;
    if (freeCount > 0) {
      long[] bits = freeBits;
      int w = freeWord;
      while (bits[w] == 0) {
        w++;
      }
      long word = bits[w];
      i = (w << 6) | Long.numberOfTrailingZeros(word);
      bits[w] = word & (word - 1);
      freeWord = w;
      freeCount--;
    } else {
      i = slotsUsed++;
      if (i == table.length) {
        table = Arrays.copyOf(table, table.length * 2);
        requestTable = table;
      }
      if ((i >>> 6) == freeBits.length) {
        freeBits = Arrays.copyOf(freeBits, freeBits.length * 2);
      }
    }
    table[i] = request;
    return i;
  }

  /** Releases an index taken by {@link #takeSlot}. Loop thread. */
  void releaseSlot(int i) {
    requestTable[i] = null;
    int w = i >>> 6;
    freeBits[w] |= 1L << i;
    if (w < freeWord) {
      freeWord = w;
    }
    freeCount++;
  }

  /** Called by timer.c when the Timer at {@code index} fires. Loop thread. */
  void onTimer(int index) {
    ((Timer) requestTable[index]).onTimer();
  }

  /** Indexes taken and not released (tests). */
  int slotsInUse() {
    return slotsUsed - freeCount;
  }

  /** The object at {@code index} (timer.c, for {@link #handles()}; FFM up-calls: a handle's peer index). */
  Object slot(int index) {
    return requestTable[index];
  }

  /** Called by work.c on a pool thread: runs the work of the request at {@code index}. */
  void runWork(int index) {
    ((WorkRequest) requestTable[index]).runWork();
  }

  private static final int DONE_WORK = 0;
  private static final int DONE_FS = 1;
  private static final int DONE_FS_STAT = 2;
  private static final int DONE_CLOSED = 3;
  private static final int DONE_ADDRINFO = 4;
  private static final int DONE_NAMEINFO = 5;
  private static final int DONE_TIMER = 6;
  private static final int DONE_CALL = 7;

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
   * Called by the native side on the loop thread with {@code count} completion records, in the
   * order libuv completed the requests. Each callback's exceptions go to {@link #callbackFailed}
   * as before; a Throwable escaping that (it should not) still lets the rest be delivered, then
   * propagates to the native safety net.
   */
  void onCompletions(int count) {
    ByteBuffer b = doneBuffer;
    Object[] table = requestTable;
    Throwable escaped = null;
    int at = 0;
    batch++;
    for (int n = 0; n < count; n++) {
      int index = b.getInt(at);
      int kind = b.getInt(at + 4);
      long result = b.getLong(at + 8);
      at += 16;
      Object req = table[index];
      if (kind == DONE_TIMER || kind == DONE_CALL) { // the handle stays open, its index taken
        try {
          if (kind == DONE_TIMER) {
            ((Timer) req).onBatchedFire(result != 0);
          } else {
            ((Handle) req).onBatchedCall();
          }
        } catch (Throwable t) {
          if (escaped == null) {
            escaped = t;
          } else if (escaped != t) {
            escaped.addSuppressed(t);
          }
        }
        continue;
      }
      Object extra = null;
      if (kind == DONE_FS_STAT) {
        long[] v = new long[20];
        for (int k = 0; k < 20; k++) {
          v[k] = b.getLong(at + 8 * k);
        }
        extra = v;
        at += 160;
      }
      int dnsAt = at;
      if (kind == DONE_ADDRINFO || kind == DONE_NAMEINFO) {
        at += DnsRequest.recordLength(kind == DONE_ADDRINFO, b, at);
      }
      releaseSlot(index);
      try {
        if (kind == DONE_WORK) {
          ((WorkRequest) req).onAfter((int) result);
        } else if (kind == DONE_CLOSED) {
          ((Handle) req).onClosed();
        } else if (kind == DONE_ADDRINFO || kind == DONE_NAMEINFO) {
          ((DnsRequest) req).onRecord(kind == DONE_ADDRINFO, (int) result, b, dnsAt);
        } else {
          ((FsRequest) req).onComplete(result, extra);
        }
      } catch (Throwable t) {
        if (escaped == null) {
          escaped = t;
        } else if (escaped != t) {
          escaped.addSuppressed(t);
        }
      }
    }
    if (escaped != null) {
      throwUnchecked(escaped);
    }
  }

  /** Called by fs.c for a completion whose result is a Java object (not batched). */
  void completeFs(int index, long result, Object extra) {
    Object req = requestTable[index];
    releaseSlot(index);
    ((FsRequest) req).onComplete(result, extra);
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
    throw (T) t;
  }

  // ---------------------------------------------------------------- stream reads

  /** Where every stream read of this loop lands; see {@link ReadCallback}. Loop thread only. */
  ByteBuffer readBuffer;
  /** readBuffer's native address: writes of it pass the address, not the object (Stream.write). */
  long readBase;
  private int readBufferSize = DEFAULT_READ_BUFFER;
  /** One read(2) never returns more than a socket buffer holds; beyond this it is only memory. */
  private static final int MAX_READ_BUFFER = 64 << 20;

  /**
   * Sets the size of the loop's read buffer (default 64 KiB, at most 64 MiB): the most one read
   * callback can deliver. Only before the first stream starts reading.
   *
   * @throws IllegalArgumentException outside 1024 bytes to 64 MiB
   * @throws IllegalStateException once a stream of this loop reads
   */
  public void setReadBufferSize(int bytes) {
    checkUsable();
    if (bytes < 1024 || bytes > MAX_READ_BUFFER) {
      throw new IllegalArgumentException("read buffer must be 1024 bytes to 64 MiB: " + bytes);
    }
    if (readBuffer != null) {
      throw new IllegalStateException("a stream or UDP handle of this loop already reads into the current buffer");
    }
    readBufferSize = bytes;
  }

  /**
   * Read buffers of closed loops (the default size only, at most SPARE_LIMIT), taken by the next
   * loops: a program that creates and closes loops does not leave 64 KiB of direct memory per
   * loop for a GC to find. They stay Java direct buffers, so a view a user kept past its callback
   * (misuse) shows another loop's bytes, never freed memory.
   */
  private static final ArrayDeque<ByteBuffer> SPARE_READ_BUFFERS = new ArrayDeque<>();
  private static final int DEFAULT_READ_BUFFER = 64 * 1024;
  private static final int SPARE_LIMIT = 16;

  private static ByteBuffer takeSpareReadBuffer() {
    synchronized (SPARE_READ_BUFFERS) {
      return SPARE_READ_BUFFERS.pollFirst();
    }
  }

  private static void releaseReadBuffer(ByteBuffer b) {
    if (b.capacity() != DEFAULT_READ_BUFFER) {
      return;
    }
    synchronized (SPARE_READ_BUFFERS) {
      if (SPARE_READ_BUFFERS.size() < SPARE_LIMIT) {
        SPARE_READ_BUFFERS.addFirst(b);
      }
    }
  }

  /** Allocated on first use: a Java direct buffer, so a view kept too long never dangles. */
  ByteBuffer readBuffer() {
    if (readBuffer == null) {
      ByteBuffer b = readBufferSize == DEFAULT_READ_BUFFER ? takeSpareReadBuffer() : null;
      if (b != null) {
        b.clear().order(ByteOrder.BIG_ENDIAN); // as a new one: a user may have changed its order
      } else {
        b = ByteBuffer.allocateDirect(readBufferSize);
      }
      int r = nSetReadBuffer(address, b);
      if (r != 0) {
        throw unchecked(r, "read buffer");
      }
      readBase = Stream.directAddress(b);
      readBuffer = b;
    }
    return readBuffer;
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
    Objects.requireNonNull(task, "task");
    int guard = executeGuard.getAndAdd(2);
    try {
      if ((guard & 1) != 0) {
        throw new RejectedExecutionException("Loop is closed");
      }
      tasks.offer(task);
      if (!wakeupPending.get() && wakeupPending.compareAndSet(false, true)) {
        nWakeup(address);
      }
    } finally {
      executeGuard.getAndAdd(-2);
    }
  }

  /** Called on the loop thread by the wake-up handle, and by run()/close(). */
  void runTasks() {
    wakeupPending.set(false); // before polling: a task offered after this sends a new wake-up
    for (int i = 0; i < MAX_TASKS_PER_WAKEUP; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        if (backlogRef) {
          backlogRef = false;
          nWakeupRef(address, false);
        }
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        callbackFailed(task, t);
      }
    }
    // More left: let I/O and timers run and finish in the next iteration. Accepted tasks must not
    // be stranded because nothing else keeps the loop alive, so the wake-up handle holds a ref
    // until the backlog is gone.
    if (!tasks.isEmpty()) {
      if (!backlogRef) {
        backlogRef = true;
        nWakeupRef(address, true);
      }
      if (wakeupPending.compareAndSet(false, true)) {
        nWakeup(address);
      }
    }
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
      closeClaimed();
    } finally {
      runningThread.set(null);
    }
  }

  private void closeClaimed() throws UvException {
    if (closed) {
      return; // closed by the thread that owned the loop before this one
    }
    while (true) {
      runTasks();
      rethrowPendingError();
      Handle[] live = nHandles(address);
      if (live.length > 0 || activeRequests > 0) {
        throw new UvException(Errno.EBUSY, "uv_loop_close", null, null,
            live.length + " handle(s) still open: " + Arrays.toString(live) + ", "
                + activeRequests + " request(s) in flight (close the handles and let the requests"
                + " complete first, or use Loop.shutdown())");
      }
      executeGuard.getAndUpdate(g -> g | 1);
      while ((executeGuard.get() >>> 1) != 0) {
        Thread.onSpinWait(); // an execute() in flight finishes its offer in a few instructions
      }
      if (tasks.isEmpty()) {
        break;
      }
      executeGuard.getAndUpdate(g -> g & ~1); // late tasks: run them and look again
    }
    // Forget the loop's descriptors before libuv frees their numbers: another thread (a pool
    // thread opening a file for another loop) may get one at once, and must not be refused.
    OwnedFds.removeAll(this);
    int r = nClose(address);
    if (r != 0) {
      OwnedFds.registerLoop(this); // still open: still the loop's
      executeGuard.getAndUpdate(g -> g & ~1);
      throw new UvException(r, "uv_loop_close");
    }
    closed = true;
    if (readBuffer != null) { // native dropped its reference with the loop
      releaseReadBuffer(readBuffer);
      readBuffer = null;
      readBase = 0;
    }
    Upcalls.detach(this);
    OwnedFds.removeAll(this); // again: anything registered while it closed
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
      for (int round = 0; ; round++) {
        Handle[] live = nHandles(address);
        if (live.length == 0 && activeRequests == 0) {
          break;
        }
        if (round == 100) {
          throw new IllegalStateException("Loop.shutdown(): callbacks keep creating handles: "
              + Arrays.toString(live));
        }
        for (Handle h : live) {
          h.close();
        }
        runClaimed(RunMode.DEFAULT);
      }
      closeClaimed();
    } finally {
      runningThread.set(null);
    }
  }

  // ---------------------------------------------------------------- plumbing

  /** Called on the loop thread when user code in a callback threw. */
  void callbackFailed(Object source, Throwable t) {
    CallbackExceptionHandler handler = exceptionHandler;
    if (handler != null) {
      try {
        handler.onException(source, t);
        return;
      } catch (Throwable t2) {
        if (t2 != t) {
          t2.addSuppressed(t);
        }
        t = t2;
      }
    }
    recordError(t);
  }

  /**
   * A Throwable escaped an FFM up-call of this loop (Upcalls.escaped, loop thread): what the
   * JNI path's native safety net does (park it, stop the loop, run() rethrows it).
   */
  void upcallEscaped(Throwable t) {
    recordError(t);
  }

  /** Whether {@code t} owns the loop right now (inside run(), close() or shutdown()). */
  boolean isRunningOn(Thread t) {
    return runningThread.get() == t;
  }

  private void recordError(Throwable t) {
    if (pendingError == null) {
      pendingError = t;
    } else if (pendingError != t) {
      pendingError.addSuppressed(t);
    }
    // Only inside uv_run: uv_stop's flag outlives the call and would end the next run at once.
    if (insideUvRun) {
      nStop(address);
    }
  }

  private void rethrowPendingError() {
    Throwable t = pendingError;
    if (t == null) {
      return;
    }
    pendingError = null;
    if (t instanceof RuntimeException) {
      throw (RuntimeException) t;
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    throw new RuntimeException("a callback threw " + t, t);
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

  private static native int nClose(long address);

  private static native int nRun(long address, int mode);

  private static native void nStop(long address);

  private static native boolean nAlive(long address);

  private static native long nNow(long address);

  private static native void nUpdateTime(long address);

  private static native int nBackendTimeout(long address);

  private static native int nBackendFd(long address);

  private static native int nConfigure(long address, int option);

  private static native long nIdleTime(long address);

  private static native int nWakeup(long address);

  private static native void nWakeupRef(long address, boolean ref);

  private static native int nSetReadBuffer(long address, ByteBuffer buffer);

  private static native Handle[] nHandles(long address);
}
