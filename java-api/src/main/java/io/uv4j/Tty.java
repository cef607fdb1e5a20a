package io.uv4j;

/**
 * A terminal as a stream ({@code uv_tty_t}): reading and writing go through the inherited
 * {@link Stream} API, plus the terminal's mode and window size.
 *
 * <pre>{@code
 * Tty in = new Tty(loop, 0);
 * Tty out = new Tty(loop, 1);
 * in.setMode(Tty.Mode.RAW);                       // keys arrive one by one, unechoed
 * in.readStart((s, key) -> { out.write(key); in.close(); out.close(); });
 * loop.run();
 * Tty.resetMode();                                // also on every exit path
 * }</pre>
 *
 * <p><b>The descriptor.</b> On Unix libuv reopens the terminal ({@code ttyname}) when it can, so
 * making the handle non-blocking does not affect other processes sharing it, and moves the new
 * descriptor onto {@code fd} with {@code dup2}: the handle then works on a descriptor of its own
 * (closed when the handle is closed) and {@code fd} stays open. Where it cannot reopen (a pty
 * master), the handle uses {@code fd} itself and closing the handle closes it, except 0, 1 and 2,
 * which libuv never closes. There libuv also leaves {@code fd} blocking and writes to it
 * synchronously: a write to a pty master whose slave side nobody reads blocks the loop thread
 * until someone does (libuv's {@code UV_HANDLE_BLOCKING_WRITES}). Where that can happen, watch
 * the master with a {@link Poll} and write only when it reports it writable.
 *
 * <p><b>States.</b> A Tty is a stream in the CONNECTED role from its constructor on (it neither
 * listens nor connects; {@code listen} throws {@code IllegalStateException}); the usual
 * OPEN → CLOSING → CLOSED lifecycle applies. Its mode is one of {@link Mode}; libuv remembers
 * the terminal's settings from the first switch away from NORMAL of any Tty of the process, and
 * {@link #resetMode()} restores those.
 */
public final class Tty extends Stream {
  /** Terminal modes ({@code uv_tty_mode_t}). */
  public enum Mode {
    /** The terminal's settings as they were (canonical input, echo, signals). */
    NORMAL,
    /** Keys arrive one at a time, unechoed, Ctrl-C not turned into SIGINT; output post-processing kept. */
    RAW,
    /** Binary-safe I/O ({@code cfmakeraw}, Unix only): no input or output processing at all. */
    IO
  }

  private Mode mode = Mode.NORMAL;

  /**
   * {@code uv_tty_init} on terminal descriptor {@code fd} (0, 1, 2, or any other terminal). The
   * handle is readable and/or writable as the descriptor was opened (libuv reads its access mode).
   *
   * @throws IllegalArgumentException if {@code fd} is negative, not a terminal
   *     ({@link Uv#guessHandle} is not {@code TTY}), or owned by another handle or a loop
   * @throws IllegalStateException if the loop is closed or runs on another thread
   * @throws UvException if libuv refuses it (e.g. {@code EBADF})
   */
  public Tty(Loop loop, int fd) throws UvException {
    super(loop);
    if (fd < 0) {
      throw new IllegalArgumentException("not a descriptor: " + fd);
    }
    Object owner = OwnedFds.owner(fd);
    if (owner != null) {
      throw new IllegalArgumentException("fd " + fd + " belongs to " + owner
          + ": a descriptor can be owned by one handle only");
    }
    Uv.HandleType type = Uv.guessHandle(fd);
    if (type != Uv.HandleType.TTY) {
      throw new IllegalArgumentException("fd " + fd + " is not a terminal (uv_guess_handle: " + type
          + ")" + (type == Uv.HandleType.NAMED_PIPE ? ": use Pipe.open" : type == Uv.HandleType.TCP
              ? ": use Tcp.open" : ""));
    }
    this.address = nInit(loop.address, this, fd);
    initialized();
    role = CONNECTED;
  }

  /**
   * {@code uv_tty_set_mode}. Setting the mode it already has does nothing.
   *
   * @throws IllegalStateException if the handle is closed or the loop runs on another thread
   * @throws UvException if the terminal refuses ({@code tcgetattr}/{@code tcsetattr} errors)
   */
  public void setMode(Mode mode) throws UvException {
    java.util.Objects.requireNonNull(mode, "mode");
    int r = nSetMode(open(), mode.ordinal());
    if (r != 0) {
      throw new UvException(r, "uv_tty_set_mode", mode.name(), null);
    }
    this.mode = mode;
  }

  /** The mode last set with {@link #setMode} (NORMAL at first). */
  public Mode mode() {
    open();
    return mode;
  }

  /**
   * {@code uv_tty_reset_mode}: puts the terminal whose mode a Tty first changed back to its
   * settings from before that change. Meant for exit paths (shutdown hooks, signal handlers,
   * after the loop ended): safe from any thread, and does nothing when no Tty ever left NORMAL.
   * The Tty objects keep the mode they think they have.
   *
   * <p>libuv keeps the terminal's descriptor from that first change, also after that Tty was
   * closed; call this before closing the Tty (the descriptor number may be reused afterwards).
   *
   * @throws UvException {@code EBUSY} if another thread is inside {@link #setMode} right now
   *     (retry), or the terminal's error
   */
  public static void resetMode() throws UvException {
    int r = nResetMode();
    if (r != 0) {
      throw new UvException(r, "uv_tty_reset_mode");
    }
  }

  /** A terminal's size in character cells. */
  public record WindowSize(int width, int height) {}

  /**
   * {@code uv_tty_get_winsize}: the terminal's size as the kernel knows it ({@code TIOCGWINSZ};
   * 0x0 for a pseudo-terminal nobody sized).
   *
   * @throws UvException if the descriptor refuses the query
   */
  public WindowSize windowSize() throws UvException {
    int[] wh = nWinsize(open());
    return new WindowSize(wh[0], wh[1]);
  }

  /**
   * {@code uv_tty_set_vterm_state}: tells libuv whether the Windows console handles virtual
   * terminal (ANSI) sequences itself, overriding its own detection. Meaningful on Windows only;
   * elsewhere it does nothing. Process-wide, any thread.
   */
  public static void setVtermSupported(boolean supported) {
    nSetVtermState(supported);
  }

  /**
   * {@code uv_tty_get_vterm_state}: whether the Windows console handles virtual terminal
   * sequences.
   *
   * @throws UvException {@code ENOTSUP} outside Windows
   */
  public static boolean isVtermSupported() throws UvException {
    int r = nGetVtermState();
    if (r < 0) {
      throw new UvException(r, "uv_tty_get_vterm_state");
    }
    return r == 1;
  }

  @Override
  String connectSyscall() {
    return "uv_tty_init";
  }

  @Override
  String bindTarget() {
    return null;
  }

  @Override
  String connectTarget() {
    return null;
  }

  private static native long nInit(long loop, Tty self, int fd) throws UvException;

  private static native int nSetMode(long h, int mode);

  private static native int nResetMode();

  private static native int[] nWinsize(long h) throws UvException;

  private static native void nSetVtermState(boolean supported);

  private static native int nGetVtermState();
}
