package io.uv4j.bench;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The peer of the callback benchmark: libuv called directly through JNA (direct mapping of the
 * same libuv release uv4j links: {@code bench/target/c/libuv.so.1}, which the bench build makes
 * from the bundled libuv source, or the system's {@code libuv.so.1} when uv4j was built with
 * {@code -Duv4j.libuv=system}; {@code -Djna.libuv=<file>} overrides), with JNA {@link Callback}s
 * as libuv callbacks. Only what the benchmarks need; 64-bit Linux only ({@code size_t} and
 * {@code uint64_t} as {@code long}).
 */
final class JnaUv {
  static {
    String bundled = "bench/target/c/libuv.so.1";
    String lib = System.getProperty("jna.libuv",
        new java.io.File(bundled).isFile() ? new java.io.File(bundled).getAbsolutePath() : "libuv.so.1");
    Native.register(JnaUv.class, lib);
  }

  // uv_handle_type and uv_run_mode values from uv.h (1.44).
  static final int UV_ASYNC = 1;
  static final int UV_IDLE = 6;
  static final int UV_TIMER = 13;
  static final int UV_RUN_DEFAULT = 0;
  static final int UV_RUN_NOWAIT = 2;

  private JnaUv() {}

  /** {@code uv_idle_cb}, {@code uv_timer_cb} and {@code uv_async_cb}: all take the handle. */
  interface HandleCallback extends Callback {
    void invoke(Pointer handle);
  }

  static native int uv_version();

  static native long uv_loop_size();

  static native long uv_handle_size(int type);

  static native int uv_loop_init(Pointer loop);

  static native int uv_loop_close(Pointer loop);

  static native int uv_run(Pointer loop, int mode);

  static native void uv_stop(Pointer loop);

  static native void uv_close(Pointer handle, HandleCallback closeCb);

  static native void uv_unref(Pointer handle);

  static native int uv_idle_init(Pointer loop, Pointer idle);

  static native int uv_idle_start(Pointer idle, HandleCallback cb);

  static native int uv_idle_stop(Pointer idle);

  static native int uv_timer_init(Pointer loop, Pointer timer);

  static native int uv_timer_start(Pointer timer, HandleCallback cb, long timeout, long repeat);

  static native int uv_async_init(Pointer loop, Pointer async, HandleCallback cb);

  /** Zeroed native memory for a loop or for {@code count} handles of one type. */
  static Memory allocLoop() {
    return zeroed(uv_loop_size());
  }

  static Memory allocHandles(int type, int count) {
    return zeroed(uv_handle_size(type) * count);
  }

  private static Memory zeroed(long size) {
    Memory m = new Memory(size);
    m.clear();
    return m;
  }

  static void check(int r, String what) {
    if (r != 0) {
      throw new IllegalStateException(what + " failed: " + r);
    }
  }

  /**
   * A loop set up like a uv4j Loop: uv4j's loop owns an unreferenced async handle (the wake-up of
   * Loop.execute), whose eventfd makes libuv call epoll_wait on every iteration. Without it a
   * libuv loop with no file descriptor skips the poll entirely, which would flatter this peer.
   */
  static final class JnaLoop {
    final Memory loop = allocLoop();
    final Memory async = allocHandles(UV_ASYNC, 1);
    private int closed;
    private final HandleCallback onAsync = h -> { };
    private final HandleCallback onClose = h -> closed++;

    JnaLoop() {
      check(uv_loop_init(loop), "uv_loop_init");
      check(uv_async_init(loop, async, onAsync), "uv_async_init");
      uv_unref(async);
    }

    /** Closes {@code handles} (and the async handle), runs their close callbacks, closes the loop. */
    void close(Pointer... handles) {
      closed = 0;
      for (Pointer h : handles) {
        uv_close(h, onClose);
      }
      uv_close(async, onClose);
      uv_run(loop, UV_RUN_DEFAULT);
      if (closed != handles.length + 1) {
        throw new IllegalStateException("close callbacks: " + closed + " of " + (handles.length + 1));
      }
      check(uv_loop_close(loop), "uv_loop_close");
    }
  }
}
