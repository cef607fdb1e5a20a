package io.uv4j;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A child process ({@code uv_process_t}), started by {@link #spawn}. Named {@code ChildProcess}
 * rather than {@code Process}: {@code java.lang.Process} is imported implicitly into every Java
 * file, so a {@code Process} here would make {@code import io.uv4j.*} code ambiguous.
 *
 * <pre>{@code
 * Pipe out = new Pipe(loop, false);
 * ChildProcess p = ChildProcess.spawn(loop,
 *     SpawnOptions.command("ls", "-l").stdout(StdioConfig.pipeFromChild(out)),
 *     (proc, status, signal) -> { System.out.println("exit " + status); proc.close(); });
 * out.readStart(...);
 * }</pre>
 *
 * <h2>States</h2>
 * RUNNING after a successful spawn (the handle is active and keeps the loop alive, unless
 * {@link #unref()}), EXITED once the exit callback ran (libuv reaped the child; the handle is
 * inactive but open), then CLOSING/CLOSED by {@link #close()} like any handle. A failed spawn
 * never has a running state: the handle is closed before {@link #spawn} throws (its close
 * completes on the loop's next iteration, like any close). Closing a running process does not
 * kill it; its exit is then never reported (libuv reaps it anyway).
 *
 * <h2>Reaping and the JVM's {@link ProcessBuilder}</h2>
 * libuv starts a {@code SIGCHLD} watcher and reaps only its own children, each with
 * {@code waitpid(pid)}; the JDK reaps its children with {@code waitpid(pid)} on its own threads.
 * Both coexist in one JVM (see ProcessCoexistenceTest). Native code that calls
 * {@code waitpid(-1)} would steal libuv's children: their exit is then never reported.
 */
public final class ChildProcess extends Handle {
  /** What {@link #spawn} calls when the child exits. */
  @FunctionalInterface
  public interface ExitCallback {
    /**
     * On the loop thread, once.
     *
     * @param process the process (still open: close it when done)
     * @param exitStatus the exit status (0..255), 0 if a signal ended it
     * @param termSignal the signal that ended it, 0 if it exited
     */
    void onExit(ChildProcess process, long exitStatus, int termSignal);
  }

  /** uv.h's flag values, read on first use (not in this class's initialiser: the library's load looks this class up before binding its natives). */
  static final class Flags {
    private static final int[] C = nConstants();
    static final int IGNORE = C[0];
    static final int CREATE_PIPE = C[1];
    static final int INHERIT_FD = C[2];
    static final int INHERIT_STREAM = C[3];
    static final int READABLE_PIPE = C[4];
    static final int WRITABLE_PIPE = C[5];
    static final int SETUID = C[6];
    static final int SETGID = C[7];
    static final int DETACHED = C[8];
  }

  private ExitCallback exitCallback;
  private final String file;
  private int pid;
  private boolean exited;
  private long exitStatus;
  private int termSignal;

  private ChildProcess(Loop loop, String file) {
    super(loop);
    this.file = file;
  }

  /**
   * {@code uv_spawn}: starts {@code options} as a child of this process. Pipes of
   * {@link StdioConfig#pipe} entries are open when this returns (even when the exec failed).
   *
   * @param onExit called on the loop thread when the child exits; may be null
   * @throws UvException from {@code uv_spawn}, with the file as path: {@code ENOENT} (no such
   *     program, or no such cwd), {@code EACCES} (not executable), {@code EPERM} (uid/gid without
   *     privileges), {@code EMFILE}...; the handle is already closing then
   * @throws IllegalArgumentException if a stdio entry is unusable: an inherited stream without a
   *     descriptor, closed, or of another loop; a pipe that is not new (has a descriptor, was
   *     used, is closing), of another loop, or named twice; an inherited descriptor that is
   *     libuv's own (its signal lock pipe)
   * @throws IllegalStateException if the loop is closed or this is not its thread
   * @throws NullPointerException if {@code loop} or {@code options} is null
   */
  public static ChildProcess spawn(Loop loop, SpawnOptions options, ExitCallback onExit)
      throws UvException {
    Objects.requireNonNull(loop, "loop");
    Objects.requireNonNull(options, "options");
    loop.checkThread();
    loop.checkUsable();
    List<StdioConfig> stdio = options.stdioList();
    int n = stdio.size();
    int[] flags = new int[n];
    int[] fds = new int[n];
    long[] streams = new long[n];
    Map<Stream, Boolean> seen = new IdentityHashMap<>();
    for (int i = 0; i < n; i++) {
      StdioConfig s = stdio.get(i);
      fds[i] = -1;
      switch (s.kind) {
        case IGNORE:
          flags[i] = Flags.IGNORE;
          break;
        case INHERIT_FD:
          if (OwnedFds.owner(s.fd) == OwnedFds.LIBUV) { // a child could take its signal lock
            throw new IllegalArgumentException("stdio " + i + ": fd " + s.fd + " belongs to "
                + OwnedFds.LIBUV + ": a child must not share it");
          }
          flags[i] = Flags.INHERIT_FD;
          fds[i] = s.fd;
          break;
        case INHERIT_STREAM: {
          Stream st = s.stream;
          checkStream(loop, st, i);
          int fd = st.address == 0 ? -1 : Stream.nFilenoOf(st.address);
          if (fd < 0) {
            throw new IllegalArgumentException("stdio " + i + ": " + st + " has no descriptor to inherit");
          }
          flags[i] = Flags.INHERIT_STREAM;
          streams[i] = st.address;
          break;
        }
        default: {
          Stream st = s.stream;
          checkStream(loop, st, i);
          if (seen.put(st, Boolean.TRUE) != null) {
            throw new IllegalArgumentException("stdio " + i + ": " + st + " is given to another stdio entry too");
          }
          if (st.role != Stream.NEW || Stream.nFilenoOf(st.address) >= 0 || st.isActive()) {
            throw new IllegalArgumentException("stdio " + i + ": " + st
                + " must be a new pipe without a descriptor to be created for the child");
          }
          flags[i] = Flags.CREATE_PIPE | (s.parentReads ? Flags.WRITABLE_PIPE : 0) | (s.parentWrites ? Flags.READABLE_PIPE : 0);
          streams[i] = st.address;
          break;
        }
      }
    }
    int f = 0;
    if (options.isDetached()) f |= Flags.DETACHED;
    Integer uid = options.uidValue();
    Integer gid = options.gidValue();
    if (uid != null) f |= Flags.SETUID;
    if (gid != null) f |= Flags.SETGID;
    List<String> env = options.envList();
    String cwd = options.cwdValue();

    byte[] fileBytes = SpawnOptions.bytes(options.file());
    byte[][] argBytes = SpawnOptions.bytes(options.args());
    byte[][] envBytes = env == null ? null : SpawnOptions.bytes(env);
    byte[] cwdBytes = cwd == null ? null : SpawnOptions.bytes(cwd);
    ChildProcess p = new ChildProcess(loop, options.file());
    p.address = nAlloc(p);
    // throws (after freeing the handle natively) only if a native copy failed before uv_spawn
    int r = nSpawn(loop.address, p.address, fileBytes, argBytes, envBytes, cwdBytes, f,
        uid == null ? 0 : uid, gid == null ? 0 : gid, flags, fds, streams);
    // the loop's SIGCHLD watcher opened the loop's signal pipe: Fs.close must refuse it
    OwnedFds.registerLoop(loop);
    // the child made inherited stdio blocking, in the file description this process shares:
    // the handles here must not block their loop (the child's end stays non-blocking then)
    for (int i = 0; i < Math.min(n, 3); i++) {
      StdioConfig s = stdio.get(i);
      int fd = s.kind == StdioConfig.Kind.INHERIT_STREAM ? Stream.nFilenoOf(s.stream.address)
          : s.kind == StdioConfig.Kind.INHERIT_FD && OwnedFds.owner(s.fd) != null ? s.fd : -1;
      if (fd >= 0) {
        nSetNonblocking(fd);
      }
    }
    // libuv opened the pipes (also when the exec failed): track their descriptors
    for (int i = 0; i < n; i++) {
      StdioConfig s = stdio.get(i);
      if (s.kind == StdioConfig.Kind.PIPE && Stream.nFilenoOf(s.stream.address) >= 0) {
        s.stream.opened(Stream.FD_UNIX_SOCKET | Stream.FD_CONNECTED);
      }
    }
    if (r != 0) {
      p.close();
      throw new UvException(r, "uv_spawn", options.file(), null);
    }
    p.pid = nPid(p.address);
    p.exitCallback = onExit;
    return p;
  }

  private static void checkStream(Loop loop, Stream st, int i) {
    if (st.loop != loop) {
      throw new IllegalArgumentException("stdio " + i + ": " + st + " belongs to another loop");
    }
    if (st.isClosing()) {
      throw new IllegalArgumentException("stdio " + i + ": " + st + " is closed");
    }
  }

  /** The child's process id (kept after exit and close). */
  public int pid() {
    return pid;
  }

  /** The program this process runs (as given to {@link SpawnOptions#command}). */
  public String file() {
    return file;
  }

  /** Whether the exit callback ran (the child was reaped). */
  public boolean hasExited() {
    loop.checkThread();
    return exited;
  }

  /** The exit status once exited, else -1. */
  public long exitStatus() {
    loop.checkThread();
    return exited ? exitStatus : -1;
  }

  /** The terminating signal once exited (0 if it exited by itself), else -1. */
  public int termSignal() {
    loop.checkThread();
    return exited ? termSignal : -1;
  }

  /**
   * {@code uv_process_kill}: sends {@code signum} (0 only checks that the child exists).
   *
   * @throws UvException {@code ESRCH} once the child exited (its pid may belong to another
   *     process by then: no signal is sent), or from {@code kill} ({@code EPERM}...)
   * @throws IllegalArgumentException if {@code signum} is negative or not below {@link Signal#nsig()}
   * @throws IllegalStateException if the handle is closed or this is not the loop's thread
   */
  public void kill(int signum) throws UvException {
    if (signum < 0 || signum >= Signal.nsig()) {
      throw new IllegalArgumentException("not a signal number: " + signum);
    }
    long a = open();
    if (exited) {
      throw new UvException(Errno.code("ESRCH"), "uv_process_kill", file, null, "pid " + pid + " exited");
    }
    int r = nKill(a, signum);
    if (r != 0) {
      throw new UvException(r, "uv_process_kill", file, null, "pid " + pid);
    }
  }

  /** From the native exit callback, on the loop thread. */
  private void onExit(long status, int signal) {
    exited = true;
    exitStatus = status;
    termSignal = signal;
    ExitCallback cb = exitCallback;
    // libuv collects every exited child first, then calls their exit callbacks in turn; one that
    // closes another process handle of the same batch does not stop that one's callback (libuv
    // 1.44 to 1.50 at least). A closed handle gets no callback but its close callback.
    if (cb != null && !closeRequested()) {
      try {
        cb.onExit(this, status, signal);
      } catch (Throwable t) {
        loop.callbackFailed(this, t);
      }
    }
  }

  @Override
  void clearCallbacks() {
    exitCallback = null;
  }

  private static native long nAlloc(ChildProcess self);

  private static native void nSetNonblocking(int fd);

  private static native int nSpawn(long loop, long h, byte[] file, byte[][] args, byte[][] env,
      byte[] cwd, int flags, int uid, int gid, int[] stdioFlags, int[] stdioFds, long[] stdioStreams);

  private static native int nPid(long h);

  private static native int nKill(long h, int signum);

  private static native int[] nConstants();
}
