package io.uv4j.fuzz;

import io.uv4j.Handle;
import io.uv4j.Loop;
import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.RunMode;
import io.uv4j.Stream;
import io.uv4j.StreamCallback;
import io.uv4j.Tcp;
import io.uv4j.Timer;
import io.uv4j.UvException;
import io.uv4j.fuzz.FuzzInputs.Behavior;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The API fuzzer's hostile inputs: odd buffers, numbers, descriptors, paths and addresses, and
 * the callbacks it hands to the API ({@link Behavior}: do nothing, throw, close, stop, run
 * nested, call the API again...). Every draw comes from the operation's own Random, in the order
 * the operations make them.
 */
abstract class FuzzInputs extends FuzzState {
  FuzzInputs(long seed, int ops, Path dir) {
    super(seed, ops, dir);
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
}
