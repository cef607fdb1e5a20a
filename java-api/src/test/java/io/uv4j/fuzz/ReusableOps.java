package io.uv4j.fuzz;

import io.uv4j.FsCallback;
import io.uv4j.Stat;
import io.uv4j.StatRequest;
import io.uv4j.WorkRequest;
import io.uv4j.fuzz.FuzzState.Once;
import io.uv4j.fuzz.FuzzState.Slot;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The fuzzer's reusable requests: {@code Loop.workRequest} queued again with
 * {@code WorkRequest.queue()}, and {@link StatRequest} (stat, lstat, fstat), each submitted while
 * idle or still in flight, from the fuzzer's thread whether or not it is the loop's, with hostile
 * paths and descriptors; cancelled through {@code REQUEST_CANCEL} (they join the loop's requests).
 * Every accepted submission must call back exactly once ({@link Once}).
 */
final class ReusableOps {
  /** A reusable WorkRequest and the completion its run in flight owes. */
  static final class ReusedWork {
    WorkRequest req;
    volatile Once pending;
  }

  private final ApiFuzzer fuzz;
  private final Map<Slot, List<ReusedWork>> work = new IdentityHashMap<>();
  private final Map<Slot, List<StatRequest>> stats = new IdentityHashMap<>();

  ReusableOps(ApiFuzzer fuzz) {
    this.fuzz = fuzz;
  }

  /** {@link ApiFuzzer.Op#REUSABLE}. */
  void reusable(Slot s, Random r) throws Exception {
    int k = r.nextInt(6);
    if (k <= 1) {
      reuseWork(s, r, k == 0);
    } else {
      reuseStat(s, r, k);
    }
  }

  private void reuseWork(Slot s, Random r, boolean fresh) {
    List<ReusedWork> mine = work.computeIfAbsent(s, x -> new ArrayList<>());
    if (fresh || mine.isEmpty()) {
      if (mine.size() >= 4) {
        mine.remove(0);
      }
      ReusedWork h = new ReusedWork();
      int workKind = r.nextInt(3);
      Consumer<Throwable> after0 = fuzz.consumer(s, r, "reused after");
      fuzz.log("workRequest " + s.name + " work=" + workKind);
      boolean made = fuzz.api("workRequest", () -> {
        h.req = s.loop.workRequest(() -> {
          if (workKind == 1) {
            throw new Documented.FuzzException("reused work");
          } else if (workKind == 2) {
            FuzzState.sleep(1);
          }
        }, e -> {
          Once o = h.pending;
          h.pending = null;
          if (o == null) {
            fuzz.violation("a reused WorkRequest's after-callback with no queue() in flight");
          } else {
            o.fire();
          }
          after0.accept(e);
        });
      });
      if (!made) {
        return;
      }
      mine.add(h);
      s.requests.add(h.req);
      fuzz.trimRequests(s);
    }
    ReusedWork h = mine.get(r.nextInt(mine.size()));
    Once o = fuzz.expect(s, "WorkRequest.queue on " + s.name);
    fuzz.log("queue " + h.req + " of " + s.name);
    fuzz.api("WorkRequest.queue", () -> fuzz.tracked(o, () -> {
      Once before = h.pending;
      h.req.queue();
      if (before != null) {
        fuzz.violation("queue() accepted while a run was still in flight");
      }
      h.pending = o; // only the loop thread calls back, and this thread is (or made) it
    }));
  }

  private void reuseStat(Slot s, Random r, int k) {
    List<StatRequest> mine = stats.computeIfAbsent(s, x -> new ArrayList<>());
    if (mine.isEmpty() || r.nextInt(4) == 0) {
      if (mine.size() >= 4) {
        mine.remove(0);
      }
      StatRequest q = new StatRequest(s.fs);
      mine.add(q);
      s.requests.add(q);
      fuzz.trimRequests(s);
    }
    StatRequest q = mine.get(r.nextInt(mine.size()));
    String path = r.nextBoolean() ? fuzz.readPath(r) : fuzz.path(r);
    int fd = fuzz.fd(r);
    boolean nullCb = r.nextInt(20) == 0;
    Once o = fuzz.expect(s, "StatRequest #" + k + " on " + s.name);
    FsCallback<Stat> cb = nullCb ? null : (st, e) -> {
      o.fire();
      if ((st == null) == (e == null)) {
        fuzz.violation("StatRequest callback with stat " + st + " and error " + e);
      } else if (st != null && st.copy().mode() != st.mode()) {
        fuzz.violation("Stat.copy differs from its source");
      }
    };
    fuzz.log("StatRequest #" + k + " " + s.name + " " + FuzzState.shortPath(path) + " fd=" + fd
        + (nullCb ? " null-cb" : ""));
    fuzz.api("StatRequest", () -> fuzz.tracked(o, () -> {
      switch (k) {
        case 2: q.stat(path, cb); break;
        case 3: q.lstat(path, cb); break;
        case 4: q.fstat(fd, cb); break;
        default: q.stat(path, cb); q.isDone(); break;
      }
    }));
  }
}
