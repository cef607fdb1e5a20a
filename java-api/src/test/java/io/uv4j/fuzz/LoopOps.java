package io.uv4j.fuzz;

import io.uv4j.Async;
import io.uv4j.Check;
import io.uv4j.Dns;
import io.uv4j.Fs;
import io.uv4j.Handle;
import io.uv4j.Idle;
import io.uv4j.Loop;
import io.uv4j.Prepare;
import io.uv4j.RunMode;
import io.uv4j.Timer;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The fuzzer's loop operations (create, run in the driver or a background thread, stop, close,
 * shutdown, queries, walk, execute, exception handler, read buffer), timers, the phase handles
 * (idle, prepare, check), async handles, calls from foreign threads, generic handle operations
 * and mutations of buffers the API holds.
 */
final class LoopOps {
  private final ApiFuzzer fuzz;

  LoopOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
  }

  /** {@link ApiFuzzer.Op#LOOP_CREATE}. */
  void loopCreate(Slot s, Random r) throws Exception {
    if (fuzz.loops.size() >= FuzzState.MAX_LOOPS) {
      fuzz.log("Loop.create skipped (" + fuzz.loops.size() + " open)");
      return;
    }
    Slot ns = fuzz.newLoop();
    fuzz.log("Loop.create -> " + (ns == null ? "failed" : ns.name));
  }

  /** {@link ApiFuzzer.Op#LOOP_RUN}. */
  void loopRun(Slot s, Random r) throws Exception {
    String L = s.name;
    RunMode mode = RunMode.values()[r.nextInt(3)];
    int guard = r.nextInt(4);
    boolean nullMode = r.nextInt(40) == 0;
    fuzz.log("run " + L + " " + (nullMode ? "null" : mode) + " guard=" + guard + "ms");
    fuzz.runGuarded(s, nullMode ? null : mode, guard);
  }

  /** {@link ApiFuzzer.Op#LOOP_BG_START}. */
  void loopBgStart(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (s.background() || loop.isClosed()) {
      fuzz.log("bg start " + L + " skipped");
      return;
    }
    RunMode mode = RunMode.values()[r.nextInt(3)];
    int keep = 1 + r.nextInt(20);
    fuzz.log("bg start " + L + " " + mode + " keep=" + keep + "ms");
    Timer[] keeper = new Timer[1];
    if (!fuzz.api("bg keeper", () -> {
      keeper[0] = new Timer(loop);
      keeper[0].start(keep, 0, t -> {
        fuzz.api("keeper stop", loop::stop);
        fuzz.api("keeper close", t::close);
      });
    })) {
      return;
    }
    boolean racy = r.nextInt(8) == 0 && !fuzz.avoid("close-race");
    Thread t = new Thread(() -> {
      fuzz.api("bg run " + L, () -> loop.run(mode));
    }, "fuzz-bg-" + L);
    t.setDaemon(true);
    s.bg = t;
    t.start();
    if (racy) {
      // Issue 8 class 2 on purpose: close() while the other thread enters run().
      fuzz.log("close " + L + " racing the background run()");
      fuzz.api("close racing run", loop::close);
    }
    // Wait until the thread owns the loop (or is done), so that the driver's next calls are
    // refused by the loop's thread check instead of racing a run() being entered.
    for (int i = 0; i < 2000 && t.isAlive() && !loop.isRunning(); i++) {
      Thread.onSpinWait();
      if (i > 100) {
        FuzzState.sleep(1);
      }
    }
    if (loop.isClosed()) {
      fuzz.joinBg(s);
      fuzz.retire(s);
    }
  }

  /** {@link ApiFuzzer.Op#LOOP_BG_JOIN}. */
  void loopBgJoin(Slot s, Random r) throws Exception {
    String L = s.name;
    Thread t = s.bg;
    fuzz.log("bg join " + L + (t == null ? " (none)" : ""));
    if (t != null) {
      fuzz.joinBg(s);
    }
  }

  /** {@link ApiFuzzer.Op#LOOP_STOP}. */
  void loopStop(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.avoid("stop-idle") && !s.background()) {
      fuzz.log("stop " + L + " skipped (avoid stop-idle)");
      return;
    }
    fuzz.log("stop " + L);
    fuzz.api("stop", loop::stop);
  }

  /** {@link ApiFuzzer.Op#LOOP_CLOSE}. */
  void loopClose(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.avoid("close-race") && s.bg != null) {
      fuzz.log("close " + L + " skipped (avoid close-race)");
      return;
    }
    fuzz.log("close " + L);
    if (fuzz.api("close", loop::close) && loop.isClosed()) {
      fuzz.retire(s);
    }
  }

  /** {@link ApiFuzzer.Op#LOOP_SHUTDOWN}. */
  void loopShutdown(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.avoid("close-race") && s.bg != null) {
      fuzz.log("shutdown " + L + " skipped (avoid close-race)");
      return;
    }
    fuzz.log("shutdown " + L);
    if (s.background()) {
      fuzz.api("shutdown (bg)", loop::shutdown);
      return;
    }
    for (int i = 0; i < 5 && !loop.isClosed(); i++) {
      fuzz.api("shutdown", loop::shutdown);
    }
    if (loop.isClosed()) {
      fuzz.retire(s);
    }
  }

  /** {@link ApiFuzzer.Op#LOOP_QUERY}. */
  void loopQuery(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int k = r.nextInt(14);
    fuzz.log("query " + L + " #" + k);
    fuzz.api("query " + k, () -> {
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
  }

  /** {@link ApiFuzzer.Op#LOOP_WALK}. */
  void loopWalk(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int k = r.nextInt(4);
    fuzz.log("walk " + L + " #" + k);
    fuzz.api("walk", () -> loop.walk(k == 0 ? null : h -> {
      if (k == 1) {
        h.close();
      } else if (k == 2) {
        h.isActive();
        h.hasRef();
      } else {
        throw new Documented.FuzzException("walk visitor");
      }
    }));
  }

  /** {@link ApiFuzzer.Op#LOOP_EXECUTE}. */
  void loopExecute(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int n = r.nextInt(10) == 0 ? 5000 : 1 + r.nextInt(3);
    boolean nul = r.nextInt(30) == 0;
    Runnable task0 = fuzz.task(s, r);
    Once o = fuzz.expect(s, "execute task on " + L);
    o.due.set(0);
    Runnable task = () -> {
      o.fire();
      task0.run();
    };
    fuzz.log("execute " + L + " x" + n + (nul ? " null" : ""));
    fuzz.api("execute", () -> {
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
  }

  /** {@link ApiFuzzer.Op#LOOP_HANDLER}. */
  void loopHandler(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int k = r.nextInt(6);
    fuzz.log("setExceptionHandler " + L + " #" + k);
    fuzz.api("setExceptionHandler", () -> loop.setExceptionHandler(k == 0 ? null
        : k == 1 ? (src, e) -> { }
        : k == 2 ? (src, e) -> { throw new Documented.FuzzException("handler"); }
        : k == 3 ? (src, e) -> {
          if (src instanceof Handle) {
            fuzz.api("handler closes source", ((Handle) src)::close);
          }
        }
        : k == 4 ? (src, e) -> fuzz.api("handler stops", loop::stop)
        : (src, e) -> FuzzInputs.sneaky(e)));
  }

  /** {@link ApiFuzzer.Op#LOOP_READ_BUFFER}. */
  void loopReadBuffer(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int size = r.nextBoolean() && !fuzz.avoid("oom") ? fuzz.anInt(r) : 1024 + r.nextInt(100000);
    fuzz.log("setReadBufferSize " + L + " " + size);
    fuzz.api("setReadBufferSize", () -> loop.setReadBufferSize(size));
  }

  /** {@link ApiFuzzer.Op#TIMER_NEW}. */
  void timerNew(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("new Timer " + L + " skipped (full)");
      return;
    }
    fuzz.log("new Timer " + L);
    fuzz.api("new Timer", () -> fuzz.add(s, new Timer(loop), "T"));
  }

  /** {@link ApiFuzzer.Op#TIMER_OP}. */
  void timerOp(Slot s, Random r) throws Exception {
    Timer t = fuzz.handle(s, r, Timer.class);
    int k = r.nextInt(10);
    long a = fuzz.millis(r);
    long b = fuzz.millis(r);
    Consumer<Timer> cb = r.nextInt(30) == 0 ? null : fuzz.consumer(s, r, "timer");
    fuzz.log("timer " + fuzz.n(t) + " #" + k + " " + a + " " + b);
    if (t == null) {
      return;
    }
    fuzz.api("timer op " + k, () -> {
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
  }

  /** {@link ApiFuzzer.Op#WATCHER_NEW}. */
  void watcherNew(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int k = r.nextInt(3);
    if (fuzz.full(s)) {
      fuzz.log("new watcher skipped (full)");
      return;
    }
    fuzz.log("new " + (k == 0 ? "Idle" : k == 1 ? "Prepare" : "Check") + " " + L);
    fuzz.api("new watcher", () -> fuzz.add(s, k == 0 ? new Idle(loop) : k == 1 ? new Prepare(loop) : new Check(loop),
        k == 0 ? "I" : k == 1 ? "P" : "C"));
  }

  /** {@link ApiFuzzer.Op#WATCHER_OP}. */
  void watcherOp(Slot s, Random r) throws Exception {
    Class<? extends Handle> wt = r.nextInt(3) == 0 ? Idle.class : r.nextBoolean() ? Prepare.class : Check.class;
    Handle h = fuzz.handle(s, r, wt);
    boolean start = r.nextInt(3) != 0;
    boolean nul = r.nextInt(30) == 0;
    Consumer<Object> cb = fuzz.consumer(s, r, "watcher");
    fuzz.log("watcher " + fuzz.n(h) + (start ? " start" : " stop") + (nul ? " null" : ""));
    if (h == null) {
      return;
    }
    fuzz.api("watcher op", () -> {
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
  }

  /** {@link ApiFuzzer.Op#ASYNC_NEW}. */
  void asyncNew(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("new Async skipped (full)");
      return;
    }
    boolean nul = r.nextInt(20) == 0;
    Consumer<Async> cb = fuzz.consumer(s, r, "async");
    fuzz.log("new Async " + L + (nul ? " null" : ""));
    fuzz.api("new Async", () -> fuzz.add(s, new Async(loop, nul ? null : cb), "A"));
  }

  /** {@link ApiFuzzer.Op#ASYNC_SEND}. */
  void asyncSend(Slot s, Random r) throws Exception {
    Async a = fuzz.handle(s, r, Async.class);
    int n = 1 + r.nextInt(3);
    fuzz.log("send " + fuzz.n(a) + " x" + n);
    if (a != null) {
      fuzz.api("send", () -> {
        for (int i = 0; i < n; i++) {
          a.send();
        }
      });
    }
  }

  /** {@link ApiFuzzer.Op#FOREIGN_THREAD}. */
  void foreignThread(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    List<Async> asyncs = new ArrayList<>();
    List<Slot> targets = new ArrayList<>(fuzz.loops);
    targets.addAll(fuzz.closedLoops);
    for (Slot x : targets) {
      for (Handle h : x.handles) {
        if (h instanceof Async) {
          asyncs.add((Async) h);
        }
      }
    }
    long ts = r.nextLong();
    int count = 10 + (r.nextInt(4) == 0 ? r.nextInt(5000) : r.nextInt(500));
    fuzz.log("foreign thread: " + count + " sends/executes over " + asyncs.size() + " asyncs, "
        + targets.size() + " loops");
    fuzz.helpers.removeIf(t -> !t.isAlive());
    if (fuzz.helpers.size() >= 6) {
      fuzz.log("foreign thread skipped: 6 still running");
      return; // never block the driver on them: that would look like a hang
    }
    Thread t = new Thread(() -> {
      Random tr = new Random(ts);
      for (int i = 0; i < count && !fuzz.stopHelpers.get(); i++) {
        int what = tr.nextInt(6);
        if (what == 0) {
          // The static synchronous forms may be called from any thread, concurrently.
          String mine = fuzz.dir.resolve("ft" + ts % 1000).toString();
          fuzz.api("foreign sync fs", () -> {
            Fs.statSync(fuzz.dir.toString());
            int fd = Fs.openSync(mine, Fs.O_RDWR | Fs.O_CREAT, 0644);
            try {
              Fs.writeSync(fd, ByteBuffer.allocate(64), 0);
              Fs.readSync(fd, ByteBuffer.allocateDirect(64), 0);
            } finally {
              Fs.closeSync(fd);
            }
          });
        } else if (what == 1) {
          fuzz.api("foreign sync dns", () -> Dns.getaddrinfoSync("localhost", "80", null));
        } else if (!asyncs.isEmpty() && tr.nextBoolean()) {
          Async a = asyncs.get(tr.nextInt(asyncs.size()));
          fuzz.api("foreign send", a::send);
        } else {
          Slot x = targets.get(tr.nextInt(targets.size()));
          fuzz.api("foreign execute", () -> x.loop.execute(() -> { }));
        }
        if (tr.nextInt(20) == 0) {
          FuzzState.sleep(1);
        }
      }
      // Other calls from this foreign thread: must be refused (ISE) while a loop runs elsewhere.
      Slot x = targets.get(tr.nextInt(targets.size()));
      // Only calls documented as safe from any thread: a foreign thread using a loop that
      // nobody runs would race the driver, which the API leaves to the user.
      fuzz.api("foreign isRunning", x.loop::isRunning);
    }, "fuzz-foreign-" + fuzz.opIndex);
    t.setDaemon(true);
    fuzz.helpers.add(t);
    t.start();
  }

  /** {@link ApiFuzzer.Op#HANDLE_OP}. */
  void handleOp(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Handle h = fuzz.handle(s, r, Handle.class);
    int k = r.nextInt(11);
    Runnable onClose = r.nextBoolean() ? fuzz.task(h == null ? s : fuzz.slotOf(h.loop(), s), r) : null;
    fuzz.log("handle " + fuzz.n(h) + " #" + k);
    if (h == null) {
      return;
    }
    fuzz.api("handle op " + k, () -> {
      switch (k) {
        case 0: case 1: h.close(); break;
        case 2: {
          boolean was = h.isClosing();
          if (was || onClose == null) {
            h.close(onClose); // a closing handle ignores the callback: not counted
          } else {
            Once o = fuzz.expect(h.loop(), "close callback of " + fuzz.n(h));
            fuzz.tracked(o, () -> h.close(() -> {
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
  }

  /** {@link ApiFuzzer.Op#BUFFER_MUTATE}. */
  void bufferMutate(Slot s, Random r) throws Exception {
    if (s.background() || s.buffers.isEmpty() || fuzz.avoid("buffers")) {
      fuzz.log("mutate buffer skipped");
      return;
    }
    ByteBuffer b = s.buffers.get(r.nextInt(s.buffers.size()));
    int k = r.nextInt(5);
    fuzz.log("mutate " + FuzzInputs.desc(b) + " #" + k);
    fuzz.api("mutate", () -> {
      switch (k) {
        case 0: b.limit(b.capacity() > 0 ? r.nextInt(b.capacity() + 1) : 0); break;
        case 1: b.clear(); break;
        case 2: b.position(b.limit()); break;
        case 3: b.flip(); break;
        default: b.limit(0);
      }
    });
  }
}
