package io.uv4j.node;

import io.uv4j.FsPoll;
import io.uv4j.Stat;

/**
 * {@code fs.StatWatcher}: what {@link NodeFs#watchFile} returns, an {@link EventEmitter} on a
 * core {@link FsPoll} handle. It emits {@code 'change'} (curr, prev) whenever a poll's
 * {@link Stat} differs from the previous one (all-zero stats while the path does not exist:
 * the first poll of a missing path reports zeros for both), and {@code 'stop'} on the tick after
 * the last {@link NodeFs#unwatchFile} of its path.
 *
 * <pre>{@code
 * fs.watchFile("app.log", false, 1000, (curr, prev) ->
 *     System.out.println(prev.size() + " -> " + curr.size()));
 * // later
 * fs.unwatchFile("app.log");
 * }</pre>
 */
public final class StatWatcher extends EventEmitter {
  /** A 'change' listener. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param curr the status now (all zeros if the path cannot be stat'ed)
     * @param prev the status before (all zeros if it could not be stat'ed)
     */
    void onChange(Stat curr, Stat prev);
  }

  private final NodeRuntime node;
  private FsPoll handle;

  StatWatcher(NodeRuntime node) {
    this.node = node;
  }

  void start(String filename, boolean persistent, long interval) {
    FsPoll h = new FsPoll(node.loop());
    try {
      h.start(filename, interval, (p, error, prev, curr) -> node.makeCallback(() -> {
        if (handle != null) {
          emit("change", curr, prev);
        }
      }));
    } catch (RuntimeException e) {
      h.close();
      throw e;
    }
    if (!persistent) {
      h.unref();
    }
    handle = h;
  }

  void addListener(Listener listener) {
    addTyped("change", listener, args -> listener.onChange((Stat) args[0], (Stat) args[1]));
  }

  /** Stops polling; 'stop' follows on the next tick. Stopping again does nothing. */
  void stop() {
    if (handle == null) {
      return;
    }
    handle.close();
    handle = null;
    node.nextTick(() -> emit("stop"));
  }

  /** {@code watcher.ref()}: polling keeps the runtime alive (the default unless not persistent). */
  public StatWatcher ref() {
    node.checkThread();
    if (handle != null) {
      handle.ref();
    }
    return this;
  }

  /** {@code watcher.unref()}: polling no longer keeps the runtime alive. */
  public StatWatcher unref() {
    node.checkThread();
    if (handle != null) {
      handle.unref();
    }
    return this;
  }
}
