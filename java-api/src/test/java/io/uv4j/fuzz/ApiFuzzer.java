package io.uv4j.fuzz;

import io.uv4j.Async;
import io.uv4j.Check;
import io.uv4j.Dir;
import io.uv4j.DirEntry;
import io.uv4j.Dns;
import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.FsEvent;
import io.uv4j.FsPoll;
import io.uv4j.Handle;
import io.uv4j.Idle;
import io.uv4j.Loop;
import io.uv4j.Pipe;
import io.uv4j.Prepare;
import io.uv4j.ReadCallback;
import io.uv4j.Request;
import io.uv4j.RunMode;
import io.uv4j.Stream;
import io.uv4j.StreamCallback;
import io.uv4j.Tcp;
import io.uv4j.TempFile;
import io.uv4j.Timer;
import io.uv4j.Tty;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.WeakHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The child side of the API fuzzer: runs one seeded random sequence of calls over the public
 * {@code io.uv4j} API in this JVM and reports on stdout (see {@link FuzzOut}). Start it through
 * {@link FuzzRunner}, which runs it in a child JVM and classifies crashes and hangs.
 *
 * <p>Arguments: {@code <seed> <ops> <work dir>}. System properties: {@code fuzz.exclude}, a comma
 * separated list of {@link Op} names never chosen; {@code fuzz.avoid}, tags of known crash classes
 * to steer around (or {@code all}), to look past them for new ones; {@code fuzz.selftest}, a
 * deliberate failure at operation 10 for {@code FuzzRunnerTest}.
 *
 * <p>Rules it keeps so that every failure it reports is the library's: file-system effects stay
 * inside the work directory (read-only calls may look outside); it closes only descriptors it
 * opened, except on purpose a handle's or the loop's own, or one libuv opened for itself (a
 * loop's io_uring ring, its signal lock pipe) (issue 8 class 7, {@link Op#CLOSE_LIBUV_FD});
 * a thread touches a loop's objects only while that thread may (the loop's thread, or any thread
 * while no thread runs it and the driver owns it), apart from the calls documented as safe from
 * any thread (execute, Async.send, the static synchronous forms) and the calls made on purpose
 * to check they are refused (IllegalStateException) while another thread runs the loop.
 *
 * <p>Besides exceptions it checks the API's promises: completions (writes, connects, shutdowns,
 * fs, work, DNS, close callbacks, execute tasks) run exactly once, never after their call threw,
 * and all of them by the time their loop is closed; handle callbacks never run after close().
 *
 * <p>One seed in ten ends with System.exit while Java work is queued on the pool (issue 8 class 9);
 * each seed also gets a profile (as weighted, long-lived loops, streams-heavy).
 *
 * <p>Determinism: the driver thread draws two numbers per operation from the seeded Random (the
 * operation, and the seed of that operation's own Random, from which every argument and callback
 * behaviour is drawn), so the sequence of operations and their random draws depend on the seed
 * only. What they act on can still differ between runs where threads and I/O timing change the
 * state (which callbacks ran, which handles closed).
 */
public final class ApiFuzzer {
  /** The operations and their weights. */
  enum Op {
    LOOP_CREATE(2), LOOP_RUN(10), LOOP_BG_START(2), LOOP_BG_JOIN(2), LOOP_STOP(2), LOOP_CLOSE(1),
    LOOP_SHUTDOWN(0.7), LOOP_QUERY(3), LOOP_WALK(1), LOOP_EXECUTE(4), LOOP_HANDLER(0.7),
    LOOP_READ_BUFFER(0.5), WORK(3), REQUEST_CANCEL(2), TIMER_NEW(3), TIMER_OP(6), WATCHER_NEW(2),
    WATCHER_OP(3), ASYNC_NEW(1), ASYNC_SEND(3), FOREIGN_THREAD(1), HANDLE_OP(5), TCP_NEW(2),
    TCP_SERVER(2), TCP_CONNECT(3), TCP_OP(3), PIPE_NEW(1), PIPE_SERVER(1), PIPE_CONNECT(2),
    PIPE_OP(2), STREAM_READ(3), STREAM_WRITE(6), STREAM_OP(4), STREAM_OPEN_FD(0.5), FS_PATH(8),
    FS_FD(6), FS_OPEN(3), FS_CLOSE(2), FS_DIR(3), FS_EVENT(1), FS_POLL(1), DNS(2), UV_MISC(1),
    BUFFER_MUTATE(2), CLOSE_LIBUV_FD(0.03), UDP_NEW(1), UDP_OP(4), SIGNAL(1), POLL(1.5), TTY(0.3),
    UV_SYS(0.7), RANDOM(1), BACKPRESSURE(1), IPC(1.5), PROCESS(0.4);

    final double weight;

    Op(double weight) {
      this.weight = weight;
    }
  }

  static final int MAX_LOOPS = 4;
  static final int MAX_HANDLES_PER_LOOP = 40;
  static final int MAX_FDS = 48;
  static final long WRITE_QUEUE_CAP = 8L << 20;

  final long seed;
  final int ops;
  final Path dir;
  final Random master;
  final Thread driver = Thread.currentThread();
  final List<Slot> loops = new CopyOnWriteArrayList<>();
  final List<Slot> closedLoops = new ArrayList<>();
  final Map<Object, String> names = Collections.synchronizedMap(new WeakHashMap<>());
  final AtomicInteger nextName = new AtomicInteger();
  /** Descriptors the fuzzer opened and owns, with async operations in flight on each. */
  final Map<Integer, AtomicInteger> fds = new ConcurrentHashMap<>();
  final List<Integer> fdOrder = new ArrayList<>();
  final List<Dir> dirs = new CopyOnWriteArrayList<>();
  final List<InetSocketAddress> tcpServers = new CopyOnWriteArrayList<>();
  final List<String> pipeServers = new CopyOnWriteArrayList<>();
  final List<Thread> helpers = new ArrayList<>();
  final AtomicBoolean stopHelpers = new AtomicBoolean();
  final AtomicInteger undocumented = new AtomicInteger();
  final AtomicInteger fuzzerBugs = new AtomicInteger();
  final List<Double> cumulative = new ArrayList<>();
  final List<Op> enabled = new ArrayList<>();
  final ProcessIpcOps processIpc = new ProcessIpcOps(this);
  volatile int opIndex;
  final int profile;
  /**
   * Known crash classes to steer around (system property {@code fuzz.avoid}, comma separated, or
   * {@code all}), so that a run can look past them for new ones. Empty by default: the smoke and
   * the long form avoid nothing.
   */
  final java.util.Set<String> avoid = new java.util.HashSet<>();
  final java.util.Set<Handle> listened = ConcurrentHashMap.newKeySet();
  final java.util.Set<Handle> connected = ConcurrentHashMap.newKeySet();
  final java.util.Set<Handle> fsPollStarted = ConcurrentHashMap.newKeySet();

  boolean avoid(String tag) {
    return avoid.contains(tag) || avoid.contains("all");
  }

  /** One loop and what the fuzzer made on it. */
  final class Slot {
    final Loop loop;
    final String name;
    final Fs fs;
    final Dns dns;
    final List<Handle> handles = new CopyOnWriteArrayList<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Buffers used with this loop; touched only by the thread that may touch the loop. */
    final List<ByteBuffer> buffers = new CopyOnWriteArrayList<>();
    volatile Thread bg;

    Slot(Loop loop) {
      this.loop = loop;
      this.name = reg(loop, "L");
      this.fs = new Fs(loop);
      this.dns = new Dns(loop);
    }

    boolean background() {
      Thread t = bg;
      return t != null && t.isAlive();
    }
  }

  ApiFuzzer(long seed, int ops, Path dir) {
    this.seed = seed;
    this.ops = ops;
    this.dir = dir;
    this.master = new Random(seed);
    for (String a : System.getProperty("fuzz.avoid", "").split(",")) {
      if (!a.trim().isEmpty()) {
        avoid.add(a.trim());
      }
    }
    String[] excluded = System.getProperty("fuzz.exclude", "").split(",");
    // A profile per seed (from its own Random, so the operation sequence's draws are unchanged):
    // 0 as weighted, 1 loops that live long (state piles up), 2 streams-heavy.
    profile = (int) Math.floorMod(new Random(seed * 31 + 7).nextLong(), 3L);
    double sum = 0;
    for (Op op : Op.values()) {
      boolean skip = false;
      for (String x : excluded) {
        skip |= x.trim().equals(op.name());
      }
      double w = op.weight;
      if (profile == 1 && (op == Op.LOOP_CLOSE || op == Op.LOOP_SHUTDOWN)) {
        w *= 0.05;
      }
      if (profile == 2 && (op.name().startsWith("TCP") || op.name().startsWith("PIPE")
          || op.name().startsWith("STREAM"))) {
        w *= 3;
      }
      if (!skip) {
        sum += w;
        enabled.add(op);
        cumulative.add(sum);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    long seed = Long.parseLong(args[0]);
    int ops = Integer.parseInt(args[1]);
    Path dir = Paths.get(args[2]).toAbsolutePath();
    Files.createDirectories(dir);
    ApiFuzzer f = new ApiFuzzer(seed, ops, dir);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> f.report("thread " + t.getName(), e));
    f.runAll();
    System.exit(0);
  }

  // ================================================================== driver

  /** One seed in ten ends with System.exit while Java work is queued on a busy pool (issue 8 class 9). */
  boolean exitAtEnd;

  void exitWithQueuedWork() {
    FuzzOut.line("OP " + opIndex + " finish: System.exit(0) with Java work running and queued on the pool");
    Slot s = null;
    for (Slot x : loops) {
      if (!x.background() && !x.loop.isClosed()) {
        s = x;
      }
    }
    if (s != null) {
      Slot t = s;
      api("exit: queue work", () -> {
        for (int i = 0; i < Uv.threadPoolSize() + 4; i++) {
          boolean spin = i % 2 == 0;
          t.loop.queueWork(() -> {
            if (spin) {
              long end = System.nanoTime() + 300_000_000L;
              while (System.nanoTime() < end) {
                Thread.onSpinWait(); // busy in Java when the JVM exits
              }
            } else {
              sleep(300);
            }
          }, e -> { });
        }
      });
      sleep(50); // the first ones are running, the rest queued
    }
    FuzzOut.line("DONE ops=" + ops + " undocumented=" + undocumented.get() + " fuzzerBugs=" + fuzzerBugs.get()
        + " (exit with work queued; no leak check)");
    System.exit(0);
  }

  void runAll() {
    FuzzOut.line("START seed=" + seed + " ops=" + ops + " profile=" + profile + " dir=" + dir + " avoid=" + avoid + " libuv=" + Uv.versionString()
        + " java=" + System.getProperty("java.version"));
    exitAtEnd = master.nextInt(10) == 0 && !avoid("exit-queued");
    startWatchdog();
    newLoop();
    openFifos();
    for (int i = 0; i < ops; i++) {
      opIndex = i;
      Op op = pick(master.nextDouble());
      Random r = new Random(master.nextLong());
      if (i == 10 && System.getProperty("fuzz.selftest") != null) {
        selftest(System.getProperty("fuzz.selftest")); // checks the runner's classification
      }
      try {
        step(op, r);
      } catch (Throwable t) {
        report("op " + op, t);
      }
    }
    opIndex = ops;
    finish();
  }

  /** What FuzzRunnerTest uses to check that the runner sees each kind of failure. */
  void selftest(String what) {
    log("selftest: " + what);
    switch (what) {
      case "hang": sleep(Integer.MAX_VALUE); break;
      case "abort": Runtime.getRuntime().halt(134); break; // what SIGABRT looks like to the parent
      case "undoc": {
        Throwable t = new java.nio.BufferOverflowException(); // as if thrown by the library
        t.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.uv4j.Fs", "read", "Fs.java", 1),
            new StackTraceElement(ApiFuzzer.class.getName(), "selftest", "ApiFuzzer.java", 2)});
        report("selftest", t);
        break;
      }
      case "leak": {
        Slot s = newLoop(); // never closed: the final counters must show it
        loops.remove(s);
        break;
      }
      case "invariant": {
        Once o = expect(loops.get(0), "selftest completion");
        o.fire();
        o.fire();
        break;
      }
      default: throw new IllegalArgumentException(what);
    }
  }

  Op pick(double u) {
    double x = u * cumulative.get(cumulative.size() - 1);
    for (int i = 0; i < cumulative.size(); i++) {
      if (x < cumulative.get(i)) {
        return enabled.get(i);
      }
    }
    return enabled.get(enabled.size() - 1);
  }

  void log(String s) {
    FuzzOut.line("OP " + opIndex + " " + s);
  }

  void cbLog(String s) {
    FuzzOut.line("CB " + Thread.currentThread().getName() + " " + s);
  }

  /** Classifies what an API call threw. */
  void report(String where, Throwable t) {
    String v = Documented.verdict(t);
    if (v == null) {
      return;
    }
    if (v.equals("fuzzer")) {
      fuzzerBugs.incrementAndGet();
      FuzzOut.block("FUZZBUG " + opIndex + " " + where + " :: " + t, t);
      return;
    }
    undocumented.incrementAndGet();
    FuzzOut.block("UNDOC " + opIndex + " " + where + " :: " + v + " :: " + t, t);
  }

  interface Call {
    void run() throws Throwable;
  }

  /** Runs one API call, classifying whatever it throws. Returns true if it returned normally. */
  boolean api(String what, Call c) {
    try {
      c.run();
      returned.incrementAndGet();
      return true;
    } catch (Throwable t) {
      threw.incrementAndGet();
      report(what, t);
      return false;
    }
  }

  // ---------------------------------------------------------------- invariants

  /**
   * A completion the API promises to call exactly once (write, connect, shutdown, fs, work, DNS
   * callbacks and futures, close callbacks, execute tasks): counted, so that a second call, a call
   * after the API call threw, or no call at all once the loop is closed is reported.
   */
  final class Once {
    final String what;
    final int op;
    final Loop loop;
    final AtomicInteger calls = new AtomicInteger();
    /** How many calls are due (execute: one per accepted task). */
    final AtomicInteger due = new AtomicInteger(1);
    volatile boolean refused;

    Once(Loop loop, String what) {
      this.loop = loop;
      this.what = what;
      this.op = opIndex;
    }

    void fire() {
      int c = calls.incrementAndGet();
      if (refused) {
        violation("completion called although the call threw: " + what + " (op " + op + ")");
      } else if (c > due.get()) {
        violation("completion called " + c + " times (due " + due.get() + "): " + what + " (op " + op + ")");
      }
    }
  }

  final java.util.Set<Once> expected = ConcurrentHashMap.newKeySet();
  final AtomicInteger violations = new AtomicInteger();

  Once expect(Slot s, String what) {
    return expect(s.loop, what);
  }

  Once expect(Loop l, String what) {
    Once o = new Once(l, what);
    expected.add(o);
    return o;
  }

  /** Runs an API call whose completion is {@code o}; marks it refused if the call threw. */
  void tracked(Once o, Call c) throws Throwable {
    try {
      c.run();
    } catch (Throwable t) {
      o.refused = true;
      throw t;
    }
  }

  void violation(String msg) {
    violations.incrementAndGet();
    FuzzOut.line("INVARIANT " + opIndex + " " + msg);
  }

  /** Handle callbacks (timer, watchers, async, fs watchers, reads, connections) never follow close(). */
  void checkOpen(Object h, String who) {
    if (h instanceof Handle) {
      boolean closing;
      try {
        closing = ((Handle) h).isClosing();
      } catch (RuntimeException e) {
        return;
      }
      if (closing) {
        violation("callback of a closed handle: " + who + " of " + ((Handle) h).getClass().getSimpleName());
      }
    }
  }

  /** How many completions were due and seen (for the DONE line: the checks are not vacuous). */
  long completionsChecked() {
    long n = 0;
    for (Once o : expected) {
      if (!o.refused) {
        n += o.calls.get();
      }
    }
    return n;
  }

  /** After every loop is closed: every due completion must have been called. */
  void checkCompletions() {
    for (Once o : expected) {
      if (!o.refused && o.loop.isClosed() && o.calls.get() < o.due.get()) {
        violation("completion never called (" + o.calls.get() + " of " + o.due.get() + "): " + o.what
            + " (op " + o.op + ")");
      }
    }
  }

  /** API calls that returned, and that threw (documented or not): printed at the end. */
  final AtomicInteger returned = new AtomicInteger();
  final AtomicInteger threw = new AtomicInteger();

  String reg(Object o, String prefix) {
    String n = prefix + nextName.getAndIncrement();
    names.put(o, n);
    return n;
  }

  String n(Object o) {
    if (o == null) {
      return "null";
    }
    String s = names.get(o);
    return s != null ? s : o.getClass().getSimpleName();
  }

  // ================================================================== picking

  Slot newLoop() {
    Loop[] l = new Loop[1];
    if (!api("Loop.create", () -> l[0] = Loop.create())) {
      return null;
    }
    Slot s = new Slot(l[0]);
    loops.add(s);
    return s;
  }

  /** A loop: usually an open one, sometimes a closed one. */
  Slot slot(Random r) {
    if (!closedLoops.isEmpty() && r.nextInt(30) == 0) {
      return closedLoops.get(r.nextInt(closedLoops.size()));
    }
    if (loops.isEmpty()) {
      return null;
    }
    return loops.get(r.nextInt(loops.size()));
  }

  /** Whether listen() on h steers into a known crash class being avoided. */
  boolean badListen(Handle h) {
    return (avoid("listen-connect") && connected.contains(h)) || (avoid("listen-twice") && listened.contains(h));
  }

  /** Whether connect() on h steers into a known crash class being avoided. */
  boolean badConnect(Handle h) {
    return avoid("listen-connect") && (listened.contains(h) || connected.contains(h));
  }

  /** The slot of {@code l} (open or recently closed), else {@code fallback}. */
  Slot slotOf(Loop l, Slot fallback) {
    for (Object o : loops.toArray()) {
      if (((Slot) o).loop == l) {
        return (Slot) o;
      }
    }
    return fallback;
  }

  /** Any open loop (a snapshot: callbacks on other threads call this too). */
  Slot anyLoop(Random r, Slot fallback) {
    Object[] ls = loops.toArray();
    return ls.length == 0 ? fallback : (Slot) ls[r.nextInt(ls.length)];
  }

  /** Whether the current thread may touch this loop's objects without breaking the contract. */
  boolean mine(Slot s) {
    Thread t = s.bg;
    if (t != null && t.isAlive()) {
      return Thread.currentThread() == t;
    }
    return Thread.currentThread() == driver;
  }

  @SuppressWarnings("unchecked")
  <T> T handle(Slot s, Random r, Class<T> type) {
    Slot from = s;
    if (r.nextInt(12) == 0 && loops.size() > 1) {
      from = loops.get(r.nextInt(loops.size())); // a handle of another loop
    }
    List<T> c = new ArrayList<>();
    for (Handle h : from.handles) {
      if (type.isInstance(h)) {
        c.add((T) h);
      }
    }
    if (c.isEmpty()) {
      return null;
    }
    return c.get(r.nextInt(c.size()));
  }

  boolean full(Slot s) {
    return s.handles.size() >= MAX_HANDLES_PER_LOOP;
  }

  void add(Slot s, Handle h, String prefix) {
    reg(h, prefix);
    s.handles.add(h);
  }

  /** Forgets closed handles (keeping a few, for the closed-handle cases); driver-owned loops only. */
  void prune(Slot s) {
    if (s.background() || s.loop.isClosed()) {
      return;
    }
    int keep = 3;
    for (Handle h : s.handles) {
      boolean closed;
      try {
        closed = h.isClosed();
      } catch (RuntimeException e) {
        continue;
      }
      if (closed && keep-- <= 0) {
        s.handles.remove(h);
      }
    }
  }

  static final int[] SIZES = {0, 1, 2, 7, 64, 100, 1000, 4096, 65536, 65537, 300000};

  /** An odd buffer: heap, direct, read-only, sliced, zero-length, a view kept from a read... */
  ByteBuffer buffer(Slot s, Random r) {
    int k = r.nextInt(12);
    if (k == 0) {
      return null;
    }
    boolean pool = mine(s); // another thread runs the loop: its buffers are not ours to touch
    if (k <= 3 && pool && !s.buffers.isEmpty() && !avoid("buffers")) {
      return s.buffers.get(r.nextInt(s.buffers.size())); // reuse: the same buffer again
    }
    int size = SIZES[r.nextInt(SIZES.length)];
    ByteBuffer b;
    switch (r.nextInt(7)) {
      case 0: b = ByteBuffer.allocate(size); break;
      case 1: b = ByteBuffer.allocateDirect(size); break;
      case 2: b = ByteBuffer.allocate(size).asReadOnlyBuffer(); break;
      case 3: b = ByteBuffer.allocateDirect(size).asReadOnlyBuffer(); break;
      case 4: {
        ByteBuffer big = r.nextBoolean() ? ByteBuffer.allocate(size + 37) : ByteBuffer.allocateDirect(size + 37);
        big.position(r.nextInt(37));
        b = big.slice();
        b.limit(Math.min(b.capacity(), size));
        break;
      }
      case 5: b = ByteBuffer.wrap(new byte[size + 10], Math.min(5, size), size / 2); break;
      default: {
        b = ByteBuffer.allocateDirect(size);
        b.position(size / 3).limit(Math.max(size / 3, size - size / 4));
      }
    }
    if (!b.isReadOnly() && b.hasArray()) {
      r.nextBytes(b.array()); // content
    }
    if (!pool) {
      return b;
    }
    if (s.buffers.size() < 16) {
      s.buffers.add(b);
    } else {
      s.buffers.set(r.nextInt(16), b);
    }
    return b;
  }

  ByteBuffer[] buffers(Slot s, Random r) {
    int k = r.nextInt(10);
    if (k == 0) {
      return null;
    }
    int n = k == 1 ? 0 : 1 + r.nextInt(4);
    ByteBuffer[] a = new ByteBuffer[n];
    for (int i = 0; i < n; i++) {
      boolean twice = i > 0 && r.nextInt(3) == 0;
      a[i] = twice && !avoid("buffers") ? a[r.nextInt(i)] : buffer(s, r); // the same buffer twice
    }
    return a;
  }

  static String desc(ByteBuffer b) {
    if (b == null) {
      return "null";
    }
    return (b.isDirect() ? "direct" : "heap") + (b.isReadOnly() ? "-ro" : "") + "[" + b.position() + ","
        + b.limit() + "/" + b.capacity() + "]@" + Integer.toHexString(System.identityHashCode(b));
  }

  static String desc(ByteBuffer[] bs) {
    if (bs == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder("{");
    for (ByteBuffer b : bs) {
      sb.append(desc(b)).append(' ');
    }
    return sb.append('}').toString();
  }

  static final long[] MILLIS = {0, 1, 2, 5, 10, 50, 1000, -1, -1000, Long.MAX_VALUE, Long.MIN_VALUE,
      Integer.MAX_VALUE, 1L << 40, 4294967295L, 4294967296L};

  long millis(Random r) {
    int k = r.nextInt(10);
    return k < 6 ? r.nextInt(20) : MILLIS[r.nextInt(MILLIS.length)];
  }

  static final int[] INTS = {0, 1, -1, 2, 7, 128, 1024, 65535, 65536, Integer.MAX_VALUE,
      Integer.MIN_VALUE, 1 << 20, 1 << 30, -1024};

  int anInt(Random r) {
    return INTS[r.nextInt(INTS.length)];
  }

  /** A descriptor: the fuzzer's own, or a number that is never valid. */
  int fd(Random r) {
    if (!fdOrder.isEmpty() && r.nextInt(5) != 0) {
      return fdOrder.get(r.nextInt(fdOrder.size()));
    }
    int[] bad = {-1, -2, 1_000_000, Integer.MAX_VALUE, Integer.MIN_VALUE, 19999};
    return bad[r.nextInt(bad.length)];
  }

  void ownFd(int fd) {
    if (fd < 0 || fds.containsKey(fd)) {
      return;
    }
    fds.put(fd, new AtomicInteger());
    fdOrder.add(fd);
  }

  /** Marks an async operation on fd in flight; returns the completion hook. */
  Runnable inFlight(int fd) {
    AtomicInteger c = fds.get(fd);
    if (c == null) {
      return () -> { };
    }
    c.incrementAndGet();
    AtomicBoolean once = new AtomicBoolean();
    return () -> {
      if (once.compareAndSet(false, true)) {
        c.decrementAndGet();
      }
    };
  }

  static final String[] NAMES = {"f0", "f1", "f2", "f3", "d0", "d1", "d0/f4", "d1/d2", "l0", "l1",
      "d0/l2", "tmp-XXXXXX", "p0.sock", "\u00e9t\u00e9", "d1/d2/f5"};

  /** A path inside the private directory, or an odd one (null, empty, NUL, too long, missing). */
  String path(Random r) {
    int k = r.nextInt(20);
    switch (k) {
      case 0: return null;
      case 1: return "";
      case 2: return dir + "/nul\0byte";
      case 3: return dir.resolve("x".repeat(300)).toString();
      case 4: return dir + "/" + "a/".repeat(2100);
      case 5: return dir.resolve("missing/deeper/f").toString();
      case 6: return dir.toString();
      default: return dir.resolve(NAMES[r.nextInt(NAMES.length)]).toString();
    }
  }

  /** A path that read-only operations may use: also outside the private directory. */
  String readPath(Random r) {
    if (r.nextInt(6) == 0) {
      String[] outside = {"/", "/proc/self/fd", "/dev/null", "/proc/self/status", "/etc"};
      return outside[r.nextInt(outside.length)];
    }
    return path(r);
  }

  InetSocketAddress tcpTarget(Random r) {
    int k = r.nextInt(12);
    if (k < 7 && !tcpServers.isEmpty()) {
      return tcpServers.get(r.nextInt(tcpServers.size()));
    }
    try {
      switch (k) {
        case 7: return null;
        case 8: return InetSocketAddress.createUnresolved("localhost", 80);
        case 9: return new InetSocketAddress(InetAddress.getByName("::1"), 1);
        case 10: return new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0);
        default: return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1);
      }
    } catch (Exception e) {
      return null;
    }
  }

  String pipeTarget(Random r) {
    int k = r.nextInt(9);
    if (k < 5 && !pipeServers.isEmpty()) {
      return pipeServers.get(r.nextInt(pipeServers.size()));
    }
    switch (k) {
      case 5: return null;
      case 6: return dir + "/" + "s".repeat(200);
      case 7: return sunPathEdge(r);
      default: return dir.resolve("nobody.sock").toString();
    }
  }

  /** A socket path of 106 to 110 bytes: around sockaddr_un's 108-byte sun_path. */
  String sunPathEdge(Random r) {
    int total = 106 + r.nextInt(5);
    int fill = Math.max(1, total - dir.toString().length() - 1);
    return dir + "/" + "e".repeat(fill);
  }

  // ================================================================== callbacks

  /**
   * What a callback does, drawn when it is created: usually nothing; sometimes throw, close
   * itself (twice), stop or run its loop, close its loop, close another handle, queue a task...
   */
  final class Behavior {
    final int action;
    final long seed;
    final Slot slot;
    int calls;

    Behavior(Slot slot, Random r) {
      this.slot = slot;
      int k = r.nextInt(42);
      this.action = k < 18 ? 0 : k - 17;
      this.seed = r.nextLong();
    }

    /** Runs the behaviour for a callback of {@code self} (may be null). */
    void act(String who, Object self) {
      int n = calls++;
      if (action == 0 || (n > 50 && action != 9)) {
        return;
      }
      // A callback of a handle acts on that handle's loop, the one this thread runs (the handle
      // may belong to another loop than the one the behaviour was drawn for).
      Slot slot = self instanceof Handle ? slotOf(((Handle) self).loop(), this.slot) : this.slot;
      Random r = new Random(seed + n);
      Loop loop = slot.loop;
      String me = who + "/" + n(self);
      switch (action) {
        case 1: cbLog(me + " throws FuzzException"); throw new Documented.FuzzException(me);
        case 2: cbLog(me + " throws checked"); sneaky(new Documented.FuzzChecked(me)); break;
        case 3: cbLog(me + " throws Error"); throw new Documented.FuzzError(me);
        case 4:
          if (self instanceof Handle) {
            cbLog(me + " closes itself twice");
            api("cb close", () -> ((Handle) self).close());
            api("cb close", () -> ((Handle) self).close(() -> { }));
          }
          break;
        case 5:
          if (avoid("stop-idle") && self == null) {
            break; // a task may run in close(), after run() returned: issue 8 class 1
          }
          cbLog(me + " stops " + slot.name);
          api("cb stop", loop::stop);
          break;
        case 6: cbLog(me + " runs " + slot.name); api("cb run", () -> loop.run(RunMode.NOWAIT)); break;
        case 7:
        case 8:
          if (avoid("reentrant-close") && self == null) {
            break; // found by this fuzzer: a task run by close() closing the loop again
          }
          cbLog(me + (action == 7 ? " closes " : " shuts down ") + slot.name);
          api("cb loop.close/shutdown", action == 7 ? loop::close : loop::shutdown);
          break;
        case 9: {
          if (slot.handles.isEmpty()) {
            break;
          }
          Handle h = slot.handles.get(r.nextInt(slot.handles.size()));
          cbLog(me + " closes " + n(h));
          api("cb close other", () -> h.close());
          break;
        }
        case 10: cbLog(me + " executes on " + slot.name);
          api("cb execute", () -> loop.execute(task(slot, r)));
          break;
        case 11: {
          Slot other = anyLoop(r, slot);
          cbLog(me + " executes on " + other.name);
          api("cb execute other", () -> other.loop.execute(task(other, r)));
          break;
        }
        case 12:
          if (self instanceof Stream && !(avoid("listen-write") && listened.contains(self))) {
            ByteBuffer b = ByteBuffer.wrap(new byte[1 + r.nextInt(2000)]);
            cbLog(me + " writes " + b.remaining());
            api("cb write", () -> writeCapped((Stream) self, b));
          }
          break;
        case 13: {
          Timer t = ownTimer(slot, r);
          if (t != null) {
            long ms = 1 + r.nextInt(5);
            cbLog(me + " starts " + n(t) + " " + ms);
            api("cb timer.start", () -> t.start(ms, 0, x -> { }));
          }
          break;
        }
        case 14:
          if (self instanceof Stream) {
            cbLog(me + " readStop");
            api("cb readStop", () -> ((Stream) self).readStop());
          }
          break;
        case 15: cbLog(me + " fs.stat");
          api("cb fs.stat", () -> slot.fs.stat(dir.toString(), (st, e) -> { }));
          break;
        case 16: cbLog(me + " queueWork");
          api("cb queueWork", () -> slot.loop.queueWork(() -> { }, e -> { }));
          break;
        case 17: cbLog(me + " walk-close");
          api("cb walk", () -> loop.walk(Handle::close));
          break;
        case 18:
          if (self instanceof Stream && !(avoid("listen-write") && listened.contains(self))) {
            cbLog(me + " shutdown");
            api("cb shutdown", () -> ((Stream) self).shutdown((st, e) -> { }));
          }
          break;
        case 19: {
          Timer t = ownTimer(slot, r);
          if (t != null) {
            cbLog(me + " again " + n(t));
            api("cb again", t::again);
          }
          break;
        }
        case 20: cbLog(me + " new Timer");
          api("cb new Timer", () -> {
            if (!full(slot)) {
              Timer t = new Timer(loop);
              add(slot, t, "T");
              t.start(1 + r.nextInt(3), 0, x -> x.close());
            }
          });
          break;
        case 21: cbLog(me + " loop queries");
          api("cb queries", () -> {
            loop.alive();
            loop.now();
            loop.handles();
            loop.describeHandles();
            loop.backendTimeout();
          });
          break;
        case 22: {
          // Another loop run nested inside this loop's callback, on the same thread.
          Slot o = anyLoop(r, slot);
          if (o != slot && Thread.currentThread() == driver && !o.background()) {
            cbLog(me + " runs " + o.name + " nested (NOWAIT)");
            api("cb nested run", () -> o.loop.run(RunMode.NOWAIT));
          }
          break;
        }
        case 23: {
          // A handle of another loop that no thread runs: this thread may use it.
          Slot o = anyLoop(r, slot);
          if (o != slot && Thread.currentThread() == driver && !o.background() && !o.handles.isEmpty()) {
            Handle h = o.handles.get(r.nextInt(o.handles.size()));
            int what = r.nextInt(4);
            cbLog(me + " touches " + n(h) + " of " + o.name + " #" + what);
            api("cb other loop handle", () -> {
              if (what == 0) {
                h.close();
              } else if (what == 1) {
                h.unref();
              } else if (what == 2 && h instanceof Timer) {
                ((Timer) h).start(1, 0, t -> { });
              } else {
                h.isActive();
              }
            });
          }
          break;
        }
        default:
          cbLog(me + " closes itself");
          if (self instanceof Handle) {
            api("cb close", () -> ((Handle) self).close());
          }
      }
    }

    private Timer ownTimer(Slot slot, Random r) {
      List<Timer> ts = new ArrayList<>();
      for (Handle h : slot.handles) {
        if (h instanceof Timer) {
          ts.add((Timer) h);
        }
      }
      return ts.isEmpty() ? null : ts.get(r.nextInt(ts.size()));
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> void sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** Wraps a callback body: API exceptions inside are classified, deliberate ones escape. */
  void inCallback(String who, Behavior b, Object self) {
    try {
      b.act(who, self);
    } catch (Throwable t) {
      if (Documented.isFuzz(t)) {
        sneaky(t);
      }
      report("callback " + who, t);
    }
  }

  Runnable task(Slot s, Random r) {
    Behavior b = new Behavior(s, r);
    return () -> inCallback("task", b, null);
  }

  <H> Consumer<H> consumer(Slot s, Random r, String who) {
    Behavior b = new Behavior(s, r);
    return h -> {
      checkOpen(h, who);
      inCallback(who, b, h);
    };
  }

  /** A stream completion counted by {@code o}. */
  StreamCallback once(Once o, StreamCallback cb) {
    if (cb == null) {
      return null;
    }
    return (st, e) -> {
      o.fire();
      cb.done(st, e);
    };
  }

  StreamCallback streamCb(Slot s, Random r, String who) {
    Behavior b = new Behavior(s, r);
    return (st, e) -> inCallback(who + (e != null ? "(" + e.errorName() + ")" : ""), b, st);
  }

  ReadCallback readCb(Slot s, Random r) {
    Behavior data = new Behavior(s, r);
    Behavior end = new Behavior(s, r);
    int mode = r.nextInt(6);
    return new ReadCallback() {
      @Override
      public void onData(Stream stream, ByteBuffer buf) {
        checkOpen(stream, "onData");
        try {
          switch (mode) {
            case 0: writeCapped(stream, buf); break;               // echo, copied if queued
            case 1: if (stream.writeQueueSize() < WRITE_QUEUE_CAP) {
                stream.write(buf, (x, e) -> { });                  // echo of the loop's buffer, with callback
              }
              break;
            case 2: {
              Slot home = slotOf(stream.loop(), s);
              if (home.buffers.size() < 16 && !avoid("buffers")) {
                home.buffers.add(buf);                             // keep the view after the callback
              }
            }
              break;
            default: break;
          }
        } catch (Throwable t) {
          report("onData", t);
        }
        inCallback("onData", data, stream);
      }

      @Override
      public void onEnd(Stream stream) {
        if (mode == 4) {
          inCallback("onEnd", end, stream);
        } else {
          api("onEnd close", stream::close);
        }
      }

      @Override
      public void onError(Stream stream, UvException error) {
        if (mode == 5) {
          inCallback("onError", end, stream);
        } else {
          api("onError close", stream::close);
        }
      }
    };
  }

  void writeCapped(Stream st, ByteBuffer b) {
    if (st.writeQueueSize() < WRITE_QUEUE_CAP) {
      st.write(b);
    }
  }

  StreamCallback connectionCb(Slot s, Random r) {
    Behavior b = new Behavior(s, r);
    int mode = r.nextInt(8);
    Random rr = new Random(r.nextLong());
    return (server, error) -> {
      checkOpen(server, "onConnection");
      // The server may belong to another loop than the one this callback was made for: clients
      // are made on the server's own loop (this thread's), unless deliberately on another one.
      Slot home = slotOf(server.loop(), s);
      try {
        if (error == null && mode == 6 && !full(home)) {
          // A client of the other stream type.
          Stream client = server instanceof Tcp ? new Pipe(home.loop, false) : new Tcp(home.loop);
          add(home, client, "Xc");
          cbLog("accept " + n(server) + " -> " + n(client) + " (other type)");
          server.accept(client);
          connected.add(client);
        } else if (error == null && mode < 6) {
          Slot target = home;
          if (mode == 5 && Thread.currentThread() == driver && !avoid("accept-loop")) {
            Slot o = anyLoop(rr, home);
            if (!o.background() && !o.loop.isClosed()) {
              target = o; // a client of another loop
            }
          }
          if (!full(target)) {
            Stream client = server instanceof Tcp ? new Tcp(target.loop) : new Pipe(target.loop, false);
            add(target, client, server instanceof Tcp ? "Tc" : "Pc");
            cbLog("accept " + n(server) + " -> " + n(client) + " on " + target.name);
            server.accept(client);
            connected.add(client);
            if (mode < 4) {
              client.readStart(readCb(target, rr));
            }
          }
        }
      } catch (Throwable t) {
        report("onConnection", t);
      }
      inCallback("onConnection", b, server);
    };
  }

  // ================================================================== operations

  void step(Op op, Random r) throws Exception {
    Slot s = slot(r);
    if (s == null) {
      log("no loop: create one");
      newLoop();
      return;
    }
    if (r.nextInt(50) == 0) {
      prune(s);
    }
    String L = s.name;
    Loop loop = s.loop;
    switch (op) {
      case LOOP_CREATE: {
        if (loops.size() >= MAX_LOOPS) {
          log("Loop.create skipped (" + loops.size() + " open)");
          return;
        }
        Slot ns = newLoop();
        log("Loop.create -> " + (ns == null ? "failed" : ns.name));
        return;
      }
      case LOOP_RUN: {
        RunMode mode = RunMode.values()[r.nextInt(3)];
        int guard = r.nextInt(4);
        boolean nullMode = r.nextInt(40) == 0;
        log("run " + L + " " + (nullMode ? "null" : mode) + " guard=" + guard + "ms");
        runGuarded(s, nullMode ? null : mode, guard);
        return;
      }
      case LOOP_BG_START: {
        if (s.background() || loop.isClosed()) {
          log("bg start " + L + " skipped");
          return;
        }
        RunMode mode = RunMode.values()[r.nextInt(3)];
        int keep = 1 + r.nextInt(20);
        log("bg start " + L + " " + mode + " keep=" + keep + "ms");
        Timer[] keeper = new Timer[1];
        if (!api("bg keeper", () -> {
          keeper[0] = new Timer(loop);
          keeper[0].start(keep, 0, t -> {
            api("keeper stop", loop::stop);
            api("keeper close", t::close);
          });
        })) {
          return;
        }
        boolean racy = r.nextInt(8) == 0 && !avoid("close-race");
        Thread t = new Thread(() -> {
          api("bg run " + L, () -> loop.run(mode));
        }, "fuzz-bg-" + L);
        t.setDaemon(true);
        s.bg = t;
        t.start();
        if (racy) {
          // Issue 8 class 2 on purpose: close() while the other thread enters run().
          log("close " + L + " racing the background run()");
          api("close racing run", loop::close);
        }
        // Wait until the thread owns the loop (or is done), so that the driver's next calls are
        // refused by the loop's thread check instead of racing a run() being entered.
        for (int i = 0; i < 2000 && t.isAlive() && !loop.isRunning(); i++) {
          Thread.onSpinWait();
          if (i > 100) {
            sleep(1);
          }
        }
        if (loop.isClosed()) {
          joinBg(s);
          retire(s);
        }
        return;
      }
      case LOOP_BG_JOIN: {
        Thread t = s.bg;
        log("bg join " + L + (t == null ? " (none)" : ""));
        if (t != null) {
          joinBg(s);
        }
        return;
      }
      case LOOP_STOP:
        if (avoid("stop-idle") && !s.background()) {
          log("stop " + L + " skipped (avoid stop-idle)");
          return;
        }
        log("stop " + L);
        api("stop", loop::stop);
        return;
      case LOOP_CLOSE:
        if (avoid("close-race") && s.bg != null) {
          log("close " + L + " skipped (avoid close-race)");
          return;
        }
        log("close " + L);
        if (api("close", loop::close) && loop.isClosed()) {
          retire(s);
        }
        return;
      case LOOP_SHUTDOWN:
        if (avoid("close-race") && s.bg != null) {
          log("shutdown " + L + " skipped (avoid close-race)");
          return;
        }
        log("shutdown " + L);
        if (s.background()) {
          api("shutdown (bg)", loop::shutdown);
          return;
        }
        for (int i = 0; i < 5 && !loop.isClosed(); i++) {
          api("shutdown", loop::shutdown);
        }
        if (loop.isClosed()) {
          retire(s);
        }
        return;
      case LOOP_QUERY: {
        int k = r.nextInt(14);
        log("query " + L + " #" + k);
        api("query " + k, () -> {
          switch (k) {
            case 0: loop.alive(); break;
            case 1: loop.now(); break;
            case 2: loop.updateTime(); break;
            case 3: loop.backendTimeout(); break;
            case 4: loop.backendFd(); break;
            case 5: loop.idleTime(); break;
            case 6: loop.enableIdleTimeMetrics(); break;
            case 7: loop.blockProfilingSignal(); break;
            case 8: loop.isRunning(); loop.isClosed(); break;
            case 9: loop.toString(); break;
            case 10: loop.handles(); break;
            case 11: loop.describeHandles(); break;
            case 12: for (Handle h : s.handles) { h.toString(); } break;
            default: loop.handles().size(); loop.alive(); break;
          }
        });
        return;
      }
      case LOOP_WALK: {
        int k = r.nextInt(4);
        log("walk " + L + " #" + k);
        api("walk", () -> loop.walk(k == 0 ? null : h -> {
          if (k == 1) {
            h.close();
          } else if (k == 2) {
            h.isActive();
            h.hasRef();
          } else {
            throw new Documented.FuzzException("walk visitor");
          }
        }));
        return;
      }
      case LOOP_EXECUTE: {
        int n = r.nextInt(10) == 0 ? 5000 : 1 + r.nextInt(3);
        boolean nul = r.nextInt(30) == 0;
        Runnable task0 = task(s, r);
        Once o = expect(s, "execute task on " + L);
        o.due.set(0);
        Runnable task = () -> {
          o.fire();
          task0.run();
        };
        log("execute " + L + " x" + n + (nul ? " null" : ""));
        api("execute", () -> {
          for (int i = 0; i < n; i++) {
            o.due.incrementAndGet(); // before: the task may run at once on another thread
            try {
              loop.execute(nul ? null : task);
            } catch (Throwable t) {
              o.due.decrementAndGet();
              throw t;
            }
          }
        });
        return;
      }
      case LOOP_HANDLER: {
        int k = r.nextInt(6);
        log("setExceptionHandler " + L + " #" + k);
        api("setExceptionHandler", () -> loop.setExceptionHandler(k == 0 ? null
            : k == 1 ? (src, e) -> { }
            : k == 2 ? (src, e) -> { throw new Documented.FuzzException("handler"); }
            : k == 3 ? (src, e) -> {
              if (src instanceof Handle) {
                api("handler closes source", ((Handle) src)::close);
              }
            }
            : k == 4 ? (src, e) -> api("handler stops", loop::stop)
            : (src, e) -> sneaky(e)));
        return;
      }
      case LOOP_READ_BUFFER: {
        int size = r.nextBoolean() && !avoid("oom") ? anInt(r) : 1024 + r.nextInt(100000);
        log("setReadBufferSize " + L + " " + size);
        api("setReadBufferSize", () -> loop.setReadBufferSize(size));
        return;
      }
      case WORK: {
        int k = r.nextInt(6);
        int workKind = r.nextInt(6);
        Runnable work = () -> {
          switch (workKind) {
            case 0: break;
            case 1: throw new Documented.FuzzException("work");
            case 2: sleep(1 + (int) (Thread.currentThread().getId() % 3)); break;
            case 3: api("work execute", () -> loop.execute(() -> { })); break;
            case 4: Thread.onSpinWait(); break;
            default: sneaky(new Documented.FuzzError("work error"));
          }
        };
        Consumer<Throwable> after0 = consumer(s, r, "after");
        Once o = expect(s, "queueWork form " + k + " on " + L);
        Consumer<Throwable> after = e -> {
          o.fire();
          after0.accept(e);
        };
        log("queueWork " + L + " form=" + k + " work=" + workKind);
        api("queueWork", () -> tracked(o, () -> {
          if (k == 0) {
            loop.queueWork(null, after);
          } else if (k == 1) {
            loop.queueWork(work, null);
          } else if (k == 2) {
            CompletableFuture<Integer> f = loop.queueWork(() -> {
              work.run();
              return 1;
            });
            f.whenComplete((v, e) -> o.fire());
          } else {
            s.requests.add(loop.queueWork(work, after));
            trimRequests(s);
          }
        }));
        return;
      }
      case REQUEST_CANCEL: {
        if (s.requests.isEmpty()) {
          log("cancel " + L + " (no request)");
          return;
        }
        Request q = s.requests.get(r.nextInt(s.requests.size()));
        log("cancel " + q + " of " + L);
        api("cancel", () -> {
          q.cancel();
          q.isDone();
        });
        return;
      }
      case TIMER_NEW: {
        if (full(s)) {
          log("new Timer " + L + " skipped (full)");
          return;
        }
        log("new Timer " + L);
        api("new Timer", () -> add(s, new Timer(loop), "T"));
        return;
      }
      case TIMER_OP: {
        Timer t = handle(s, r, Timer.class);
        int k = r.nextInt(10);
        long a = millis(r);
        long b = millis(r);
        Consumer<Timer> cb = r.nextInt(30) == 0 ? null : consumer(s, r, "timer");
        log("timer " + n(t) + " #" + k + " " + a + " " + b);
        if (t == null) {
          return;
        }
        api("timer op " + k, () -> {
          switch (k) {
            case 0: case 1: t.start(a, b, cb); break;
            case 2: t.start(a, cb); break;
            case 3: t.start(Duration.ofMillis(a), r.nextBoolean() ? Duration.ofSeconds(Long.MAX_VALUE)
                : Duration.ofMillis(b), cb); break;
            case 4: t.stop(); break;
            case 5: t.again(); break;
            case 6: t.setRepeat(b); break;
            case 7: t.getRepeat(); break;
            case 8: t.getDueIn(); break;
            default: t.start(null, null, cb);
          }
        });
        return;
      }
      case WATCHER_NEW: {
        int k = r.nextInt(3);
        if (full(s)) {
          log("new watcher skipped (full)");
          return;
        }
        log("new " + (k == 0 ? "Idle" : k == 1 ? "Prepare" : "Check") + " " + L);
        api("new watcher", () -> add(s, k == 0 ? new Idle(loop) : k == 1 ? new Prepare(loop) : new Check(loop),
            k == 0 ? "I" : k == 1 ? "P" : "C"));
        return;
      }
      case WATCHER_OP: {
        Class<? extends Handle> wt = r.nextInt(3) == 0 ? Idle.class : r.nextBoolean() ? Prepare.class : Check.class;
        Handle h = handle(s, r, wt);
        boolean start = r.nextInt(3) != 0;
        boolean nul = r.nextInt(30) == 0;
        Consumer<Object> cb = consumer(s, r, "watcher");
        log("watcher " + n(h) + (start ? " start" : " stop") + (nul ? " null" : ""));
        if (h == null) {
          return;
        }
        api("watcher op", () -> {
          if (h instanceof Idle) {
            if (start) {
              ((Idle) h).start(nul ? null : cb::accept);
            } else {
              ((Idle) h).stop();
            }
          } else if (h instanceof Prepare) {
            if (start) {
              ((Prepare) h).start(nul ? null : cb::accept);
            } else {
              ((Prepare) h).stop();
            }
          } else {
            if (start) {
              ((Check) h).start(nul ? null : cb::accept);
            } else {
              ((Check) h).stop();
            }
          }
        });
        return;
      }
      case ASYNC_NEW: {
        if (full(s)) {
          log("new Async skipped (full)");
          return;
        }
        boolean nul = r.nextInt(20) == 0;
        Consumer<Async> cb = consumer(s, r, "async");
        log("new Async " + L + (nul ? " null" : ""));
        api("new Async", () -> add(s, new Async(loop, nul ? null : cb), "A"));
        return;
      }
      case ASYNC_SEND: {
        Async a = handle(s, r, Async.class);
        int n = 1 + r.nextInt(3);
        log("send " + n(a) + " x" + n);
        if (a != null) {
          api("send", () -> {
            for (int i = 0; i < n; i++) {
              a.send();
            }
          });
        }
        return;
      }
      case FOREIGN_THREAD: {
        List<Async> asyncs = new ArrayList<>();
        List<Slot> targets = new ArrayList<>(loops);
        targets.addAll(closedLoops);
        for (Slot x : targets) {
          for (Handle h : x.handles) {
            if (h instanceof Async) {
              asyncs.add((Async) h);
            }
          }
        }
        long ts = r.nextLong();
        int count = 10 + (r.nextInt(4) == 0 ? r.nextInt(5000) : r.nextInt(500));
        log("foreign thread: " + count + " sends/executes over " + asyncs.size() + " asyncs, "
            + targets.size() + " loops");
        helpers.removeIf(t -> !t.isAlive());
        if (helpers.size() >= 6) {
          log("foreign thread skipped: 6 still running");
          return; // never block the driver on them: that would look like a hang
        }
        Thread t = new Thread(() -> {
          Random tr = new Random(ts);
          for (int i = 0; i < count && !stopHelpers.get(); i++) {
            int what = tr.nextInt(6);
            if (what == 0) {
              // The static synchronous forms may be called from any thread, concurrently.
              String mine = dir.resolve("ft" + ts % 1000).toString();
              api("foreign sync fs", () -> {
                Fs.statSync(dir.toString());
                int fd = Fs.openSync(mine, Fs.O_RDWR | Fs.O_CREAT, 0644);
                try {
                  Fs.writeSync(fd, ByteBuffer.allocate(64), 0);
                  Fs.readSync(fd, ByteBuffer.allocateDirect(64), 0);
                } finally {
                  Fs.closeSync(fd);
                }
              });
            } else if (what == 1) {
              api("foreign sync dns", () -> Dns.getaddrinfoSync("localhost", "80", null));
            } else if (!asyncs.isEmpty() && tr.nextBoolean()) {
              Async a = asyncs.get(tr.nextInt(asyncs.size()));
              api("foreign send", a::send);
            } else {
              Slot x = targets.get(tr.nextInt(targets.size()));
              api("foreign execute", () -> x.loop.execute(() -> { }));
            }
            if (tr.nextInt(20) == 0) {
              sleep(1);
            }
          }
          // Other calls from this foreign thread: must be refused (ISE) while a loop runs elsewhere.
          Slot x = targets.get(tr.nextInt(targets.size()));
          // Only calls documented as safe from any thread: a foreign thread using a loop that
          // nobody runs would race the driver, which the API leaves to the user.
          api("foreign isRunning", x.loop::isRunning);
        }, "fuzz-foreign-" + opIndex);
        t.setDaemon(true);
        helpers.add(t);
        t.start();
        return;
      }
      case HANDLE_OP: {
        Handle h = handle(s, r, Handle.class);
        int k = r.nextInt(11);
        Runnable onClose = r.nextBoolean() ? task(h == null ? s : slotOf(h.loop(), s), r) : null;
        log("handle " + n(h) + " #" + k);
        if (h == null) {
          return;
        }
        api("handle op " + k, () -> {
          switch (k) {
            case 0: case 1: h.close(); break;
            case 2: {
              boolean was = h.isClosing();
              if (was || onClose == null) {
                h.close(onClose); // a closing handle ignores the callback: not counted
              } else {
                Once o = expect(h.loop(), "close callback of " + n(h));
                tracked(o, () -> h.close(() -> {
                  o.fire();
                  onClose.run();
                }));
              }
              break;
            }
            case 3: h.ref(); break;
            case 4: h.unref(); break;
            case 5: h.hasRef(); break;
            case 6: h.isActive(); break;
            case 7: h.isClosing(); break;
            case 8: h.isClosed(); break;
            case 9: h.loop(); h.toString(); break;
            default: h.close(); h.close(); break;
          }
        });
        return;
      }
      case TCP_NEW: {
        if (full(s)) {
          log("new Tcp skipped (full)");
          return;
        }
        int k = r.nextInt(6);
        log("new Tcp " + L + " #" + k);
        api("new Tcp", () -> {
          Tcp t = k == 0 ? new Tcp(loop, StandardProtocolFamily.INET)
              : k == 1 ? new Tcp(loop, StandardProtocolFamily.INET6)
              : k == 2 ? new Tcp(loop, r.nextBoolean() ? StandardProtocolFamily.UNIX : null)
              : new Tcp(loop);
          add(s, t, "Tcp");
        });
        return;
      }
      case TCP_SERVER: {
        if (full(s)) {
          log("tcp server skipped (full)");
          return;
        }
        int backlog = r.nextInt(5) == 0 ? anInt(r) : 16;
        boolean v6 = r.nextInt(5) == 0;
        boolean reuse = r.nextBoolean() && !avoid("reuseport");
        StreamCallback cb = connectionCb(s, r);
        log("tcp server " + L + " backlog=" + backlog + (v6 ? " ::1" : " 127.0.0.1") + " reuse=" + reuse);
        api("tcp server", () -> {
          Tcp t = new Tcp(loop);
          add(s, t, "Tcp");
          t.bind(new InetSocketAddress(InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), 0), false, reuse);
          listened.add(t);
          t.listen(backlog, cb);
          tcpServers.add(t.localAddress());
        });
        return;
      }
      case TCP_CONNECT: {
        Tcp t = r.nextInt(3) == 0 ? null : handle(s, r, Tcp.class);
        InetSocketAddress to = tcpTarget(r);
        boolean nulCb = r.nextInt(30) == 0;
        StreamCallback cb = streamCb(s, r, "connect");
        boolean read = r.nextBoolean();
        ReadCallback rcb = readCb(s, r);
        log("tcp connect " + (t == null ? "new" : n(t)) + " -> " + to + (read ? " +read" : ""));
        api("tcp connect", () -> {
          Tcp c = t;
          if (c == null) {
            if (full(s)) {
              return;
            }
            c = new Tcp(loop);
            add(s, c, "Tcp");
          }
          if (badConnect(c)) {
            return;
          }
          connected.add(c);
          Tcp cc = c;
          Once o = expect(c.loop(), "tcp connect of " + n(c));
          tracked(o, () -> cc.connect(to, nulCb ? null : once(o, (st, e) -> {
            if (e == null && read) {
              api("readStart after connect", () -> st.readStart(rcb));
            }
            cb.done(st, e);
          })));
        });
        return;
      }
      case TCP_OP: {
        Tcp t = handle(s, r, Tcp.class);
        int k = r.nextInt(10);
        int v = anInt(r);
        Runnable onClose = task(t == null ? s : slotOf(t.loop(), s), r);
        log("tcp " + n(t) + " #" + k + " " + v);
        if (t == null) {
          return;
        }
        api("tcp op " + k, () -> {
          switch (k) {
            case 0: t.noDelay(r.nextBoolean()); break;
            case 1: t.keepAlive(r.nextBoolean(), v); break;
            case 2: t.simultaneousAccepts(r.nextBoolean()); break;
            case 3: t.localAddress(); break;
            case 4: t.remoteAddress(); break;
            case 5: t.closeReset(onClose); break;
            case 6: t.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)); break;
            case 7: t.bind(r.nextBoolean() ? null : new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0)); break;
            case 8: t.bind(tcpServers.isEmpty() ? null : tcpServers.get(0), r.nextBoolean(), r.nextBoolean() && !avoid("reuseport")); break;
            case 9:
              if (!badListen(t)) {
                listened.add(t);
                t.listen(v, connectionCb(s, r));
              }
              break;
          }
        });
        return;
      }
      case PIPE_NEW: {
        if (full(s)) {
          log("new Pipe skipped (full)");
          return;
        }
        boolean ipc = r.nextInt(4) == 0;
        log("new Pipe " + L + " ipc=" + ipc);
        api("new Pipe", () -> add(s, new Pipe(loop, ipc), "Pipe"));
        return;
      }
      case PIPE_SERVER: {
        if (full(s)) {
          log("pipe server skipped (full)");
          return;
        }
        String name = dir.resolve("s" + opIndex + ".sock").toString();
        int backlog = r.nextInt(5) == 0 ? anInt(r) : 16;
        StreamCallback cb = connectionCb(s, r);
        log("pipe server " + L + " " + name + " backlog=" + backlog);
        api("pipe server", () -> {
          Pipe p = new Pipe(loop, false);
          add(s, p, "Pipe");
          p.bind(name);
          listened.add(p);
          p.listen(backlog, cb);
          pipeServers.add(name);
        });
        return;
      }
      case PIPE_CONNECT: {
        Pipe p = r.nextInt(3) == 0 ? null : handle(s, r, Pipe.class);
        String to = pipeTarget(r);
        StreamCallback cb = streamCb(s, r, "pconnect");
        boolean read = r.nextBoolean();
        ReadCallback rcb = readCb(s, r);
        log("pipe connect " + (p == null ? "new" : n(p)) + " -> " + shortPath(to) + (read ? " +read" : ""));
        api("pipe connect", () -> {
          Pipe c = p;
          if (c == null) {
            if (full(s)) {
              return;
            }
            c = new Pipe(loop, false);
            add(s, c, "Pipe");
          }
          if (badConnect(c)) {
            return;
          }
          connected.add(c);
          Pipe cc = c;
          Once o = expect(c.loop(), "pipe connect of " + n(c));
          tracked(o, () -> cc.connect(to, once(o, (st, e) -> {
            if (e == null && read) {
              api("readStart after connect", () -> st.readStart(rcb));
            }
            cb.done(st, e);
          })));
        });
        return;
      }
      case PIPE_OP: {
        Pipe p = handle(s, r, Pipe.class);
        int k = r.nextInt(7);
        int v = anInt(r);
        String name = r.nextInt(3) == 0 ? sunPathEdge(r)
            : r.nextBoolean() ? dir.resolve("b" + opIndex + ".sock").toString() : pipeTarget(r);
        log("pipe " + n(p) + " #" + k + " " + v + " " + shortPath(name));
        if (p == null) {
          return;
        }
        api("pipe op " + k, () -> {
          switch (k) {
            case 0: p.chmod(r.nextBoolean() ? v : 1 + r.nextInt(3)); break;
            case 1: p.pendingInstances(v); break;
            case 2: p.localName(); break;
            case 3: p.peerName(); break;
            case 4: p.bind(name); break;
            case 5:
              if (!badListen(p)) {
                listened.add(p);
                p.listen(v, connectionCb(s, r));
              }
              break;
            default:
              if (!badListen(p)) {
                p.bind(name);
                listened.add(p);
                p.listen(16, connectionCb(s, r));
                pipeServers.add(name);
              }
          }
        });
        return;
      }
      case STREAM_READ: {
        Stream st = handle(s, r, Stream.class);
        boolean start = r.nextInt(3) != 0;
        boolean nul = r.nextInt(30) == 0;
        ReadCallback cb = readCb(s, r);
        log((start ? "readStart " : "readStop ") + n(st) + (nul ? " null" : ""));
        if (st != null) {
          api("read", () -> {
            if (start) {
              st.readStart(nul ? null : cb);
            } else {
              st.readStop();
            }
          });
        }
        return;
      }
      case STREAM_WRITE: {
        Stream st = handle(s, r, Stream.class);
        int k = r.nextInt(7);
        ByteBuffer b = buffer(s, r);
        ByteBuffer[] bs = k == 4 ? buffers(s, r) : null;
        int off = r.nextInt(4) == 0 ? anInt(r) : 0;
        int len = r.nextInt(4) == 0 ? anInt(r) : 10;
        StreamCallback cb = r.nextInt(30) == 0 ? null : streamCb(s, r, "write");
        log("write " + n(st) + " #" + k + " " + (k == 4 ? desc(bs) : desc(b)) + " off=" + off + " len=" + len);
        if (st == null) {
          return;
        }
        if (avoid("listen-write") && listened.contains(st)) {
          return; // found by this fuzzer: bind(reusePort) + listen + write asserts in libuv
        }
        api("write " + k, () -> {
          if (st.writeQueueSize() > WRITE_QUEUE_CAP) {
            return;
          }
          switch (k) {
            case 0: st.write(b); break;
            case 1: {
              Once o = expect(st.loop(), "write(buf, cb) on " + n(st));
              tracked(o, () -> st.write(b, once(o, cb)));
              break;
            }
            case 2: st.write(b == null ? null : new byte[b.remaining()]); break;
            case 3: {
              Once o = expect(st.loop(), "write(array, off, len, cb) on " + n(st));
              tracked(o, () -> st.write(new byte[Math.max(0, Math.min(len, 100000))], off, len, once(o, cb)));
              break;
            }
            case 4: {
              Once o = expect(st.loop(), "write(bufs, cb) on " + n(st));
              tracked(o, () -> st.write(bs, once(o, cb)));
              break;
            }
            case 5: st.tryWrite(b); break;
            default: {
              Once o1 = expect(st.loop(), "write(dup, cb) on " + n(st));
              tracked(o1, () -> st.write(b == null ? null : b.duplicate(), once(o1, cb)));
              Once o2 = expect(st.loop(), "write(buf, cb) again on " + n(st));
              tracked(o2, () -> st.write(b, once(o2, cb)));
              break;
            }
          }
        });
        return;
      }
      case STREAM_OP: {
        Stream st = handle(s, r, Stream.class);
        Stream other = handle(s, r, Stream.class);
        int k = r.nextInt(11);
        int v = r.nextBoolean() ? anInt(r) : 65536;
        StreamCallback cb = r.nextInt(30) == 0 ? null : streamCb(s, r, "shutdown");
        log("stream " + n(st) + " #" + k + " " + v + " other=" + n(other));
        if (st == null) {
          return;
        }
        api("stream op " + k, () -> {
          switch (k) {
            case 0:
              if (!(avoid("listen-write") && listened.contains(st))) {
                Once o = expect(st.loop(), "shutdown of " + n(st));
                tracked(o, () -> st.shutdown(once(o, cb)));
              }
              break;
            case 1: st.isReadable(); st.isWritable(); break;
            case 2: st.writeQueueSize(); break;
            case 3: st.fileno(); break;
            case 4: st.sendBufferSize(v); break;
            case 5: st.recvBufferSize(v); break;
            case 6:
              if (!badListen(st)) {
                listened.add(st);
                st.listen(v, connectionCb(s, r));
              }
              break;
            case 7:
              if (!(avoid("accept-loop") && other != null && other.loop() != st.loop())) {
                st.accept(other);
              }
              break;
            case 8: st.accept(null); break;
            default: st.toString(); st.isActive(); break;
          }
        });
        return;
      }
      case STREAM_OPEN_FD: {
        boolean tcp = r.nextBoolean();
        Stream h = tcp ? handle(s, r, Tcp.class) : handle(s, r, Pipe.class);
        boolean dn = r.nextInt(3) == 0;
        int picked = fd(r);
        log((tcp ? "Tcp.open " : "Pipe.open ") + n(h) + (dn ? " of a new /dev/null fd" : " fd=" + picked));
        if (h == null || avoid("open-fd")) {
          return;
        }
        int fd = dn ? devNull() : picked;
        AtomicInteger busy = fds.get(fd);
        if (busy != null && busy.get() > 0) {
          return; // an fs operation in flight on it: do not hand it over
        }
        // Tcp.open takes a long: a value beyond int must be refused, not truncated to a small fd
        // (only ever our own fd + 2^32 here, never 2^32+1: that would be stdout).
        boolean wide = tcp && dn && fd >= 0 && r.nextInt(3) == 0;
        boolean adopted = api("open fd", () -> {
          if (wide) {
            ((Tcp) h).open((1L << 32) + fd);
            violation("Tcp.open(2^32 + " + fd + ") accepted: the descriptor was truncated to " + fd);
          } else if (tcp) {
            ((Tcp) h).open(fd);
          } else {
            ((Pipe) h).open(fd);
          }
        });
        if (adopted) {
          forgetFd(fd); // the handle owns it now
        } else if (dn && fd >= 0) {
          api("close /dev/null fd", () -> Fs.closeSync(fd));
        }
        return;
      }
      case UDP_NEW: udpNew(s, r); return;
      case UDP_OP: udpOp(s, r); return;
      case SIGNAL: signalOp(s, r); return;
      case POLL: pollOp(s, r); return;
      case TTY: ttyOp(s, r); return;
      case UV_SYS: sysOp(s, r); return;
      case RANDOM: randomAsync(s, r); return;
      case BACKPRESSURE: backpressure(s, r); return;
      case IPC: processIpc.ipcOp(s, r); return;
      case PROCESS: processIpc.processOp(s, r); return;
      case FS_PATH: fsPath(s, r); return;
      case FS_FD: fsFd(s, r); return;
      case FS_OPEN: {
        String p = path(r);
        int[] flagsSet = {Fs.O_RDWR | Fs.O_CREAT, Fs.O_RDONLY, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC,
            Fs.O_RDWR | Fs.O_CREAT | Fs.O_APPEND, Fs.O_RDONLY | Fs.O_DIRECTORY, -1, Integer.MAX_VALUE,
            Fs.O_RDWR | Fs.O_CREAT | Fs.O_EXCL, Fs.O_RDWR | Fs.O_CREAT | Fs.O_DIRECT};
        int flags = flagsSet[r.nextInt(flagsSet.length)];
        int mode = r.nextInt(5) == 0 ? anInt(r) : 0644;
        int form = r.nextInt(3);
        boolean temp = r.nextInt(6) == 0;
        log((temp ? "mkstemp " : "open ") + shortPath(p) + " flags=" + flags + " mode=" + mode + " form=" + form);
        if (fds.size() >= MAX_FDS) {
          closeOldestFd();
        }
        if (flags == -1 || flags == Integer.MAX_VALUE || !safeToCreate(p, flags)) {
          if ((flags & Fs.O_CREAT) != 0 || flags == -1 || flags == Integer.MAX_VALUE) {
            p = dir.resolve("f0").toString(); // creating files only inside the private directory
          }
        }
        String path = p;
        if (temp) {
          String tmpl = r.nextInt(4) == 0 ? path : dir.resolve("t" + opIndex + "-XXXXXX").toString();
          fsForm(s, form, "mkstemp",
              () -> Fs.mkstempSync(tmpl),
              cb -> s.fs.mkstemp(tmpl, cast(cb)),
              () -> s.fs.mkstemp(tmpl),
              v -> ownFdLater(s, ((TempFile) v).fd()));
        } else {
          fsForm(s, form, "open",
              () -> Fs.openSync(path, flags, mode),
              cb -> s.fs.open(path, flags, mode, cast(cb)),
              () -> s.fs.open(path, flags, mode),
              v -> ownFdLater(s, (Integer) v));
        }
        return;
      }
      case FS_CLOSE: {
        if (fdOrder.isEmpty() || r.nextInt(6) == 0) {
          int bad = fd(r);
          if (fds.containsKey(bad)) {
            bad = -1;
          }
          int fb = bad;
          log("close bad fd " + fb);
          api("close bad fd", () -> Fs.closeSync(fb));
          return;
        }
        int fd = fdOrder.get(r.nextInt(fdOrder.size()));
        int form = r.nextInt(3);
        log("close fd " + fd + " form=" + form);
        closeFd(s, fd, form);
        return;
      }
      case FS_DIR: fsDir(s, r); return;
      case FS_EVENT: {
        FsEvent h = handle(s, r, FsEvent.class);
        int k = r.nextInt(5);
        String p = path(r);
        int flags = r.nextInt(4) == 0 ? anInt(r) : 0;
        Behavior b = new Behavior(s, r);
        log("fsevent " + (h == null ? "new" : n(h)) + " #" + k + " " + shortPath(p) + " flags=" + flags);
        api("fsevent", () -> {
          FsEvent e = h;
          if (e == null || k == 0) {
            if (full(s)) {
              return;
            }
            e = new FsEvent(loop);
            add(s, e, "Ev");
          }
          switch (k) {
            case 3: e.stop(); break;
            case 4: e.getPath(); break;
            default: e.start(p, flags, (x, f, ev, err) -> {
              checkOpen(x, "fsevent");
              inCallback("fsevent", b, x);
            });
          }
        });
        return;
      }
      case FS_POLL: {
        FsPoll h = handle(s, r, FsPoll.class);
        int k = r.nextInt(5);
        String p = path(r);
        long interval = r.nextInt(3) == 0 ? MILLIS[r.nextInt(MILLIS.length)] : r.nextInt(20);
        Behavior b = new Behavior(s, r);
        log("fspoll " + (h == null ? "new" : n(h)) + " #" + k + " " + shortPath(p) + " interval=" + interval);
        api("fspoll", () -> {
          FsPoll e = h;
          if (e == null || k == 0) {
            if (full(s)) {
              return;
            }
            e = new FsPoll(loop);
            add(s, e, "Po");
          }
          switch (k) {
            case 3: e.stop(); break;
            case 4: e.getPath(); break;
            default:
              if (avoid("fspoll-restart") && !fsPollStarted.add(e)) {
                return; // found by this fuzzer: stop + start with a stat in flight asserts in libuv
              }
              e.start(p, interval, (x, err, prev, curr) -> {
              checkOpen(x, "fspoll");
              inCallback("fspoll", b, x);
            });
          }
        });
        return;
      }
      case DNS: dns(s, r); return;
      case UV_MISC: {
        int k = r.nextInt(9);
        int v = anInt(r);
        log("uv misc #" + k + " " + v);
        api("uv misc " + k, () -> {
          switch (k) {
            case 0: Uv.version(); Uv.versionString(); break;
            case 1: Uv.hrtime(); break;
            case 2: Uv.threadPoolSize(); break;
            case 3: Uv.setThreadPoolSize(v); break;
            case 4: Uv.liveHandles(); Uv.liveRequests(); Uv.liveGlobalRefs(); Uv.liveLoops(); break;
            case 5: Errno.code(r.nextBoolean() ? "EBADF" : r.nextBoolean() ? null : "NOPE"); break;
            case 6: Errno.all().size(); break;
            case 7: new UvException(v, "fuzz").getMessage(); break;
            default: {
              UvException e = new UvException(v, null, null, null, null);
              e.getMessage();
              e.errorName();
              e.description();
            }
          }
        });
        return;
      }
      case BUFFER_MUTATE: {
        if (s.background() || s.buffers.isEmpty() || avoid("buffers")) {
          log("mutate buffer skipped");
          return;
        }
        ByteBuffer b = s.buffers.get(r.nextInt(s.buffers.size()));
        int k = r.nextInt(5);
        log("mutate " + desc(b) + " #" + k);
        api("mutate", () -> {
          switch (k) {
            case 0: b.limit(b.capacity() > 0 ? r.nextInt(b.capacity() + 1) : 0); break;
            case 1: b.clear(); break;
            case 2: b.position(b.limit()); break;
            case 3: b.flip(); break;
            default: b.limit(0);
          }
        });
        return;
      }
      case CLOSE_LIBUV_FD: {
        // Issue 8 class 7 on purpose: closing a descriptor libuv owns must be refused.
        if (r.nextInt(3) == 0) { // one libuv opened for itself: a loop's ring, its signal lock
          int fd = libuvInternalFd(r);
          log("closeSync of libuv-internal fd " + fd);
          if (fd >= 0 && !avoid("libuv-fd")) {
            api("close libuv-internal fd", () -> Fs.closeSync(fd));
          }
          return;
        }
        Stream st = handle(s, r, Stream.class);
        boolean backend = st == null || r.nextBoolean();
        log("closeSync of " + (backend ? "backendFd of " + L : "fileno of " + n(st)));
        if (avoid("libuv-fd")) {
          return;
        }
        api("close libuv fd", () -> {
          int fd = backend ? loop.backendFd() : st.fileno();
          if (fds.containsKey(fd)) {
            return; // ours after all
          }
          Fs.closeSync(fd);
        });
        return;
      }
      default:
        throw new AssertionError(op);
    }
  }

  /**
   * A descriptor libuv opened for itself and no handle or loop field names (Linux; else -1): an
   * io_uring ring (nothing else in this JVM makes one), or an end of a pipe whose two ends are
   * both in this process and that the fuzzer did not open (libuv's signal lock pipe, a loop's
   * signal pipe). Closing it must be refused.
   */
  int libuvInternalFd(Random r) {
    java.util.List<Integer> candidates = new java.util.ArrayList<>();
    java.util.Map<String, java.util.List<Integer>> pipes = new java.util.HashMap<>();
    java.io.File[] entries = new java.io.File("/proc/self/fd").listFiles();
    if (entries == null) {
      return -1;
    }
    for (java.io.File e : entries) {
      try {
        int fd = Integer.parseInt(e.getName());
        String what = java.nio.file.Files.readSymbolicLink(e.toPath()).toString();
        if (fds.containsKey(fd)) {
          continue;
        }
        if (what.equals("anon_inode:[io_uring]")) {
          candidates.add(fd);
        } else if (what.startsWith("pipe:")) {
          pipes.computeIfAbsent(what, k -> new java.util.ArrayList<>()).add(fd);
        }
      } catch (NumberFormatException | java.io.IOException ignored) {
        // gone meanwhile, or the listing's own descriptor
      }
    }
    for (java.util.List<Integer> ends : pipes.values()) {
      if (ends.size() == 2) {
        candidates.addAll(ends);
      }
    }
    return candidates.isEmpty() ? -1 : candidates.get(r.nextInt(candidates.size()));
  }

  // ------------------------------------------------------------------ running

  /** Runs the loop on this thread; an unref'd timer (and a watchdog) make sure run() returns. */
  void runGuarded(Slot s, RunMode mode, int guardMs) {
    Loop loop = s.loop;
    Timer[] guard = new Timer[1];
    if (!s.background() && !loop.isClosed()) {
      try {
        guard[0] = new Timer(loop);
        guard[0].unref();
        guard[0].start(guardMs, 0, t -> {
          api("guard stop", loop::stop);
          api("guard close", t::close);
        });
      } catch (Throwable t) {
        report("guard", t);
      }
    }
    long id = ++runSeq;
    runningSlot = s;
    runStart = System.nanoTime();
    runId = id;
    try {
      api("run", () -> {
        if (mode == null) {
          loop.run(null);
        } else {
          loop.run(mode);
        }
      });
    } finally {
      runId = 0;
    }
    if (guard[0] != null) {
      api("guard close", () -> guard[0].close());
    }
  }

  long runSeq;
  volatile Slot runningSlot;
  volatile long runStart;
  volatile long runId;

  /** If a driver run() has not returned within 5 s, asks the loop to stop through execute(). */
  void startWatchdog() {
    Thread t = new Thread(() -> {
      long kicked = 0;
      while (true) {
        sleep(100);
        long id = runId;
        Slot s = runningSlot;
        if (id != 0 && id != kicked && s != null && System.nanoTime() - runStart > 5_000_000_000L) {
          kicked = id;
          FuzzOut.line("WATCHDOG run of " + s.name + " still running after 5 s: execute(stop)");
          api("watchdog", () -> s.loop.execute(() -> api("watchdog stop", s.loop::stop)));
        }
      }
    }, "fuzz-watchdog");
    t.setDaemon(true);
    t.start();
  }

  void joinBg(Slot s) {
    Thread t = s.bg;
    if (t == null) {
      return;
    }
    try {
      t.join(5000);
      if (t.isAlive()) {
        FuzzOut.line("WATCHDOG background run of " + s.name + " still running after 5 s: execute(stop)");
        api("watchdog", () -> s.loop.execute(() -> api("watchdog stop", s.loop::stop)));
        t.join(); // if this never returns, the parent reports a hang
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    s.bg = null;
  }

  void retire(Slot s) {
    loops.remove(s);
    closedLoops.add(s);
    if (closedLoops.size() > 2) {
      closedLoops.remove(0);
    }
    tcpServers.clear(); // addresses of closed servers would only give ECONNREFUSED
  }

  void trimRequests(Slot s) {
    while (s.requests.size() > 32) {
      s.requests.remove(0);
    }
  }

  static void sleep(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String shortPath(String p) {
    if (p == null) {
      return "null";
    }
    String q = p.replace('\0', '@');
    return q.length() > 80 ? q.substring(0, 40) + "...(" + q.length() + " chars)" : q;
  }

  void joinHelpers() {
    for (Thread t : helpers) {
      FuzzOut.line("OP " + opIndex + " join " + t.getName()); // progress, for the hang watch
      try {
        t.join(10000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    helpers.removeIf(t -> !t.isAlive());
  }

  // ------------------------------------------------------------------ file system

  /**
   * A fresh descriptor of /dev/null, for Tcp.open/Pipe.open only (issue 8 class 6). It is never
   * in the pool the fd operations draw from: fchmod/fchown/futime on it would change the
   * machine's /dev/null.
   */
  int devNull() {
    try {
      return Fs.openSync("/dev/null", Fs.O_RDONLY, 0);
    } catch (UvException e) {
      return -1;
    }
  }

  /** Async results arrive on the loop thread: hand the descriptor to the driver through a queue. */
  final List<Integer> arrivedFds = new CopyOnWriteArrayList<>();

  void ownFdLater(Slot s, int fd) {
    if (Thread.currentThread() == driver) {
      ownFd(fd);
    } else {
      arrivedFds.add(fd);
    }
  }

  void collectArrivedFds() {
    for (Integer fd : arrivedFds) {
      arrivedFds.remove(fd);
      ownFd(fd);
    }
  }

  void forgetFd(int fd) {
    fds.remove(fd);
    fdOrder.remove((Integer) fd);
  }

  void closeOldestFd() {
    for (Integer fd : new ArrayList<>(fdOrder)) {
      AtomicInteger busy = fds.get(fd);
      if (busy != null && busy.get() == 0) {
        forgetFd(fd);
        api("close oldest fd", () -> Fs.closeSync(fd));
        return;
      }
    }
  }

  void closeFd(Slot s, int fd, int form) {
    AtomicInteger busy = fds.get(fd);
    if (busy == null || busy.get() > 0) {
      return; // an operation in flight still uses it: closing now could hit a reused number
    }
    forgetFd(fd);
    if (form == 0 || s.background() || s.loop.isClosed()) {
      api("closeSync", () -> Fs.closeSync(fd));
    } else if (form == 1) {
      if (!api("close cb", () -> s.fs.close(fd, (v, e) -> { }))) {
        api("closeSync after failed close", () -> Fs.closeSync(fd));
      }
    } else {
      if (!api("close future", () -> s.fs.close(fd))) {
        api("closeSync after failed close", () -> Fs.closeSync(fd));
      }
    }
  }

  boolean safeToCreate(String p, int flags) {
    return p != null && p.startsWith(dir.toString());
  }

  interface SyncCall {
    Object call() throws Throwable;
  }

  interface CbCall {
    Object call(io.uv4j.FsCallback<Object> cb) throws Throwable;
  }

  interface FutureCall {
    CompletableFuture<?> call() throws Throwable;
  }

  /** One fs operation in one of its three forms; {@code onValue} sees a successful result. */
  @SuppressWarnings("unchecked")
  void fsForm(Slot s, int form, String what, SyncCall sync, CbCall cb, FutureCall fut, Consumer<Object> onValue) {
    collectArrivedFds();
    if (form == 0) {
      Object[] v = new Object[1];
      if (api(what + "Sync", () -> v[0] = sync.call()) && v[0] != null && onValue != null) {
        onValue.accept(v[0]);
      }
    } else if (form == 1) {
      Once o = expect(s, what + " callback");
      api(what + " cb", () -> tracked(o, () -> {
        Object req = cb.call((v, e) -> {
          o.fire();
          if (e == null && v != null && onValue != null) {
            onValue.accept(v);
          }
        });
        if (req instanceof Request) {
          s.requests.add((Request) req);
          trimRequests(s);
        }
      }));
    } else {
      Once o = expect(s, what + " future");
      api(what + " future", () -> tracked(o, () -> {
        CompletableFuture<Object> f = (CompletableFuture<Object>) fut.call();
        f.whenComplete((v, e) -> {
          o.fire();
          if (e == null && v != null && onValue != null) {
            onValue.accept(v);
          }
        });
      }));
    }
  }

  /** A readable /sys file whose st_size (4096) exceeds its content, or null (not Linux). */
  static final String SHORT_SYS_FILE = shortSysFile();

  static String shortSysFile() {
    for (String c : new String[] {"/sys/kernel/mm/transparent_hugepage/enabled", "/sys/kernel/uevent_seqnum",
        "/sys/kernel/profiling", "/sys/power/state"}) {
      try {
        java.nio.file.Path p = java.nio.file.Path.of(c);
        if (java.nio.file.Files.isReadable(p) && java.nio.file.Files.size(p) > java.nio.file.Files.readAllBytes(p).length) {
          return c;
        }
      } catch (java.io.IOException | RuntimeException e) {
        // not this one
      }
    }
    return null;
  }

  void fsPath(Slot s, Random r) {
    int k = r.nextInt(22);
    int form = r.nextInt(3);
    String p = k >= 14 ? readPath(r) : path(r);
    String q = path(r);
    int mode = r.nextInt(4) == 0 ? anInt(r) : 0755;
    int flags = r.nextInt(4) == 0 ? anInt(r) : 0;
    double t1 = r.nextInt(4) == 0 ? Double.NaN : r.nextInt(4) == 0 ? -1e30 : 1e9 + r.nextInt(1000);
    Instant i1 = r.nextInt(4) == 0 ? (r.nextBoolean() ? null : Instant.MAX) : Instant.ofEpochSecond(r.nextInt(1 << 30));
    int uid = r.nextBoolean() ? -1 : r.nextInt(3) == 0 ? anInt(r) : 0;
    log("fs path #" + k + " form=" + form + " " + shortPath(p) + " " + shortPath(q) + " mode=" + mode
        + " flags=" + flags + " t=" + t1 + " " + i1 + " uid=" + uid);
    Fs fs = s.fs;
    // Paths that are written (mutating calls) stay inside the private directory; a null or odd
    // path is fine (it must be refused), an outside one is replaced.
    if (k < 14 && p != null && !p.isEmpty() && !p.startsWith(dir.toString())) {
      p = dir.resolve("f1").toString();
    }
    String a = p;
    String b0 = q != null && !q.isEmpty() && !q.startsWith(dir.toString()) ? dir.resolve("f2").toString() : q;
    String b = b0 == null && avoid("null-path") ? dir.resolve("f2").toString() : b0; // issue 8 class 5
    switch (k) {
      case 0: fsForm(s, form, "unlink", () -> { Fs.unlinkSync(a); return null; }, cb -> fs.unlink(a, cast(cb)), () -> fs.unlink(a), null); break;
      case 1: fsForm(s, form, "mkdir", () -> { Fs.mkdirSync(a, mode); return null; }, cb -> fs.mkdir(a, mode, cast(cb)), () -> fs.mkdir(a, mode), null); break;
      case 2: fsForm(s, form, "rmdir", () -> { Fs.rmdirSync(a); return null; }, cb -> fs.rmdir(a, cast(cb)), () -> fs.rmdir(a), null); break;
      case 3: fsForm(s, form, "rename", () -> { Fs.renameSync(a, b); return null; }, cb -> fs.rename(a, b, cast(cb)), () -> fs.rename(a, b), null); break;
      case 4: fsForm(s, form, "mkdtemp", () -> Fs.mkdtempSync(a), cb -> fs.mkdtemp(a, cast(cb)), () -> fs.mkdtemp(a), null); break;
      case 5: {
        // now and then a /sys source shorter than its size (libuv's copy loop never ended on one)
        String src = SHORT_SYS_FILE != null && r.nextInt(6) == 0 ? SHORT_SYS_FILE : a;
        fsForm(s, form, "copyfile", () -> { Fs.copyfileSync(src, b, flags); return null; }, cb -> fs.copyfile(src, b, flags, cast(cb)), () -> fs.copyfile(src, b, flags), null);
        break;
      }
      case 6: fsForm(s, form, "link", () -> { Fs.linkSync(a, b); return null; }, cb -> fs.link(a, b, cast(cb)), () -> fs.link(a, b), null); break;
      case 7: {
        // Link targets stay inside too: a link to /etc followed by chmod would escape.
        String target = b == null ? null : r.nextBoolean() ? "f3" : b;
        String link = a == null && avoid("null-path") ? dir.resolve("l0").toString() : a;
        fsForm(s, form, "symlink", () -> { Fs.symlinkSync(target, link, flags); return null; }, cb -> fs.symlink(target, link, flags, cast(cb)), () -> fs.symlink(target, link, flags), null);
        break;
      }
      case 8: fsForm(s, form, "chmod", () -> { Fs.chmodSync(a, mode); return null; }, cb -> fs.chmod(a, mode, cast(cb)), () -> fs.chmod(a, mode), null); break;
      case 9: fsForm(s, form, "chown", () -> { Fs.chownSync(a, uid, uid); return null; }, cb -> fs.chown(a, uid, uid, cast(cb)), () -> fs.chown(a, uid, uid), null); break;
      case 10: fsForm(s, form, "lchown", () -> { Fs.lchownSync(a, uid, uid); return null; }, cb -> fs.lchown(a, uid, uid, cast(cb)), () -> fs.lchown(a, uid, uid), null); break;
      case 11: fsForm(s, form, "utime", () -> { Fs.utimeSync(a, t1, t1); return null; }, cb -> fs.utime(a, t1, t1, cast(cb)), () -> fs.utime(a, t1, t1), null); break;
      case 12: fsForm(s, form, "utimeI", () -> { Fs.utimeSync(a, i1, i1); return null; }, cb -> fs.utime(a, i1, i1, cast(cb)), () -> fs.utime(a, i1, i1), null); break;
      case 13: fsForm(s, form, "lutime", () -> { Fs.lutimeSync(a, t1, t1); return null; }, cb -> fs.lutime(a, i1, i1, cast(cb)), () -> fs.lutime(a, t1, t1), null); break;
      case 14: fsForm(s, form, "stat", () -> Fs.statSync(a), cb -> fs.stat(a, cast(cb)), () -> fs.stat(a), null); break;
      case 15: fsForm(s, form, "lstat", () -> Fs.lstatSync(a), cb -> fs.lstat(a, cast(cb)), () -> fs.lstat(a), null); break;
      case 16: fsForm(s, form, "scandir", () -> Fs.scandirSync(a), cb -> fs.scandir(a, cast(cb)), () -> fs.scandir(a), null); break;
      case 17: fsForm(s, form, "readlink", () -> Fs.readlinkSync(a), cb -> fs.readlink(a, cast(cb)), () -> fs.readlink(a), null); break;
      case 18: fsForm(s, form, "realpath", () -> Fs.realpathSync(a), cb -> fs.realpath(a, cast(cb)), () -> fs.realpath(a), null); break;
      case 19: fsForm(s, form, "access", () -> { Fs.accessSync(a, mode & 7); return null; }, cb -> fs.access(a, mode, cast(cb)), () -> fs.access(a, mode), null); break;
      case 20: fsForm(s, form, "statfs", () -> Fs.statfsSync(a), cb -> fs.statfs(a, cast(cb)), () -> fs.statfs(a), null); break;
      default: {
        // Write some content into a file, so reads and copies have something to move.
        String f = dir.resolve(NAMES[r.nextInt(4)]).toString();
        api("fill", () -> {
          int fd = Fs.openSync(f, Fs.O_RDWR | Fs.O_CREAT, 0644);
          try {
            Fs.writeSync(fd, ByteBuffer.wrap(new byte[r.nextInt(70000)]), 0);
          } finally {
            Fs.closeSync(fd);
          }
        });
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> io.uv4j.FsCallback<T> cast(io.uv4j.FsCallback cb) {
    return cb;
  }

  void fsFd(Slot s, Random r) {
    int k = r.nextInt(14);
    int form = r.nextInt(3);
    int fd = fd(r);
    int fd2 = fd(r);
    ByteBuffer b0 = buffer(s, r);
    ByteBuffer[] bs = r.nextBoolean() ? buffers(s, r) : null;
    boolean reading = k <= 1 || k == 13;
    if (reading && avoid("readonly") && bs != null) {
      for (int i = 0; i < bs.length; i++) {
        bs[i] = writable(bs[i]);
      }
    }
    ByteBuffer b = reading && avoid("readonly") ? writable(b0) : b0;
    long[] offsets = {-1, 0, 1, 100, 4096, -2, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62};
    long off = r.nextInt(3) == 0 ? offsets[r.nextInt(offsets.length)] : r.nextInt(2) - 1;
    long[] lengths = {0, 1, 100, 65536, 1 << 20, -1, Long.MIN_VALUE, Long.MAX_VALUE};
    long len = lengths[r.nextInt(lengths.length)];
    int mode = r.nextInt(4) == 0 ? anInt(r) : 0644;
    int uid = r.nextBoolean() ? -1 : 0;
    double t1 = r.nextInt(4) == 0 ? Double.NaN : 1e9 + r.nextInt(1000);
    log("fs fd #" + k + " form=" + form + " fd=" + fd + " fd2=" + fd2 + " " + (bs != null ? desc(bs) : desc(b))
        + " off=" + off + " len=" + len + " mode=" + mode);
    if (!s.background() || form == 0) {
      // ok: async forms on a loop another thread runs are refused (ISE), which is fine to try
    }
    Fs fs = s.fs;
    // Never let the file grow huge: a sparse file far beyond 1 MiB copied by sendfile/copyfile
    // would fill the disk. Offsets >= 2^62 fail (EFBIG/EINVAL) on ext4 and are kept.
    long sendLen = Math.min(Math.max(len, -1), 1 << 20);
    long truncLen = len > (1 << 20) && len != Long.MAX_VALUE ? 1 << 20 : len;
    Runnable done = form == 0 ? () -> { } : inFlight(fd);
    Runnable done2 = form == 0 ? () -> { } : inFlight(fd2);
    Consumer<Object> fin = v -> {
      done.run();
      done2.run();
    };
    try {
      switch (k) {
        case 0: case 1:
          fsFormTracked(s, form, "read", () -> Fs.readSync(fd, bs != null ? bs : new ByteBuffer[] {b}, off),
              cb -> bs != null ? fs.read(fd, bs, off, cb(cb)) : fs.read(fd, b, off, cb(cb)),
              () -> bs != null ? fs.read(fd, bs, off) : fs.read(fd, b, off), fin);
          break;
        case 2: case 3: {
          long woff = off > (1 << 20) && off < (1L << 62) ? 0 : off;
          fsFormTracked(s, form, "write", () -> Fs.writeSync(fd, bs != null ? bs : new ByteBuffer[] {b}, woff),
              cb -> bs != null ? fs.write(fd, bs, woff, cb(cb)) : fs.write(fd, b, woff, cb(cb)),
              () -> bs != null ? fs.write(fd, bs, woff) : fs.write(fd, b, woff), fin);
          break;
        }
        case 4: fsFormTracked(s, form, "fstat", () -> Fs.fstatSync(fd), cb -> fs.fstat(fd, cb(cb)), () -> fs.fstat(fd), fin); break;
        case 5: fsFormTracked(s, form, "ftruncate", () -> { Fs.ftruncateSync(fd, truncLen); return 0; }, cb -> fs.ftruncate(fd, truncLen, cb(cb)), () -> fs.ftruncate(fd, truncLen), fin); break;
        case 6: fsFormTracked(s, form, "fsync", () -> { Fs.fsyncSync(fd); return 0; }, cb -> fs.fsync(fd, cb(cb)), () -> fs.fsync(fd), fin); break;
        case 7: fsFormTracked(s, form, "fdatasync", () -> { Fs.fdatasyncSync(fd); return 0; }, cb -> fs.fdatasync(fd, cb(cb)), () -> fs.fdatasync(fd), fin); break;
        case 8: fsFormTracked(s, form, "sendfile", () -> Fs.sendfileSync(fd, fd2, Math.max(off, -1), sendLen), cb -> fs.sendfile(fd, fd2, Math.max(off, -1), sendLen, cb(cb)), () -> fs.sendfile(fd, fd2, Math.max(off, -1), sendLen), fin); break;
        case 9: fsFormTracked(s, form, "fchmod", () -> { Fs.fchmodSync(fd, mode); return 0; }, cb -> fs.fchmod(fd, mode, cb(cb)), () -> fs.fchmod(fd, mode), fin); break;
        case 10: fsFormTracked(s, form, "fchown", () -> { Fs.fchownSync(fd, uid, uid); return 0; }, cb -> fs.fchown(fd, uid, uid, cb(cb)), () -> fs.fchown(fd, uid, uid), fin); break;
        case 11: fsFormTracked(s, form, "futime", () -> { Fs.futimeSync(fd, t1, t1); return 0; }, cb -> fs.futime(fd, t1, t1, cb(cb)), () -> fs.futime(fd, t1, t1), fin); break;
        case 12: fsFormTracked(s, form, "futimeI", () -> { Fs.futimeSync(fd, Instant.now(), Instant.EPOCH); return 0; }, cb -> fs.futime(fd, Instant.EPOCH, Instant.now(), cb(cb)), () -> fs.futime(fd, Instant.now(), Instant.now()), fin); break;
        default: {
          // Read back what a file holds into a vectored buffer set (the same buffer twice...).
          ByteBuffer[] vs = buffers(s, r);
          if (vs != null && avoid("readonly")) {
            for (int i = 0; i < vs.length; i++) {
              vs[i] = writable(vs[i]);
            }
          }
          fsFormTracked(s, form, "readv", () -> Fs.readSync(fd, vs, 0), cb -> fs.read(fd, vs, 0, cb(cb)), () -> fs.read(fd, vs, 0), fin);
        }
      }
    } catch (Throwable t) {
      fin.accept(null);
      throw t;
    }
  }

  /** A read-only buffer replaced by a fresh one (avoid "readonly": reads into it throw ReadOnlyBufferException). */
  static ByteBuffer writable(ByteBuffer b) {
    return b != null && b.isReadOnly() ? ByteBuffer.allocate(b.remaining()) : b;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <T> io.uv4j.FsCallback<T> cb(io.uv4j.FsCallback cb) {
    return cb;
  }

  /** Like fsForm, but {@code fin} runs when the operation is over (or was refused). */
  @SuppressWarnings("unchecked")
  void fsFormTracked(Slot s, int form, String what, SyncCall sync, CbCall cb, FutureCall fut, Consumer<Object> fin) {
    if (form == 0) {
      api(what + "Sync", sync::call);
      fin.accept(null);
    } else if (form == 1) {
      Once o = expect(s, what + " callback");
      if (!api(what + " cb", () -> tracked(o, () -> {
        Object req = cb.call((v, e) -> {
          o.fire();
          fin.accept(null);
        });
        if (req instanceof Request) {
          s.requests.add((Request) req);
          trimRequests(s);
        }
      }))) {
        fin.accept(null);
      }
    } else {
      Once o = expect(s, what + " future");
      if (!api(what + " future", () -> tracked(o, () -> {
        CompletableFuture<Object> f = (CompletableFuture<Object>) fut.call();
        f.whenComplete((v, e) -> {
          o.fire();
          fin.accept(null);
        });
      }))) {
        fin.accept(null);
      }
    }
  }

  void fsDir(Slot s, Random r) {
    int k = r.nextInt(6);
    int form = r.nextInt(3);
    String p = readPath(r);
    int max = r.nextInt(4) == 0 ? anInt(r) : 1 + r.nextInt(8);
    Dir d = dirs.isEmpty() ? null : dirs.get(r.nextInt(dirs.size()));
    log("fs dir #" + k + " form=" + form + " " + shortPath(p) + " max=" + max + " dir=" + d);
    Fs fs = s.fs;
    switch (k) {
      case 0: case 1:
        if (dirs.size() >= 8) {
          return;
        }
        fsForm(s, form, "opendir", () -> Fs.opendirSync(p), cb -> fs.opendir(p, cast(cb)), () -> fs.opendir(p),
            v -> dirs.add((Dir) v));
        return;
      case 2: case 3:
        if (d == null) {
          return;
        }
        fsForm(s, form, "readdir", () -> Fs.readdirSync(d, max), cb -> fs.readdir(d, max, cast(cb)),
            () -> fs.readdir(d, max), v -> ((List<?>) v).size());
        return;
      case 4:
        if (d == null) {
          api("closedir null", () -> Fs.closedirSync(null));
          return;
        }
        fsForm(s, form, "closedir", () -> { Fs.closedirSync(d); return null; }, cb -> fs.closedir(d, cast(cb)),
            () -> fs.closedir(d), null);
        if (d.isClosed()) {
          dirs.remove(d);
        }
        return;
      default: {
        List<DirEntry>[] l = new List[1];
        api("scandir self", () -> l[0] = Fs.scandirSync(dir.toString()));
      }
    }
  }

  void dns(Slot s, Random r) {
    int k = r.nextInt(8);
    int form = r.nextInt(3);
    String[] hosts = {"localhost", "127.0.0.1", "::1", null, "", "x".repeat(300) + ".invalid",
        "\u00fcber.invalid", "999.1.1.1", "fe80::1%lo", "0x7f.1"};
    String host = hosts[r.nextInt(hosts.length)];
    String[] services = {null, "80", "http", "0", "65536", "-1", "nonexistent-svc"};
    String service = services[r.nextInt(services.length)];
    Dns.Hints hints = r.nextInt(4) == 0 ? null
        : new Dns.Hints(Dns.Family.values()[r.nextInt(3)], r.nextInt(3) == 0 ? anInt(r) : 0,
            r.nextInt(3) == 0 ? anInt(r) : 0, Dns.AI_NUMERICHOST | (r.nextInt(3) == 0 ? anInt(r) & 0x7ff : 0));
    // Without AI_NUMERICHOST only names the hosts file answers: no query leaves the machine.
    if (hints == null && host != null && !host.equals("localhost") && !host.equals("127.0.0.1")) {
      host = "localhost";
    }
    String h = host;
    InetSocketAddress addr;
    try {
      addr = r.nextInt(6) == 0 ? null : new InetSocketAddress(InetAddress.getByName(r.nextBoolean() ? "127.0.0.1" : "::1"),
          r.nextInt(65536));
    } catch (Exception e) {
      addr = null;
    }
    InetSocketAddress a = addr;
    int flags = Dns.NI_NUMERICHOST | (r.nextInt(3) == 0 ? anInt(r) & 0xff : 0);
    log("dns #" + k + " form=" + form + " " + shortPath(h) + " " + service + " " + hints + " addr=" + a + " flags=" + flags);
    Dns dns = s.dns;
    if (k < 5) {
      api("getaddrinfo", () -> {
        if (form == 0) {
          Dns.getaddrinfoSync(h, service, hints);
        } else if (form == 1) {
          Once o = expect(s, "getaddrinfo callback");
          tracked(o, () -> s.requests.add(dns.getaddrinfo(h, service, hints, (v, e) -> o.fire())));
          trimRequests(s);
        } else {
          Once o = expect(s, "getaddrinfo future");
          tracked(o, () -> dns.getaddrinfo(h, service, hints).whenComplete((v, e) -> o.fire()));
        }
      });
    } else {
      api("getnameinfo", () -> {
        if (form == 0) {
          Dns.getnameinfoSync(a, flags);
        } else if (form == 1) {
          Once o = expect(s, "getnameinfo callback");
          tracked(o, () -> s.requests.add(dns.getnameinfo(a, flags, (v, e) -> o.fire())));
          trimRequests(s);
        } else {
          Once o = expect(s, "getnameinfo future");
          tracked(o, () -> dns.getnameinfo(a, flags).whenComplete((v, e) -> o.fire()));
        }
      });
    }
  }

  // ================================================================== the end

  // ================================================================== wave 2: Udp, Signal, Poll, Tty, system utilities

  /** What the wave-2 checks saw (NOTE line at the end: they are not vacuous). */
  final AtomicInteger udpDatagrams = new AtomicInteger();
  final AtomicInteger udpSends = new AtomicInteger();
  final AtomicInteger pollEvents = new AtomicInteger();
  final AtomicInteger signalsSeen = new AtomicInteger();
  final AtomicInteger drains = new AtomicInteger();
  final AtomicInteger randomsDone = new AtomicInteger();
  final AtomicInteger pollCloseRefused = new AtomicInteger();

  /** Addresses the fuzzer's own UDP sockets are bound to (on 127.0.0.1): traffic stays among them. */
  final List<InetSocketAddress> udpAddrs = new CopyOnWriteArrayList<>();
  /** FIFOs in the private directory, opened O_RDWR by the fuzzer, for Poll; closed at the end. */
  final List<Integer> pollFds = new CopyOnWriteArrayList<>();
  /** Signal watchers started (repeating, not one-shot) on SIGUSR1: a delivery is safe while one is active. */
  final java.util.Set<io.uv4j.Signal> usr1Watchers = ConcurrentHashMap.newKeySet();
  static final int SIGUSR1 = io.uv4j.Signal.number("SIGUSR1");
  static final int SIGWINCH = io.uv4j.Signal.number("SIGWINCH");
  static final int SIGURG = io.uv4j.Signal.number("SIGURG");
  /** Signals a watcher may watch and the fuzzer may deliver, and ones every start must refuse. */
  static final String[] REFUSED_SIGNALS = {"SIGKILL", "SIGSTOP", "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL",
      "SIGQUIT", "SIGUSR2", "SIGINT", "SIGTERM", "SIGHUP"};

  InetSocketAddress udpTarget(Random r) throws Exception {
    int k = r.nextInt(10);
    if (k < 6 && !udpAddrs.isEmpty()) {
      return udpAddrs.get(r.nextInt(udpAddrs.size()));
    }
    switch (k) {
      case 6: return null;
      case 7: return InetSocketAddress.createUnresolved("localhost", 9);
      case 8: return new InetSocketAddress(InetAddress.getByName("::1"), 9);
      default: return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), r.nextBoolean() ? 0 : 9);
    }
  }

  io.uv4j.UdpRecvCallback udpRecv(Slot s, Random r) {
    Behavior data = new Behavior(s, r);
    Behavior err = new Behavior(s, r);
    boolean closeOnError = r.nextBoolean();
    return new io.uv4j.UdpRecvCallback() {
      @Override
      public void onDatagram(io.uv4j.Udp udp, ByteBuffer d, io.uv4j.UdpAddress from, boolean partial) {
        checkOpen(udp, "udp recv");
        udpDatagrams.incrementAndGet();
        if (from != null) {
          from.toString();
          from.toInetSocketAddress();
          from.port();
        }
        inCallback("udp recv", data, udp);
      }

      @Override
      public void onError(io.uv4j.Udp udp, UvException e) {
        checkOpen(udp, "udp recv error");
        if (closeOnError) {
          io.uv4j.UdpRecvCallback.super.onError(udp, e);
        }
        inCallback("udp recv error", err, udp);
      }
    };
  }

  void udpNew(Slot s, Random r) {
    if (full(s)) {
      log("new Udp skipped (full)");
      return;
    }
    int k = r.nextInt(8);
    boolean bind = r.nextInt(4) != 0;
    log("new Udp " + s.name + " #" + k + (bind ? " bind" : ""));
    api("new Udp", () -> {
      io.uv4j.Udp u;
      switch (k) {
        case 0: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.INET6); break;
        case 1: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.UNIX); break;
        case 2: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.INET, r.nextBoolean()); break;
        case 3: u = new io.uv4j.Udp(null); break;
        default: u = new io.uv4j.Udp(s.loop);
      }
      add(s, u, "U");
      if (bind) {
        int flags = r.nextInt(5) == 0 ? anInt(r) : r.nextInt(4) == 0 ? io.uv4j.Udp.REUSEADDR : 0;
        u.bind(new InetSocketAddress(InetAddress.getByName(k == 0 ? "::1" : "127.0.0.1"), 0), flags);
        udpAddrs.add(u.localAddress());
        if (r.nextBoolean()) {
          u.recvStart(udpRecv(s, r)); // a receiver for the others' traffic
          Once o = expect(s, "udp self-send");
          tracked(o, () -> u.send(ByteBuffer.wrap(new byte[1 + r.nextInt(1400)]), u.localAddress(), (x, e) -> {
            o.fire();
            udpSends.incrementAndGet();
          })); // one datagram to itself: traffic even when no other socket is left
        }
        if (udpAddrs.size() > 16) {
          udpAddrs.remove(0);
        }
      }
    });
  }

  void udpOp(Slot s, Random r) throws Exception {
    io.uv4j.Udp u = handle(s, r, io.uv4j.Udp.class);
    int k = r.nextInt(24);
    InetSocketAddress to = udpTarget(r);
    ByteBuffer b = r.nextInt(20) == 0 ? null : buffer(s, r);
    int v = anInt(r);
    Behavior sb = new Behavior(s, r);
    Once o = expect(s, "udp send #" + k);
    o.due.set(0);
    io.uv4j.UdpSendCallback cb = r.nextInt(25) == 0 ? null : (x, e) -> {
      o.fire();
      udpSends.incrementAndGet();
      inCallback("udp send" + (e != null ? "(" + e.errorName() + ")" : ""), sb, x);
    };
    io.uv4j.UdpRecvCallback rcb = r.nextInt(25) == 0 ? null : udpRecv(s, r);
    log("udp " + n(u) + " #" + k + " to=" + to + " buf=" + desc(b) + " v=" + v);
    if (u == null) {
      return;
    }
    api("udp op " + k, () -> {
      switch (k) {
        case 0: case 1: case 2:
          if (b != null && b.remaining() > 65000) {
            b.limit(b.position() + 1000); // keep datagrams sendable; oversized ones below
          }
          due(o, cb);
          tracked(o, () -> u.send(b, to, cb));
          break;
        case 3: due(o, cb); tracked(o, () -> u.send(b, cb)); break;
        case 4: due(o, cb); tracked(o, () -> u.send(buffers(s, r), to, cb)); break;
        case 5: {
          byte[] a = new byte[1 + r.nextInt(100)];
          int off = r.nextInt(4) == 0 ? v : r.nextInt(a.length);
          int len = r.nextInt(4) == 0 ? anInt(r) : r.nextInt(a.length + 1);
          due(o, cb);
          tracked(o, () -> u.send(a, off, len, to, cb));
          break;
        }
        case 6: u.trySend(b, to); break;
        case 7: u.trySend(b); break;
        case 8: case 9: u.recvStart(rcb); break;
        case 10: u.recvStop(); break;
        case 11: u.connect(to); break;
        case 12: u.disconnect(); break;
        case 13: u.isConnected(); u.isReceiving(); u.usesRecvmmsg(); u.sendQueueSize(); u.sendQueueCount(); break;
        case 14: u.localAddress(); u.remoteAddress(); break;
        case 15: u.fileno(); break;
        case 16: u.broadcast(r.nextBoolean()); u.ttl(v); break;
        case 17: u.multicastTtl(v); u.multicastLoop(r.nextBoolean()); break;
        case 18: u.multicastInterface(r.nextBoolean() ? null : r.nextBoolean() ? "127.0.0.1" : "nope"); break;
        case 19: u.sendBufferSize(v); u.recvBufferSize(anInt(r)); break;
        case 20: {
          String[] groups = {"239.1.2.3", "127.0.0.1", "nope", null, "ff02::1"};
          String g = groups[r.nextInt(groups.length)];
          String i = r.nextBoolean() ? null : "127.0.0.1";
          if (r.nextBoolean()) {
            u.joinGroup(g, i);
          } else {
            u.leaveGroup(g, i);
          }
          break;
        }
        case 21: {
          String src = r.nextBoolean() ? "127.0.0.1" : null;
          if (r.nextBoolean()) {
            u.joinSourceGroup("232.1.2.3", "127.0.0.1", src);
          } else {
            u.leaveSourceGroup("232.1.2.3", null, src);
          }
          break;
        }
        case 22: u.bind(to, r.nextInt(3) == 0 ? v : 0); break;
        default: {
          int fd = fd(r);
          if (!fds.containsKey(fd) || (fds.get(fd).get() == 0 && !avoid("open-fd"))) {
            u.open(fd); // a file or a bad number: refused (kind check)
          }
        }
      }
    });
  }

  /** A send with a callback is due exactly one completion; one without none (null is refused or allowed). */
  static void due(Once o, Object cb) {
    o.due.set(cb == null ? 0 : 1);
  }

  void signalOp(Slot s, Random r) {
    io.uv4j.Signal h = handle(s, r, io.uv4j.Signal.class);
    int k = r.nextInt(12);
    int sig;
    int pick = r.nextInt(10);
    if (pick < 5) {
      sig = pick < 2 ? SIGWINCH : pick < 4 ? SIGURG : SIGUSR1;
    } else if (pick < 8) {
      sig = io.uv4j.Signal.number(REFUSED_SIGNALS[r.nextInt(REFUSED_SIGNALS.length)]);
    } else {
      int[] odd = {0, -1, io.uv4j.Signal.nsig(), io.uv4j.Signal.nsig() + 1, 32, 33, Integer.MIN_VALUE};
      sig = odd[r.nextInt(odd.length)];
    }
    Behavior b = new Behavior(s, r);
    boolean nul = r.nextInt(30) == 0;
    io.uv4j.Signal.Callback cb = nul ? null : (x, signum) -> {
      checkOpen(x, "signal");
      signalsSeen.incrementAndGet();
      if (signum != x.signum() && x.signum() != 0) {
        violation("signal callback for " + signum + " on a watcher of " + x.signum());
      }
      inCallback("signal", b, x);
    };
    log("signal " + (h == null ? "new" : n(h)) + " #" + k + " sig=" + sig + (nul ? " null" : ""));
    api("signal op " + k, () -> {
      io.uv4j.Signal g = h;
      if (g == null || k == 0) {
        if (full(s)) {
          return;
        }
        g = new io.uv4j.Signal(s.loop);
        add(s, g, "Sg");
      }
      io.uv4j.Signal w = g;
      switch (k) {
        case 1: case 2: case 3:
          usr1Watchers.remove(w);
          w.start(sig, cb);
          if (sig == SIGUSR1) {
            usr1Watchers.add(w);
          }
          break;
        case 4: usr1Watchers.remove(w); w.startOneShot(sig, cb); break;
        case 5: usr1Watchers.remove(w); w.stop(); break;
        case 6: w.signum(); break;
        case 7: io.uv4j.Signal.name(sig); io.uv4j.Signal.number(r.nextBoolean() ? "SIGNOPE" : r.nextBoolean() ? null : "SIGWINCH"); break;
        case 8: case 9: case 10: kill(r, sig); break;
        default: usr1Watchers.remove(w); w.close(); break;
      }
    });
  }

  /**
   * Uv.kill: only this process, only signal 0, SIGWINCH, SIGURG (ignored by default), SIGUSR1 while
   * a repeating watcher of it on a driver-owned loop is started (else the default action would end
   * the child), and numbers that must be refused before anything is sent.
   */
  void kill(Random r, int sig) throws UvException {
    int pid = (int) Uv.pid();
    if (sig < 0 || sig >= io.uv4j.Signal.nsig()) {
      Uv.kill(pid, sig); // refused: IllegalArgumentException
      violation("Uv.kill(pid, " + sig + ") was not refused");
      return;
    }
    int s = sig;
    if (s == SIGUSR1 && !usr1Safe()) {
      s = 0;
    } else if (s != SIGUSR1 && s != SIGWINCH && s != SIGURG) {
      s = r.nextBoolean() ? 0 : SIGURG;
    }
    Uv.kill(pid, s);
  }

  boolean usr1Safe() {
    for (io.uv4j.Signal w : usr1Watchers) {
      Slot ws = slotOf(w.loop(), null);
      if (ws != null && !ws.background() && Thread.currentThread() == driver && !w.isClosing()
          && w.isActive() && w.signum() == SIGUSR1) {
        return true;
      }
    }
    return false;
  }

  /** Two FIFOs in the private directory, opened read-write (never blocks on Linux), for Poll. */
  void openFifos() {
    try {
      for (int i = 0; i < 2; i++) {
        Path p = dir.resolve("fifo" + i);
        Process pr = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        if (pr.waitFor() == 0) {
          pollFds.add(Fs.openSync(p.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0)); // reads and writes never block
        }
      }
    } catch (Exception e) {
      FuzzOut.line("NOTE no FIFOs for Poll: " + e);
    }
  }

  void pollOp(Slot s, Random r) {
    io.uv4j.Poll h = handle(s, r, io.uv4j.Poll.class);
    int k = r.nextInt(12);
    int[] evs = {io.uv4j.Poll.READABLE, io.uv4j.Poll.WRITABLE, io.uv4j.Poll.READABLE | io.uv4j.Poll.DISCONNECT,
        15, 0, -1, 16, io.uv4j.Poll.PRIORITIZED};
    int events = evs[r.nextInt(evs.length)];
    Behavior b = new Behavior(s, r);
    boolean nul = r.nextInt(30) == 0;
    io.uv4j.Poll.Callback cb = nul ? null : (x, err, ev) -> {
      checkOpen(x, "poll");
      pollEvents.incrementAndGet();
      if (err == null && (ev & ~events) != 0 && events > 0 && events < 16) {
        violation("poll reported events " + ev + " not requested (" + events + ")");
      }
      inCallback("poll" + (err != null ? "(" + err.errorName() + ")" : ""), b, x);
    };
    log("poll " + (h == null ? "new" : n(h)) + " #" + k + " events=" + events);
    api("poll op " + k, () -> {
      switch (k) {
        case 0: case 1: {
          if (full(s)) {
            return;
          }
          int fd = pollFd(s, r);
          log("poll new on fd " + fd);
          add(s, new io.uv4j.Poll(s.loop, fd), "Pl");
          return;
        }
        case 2: case 3: case 4: if (h != null) { h.start(events, cb); } return;
        case 5: if (h != null) { h.stop(); } return;
        case 6: if (h != null) { h.fd(); h.toString(); } return;
        case 7: case 8: {
          // Traffic on the FIFOs: what makes a READABLE watcher fire; EAGAIN once full.
          if (pollFds.isEmpty()) {
            return;
          }
          int fd = pollFds.get(r.nextInt(pollFds.size()));
          if (r.nextBoolean()) {
            Fs.writeSync(fd, ByteBuffer.wrap(new byte[1 + r.nextInt(5000)]), -1);
          } else {
            Fs.readSync(fd, ByteBuffer.allocate(8192), -1);
          }
          return;
        }
        case 9: {
          // Closing a polled descriptor through Fs must be refused while the watcher is open.
          if (h == null || Thread.currentThread() != driver) {
            return;
          }
          Slot hs = slotOf(h.loop(), null);
          if (hs == null || hs.background() || h.isClosing() || !pollFds.contains(h.fd())) {
            return;
          }
          int fd = h.fd();
          boolean closed = false;
          try {
            if (r.nextBoolean() || s.background() || s.loop.isClosed()) {
              Fs.closeSync(fd);
            } else {
              s.fs.close(fd, (x, e) -> { });
            }
            closed = true;
          } catch (IllegalArgumentException | IllegalStateException expected) {
            pollCloseRefused.incrementAndGet(); // refused, as documented
          }
          if (closed) {
            pollFds.remove((Integer) fd);
            violation("Fs.close(" + fd + ") accepted while " + n(h) + " polls it");
          }
          return;
        }
        default: if (h != null) { h.close(); } return;
      }
    });
  }

  /** A descriptor for a new Poll: a FIFO, a libuv-owned socket (refused), a file, /dev/null or a bad number. */
  int pollFd(Slot s, Random r) throws UvException {
    int k = r.nextInt(6);
    if (k <= 1 && !pollFds.isEmpty()) {
      return pollFds.get(r.nextInt(pollFds.size()));
    }
    if (k == 2) {
      Handle h = r.nextBoolean() ? handle(s, r, Tcp.class) : handle(s, r, io.uv4j.Udp.class);
      if (h instanceof Stream) {
        return ((Stream) h).fileno();
      } else if (h instanceof io.uv4j.Udp) {
        return ((io.uv4j.Udp) h).fileno();
      }
    }
    return fd(r); // the fuzzer's files (EPERM) or bad numbers
  }

  void ttyOp(Slot s, Random r) {
    int[] cands = {0, 1, 2, fd(r), -1};
    int fd = cands[r.nextInt(cands.length)];
    int k = r.nextInt(6);
    Uv.HandleType type = Uv.guessHandle(fd);
    log("tty fd=" + fd + " (" + type + ") #" + k);
    api("tty op " + k, () -> {
      switch (k) {
        case 0: Tty.isVtermSupported(); return;
        case 1: Tty.setVtermSupported(r.nextBoolean()); return;
        case 2:
          // Only when no descriptor of this process is a terminal: then there is no state to reset.
          if (!anyTerminal()) {
            Tty.resetMode();
          }
          return;
        default: {
          Tty t = new Tty(s.loop, fd); // refused unless fd is a terminal
          try {
            t.windowSize();
            t.mode();
            if (k == 5) {
              t.setMode(Tty.Mode.NORMAL); // never leaves a terminal in another mode
            }
          } finally {
            t.close();
          }
        }
      }
    });
  }

  boolean anyTerminal() {
    for (int fd = 0; fd < 3; fd++) {
      if (Uv.guessHandle(fd) == Uv.HandleType.TTY) {
        return true;
      }
    }
    return false;
  }

  static final String[] ENV_NAMES = {"UV4J_FUZZ_A", "UV4J_FUZZ_B", "UV4J_FUZZ_\u00e9"};

  void sysOp(Slot s, Random r) {
    int k = r.nextInt(26);
    int v = anInt(r);
    log("uv sys #" + k + " " + v);
    api("uv sys " + k, () -> {
      switch (k) {
        case 0: Uv.cpuInfo(); Uv.availableParallelism(); break;
        case 1: Uv.freeMemory(); Uv.totalMemory(); Uv.constrainedMemory(); Uv.availableMemory(); Uv.loadAverage(); break;
        case 2: Uv.uptime(); Uv.residentMemory(); break;
        case 3: Uv.resourceUsage(); Uv.threadResourceUsage(); break;
        case 4: Uv.interfaceAddresses(); break;
        case 5: Uv.hostname(); Uv.uname(); break;
        case 6: Uv.homeDir(); Uv.tmpDir(); break;
        case 7: Uv.passwd(); break;
        case 8: {
          long[] uids = {0, -1, 1L << 32, 65534, Integer.MAX_VALUE, Long.MAX_VALUE, 4000000000L};
          Uv.passwd(uids[r.nextInt(uids.length)]);
          break;
        }
        case 9: Uv.pid(); Uv.parentPid(); break;
        case 10: {
          long[] pids = {0, Uv.pid(), -1, 1L << 32, Integer.MAX_VALUE, 1};
          Uv.priority(pids[r.nextInt(pids.length)]);
          break;
        }
        case 11: {
          // Only this process, never below its current value (raising it is EACCES, or out of range).
          int cur = Uv.priority(0);
          // Never below the current value; a step up only rarely (the driver would crawl at 19).
          int[] ps = {cur, cur, cur, 20, -21, Integer.MIN_VALUE, Integer.MAX_VALUE};
          int p = r.nextInt(40) == 0 ? Math.min(cur + 1, Uv.PRIORITY_LOW) : ps[r.nextInt(ps.length)];
          long pid = r.nextInt(4) == 0 ? (r.nextBoolean() ? -1 : 1L << 32) : r.nextBoolean() ? 0 : Uv.pid();
          Uv.setPriority(pid, p); // out of range or a bad pid: refused before any change
          break;
        }
        case 12: {
          String[] names = {ENV_NAMES[0], "PATH", "", "A=B", "NUL\0", null, ENV_NAMES[2], "UV4J_FUZZ_MISSING"};
          Uv.getenv(names[r.nextInt(names.length)]);
          break;
        }
        case 13: {
          String name = ENV_NAMES[r.nextInt(ENV_NAMES.length)];
          String[] vals = {"", "x", null, "nul\0", "\u00e9t\u00e9", "y".repeat(5000)};
          Uv.setenv(r.nextInt(6) == 0 ? (r.nextBoolean() ? "UV4J_FUZZ_=" : "UV4J_FUZZ_\0") : name,
              vals[r.nextInt(vals.length)]);
          break;
        }
        case 14: Uv.unsetenv(r.nextInt(6) == 0 ? "UV4J_FUZZ_=X" : ENV_NAMES[r.nextInt(ENV_NAMES.length)]); break;
        case 15: Uv.environ().size(); break;
        case 16: {
          int[] ns = {0, 1, 32, 4096, -1, Integer.MIN_VALUE};
          Uv.random(ns[r.nextInt(ns.length)]);
          break;
        }
        case 17: Uv.randomFill(r.nextInt(10) == 0 ? null : buffer(s, r)); break;
        case 18: Uv.guessHandle(fd(r)); Uv.guessHandle(r.nextInt(3)); break;
        case 19:
          try {
            Uv.metrics(r.nextInt(10) == 0 ? null : s.loop);
          } catch (UnsupportedOperationException old) {
            // documented for libuv older than 1.45.0
          }
          break;
        case 20: Uv.clockGettime(r.nextInt(8) == 0 ? null : Uv.ClockId.values()[r.nextInt(Uv.ClockId.values().length)]); break;
        case 21: Uv.cpumaskSize(); Uv.currentThreadAffinity(); Uv.currentCpu(); break;
        case 22: Uv.currentThreadName(); break;
        case 23: Uv.kill((int) Uv.pid(), 0); break;
        case 24: Uv.kill((int) Uv.pid(), r.nextBoolean() ? -1 : io.uv4j.Signal.nsig()); violation("Uv.kill with a bad signal number returned"); break;
        default: Uv.setCurrentThreadAffinity(r.nextBoolean() ? null : new boolean[0]); break;
      }
    });
  }

  void randomAsync(Slot s, Random r) {
    int k = r.nextInt(5);
    ByteBuffer b = r.nextInt(15) == 0 ? null : buffer(s, r);
    int n = r.nextInt(6) == 0 ? -1 : r.nextInt(5000);
    Behavior cbB = new Behavior(s, r);
    boolean cancel = r.nextInt(3) == 0;
    Once o = expect(s, "random #" + k);
    log("random async " + s.name + " #" + k + " buf=" + desc(b) + " n=" + n + (cancel ? " cancel" : ""));
    api("random async " + k, () -> tracked(o, () -> {
      if (k <= 2) {
        io.uv4j.RandomRequest q = Uv.randomFill(r.nextInt(20) == 0 ? null : s.loop, b, e -> {
          o.fire();
          randomsDone.incrementAndGet();
          inCallback("random" + (e != null ? "(" + e + ")" : ""), cbB, null);
        });
        s.requests.add(q);
        trimRequests(s);
        if (cancel) {
          api("random cancel", () -> {
            q.cancel();
            q.isDone();
          });
        }
      } else {
        CompletableFuture<byte[]> f = Uv.random(s.loop, n);
        f.whenComplete((v, e) -> o.fire());
        if (cancel) {
          f.cancel(false); // not the request's cancel: the request still completes
        }
      }
    }));
  }

  /** Stream backpressure: water marks (good and bad), drain callbacks, the pending count. */
  void backpressure(Slot s, Random r) {
    Stream st = handle(s, r, Stream.class);
    int k = r.nextInt(6);
    long[] marks = {0, 1, 64, 16384, 1 << 20, -1, Long.MAX_VALUE, Long.MIN_VALUE};
    long lo = marks[r.nextInt(marks.length)];
    long hi = marks[r.nextInt(marks.length)];
    Behavior b = new Behavior(s, r);
    log("backpressure " + n(st) + " #" + k + " low=" + lo + " high=" + hi);
    if (st == null) {
      return;
    }
    api("backpressure " + k, () -> {
      switch (k) {
        case 0: case 1: st.writeWaterMarks(lo, hi); break;
        case 2: case 3:
          st.onDrain(r.nextInt(5) == 0 ? null : x -> {
            checkOpen(x, "drain");
            drains.incrementAndGet();
            if (x.pendingWriteBytes() > x.lowWaterMark()) {
              violation("drain with " + x.pendingWriteBytes() + " pending bytes over the low-water mark " + x.lowWaterMark());
            }
            inCallback("drain", b, x);
          });
          break;
        case 4: st.pendingWriteBytes(); st.highWaterMark(); st.lowWaterMark(); break;
        default: {
          // Small marks, then a write over them: what starts a drain episode.
          st.writeWaterMarks(0, 1 + r.nextInt(64));
          st.onDrain(x -> {
            checkOpen(x, "drain");
            drains.incrementAndGet();
            inCallback("drain", b, x);
          });
          if (!(avoid("listen-write") && listened.contains(st)) && st.writeQueueSize() < WRITE_QUEUE_CAP) {
            st.write(ByteBuffer.allocate(r.nextInt(4) != 0 ? 100 + r.nextInt(2000) : 1 << 21)); // sometimes more than a socket takes at once
          }
        }
      }
    });
  }

  void closePollFds() {
    for (Integer fd : pollFds) {
      api("final close fifo", () -> Fs.closeSync(fd));
    }
    pollFds.clear();
  }

  void finish() {
    if (exitAtEnd) {
      exitWithQueuedWork();
      return;
    }
    FuzzOut.line("OP " + opIndex + " finish: join threads, close fds and dirs, shut every loop down");
    stopHelpers.set(true);
    for (Slot s : new ArrayList<>(loops)) {
      joinBg(s);
    }
    joinHelpers();
    collectArrivedFds();
    for (Slot s : new ArrayList<>(loops)) {
      for (int i = 0; i < 20 && !s.loop.isClosed(); i++) {
        api("final shutdown " + s.name, s.loop::shutdown);
      }
      if (!s.loop.isClosed()) {
        FuzzOut.line("NOTE " + s.name + " did not close: " + safe(s.loop::describeHandles));
      }
    }
    collectArrivedFds();
    for (Dir d : dirs) {
      if (!d.isClosed()) {
        api("final closedir", () -> Fs.closedirSync(d));
      }
    }
    for (Integer fd : new ArrayList<>(fdOrder)) {
      api("final close fd", () -> Fs.closeSync(fd));
    }
    closePollFds();
    FuzzOut.line("NOTE seen: udpDatagrams=" + udpDatagrams + " udpSends=" + udpSends + " pollEvents=" + pollEvents
        + " signals=" + signalsSeen + " drains=" + drains + " randoms=" + randomsDone
        + " pollCloseRefused=" + pollCloseRefused);
    checkCompletions();
    long loopsLeft = Uv.liveLoops();
    long handles = Uv.liveHandles();
    long requests = Uv.liveRequests();
    long refs = Uv.liveGlobalRefs();
    if (loopsLeft + handles + requests + refs != 0) {
      FuzzOut.line("LEAK loops=" + loopsLeft + " handles=" + handles + " requests=" + requests
          + " globalRefs=" + refs);
    }
    long late = lateTimerFires();
    if (late != 0) { // a batch of timer fires delivered after its pass: timer.c miscounted
      violation("timer fires delivered after their pass: " + late);
    }
    FuzzOut.line("DONE ops=" + ops + " undocumented=" + undocumented.get() + " fuzzerBugs=" + fuzzerBugs.get()
        + " invariants=" + violations.get() + " completionsChecked=" + completionsChecked()
        + " calls returned=" + returned.get() + " threw=" + threw.get());
  }

  /** Uv.lateTimerFires(), package-private in io.uv4j. */
  private static long lateTimerFires() {
    try {
      java.lang.reflect.Method m = Uv.class.getDeclaredMethod("lateTimerFires");
      m.setAccessible(true);
      return (Long) m.invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  interface Text {
    String get() throws Throwable;
  }

  static String safe(Text t) {
    try {
      return t.get();
    } catch (Throwable e) {
      return String.valueOf(e);
    }
  }
}
