package io.uv4j.fuzz;

import io.uv4j.UvException;
import io.uv4j.fuzz.FuzzInputs.Behavior;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * The fuzzer's UDP operations: sockets bound among themselves on 127.0.0.1, sends (with and
 * without callbacks), receives, options and multicast calls with odd arguments.
 */
final class UdpOps {
  private final ApiFuzzer fuzz;

  UdpOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
  }

  InetSocketAddress udpTarget(Random r) throws Exception {
    int k = r.nextInt(10);
    if (k < 6 && !fuzz.udpAddrs.isEmpty()) {
      return fuzz.udpAddrs.get(r.nextInt(fuzz.udpAddrs.size()));
    }
    switch (k) {
      case 6: return null;
      case 7: return InetSocketAddress.createUnresolved("localhost", 9);
      case 8: return new InetSocketAddress(InetAddress.getByName("::1"), 9);
      default: return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), r.nextBoolean() ? 0 : 9);
    }
  }

  io.uv4j.UdpRecvCallback udpRecv(Slot s, Random r) {
    Behavior data = fuzz.new Behavior(s, r);
    Behavior err = fuzz.new Behavior(s, r);
    boolean closeOnError = r.nextBoolean();
    return new io.uv4j.UdpRecvCallback() {
      @Override
      public void onDatagram(io.uv4j.Udp udp, ByteBuffer d, io.uv4j.UdpAddress from, boolean partial) {
        fuzz.checkOpen(udp, "udp recv");
        fuzz.udpDatagrams.incrementAndGet();
        if (from != null) {
          from.toString();
          from.toInetSocketAddress();
          from.port();
        }
        fuzz.inCallback("udp recv", data, udp);
      }

      @Override
      public void onError(io.uv4j.Udp udp, UvException e) {
        fuzz.checkOpen(udp, "udp recv error");
        if (closeOnError) {
          io.uv4j.UdpRecvCallback.super.onError(udp, e);
        }
        fuzz.inCallback("udp recv error", err, udp);
      }
    };
  }

  void udpNew(Slot s, Random r) {
    if (fuzz.full(s)) {
      fuzz.log("new Udp skipped (full)");
      return;
    }
    int k = r.nextInt(8);
    boolean bind = r.nextInt(4) != 0;
    fuzz.log("new Udp " + s.name + " #" + k + (bind ? " bind" : ""));
    fuzz.api("new Udp", () -> {
      io.uv4j.Udp u;
      switch (k) {
        case 0: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.INET6); break;
        case 1: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.UNIX); break;
        case 2: u = new io.uv4j.Udp(s.loop, StandardProtocolFamily.INET, r.nextBoolean()); break;
        case 3: u = new io.uv4j.Udp(null); break;
        default: u = new io.uv4j.Udp(s.loop);
      }
      fuzz.add(s, u, "U");
      if (bind) {
        int flags = r.nextInt(5) == 0 ? fuzz.anInt(r) : r.nextInt(4) == 0 ? io.uv4j.Udp.REUSEADDR : 0;
        u.bind(new InetSocketAddress(InetAddress.getByName(k == 0 ? "::1" : "127.0.0.1"), 0), flags);
        fuzz.udpAddrs.add(u.localAddress());
        if (r.nextBoolean()) {
          u.recvStart(udpRecv(s, r)); // a receiver for the others' traffic
          Once o = fuzz.expect(s, "udp self-send");
          fuzz.tracked(o, () -> u.send(ByteBuffer.wrap(new byte[1 + r.nextInt(1400)]), u.localAddress(), (x, e) -> {
            o.fire();
            fuzz.udpSends.incrementAndGet();
          })); // one datagram to itself: traffic even when no other socket is left
        }
        if (fuzz.udpAddrs.size() > 16) {
          fuzz.udpAddrs.remove(0);
        }
      }
    });
  }

  void udpOp(Slot s, Random r) throws Exception {
    io.uv4j.Udp u = fuzz.handle(s, r, io.uv4j.Udp.class);
    int k = r.nextInt(24);
    InetSocketAddress to = udpTarget(r);
    ByteBuffer b = r.nextInt(20) == 0 ? null : fuzz.buffer(s, r);
    int v = fuzz.anInt(r);
    Behavior sb = fuzz.new Behavior(s, r);
    Once o = fuzz.expect(s, "udp send #" + k);
    o.due.set(0);
    io.uv4j.UdpSendCallback cb = r.nextInt(25) == 0 ? null : (x, e) -> {
      o.fire();
      fuzz.udpSends.incrementAndGet();
      fuzz.inCallback("udp send" + (e != null ? "(" + e.errorName() + ")" : ""), sb, x);
    };
    io.uv4j.UdpRecvCallback rcb = r.nextInt(25) == 0 ? null : udpRecv(s, r);
    fuzz.log("udp " + fuzz.n(u) + " #" + k + " to=" + to + " buf=" + FuzzInputs.desc(b) + " v=" + v);
    if (u == null) {
      return;
    }
    fuzz.api("udp op " + k, () -> {
      switch (k) {
        case 0: case 1: case 2:
          if (b != null && b.remaining() > 65000) {
            b.limit(b.position() + 1000); // keep datagrams sendable; oversized ones below
          }
          due(o, cb);
          fuzz.tracked(o, () -> u.send(b, to, cb));
          break;
        case 3: due(o, cb); fuzz.tracked(o, () -> u.send(b, cb)); break;
        case 4: due(o, cb); fuzz.tracked(o, () -> u.send(fuzz.buffers(s, r), to, cb)); break;
        case 5: {
          byte[] a = new byte[1 + r.nextInt(100)];
          int off = r.nextInt(4) == 0 ? v : r.nextInt(a.length);
          int len = r.nextInt(4) == 0 ? fuzz.anInt(r) : r.nextInt(a.length + 1);
          due(o, cb);
          fuzz.tracked(o, () -> u.send(a, off, len, to, cb));
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
        case 19: u.sendBufferSize(v); u.recvBufferSize(fuzz.anInt(r)); break;
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
          int fd = fuzz.fd(r);
          if (!fuzz.fds.containsKey(fd) || (fuzz.fds.get(fd).get() == 0 && !fuzz.avoid("open-fd"))) {
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
}
