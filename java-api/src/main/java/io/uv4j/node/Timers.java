package io.uv4j.node;

import io.uv4j.Timer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Node's timers (lib/internal/timers.js) for one {@link NodeRuntime}: one libuv timer for all of
 * them, lists of timers per duration ordered by expiry, ticks between lists and between timers.
 */
final class Timers {
  private final NodeRuntime rt;
  private final Timer timerHandle;
  private final Map<Long, TimersList> timerListMap = new HashMap<>();
  private final PriorityQueue<TimersList> timerListQueue = new PriorityQueue<>(
      (a, b) -> a.expiry != b.expiry ? Long.compare(a.expiry, b.expiry) : Long.compare(a.id, b.id));
  private long timerListId;
  private long nextExpiry = Long.MAX_VALUE;
  private int timerRefCount;

  Timers(NodeRuntime rt) {
    this.rt = rt;
    this.timerHandle = new Timer(rt.loop());
    this.timerHandle.unref(); // ref'd only while ref'd timers exist
  }

  void close() {
    timerHandle.close();
  }

  /** clearTimeout/clearInterval. */
  void clear(Timeout timer) {
    if (timer != null && timer.onTimeout != null) {
      timer.onTimeout = null;
      unenroll(timer);
    }
  }

  Timeout newTimeout(Runnable callback, double delayMs, boolean repeat) {
    Objects.requireNonNull(callback, "callback");
    rt.checkThread();
    double after = delayMs;
    if (!(after >= 1 && after <= NodeRuntime.TIMEOUT_MAX)) {
      if (after > NodeRuntime.TIMEOUT_MAX) {
        // Node's Timeout constructor warns (on the next tick, as every process warning).
        rt.emitWarning(jsNumber(after) + " does not fit into a 32-bit signed integer."
            + "\nTimeout duration was set to 1.", "TimeoutOverflowWarning", null);
      }
      after = 1;
    }
    Timeout t = new Timeout(rt, callback, (long) after, repeat);
    incRefCount();
    insert(t, t.idleTimeout, rt.now());
    return t;
  }

  /** A list of timers of one duration, in insertion order (Node: TimersList). */
  static final class TimersList {
    final long msecs;
    long expiry;
    long id;
    Timeout head;
    Timeout tail;

    TimersList(long expiry, long msecs, long id) {
      this.expiry = expiry;
      this.msecs = msecs;
      this.id = id;
    }

    void append(Timeout t) {
      t.list = this;
      t.prev = tail;
      t.next = null;
      if (tail != null) {
        tail.next = t;
      } else {
        head = t;
      }
      tail = t;
    }

    void remove(Timeout t) {
      if (t.list != this) {
        return;
      }
      if (t.prev != null) {
        t.prev.next = t.next;
      } else {
        head = t.next;
      }
      if (t.next != null) {
        t.next.prev = t.prev;
      } else {
        tail = t.prev;
      }
      t.prev = t.next = null;
      t.list = null;
    }
  }

  /** Node's insert(): into the list of its duration, creating and scheduling one if needed. */
  private void insert(Timeout item, long msecs, long start) {
    item.idleStart = start;
    TimersList list = timerListMap.get(msecs);
    if (list == null) {
      long expiry = start + msecs;
      list = new TimersList(expiry, msecs, timerListId++);
      timerListMap.put(msecs, list);
      timerListQueue.add(list);
      if (nextExpiry > expiry) {
        scheduleTimer(msecs);
        nextExpiry = expiry;
      }
    }
    list.append(item);
  }

  private void unenroll(Timeout item) {
    if (item.destroyed) {
      return;
    }
    item.destroyed = true;
    TimersList list = item.list;
    if (list != null) {
      list.remove(item);
      if (list.head == null && timerListMap.get(list.msecs) == list) {
        timerListQueue.remove(list);
        timerListMap.remove(list.msecs);
      }
    }
    if (item.refed) {
      decRefCount();
    }
    item.idleTimeout = -1;
  }

  /** Timeout.refresh() on a ref'd timer (Node: active). */
  void active(Timeout t) {
    reinsert(t);
  }

  /** Timeout.refresh() on an unref'd timer (Node: unrefActive). */
  void unrefActive(Timeout t) {
    reinsert(t);
  }

  /**
   * Node's insertGuarded(): back into its list from now. A timeout that already fired (or was
   * never cleared) is re-armed, counting its ref again; a cleared one (idleTimeout -1) is not.
   */
  private void reinsert(Timeout t) {
    if (t.idleTimeout < 0) {
      return;
    }
    TimersList list = t.list;
    if (list != null) {
      list.remove(t);
    }
    insert(t, t.idleTimeout, rt.now());
    if (t.destroyed) {
      t.destroyed = false;
      if (t.refed) {
        incRefCount();
      }
    }
  }

  void incRefCount() {
    if (timerRefCount++ == 0) {
      timerHandle.ref();
    }
  }

  void decRefCount() {
    if (--timerRefCount == 0) {
      timerHandle.unref();
    }
  }

  private void scheduleTimer(long durationMs) {
    timerHandle.start(durationMs, 0, t -> runTimers());
  }

  /** Node's Environment::RunTimers: the one libuv timer fired. */
  private void runTimers() {
    if (rt.isExiting()) {
      return;
    }
    long now = rt.now();
    long ret = 0;
    // Like Node, a throwing timer does not stop its same-due siblings: processTimers resumes
    // after the uncaught-exception handling, with the same `now`.
    while (true) {
      try {
        ret = processTimers(now);
        break;
      } catch (Throwable t) {
        rt.handleUncaught(t);
        if (rt.isExiting()) {
          return;
        }
      }
    }
    if (ret != 0) {
      long duration = Math.abs(ret) - (rt.loop().now() - rt.timerBase);
      timerHandle.start(duration > 0 ? duration : 1, 0, t -> runTimers());
      if (ret > 0) {
        timerHandle.ref();
      } else {
        timerHandle.unref();
      }
    } else {
      timerHandle.unref();
    }
    // The callback scope closes after the rescheduling: ticks may schedule earlier timers.
    rt.queues.tickAfterCallback();
  }

  private long processTimers(long now) {
    nextExpiry = Long.MAX_VALUE;
    boolean ranAtLeastOneList = false;
    TimersList list;
    while ((list = timerListQueue.peek()) != null) {
      if (list.expiry > now) {
        nextExpiry = list.expiry;
        return timerRefCount > 0 ? nextExpiry : -nextExpiry;
      }
      if (ranAtLeastOneList) {
        rt.queues.runNextTicks();
      } else {
        ranAtLeastOneList = true;
      }
      listOnTimeout(list, now);
    }
    return 0;
  }

  private void listOnTimeout(TimersList list, long now) {
    long msecs = list.msecs;
    boolean ranAtLeastOneTimer = false;
    Timeout timer;
    while ((timer = list.head) != null) {
      long diff = now - timer.idleStart;
      if (diff < msecs) {
        // Too early for the rest of this list: move it to its next expiry.
        timerListQueue.remove(list);
        list.expiry = Math.max(timer.idleStart + msecs, now + 1);
        list.id = timerListId++;
        timerListQueue.add(list);
        return;
      }
      if (ranAtLeastOneTimer) {
        rt.queues.runNextTicks();
      } else {
        ranAtLeastOneTimer = true;
      }
      list.remove(timer);
      if (timer.onTimeout == null) {
        if (!timer.destroyed) {
          timer.destroyed = true;
          if (timer.refed) {
            timerRefCount--;
          }
        }
        continue;
      }
      long start = timer.repeat != 0 ? rt.now() : 0;
      try {
        timer.onTimeout.run();
      } finally {
        if (timer.repeat != 0 && timer.idleTimeout != -1) {
          timer.idleTimeout = timer.repeat;
          insert(timer, timer.idleTimeout, start);
        } else if (timer.list == null && !timer.destroyed) {
          // Like Node, the callback stays: refresh() may re-arm a fired timeout.
          timer.destroyed = true;
          if (timer.refed) {
            timerRefCount--;
          }
        }
      }
    }
    if (timerListMap.get(msecs) == list) {
      timerListMap.remove(msecs);
      timerListQueue.remove(list);
    }
  }

  /** A number as JavaScript prints it, for the integral values and infinities a delay may have. */
  static String jsNumber(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }
}
