package io.uv4j;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The buffers of one read or write: direct ones used in place, heap ones through one direct
 * copy. {@link #finish} advances the callers' positions (and copies read bytes back). It never
 * throws, whatever the caller did to the buffers meanwhile (see the class comment of {@link Fs}).
 */
final class FsTransfer {
  final ByteBuffer[] user;
  final ByteBuffer[] direct;
  /** Where libuv reads or writes: in direct[i], from positions[i], lengths[i] bytes. */
  final int[] positions;
  final int[] lengths;
  /** user[i]'s position at submission. */
  final int[] starts;
  final boolean read;

  FsTransfer(int op, ByteBuffer[] bufs, long offset) {
    Objects.requireNonNull(bufs, "buffers");
    if (offset < -1) {
      throw new IllegalArgumentException("offset must be >= 0, or -1 for the file position: " + offset);
    }
    if (bufs.length == 0) {
      throw new IllegalArgumentException("no buffers (libuv: EINVAL)");
    }
    read = op == Fs.READ;
    user = bufs.clone();
    direct = new ByteBuffer[user.length];
    positions = new int[user.length];
    lengths = new int[user.length];
    starts = new int[user.length];
    java.util.IdentityHashMap<ByteBuffer, Integer> seen =
        user.length > 1 ? new java.util.IdentityHashMap<>() : null;
    for (int i = 0; i < user.length; i++) {
      ByteBuffer b = Objects.requireNonNull(user[i], "buffer");
      if (seen != null) {
        Integer first = seen.putIfAbsent(b, i);
        if (first != null) {
          throw new IllegalArgumentException("the same ByteBuffer is at index " + first + " and " + i
              + ": its position cannot stand for both; pass separate buffers or duplicate() views");
        }
      }
      if (read && b.isReadOnly()) {
        throw new java.nio.ReadOnlyBufferException();
      }
      starts[i] = b.position();
      lengths[i] = b.remaining();
      if (b.isDirect()) {
        direct[i] = b;
        positions[i] = b.position();
      } else {
        ByteBuffer copy = ByteBuffer.allocateDirect(Math.max(1, b.remaining()));
        if (!read) {
          copy.put(b.duplicate()).flip();
        }
        direct[i] = copy;
        positions[i] = 0;
      }
    }
  }

  /**
   * On completion (n >= 0 bytes): for each buffer, the bytes it received (read into a heap
   * buffer: copied back) go from its position at submission up to its current limit at most, and
   * its position is set past them. The result is libuv's, whatever fitted.
   */
  Integer finish(long result, Object extra) {
    long left = result;
    for (int i = 0; i < user.length && left > 0; i++) {
      int n = (int) Math.min(left, lengths[i]);
      left -= n;
      ByteBuffer b = user[i];
      int start = starts[i];
      int fits = Math.max(0, Math.min(n, b.limit() - start));
      if (read && direct[i] != b && fits > 0) {
        ByteBuffer src = direct[i].duplicate();
        src.position(0).limit(fits);
        ByteBuffer dst = b.duplicate();
        dst.limit(start + fits).position(start);
        dst.put(src);
      }
      if (start <= b.limit()) {
        b.position(start + fits);
      }
    }
    return (int) result;
  }
}
