package io.uv4j.fuzz;

import io.uv4j.Async;
import io.uv4j.Dir;
import io.uv4j.Dns;
import io.uv4j.Fs;
import io.uv4j.Handle;
import io.uv4j.Loop;
import io.uv4j.Request;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API fuzzer's shared state and registry: the loops it made ({@link Slot}) and their handles,
 * requests and buffers, the descriptors it owns, names for the log, the reporting of what API
 * calls threw ({@link #api}, {@link #report}), the completion invariants ({@link Once}) and the
 * picking of loops and handles. {@link ApiFuzzer} is the only subclass; the operations of each
 * area of the API ({@link LoopOps}, {@link StreamOps}, {@link UdpOps}, {@link FsOps},
 * {@link WorkDnsOps}, {@link SystemOps}, {@link ProcessIpcOps}) act on it.
 */
abstract class FuzzState {
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
  volatile int opIndex;

  /**
   * Known crash classes to steer around (system property {@code fuzz.avoid}, comma separated, or
   * {@code all}), so that a run can look past them for new ones. Empty by default: the smoke and
   * the long form avoid nothing.
   */
  final java.util.Set<String> avoid = new java.util.HashSet<>();
  final java.util.Set<Handle> listened = ConcurrentHashMap.newKeySet();
  final java.util.Set<Handle> connected = ConcurrentHashMap.newKeySet();
  final java.util.Set<Handle> fsPollStarted = ConcurrentHashMap.newKeySet();

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

  FuzzState(long seed, int ops, Path dir) {
    this.seed = seed;
    this.ops = ops;
    this.dir = dir;
    this.master = new Random(seed);
    for (String a : System.getProperty("fuzz.avoid", "").split(",")) {
      if (!a.trim().isEmpty()) {
        avoid.add(a.trim());
      }
    }
  }

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
}
