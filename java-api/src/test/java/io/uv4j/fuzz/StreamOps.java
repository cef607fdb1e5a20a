package io.uv4j.fuzz;

import io.uv4j.Fs;
import io.uv4j.Loop;
import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.StreamCallback;
import io.uv4j.Tcp;
import io.uv4j.fuzz.FuzzInputs.Behavior;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fuzzer's stream operations: TCP and pipe handles (new, servers, connects, options), reads,
 * writes, shutdowns and other stream calls, streams opened on descriptors, and backpressure
 * (water marks, drain callbacks).
 */
final class StreamOps {
  private final ApiFuzzer fuzz;

  StreamOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
  }

  /** Stream backpressure: water marks (good and bad), drain callbacks, the pending count. */
  void backpressure(Slot s, Random r) {
    Stream st = fuzz.handle(s, r, Stream.class);
    int k = r.nextInt(6);
    long[] marks = {0, 1, 64, 16384, 1 << 20, -1, Long.MAX_VALUE, Long.MIN_VALUE};
    long lo = marks[r.nextInt(marks.length)];
    long hi = marks[r.nextInt(marks.length)];
    Behavior b = fuzz.new Behavior(s, r);
    fuzz.log("backpressure " + fuzz.n(st) + " #" + k + " low=" + lo + " high=" + hi);
    if (st == null) {
      return;
    }
    fuzz.api("backpressure " + k, () -> {
      switch (k) {
        case 0: case 1: st.writeWaterMarks(lo, hi); break;
        case 2: case 3:
          st.onDrain(r.nextInt(5) == 0 ? null : x -> {
            fuzz.checkOpen(x, "drain");
            fuzz.drains.incrementAndGet();
            if (x.pendingWriteBytes() > x.lowWaterMark()) {
              fuzz.violation("drain with " + x.pendingWriteBytes() + " pending bytes over the low-water mark " + x.lowWaterMark());
            }
            fuzz.inCallback("drain", b, x);
          });
          break;
        case 4: st.pendingWriteBytes(); st.highWaterMark(); st.lowWaterMark(); break;
        default: {
          // Small marks, then a write over them: what starts a drain episode.
          st.writeWaterMarks(0, 1 + r.nextInt(64));
          st.onDrain(x -> {
            fuzz.checkOpen(x, "drain");
            fuzz.drains.incrementAndGet();
            fuzz.inCallback("drain", b, x);
          });
          if (!(fuzz.avoid("listen-write") && fuzz.listened.contains(st)) && st.writeQueueSize() < FuzzState.WRITE_QUEUE_CAP) {
            st.write(ByteBuffer.allocate(r.nextInt(4) != 0 ? 100 + r.nextInt(2000) : 1 << 21)); // sometimes more than a socket takes at once
          }
        }
      }
    });
  }

  /** {@link ApiFuzzer.Op#TCP_NEW}. */
  void tcpNew(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("new Tcp skipped (full)");
      return;
    }
    int k = r.nextInt(6);
    fuzz.log("new Tcp " + L + " #" + k);
    fuzz.api("new Tcp", () -> {
      Tcp t = k == 0 ? new Tcp(loop, StandardProtocolFamily.INET)
          : k == 1 ? new Tcp(loop, StandardProtocolFamily.INET6)
          : k == 2 ? new Tcp(loop, r.nextBoolean() ? StandardProtocolFamily.UNIX : null)
          : new Tcp(loop);
      fuzz.add(s, t, "Tcp");
    });
  }

  /** {@link ApiFuzzer.Op#TCP_SERVER}. */
  void tcpServer(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("tcp server skipped (full)");
      return;
    }
    int backlog = r.nextInt(5) == 0 ? fuzz.anInt(r) : 16;
    boolean v6 = r.nextInt(5) == 0;
    boolean reuse = r.nextBoolean() && !fuzz.avoid("reuseport");
    StreamCallback cb = fuzz.connectionCb(s, r);
    fuzz.log("tcp server " + L + " backlog=" + backlog + (v6 ? " ::1" : " 127.0.0.1") + " reuse=" + reuse);
    fuzz.api("tcp server", () -> {
      Tcp t = new Tcp(loop);
      fuzz.add(s, t, "Tcp");
      t.bind(new InetSocketAddress(InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), 0), false, reuse);
      fuzz.listened.add(t);
      t.listen(backlog, cb);
      fuzz.tcpServers.add(t.localAddress());
    });
  }

  /** {@link ApiFuzzer.Op#TCP_CONNECT}. */
  void tcpConnect(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Tcp t = r.nextInt(3) == 0 ? null : fuzz.handle(s, r, Tcp.class);
    InetSocketAddress to = fuzz.tcpTarget(r);
    boolean nulCb = r.nextInt(30) == 0;
    StreamCallback cb = fuzz.streamCb(s, r, "connect");
    boolean read = r.nextBoolean();
    ReadCallback rcb = fuzz.readCb(s, r);
    fuzz.log("tcp connect " + (t == null ? "new" : fuzz.n(t)) + " -> " + to + (read ? " +read" : ""));
    fuzz.api("tcp connect", () -> {
      Tcp c = t;
      if (c == null) {
        if (fuzz.full(s)) {
          return;
        }
        c = new Tcp(loop);
        fuzz.add(s, c, "Tcp");
      }
      if (fuzz.badConnect(c)) {
        return;
      }
      fuzz.connected.add(c);
      Tcp cc = c;
      Once o = fuzz.expect(c.loop(), "tcp connect of " + fuzz.n(c));
      fuzz.tracked(o, () -> cc.connect(to, nulCb ? null : fuzz.once(o, (st, e) -> {
        if (e == null && read) {
          fuzz.api("readStart after connect", () -> st.readStart(rcb));
        }
        cb.done(st, e);
      })));
    });
  }

  /** {@link ApiFuzzer.Op#TCP_OP}. */
  void tcpOp(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Tcp t = fuzz.handle(s, r, Tcp.class);
    int k = r.nextInt(10);
    int v = fuzz.anInt(r);
    Runnable onClose = fuzz.task(t == null ? s : fuzz.slotOf(t.loop(), s), r);
    fuzz.log("tcp " + fuzz.n(t) + " #" + k + " " + v);
    if (t == null) {
      return;
    }
    fuzz.api("tcp op " + k, () -> {
      switch (k) {
        case 0: t.noDelay(r.nextBoolean()); break;
        case 1: t.keepAlive(r.nextBoolean(), v); break;
        case 2: t.simultaneousAccepts(r.nextBoolean()); break;
        case 3: t.localAddress(); break;
        case 4: t.remoteAddress(); break;
        case 5: t.closeReset(onClose); break;
        case 6: t.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)); break;
        case 7: t.bind(r.nextBoolean() ? null : new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 0)); break;
        case 8: t.bind(fuzz.tcpServers.isEmpty() ? null : fuzz.tcpServers.get(0), r.nextBoolean(), r.nextBoolean() && !fuzz.avoid("reuseport")); break;
        case 9:
          if (!fuzz.badListen(t)) {
            fuzz.listened.add(t);
            t.listen(v, fuzz.connectionCb(s, r));
          }
          break;
      }
    });
  }

  /** {@link ApiFuzzer.Op#PIPE_NEW}. */
  void pipeNew(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("new Pipe skipped (full)");
      return;
    }
    boolean ipc = r.nextInt(4) == 0;
    fuzz.log("new Pipe " + L + " ipc=" + ipc);
    fuzz.api("new Pipe", () -> fuzz.add(s, new Pipe(loop, ipc), "Pipe"));
  }

  /** {@link ApiFuzzer.Op#PIPE_SERVER}. */
  void pipeServer(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    if (fuzz.full(s)) {
      fuzz.log("pipe server skipped (full)");
      return;
    }
    String name = fuzz.dir.resolve("s" + fuzz.opIndex + ".sock").toString();
    int backlog = r.nextInt(5) == 0 ? fuzz.anInt(r) : 16;
    StreamCallback cb = fuzz.connectionCb(s, r);
    fuzz.log("pipe server " + L + " " + name + " backlog=" + backlog);
    fuzz.api("pipe server", () -> {
      Pipe p = new Pipe(loop, false);
      fuzz.add(s, p, "Pipe");
      p.bind(name);
      fuzz.listened.add(p);
      p.listen(backlog, cb);
      fuzz.pipeServers.add(name);
    });
  }

  /** {@link ApiFuzzer.Op#PIPE_CONNECT}. */
  void pipeConnect(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Pipe p = r.nextInt(3) == 0 ? null : fuzz.handle(s, r, Pipe.class);
    String to = fuzz.pipeTarget(r);
    StreamCallback cb = fuzz.streamCb(s, r, "pconnect");
    boolean read = r.nextBoolean();
    ReadCallback rcb = fuzz.readCb(s, r);
    fuzz.log("pipe connect " + (p == null ? "new" : fuzz.n(p)) + " -> " + FuzzState.shortPath(to) + (read ? " +read" : ""));
    fuzz.api("pipe connect", () -> {
      Pipe c = p;
      if (c == null) {
        if (fuzz.full(s)) {
          return;
        }
        c = new Pipe(loop, false);
        fuzz.add(s, c, "Pipe");
      }
      if (fuzz.badConnect(c)) {
        return;
      }
      fuzz.connected.add(c);
      Pipe cc = c;
      Once o = fuzz.expect(c.loop(), "pipe connect of " + fuzz.n(c));
      fuzz.tracked(o, () -> cc.connect(to, fuzz.once(o, (st, e) -> {
        if (e == null && read) {
          fuzz.api("readStart after connect", () -> st.readStart(rcb));
        }
        cb.done(st, e);
      })));
    });
  }

  /** {@link ApiFuzzer.Op#PIPE_OP}. */
  void pipeOp(Slot s, Random r) throws Exception {
    Pipe p = fuzz.handle(s, r, Pipe.class);
    int k = r.nextInt(7);
    int v = fuzz.anInt(r);
    String name = r.nextInt(3) == 0 ? fuzz.sunPathEdge(r)
        : r.nextBoolean() ? fuzz.dir.resolve("b" + fuzz.opIndex + ".sock").toString() : fuzz.pipeTarget(r);
    fuzz.log("pipe " + fuzz.n(p) + " #" + k + " " + v + " " + FuzzState.shortPath(name));
    if (p == null) {
      return;
    }
    fuzz.api("pipe op " + k, () -> {
      switch (k) {
        case 0: p.chmod(r.nextBoolean() ? v : 1 + r.nextInt(3)); break;
        case 1: p.pendingInstances(v); break;
        case 2: p.localName(); break;
        case 3: p.peerName(); break;
        case 4: p.bind(name); break;
        case 5:
          if (!fuzz.badListen(p)) {
            fuzz.listened.add(p);
            p.listen(v, fuzz.connectionCb(s, r));
          }
          break;
        default:
          if (!fuzz.badListen(p)) {
            p.bind(name);
            fuzz.listened.add(p);
            p.listen(16, fuzz.connectionCb(s, r));
            fuzz.pipeServers.add(name);
          }
      }
    });
  }

  /** {@link ApiFuzzer.Op#STREAM_READ}. */
  void streamRead(Slot s, Random r) throws Exception {
    Stream st = fuzz.handle(s, r, Stream.class);
    boolean start = r.nextInt(3) != 0;
    boolean nul = r.nextInt(30) == 0;
    ReadCallback cb = fuzz.readCb(s, r);
    fuzz.log((start ? "readStart " : "readStop ") + fuzz.n(st) + (nul ? " null" : ""));
    if (st != null) {
      fuzz.api("read", () -> {
        if (start) {
          st.readStart(nul ? null : cb);
        } else {
          st.readStop();
        }
      });
    }
  }

  /** {@link ApiFuzzer.Op#STREAM_WRITE}. */
  void streamWrite(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Stream st = fuzz.handle(s, r, Stream.class);
    int k = r.nextInt(7);
    ByteBuffer b = fuzz.buffer(s, r);
    ByteBuffer[] bs = k == 4 ? fuzz.buffers(s, r) : null;
    int off = r.nextInt(4) == 0 ? fuzz.anInt(r) : 0;
    int len = r.nextInt(4) == 0 ? fuzz.anInt(r) : 10;
    StreamCallback cb = r.nextInt(30) == 0 ? null : fuzz.streamCb(s, r, "write");
    fuzz.log("write " + fuzz.n(st) + " #" + k + " " + (k == 4 ? FuzzInputs.desc(bs) : FuzzInputs.desc(b)) + " off=" + off + " len=" + len);
    if (st == null) {
      return;
    }
    if (fuzz.avoid("listen-write") && fuzz.listened.contains(st)) {
      return; // found by this fuzzer: bind(reusePort) + listen + write asserts in libuv
    }
    fuzz.api("write " + k, () -> {
      if (st.writeQueueSize() > FuzzState.WRITE_QUEUE_CAP) {
        return;
      }
      switch (k) {
        case 0: st.write(b); break;
        case 1: {
          Once o = fuzz.expect(st.loop(), "write(buf, cb) on " + fuzz.n(st));
          fuzz.tracked(o, () -> st.write(b, fuzz.once(o, cb)));
          break;
        }
        case 2: st.write(b == null ? null : new byte[b.remaining()]); break;
        case 3: {
          Once o = fuzz.expect(st.loop(), "write(array, off, len, cb) on " + fuzz.n(st));
          fuzz.tracked(o, () -> st.write(new byte[Math.max(0, Math.min(len, 100000))], off, len, fuzz.once(o, cb)));
          break;
        }
        case 4: {
          Once o = fuzz.expect(st.loop(), "write(bufs, cb) on " + fuzz.n(st));
          fuzz.tracked(o, () -> st.write(bs, fuzz.once(o, cb)));
          break;
        }
        case 5: st.tryWrite(b); break;
        default: {
          Once o1 = fuzz.expect(st.loop(), "write(dup, cb) on " + fuzz.n(st));
          fuzz.tracked(o1, () -> st.write(b == null ? null : b.duplicate(), fuzz.once(o1, cb)));
          Once o2 = fuzz.expect(st.loop(), "write(buf, cb) again on " + fuzz.n(st));
          fuzz.tracked(o2, () -> st.write(b, fuzz.once(o2, cb)));
          break;
        }
      }
    });
  }

  /** {@link ApiFuzzer.Op#STREAM_OP}. */
  void streamOp(Slot s, Random r) throws Exception {
    Loop loop = s.loop;
    Stream st = fuzz.handle(s, r, Stream.class);
    Stream other = fuzz.handle(s, r, Stream.class);
    int k = r.nextInt(11);
    int v = r.nextBoolean() ? fuzz.anInt(r) : 65536;
    StreamCallback cb = r.nextInt(30) == 0 ? null : fuzz.streamCb(s, r, "shutdown");
    fuzz.log("stream " + fuzz.n(st) + " #" + k + " " + v + " other=" + fuzz.n(other));
    if (st == null) {
      return;
    }
    fuzz.api("stream op " + k, () -> {
      switch (k) {
        case 0:
          if (!(fuzz.avoid("listen-write") && fuzz.listened.contains(st))) {
            Once o = fuzz.expect(st.loop(), "shutdown of " + fuzz.n(st));
            fuzz.tracked(o, () -> st.shutdown(fuzz.once(o, cb)));
          }
          break;
        case 1: st.isReadable(); st.isWritable(); break;
        case 2: st.writeQueueSize(); break;
        case 3: st.fileno(); break;
        case 4: st.sendBufferSize(v); break;
        case 5: st.recvBufferSize(v); break;
        case 6:
          if (!fuzz.badListen(st)) {
            fuzz.listened.add(st);
            st.listen(v, fuzz.connectionCb(s, r));
          }
          break;
        case 7:
          if (!(fuzz.avoid("accept-loop") && other != null && other.loop() != st.loop())) {
            st.accept(other);
          }
          break;
        case 8: st.accept(null); break;
        default: st.toString(); st.isActive(); break;
      }
    });
  }

  /** {@link ApiFuzzer.Op#STREAM_OPEN_FD}. */
  void streamOpenFd(Slot s, Random r) throws Exception {
    boolean tcp = r.nextBoolean();
    Stream h = tcp ? fuzz.handle(s, r, Tcp.class) : fuzz.handle(s, r, Pipe.class);
    boolean dn = r.nextInt(3) == 0;
    int picked = fuzz.fd(r);
    fuzz.log((tcp ? "Tcp.open " : "Pipe.open ") + fuzz.n(h) + (dn ? " of a new /dev/null fd" : " fd=" + picked));
    if (h == null || fuzz.avoid("open-fd")) {
      return;
    }
    int fd = dn ? fuzz.fsOps.devNull() : picked;
    AtomicInteger busy = fuzz.fds.get(fd);
    if (busy != null && busy.get() > 0) {
      return; // an fs operation in flight on it: do not hand it over
    }
    // Tcp.open takes a long: a value beyond int must be refused, not truncated to a small fd
    // (only ever our own fd + 2^32 here, never 2^32+1: that would be stdout).
    boolean wide = tcp && dn && fd >= 0 && r.nextInt(3) == 0;
    boolean adopted = fuzz.api("open fd", () -> {
      if (wide) {
        ((Tcp) h).open((1L << 32) + fd);
        fuzz.violation("Tcp.open(2^32 + " + fd + ") accepted: the descriptor was truncated to " + fd);
      } else if (tcp) {
        ((Tcp) h).open(fd);
      } else {
        ((Pipe) h).open(fd);
      }
    });
    if (adopted) {
      fuzz.forgetFd(fd); // the handle owns it now
    } else if (dn && fd >= 0) {
      fuzz.api("close /dev/null fd", () -> Fs.closeSync(fd));
    }
  }
}
