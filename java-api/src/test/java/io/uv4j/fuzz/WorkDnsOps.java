package io.uv4j.fuzz;

import io.uv4j.Dns;
import io.uv4j.Loop;
import io.uv4j.Request;
import io.uv4j.Uv;
import io.uv4j.fuzz.FuzzInputs.Behavior;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The fuzzer's thread-pool operations: queued work, request cancellation, DNS lookups
 * (getaddrinfo, getnameinfo) and asynchronous random bytes.
 */
final class WorkDnsOps {
  private final ApiFuzzer fuzz;

  WorkDnsOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
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
        : new Dns.Hints(Dns.Family.values()[r.nextInt(3)], r.nextInt(3) == 0 ? fuzz.anInt(r) : 0,
            r.nextInt(3) == 0 ? fuzz.anInt(r) : 0, Dns.AI_NUMERICHOST | (r.nextInt(3) == 0 ? fuzz.anInt(r) & 0x7ff : 0));
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
    int flags = Dns.NI_NUMERICHOST | (r.nextInt(3) == 0 ? fuzz.anInt(r) & 0xff : 0);
    fuzz.log("dns #" + k + " form=" + form + " " + FuzzState.shortPath(h) + " " + service + " " + hints + " addr=" + a + " flags=" + flags);
    Dns dns = s.dns;
    if (k < 5) {
      fuzz.api("getaddrinfo", () -> {
        if (form == 0) {
          Dns.getaddrinfoSync(h, service, hints);
        } else if (form == 1) {
          Once o = fuzz.expect(s, "getaddrinfo callback");
          fuzz.tracked(o, () -> s.requests.add(dns.getaddrinfo(h, service, hints, (v, e) -> o.fire())));
          fuzz.trimRequests(s);
        } else {
          Once o = fuzz.expect(s, "getaddrinfo future");
          fuzz.tracked(o, () -> dns.getaddrinfo(h, service, hints).whenComplete((v, e) -> o.fire()));
        }
      });
    } else {
      fuzz.api("getnameinfo", () -> {
        if (form == 0) {
          Dns.getnameinfoSync(a, flags);
        } else if (form == 1) {
          Once o = fuzz.expect(s, "getnameinfo callback");
          fuzz.tracked(o, () -> s.requests.add(dns.getnameinfo(a, flags, (v, e) -> o.fire())));
          fuzz.trimRequests(s);
        } else {
          Once o = fuzz.expect(s, "getnameinfo future");
          fuzz.tracked(o, () -> dns.getnameinfo(a, flags).whenComplete((v, e) -> o.fire()));
        }
      });
    }
  }

  void randomAsync(Slot s, Random r) {
    int k = r.nextInt(5);
    ByteBuffer b = r.nextInt(15) == 0 ? null : fuzz.buffer(s, r);
    int n = r.nextInt(6) == 0 ? -1 : r.nextInt(5000);
    Behavior cbB = fuzz.new Behavior(s, r);
    boolean cancel = r.nextInt(3) == 0;
    Once o = fuzz.expect(s, "random #" + k);
    fuzz.log("random async " + s.name + " #" + k + " buf=" + FuzzInputs.desc(b) + " n=" + n + (cancel ? " cancel" : ""));
    fuzz.api("random async " + k, () -> fuzz.tracked(o, () -> {
      if (k <= 2) {
        io.uv4j.RandomRequest q = Uv.randomFill(r.nextInt(20) == 0 ? null : s.loop, b, e -> {
          o.fire();
          fuzz.randomsDone.incrementAndGet();
          fuzz.inCallback("random" + (e != null ? "(" + e + ")" : ""), cbB, null);
        });
        s.requests.add(q);
        fuzz.trimRequests(s);
        if (cancel) {
          fuzz.api("random cancel", () -> {
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

  /** {@link ApiFuzzer.Op#WORK}. */
  void work(Slot s, Random r) throws Exception {
    String L = s.name;
    Loop loop = s.loop;
    int k = r.nextInt(6);
    int workKind = r.nextInt(6);
    Runnable work = () -> {
      switch (workKind) {
        case 0: break;
        case 1: throw new Documented.FuzzException("work");
        case 2: FuzzState.sleep(1 + (int) (Thread.currentThread().getId() % 3)); break;
        case 3: fuzz.api("work execute", () -> loop.execute(() -> { })); break;
        case 4: Thread.onSpinWait(); break;
        default: FuzzInputs.sneaky(new Documented.FuzzError("work error"));
      }
    };
    Consumer<Throwable> after0 = fuzz.consumer(s, r, "after");
    Once o = fuzz.expect(s, "queueWork form " + k + " on " + L);
    Consumer<Throwable> after = e -> {
      o.fire();
      after0.accept(e);
    };
    fuzz.log("queueWork " + L + " form=" + k + " work=" + workKind);
    fuzz.api("queueWork", () -> fuzz.tracked(o, () -> {
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
        fuzz.trimRequests(s);
      }
    }));
  }

  /** {@link ApiFuzzer.Op#REQUEST_CANCEL}. */
  void requestCancel(Slot s, Random r) throws Exception {
    String L = s.name;
    if (s.requests.isEmpty()) {
      fuzz.log("cancel " + L + " (no request)");
      return;
    }
    Request q = s.requests.get(r.nextInt(s.requests.size()));
    fuzz.log("cancel " + q + " of " + L);
    fuzz.api("cancel", () -> {
      q.cancel();
      q.isDone();
    });
  }
}
