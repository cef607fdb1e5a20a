package io.uv4j.node;

import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@code fs.watch}, {@code fs.watchFile} and {@code fs.unwatchFile} of {@link NodeFs}, and the
 * per-runtime state of the fs module (Node keeps it module-global: one per runtime here): the
 * {@link StatWatcher} of each watched path and the once-only DEP0147 warning.
 */
final class FsWatch {
  /** Node's default {@code interval} of watchFile. */
  static final long DEFAULT_INTERVAL = 5007;

  // Weak keys; an entry of STAT_WATCHERS (its watchers reference the runtime) is removed with
  // the runtime's last watched path, so a finished runtime is not kept.
  private static final Map<NodeRuntime, Map<String, StatWatcher>> STAT_WATCHERS =
      Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<NodeRuntime, Boolean> WARNED_RMDIR = Collections.synchronizedMap(new WeakHashMap<>());

  private FsWatch() {}

  /** True the first time in {@code node} only: DEP0147 is emitted once per runtime. */
  static boolean warnRecursiveRmdir(NodeRuntime node) {
    return WARNED_RMDIR.put(node, Boolean.TRUE) == null;
  }

  static FSWatcher watch(NodeRuntime node, String filename, boolean persistent, FSWatcher.Listener listener) {
    node.checkThread();
    FsChecks.path(filename, "filename");
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
    FsChecks.path(filename, "filename");
    FsChecks.callback(listener, "listener");
    FsChecks.uint32(interval, "interval");
    Map<String, StatWatcher> watchers = STAT_WATCHERS.computeIfAbsent(node, n -> new HashMap<>());
    String key = resolve(filename);
    StatWatcher w = watchers.get(key);
    if (w == null) {
      if (watchers.isEmpty()) {
        STAT_WATCHERS.remove(node); // put back below once started
      }
      w = new StatWatcher(node);
      w.start(filename, persistent, interval);
      watchers.put(key, w);
      STAT_WATCHERS.put(node, watchers);
    }
    w.addListener(listener);
    return w;
  }

  static void unwatchFile(NodeRuntime node, String filename, StatWatcher.Listener listener) {
    node.checkThread();
    FsChecks.path(filename, "filename");
    Map<String, StatWatcher> watchers = STAT_WATCHERS.get(node);
    String key = resolve(filename);
    StatWatcher w = watchers != null ? watchers.get(key) : null;
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
      if (watchers.isEmpty()) {
        STAT_WATCHERS.remove(node);
      }
    }
  }

  /** Node's {@code path.resolve(filename)}: absolute and normalized, against the working directory. */
  static String resolve(String filename) {
    return Paths.get(filename).toAbsolutePath().normalize().toString();
  }
}
