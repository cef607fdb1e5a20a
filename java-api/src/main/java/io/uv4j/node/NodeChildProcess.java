package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.UvException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Node's {@code child_process} module on a {@link NodeRuntime}: {@link #spawn}, {@link #exec},
 * {@link #execFile} (callback and promise forms) and {@link #fork} (a child JVM with an IPC
 * channel). The child's side of the channel is {@link ParentProcess#of}.
 *
 * <pre>{@code
 * NodeRuntime.run(node -> {
 *   NodeChildProcess cp = NodeChildProcess.of(node);
 *   cp.exec("ls -l", null, (err, stdout, stderr) -> System.out.print(stdout));
 *   Subprocess child = cp.spawn("sort", List.of(), null);
 *   child.stdout().onData(b -> System.out.print(new String(b)));
 *   child.stdin().end("b\na\n");
 * });
 * }</pre>
 *
 * All methods run on the runtime's thread.
 */
public final class NodeChildProcess {
  /** Node's default {@code maxBuffer} for exec/execFile: 1 MiB. */
  public static final long MAX_BUFFER = 1024 * 1024;

  private final NodeRuntime node;

  private NodeChildProcess(NodeRuntime node) {
    this.node = node;
  }

  /**
   * The module for {@code node}.
   *
   * @throws NullPointerException if {@code node} is null
   */
  public static NodeChildProcess of(NodeRuntime node) {
    return new NodeChildProcess(Objects.requireNonNull(node, "node"));
  }

  /**
   * Options of spawn, exec, execFile and fork (a mutable builder; null everywhere means all
   * defaults). Node's names and defaults.
   */
  public static final class Options {
    private String cwd;
    private Map<String, String> env;
    private List<String> stdio;
    private boolean detached;
    private String argv0;
    private long timeout;
    private String killSignal = "SIGTERM";
    private long maxBuffer = MAX_BUFFER;
    private boolean silent;
    private List<String> execArgv;
    private String execPath;
    private String classPath;

    /** The child's working directory (default: this process's). */
    public Options cwd(String cwd) {
      this.cwd = cwd;
      return this;
    }

    /** The child's whole environment (default: this process's). */
    public Options env(Map<String, String> env) {
      this.env = env == null ? null : new LinkedHashMap<>(env);
      return this;
    }

    /** {@code stdio: 'pipe' | 'inherit' | 'ignore'} for descriptors 0, 1 and 2. */
    public Options stdio(String all) {
      Objects.requireNonNull(all, "stdio");
      return stdio(all, all, all);
    }

    /**
     * {@code stdio: [...]}: one of {@code "pipe"}, {@code "inherit"}, {@code "ignore"},
     * {@code "ipc"} (at most once) per child descriptor; null entries are Node's defaults.
     */
    public Options stdio(String... perFd) {
      this.stdio = new ArrayList<>(Arrays.asList(perFd));
      return this;
    }

    /** {@code detached}: the child leads a new session (see {@link Subprocess#unref()}). */
    public Options detached(boolean detached) {
      this.detached = detached;
      return this;
    }

    /** {@code argv0}: the name the child sees as its argv[0]. */
    public Options argv0(String argv0) {
      this.argv0 = argv0;
      return this;
    }

    /** {@code timeout} in ms (0: none): then the child gets {@link #killSignal}. */
    public Options timeout(long ms) {
      if (ms < 0) {
        throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"timeout\" is out of range. It must be an unsigned integer. Received " + ms);
      }
      this.timeout = ms;
      return this;
    }

    /** {@code killSignal} for timeouts and maxBuffer (default SIGTERM). */
    public Options killSignal(String signal) {
      this.killSignal = Objects.requireNonNull(signal, "signal");
      return this;
    }

    /** exec/execFile: the most bytes of stdout or stderr kept (default 1 MiB); more kills the child. */
    public Options maxBuffer(long bytes) {
      if (bytes < 0) {
        throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"options.maxBuffer\" is out of range. It must be a positive number. Received " + bytes);
      }
      this.maxBuffer = bytes;
      return this;
    }

    /** fork: the child's stdio are pipes (default: inherited). */
    public Options silent(boolean silent) {
      this.silent = silent;
      return this;
    }

    /** fork: the JVM's options before the main class (default {@code --enable-native-access=ALL-UNNAMED}). */
    public Options execArgv(List<String> args) {
      this.execArgv = args == null ? null : new ArrayList<>(args);
      return this;
    }

    /** fork: the java launcher (default: this JVM's {@code java.home}/bin/java). */
    public Options execPath(String path) {
      this.execPath = path;
      return this;
    }

    /** fork: the child's class path (default: this JVM's {@code java.class.path}). */
    public Options classPath(String cp) {
      this.classPath = cp;
      return this;
    }

    /** A copy of these options (cluster: each worker's fork adds its own environment). */
    Options copy() {
      Options o = new Options();
      o.cwd = cwd;
      o.env = env == null ? null : new LinkedHashMap<>(env);
      o.stdio = stdio == null ? null : new ArrayList<>(stdio);
      o.detached = detached;
      o.argv0 = argv0;
      o.timeout = timeout;
      o.killSignal = killSignal;
      o.maxBuffer = maxBuffer;
      o.silent = silent;
      o.execArgv = execArgv == null ? null : new ArrayList<>(execArgv);
      o.execPath = execPath;
      o.classPath = classPath;
      return o;
    }

    String cwd() { return cwd; }
    Map<String, String> env() { return env; }
    List<String> stdio() { return stdio == null ? List.of("pipe", "pipe", "pipe") : stdio; }
    boolean detached() { return detached; }
    String argv0() { return argv0; }
  }

  private static Options opts(Options o) {
    return o != null ? o : new Options();
  }

  // ================================================================== spawn

  /**
   * {@code child_process.spawn(file, args, options)}: runs {@code file} (searched in PATH) with
   * {@code args}. A program that cannot be run is reported by the child's {@code 'error'} event,
   * not thrown.
   *
   * @throws NodeError ERR_INVALID_ARG_VALUE for an empty file or a bad stdio value;
   *     ERR_UNKNOWN_SIGNAL for a bad killSignal
   * @throws SystemError for spawn failures other than ENOENT, EACCES, EAGAIN, EMFILE, ENFILE
   * @throws NullPointerException if {@code file} or {@code args} is null
   */
  public Subprocess spawn(String file, List<String> args, Options options) {
    node.checkThread();
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(args, "args");
    if (file.isEmpty()) {
      throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument 'file' cannot be empty. Received ''");
    }
    Options o = opts(options);
    checkSignal(o.killSignal);
    Subprocess child = new Subprocess(node);
    child.spawn(file, args, o);
    if (o.timeout > 0) {
      Timeout[] t = new Timeout[1];
      t[0] = node.setTimeout(() -> {
        t[0] = null;
        try {
          child.kill(o.killSignal);
        } catch (NodeError e) {
          child.emit("error", e);
        }
      }, o.timeout);
      child.once("exit", () -> {
        if (t[0] != null) {
          node.clearTimeout(t[0]);
          t[0] = null;
        }
      });
    }
    return child;
  }

  private static void checkSignal(String name) {
    try {
      io.uv4j.Signal.number(name);
    } catch (IllegalArgumentException e) {
      throw new NodeError("ERR_UNKNOWN_SIGNAL", "Unknown signal: " + name);
    }
  }

  // ================================================================== exec / execFile

  /** What {@link #exec} and {@link #execFile} call once the child closed (or failed to start). */
  @FunctionalInterface
  public interface ExecCallback {
    /**
     * @param error null when the child exited with 0; else an {@link ExecError}
     * @param stdout what the child wrote to stdout (UTF-8), up to {@code maxBuffer} bytes
     * @param stderr likewise for stderr
     */
    void done(ExecError error, String stdout, String stderr);
  }

  /** The promise forms' value: {@code {stdout, stderr}}. */
  public record ExecResult(String stdout, String stderr) {}

  /**
   * {@code child_process.exec(command, options, callback)}: runs {@code command} with
   * {@code /bin/sh -c}.
   */
  public Subprocess exec(String command, Options options, ExecCallback callback) {
    Objects.requireNonNull(command, "command");
    return execFileInternal("/bin/sh", List.of("-c", command), command, List.of(), options, callback);
  }

  /** {@code util.promisify(exec)(command, options)}: rejected with the {@link ExecError}, which carries stdout and stderr. */
  public Promise<ExecResult> execPromise(String command, Options options) {
    return promised(cb -> exec(command, options, cb));
  }

  /**
   * {@code child_process.execFile(file, args, options, callback)}: like {@link #spawn} (no
   * shell), with stdout and stderr collected.
   */
  public Subprocess execFile(String file, List<String> args, Options options, ExecCallback callback) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(args, "args");
    return execFileInternal(file, args, file, args, options, callback);
  }

  /** {@code util.promisify(execFile)(file, args, options)}. */
  public Promise<ExecResult> execFilePromise(String file, List<String> args, Options options) {
    return promised(cb -> execFile(file, args, options, cb));
  }

  private Promise<ExecResult> promised(java.util.function.Consumer<ExecCallback> start) {
    return Promise.create(node, (resolve, reject) -> start.accept((err, out, errOut) -> {
      if (err != null) {
        err.stdout = out;
        err.stderr = errOut;
        reject.accept(err);
      } else {
        resolve.accept(new ExecResult(out, errOut));
      }
    }));
  }

  private Subprocess execFileInternal(String file, List<String> args, String cmdFile, List<String> cmdArgs,
      Options options, ExecCallback callback) {
    Options o = opts(options);
    checkSignal(o.killSignal);
    Options spawnOpts = new Options().cwd(o.cwd).env(o.env).argv0(o.argv0);
    Subprocess child = spawn(file, args, spawnOpts);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long maxBuffer = o.maxBuffer;
    Object[] ex = {null};
    boolean[] killed = {false};
    boolean[] exited = {false};
    Timeout[] timeoutId = {null};

    Runnable[] exithandlerNoArgs = new Runnable[1];
    java.util.function.BiConsumer<Integer, String> exithandler = (code, signal) -> {
      if (exited[0]) {
        return;
      }
      exited[0] = true;
      if (timeoutId[0] != null) {
        node.clearTimeout(timeoutId[0]);
        timeoutId[0] = null;
      }
      if (callback == null) {
        return;
      }
      String stdout = Encodings.decode(out.toByteArray(), "utf8"); // as Buffer#toString: V8's U+FFFD rules
      String stderr = Encodings.decode(err.toByteArray(), "utf8");
      if (ex[0] == null && code != null && code == 0 && signal == null) {
        callback.done(null, stdout, stderr);
        return;
      }
      String cmd = cmdFile;
      if (!cmdArgs.isEmpty()) {
        cmd += " " + String.join(" ", cmdArgs);
      }
      ExecError e;
      if (ex[0] == null) {
        String c = code == null ? null : code < 0 ? errName(code) : code.toString();
        e = new ExecError("Command failed: " + cmd + "\n" + stderr, c, code != null && code >= 0 ? code : null,
            child.killed() || killed[0], signal, cmd, null);
      } else {
        NodeError cause = (NodeError) ex[0];
        e = new ExecError(cause.getMessage(), cause.code(), null, null, null, cmd, cause);
      }
      callback.done(e, stdout, stderr);
    };
    exithandlerNoArgs[0] = () -> exithandler.accept(null, null);

    Runnable kill = () -> {
      if (child.stdout() != null) {
        child.stdout().destroy();
      }
      if (child.stderr() != null) {
        child.stderr().destroy();
      }
      killed[0] = true;
      try {
        child.kill(o.killSignal);
      } catch (NodeError e) {
        ex[0] = e;
        exithandlerNoArgs[0].run();
      }
    };

    if (o.timeout > 0) {
      timeoutId[0] = node.setTimeout(() -> {
        kill.run();
        timeoutId[0] = null;
      }, o.timeout);
    }
    collect(child.stdout(), out, maxBuffer, "stdout", ex, kill);
    collect(child.stderr(), err, maxBuffer, "stderr", ex, kill);
    child.on("close", args2 -> exithandler.accept((Integer) args2[0], (String) args2[1]));
    child.on("error", args2 -> {
      ex[0] = args2[0];
      if (child.stdout() != null) {
        child.stdout().destroy();
      }
      if (child.stderr() != null) {
        child.stderr().destroy();
      }
      exithandlerNoArgs[0].run();
    });
    return child;
  }

  private static void collect(PipeSocket s, ByteArrayOutputStream buf, long maxBuffer, String name,
      Object[] ex, Runnable kill) {
    if (s == null) {
      return;
    }
    long[] len = {0};
    s.onData(chunk -> {
      len[0] += chunk.length;
      if (len[0] > maxBuffer) {
        long truncated = maxBuffer - (len[0] - chunk.length);
        buf.write(chunk, 0, (int) Math.max(0, truncated));
        ex[0] = new NodeError("ERR_CHILD_PROCESS_STDIO_MAXBUFFER", name + " maxBuffer length exceeded");
        kill.run();
      } else {
        buf.write(chunk, 0, chunk.length);
      }
    });
  }

  private static String errName(int code) {
    try {
      return new UvException(code, "x").errorName();
    } catch (RuntimeException e) {
      return "Unknown system error " + code;
    }
  }

  /**
   * The error exec/execFile report. For a child that ran and failed (non-zero exit, a signal, a
   * timeout) it is Node's "Command failed: CMD\nSTDERR" error with {@link #exitCode()},
   * {@link #killed()} and {@link #signal()}; otherwise ({@code ENOENT}, maxBuffer, a failed kill)
   * it carries the message and code of the original error, which is its {@link #getCause()}
   * ({@link #isCommandFailure()} false: Node leaves killed and signal undefined then). Both have
   * {@link #cmd()}; the promise forms add {@link #stdout()} and {@link #stderr()}.
   */
  public static final class ExecError extends NodeError {
    private static final long serialVersionUID = 1L;
    private final String code;
    private final Integer exitCode;
    private final Boolean killed;
    private final String signal;
    private final String cmd;
    String stdout;
    String stderr;

    ExecError(String message, String code, Integer exitCode, Boolean killed, String signal, String cmd,
        NodeError cause) {
      super(code == null ? "null" : code, message, cause);
      this.code = code;
      this.exitCode = exitCode;
      this.killed = killed;
      this.signal = signal;
      this.cmd = cmd;
    }

    /** Node's {@code err.code}: the exit code as a string, null after a signal, or the original error's code. */
    @Override
    public String code() {
      return code;
    }

    /** The child's exit code when it exited non-zero, else null. */
    public Integer exitCode() {
      return exitCode;
    }

    /** Whether this is the "Command failed" error (killed and signal are defined). */
    public boolean isCommandFailure() {
      return getCause() == null;
    }

    /** {@code err.killed}; null when not a command failure. */
    public Boolean killed() {
      return killed;
    }

    /** {@code err.signal}: the signal that ended the child, or null. */
    public String signal() {
      return signal;
    }

    /** {@code err.cmd}: the command line. */
    public String cmd() {
      return cmd;
    }

    /** The promise forms: what stdout held (null with the callback forms, which get it as an argument). */
    public String stdout() {
      return stdout;
    }

    /** The promise forms: what stderr held. */
    public String stderr() {
      return stderr;
    }
  }

  // ================================================================== fork

  /**
   * {@code child_process.fork}: runs {@code mainClass} in a new JVM with an IPC channel on
   * descriptor 3, passed as {@code NODE_CHANNEL_FD=3} (and
   * {@code NODE_CHANNEL_SERIALIZATION_MODE=json}) in its environment, as Node does. The child
   * talks back through {@link ParentProcess#of}. Command line: {@code execPath execArgv -cp
   * classPath [-Duv4j.library.path=...] mainClass args}. stdio 0-2 are inherited unless
   * {@link Options#silent} (then pipes), or as {@link Options#stdio(String...)} gives them (which
   * must then contain "ipc").
   *
   * @throws NodeError ERR_CHILD_PROCESS_IPC_REQUIRED if an explicit stdio has no "ipc"
   */
  public Subprocess fork(String mainClass, List<String> args, Options options) {
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(args, "args");
    Options o = opts(options);
    List<String> stdio;
    if (o.stdio != null) {
      if (!o.stdio.contains("ipc")) {
        throw new NodeError("ERR_CHILD_PROCESS_IPC_REQUIRED",
            "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio");
      }
      stdio = o.stdio;
    } else {
      String s = o.silent ? "pipe" : "inherit";
      stdio = List.of(s, s, s, "ipc");
    }
    String java = o.execPath != null ? o.execPath
        : Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    List<String> argv = new ArrayList<>(o.execArgv != null ? o.execArgv : List.of("--enable-native-access=ALL-UNNAMED"));
    argv.add("-cp");
    argv.add(o.classPath != null ? o.classPath : System.getProperty("java.class.path"));
    for (String p : List.of("uv4j.library.path", "uv4j.tmpdir", "java.library.path")) {
      String v = System.getProperty(p);
      if (v != null && !v.isEmpty()) {
        argv.add("-D" + p + "=" + v);
      }
    }
    argv.add(mainClass);
    argv.addAll(args);
    Options so = new Options().cwd(o.cwd).env(o.env).detached(o.detached).argv0(o.argv0)
        .timeout(o.timeout).killSignal(o.killSignal);
    so.stdio = new ArrayList<>(stdio);
    return spawn(java, argv, so);
  }

  static int errnoOf(String name) {
    return Errno.code(name);
  }
}
