package io.uv4j;

import java.util.concurrent.ConcurrentHashMap;

/**
 * File descriptors that libuv owns right now (a handle's socket, a loop's epoll and wake-up
 * descriptors), process-wide. {@link Fs#close} refuses them: closing one under libuv makes its
 * next epoll_ctl fail and libuv abort(). Any thread.
 */
final class OwnedFds {
  private static final ConcurrentHashMap<Integer, Object> OWNERS = new ConcurrentHashMap<>();

  private OwnedFds() {}

  static void add(int fd, Object owner) {
    if (fd >= 0) {
      OWNERS.put(fd, owner);
    }
  }

  /** Removes {@code fd} only if {@code owner} holds it. */
  static void remove(int fd, Object owner) {
    if (fd >= 0) {
      OWNERS.remove(fd, owner);
    }
  }

  /** The owner of {@code fd}, or null. */
  static Object owner(int fd) {
    return OWNERS.get(fd);
  }
}
