package io.uv4j.node;

import io.uv4j.Check;
import io.uv4j.Idle;

/**
 * Node's immediates for one {@link NodeRuntime}: a check handle runs the queue after the poll
 * phase (Environment::CheckImmediate, processImmediate), an idle handle keeps the poll from
 * blocking while referenced immediates wait.
 */
final class Immediates {
  private final NodeRuntime rt;
  private final Check immediateCheck;
  private final Idle immediateIdle;
  private final ImmediateList immediateQueue = new ImmediateList();
  private final ImmediateList outstandingQueue = new ImmediateList();
  private int immediateCount;
  private int immediateRefCount;
  private boolean hasOutstanding;

  Immediates(NodeRuntime rt) {
    this.rt = rt;
    this.immediateCheck = new Check(rt.loop());
    this.immediateCheck.unref();
    this.immediateCheck.start(c -> checkImmediate());
    this.immediateIdle = new Idle(rt.loop());
  }

  void close() {
    immediateCheck.close();
    immediateIdle.close();
  }

  /** setImmediate(callback). */
  Immediate add(Runnable callback) {
    Immediate im = new Immediate(rt, callback);
    immediateRef();
    immediateCount++;
    immediateQueue.append(im);
    return im;
  }

  /** clearImmediate(im): null and already-run immediates are ignored. */
  void clear(Immediate im) {
    if (im == null || im.destroyed) {
      return;
    }
    immediateCount--;
    im.destroyed = true;
    if (im.refed && --immediateRefCount == 0) {
      immediateIdle.stop();
    }
    im.refed = false;
    im.onImmediate = null;
    // Like Node: unlinks it from whichever list holds it (head/tail of the pending queue only).
    immediateQueue.remove(im);
  }

  void immediateRef() {
    if (immediateRefCount++ == 0) {
      immediateIdle.start(i -> { }); // keeps the poll from blocking, and the loop alive
    }
  }

  void immediateUnref() {
    if (--immediateRefCount == 0) {
      immediateIdle.stop();
    }
  }

  /** Node's Environment::CheckImmediate, in the check phase. */
  private void checkImmediate() {
    if (rt.isExiting() || immediateCount == 0) {
      return;
    }
    do {
      // MakeCallback(processImmediate): a throw fails the callback scope, so no ticks run at
      // its close; hasOutstanding stays set and the next immediate runs first, in the next turn.
      boolean failed = false;
      try {
        processImmediate();
      } catch (Throwable t) {
        failed = true;
        rt.handleUncaught(t);
      }
      if (!failed) {
        rt.queues.tickAfterCallback();
      }
    } while (hasOutstanding && !rt.isExiting());
    if (immediateRefCount == 0) {
      immediateIdle.stop();
    }
  }

  /** Node's processImmediate() (lib/internal/timers.js). */
  private void processImmediate() {
    ImmediateList queue = outstandingQueue.head != null ? outstandingQueue : immediateQueue;
    Immediate immediate = queue.head;
    // Immediates added while these run go to the next iteration.
    if (queue != outstandingQueue) {
      queue.head = queue.tail = null;
      hasOutstanding = true;
    }
    Immediate prevImmediate = null;
    boolean ranAtLeastOneImmediate = false;
    while (immediate != null) {
      if (ranAtLeastOneImmediate) {
        rt.queues.runNextTicks();
      } else {
        ranAtLeastOneImmediate = true;
      }
      if (immediate.destroyed) {
        // Cleared by a tick above: go on from the last one that ran.
        immediate = prevImmediate != null ? prevImmediate.next : immediate.next;
        outstandingQueue.head = immediate;
        continue;
      }
      immediate.destroyed = true;
      immediateCount--;
      if (immediate.refed) {
        immediateRefCount--;
      }
      immediate.refed = false;
      prevImmediate = immediate;
      try {
        immediate.onImmediate.run();
      } finally {
        immediate.onImmediate = null;
        immediate = immediate.next;
        outstandingQueue.head = immediate;
      }
    }
    if (queue == outstandingQueue) {
      outstandingQueue.head = null;
    }
    hasOutstanding = false;
  }

  /** A linked list of immediates (Node: ImmediateList). */
  static final class ImmediateList {
    Immediate head;
    Immediate tail;

    void append(Immediate im) {
      if (tail != null) {
        tail.next = im;
        im.prev = tail;
      } else {
        head = im;
      }
      tail = im;
    }

    void remove(Immediate im) {
      if (im.next != null) {
        im.next.prev = im.prev;
      }
      if (im.prev != null) {
        im.prev.next = im.next;
      }
      if (im == head) {
        head = im.next;
      }
      if (im == tail) {
        tail = im.prev;
      }
      im.next = im.prev = null;
    }

    boolean contains(Immediate im) {
      for (Immediate i = head; i != null; i = i.next) {
        if (i == im) {
          return true;
        }
      }
      return false;
    }
  }
}
