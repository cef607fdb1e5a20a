package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;

/**
 * The loops' read buffers: where every stream read and UDP receive of a {@link Loop} lands (see
 * {@link ReadCallback}), one Java direct buffer per loop, allocated on first use.
 *
 * <p>Read buffers of closed loops (the default size only, at most {@link #SPARE_LIMIT}) are taken
 * by the next loops: a program that creates and closes loops does not leave 64 KiB of direct
 * memory per loop for a GC to find. They stay Java direct buffers, so a view a user kept past its
 * callback (misuse) shows another loop's bytes, never freed memory.
 *
 * <p>The buffer itself and its address are the loop's fields ({@code Loop.readBuffer},
 * {@code Loop.readBase}), which the read and write paths load straight off the loop.
 */
final class LoopReadBuffers {
  private LoopReadBuffers() {}

  static final int DEFAULT_SIZE = 64 * 1024;
  /** One read(2) never returns more than a socket buffer holds; beyond this it is only memory. */
  static final int MAX_SIZE = 64 << 20;
  private static final int SPARE_LIMIT = 16;
  private static final ArrayDeque<ByteBuffer> SPARE = new ArrayDeque<>();

  private static ByteBuffer takeSpare() {
    synchronized (SPARE) {
      return SPARE.pollFirst();
    }
  }

  /** Keeps the buffer of a closed loop (native dropped its reference) for the next loop. */
  static void release(ByteBuffer b) {
    if (b.capacity() != DEFAULT_SIZE) {
      return;
    }
    synchronized (SPARE) {
      if (SPARE.size() < SPARE_LIMIT) {
        SPARE.addFirst(b);
      }
    }
  }

  /** {@code Loop.readBuffer()} the first time: a spare or new buffer, handed to the native loop. */
  static ByteBuffer allocate(Loop loop, int size) {
    ByteBuffer b = size == DEFAULT_SIZE ? takeSpare() : null;
    if (b != null) {
      b.clear().order(ByteOrder.BIG_ENDIAN); // as a new one: a user may have changed its order
    } else {
      b = ByteBuffer.allocateDirect(size);
    }
    int r = Loop.nSetReadBuffer(loop.address, b);
    if (r != 0) {
      throw Loop.unchecked(r, "read buffer");
    }
    loop.readBase = Stream.directAddress(b);
    loop.readBuffer = b;
    return b;
  }
}
