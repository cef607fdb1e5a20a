package io.uv4j.node;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The buffers of a dgram {@code send}: Node's sliceBuffer and the concatenation of a buffer list. */
final class DgramBuffers {
  private DgramBuffers() {}

  /** Node's sliceBuffer: {@code offset} and {@code length} taken as unsigned 32-bit numbers. */
  static byte[] slice(byte[] msg, int offset, int length) {
    Objects.requireNonNull(msg, "msg");
    long off = Integer.toUnsignedLong(offset);
    long len = Integer.toUnsignedLong(length);
    if (off > msg.length) {
      throw new NodeError("ERR_BUFFER_OUT_OF_BOUNDS", "\"offset\" is outside of buffer bounds");
    }
    if (off + len > msg.length) {
      throw new NodeError("ERR_BUFFER_OUT_OF_BOUNDS", "\"length\" is outside of buffer bounds");
    }
    return Arrays.copyOfRange(msg, (int) off, (int) (off + len));
  }

  static byte[] concat(List<byte[]> msgs) {
    Objects.requireNonNull(msgs, "msgs");
    int n = 0;
    for (byte[] b : msgs) {
      n += Objects.requireNonNull(b, "msgs element").length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] b : msgs) {
      System.arraycopy(b, 0, all, at, b.length);
      at += b.length;
    }
    return all;
  }
}
