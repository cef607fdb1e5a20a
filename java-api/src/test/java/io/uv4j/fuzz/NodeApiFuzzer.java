package io.uv4j.fuzz;

import io.uv4j.Uv;
import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Promise;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child side of the Node-layer fuzzer: one seeded run of a {@link NodeRuntime} driven by
 * random sequences of {@code io.uv4j.node} calls with hostile arguments, reported on stdout in
 * {@link FuzzOut}'s protocol. {@link FuzzRunner} starts it in a child JVM (option
 * {@code mainClass}) and classifies what it prints; {@code NodeFuzzTest} runs it in CI.
 *
 * <p>Arguments: {@code <seed> <ops> <work dir>}. The operations run on the runtime's thread in
 * batches of 1 to 8, each batch from a {@code setImmediate} or a short {@code setTimeout} of the
 * driver, so that real I/O (its own sockets, datagrams, files, ports, workers, children) runs
 * between them. The modules live in {@link NodeFuzzCore} (timers, ticks, promises, events,
 * abort), {@link NodeFuzzFs} (fs callback, promise, sync and stream forms), {@link NodeFuzzNet}
 * (net, dgram, dns) and {@link NodeFuzzMisc} (crypto, MessageChannel, Worker, child_process,
 * os, process, foreign threads).
 *
 * <p>What it checks: no exception but a documented one escapes an API call
 * ({@link Documented#nodeVerdict}); nothing reaches 'uncaughtException' that the fuzzer's own
 * callbacks did not throw, apart from Node's coded errors (an 'error' event with no listener);
 * completions promised once (fs, dns, crypto callbacks and promises) run exactly once; a
 * cleared timer or immediate never runs; and after the runtime ends (three seeds in four by
 * closing everything and letting the loop drain, the fourth by {@code process.exit()} with
 * everything still live) the native counters are all zero.
 */
public final class NodeApiFuzzer {
  /** The operations and their weights. */
  enum Op {
    TIMER(6), TICK(3), PROMISE(5), EMITTER(5), ABORT(3), TIMERS_PROMISES(3),
    FS_CB(5), FS_PROMISE(3), FS_SYNC(4), FS_STREAM(3), NET_SERVER(2), NET_CONNECT(4), NET_SOCKET(7),
    DGRAM(4), DNS(1.5), CRYPTO(2), PORT(4), WORKER(0.6), CHILD(0.4), OS_PROCESS(1), FOREIGN(1.5), DRAIN(2);

    final double weight;

    Op(double weight) {
      this.weight = weight;
    }
  }

  final long seed;
  final int ops;
  final Path dir;
  final Random master;
  final Random cbRandom;
  /** 0..2: close everything and drain; 3: process.exit() with everything live. */
  final boolean exitMode;
  final boolean rejectionListener;
  NodeRuntime node;
  int opIndex;
  int depth;
  boolean finishing;
  final AtomicInteger undocumented = new AtomicInteger();
  final AtomicInteger fuzzerBugs = new AtomicInteger();
  final AtomicInteger violations = new AtomicInteger();
  final AtomicInteger returned = new AtomicInteger();
  final AtomicInteger threw = new AtomicInteger();
  final AtomicInteger uncaughtFuzz = new AtomicInteger();
  final AtomicInteger uncaughtCoded = new AtomicInteger();
  final List<Once> completions = new CopyOnWriteArrayList<>();
  final List<Runnable> cleanups = new ArrayList<>();
  final List<Double> cumulative = new ArrayList<>();
  final List<Op> enabled = new ArrayList<>();
  final NodeFuzzCore core = new NodeFuzzCore(this);
  final NodeFuzzFs fs = new NodeFuzzFs(this);
  final NodeFuzzNet net = new NodeFuzzNet(this);
  final NodeFuzzMisc misc = new NodeFuzzMisc(this);

  NodeApiFuzzer(long seed, int ops, Path dir) {
    this.seed = seed;
    this.ops = ops;
    this.dir = dir;
    this.master = new Random(seed);
    Random profile = new Random(seed * 31 + 11);
    this.cbRandom = new Random(profile.nextLong());
    this.exitMode = profile.nextInt(4) == 3;
    this.rejectionListener = profile.nextBoolean();
    double sum = 0;
    String[] excluded = System.getProperty("fuzz.exclude", "").split(",");
    for (Op op : Op.values()) {
      boolean skip = false;
      for (String x : excluded) {
        skip |= x.trim().equals(op.name());
      }
      if (!skip) {
        sum += op.weight;
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
    NodeApiFuzzer f = new NodeApiFuzzer(seed, ops, dir);
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> f.report("thread " + t.getName(), e, true));
    f.runAll();
    System.exit(0);
  }

  // ================================================================== driver

  void runAll() {
    FuzzOut.line("START node seed=" + seed + " ops=" + ops + " exitMode=" + exitMode + " rejectionListener="
        + rejectionListener + " dir=" + dir + " libuv=" + Uv.versionString());
    int code = -1;
    try {
      code = NodeRuntime.run(n -> {
        node = n;
        n.onUncaughtExceptionWithOrigin((t, origin) -> uncaught(t, origin));
        if (rejectionListener) {
          n.onUnhandledRejection((t, p) -> uncaught(t, "unhandledRejection"));
        }
        fs.init();
        scheduleDriver(new Random(master.nextLong()));
      });
    } catch (Throwable t) {
      report("NodeRuntime.run", t, false);
    }
    opIndex = ops;
    FuzzOut.line("OP " + ops + " runtime returned " + code + "; checking completions and counters");
    misc.joinThreads();
    checkCompletions();
    long deadline = System.nanoTime() + 10_000_000_000L; // workers' loops close on their threads
    long total;
    do {
      total = Uv.liveLoops() + Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs();
      if (total != 0) {
        NodeFuzzMisc.sleep(50);
      }
    } while (total != 0 && System.nanoTime() < deadline);
    if (total != 0) {
      FuzzOut.line("LEAK loops=" + Uv.liveLoops() + " handles=" + Uv.liveHandles() + " requests="
          + Uv.liveRequests() + " globalRefs=" + Uv.liveGlobalRefs());
    }
    FuzzOut.line("DONE ops=" + ops + " undocumented=" + undocumented.get() + " fuzzerBugs=" + fuzzerBugs.get()
        + " invariants=" + violations.get() + " completionsChecked=" + completions.size() + " calls returned="
        + returned.get() + " threw=" + threw.get() + " uncaught fuzz=" + uncaughtFuzz.get() + " coded="
        + uncaughtCoded.get() + " exit=" + code);
  }

  /** The driver: a batch of operations per turn, then the next turn from an immediate or a timer. */
  void scheduleDriver(Random r) {
    Runnable turn = () -> driverTurn(r);
    int how = r.nextInt(10);
    if (how < 7) {
      node.setImmediate(turn);
    } else {
      node.setTimeout(turn, how == 9 ? 1 + r.nextInt(15) : 0);
    }
  }

  void driverTurn(Random r) {
    int batch = 1 + r.nextInt(8);
    for (int i = 0; i < batch && opIndex < ops; i++) {
      Op op = pick(r.nextDouble());
      Random or = new Random(r.nextLong());
      try {
        step(op, or);
      } catch (Throwable t) {
        report("op " + op, t, false);
      }
      opIndex++;
    }
    if (opIndex < ops) {
      scheduleDriver(r);
      return;
    }
    finish();
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

  void step(Op op, Random r) {
    switch (op) {
      case TIMER: core.timer(r); break;
      case TICK: core.tick(r); break;
      case PROMISE: core.promise(r); break;
      case EMITTER: core.emitter(r); break;
      case ABORT: core.abort(r); break;
      case TIMERS_PROMISES: core.timersPromises(r); break;
      case FS_CB: fs.callbackForm(r); break;
      case FS_PROMISE: fs.promiseForm(r); break;
      case FS_SYNC: fs.syncForm(r); break;
      case FS_STREAM: fs.stream(r); break;
      case NET_SERVER: net.server(r); break;
      case NET_CONNECT: net.connect(r); break;
      case NET_SOCKET: net.socket(r); break;
      case DGRAM: net.dgram(r); break;
      case DNS: net.dns(r); break;
      case CRYPTO: misc.crypto(r); break;
      case PORT: misc.port(r); break;
      case WORKER: misc.worker(r); break;
      case CHILD: misc.child(r); break;
      case OS_PROCESS: misc.osProcess(r); break;
      case FOREIGN: misc.foreign(r); break;
      case DRAIN: log("drain: nothing this turn"); break;
      default: throw new AssertionError(op);
    }
  }

  /** After the last operation: close everything and let the loop drain, or process.exit(). */
  void finish() {
    finishing = true;
    if (exitMode) {
      log("finish: process.exit(0) with everything live");
      node.exit(0); // throws NodeExit through the driver: the runtime catches it
      return;
    }
    log("finish: close servers, sockets, ports, workers, streams, fds; clear timers; let the loop drain");
    // If the loop does not drain, say what keeps it alive (an unref'd timer never keeps it alive itself).
    node.setTimeout(() -> FuzzOut.line("NOTE still alive 10 s after the finish: requests=" + Uv.liveRequests()
        + " handles: " + node.loop().describeHandles()), 10_000).unref();
    for (Runnable c : new ArrayList<>(cleanups)) {
      try {
        c.run();
      } catch (Throwable t) {
        report("cleanup", t, false);
      }
    }
  }

  // ================================================================== reporting

  void log(String s) {
    FuzzOut.line("OP " + opIndex + " " + s);
  }

  void cbLog(String s) {
    FuzzOut.line("CB " + s);
  }

  /** Classifies what escaped an API call ({@code async}: what reached 'uncaughtException'). */
  void report(String where, Throwable t, boolean async) {
    String v = Documented.nodeVerdict(t, async);
    if (v == null) {
      return;
    }
    if (v.equals("fuzzer")) {
      fuzzerBugs.incrementAndGet();
      FuzzOut.block("FUZZBUG " + opIndex + " " + where + " :: " + t, t);
      return;
    }
    undocumented.incrementAndGet();
    String note = fdNote(t);
    FuzzOut.block("UNDOC " + opIndex + " " + where + " :: " + v + " :: " + t + (note.isEmpty() ? "" : " [" + note + "]"), t);
  }

  void uncaught(Throwable t, String origin) {
    if (t == null) {
      if (!origin.equals("unhandledRejection")) {
        violation("'uncaughtException' listener called with null (origin " + origin + ")");
      }
      return; // 'unhandledRejection' with reason undefined (a promise rejected with null)
    }
    if (Documented.isFuzz(t) || (t.getCause() != null && Documented.isFuzz(t.getCause()))) {
      uncaughtFuzz.incrementAndGet();
    } else if (t instanceof io.uv4j.node.NodeError) {
      uncaughtCoded.incrementAndGet();
    }
    report("uncaught (" + origin + ")", t, true);
  }

  /** For a refused descriptor ("fd N belongs to ..."): what N is now, and the main loop's own descriptors. */
  String fdNote(Throwable t) {
    String m = String.valueOf(t.getMessage());
    java.util.regex.Matcher x = java.util.regex.Pattern.compile("fd (\\d+) belongs to").matcher(m);
    if (!x.find()) {
      return "";
    }
    String fd = x.group(1);
    String loopFds = "?";
    try {
      java.lang.reflect.Field a = io.uv4j.Loop.class.getDeclaredField("address");
      a.setAccessible(true);
      java.lang.reflect.Method lf = Class.forName("io.uv4j.FsRequest").getDeclaredMethod("nLoopFds", long.class);
      lf.setAccessible(true);
      loopFds = java.util.Arrays.toString((int[]) lf.invoke(null, a.getLong(node.loop())));
    } catch (Throwable e) {
      loopFds = String.valueOf(e);
    }
    return "fd " + fd + " -> " + safeLink(java.nio.file.Paths.get("/proc/self/fd/" + fd))
        + "; main loop's descriptors now " + loopFds + "; the main loop is " + node.loop();
  }

  static String safeLink(java.nio.file.Path p) {
    try {
      return String.valueOf(java.nio.file.Files.readSymbolicLink(p));
    } catch (Exception e) {
      return "?";
    }
  }

  void violation(String msg) {
    violations.incrementAndGet();
    FuzzOut.line("INVARIANT " + opIndex + " " + msg);
  }

  interface Call {
    void run() throws Throwable;
  }

  /** Runs one API call, classifying whatever it throws. Returns true if it returned normally. */
  boolean api(String what, Call c) {
    int mark = completions.size();
    try {
      c.run();
      returned.incrementAndGet();
      return true;
    } catch (Throwable t) {
      threw.incrementAndGet();
      // the call threw: no completion armed inside it is due
      for (int i = mark; i < completions.size(); i++) {
        completions.get(i).must = false;
      }
      report(what, t, false);
      return false;
    }
  }

  // ================================================================== callbacks

  /**
   * What a fuzzer callback does besides its own bookkeeping: mostly nothing; sometimes throws
   * (unchecked, checked, an Error), sometimes runs another random operation (re-entrancy).
   */
  void behave(String what) {
    int mode = cbRandom.nextInt(100);
    if (finishing && !exitMode) {
      return; // draining: callbacks neither throw nor start more
    }
    if (mode < 5) {
      throw new Documented.FuzzException("callback " + what + " throws");
    }
    if (mode < 7) {
      throw NodeFuzzMisc.<RuntimeException>sneaky(new Documented.FuzzChecked("callback " + what + " throws checked"));
    }
    if (mode < 13 && depth < 2 && opIndex < ops) {
      depth++;
      try {
        Op op = pick(cbRandom.nextDouble());
        if (op != Op.FOREIGN && op != Op.WORKER && op != Op.CHILD) {
          cbLog("nested " + op + " in " + what);
          step(op, new Random(cbRandom.nextLong()));
        }
      } catch (Throwable t) {
        report("nested op in " + what, t, false);
      } finally {
        depth--;
      }
    }
  }

  Runnable cb(String what) {
    return () -> behave(what);
  }

  /** A completion promised exactly once (or at most once when {@code must} is false). */
  final class Once {
    final String what;
    final int op;
    boolean must;
    final AtomicInteger fired = new AtomicInteger();

    Once(String what, boolean must) {
      this.what = what;
      this.op = opIndex;
      this.must = must;
    }

    void fire() {
      int n = fired.incrementAndGet();
      if (n == 2) {
        violation(what + " completed twice (op " + op + ")");
      }
    }
  }

  Once expect(String what, boolean must) {
    Once o = new Once(what, must);
    completions.add(o);
    return o;
  }

  void checkCompletions() {
    if (exitMode) {
      return; // process.exit(): pending completions never run, as in Node
    }
    for (Once o : completions) {
      if (o.must && o.fired.get() == 0) {
        violation(o.what + " never completed (op " + o.op + ")");
      }
    }
  }

  /** What {@link #expectNext} gives: a call made with a completion armed inside {@link #api}. */
  interface Armed {
    void call(java.util.function.Consumer<Once> body);
  }

  /** Arms a completion when the call runs (inside {@code api}, so that a call that throws disarms it). */
  Armed expectNext(String what) {
    return body -> body.accept(expect(what, true));
  }

  /** A promise promised to settle: its settlement is a completion. */
  <T> void settles(String what, Promise<T> p, boolean must) {
    if (p == null) {
      return;
    }
    Once o = expect(what, must);
    final AtomicBoolean seen = new AtomicBoolean();
    api(what + ".then", () -> p.then(v -> {
      seen.set(true);
      o.fire();
      behave(what + " fulfilled");
      return v;
    }, e -> {
      seen.set(true);
      o.fire();
      behave(what + " rejected");
      return null;
    }));
  }
}
