package io.uv4j.node;

import io.uv4j.ChildProcess;
import io.uv4j.Errno;
import io.uv4j.Pipe;
import io.uv4j.Signal;
import io.uv4j.SpawnOptions;
import io.uv4j.StdioConfig;
import io.uv4j.UvException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Node's {@code ChildProcess} object (named {@code Subprocess} here: {@link io.uv4j.ChildProcess}
 * is the core handle), made by {@link NodeChildProcess#spawn}, {@code exec}, {@code execFile}
 * and {@code fork}. Events, in Node's order:
 *
 * <ul>
 *   <li>{@code 'spawn'} on the tick after a successful spawn;
 *   <li>{@code 'error'} ({@link SpawnError}) instead when the program could not be run
 *       ({@code ENOENT}, {@code EACCES}, {@code EAGAIN}, {@code EMFILE}, {@code ENFILE}), on the
 *       next tick; a failed {@link #kill} may also emit it;
 *   <li>{@code 'exit'} {@code (Integer code, String signal)} when the child ended (one of them is
 *       null);
 *   <li>{@code 'message'} and {@code 'disconnect'} with an IPC channel ({@link NodeChildProcess#fork});
 *   <li>{@code 'close'} {@code (code, signal)} once the child exited and every piped stdio stream
 *       (and the IPC channel, when the child disconnects) closed.
 * </ul>
 *
 * <pre>{@code
 * Subprocess child = NodeChildProcess.of(node).spawn("ls", List.of("/"), null);
 * child.on("spawn", a -> System.out.println("pid " + child.pid()));
 * child.stdout().onData(b -> System.out.print(new String(b, StandardCharsets.UTF_8)));
 * child.on("close", a -> System.out.println("exit code " + a[0] + ", signal " + a[1]));
 * }</pre>
 *
 * All methods run on the runtime's thread.
 */
public final class Subprocess extends EventEmitter {
  private static final int ENFILE = Errno.code("ENFILE");
  private static final int ESRCH = Errno.code("ESRCH");

  private final NodeRuntime node;
  private ChildProcess handle;
  private Integer pid;
  private Integer exitCode;
  private String signalCode;
  private boolean killed;
  private String spawnfile;
  private List<String> spawnargs = List.of();
  private PipeSocket stdin;
  private PipeSocket stdout;
  private PipeSocket stderr;
  private List<PipeSocket> stdio = new ArrayList<>();
  private IpcChannel channel;
  private int closesNeeded = 1;
  private int closesGot;

  Subprocess(NodeRuntime node) {
    this.node = node;
  }

  /** What one stdio entry is: {@code "pipe"}, {@code "inherit"}, {@code "ignore"} or {@code "ipc"}. */
  static List<String> normalizeStdio(List<String> stdio) {
    List<String> out = new ArrayList<>(stdio);
    while (out.size() < 3) {
      out.add("pipe");
    }
    int ipcs = 0;
    for (int i = 0; i < out.size(); i++) {
      String s = out.get(i);
      if (s == null) {
        out.set(i, i < 3 ? "pipe" : "ignore");
      } else if (s.equals("ipc")) {
        ipcs++;
      } else if (!s.equals("pipe") && !s.equals("inherit") && !s.equals("ignore")) {
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument 'stdio' is invalid. Received '" + s + "'");
      }
    }
    if (ipcs > 1) {
      throw new NodeError("ERR_IPC_ONE_PIPE", "Child process can have only one IPC pipe");
    }
    return out;
  }

  /** ChildProcess.prototype.spawn. */
  void spawn(String file, List<String> args, NodeChildProcess.Options o) {
    List<String> stdioKinds = normalizeStdio(o.stdio());
    SpawnOptions so = SpawnOptions.command(file, args.toArray(new String[0]));
    if (o.argv0() != null) {
      so.argv0(o.argv0());
    }
    List<Pipe> pipes = new ArrayList<>();
    Pipe ipc = null;
    int ipcFd = -1;
    for (int i = 0; i < stdioKinds.size(); i++) {
      switch (stdioKinds.get(i)) {
        case "pipe": {
          Pipe p = new Pipe(node.loop(), false);
          pipes.add(p);
          so.stdio(i, StdioConfig.pipe(p, i > 0, i == 0));
          break;
        }
        case "ipc": {
          ipc = new Pipe(node.loop(), true);
          ipcFd = i;
          pipes.add(ipc);
          so.stdio(i, StdioConfig.pipe(ipc, true, true));
          break;
        }
        case "inherit":
          so.stdio(i, StdioConfig.inherit(i));
          break;
        default:
          so.stdio(i, StdioConfig.ignore());
      }
    }
    Map<String, String> env = o.env() != null ? new LinkedHashMap<>(o.env()) : null;
    if (ipc != null) {
      if (env == null) {
        env = new LinkedHashMap<>(ProcessEnv.INSTANCE); // process.env as it is now, as Node's
      }
      env.put("NODE_CHANNEL_FD", Integer.toString(ipcFd));
      env.put("NODE_CHANNEL_SERIALIZATION_MODE", "json");
    }
    so.env(env);
    // process.chdir(): the layer's current directory is the default and the base of a relative cwd
    String cwd = o.cwd() != null ? (ProcessCwd.forChildren() != null ? ProcessCwd.resolve(o.cwd()) : o.cwd())
        : ProcessCwd.forChildren();
    so.cwd(cwd);
    so.detached(o.detached());
    this.spawnfile = file;
    List<String> all = new ArrayList<>();
    all.add(o.argv0() != null ? o.argv0() : file);
    all.addAll(args);
    this.spawnargs = Collections.unmodifiableList(all);

    int err = 0;
    try {
      handle = ChildProcess.spawn(node.loop(), so, (p, status, sig) -> node.makeCallback(() -> onExit(status, sig)));
      pid = handle.pid();
    } catch (UvException e) {
      err = e.code();
    }
    if (err == Errno.EACCES || err == Errno.EAGAIN || err == Errno.EMFILE || err == ENFILE
        || err == Errno.ENOENT) {
      int code = err;
      node.nextTick(() -> onExitError(code));
      if (err == Errno.EMFILE || err == ENFILE) {
        for (Pipe p : pipes) {
          p.close();
        }
        return;
      }
    } else if (err != 0) {
      for (Pipe p : pipes) {
        p.close();
      }
      throw SystemError.errno(new UvException(err, "uv_spawn", file, null), "spawn");
    } else {
      node.nextTick(() -> emit("spawn"));
    }
    int pi = 0;
    for (int i = 0; i < stdioKinds.size(); i++) {
      String kind = stdioKinds.get(i);
      if (kind.equals("ipc")) {
        closesNeeded++;
        pi++;
        stdio.add(null);
        continue;
      }
      if (!kind.equals("pipe")) {
        stdio.add(null);
        continue;
      }
      Pipe p = pipes.get(pi++);
      if (p.isClosing() || isUnopened(p)) {
        p.close();
        stdio.add(null);
        continue;
      }
      PipeSocket s = new PipeSocket(node, p, i > 0);
      stdio.add(s);
      if (i > 0) {
        closesNeeded++;
        s.on("close", this::maybeClose);
      }
    }
    stdio = Collections.unmodifiableList(stdio);
    stdin = stdio.size() > 0 ? stdio.get(0) : null;
    stdout = stdio.size() > 1 ? stdio.get(1) : null;
    stderr = stdio.size() > 2 ? stdio.get(2) : null;
    if (ipc != null) {
      channel = new IpcChannel(node, this, ipc, this::maybeClose);
      channel.start();
    }
  }

  private static boolean isUnopened(Pipe p) {
    try {
      p.fileno();
      return false;
    } catch (UvException e) {
      return true;
    }
  }

  private void onExit(long status, int sig) {
    if (sig != 0) {
      signalCode = Signal.name(sig);
    } else {
      exitCode = (int) status;
    }
    finishExit(null);
  }

  private void onExitError(int err) {
    exitCode = err;
    String syscall = "spawn " + spawnfile;
    UvException ue = new UvException(err, "uv_spawn", spawnfile, null);
    finishExit(new SpawnError(ue, syscall, spawnfile, spawnargs.subList(1, spawnargs.size())));
  }

  private void finishExit(SpawnError error) {
    if (stdin != null) {
      stdin.destroy();
    }
    if (handle != null) {
      handle.close();
      handle = null;
    }
    if (error != null) {
      emit("error", error);
    } else {
      emit("exit", exitCode, signalCode);
    }
    node.nextTick(this::flushStdio);
    maybeClose();
  }

  private void flushStdio() {
    for (PipeSocket s : stdio) {
      if (s == null || !s.isReadable() || s.readableFlowing() != null) {
        continue;
      }
      s.resume();
    }
  }

  private void maybeClose() {
    closesGot++;
    if (closesGot == closesNeeded) {
      emit("close", exitCode, signalCode);
    }
  }

  // ---------------------------------------------------------------- API

  /** {@code kill()}: sends SIGTERM. */
  public boolean kill() {
    return kill("SIGTERM");
  }

  /**
   * {@code kill(signal)}: a signal name such as {@code "SIGKILL"}. Returns true if the signal was
   * sent; false once the child exited. Other failures emit {@code 'error'}.
   *
   * @throws NodeError {@code ERR_UNKNOWN_SIGNAL} for an unknown name
   */
  public boolean kill(String signal) {
    int signum;
    try {
      signum = Signal.number(signal);
    } catch (IllegalArgumentException e) {
      throw new NodeError("ERR_UNKNOWN_SIGNAL", "Unknown signal: " + signal);
    }
    return kill(signum);
  }

  /**
   * {@code kill(signum)}; 0 only checks that the child exists.
   *
   * @throws NodeError {@code ERR_UNKNOWN_SIGNAL} for a negative number or one above the highest
   */
  public boolean kill(int signum) {
    if (signum < 0 || signum >= Signal.nsig()) {
      throw new NodeError("ERR_UNKNOWN_SIGNAL", "Unknown signal: " + signum);
    }
    if (handle != null && !handle.isClosing()) {
      try {
        handle.kill(signum);
        killed = true;
        return true;
      } catch (UvException e) {
        if (e.code() == ESRCH) {
          return false;
        }
        if (e.code() == Errno.EINVAL || e.code() == Errno.ENOSYS) {
          throw SystemError.errno(e, "kill");
        }
        emit("error", SystemError.errno(e, "kill"));
      }
    }
    return false;
  }

  /** {@code child.pid}: null when the spawn failed. */
  public Integer pid() {
    return pid;
  }

  /** {@code child.exitCode}: null while running or when a signal ended it (negative after a failed spawn). */
  public Integer exitCode() {
    return exitCode;
  }

  /** {@code child.signalCode}: the signal's name if one ended the child, else null. */
  public String signalCode() {
    return signalCode;
  }

  /** {@code child.killed}: whether {@link #kill} sent a signal successfully. */
  public boolean killed() {
    return killed;
  }

  /** {@code child.spawnfile}. */
  public String spawnfile() {
    return spawnfile;
  }

  /** {@code child.spawnargs}: argv, argv0 included. */
  public List<String> spawnargs() {
    return spawnargs;
  }

  /** {@code child.stdin}: writable, or null unless stdio[0] is "pipe". */
  public PipeSocket stdin() {
    return stdin;
  }

  /** {@code child.stdout}: readable, or null unless stdio[1] is "pipe". */
  public PipeSocket stdout() {
    return stdout;
  }

  /** {@code child.stderr}: readable, or null unless stdio[2] is "pipe". */
  public PipeSocket stderr() {
    return stderr;
  }

  /** {@code child.stdio}: one entry per descriptor, null where it is not a pipe. */
  public List<PipeSocket> stdio() {
    return stdio;
  }

  /** {@code child.connected}: whether send() works (an IPC channel that was not disconnected). */
  public boolean connected() {
    return channel != null && channel.connected();
  }

  /** {@code child.send(message)} over the IPC channel; see {@link #send(Object, Consumer)}. */
  public boolean send(Object message) {
    return send(message, null);
  }

  /**
   * {@code child.send(message, callback)}: writes {@code message} as one line of JSON
   * ({@link Json#stringify}); {@code callback} gets null once it is written (on a later tick), or
   * the error. Returns false once more than 128 KiB wait to be written. After a disconnect the
   * callback (or an {@code 'error'} event without one) gets {@code ERR_IPC_CHANNEL_CLOSED}.
   *
   * @throws IllegalArgumentException if {@code message} is not JSON-serialisable
   * @throws IllegalStateException if this child has no IPC channel (not forked, no "ipc" stdio)
   */
  public boolean send(Object message, Consumer<Throwable> callback) {
    if (channel == null) {
      throw new IllegalStateException("no IPC channel: spawn with an \"ipc\" stdio entry or use fork()");
    }
    return channel.send(message, callback);
  }

  /**
   * {@code child.send(message, sendHandle, callback)}: {@code message} travels with a handle, as
   * in Node: a {@link Net.Server} (it keeps listening here; the receiver gets a
   * {@link Net.Server} listening on the same socket), a {@link Net.Socket} (destroyed here once
   * written; the receiver gets it connected) or a core {@link io.uv4j.Tcp} (the receiver gets a
   * raw Tcp; this one stays open: close it in {@code callback}). The receiver's
   * {@code 'message'} listeners get {@code (message, handle)}; the message and its handle arrive
   * together, in the order of the sends. {@code callback} (may be null) gets null once written.
   *
   * @throws NodeError ERR_INVALID_HANDLE_TYPE for another handle, ERR_SERVER_NOT_RUNNING for a
   *     server that does not listen, ERR_SOCKET_CLOSED for a destroyed socket
   * @throws IllegalStateException if this child has no IPC channel
   */
  public boolean send(Object message, Object sendHandle, Consumer<Throwable> callback) {
    if (channel == null) {
      throw new IllegalStateException("no IPC channel: spawn with an \"ipc\" stdio entry or use fork()");
    }
    return sendHandle == null ? channel.send(message, callback)
        : channel.sendHandle(message, sendHandle, false, callback);
  }

  IpcChannel channel() {
    return channel;
  }

  /**
   * {@code child.disconnect()}: closes the IPC channel; {@code 'disconnect'} follows on the next
   * tick. A second call emits {@code 'error'} ({@code ERR_IPC_DISCONNECTED}).
   *
   * @throws IllegalStateException if this child has no IPC channel
   */
  public void disconnect() {
    if (channel == null) {
      throw new IllegalStateException("no IPC channel");
    }
    channel.disconnect();
  }

  /** {@code child.ref()}: the child keeps the loop alive (the default). */
  public Subprocess ref() {
    if (handle != null && !handle.isClosing()) {
      handle.ref();
    }
    return this;
  }

  /** {@code child.unref()}: the loop may end while the child runs. */
  public Subprocess unref() {
    if (handle != null && !handle.isClosing()) {
      handle.unref();
    }
    return this;
  }

  @Override
  public String toString() {
    return "Subprocess[" + spawnargs + " pid " + pid + "]";
  }

  /**
   * The error of a failed spawn (Node's ErrnoException with {@code path} and
   * {@code spawnargs}): {@code spawn FILE ENOENT}, code {@code ENOENT}, syscall
   * {@code spawn FILE}, path {@code FILE}.
   */
  public static final class SpawnError extends NodeError {
    private static final long serialVersionUID = 1L;
    private final int errno;
    private final String syscall;
    private final String path;
    private final List<String> spawnargs;

    SpawnError(UvException e, String syscall, String path, List<String> spawnargs) {
      super(e.errorName(), syscall + " " + e.errorName(), e);
      this.errno = e.code();
      this.syscall = syscall;
      this.path = path;
      this.spawnargs = List.copyOf(spawnargs);
    }

    /** libuv's (negative) error number, Node's {@code err.errno}. */
    public int errno() {
      return errno;
    }

    /** {@code "spawn FILE"}. */
    public String syscall() {
      return syscall;
    }

    /** The program that could not be run. */
    public String path() {
      return path;
    }

    /** The arguments after argv0. */
    public List<String> spawnargs() {
      return spawnargs;
    }
  }
}
