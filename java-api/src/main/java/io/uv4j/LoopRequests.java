package io.uv4j;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A {@link Loop}'s request table and the batch dispatch of its completions.
 *
 * <p>Pool requests (work, fs, DNS), Timers and, with FFM up-calls, handles are known to native
 * code by their index in the loop's table, never by a JNI reference: the native request (timer)
 * at the same index of the loop's request (timer) slab is reused with the index. A Timer holds
 * its index from its constructor to its close. Indexes are taken and released on the loop
 * thread; a pool thread reads the array (volatile: a grown array is published whole; an entry is
 * written before its request is queued, which libuv's queue mutex orders before the pool
 * thread's read).
 *
 * <p>The free indexes below {@code slotsUsed} are kept as a bitmap: {@link #takeSlot} hands out
 * the lowest, so indexes (and the slab elements native code keeps at them) stay packed and are
 * reused in address order, as a C program's malloc reuses freed memory. A stack of freed indexes
 * would hand a million new Timers elements in the reverse order of their closes, a cache and TLB
 * miss each.
 *
 * <p>The state is the loop's own fields ({@code requestTable}, {@code freeBits}, ...), not an
 * object of this class: the timer-fire, work and completion paths load it straight off the
 * {@code Loop} as before, without one more dependent load. This class holds the code only
 * (static methods, inlined where it matters); the entry points native code calls
 * ({@code Loop.onCompletions}, {@code onTimer}, {@code runWork}, {@code completeFs},
 * {@code slot}) stay on {@code Loop}.
 */
final class LoopRequests {
  private LoopRequests() {}

  // Kinds of completion records (work.c, fs.c, dns.c, handle.c, timer.c, loop_watcher.c).
  static final int DONE_WORK = 0;
  static final int DONE_FS = 1;
  static final int DONE_FS_STAT = 2;
  static final int DONE_CLOSED = 3;
  static final int DONE_ADDRINFO = 4;
  static final int DONE_NAMEINFO = 5;
  static final int DONE_TIMER = 6;
  static final int DONE_CALL = 7;

  /** Takes an index of {@code loop}'s table for {@code request}. Loop thread. */
  static int takeSlot(Loop loop, Object request) {
    Object[] table = loop.requestTable;
    int i;
    if (loop.freeCount > 0) {
      long[] bits = loop.freeBits;
      int w = loop.freeWord;
      while (bits[w] == 0) {
        w++;
      }
      long word = bits[w];
      i = (w << 6) | Long.numberOfTrailingZeros(word);
      bits[w] = word & (word - 1);
      loop.freeWord = w;
      loop.freeCount--;
    } else {
      i = loop.slotsUsed++;
      if (i == table.length) {
        table = Arrays.copyOf(table, table.length * 2);
        loop.requestTable = table;
      }
      if ((i >>> 6) == loop.freeBits.length) {
        loop.freeBits = Arrays.copyOf(loop.freeBits, loop.freeBits.length * 2);
      }
    }
    table[i] = request;
    return i;
  }

  /** Releases an index taken by {@link #takeSlot}. Loop thread. */
  static void releaseSlot(Loop loop, int i) {
    loop.requestTable[i] = null;
    int w = i >>> 6;
    loop.freeBits[w] |= 1L << i;
    if (w < loop.freeWord) {
      loop.freeWord = w;
    }
    loop.freeCount++;
  }

  /** Indexes taken and not released (tests). */
  static int slotsInUse(Loop loop) {
    return loop.slotsUsed - loop.freeCount;
  }

  /**
   * {@code Loop.onCompletions}: the native side calls it on the loop thread with {@code count}
   * completion records, in the order libuv completed the requests. Records are
   * {@code int index, int kind, long result} [+ 20 longs of stat, or a DNS answer]. Each
   * callback's exceptions go to {@link Loop#callbackFailed} as before; a Throwable escaping that
   * (it should not) still lets the rest be delivered, then propagates to the native safety net.
   */
  static void onCompletions(Loop loop, int count) {
    ByteBuffer b = loop.doneBuffer;
    Object[] table = loop.requestTable;
    Throwable escaped = null;
    int at = 0;
    loop.batch++;
    for (int n = 0; n < count; n++) {
      int index = b.getInt(at);
      int kind = b.getInt(at + 4);
      long result = b.getLong(at + 8);
      at += 16;
      Object req = table[index];
      if (kind == DONE_TIMER || kind == DONE_CALL) { // the handle stays open, its index taken
        try {
          if (kind == DONE_TIMER) {
            ((Timer) req).onBatchedFire(result != 0);
          } else {
            ((Handle) req).onBatchedCall();
          }
        } catch (Throwable t) {
          if (escaped == null) {
            escaped = t;
          } else if (escaped != t) {
            escaped.addSuppressed(t);
          }
        }
        continue;
      }
      Object extra = null;
      if (kind == DONE_FS_STAT) {
        // A StatRequest's own array takes the values: it allocates nothing per round trip.
        long[] v = req instanceof StatRequest ? ((StatRequest) req).values : new long[20];
        for (int k = 0; k < 20; k++) {
          v[k] = b.getLong(at + 8 * k);
        }
        extra = req instanceof StatRequest ? null : v;
        at += 160;
      }
      int dnsAt = at;
      if (kind == DONE_ADDRINFO || kind == DONE_NAMEINFO) {
        at += DnsRequest.recordLength(kind == DONE_ADDRINFO, b, at);
      }
      releaseSlot(loop, index);
      try {
        if (kind == DONE_WORK) {
          ((WorkRequest) req).onAfter((int) result);
        } else if (kind == DONE_CLOSED) {
          ((Handle) req).onClosed();
        } else if (kind == DONE_ADDRINFO || kind == DONE_NAMEINFO) {
          ((DnsRequest) req).onRecord(kind == DONE_ADDRINFO, (int) result, b, dnsAt);
        } else if (req instanceof StatRequest) {
          ((StatRequest) req).onComplete(result, extra);
        } else {
          ((FsRequest) req).onComplete(result, extra);
        }
      } catch (Throwable t) {
        if (escaped == null) {
          escaped = t;
        } else if (escaped != t) {
          escaped.addSuppressed(t);
        }
      }
    }
    if (escaped != null) {
      throwUnchecked(escaped);
    }
  }

  /** {@code Loop.completeFs}: an fs completion whose result is a Java object (not batched). */
  static void completeFs(Loop loop, int index, long result, Object extra) {
    Object req = loop.requestTable[index];
    releaseSlot(loop, index);
    if (req instanceof StatRequest) {
      ((StatRequest) req).onComplete(result, extra);
    } else {
      ((FsRequest) req).onComplete(result, extra);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void throwUnchecked(Throwable t) throws T {
    throw (T) t;
  }
}
