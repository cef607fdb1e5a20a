package io.uv4j;

import java.util.Objects;

/**
 * {@link Udp}'s socket options (udp.c's {@code nOption}: broadcast, TTLs, multicast loop, buffer
 * sizes) and multicast membership, any-source and source-specific; the checks of the group and
 * source strings are {@link UdpMulticast}'s. Static methods over the handle; the natives stay
 * declared on {@code Udp}.
 */
final class UdpOptions {
  private UdpOptions() {}

  // udp.c's option numbers.
  static final int BROADCAST = 0;
  static final int TTL = 1;
  static final int MULTICAST_TTL = 2;
  static final int MULTICAST_LOOP = 3;
  static final int SNDBUF = 4;
  static final int RCVBUF = 5;

  /** Sets option {@code which}; {@code syscall} names libuv's function in the error. */
  static void set(Udp u, int which, int value, String syscall) throws UvException {
    int r = Udp.nOption(u.open(), which, value);
    if (r != 0) {
      throw new UvException(r, syscall);
    }
  }

  /** {@code uv_send_buffer_size} / {@code uv_recv_buffer_size}: reads (0) or sets the size. */
  static int bufferSize(Udp u, int which, int value, String syscall) throws UvException {
    if (value < 0) {
      throw new IllegalArgumentException("buffer size must be >= 0: " + value);
    }
    int r = Udp.nOption(u.open(), which, value);
    if (r < 0) {
      throw new UvException(r, syscall);
    }
    return r;
  }

  /** {@code uv_udp_set_membership} or, with a source, {@code uv_udp_set_source_membership}. */
  static void membership(Udp u, String group, String iface, String source, boolean join) throws UvException {
    Objects.requireNonNull(group, "group");
    long a = u.open();
    UdpMulticast.checkGroup(group, source);
    boolean hadSocket = u.ownedFd >= 0;
    int r = Udp.nMembership(a, group, iface, source, join);
    u.trackFd();
    String syscall = source == null ? "uv_udp_set_membership" : "uv_udp_set_source_membership";
    if (r != 0) {
      throw new UvException(r, syscall, group, source);
    }
    if (u.state == Udp.NEW && !hadSocket) {
      u.state = Udp.BOUND; // libuv bound the socket it created
    }
  }
}
