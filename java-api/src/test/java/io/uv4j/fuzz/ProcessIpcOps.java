package io.uv4j.fuzz;

import io.uv4j.ChildProcess;
import io.uv4j.Fs;
import io.uv4j.Handle;
import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.SpawnOptions;
import io.uv4j.StdioConfig;
import io.uv4j.Stream;
import io.uv4j.StreamCallback;
import io.uv4j.Tcp;
import io.uv4j.Udp;
import io.uv4j.Uv;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The fuzzer's IPC (handle passing, {@code uv_pipe}, {@code uv_socketpair}) and child process
 * operations: random sends of any handle (closed, of another loop, of the wrong kind, with empty
 * data), accepts of pending handles into any handle, spawns with odd options and stdio, kills.
 */
final class ProcessIpcOps {
  private final ApiFuzzer f;

  ProcessIpcOps(ApiFuzzer f) {
    this.f = f;
  }

  /** Any handle of the slot's loop (or, sometimes, of another one), closed ones included. */
  private Handle anyHandle(ApiFuzzer.Slot s, Random r) {
    return f.handle(s, r, Handle.class);
  }

  void ipcOp(ApiFuzzer.Slot s, Random r) {
    Pipe p = f.handle(s, r, Pipe.class);
    int k = r.nextInt(11);
    Handle target = r.nextInt(8) == 0 ? null : anyHandle(s, r);
    byte[] data = r.nextInt(8) == 0 ? new byte[0] : new byte[1 + r.nextInt(64)];
    boolean nulCb = r.nextInt(30) == 0;
    StreamCallback cb = f.streamCb(s, r, "write2");
    boolean ipc = r.nextInt(4) != 0;
    int acceptKind = r.nextInt(5);
    f.log("ipc " + (p == null ? "-" : f.n(p)) + " #" + k + " target=" + f.n(target) + " len=" + data.length
        + (nulCb ? " null" : "") + " ipc=" + ipc + " kind=" + acceptKind);
    f.api("ipc op " + k, () -> {
      switch (k) {
        case 0: {
          if (f.full(s)) {
            return;
          }
          Pipe[] pair = Pipe.pair(s.loop, ipc);
          f.add(s, pair[0], "Pp");
          f.add(s, pair[1], "Pp");
          if (r.nextBoolean()) {
            pair[1].readStart(acceptingReader(s, r));
          }
          return;
        }
        case 1: case 2: case 3: {
          if (p == null) {
            return;
          }
          ApiFuzzer.Once o = f.expect(p.loop(), "write2 on " + f.n(p));
          f.tracked(o, () -> p.write2(data, target, nulCb ? null : f.once(o, cb)));
          return;
        }
        case 4:
          if (p != null) {
            p.pendingCount();
            p.pendingType();
            p.isIpc();
          }
          return;
        case 5:
          if (p != null) {
            p.acceptPending(acceptInto(s, r, acceptKind, target));
          }
          return;
        case 6:
          if (p != null) {
            p.discardPending();
          }
          return;
        case 7: {
          int[] fds = r.nextBoolean() ? Uv.pipe(r.nextBoolean(), r.nextBoolean())
              : Uv.socketpair(r.nextInt(4) == 0, r.nextBoolean(), r.nextBoolean());
          for (int fd : fds) {
            if (r.nextBoolean() && !f.full(s)) {
              Pipe q = new Pipe(s.loop, ipc);
              f.add(s, q, "Pp");
              try {
                q.open(fd);
                continue;
              } catch (RuntimeException | io.uv4j.UvException e) {
                Fs.closeSync(fd);
                throw e;
              }
            }
            // not handed to the fs operations: a blocking read of an empty pipe would wait for
            // ever, as read(2) does
            Fs.closeSync(fd);
          }
          return;
        }
        case 8:
          if (p != null) {
            p.readStart(acceptingReader(s, r));
          }
          return;
        case 9:
          if (p != null && target != null) {
            p.write2(ByteBuffer.allocateDirect(Math.max(1, data.length)), target, (st, e) -> { });
          }
          return;
        default:
          if (p != null) {
            p.write2(data, null, nulCb ? null : cb);
          }
      }
    });
  }

  /** A handle to accept a pending one into: usually new of a random kind, sometimes any handle. */
  private Handle acceptInto(ApiFuzzer.Slot s, Random r, int kind, Handle any) {
    if (kind == 4 || f.full(s)) {
      return any;
    }
    Handle h = kind == 0 ? new Tcp(s.loop) : kind == 1 ? new Udp(s.loop) : new Pipe(s.loop, kind == 3);
    f.add(s, h, "Acc");
    return h;
  }

  /** Reads an IPC pipe and takes every pending handle into a new one of its kind (or discards it). */
  private ReadCallback acceptingReader(ApiFuzzer.Slot s, Random r) {
    ReadCallback inner = f.readCb(s, r);
    return new ReadCallback() {
      @Override
      public void onData(Stream st, ByteBuffer data) {
        f.checkOpen(st, "ipc onData");
        Pipe p = (Pipe) st;
        while (!p.isClosing() && p.pendingCount() > 0) {
          Uv.HandleType t = p.pendingType();
          if (f.full(s) || (t != Uv.HandleType.TCP && t != Uv.HandleType.UDP && t != Uv.HandleType.NAMED_PIPE)) {
            p.discardPending();
            continue;
          }
          Handle h = t == Uv.HandleType.TCP ? new Tcp(st.loop()) : t == Uv.HandleType.UDP ? new Udp(st.loop())
              : new Pipe(st.loop(), false);
          f.add(f.slotOf(st.loop(), s), h, "Rcv");
          p.acceptPending(h);
        }
        inner.onData(st, data);
      }

      @Override
      public void onEnd(Stream st) {
        inner.onEnd(st);
      }

      @Override
      public void onError(Stream st, io.uv4j.UvException e) {
        inner.onError(st, e);
      }
    };
  }

  void processOp(ApiFuzzer.Slot s, Random r) {
    ChildProcess existing = f.handle(s, r, ChildProcess.class);
    int k = r.nextInt(10);
    int form = r.nextInt(8);
    int extras = r.nextInt(12);
    int[] signals = {0, 15, 9, 10, -1, 999, 28};
    int sig = signals[r.nextInt(signals.length)];
    ApiFuzzer.Behavior b = f.new Behavior(s, r);
    boolean nulCb = r.nextInt(30) == 0;
    f.log("process " + (existing == null ? "-" : f.n(existing)) + " #" + k + " form=" + form + " extras="
        + extras + " sig=" + sig + (nulCb ? " null" : ""));
    f.api("process op " + k, () -> {
      if (k < 5 || existing == null) {
        if (f.full(s)) {
          return;
        }
        SpawnOptions o = options(s, r, form, extras);
        ChildProcess.ExitCallback exit = nulCb ? null : (proc, status, signal) -> {
          f.checkOpen(proc, "process exit");
          f.inCallback("process exit", b, proc);
        };
        ChildProcess c = ChildProcess.spawn(s.loop, o, exit);
        f.add(s, c, "Pr");
        return;
      }
      switch (k) {
        case 5: case 6: existing.kill(sig); return;
        case 7: existing.pid(); existing.hasExited(); existing.exitStatus(); existing.termSignal(); existing.file(); return;
        case 8:
          if (!existing.isClosing() && !existing.hasExited()) { // not reaped yet: the pid is still ours
            Uv.kill(existing.pid(), sig);
          }
          return;
        default: existing.close(); return;
      }
    });
  }

  /** Short-lived commands (so no child outlives the run), with odd options and stdio now and then. */
  private SpawnOptions options(ApiFuzzer.Slot s, Random r, int form, int extras) throws Exception {
    SpawnOptions o;
    switch (form) {
      case 0: o = SpawnOptions.command("/bin/true"); break;
      case 1: o = SpawnOptions.command("/bin/sh", "-c", "exit " + r.nextInt(4)); break;
      case 2: o = SpawnOptions.command("/nonexistent/uv4j-fuzz"); break;
      case 3: o = SpawnOptions.command("/bin/sh", "-c", "kill -9 $$"); break;
      case 4: o = SpawnOptions.command("sleep", "0.05"); break;
      case 5: o = SpawnOptions.command(f.dir.toString()); break; // a directory: EACCES
      case 6: o = SpawnOptions.command("cat"); break; // ends when its stdin pipe closes
      default: o = SpawnOptions.command("/bin/echo", "x".repeat(r.nextInt(200))); break;
    }
    if (form == 6 || extras == 0) {
      Pipe in = pipeFor(s, r);
      o.stdin(in == null ? StdioConfig.ignore() : StdioConfig.pipe(in, r.nextInt(4) == 0, r.nextInt(4) != 0));
    }
    switch (extras) {
      case 1: {
        Pipe out = pipeFor(s, r);
        if (out != null) {
          o.stdout(StdioConfig.pipeFromChild(out));
          if (r.nextBoolean()) {
            out.readStart(f.readCb(s, r));
          }
        }
        break;
      }
      case 2: o.cwd(r.nextBoolean() ? f.dir.toString() : f.dir.resolve("missing").toString()); break;
      case 3: {
        Map<String, String> env = new HashMap<>();
        env.put("UV4J_FUZZ", "1");
        if (r.nextBoolean()) {
          env.put("", "empty name");
        }
        o.env(env);
        break;
      }
      case 4: o.stdio(r.nextBoolean() ? 3 : r.nextInt(5) == 0 ? -1 : SpawnOptions.MAX_FD + r.nextInt(2),
          r.nextBoolean() ? StdioConfig.ignore() : StdioConfig.inherit(r.nextInt(3))); break;
      case 5: {
        Handle any = anyHandle(s, r);
        if (any instanceof Stream) {
          o.stdout(StdioConfig.inherit((Stream) any)); // a closed or listening one is refused
        }
        break;
      }
      case 6: o.detached(true); break;
      case 7: o.uid(r.nextBoolean() ? 65534 : -1); break;
      case 8: o.gid(r.nextBoolean() ? 65534 : -1); break;
      case 9: {
        Pipe ipcChannel = pipeFor(s, r);
        if (ipcChannel != null) {
          o.stdio(3, StdioConfig.pipe(ipcChannel, true, true));
        }
        break;
      }
      default: break;
    }
    return o;
  }

  /** A pipe for a child's stdio: usually new, sometimes any pipe (used, closed, of another loop). */
  private Pipe pipeFor(ApiFuzzer.Slot s, Random r) {
    if (r.nextInt(5) == 0) {
      return f.handle(s, r, Pipe.class);
    }
    if (f.full(s)) {
      return null;
    }
    Pipe p = new Pipe(s.loop, r.nextInt(3) == 0);
    f.add(s, p, "Pp");
    return p;
  }
}
