package io.uv4j.fuzz;

import io.uv4j.Async;
import io.uv4j.Dir;
import io.uv4j.Fs;
import io.uv4j.Loop;
import io.uv4j.RunMode;
import io.uv4j.Timer;
import io.uv4j.Uv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
 *
 * <p>This class is the driver and the operation table ({@link Op}, {@link #step}); the shared
 * state and registry are in {@link FuzzState}, the hostile inputs and callbacks in
 * {@link FuzzInputs}, and the operations of each area of the API in {@link LoopOps} (loops,
 * timers, phase handles), {@link StreamOps} (TCP, pipes), {@link UdpOps}, {@link FsOps},
 * {@link WorkDnsOps} (work, DNS, random), {@link SystemOps} (signals, poll, tty, fs watchers,
 * system utilities) and {@link ProcessIpcOps}.
 */
public final class ApiFuzzer extends FuzzInputs {
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
    UV_SYS(0.7), RANDOM(1), BACKPRESSURE(1), IPC(1.5), PROCESS(0.4), REUSABLE(2);

    final double weight;

    Op(double weight) {
      this.weight = weight;
    }
  }

  final List<Double> cumulative = new ArrayList<>();
  final List<Op> enabled = new ArrayList<>();
  final int profile;
  /** The operations of each area of the API. */
  final ProcessIpcOps processIpc = new ProcessIpcOps(this);
  final LoopOps loopOps = new LoopOps(this);
  final StreamOps streamOps = new StreamOps(this);
  final UdpOps udpOps = new UdpOps(this);
  final FsOps fsOps = new FsOps(this);
  final WorkDnsOps workDnsOps = new WorkDnsOps(this);
  final ReusableOps reusableOps = new ReusableOps(this);
  final SystemOps systemOps = new SystemOps(this);

  ApiFuzzer(long seed, int ops, Path dir) {
    super(seed, ops, dir);
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
    systemOps.openFifos();
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
    switch (op) {
      case LOOP_CREATE: loopOps.loopCreate(s, r); return;
      case LOOP_RUN: loopOps.loopRun(s, r); return;
      case LOOP_BG_START: loopOps.loopBgStart(s, r); return;
      case LOOP_BG_JOIN: loopOps.loopBgJoin(s, r); return;
      case LOOP_STOP: loopOps.loopStop(s, r); return;
      case LOOP_CLOSE: loopOps.loopClose(s, r); return;
      case LOOP_SHUTDOWN: loopOps.loopShutdown(s, r); return;
      case LOOP_QUERY: loopOps.loopQuery(s, r); return;
      case LOOP_WALK: loopOps.loopWalk(s, r); return;
      case LOOP_EXECUTE: loopOps.loopExecute(s, r); return;
      case LOOP_HANDLER: loopOps.loopHandler(s, r); return;
      case LOOP_READ_BUFFER: loopOps.loopReadBuffer(s, r); return;
      case WORK: workDnsOps.work(s, r); return;
      case REQUEST_CANCEL: workDnsOps.requestCancel(s, r); return;
      case REUSABLE: reusableOps.reusable(s, r); return;
      case TIMER_NEW: loopOps.timerNew(s, r); return;
      case TIMER_OP: loopOps.timerOp(s, r); return;
      case WATCHER_NEW: loopOps.watcherNew(s, r); return;
      case WATCHER_OP: loopOps.watcherOp(s, r); return;
      case ASYNC_NEW: loopOps.asyncNew(s, r); return;
      case ASYNC_SEND: loopOps.asyncSend(s, r); return;
      case FOREIGN_THREAD: loopOps.foreignThread(s, r); return;
      case HANDLE_OP: loopOps.handleOp(s, r); return;
      case TCP_NEW: streamOps.tcpNew(s, r); return;
      case TCP_SERVER: streamOps.tcpServer(s, r); return;
      case TCP_CONNECT: streamOps.tcpConnect(s, r); return;
      case TCP_OP: streamOps.tcpOp(s, r); return;
      case PIPE_NEW: streamOps.pipeNew(s, r); return;
      case PIPE_SERVER: streamOps.pipeServer(s, r); return;
      case PIPE_CONNECT: streamOps.pipeConnect(s, r); return;
      case PIPE_OP: streamOps.pipeOp(s, r); return;
      case STREAM_READ: streamOps.streamRead(s, r); return;
      case STREAM_WRITE: streamOps.streamWrite(s, r); return;
      case STREAM_OP: streamOps.streamOp(s, r); return;
      case STREAM_OPEN_FD: streamOps.streamOpenFd(s, r); return;
      case UDP_NEW: udpOps.udpNew(s, r); return;
      case UDP_OP: udpOps.udpOp(s, r); return;
      case SIGNAL: systemOps.signalOp(s, r); return;
      case POLL: systemOps.pollOp(s, r); return;
      case TTY: systemOps.ttyOp(s, r); return;
      case UV_SYS: systemOps.sysOp(s, r); return;
      case RANDOM: workDnsOps.randomAsync(s, r); return;
      case BACKPRESSURE: streamOps.backpressure(s, r); return;
      case IPC: processIpc.ipcOp(s, r); return;
      case PROCESS: processIpc.processOp(s, r); return;
      case FS_PATH: fsOps.fsPath(s, r); return;
      case FS_FD: fsOps.fsFd(s, r); return;
      case FS_OPEN: fsOps.fsOpen(s, r); return;
      case FS_CLOSE: fsOps.fsClose(s, r); return;
      case FS_DIR: fsOps.fsDir(s, r); return;
      case FS_EVENT: systemOps.fsEvent(s, r); return;
      case FS_POLL: systemOps.fsPoll(s, r); return;
      case DNS: workDnsOps.dns(s, r); return;
      case UV_MISC: systemOps.uvMisc(s, r); return;
      case BUFFER_MUTATE: loopOps.bufferMutate(s, r); return;
      case CLOSE_LIBUV_FD: systemOps.closeLibuvFd(s, r); return;
      default:
        throw new AssertionError(op);
    }
  }

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
    systemOps.closePollFds();
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
