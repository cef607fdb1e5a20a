package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.UvException;

/**
 * The socket options of a {@link NodeDgram.Socket} ({@code setBroadcast}, {@code setTTL},
 * multicast and membership, Node's lib/dgram.js): a libuv failure becomes Node's
 * {@code syscall CODE} {@link SystemError}.
 */
final class DgramOptions {
  private DgramOptions() {}

  /** One socket option call on the handle. */
  interface Opt {
    void apply() throws UvException;
  }

  static void apply(String syscall, Opt o) {
    try {
      o.apply();
    } catch (UvException e) {
      throw SystemError.errno(e, syscall);
    } catch (IllegalArgumentException e) {
      // libuv's answer to an out-of-range value or a non-multicast group, checked before it
      throw SystemError.errno(new UvException(Errno.EINVAL, syscall), syscall);
    }
  }

  /** Node's check of {@code addMembership}/{@code dropMembership}'s group argument. */
  static void checkMulticastAddress(String multicastAddress) {
    if (multicastAddress == null || multicastAddress.isEmpty()) {
      throw new NodeError("ERR_MISSING_ARGS", "The \"multicastAddress\" argument must be specified");
    }
  }
}
