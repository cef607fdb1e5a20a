package io.uv4j.node;

import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code fs.watch}, {@code fs.watchFile} and {@code fs.unwatchFile} of {@link NodeFs}, and the
 * per-runtime state of the fs module (Node keeps it module-global: one per runtime here): the
 * {@link StatWatcher} of each watched path and the once-only DEP0147 warning.
 */
final class FsWatch {
  /** Node's default {@code interval} of watchFile. */
  static final long DEFAULT_INTERVAL = 5007;

  /** The fs module's state in one runtime (kept by the runtime, used on its thread only). */
  static final class State {
    final Map<String, StatWatcher> statWatchers = new HashMap<>();
    boolean warnedRecursiveRmdir;
  }

  private FsWatch() {}

  static State state(NodeRuntime node) {
    if (node.fsState == null) {
      node.fsState = new State();
    }
    return node.fsState;
  }

  /** True the first time in {@code node} only: DEP0147 is emitted once per runtime. */
  static boolean warnRecursiveRmdir(NodeRuntime node) {
    State st = state(node);
    boolean first = !st.warnedRecursiveRmdir;
    st.warnedRecursiveRmdir = true;
    return first;
  }

  static FSWatcher watch(NodeRuntime node, String filename, boolean persistent, FSWatcher.Listener listener) {
    node.checkThread();
    FsChecks.path(filename, "path");
    FSWatcher w = new FSWatcher(node);
    if (listener != null) {
      w.onChange(listener);
    }
    w.start(filename, persistent);
    return w;
  }

  static StatWatcher watchFile(NodeRuntime node, String filename, boolean persistent, long interval,
      StatWatcher.Listener listener) {
    node.checkThread();
    FsChecks.path(filename, "path");
    FsChecks.callback(listener, "listener");
    FsChecks.uint32(interval, "interval");
    Map<String, StatWatcher> watchers = state(node).statWatchers;
    String key = resolve(filename);
    StatWatcher w = watchers.get(key);
    if (w == null) {
      w = new StatWatcher(node);
      w.start(filename, persistent, interval);
      watchers.put(key, w);
    }
    w.addListener(listener);
    return w;
  }

  static void unwatchFile(NodeRuntime node, String filename, StatWatcher.Listener listener) {
    node.checkThread();
    FsChecks.path(filename, "path");
    Map<String, StatWatcher> watchers = state(node).statWatchers;
    String key = resolve(filename);
    StatWatcher w = watchers.get(key);
    if (w == null) {
      return;
    }
    if (listener != null) {
      w.removeListener("change", listener);
    } else {
      w.removeAllListeners("change");
    }
    if (w.listenerCount("change") == 0) {
      w.stop();
      watchers.remove(key);
    }
  }

  /** Node's {@code path.resolve(filename)}: absolute and normalized, against the working directory. */
  static String resolve(String filename) {
    return Paths.get(filename).toAbsolutePath().normalize().toString();
  }
}
