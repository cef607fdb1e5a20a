package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code uv_random} on libuv's thread pool, created by
 * {@link Uv#randomFill(Loop, ByteBuffer, Consumer)}: the pool fills the buffer, then the callback
 * runs on the loop thread. Like every request it is counted ({@link Uv#liveRequests()}), keeps
 * its loop alive until the callback, and can be cancelled while it waits for a pool thread.
 *
 * <p>The buffer stays reachable from the request until the callback; do not touch it before.
 * A direct buffer is filled in place; a heap buffer's bytes are filled in native memory and
 * copied into it on the loop thread, just before the callback.
 *
 * <pre>{@code
 * ByteBuffer key = ByteBuffer.allocateDirect(32);
 * RandomRequest r = Uv.randomFill(loop, key, error -> {
 *   if (error == null) useKey(key);            // on the loop thread, once the pool filled it
 * });
 * // r.cancel() while it still waits for a pool thread
 * }</pre>
 */
public final class RandomRequest extends Request {
  private final Loop loop;
  /** Native uvj_random; 0 once the callback ran. */
  private long address;
  private ByteBuffer buffer;
  private final int position;
  private final int length;
  private Consumer<Throwable> callback;

  RandomRequest(Loop loop, ByteBuffer buffer, Consumer<Throwable> callback) {
    this.loop = loop;
    this.buffer = buffer;
    this.position = buffer.position();
    this.length = buffer.remaining();
    this.callback = callback;
  }

  // The random family of Uv (sysinfo.c's uv_random): the code behind its public methods.

  /** {@link Uv#random(int)}: on the calling thread. */
  static byte[] random(int n) throws UvException {
    if (n < 0) {
      throw new IllegalArgumentException("negative length: " + n);
    }
    byte[] out = new byte[n];
    int r = Uv.nRandomArray(out, 0, n);
    if (r != 0) {
      throw new UvException(r, "uv_random");
    }
    return out;
  }

  /** {@link Uv#randomFill(ByteBuffer)}: on the calling thread. */
  static void fill(ByteBuffer buf) throws UvException {
    Objects.requireNonNull(buf, "buf");
    if (buf.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int pos = buf.position();
    int len = buf.remaining();
    int r = buf.isDirect() ? Uv.nRandomDirect(buf, pos, len)
        : Uv.nRandomArray(buf.array(), buf.arrayOffset() + pos, len);
    if (r != 0) {
      throw new UvException(r, "uv_random");
    }
    buf.position(pos + len);
  }

  /** {@link Uv#randomFill(Loop, ByteBuffer, Consumer)}: on the pool. */
  static RandomRequest fill(Loop loop, ByteBuffer buf, Consumer<Throwable> callback) {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(buf, "buf");
    Objects.requireNonNull(callback, "callback");
    if (buf.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    loop.checkUsable();
    RandomRequest req = new RandomRequest(loop, buf, callback);
    req.queue();
    loop.requestStarted();
    return req;
  }

  /** {@link Uv#random(Loop, int)}: on the pool, as a future. */
  static CompletableFuture<byte[]> random(Loop loop, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative length: " + n);
    }
    byte[] out = new byte[n];
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    fill(loop, ByteBuffer.wrap(out), error -> {
      if (error != null) {
        f.completeExceptionally(error);
      } else {
        f.complete(out);
      }
    });
    return f;
  }

  void queue() {
    address = nQueue(loop.address, this, buffer.isDirect() ? buffer : null, position, length);
  }

  /**
   * {@code uv_cancel}: a request still waiting in the pool's queue is cancelled and its callback
   * gets {@code ECANCELED} (the buffer is left as it was).
   *
   * @throws UvException {@code EBUSY} if the pool has started it or it has completed
   * @throws IllegalStateException if the loop is closed or runs on another thread
   */
  @Override
  public void cancel() throws UvException {
    loop.checkUsable();
    if (address == 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", null, null, "the random request has completed");
    }
    int r = nCancel(address);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", null, null,
          r == Errno.EBUSY ? "the random request is already running" : null);
    }
  }

  /** Whether its callback has run. */
  @Override
  public boolean isDone() {
    return address == 0;
  }

  /** Called by sysinfo.c on the loop thread, once, before the request is freed. */
  void onDone(int status) {
    long a = address;
    address = 0;
    loop.requestDone();
    ByteBuffer b = buffer;
    Consumer<Throwable> cb = callback;
    buffer = null;
    callback = null;
    Throwable error = null;
    try {
      if (status == 0) {
        if (!b.isDirect()) {
          nCopyOut(a, b.array(), b.arrayOffset() + position, length);
        }
        b.position(position + length);
      } else {
        error = new UvException(status, "uv_random");
      }
    } catch (Throwable t) { // the buffer's limit was moved under the request: report, do not lose the callback
      error = t;
    }
    try {
      cb.accept(error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  @Override
  public String toString() {
    return "RandomRequest[" + length + " bytes, " + (address == 0 ? "done]" : "queued or running]");
  }

  private static native long nQueue(long loop, RandomRequest self, ByteBuffer direct, int pos, int len);

  private static native void nCopyOut(long address, byte[] array, int off, int len);

  private static native int nCancel(long address);
}
