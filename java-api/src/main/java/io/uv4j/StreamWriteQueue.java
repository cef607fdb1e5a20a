package io.uv4j;

/**
 * {@link Stream}'s writes in flight and its backpressure state. Writes complete in order per
 * stream (libuv's write queue is FIFO): per write, the callback (null for a write without one),
 * what must stay reachable until it completes (a direct buffer, the direct copies of a gather
 * write, a handle Pipe.write2 sends, or null) and the bytes it holds. A ring of power-of-two
 * arrays that doubles when full, so a steady stream of writes allocates nothing.
 *
 * <p>{@link #pending} is the sum of the bytes the queued writes hold, compared with the water
 * marks: a write that leaves it over {@link #high} returns false and starts an episode
 * ({@link #needDrain}); the completion that brings it down to {@link #low} ends it. Loop thread
 * only.
 */
final class StreamWriteQueue {
  private Object[] buffers = new Object[8];
  private StreamCallback[] callbacks = new StreamCallback[8];
  private long[] lengths = new long[8];
  private int head;
  private int count;

  long pending;
  long high = Stream.DEFAULT_HIGH_WATER_MARK;
  long low = Stream.DEFAULT_LOW_WATER_MARK;
  private boolean needDrain; // a write returned false; drain has not run since

  boolean isEmpty() {
    return count == 0;
  }

  void push(Object buffer, StreamCallback callback, long length) {
    if (count == callbacks.length) {
      int n = callbacks.length;
      Object[] b = new Object[n * 2];
      StreamCallback[] c = new StreamCallback[n * 2];
      long[] l = new long[n * 2];
      for (int k = 0; k < n; k++) {
        b[k] = buffers[(head + k) & (n - 1)];
        c[k] = callbacks[(head + k) & (n - 1)];
        l[k] = lengths[(head + k) & (n - 1)];
      }
      buffers = b;
      callbacks = c;
      lengths = l;
      head = 0;
    }
    int tail = (head + count) & (callbacks.length - 1);
    buffers[tail] = buffer;
    callbacks[tail] = callback;
    lengths[tail] = length;
    count++;
    pending += length;
  }

  /** What the oldest write keeps reachable; read it before {@link #poll}. */
  Object headBuffer() {
    return buffers[head];
  }

  /** The oldest write's callback, removed with its buffer (which may go now) and its bytes. */
  StreamCallback poll() {
    int i = head;
    StreamCallback cb = callbacks[i];
    buffers[i] = null;
    callbacks[i] = null;
    pending -= lengths[i];
    head = (i + 1) & (callbacks.length - 1);
    count--;
    return cb;
  }

  /** A write's answer: false (and an episode begins) when over the high water mark. */
  boolean belowHigh() {
    if (pending > high) {
      needDrain = true;
      return false;
    }
    return true;
  }

  /**
   * After a completion with {@code status}: whether an episode just ended (pending down to the
   * low mark, the write succeeded), which it then clears.
   */
  boolean drainDue(int status) {
    if (!needDrain || pending > low || status < 0) {
      return false;
    }
    needDrain = false;
    return true;
  }
}
