package io.uv4j;

/**
 * What every libuv handle shares ({@code uv_handle_t}).
 *
 * <p>A handle lives from its constructor until its close callback: libuv (and uv4j, through a JNI
 * global reference) keeps it alive until then, whether or not Java code still references it; an
 * active timer nobody references still fires. After the close callback the handle's native
 * memory is freed and the Java object is an ordinary garbage-collectable object.
 *
 * <p>After {@link #close()} every operation except the queries ({@link #isActive()},
 * {@link #isClosing()}, {@link #isClosed()}, {@link #hasRef()}) throws
 * {@link IllegalStateException}; closing again does nothing.
 *
 * <pre>{@code
 * Timer t = new Timer(loop);          // every handle: Timer, Tcp, Pipe, Udp, Signal...
 * t.unref();                          // does not keep the loop alive by itself
 * t.start(1000, h -> {});
 * t.close(() -> System.out.println("closed"));   // asynchronous: the callback runs in the close phase
 * loop.run();
 * }</pre>
 */
public abstract class Handle implements AutoCloseable {
  final Loop loop;
  /** Address of the native handle; 0 once its close callback has run. */
  long address;
  private boolean closing;
  private Runnable closeCallback;
  /** Writes in flight that send this handle to another process (Pipe.write2). Loop thread. */
  private int sendPins;
  /** The native memory of this closed handle, kept while such a write still points at it. */
  private long freeDeferred;
  /**
   * This handle's index in its loop's table, or -1: streams take one by {@link #peerIndex()} when
   * FFM up-calls reach them ({@link Upcalls}); Idle, Prepare and Check always by {@link #takePeer()}
   * (batched calls and FFM up-calls find them by it). Released on close.
   */
  int peer = -1;
  /**
   * {@link Loop#batch} when Java last changed this handle so that libuv would no longer call it
   * in the pass or phase under way (stopped, closed; a Timer also started or re-armed): a call
   * recorded in that batch is skipped (docs/ARCHITECTURE.md, "Timer fires and idle/prepare/check
   * calls in a batch").
   */
  int changedInBatch = -1;

  Handle(Loop loop) {
    if (loop == null) {
      throw new NullPointerException("loop");
    }
    loop.checkUsable();
    this.loop = loop;
  }

  /** The loop this handle belongs to. */
  public final Loop loop() {
    return loop;
  }

  /** Closes the handle; see {@link #close(Runnable)}. */
  @Override
  public final void close() {
    close(null);
  }

  /**
   * Closes the handle ({@code uv_close}). Asynchronous: {@code onClose} (may be null) runs on the
   * loop thread in the close phase of a later iteration, never inside this call; close callbacks
   * run last-closed-first. Closing a handle that is closing or closed does nothing (and the
   * callback given to such a call is not called).
   *
   * <p>A handle sent with {@link Pipe#write2} should be closed in (or after) that write's
   * callback: closed while the write is still queued, it makes the write fail with {@code EBADF}
   * (libuv's behaviour; a write sent at once, as with an idle channel, is done already).
   */
  public final void close(Runnable onClose) {
    loop.checkThread();
    if (closing) {
      return;
    }
    beforeClose();
    markClosing(onClose);
    if (!closeNatively(onClose != null)) {
      nClose(address);
    }
  }

  /**
   * Hook: a handle that closes through its own native code (Timer) starts uv_close here and
   * answers true. With nothing to run on close ({@code withCallback} false) it may do so without
   * an upcall: its {@link #onClosed} then comes with the loop's next completion batch, before any
   * other callback and before run() returns.
   */
  boolean closeNatively(boolean withCallback) {
    return false;
  }

  /** Pipe.write2 queued a write that sends this handle's descriptor. */
  final void pinForSend() {
    sendPins++;
  }

  /** That write completed: the native memory of a handle closed meanwhile can go now. */
  final void unpinForSend() {
    if (--sendPins == 0 && freeDeferred != 0) {
      long a = freeDeferred;
      freeDeferred = 0;
      nFreeClosed(a);
    }
  }

  /** Records a close already started natively (uv_close, or uv_tcp_close_reset). */
  final void markClosing(Runnable onClose) {
    closing = true;
    closeCallback = onClose;
  }

  /** Whether close was called (no checks: for upcalls). */
  final boolean closeRequested() {
    return closing;
  }

  /** Hook for handles that other threads touch (Async): make them stop before uv_close. */
  void beforeClose() {}

  /**
   * Called by the native close callback, before the native memory is freed; false keeps that
   * memory until the Pipe.write2 requests that send this handle have completed.
   */
  final boolean onClosed() {
    boolean freeNow = sendPins == 0;
    if (!freeNow) {
      freeDeferred = address;
    }
    address = 0;
    dropPeer();
    Runnable cb = closeCallback;
    closeCallback = null;
    clearCallbacks();
    if (cb != null) {
      try {
        cb.run();
      } catch (Throwable t) {
        loop.callbackFailed(this, t);
      }
    }
    return freeNow;
  }

  /**
   * For streams (Stream.initialized): the index to give the native handle when FFM up-calls are
   * on, else -1 (the native side then calls through JNI). Call {@link #dropPeer()} if the native
   * init fails.
   */
  final int peerIndex() {
    if (Upcalls.ACTIVE) {
      peer = loop.takeSlot(this);
    }
    return peer;
  }

  /** Takes an index in the loop's table for this handle always (loop watchers: their batched calls). */
  final int takePeer() {
    peer = loop.takeSlot(this);
    return peer;
  }

  /** A call of this Idle/Prepare/Check recorded in a batch of its phase (loop_watcher.c). */
  final void onBatchedCall() {
    if (closing || changedInBatch == loop.batch) {
      return; // an earlier callback of the phase stopped or closed it: libuv would skip it
    }
    loop.batchedFires++;
    onUpcall();
  }

  /** Releases the peer index (closed, or the native init failed). */
  final void dropPeer() {
    if (peer >= 0) {
      loop.releaseSlot(peer);
      peer = -1;
    }
  }

  /** The handle's callback, called by an FFM up-call (loop thread); catches like the JNI path. */
  void onUpcall() {
    throw new IllegalStateException(getClass().getSimpleName() + " has no FFM up-call");
  }

  /** Drops user callbacks once closed so they can be collected with their captures. */
  abstract void clearCallbacks();

  /** {@code uv_is_active}. False once closed. */
  public final boolean isActive() {
    loop.checkThread();
    return address != 0 && !closing && nIsActive(address);
  }

  /** {@code uv_is_closing}: true from {@link #close()} on, closed included. */
  public final boolean isClosing() {
    loop.checkThread();
    return closing;
  }

  /** Whether the close callback has run and the native handle is gone. */
  public final boolean isClosed() {
    loop.checkThread();
    return address == 0;
  }

  /** {@code uv_ref}: the loop keeps running while this handle is active. Idempotent. */
  public final void ref() {
    nRef(open());
  }

  /** {@code uv_unref}: this handle alone does not keep the loop running. Idempotent. */
  public final void unref() {
    nUnref(open());
  }

  /** {@code uv_has_ref}. */
  public final boolean hasRef() {
    loop.checkThread();
    return address != 0 && nHasRef(address);
  }

  /** The native address after checking the handle may be used by this thread. */
  final long open() {
    loop.checkThread();
    if (closing) {
      throw new IllegalStateException(getClass().getSimpleName() + " is closed");
    }
    return address;
  }

  /** Safe from any thread: asks libuv only where the caller may touch the handle. */
  @Override
  public String toString() {
    String state;
    if (address == 0) {
      state = "closed";
    } else if (closing) {
      state = "closing";
    } else if (loop.isUsableBy(Thread.currentThread())) {
      state = nIsActive(address) ? "active" : "inactive";
    } else {
      state = "open";
    }
    return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
        + "[" + state + "]";
  }

  static native void nClose(long address);

  static native void nRef(long address);

  static native void nUnref(long address);

  static native boolean nHasRef(long address);

  static native boolean nIsActive(long address);

  static native void nFreeClosed(long address);
}
