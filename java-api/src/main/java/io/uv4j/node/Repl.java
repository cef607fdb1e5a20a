package io.uv4j.node;

import io.uv4j.Async;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tty;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * A read-eval-print loop on a live {@link NodeRuntime}, like Node's REPL but for Java snippets,
 * evaluated with the JDK's {@code jdk.jshell} API in this JVM. Each snippet runs <em>on the loop
 * thread, between iterations</em> (inside {@link NodeRuntime#makeCallback}, so its nextTicks and
 * promise reactions run right after it), while timers, sockets and child processes keep running
 * between inputs: compiling happens on a separate thread ({@code uv4j-repl}).
 *
 * <p>In scope: {@code node} (the runtime), {@code net}, {@code fs}, {@code dns},
 * {@code child_process}, {@code dgram}, {@code crypto}, the methods {@code setTimeout},
 * {@code setInterval}, {@code setImmediate}, {@code clearTimeout}, {@code clearInterval},
 * {@code nextTick}, {@code log(Object)}, and the imports {@code io.uv4j.node.*},
 * {@code java.util.*}, {@code java.util.function.*}. {@code _} is the last expression's value
 * (Java reserves {@code _}: the REPL rewrites the token to the variable holding it).
 *
 * <p>Results print as Node's REPL prints them: the value of an expression ({@code 'text'} for
 * strings), {@code undefined} for statements and declarations, {@code Uncaught ...} for an
 * exception (also one thrown later by a callback while the REPL is open: it is printed and the
 * REPL goes on; once it is closed such an exception ends the runtime as usual). Input
 * spanning lines continues with a {@code ...} prompt until complete. Commands: {@code .break},
 * {@code .clear}, {@code .editor}, {@code .exit}, {@code .help}, {@code .load FILE},
 * {@code .save FILE}.
 *
 * <p>{@link #start(NodeRuntime)} on a terminal edits lines itself (stdin in raw mode through a
 * libuv {@link Tty} handle read on the loop): left/right, Home/End, Ctrl-A/E/K/U/W, history with
 * up/down (kept in {@code ~/.uv4j_repl_history}, or the file named by
 * {@code UV4J_REPL_HISTORY}; empty disables it), Tab completion, Ctrl-C (aborts the input; twice
 * on an empty line exits), Ctrl-D (exits on an empty line). Otherwise, and with
 * {@link #start(NodeRuntime, InputStream, PrintStream)}, it reads lines.
 *
 * <p>The REPL keeps the loop alive until it is closed ({@code .exit}, end of input,
 * {@link #close()}); then {@link #onExit} runs on the loop thread.
 *
 * <h2>Module</h2>
 * The {@code io.uv4j} module {@code requires static jdk.jshell}: the library does not need the
 * module, this class does. On the class path it is there in any full JDK; on the module path add
 * {@code --add-modules jdk.jshell}; in a {@code jlink} image without it, using this class throws
 * {@link NoClassDefFoundError}.
 *
 * <pre>{@code
 * NodeRuntime.run(node -> {
 *   try {
 *     Repl.start(node).onExit(() -> System.out.println("bye"));
 *   } catch (UvException e) {
 *     throw new UncheckedIOException(e);
 *   }
 * });
 * }</pre>
 */
public final class Repl {
  private static final Map<NodeRuntime, Repl> REPLS = new java.util.WeakHashMap<>();

  private final NodeRuntime node;
  final PrintStream out;
  private final Async keepAlive;
  final ExecutorService evalThread;
  private Runnable onExit;
  volatile boolean closed;
  private volatile boolean exiting;

  // ---- eval-thread state
  JShell shell;
  final StringBuilder pending = new StringBuilder();
  StringBuilder editorBuffer; // non-null in editor mode
  private final List<String> sessionLines = new ArrayList<>();
  private String lastVar;

  // ---- snapshots the input side reads while the eval thread is idle
  volatile boolean multiLine;
  volatile boolean editorMode;

  // ---- terminal mode (loop thread)
  private Tty tty;
  ReplEditor editor;

  // ---- line mode
  private Semaphore lineReady;

  private Repl(NodeRuntime node, PrintStream out) {
    this.node = node;
    this.out = out;
    this.keepAlive = new Async(node.loop(), a -> { });
    this.evalThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "uv4j-repl");
      t.setDaemon(true);
      return t;
    });
    synchronized (REPLS) {
      REPLS.put(node, this);
    }
    node.onUncaughtException(t -> {
      if (closed) {
        // the REPL is gone: the runtime's default applies again (print, exit code 1)
        throw new IllegalStateException("uncaught after the REPL closed: " + t, t);
      }
      out.println("Uncaught " + t);
      if (!closed && editor != null) {
        editor.redraw();
      }
    });
  }

  /**
   * Starts a REPL on this process's stdin and stdout: with line editing when stdin is a terminal,
   * reading lines otherwise.
   *
   * @throws IllegalStateException if not called on the runtime's thread
   * @throws UvException if the terminal cannot be put in raw mode
   */
  public static Repl start(NodeRuntime node) throws UvException {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    if (Uv.guessHandle(0) != Uv.HandleType.TTY) {
      return start(node, System.in, System.out);
    }
    Repl r = new Repl(node, System.out);
    r.tty = new Tty(node.loop(), 0);
    r.tty.setMode(Tty.Mode.RAW);
    r.editor = new ReplEditor(r, historyFile());
    r.init(() -> r.editor.resume("> "));
    r.tty.readStart(new ReadCallback() {
      @Override
      public void onData(Stream stream, ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        r.editor.feed(b);
      }

      @Override
      public void onEnd(Stream stream) {
        r.close();
      }

      @Override
      public void onError(Stream stream, UvException error) {
        r.close();
      }
    });
    return r;
  }

  /**
   * Starts a REPL reading lines from {@code in} (on a daemon thread) and printing to {@code out}.
   * The end of {@code in} closes it.
   *
   * @throws IllegalStateException if not called on the runtime's thread
   * @throws NullPointerException if an argument is null
   */
  public static Repl start(NodeRuntime node, InputStream in, PrintStream out) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    node.checkThread();
    Repl r = new Repl(node, out);
    r.lineReady = new Semaphore(0);
    r.init(() -> {
      r.prompt();
      r.lineReady.release();
    });
    Thread reader = new Thread(() -> r.readLines(in), "uv4j-repl-input");
    reader.setDaemon(true);
    reader.start();
    return r;
  }

  /** Runs {@code action} on the loop thread once the REPL closed (e.g. {@code () -> node.exit(0)}). */
  public Repl onExit(Runnable action) {
    node.checkThread();
    this.onExit = action;
    return this;
  }

  /**
   * Prints {@code value} on the output of the REPL of the runtime running on this thread (the
   * {@code log} of snippets), or on {@code System.out} when there is none.
   */
  public static void log(Object value) {
    Repl r;
    synchronized (REPLS) {
      r = REPLS.get(NodeRuntime.current());
    }
    (r != null && !r.closed ? r.out : System.out).println(value);
  }

  /** Whether the REPL was closed. */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Closes the REPL: restores the terminal, lets the loop end (unless other handles keep it
   * alive), stops the compiler, then runs {@link #onExit}. Idempotent.
   *
   * @throws IllegalStateException if not called on the runtime's thread
   */
  public void close() {
    node.checkThread();
    if (closed) {
      return;
    }
    closed = true;
    if (tty != null) {
      try {
        tty.setMode(Tty.Mode.NORMAL);
      } catch (UvException e) {
        // the terminal went away: nothing to restore
      }
      tty.close();
      tty = null;
    }
    keepAlive.close();
    evalThread.execute(() -> {
      if (shell != null) {
        shell.close();
        shell = null;
      }
    });
    evalThread.shutdown();
    out.flush();
    if (onExit != null) {
      onExit.run();
    }
  }

  // ================================================================== evaluation (eval thread)

  private void init(Runnable whenReady) {
    evalThread.execute(() -> {
      try {
        newShell();
      } catch (RuntimeException | Error e) {
        out.println("REPL: cannot start jshell: " + e);
        toLoop(this::close);
        return;
      }
      toLoop(whenReady);
    });
  }

  private void newShell() {
    shell = JShell.builder()
        .executionEngine(new LoopExecutionProvider(), Map.of())
        .out(out).err(out)
        .build();
    String cp = System.getProperty("java.class.path");
    if (cp != null && !cp.isEmpty()) {
      shell.addToClasspath(cp);
    }
    String mp = System.getProperty("jdk.module.path");
    if (mp != null && !mp.isEmpty()) {
      shell.addToClasspath(mp);
    }
    String src = ReplText.PRELUDE;
    while (!src.isBlank()) {
      SourceCodeAnalysis.CompletionInfo ci = shell.sourceCodeAnalysis().analyzeCompletion(src);
      for (SnippetEvent e : shell.eval(ci.source())) {
        if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
          throw new IllegalStateException("prelude failed: " + ci.source() + " "
              + describeRejection(e.snippet()) + (e.exception() != null ? " " + e.exception() : ""));
        }
      }
      src = ci.remaining();
    }
    lastVar = null;
  }

  /** One line of input (without its newline), on the eval thread. Returns the next prompt. */
  String handleLine(String line) {
    if (editorBuffer != null) {
      editorBuffer.append(line).append('\n');
      return "";
    }
    if (line.trim().startsWith(".") && (pending.length() == 0
        || ReplText.COMMANDS.contains(line.trim().split(" ", 2)[0]))) {
      String cmd = command(line.trim());
      if (cmd != null) {
        return cmd;
      }
    }
    sessionLines.add(line);
    pending.append(line).append('\n');
    return evalPending();
  }

  private String evalPending() {
    String src = rewriteUnderscore(pending.toString());
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    while (!src.isBlank()) {
      SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(src);
      SourceCodeAnalysis.Completeness c = ci.completeness();
      if (c == SourceCodeAnalysis.Completeness.DEFINITELY_INCOMPLETE
          || c == SourceCodeAnalysis.Completeness.CONSIDERED_INCOMPLETE) {
        pending.setLength(0);
        pending.append(src);
        return "... ";
      }
      if (c == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      String source = c == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI ? ci.source() : ci.source();
      evalOne(source);
      src = ci.remaining();
    }
    pending.setLength(0);
    return "> ";
  }

  private void evalOne(String source) {
    List<SnippetEvent> events = shell.eval(source);
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // an update of another snippet
      }
      Snippet s = e.snippet();
      if (e.status() == Snippet.Status.REJECTED) {
        out.println(describeRejection(s));
        continue;
      }
      if (e.exception() != null) {
        out.println("Uncaught " + ReplText.describe(e.exception()));
        continue;
      }
      switch (s.subKind()) {
        case TEMP_VAR_EXPRESSION_SUBKIND:
        case VAR_VALUE_SUBKIND:
        case ASSIGNMENT_SUBKIND: {
          String type = s instanceof jdk.jshell.VarSnippet ? ((jdk.jshell.VarSnippet) s).typeName()
              : s instanceof jdk.jshell.ExpressionSnippet ? ((jdk.jshell.ExpressionSnippet) s).typeName() : "";
          out.println(ReplText.format(e.value(), type));
          lastVar = s instanceof jdk.jshell.VarSnippet ? ((jdk.jshell.VarSnippet) s).name()
              : ((jdk.jshell.ExpressionSnippet) s).name();
          break;
        }
        default:
          out.println("undefined");
      }
    }
  }

  private String describeRejection(Snippet s) {
    StringBuilder sb = new StringBuilder();
    shell.diagnostics(s).forEach(d -> {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(d.isError() ? "error: " : "warning: ").append(d.getMessage(Locale.ROOT));
    });
    if (sb.length() == 0) {
      List<String> unresolved = s instanceof jdk.jshell.DeclarationSnippet
          ? shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s).toList() : List.of();
      sb.append("error: rejected").append(unresolved.isEmpty() ? "" : ": cannot find " + unresolved);
    }
    return sb.toString();
  }

  /** For tests: {@link #rewriteUnderscore} with {@code last} as the last result's variable. */
  String rewriteForTest(String last, String src) {
    String saved = lastVar;
    lastVar = last;
    try {
      return rewriteUnderscore(src);
    } finally {
      lastVar = saved;
    }
  }

  /** Replaces each {@code _} token outside literals and comments by the last result's variable. */
  String rewriteUnderscore(String src) {
    return ReplText.rewriteUnderscore(src, lastVar);
  }

  /** A dot-command; null if {@code line} is not one (then it is Java). */
  private String command(String line) {
    int sp = line.indexOf(' ');
    String name = sp < 0 ? line : line.substring(0, sp);
    String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
    switch (name) {
      case ".help":
        out.println(ReplText.HELP);
        return "> ";
      case ".break":
        pending.setLength(0);
        return "> ";
      case ".clear":
        out.println("Clearing context...");
        pending.setLength(0);
        shell.close();
        newShell();
        return "> ";
      case ".exit":
        exiting = true;
        toLoop(this::close);
        return "";
      case ".editor":
        out.println("// Entering editor mode (Ctrl+D to finish, Ctrl+C to cancel)");
        editorBuffer = new StringBuilder();
        return "";
      case ".save":
        try {
          Files.write(Paths.get(arg), (String.join("\n", sessionLines) + "\n").getBytes(StandardCharsets.UTF_8));
          out.println("Session saved to: " + arg);
        } catch (IOException | RuntimeException e) {
          out.println("Failed to save: " + arg);
        }
        return "> ";
      case ".load":
        String content;
        try {
          content = Files.readString(Paths.get(arg));
        } catch (IOException | RuntimeException e) {
          out.println("Failed to load: " + arg);
          return "> ";
        }
        pending.setLength(0);
        pending.append(content).append('\n');
        return evalPending();
      default:
        if (line.length() > 1 && Character.isLetter(line.charAt(1))) {
          out.println("Invalid REPL keyword");
          return "> ";
        }
        return null;
    }
  }

  /** Ends editor mode: evaluates what was typed (cancel: drops it). Eval thread. */
  String finishEditor(boolean cancel) {
    StringBuilder b = editorBuffer;
    editorBuffer = null;
    if (b == null || cancel) {
      return "> ";
    }
    pending.setLength(0);
    pending.append(b);
    String p = evalPending();
    if (!p.equals("> ")) { // an incomplete editor buffer is dropped, as Node reports it
      pending.setLength(0);
      out.println("error: incomplete input");
    }
    return "> ";
  }

  void snapshot() {
    multiLine = pending.length() > 0;
    editorMode = editorBuffer != null;
  }

  private void prompt() {
    snapshot();
    if (!closed && !exiting && !editorMode) {
      out.print(multiLine ? "... " : "> ");
    }
    out.flush();
  }

  // ================================================================== line mode

  private void readLines(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      while (true) {
        lineReady.acquireUninterruptibly();
        if (closed) {
          return;
        }
        String line = r.readLine();
        if (line == null) {
          break;
        }
        evalThread.execute(() -> {
          String p;
          try {
            p = handleLine(line);
          } catch (RuntimeException e) {
            out.println("Uncaught " + e);
            p = "> ";
          }
          prompt();
          lineReady.release();
        });
      }
    } catch (IOException e) {
      // end of input
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return;
    }
    try {
      evalThread.execute(() -> {
        if (closed || exiting) {
          return;
        }
        if (editorBuffer != null) {
          finishEditor(false);
        }
        out.println();
        toLoop(this::close);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed already
    }
  }

  // ================================================================== terminal mode (loop thread)

  private static Path historyFile() {
    String env = System.getenv("UV4J_REPL_HISTORY");
    if (env != null) {
      return env.isEmpty() ? null : Paths.get(env);
    }
    String home = System.getProperty("user.home");
    return home == null ? null : Paths.get(home, ".uv4j_repl_history");
  }

  // ================================================================== execution on the loop

  /** Runs each snippet's code on the loop thread, between iterations, and waits for it. */
  private final class LoopExecutionProvider implements ExecutionControlProvider {
    @Override
    public String name() {
      return "uv4j-loop";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      return new DirectExecutionControl() {
        @Override
        protected String invoke(Method doitMethod) throws Exception {
          return onLoop(() -> valueString(doitMethod.invoke(null)));
        }

        @Override
        public String varValue(String className, String varName)
            throws RunException, EngineTerminationException, InternalException {
          try {
            return onLoop(() -> {
              try {
                return super.varValue(className, varName);
              } catch (ExecutionControlException e) {
                throw new InvocationTargetException(e);
              }
            });
          } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RunException) {
              throw (RunException) e.getCause();
            }
            throw new InternalException(String.valueOf(e.getCause()));
          } catch (Exception e) {
            throw new InternalException(e.toString());
          }
        }
      };
    }
  }

  /** Hands {@code task} to the loop thread; drops it once the loop is closed (the runtime ended). */
  void toLoop(Runnable task) {
    try {
      node.loop().execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the runtime is gone: nothing left to do there
    }
  }

  @FunctionalInterface
  private interface Work {
    String run() throws Exception;
  }

  private String onLoop(Work work) throws Exception {
    CompletableFuture<String> f = new CompletableFuture<>();
    node.loop().execute(() -> node.makeCallback(() -> {
      try {
        f.complete(work.run());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    }));
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception) {
        throw (Exception) c;
      }
      throw new InvocationTargetException(c);
    }
  }
}
