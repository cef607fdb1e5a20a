package io.uv4j.fuzz;

import io.uv4j.Errno;
import io.uv4j.Fs;
import io.uv4j.FsEvent;
import io.uv4j.FsPoll;
import io.uv4j.Handle;
import io.uv4j.Loop;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.Tty;
import io.uv4j.Uv;
import io.uv4j.UvException;
import io.uv4j.fuzz.FuzzInputs.Behavior;
import io.uv4j.fuzz.FuzzState.Slot;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The fuzzer's signal, poll, tty and watcher operations and system utilities: signal watchers
 * and deliveries, Poll on FIFOs and odd descriptors, Tty, fs events and fs poll watchers,
 * {@code Uv} system calls, and closes of descriptors libuv owns (which must be refused).
 */
final class SystemOps {
  private final ApiFuzzer fuzz;

  SystemOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
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
        if (fuzz.fds.containsKey(fd)) {
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

  static final int SIGUSR1 = io.uv4j.Signal.number("SIGUSR1");
  static final int SIGWINCH = io.uv4j.Signal.number("SIGWINCH");
  static final int SIGURG = io.uv4j.Signal.number("SIGURG");

  /** Signals a watcher may watch and the fuzzer may deliver, and ones every start must refuse. */
  static final String[] REFUSED_SIGNALS = {"SIGKILL", "SIGSTOP", "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL",
      "SIGQUIT", "SIGUSR2", "SIGINT", "SIGTERM", "SIGHUP"};

  void signalOp(Slot s, Random r) {
    io.uv4j.Signal h = fuzz.handle(s, r, io.uv4j.Signal.class);
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
    Behavior b = fuzz.new Behavior(s, r);
    boolean nul = r.nextInt(30) == 0;
    io.uv4j.Signal.Callback cb = nul ? null : (x, signum) -> {
      fuzz.checkOpen(x, "signal");
      fuzz.signalsSeen.incrementAndGet();
      if (signum != x.signum() && x.signum() != 0) {
        fuzz.violation("signal callback for " + signum + " on a watcher of " + x.signum());
      }
      fuzz.inCallback("signal", b, x);
    };
    fuzz.log("signal " + (h == null ? "new" : fuzz.n(h)) + " #" + k + " sig=" + sig + (nul ? " null" : ""));
    fuzz.api("signal op " + k, () -> {
      io.uv4j.Signal g = h;
      if (g == null || k == 0) {
        if (fuzz.full(s)) {
          return;
        }
        g = new io.uv4j.Signal(s.loop);
        fuzz.add(s, g, "Sg");
      }
      io.uv4j.Signal w = g;
      switch (k) {
        case 1: case 2: case 3:
          fuzz.usr1Watchers.remove(w);
          w.start(sig, cb);
          if (sig == SIGUSR1) {
            fuzz.usr1Watchers.add(w);
          }
          break;
        case 4: fuzz.usr1Watchers.remove(w); w.startOneShot(sig, cb); break;
        case 5: fuzz.usr1Watchers.remove(w); w.stop(); break;
        case 6: w.signum(); break;
        case 7: io.uv4j.Signal.name(sig); io.uv4j.Signal.number(r.nextBoolean() ? "SIGNOPE" : r.nextBoolean() ? null : "SIGWINCH"); break;
        case 8: case 9: case 10: kill(r, sig); break;
        default: fuzz.usr1Watchers.remove(w); w.close(); break;
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
      fuzz.violation("Uv.kill(pid, " + sig + ") was not refused");
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
    for (io.uv4j.Signal w : fuzz.usr1Watchers) {
      Slot ws = fuzz.slotOf(w.loop(), null);
      if (ws != null && !ws.background() && Thread.currentThread() == fuzz.driver && !w.isClosing()
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
        Path p = fuzz.dir.resolve("fifo" + i);
        Process pr = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
        if (pr.waitFor() == 0) {
          fuzz.pollFds.add(Fs.openSync(p.toString(), Fs.O_RDWR | Fs.O_NONBLOCK, 0)); // reads and writes never block
        }
      }
    } catch (Exception e) {
      FuzzOut.line("NOTE no FIFOs for Poll: " + e);
    }
  }

  void pollOp(Slot s, Random r) {
    io.uv4j.Poll h = fuzz.handle(s, r, io.uv4j.Poll.class);
    int k = r.nextInt(12);
    int[] evs = {io.uv4j.Poll.READABLE, io.uv4j.Poll.WRITABLE, io.uv4j.Poll.READABLE | io.uv4j.Poll.DISCONNECT,
        15, 0, -1, 16, io.uv4j.Poll.PRIORITIZED};
    int events = evs[r.nextInt(evs.length)];
    Behavior b = fuzz.new Behavior(s, r);
    boolean nul = r.nextInt(30) == 0;
    io.uv4j.Poll.Callback cb = nul ? null : (x, err, ev) -> {
      fuzz.checkOpen(x, "poll");
      fuzz.pollEvents.incrementAndGet();
      if (err == null && (ev & ~events) != 0 && events > 0 && events < 16) {
        fuzz.violation("poll reported events " + ev + " not requested (" + events + ")");
      }
      fuzz.inCallback("poll" + (err != null ? "(" + err.errorName() + ")" : ""), b, x);
    };
    fuzz.log("poll " + (h == null ? "new" : fuzz.n(h)) + " #" + k + " events=" + events);
    fuzz.api("poll op " + k, () -> {
      switch (k) {
        case 0: case 1: {
          if (fuzz.full(s)) {
            return;
          }
          int fd = pollFd(s, r);
          fuzz.log("poll new on fd " + fd);
          fuzz.add(s, new io.uv4j.Poll(s.loop, fd), "Pl");
          return;
        }
        case 2: case 3: case 4: if (h != null) { h.start(events, cb); } return;
        case 5: if (h != null) { h.stop(); } return;
        case 6: if (h != null) { h.fd(); h.toString(); } return;
        case 7: case 8: {
          // Traffic on the FIFOs: what makes a READABLE watcher fire; EAGAIN once full.
          if (fuzz.pollFds.isEmpty()) {
            return;
          }
          int fd = fuzz.pollFds.get(r.nextInt(fuzz.pollFds.size()));
          if (r.nextBoolean()) {
            Fs.writeSync(fd, ByteBuffer.wrap(new byte[1 + r.nextInt(5000)]), -1);
          } else {
            Fs.readSync(fd, ByteBuffer.allocate(8192), -1);
          }
          return;
        }
        case 9: {
          // Closing a polled descriptor through Fs must be refused while the watcher is open.
          if (h == null || Thread.currentThread() != fuzz.driver) {
            return;
          }
          Slot hs = fuzz.slotOf(h.loop(), null);
          if (hs == null || hs.background() || h.isClosing() || !fuzz.pollFds.contains(h.fd())) {
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
            fuzz.pollCloseRefused.incrementAndGet(); // refused, as documented
          }
          if (closed) {
            fuzz.pollFds.remove((Integer) fd);
            fuzz.violation("Fs.close(" + fd + ") accepted while " + fuzz.n(h) + " polls it");
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
    if (k <= 1 && !fuzz.pollFds.isEmpty()) {
      return fuzz.pollFds.get(r.nextInt(fuzz.pollFds.size()));
    }
    if (k == 2) {
      Handle h = r.nextBoolean() ? fuzz.handle(s, r, Tcp.class) : fuzz.handle(s, r, io.uv4j.Udp.class);
      if (h instanceof Stream) {
        return ((Stream) h).fileno();
      } else if (h instanceof io.uv4j.Udp) {
        return ((io.uv4j.Udp) h).fileno();
      }
    }
    return fuzz.fd(r); // the fuzzer's files (EPERM) or bad numbers
  }

  void ttyOp(Slot s, Random r) {
    int[] cands = {0, 1, 2, fuzz.fd(r), -1};
    int fd = cands[r.nextInt(cands.length)];
    int k = r.nextInt(6);
    Uv.HandleType type = Uv.guessHandle(fd);
    fuzz.log("tty fd=" + fd + " (" + type + ") #" + k);
    fuzz.api("tty op " + k, () -> {
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
    int v = fuzz.anInt(r);
    fuzz.log("uv sys #" + k + " " + v);
    fuzz.api("uv sys " + k, () -> {
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
        case 17: Uv.randomFill(r.nextInt(10) == 0 ? null : fuzz.buffer(s, r)); break;
        case 18: Uv.guessHandle(fuzz.fd(r)); Uv.guessHandle(r.nextInt(3)); break;
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
        case 24: Uv.kill((int) Uv.pid(), r.nextBoolean() ? -1 : io.uv4j.Signal.nsig()); fuzz.violation("Uv.kill with a bad signal number returned"); break;
        default: Uv.setCurrentThreadAffinity(r.nextBoolean() ? null : new boolean[0]); break;
      }
    });
  }

  void closePollFds() {
    for (Integer fd : fuzz.pollFds) {
      fuzz.api("final close fifo", () -> Fs.closeSync(fd));
    }
    fuzz.pollFds.clear();
  }

  /** {@link ApiFuzzer.Op#FS_EVENT}. */
  void fsEvent(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    FsEvent h = fuzz.handle(s, r, FsEvent.class);
    int k = r.nextInt(5);
    String p = fuzz.path(r);
    int flags = r.nextInt(4) == 0 ? fuzz.anInt(r) : 0;
    Behavior b = fuzz.new Behavior(s, r);
    fuzz.log("fsevent " + (h == null ? "new" : fuzz.n(h)) + " #" + k + " " + FuzzState.shortPath(p) + " flags=" + flags);
    fuzz.api("fsevent", () -> {
      FsEvent e = h;
      if (e == null || k == 0) {
        if (fuzz.full(s)) {
          return;
        }
        e = new FsEvent(loop);
        fuzz.add(s, e, "Ev");
      }
      switch (k) {
        case 3: e.stop(); break;
        case 4: e.getPath(); break;
        default: e.start(p, flags, (x, f, ev, err) -> {
          fuzz.checkOpen(x, "fsevent");
          fuzz.inCallback("fsevent", b, x);
        });
      }
    });
  }

  /** {@link ApiFuzzer.Op#FS_POLL}. */
  void fsPoll(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    FsPoll h = fuzz.handle(s, r, FsPoll.class);
    int k = r.nextInt(5);
    String p = fuzz.path(r);
    long interval = r.nextInt(3) == 0 ? FuzzInputs.MILLIS[r.nextInt(FuzzInputs.MILLIS.length)] : r.nextInt(20);
    Behavior b = fuzz.new Behavior(s, r);
    fuzz.log("fspoll " + (h == null ? "new" : fuzz.n(h)) + " #" + k + " " + FuzzState.shortPath(p) + " interval=" + interval);
    fuzz.api("fspoll", () -> {
      FsPoll e = h;
      if (e == null || k == 0) {
        if (fuzz.full(s)) {
          return;
        }
        e = new FsPoll(loop);
        fuzz.add(s, e, "Po");
      }
      switch (k) {
        case 3: e.stop(); break;
        case 4: e.getPath(); break;
        default:
          if (fuzz.avoid("fspoll-restart") && !fuzz.fsPollStarted.add(e)) {
            return; // found by this fuzzer: stop + start with a stat in flight asserts in libuv
          }
          e.start(p, interval, (x, err, prev, curr) -> {
          fuzz.checkOpen(x, "fspoll");
          fuzz.inCallback("fspoll", b, x);
        });
      }
    });
  }

  /** {@link ApiFuzzer.Op#UV_MISC}. */
  void uvMisc(Slot s, Random r) throws Exception {
    int k = r.nextInt(9);
    int v = fuzz.anInt(r);
    fuzz.log("uv misc #" + k + " " + v);
    fuzz.api("uv misc " + k, () -> {
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
  }

  /** {@link ApiFuzzer.Op#CLOSE_LIBUV_FD}. */
  void closeLibuvFd(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    // Issue 8 class 7 on purpose: closing a descriptor libuv owns must be refused.
    if (r.nextInt(3) == 0) { // one libuv opened for itself: a loop's ring, its signal lock
      int fd = libuvInternalFd(r);
      fuzz.log("closeSync of libuv-internal fd " + fd);
      if (fd >= 0 && !fuzz.avoid("libuv-fd")) {
        fuzz.api("close libuv-internal fd", () -> Fs.closeSync(fd));
      }
      return;
    }
    Stream st = fuzz.handle(s, r, Stream.class);
    boolean backend = st == null || r.nextBoolean();
    fuzz.log("closeSync of " + (backend ? "backendFd of " + L : "fileno of " + fuzz.n(st)));
    if (fuzz.avoid("libuv-fd")) {
      return;
    }
    fuzz.api("close libuv fd", () -> {
      int fd = backend ? loop.backendFd() : st.fileno();
      if (fuzz.fds.containsKey(fd)) {
        return; // ours after all
      }
      Fs.closeSync(fd);
    });
  }
}
