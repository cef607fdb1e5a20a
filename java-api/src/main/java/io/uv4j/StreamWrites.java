package io.uv4j;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The write side of a {@link Stream}: its writes ({@code uv_try_write} first, then
 * {@code uv_write} of what is left), their completion and backpressure's drain (see the class
 * comment of {@code Stream} for the rules users see).
 *
 * <p>Static methods over the stream's own fields (its {@link StreamWriteQueue}, its role, its
 * loop's read buffer), called from {@code Stream}'s public methods: the write path keeps the
 * loads it had, and the JIT inlines these calls like the private methods they were. The natives
 * stay declared on {@code Stream} (stream.c registers them there).
 */
final class StreamWrites {
  private StreamWrites() {}

  /** {@link Stream#write(ByteBuffer)}: the bytes are taken now. */
  static boolean write(Stream s, ByteBuffer buf) {
    Objects.requireNonNull(buf, "buf");
    long a = s.writableAddress();
    StreamWriteQueue q = s.writes;
    int pos = buf.position();
    int len = Stream.span(buf, pos);
    if (len == 0) {
      return q.belowHigh();
    }
    Loop loop = s.loop;
    if (buf == loop.readBuffer) {
      return writeReadBuffer(loop, a, q, buf, pos, len);
    }
    int done = 0;
    if (q.isEmpty()) {
      done = buf.isDirect() ? Stream.nTryWriteDirect(a, buf, pos, len)
          : buf.hasArray() ? Stream.nTryWriteArray(a, buf.array(), buf.arrayOffset() + pos, len) : 0;
      if (done < 0) {
        done = 0; // let uv_write report the error through the normal path
      }
    }
    if (done < len) {
      int r;
      if (buf.isDirect()) {
        r = Stream.nWriteDirect(a, buf, pos + done, len - done, true);
      } else if (buf.hasArray()) {
        r = Stream.nWriteArray(a, buf.array(), buf.arrayOffset() + pos + done, len - done);
      } else {
        byte[] copy = new byte[len - done];
        buf.duplicate().position(pos + done).get(copy);
        r = Stream.nWriteArray(a, copy, 0, copy.length);
      }
      Stream.checkWrite(r, "uv_write");
      q.push(null, null, len - done);
    }
    buf.position(pos + len);
    return q.belowHigh();
  }

  /**
   * {@link #write(Stream, ByteBuffer)} of the loop's read buffer (the view
   * {@link ReadCallback#onData} got, echoed back): the same steps, with the address instead of
   * the buffer object, so the native calls carry no object (the echo's hot path).
   */
  private static boolean writeReadBuffer(Loop loop, long a, StreamWriteQueue q, ByteBuffer buf, int pos,
      int len) {
    long base = loop.readBase + pos; // pos + len <= capacity: inside the read buffer
    int done = 0;
    if (q.isEmpty()) {
      done = Stream.nTryWriteReadBuffer(a, base, len);
      if (done < 0) {
        done = 0; // let uv_write report the error through the normal path
      }
    }
    if (done < len) {
      Stream.checkWrite(Stream.nWriteReadBuffer(a, base + done, len - done), "uv_write");
      q.push(null, null, len - done);
    }
    buf.position(pos + len);
    return q.belowHigh();
  }

  /** {@link Stream#write(ByteBuffer, StreamCallback)}: a direct buffer in place. */
  static boolean write(Stream s, ByteBuffer buf, StreamCallback callback) {
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(callback, "callback");
    long a = s.writableAddress();
    int pos = buf.position();
    int len = Stream.span(buf, pos);
    int r;
    Object keep = null;
    Loop loop = s.loop;
    if (buf == loop.readBuffer) { // copied: the next read overwrites it
      r = Stream.nWriteReadBuffer(a, loop.readBase + pos, len);
    } else if (buf.isDirect()) {
      r = Stream.nWriteDirect(a, buf, pos, len, false);
      keep = buf;
    } else if (buf.hasArray()) {
      r = Stream.nWriteArray(a, buf.array(), buf.arrayOffset() + pos, len);
    } else {
      byte[] copy = new byte[len];
      buf.duplicate().get(copy);
      r = Stream.nWriteArray(a, copy, 0, len);
    }
    Stream.checkWrite(r, "uv_write");
    StreamWriteQueue q = s.writes;
    q.push(keep, callback, len);
    buf.position(pos + len);
    return q.belowHigh();
  }

  /** {@link Stream#write(byte[], int, int, StreamCallback)}: copied once. */
  static boolean write(Stream s, byte[] data, int off, int len, StreamCallback callback) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(callback, "callback");
    Objects.checkFromIndexSize(off, len, data.length);
    Stream.checkWrite(Stream.nWriteArray(s.writableAddress(), data, off, len), "uv_write");
    StreamWriteQueue q = s.writes;
    q.push(null, callback, len);
    return q.belowHigh();
  }

  /** {@link Stream#write(ByteBuffer[], StreamCallback)}: one request, direct buffers in place. */
  static boolean write(Stream s, ByteBuffer[] bufs, StreamCallback callback) {
    Objects.requireNonNull(bufs, "bufs");
    Objects.requireNonNull(callback, "callback");
    long a = s.writableAddress();
    int n = bufs.length;
    ByteBuffer[] direct = new ByteBuffer[n];
    int[] pos = new int[n];
    int[] len = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      ByteBuffer b = Objects.requireNonNull(bufs[i], "buffer");
      if (b.isDirect()) {
        direct[i] = b;
        pos[i] = b.position();
        len[i] = Stream.span(b, pos[i]);
      } else {
        direct[i] = ByteBuffer.allocateDirect(Math.max(1, b.remaining())).put(b.duplicate()).flip();
        pos[i] = 0;
        len[i] = direct[i].remaining(); // the copy's: b may have moved since
      }
      total += len[i];
    }
    Stream.checkWrite(n == 0 ? Errno.EINVAL : Stream.nWritev(a, direct, pos, len), "uv_write");
    StreamWriteQueue q = s.writes;
    q.push(direct, callback, total);
    for (ByteBuffer b : bufs) {
      b.position(b.limit());
    }
    return q.belowHigh();
  }

  /** {@link Stream#tryWrite}: what can be written now, advancing the position by it. */
  static int tryWrite(Stream s, ByteBuffer buf) throws UvException {
    Objects.requireNonNull(buf, "buf");
    long a = s.open();
    if (s.role == Stream.LISTENING) {
      throw new UvException(Errno.EPIPE, "uv_try_write");
    }
    int pos = buf.position();
    int len = Stream.span(buf, pos);
    int r;
    Loop loop = s.loop;
    if (buf == loop.readBuffer) {
      r = Stream.nTryWriteReadBuffer(a, loop.readBase + pos, len);
    } else if (buf.isDirect()) {
      r = Stream.nTryWriteDirect(a, buf, pos, len);
    } else if (buf.hasArray()) {
      r = Stream.nTryWriteArray(a, buf.array(), buf.arrayOffset() + pos, len);
    } else { // read-only heap buffer
      byte[] copy = new byte[len];
      buf.duplicate().get(copy);
      r = Stream.nTryWriteArray(a, copy, 0, len);
    }
    if (r < 0) {
      throw new UvException(r, "uv_try_write");
    }
    buf.position(pos + r);
    return r;
  }

  /** After a write completed (and its callback ran): drain if a full episode just ended. */
  static void maybeDrain(Stream s, int status) {
    if (s.isClosing() || !s.writes.drainDue(status)) {
      return;
    }
    Consumer<Stream> cb = s.drainCallback;
    if (cb == null) {
      return;
    }
    try {
      cb.accept(s);
    } catch (Throwable t) {
      s.loop.callbackFailed(s, t);
    }
  }
}
