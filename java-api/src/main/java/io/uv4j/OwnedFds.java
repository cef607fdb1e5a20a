package io.uv4j;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process-wide registry of file descriptors that libuv owns: a loop's internal descriptors
 * (its epoll/kqueue backend, the eventfd or pipe of its internal async handle, its signal pipe,
 * its inotify descriptor, its reserve descriptor for EMFILE, its io_uring ring on libuv 1.45+)
 * and the descriptor of every live handle that has one; besides these, libuv's process-wide
 * signal lock pipe and the descriptors of the shim's own loops, which the native side answers
 * for ({@link #LIBUV}). {@link Fs#close} and {@link Fs#closeSync} refuse these with an
 * {@link IllegalArgumentException} naming the owner: closing one under libuv makes the next
 * {@code uv_run} abort the process (libuv checks the result of {@code epoll_wait},
 * {@code epoll_ctl} and its eventfd writes with {@code abort()}).
 *
 * <p>Thread-safe and cheap (one {@link ConcurrentHashMap} lookup per check). Handles add their
 * descriptor when they get one (bind, connect, open, accept, init) and remove it before
 * {@code uv_close}; a loop adds its internal descriptors when it is created (and again after an
 * operation that makes libuv open a new one, see {@link #registerLoop}) and removes them all when
 * it is closed.
 */
final class OwnedFds {
  private static final ConcurrentHashMap<Integer, Object> OWNERS = new ConcurrentHashMap<>();

  /**
   * The owner of libuv's process-wide descriptors: its signal lock pipe (a closed one makes the
   * next signal or process operation abort) and those of the loops the shim keeps for itself.
   */
  static final Object LIBUV = new Object() {
    @Override
    public String toString() {
      return "libuv itself (its signal lock pipe, or a loop uv4j keeps for synchronous fs calls or signals)";
    }
  };

  private OwnedFds() {}

  /** Records that {@code owner} (a Handle, or a Loop for its internal descriptors) owns {@code fd}. */
  static void add(int fd, Object owner) {
    if (fd < 0) {
      return; // libuv's "none"
    }
    OWNERS.put(fd, java.util.Objects.requireNonNull(owner, "owner"));
  }

  /** Forgets {@code fd}, only if {@code owner} holds it (a number reused since is left alone). */
  static void remove(int fd, Object owner) {
    if (fd >= 0) {
      OWNERS.remove(fd, owner);
    }
  }

  /** Who owns {@code fd} (a Handle, a Loop or {@link #LIBUV}), or null if libuv does not. */
  static Object owner(int fd) {
    if (fd < 0) {
      return null;
    }
    Object owner = OWNERS.get(fd);
    return owner != null ? owner : FsRequest.nLibraryFd(fd) ? LIBUV : null;
  }

  /**
   * Adds the loop's internal descriptors as libuv 1.44 has them right now (idempotent). libuv
   * opens some lazily: the inotify descriptor on the first {@code FsEvent.start}, the EMFILE
   * reserve descriptor on the first stream handle, the signal pipe on the first signal or
   * process handle; whoever causes that calls this again. The caller may touch the loop (its
   * thread, loop open).
   */
  static void registerLoop(Loop loop) {
    for (int fd : FsRequest.nLoopFds(loop.address)) {
      add(fd, loop);
    }
  }

  /** Removes every descriptor {@code owner} holds (a closed loop's internal ones). */
  static void removeAll(Object owner) {
    OWNERS.values().removeIf(o -> o == owner);
  }

  /** A copy of the registry, by descriptor: for tests and diagnostics. */
  static Map<Integer, Object> snapshot() {
    return new TreeMap<>(OWNERS);
  }

  /**
   * Throws if libuv owns {@code fd}: {@code what} (e.g. "close") would destroy or corrupt it.
   * {@code loopOnly}: only a loop's internal descriptors are refused (reading or writing a
   * handle's socket bypasses the handle but cannot break libuv's state; reading or writing a
   * loop's eventfd or signal pipe can).
   */
  static void check(int fd, String what, boolean loopOnly) {
    Object owner = owner(fd);
    if (owner == null || (loopOnly && owner instanceof Handle)) {
      return;
    }
    if (owner == LIBUV) {
      throw new IllegalArgumentException("fd " + fd + " belongs to " + owner + ": " + what
          + " would make libuv abort the process; it is not a descriptor this program opened");
    }
    String who = owner instanceof Loop
        ? "Loop@" + Integer.toHexString(System.identityHashCode(owner)) + owner.toString().substring(4)
        : owner.toString();
    throw new IllegalArgumentException("fd " + fd + " belongs to " + who
        + (owner instanceof Loop
            ? " (one of libuv's internal descriptors): " + what + " would break the loop; close the loop instead"
            : ": " + what + " would break it; close the handle instead"));
  }
}
