package io.uv4j.node;

import io.uv4j.FsEvent;
import io.uv4j.UvException;

/**
 * {@code fs.FSWatcher}: what {@link NodeFs#watch} returns, an {@link EventEmitter} on a core
 * {@link FsEvent} handle (inotify on Linux). Events, as in Node:
 * <ul>
 *   <li>{@code 'change'} (eventType, filename): eventType {@code "rename"} (an entry appeared,
 *       vanished or was renamed) or {@code "change"} (contents or attributes); filename is the
 *       entry's name relative to the watched directory (the file's own name when watching a
 *       file), or null where the OS does not tell;</li>
 *   <li>{@code 'error'} (SystemError, syscall {@code watch}): the watch failed; the watcher is
 *       closed without a 'close' event;</li>
 *   <li>{@code 'close'}: on the tick after {@link #close()}.</li>
 * </ul>
 *
 * <pre>{@code
 * FSWatcher w = fs.watch("/tmp/dir", (eventType, filename) -> {
 *   System.out.println(eventType + " " + filename);
 * });
 * w.on("close", () -> System.out.println("closed"));
 * w.close();
 * }</pre>
 */
public final class FSWatcher extends EventEmitter {
  /** A 'change' listener. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param eventType {@code "rename"} or {@code "change"}
     * @param filename the changed entry's name, or null
     */
    void onChange(String eventType, String filename);
  }

  private final NodeRuntime node;
  private FsEvent handle;

  FSWatcher(NodeRuntime node) {
    this.node = node;
  }

  /** Starts watching; on failure the handle is closed and Node's error thrown. */
  void start(String filename, boolean persistent) {
    FsEvent h = new FsEvent(node.loop());
    try {
      h.start(filename, 0, (fe, name, events, error) -> node.makeCallback(() -> onEvent(name, events, error)));
    } catch (UvException e) {
      h.close();
      throw SystemError.from(e, "watch");
    } catch (RuntimeException e) {
      h.close();
      throw e;
    }
    if (!persistent) {
      h.unref();
    }
    handle = h;
  }

  private void onEvent(String filename, int events, UvException error) {
    if (error != null) {
      if (handle != null) {
        handle.close(); // no 'close' event, as in Node
        handle = null;
      }
      emit("error", SystemError.from(new UvException(error.code(), "watch", filename, null), "watch"));
      return;
    }
    if (handle == null) {
      return; // closed by an earlier listener of the same batch
    }
    emit("change", (events & FsEvent.RENAME) != 0 ? "rename" : "change", filename);
  }

  /** Adds a typed 'change' listener (what {@link NodeFs#watch} does with its listener). */
  FSWatcher onChange(Listener listener) {
    addTyped("change", listener, args -> listener.onChange((String) args[0], (String) args[1]));
    return this;
  }

  /**
   * {@code watcher.close()}: stops watching; 'close' is emitted on the next tick. Closing again
   * does nothing.
   */
  public void close() {
    node.checkThread();
    if (handle == null) {
      return;
    }
    handle.close();
    handle = null;
    node.nextTick(() -> emit("close"));
  }

  /** {@code watcher.ref()}: the watcher keeps the runtime alive (the default). */
  public FSWatcher ref() {
    node.checkThread();
    if (handle != null) {
      handle.ref();
    }
    return this;
  }

  /** {@code watcher.unref()}: the watcher no longer keeps the runtime alive. */
  public FSWatcher unref() {
    node.checkThread();
    if (handle != null) {
      handle.unref();
    }
    return this;
  }
}
