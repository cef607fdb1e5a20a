package io.uv4j;

import java.util.Objects;

/**
 * A readiness watcher on a descriptor uv4j does not otherwise manage ({@code uv_poll_t}): a
 * socket, pipe or character device that some other code reads and writes, integrated into the
 * loop the way libuv's own handles are (epoll on Linux, kqueue on macOS). The callback says which
 * of the requested events ({@link #READABLE}, {@link #WRITABLE}, {@link #DISCONNECT},
 * {@link #PRIORITIZED}) the descriptor is ready for; reading and writing it is the caller's job.
 * Like epoll it is level-triggered: the callback keeps running while the descriptor stays ready.
 *
 * <pre>{@code
 * Poll poll = new Poll(loop, fd);
 * poll.start(Poll.READABLE | Poll.DISCONNECT, (p, error, events) -> {
 *   if (error != null || (events & Poll.DISCONNECT) != 0) { p.close(); return; }
 *   // read fd until EAGAIN
 * });
 * }</pre>
 *
 * <h2>The descriptor</h2>
 *
 * <ul>
 *   <li>{@code uv_poll_init} puts it in non-blocking mode; it stays so after the handle closes.
 *   <li>It must be something the loop's backend can watch: a regular file or a directory is
 *       refused by epoll ({@code UvException} {@code EPERM}); a closed number gives {@code EBADF}.
 *   <li>A descriptor libuv owns (a loop's internal ones, a {@link Tcp}'s or {@link Pipe}'s socket)
 *       and one another live Poll watches (on any loop) are refused: libuv keeps one watcher per
 *       descriptor and a second one would corrupt the first.
 *   <li>The Poll does not own it: {@link #close()} does not close it. Close the Poll first, then
 *       the descriptor. While the Poll is open, {@link Fs#close}/{@link Fs#closeSync} refuse the
 *       descriptor; closing it by other means (a Java channel, native code) while the Poll is open
 *       is undefined: libuv aborts the process when it next changes the descriptor's epoll
 *       registration and finds it closed (or another file under the same number).
 * </ul>
 *
 * <h2>States</h2>
 *
 * Stopped after construction; {@link #start} starts it or changes the events and callback of a
 * started one ({@code events} 0 stops it, as in libuv); {@link #stop()} stops it; an error
 * ({@code POLLERR} on the descriptor: {@code EBADF} in the callback) stops it too, before the
 * callback runs. {@link #close()} ends it.
 *
 * <p>Windows (not built yet) accepts only sockets.
 */
public final class Poll extends Handle {
  /** Event bit: the descriptor is readable ({@code UV_READABLE}). */
  public static final int READABLE = 1;
  /** Event bit: the descriptor is writable ({@code UV_WRITABLE}). */
  public static final int WRITABLE = 2;
  /** Event bit: the peer closed its writing side ({@code UV_DISCONNECT}, {@code POLLRDHUP}). */
  public static final int DISCONNECT = 4;
  /** Event bit: urgent data, e.g. TCP out-of-band bytes ({@code UV_PRIORITIZED}, {@code POLLPRI}). */
  public static final int PRIORITIZED = 8;

  private static final int ALL = READABLE | WRITABLE | DISCONNECT | PRIORITIZED;

  /** What {@link #start} calls. */
  @FunctionalInterface
  public interface Callback {
    /**
     * On the loop thread.
     *
     * @param handle the watcher
     * @param error null, or {@code EBADF} (syscall {@code uv_poll}) when the descriptor reported
     *     an error ({@code POLLERR}); the watcher is then stopped and {@code events} is 0
     * @param events the requested events the descriptor is ready for, a mask of
     *     {@link #READABLE}, {@link #WRITABLE}, {@link #DISCONNECT} and {@link #PRIORITIZED}
     */
    void onPoll(Poll handle, UvException error, int events);
  }

  private final int fd;
  private Callback callback;

  /**
   * {@code uv_poll_init}: a stopped watcher of {@code fd}, which becomes non-blocking.
   *
   * @throws IllegalArgumentException if {@code fd} is negative, or libuv or another Poll owns it
   *     (see the class comment)
   * @throws UvException from {@code uv_poll_init}: {@code EPERM} for a regular file or directory
   *     (epoll), {@code EBADF} for a closed descriptor, {@code EEXIST} if the loop already watches
   *     it
   * @throws IllegalStateException if this is not the loop's thread or the loop is closed
   */
  public Poll(Loop loop, int fd) throws UvException {
    super(loop);
    if (fd < 0) {
      throw new IllegalArgumentException("not a descriptor: " + fd);
    }
    Object owner = OwnedFds.owner(fd);
    if (owner != null) {
      throw new IllegalArgumentException("fd " + fd + " belongs to " + owner
          + ": libuv watches a descriptor through one handle only");
    }
    this.fd = fd;
    this.address = nInit(loop.address, this, fd);
    OwnedFds.add(fd, this);
  }

  /** The watched descriptor. */
  public int fd() {
    return fd;
  }

  /**
   * {@code uv_poll_start}: calls {@code callback} whenever the descriptor is ready for one of
   * {@code events}; on a started watcher, replaces its events and callback. {@code events} 0
   * stops the watcher (then {@code callback} is not kept).
   *
   * @throws IllegalArgumentException if {@code events} has bits other than {@link #READABLE},
   *     {@link #WRITABLE}, {@link #DISCONNECT} and {@link #PRIORITIZED} (libuv asserts)
   * @throws UvException from {@code uv_poll_start} ({@code EEXIST} if another watcher of this
   *     loop watches the descriptor)
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   * @throws NullPointerException if {@code callback} is null
   */
  public void start(int events, Callback callback) throws UvException {
    Objects.requireNonNull(callback, "callback");
    if ((events & ~ALL) != 0) {
      throw new IllegalArgumentException("unknown Poll events: 0x" + Integer.toHexString(events)
          + " (READABLE, WRITABLE, DISCONNECT and PRIORITIZED are 0x" + Integer.toHexString(ALL) + ")");
    }
    long a = open();
    int r = nStart(a, events);
    if (r != 0) {
      throw new UvException(r, "uv_poll_start", null, null, "fd " + fd);
    }
    this.callback = events == 0 ? null : callback;
  }

  /**
   * {@code uv_poll_stop}: no callback runs after this. Stopping a stopped watcher does nothing.
   *
   * @throws IllegalStateException if the watcher is closed or this is not the loop's thread
   */
  public void stop() {
    nStop(open());
  }

  /** Called by the native callback on the loop thread. */
  void onPoll(int status, int events) {
    Callback cb = callback;
    if (cb == null) {
      return;
    }
    UvException error = status < 0 ? new UvException(status, "uv_poll", null, null, "fd " + fd) : null;
    try {
      cb.onPoll(this, error, events);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  /** uv_close stops watching; the descriptor is the user's again. */
  @Override
  void beforeClose() {
    OwnedFds.remove(fd, this);
  }

  @Override
  void clearCallbacks() {
    callback = null;
  }

  @Override
  public String toString() {
    return super.toString() + "(fd " + fd + ")";
  }

  private static native long nInit(long loop, Poll self, int fd);

  private static native int nStart(long address, int events);

  private static native void nStop(long address);
}
