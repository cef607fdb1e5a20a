package io.uv4j;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory opened by {@link Fs#opendir} ({@code uv_dir_t}), read in batches with
 * {@link Fs#readdir} and released with {@link Fs#closedir}, which every opened Dir needs (it
 * holds an open directory descriptor; the garbage collector does not close it).
 *
 * <p>One readdir at a time: a second one while the first is in flight throws
 * {@link IllegalStateException}, as does closedir while a readdir is in flight and any use of a
 * closed Dir. A Dir is not tied to a loop or thread: the synchronous and asynchronous forms may
 * be mixed.
 *
 * <pre>{@code
 * Dir dir = Fs.opendirSync("logs");
 * for (List<DirEntry> batch; !(batch = Fs.readdirSync(dir, 64)).isEmpty(); ) {
 *   batch.forEach(e -> System.out.println(e.name()));
 * }
 * Fs.closedirSync(dir);
 * }</pre>
 */
public final class Dir {
  private static final int OPEN = 0, READING = 1, CLOSED = 2;

  /** Native uv_dir_t, owned by libuv until closedir completes. */
  final long address;
  private final String path;
  private final AtomicInteger state = new AtomicInteger(OPEN);

  Dir(long address, String path) {
    this.address = address;
    this.path = path;
  }

  /** The path it was opened with. */
  public String path() {
    return path;
  }

  /** Whether closedir has been called (and not cancelled). */
  public boolean isClosed() {
    return state.get() == CLOSED;
  }

  /** Before a readdir: OPEN -> READING, or IllegalStateException. */
  void beginRead() {
    if (!state.compareAndSet(OPEN, READING)) {
      throw misuse("readdir");
    }
  }

  /** After a readdir completed, whatever its result. */
  void endRead() {
    state.compareAndSet(READING, OPEN);
  }

  /** Before a closedir: OPEN -> CLOSED, or IllegalStateException. */
  void beginClose() {
    if (!state.compareAndSet(OPEN, CLOSED)) {
      throw misuse("closedir");
    }
  }

  /** A cancelled closedir never ran: the directory is still open. */
  void closeCancelled() {
    state.compareAndSet(CLOSED, OPEN);
  }

  private IllegalStateException misuse(String what) {
    return new IllegalStateException(state.get() == CLOSED
        ? what + " on a closed Dir ('" + path + "')"
        : what + " while a readdir on this Dir ('" + path + "') is in flight: one at a time");
  }

  @Override
  public String toString() {
    return "Dir['" + path + "'" + (isClosed() ? ", closed" : "") + "]";
  }
}
