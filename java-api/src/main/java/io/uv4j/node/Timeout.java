package io.uv4j.node;

/**
 * What {@link NodeRuntime#setTimeout} and {@link NodeRuntime#setInterval} return: Node's
 * {@code Timeout}, with {@code ref}, {@code unref}, {@code hasRef}, {@code refresh} and
 * {@code close}.
 *
 * <pre>{@code
 * Timeout t = node.setInterval(() -> System.out.println("tick"), 100);
 * t.unref();   // does not keep the process (the loop) alive on its own
 * }</pre>
 */
public final class Timeout {
  final NodeRuntime runtime;
  Runnable onTimeout;
  /** The list's duration in ms; -1 once cleared (Node: _idleTimeout). */
  long idleTimeout;
  /** Repeat for intervals, 0 for timeouts (Node: _repeat). */
  long repeat;
  /** When it was (re)inserted, in runtime ms (Node: _idleStart). */
  long idleStart;
  boolean refed = true;
  boolean destroyed;
  // Membership of its TimersList (Node: _idlePrev/_idleNext).
  Timeout prev;
  Timeout next;
  Timers.TimersList list;

  Timeout(NodeRuntime runtime, Runnable onTimeout, long after, boolean repeat) {
    this.runtime = runtime;
    this.onTimeout = onTimeout;
    this.idleTimeout = after;
    this.repeat = repeat ? after : 0;
  }

  /** Keeps the runtime alive while pending (the default). */
  public Timeout ref() {
    runtime.checkThread();
    if (!refed) {
      refed = true;
      if (!destroyed) {
        runtime.timers.incRefCount();
      }
    }
    return this;
  }

  /** Lets the runtime end while this timer is pending. */
  public Timeout unref() {
    runtime.checkThread();
    if (refed) {
      refed = false;
      if (!destroyed) {
        runtime.timers.decRefCount();
      }
    }
    return this;
  }

  public boolean hasRef() {
    return refed;
  }

  /** Restarts the countdown from now, with the same duration and callback. */
  public Timeout refresh() {
    runtime.checkThread();
    if (refed) {
      runtime.timers.active(this);
    } else {
      runtime.timers.unrefActive(this);
    }
    return this;
  }

  /** Same as {@code clearTimeout(this)}. */
  public void close() {
    runtime.clearTimeout(this);
  }
}
