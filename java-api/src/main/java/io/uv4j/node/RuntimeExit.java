package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * How a {@link NodeRuntime} ends (Node's process 'beforeExit'/'exit' emission in
 * lib/internal/bootstrap/node.js and the fatal-exception path of
 * lib/internal/process/execution.js): the exit events, the 'uncaughtException' listeners, and
 * recording the error that ends the runtime.
 */
final class RuntimeExit {
  private RuntimeExit() {}

  /** process.emit('beforeExit', code): all listeners in one callback scope. */
  static void emitBeforeExit(NodeRuntime rt) {
    List<IntConsumer> listeners = new ArrayList<>(rt.process.beforeExit);
    rt.makeCallback(() -> {
      for (IntConsumer l : listeners) {
        l.accept(rt.exitCode);
      }
    });
  }

  /** process.emit('exit', code); false if a listener called process.exit(). */
  static boolean emitExit(NodeRuntime rt) {
    rt.exiting = true;
    for (IntConsumer l : new ArrayList<>(rt.process.exit)) {
      try {
        l.accept(rt.exitCode);
      } catch (NodeRuntime.NodeExit e) {
        // Node: process.exit() inside an 'exit' listener exits at once (process.reallyExit):
        // the code it gives stands and the remaining listeners do not run.
        return false;
      } catch (Throwable t) {
        t.printStackTrace();
        rt.exitCode = 7; // Node: internal exception handler run-time failure
      }
    }
    return true;
  }

  /**
   * An exception (or an unhandled rejection in throw/strict mode) from the microtasks run after
   * a natural exit's 'exit' listeners: Node calls the 'uncaughtException' listeners; with none
   * it prints the error and exits with code 1 at once. Returns whether the drain goes on.
   */
  private static boolean uncaughtAfterExit(NodeRuntime rt, Throwable t, String origin) {
    Throwable left = offerToUncaughtListeners(rt, t, origin);
    if (left == null) {
      return true;
    }
    if (!(left instanceof NodeRuntime.NodeExit)) {
      recordFatal(rt, left);
    }
    return false;
  }

  /**
   * Calls the 'uncaughtException' listeners with {@code t}: null if they took it, a
   * a NodeExit if one called process.exit(), else what is fatal now ({@code t} when there
   * is no listener, or what a listener threw, with {@code t} suppressed).
   */
  private static Throwable offerToUncaughtListeners(NodeRuntime rt, Throwable t, String origin) {
    if (rt.process.uncaughtException.isEmpty()) {
      return t;
    }
    try {
      for (java.util.function.BiConsumer<Throwable, String> l : rt.process.uncaughtException.snapshot()) {
        l.accept(t, origin);
      }
      return null;
    } catch (NodeRuntime.NodeExit e) {
      return e;
    } catch (Throwable t2) {
      t2.addSuppressed(t);
      return t2;
    }
  }

  /** Node prints the error and exits with code 1 (after 'exit' listeners). */
  private static void recordFatal(NodeRuntime rt, Throwable t) {
    rt.fatal = t;
    if (rt.printFatal) {
      System.err.print("Uncaught ");
      t.printStackTrace();
    }
    rt.exitCode = 1;
  }

  static void handleUncaught(NodeRuntime rt, Throwable t, String origin) {
    if (t instanceof NodeRuntime.NodeExit) {
      rt.exiting = true;
      rt.loop().stop();
      if (rt.queues.exitDrain) {
        rt.queues.exitDrainStopped = true;
      }
      return;
    }
    if (rt.exiting) {
      if (rt.queues.exitDrain && !rt.queues.exitDrainStopped && !uncaughtAfterExit(rt, t, origin)) {
        rt.queues.exitDrainStopped = true;
      }
      return;
    }
    Throwable left = offerToUncaughtListeners(rt, t, origin);
    if (left == null) {
      // Node (process._fatalException): "make sure any ticks get processed by ensuring that
      // the next Immediate cycle isn't empty".
      if (!rt.exiting) {
        rt.setImmediate(NodeRuntime.NOOP);
      }
      return;
    }
    if (!(left instanceof NodeRuntime.NodeExit)) {
      recordFatal(rt, left);
    }
    rt.exiting = true;
    rt.loop().stop();
  }
}
