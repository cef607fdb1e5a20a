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
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
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
 */
public final class Repl {
  private static final String HELP = String.join("\n",
      ".break    Sometimes you get stuck, this gets you out",
      ".clear    Break, and also clear the local context",
      ".editor   Enter editor mode",
      ".exit     Exit the REPL",
      ".help     Print this help message",
      ".load     Load Java snippets from a file into the REPL session",
      ".save     Save all evaluated commands in this REPL session to a file",
      "",
      "Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL");

  private static final List<String> COMMANDS =
      List.of(".break", ".clear", ".editor", ".exit", ".help", ".load", ".save");

  private static final String PRELUDE = String.join("\n",
      "import io.uv4j.node.*;",
      "import java.util.*;",
      "import java.util.function.*;",
      "NodeRuntime node = NodeRuntime.current();",
      "Net net = Net.of(node);",
      "NodeFs fs = NodeFs.of(node);",
      "NodeDns dns = NodeDns.of(node);",
      "NodeChildProcess child_process = NodeChildProcess.of(node);",
      "NodeDgram dgram = NodeDgram.of(node);",
      "Crypto crypto = Crypto.of(node);",
      "Timeout setTimeout(Runnable f, double ms) { return node.setTimeout(f, ms); }",
      "Timeout setInterval(Runnable f, double ms) { return node.setInterval(f, ms); }",
      "Immediate setImmediate(Runnable f) { return node.setImmediate(f); }",
      "void clearTimeout(Timeout t) { node.clearTimeout(t); }",
      "void clearInterval(Timeout t) { node.clearInterval(t); }",
      "void nextTick(Runnable f) { node.nextTick(f); }",
      "void log(Object o) { Repl.log(o); }");

  private static final Map<NodeRuntime, Repl> REPLS = new java.util.WeakHashMap<>();

  private final NodeRuntime node;
  private final PrintStream out;
  private final Async keepAlive;
  private final ExecutorService evalThread;
  private Runnable onExit;
  private volatile boolean closed;
  private volatile boolean exiting;

  // ---- eval-thread state
  private JShell shell;
  private final StringBuilder pending = new StringBuilder();
  private StringBuilder editorBuffer; // non-null in editor mode
  private final List<String> sessionLines = new ArrayList<>();
  private String lastVar;

  // ---- snapshots the input side reads while the eval thread is idle
  private volatile boolean multiLine;
  private volatile boolean editorMode;

  // ---- terminal mode (loop thread)
  private Tty tty;
  private Editor editor;

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
    r.editor = r.new Editor(historyFile());
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
    String src = PRELUDE;
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
  private String handleLine(String line) {
    if (editorBuffer != null) {
      editorBuffer.append(line).append('\n');
      return "";
    }
    if (line.trim().startsWith(".") && (pending.length() == 0
        || COMMANDS.contains(line.trim().split(" ", 2)[0]))) {
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
        out.println("Uncaught " + describe(e.exception()));
        continue;
      }
      switch (s.subKind()) {
        case TEMP_VAR_EXPRESSION_SUBKIND:
        case VAR_VALUE_SUBKIND:
        case ASSIGNMENT_SUBKIND: {
          String type = s instanceof jdk.jshell.VarSnippet ? ((jdk.jshell.VarSnippet) s).typeName()
              : s instanceof jdk.jshell.ExpressionSnippet ? ((jdk.jshell.ExpressionSnippet) s).typeName() : "";
          out.println(format(e.value(), type));
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

  private static String describe(jdk.jshell.JShellException ex) {
    if (ex instanceof EvalException) {
      EvalException ee = (EvalException) ex;
      return ee.getExceptionClassName() + (ee.getMessage() != null ? ": " + ee.getMessage() : "");
    }
    if (ex instanceof UnresolvedReferenceException) {
      return "ReferenceError: " + ((UnresolvedReferenceException) ex).getSnippet().toString();
    }
    return ex.toString();
  }

  /** JShell's value text, Node-style: strings and chars in single quotes. */
  static String format(String value, String type) {
    if (value == null) {
      return "undefined";
    }
    if (("String".equals(type) || "java.lang.String".equals(type) || "char".equals(type)
        || "Character".equals(type)) && value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
      return "'" + value.substring(1, value.length() - 1) + "'";
    }
    return value;
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
    if (lastVar == null || src.indexOf('_') < 0) {
      return src;
    }
    StringBuilder sb = new StringBuilder(src.length());
    int n = src.length();
    int i = 0;
    while (i < n) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        if (c == '"' && src.startsWith("\"\"\"", i)) {
          int end = src.indexOf("\"\"\"", i + 3);
          j = end < 0 ? n : end + 3;
        } else {
          while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
            j += src.charAt(j) == '\\' ? 2 : 1;
          }
          j = Math.min(n, j + 1);
        }
        sb.append(src, i, j);
        i = j;
      } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
        int end = src.indexOf('\n', i);
        end = end < 0 ? n : end;
        sb.append(src, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
        int end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        sb.append(src, i, end);
        i = end;
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(src.charAt(j))) {
          j++;
        }
        String word = src.substring(i, j);
        sb.append(word.equals("_") ? lastVar : word);
        i = j;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }

  /** A dot-command; null if {@code line} is not one (then it is Java). */
  private String command(String line) {
    int sp = line.indexOf(' ');
    String name = sp < 0 ? line : line.substring(0, sp);
    String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
    switch (name) {
      case ".help":
        out.println(HELP);
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
  private String finishEditor(boolean cancel) {
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

  private void snapshot() {
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

  /** A small line editor over raw terminal input (ANSI/VT100 sequences). Loop thread only. */
  private final class Editor {
    private final StringBuilder buf = new StringBuilder();
    private int pos;
    private String prompt = "> ";
    private boolean busy = true;
    private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
    private final List<String> history = new ArrayList<>();
    private final Path historyPath;
    private int historyIndex;
    private String stash = "";
    private boolean sawSigint;
    private int esc; // 0 none, 1 after ESC, 2 inside CSI
    private final StringBuilder csi = new StringBuilder();
    private final byte[] utf8 = new byte[4];
    private int utf8Len;
    private int utf8Need;

    Editor(Path historyPath) {
      this.historyPath = historyPath;
      if (historyPath != null) {
        try {
          if (Files.isRegularFile(historyPath)) {
            List<String> lines = Files.readAllLines(historyPath, StandardCharsets.UTF_8);
            history.addAll(lines.subList(Math.max(0, lines.size() - 1000), lines.size()));
          }
        } catch (IOException | RuntimeException e) {
          // no history then
        }
      }
      historyIndex = history.size();
    }

    void resume(String nextPrompt) {
      if (closed) {
        return;
      }
      snapshot();
      prompt = editorMode ? "" : nextPrompt.isEmpty() ? (multiLine ? "... " : "> ") : nextPrompt;
      busy = false;
      buf.setLength(0);
      pos = 0;
      historyIndex = history.size();
      out.print(prompt);
      out.flush();
      while (!busy && !closed && !queued.isEmpty()) {
        process(queued.poll());
      }
    }

    void feed(byte[] data) {
      if (busy) {
        queued.add(data);
      } else {
        process(data);
      }
    }

    private void process(byte[] data) {
      for (int i = 0; i < data.length; i++) {
        if (busy || closed) {
          queued.addFirst(java.util.Arrays.copyOfRange(data, i, data.length));
          return;
        }
        key(data[i] & 0xff);
      }
      out.flush();
    }

    private void key(int b) {
      if (esc == 1) {
        esc = b == '[' || b == 'O' ? 2 : 0;
        csi.setLength(0);
        return;
      }
      if (esc == 2) {
        if (b >= 0x40 && b <= 0x7e) {
          esc = 0;
          sequence(csi.toString() + (char) b);
        } else {
          csi.append((char) b);
        }
        return;
      }
      if (utf8Need > 0) {
        utf8[utf8Len++] = (byte) b;
        if (utf8Len == utf8Need) {
          insert(new String(utf8, 0, utf8Len, StandardCharsets.UTF_8));
          utf8Need = 0;
        }
        return;
      }
      if (b != 3) {
        sawSigint = false;
      }
      switch (b) {
        case 0x1b: esc = 1; return;
        case 1: pos = 0; redraw(); return; // Ctrl-A
        case 5: pos = buf.length(); redraw(); return; // Ctrl-E
        case 2: left(); return; // Ctrl-B
        case 6: right(); return; // Ctrl-F
        case 0x0b: buf.setLength(pos); redraw(); return; // Ctrl-K
        case 0x15: buf.delete(0, pos); pos = 0; redraw(); return; // Ctrl-U
        case 0x17: { // Ctrl-W
          int p = pos;
          while (p > 0 && buf.charAt(p - 1) == ' ') {
            p--;
          }
          while (p > 0 && buf.charAt(p - 1) != ' ') {
            p--;
          }
          buf.delete(p, pos);
          pos = p;
          redraw();
          return;
        }
        case 0x0c: out.print("\033[H\033[2J"); redraw(); return; // Ctrl-L
        case 0x10: up(); return; // Ctrl-P
        case 0x0e: down(); return; // Ctrl-N
        case 0x7f:
        case 8:
          if (pos > 0) {
            buf.deleteCharAt(--pos);
            redraw();
          }
          return;
        case '\r':
        case '\n':
          enter();
          return;
        case '\t':
          tab();
          return;
        case 3:
          ctrlC();
          return;
        case 4:
          ctrlD();
          return;
        default:
          if (b < 0x20) {
            return;
          }
          if (b >= 0x80) {
            utf8Need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
            utf8Len = 0;
            if (utf8Need > 0) {
              utf8[utf8Len++] = (byte) b;
            }
            return;
          }
          insert(String.valueOf((char) b));
      }
    }

    private void sequence(String s) {
      switch (s) {
        case "A": up(); break;
        case "B": down(); break;
        case "C": right(); break;
        case "D": left(); break;
        case "H": case "1~": case "7~": pos = 0; redraw(); break;
        case "F": case "4~": case "8~": pos = buf.length(); redraw(); break;
        case "3~":
          if (pos < buf.length()) {
            buf.deleteCharAt(pos);
            redraw();
          }
          break;
        default:
          break;
      }
    }

    private void insert(String s) {
      buf.insert(pos, s);
      pos += s.length();
      if (pos == buf.length()) {
        out.print(s);
      } else {
        redraw();
      }
    }

    private void left() {
      if (pos > 0) {
        pos--;
        out.print("\033[D");
      }
    }

    private void right() {
      if (pos < buf.length()) {
        pos++;
        out.print("\033[C");
      }
    }

    private void up() {
      if (historyIndex == 0) {
        return;
      }
      if (historyIndex == history.size()) {
        stash = buf.toString();
      }
      historyIndex--;
      replace(history.get(historyIndex));
    }

    private void down() {
      if (historyIndex >= history.size()) {
        return;
      }
      historyIndex++;
      replace(historyIndex == history.size() ? stash : history.get(historyIndex));
    }

    private void replace(String s) {
      buf.setLength(0);
      buf.append(s);
      pos = buf.length();
      redraw();
    }

    void redraw() {
      out.print("\r" + prompt + buf + "\033[K");
      int back = buf.length() - pos;
      if (back > 0) {
        out.print("\033[" + back + "D");
      }
      out.flush();
    }

    private void enter() {
      out.print("\r\n");
      out.flush();
      String line = buf.toString();
      if (!line.isBlank() && !editorMode && (history.isEmpty() || !history.get(history.size() - 1).equals(line))) {
        history.add(line);
        if (historyPath != null) {
          try {
            Files.writeString(historyPath, line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          } catch (IOException | RuntimeException e) {
            // history is best effort
          }
        }
      }
      busy = true;
      buf.setLength(0);
      pos = 0;
      submit(() -> handleLine(line));
    }

    private void submit(java.util.function.Supplier<String> work) {
      busy = true;
      try {
        evalThread.execute(() -> {
          String p;
          try {
            p = work.get();
          } catch (RuntimeException e) {
            out.println("Uncaught " + e);
            p = "> ";
          }
          String next = p;
          out.flush();
          toLoop(() -> resume(next));
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed
      }
    }

    private void ctrlC() {
      if (editorMode) {
        out.print("\r\n");
        submit(() -> finishEditor(true));
        return;
      }
      if (buf.length() > 0 || multiLine) {
        out.print("\r\n");
        sawSigint = false;
        submit(() -> {
          pending.setLength(0);
          return "> ";
        });
        return;
      }
      if (sawSigint) {
        out.print("\r\n");
        out.flush();
        close();
        return;
      }
      sawSigint = true;
      out.print("\r\n(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n");
      redraw();
    }

    private void ctrlD() {
      if (editorMode) {
        out.print("\r\n");
        String rest = buf.toString();
        submit(() -> {
          if (!rest.isEmpty() && editorBuffer != null) {
            editorBuffer.append(rest).append('\n');
          }
          return finishEditor(false);
        });
        return;
      }
      if (buf.length() == 0) {
        out.print("\r\n");
        out.flush();
        close();
        return;
      }
      if (pos < buf.length()) {
        buf.deleteCharAt(pos);
        redraw();
      }
    }

    private void tab() {
      String line = buf.toString();
      int cursor = pos;
      if (line.startsWith(".") && !multiLine) {
        List<String> c = new ArrayList<>();
        for (String cmd : COMMANDS) {
          if (cmd.startsWith(line.substring(0, cursor))) {
            c.add(cmd.substring(cursor));
          }
        }
        applyCompletion(c, "");
        return;
      }
      busy = true;
      try {
        evalThread.execute(() -> {
          List<String> conts = new ArrayList<>();
          String typed = "";
          try {
            int[] anchor = new int[1];
            List<SourceCodeAnalysis.Suggestion> s = shell.sourceCodeAnalysis()
                .completionSuggestions(line, cursor, anchor);
            typed = line.substring(anchor[0], cursor);
            LinkedHashSet<String> set = new LinkedHashSet<>();
            for (SourceCodeAnalysis.Suggestion x : s) {
              set.add(x.continuation());
            }
            for (String x : set) {
              if (x.startsWith(typed)) {
                conts.add(x.substring(typed.length()));
              }
            }
          } catch (RuntimeException e) {
            // no completion then
          }
          String t = typed;
          toLoop(() -> {
            busy = false;
            applyCompletion(conts, t);
            while (!busy && !closed && !queued.isEmpty()) {
              process(queued.poll());
            }
          });
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed
      }
    }

    /** {@code rests}: what each candidate adds after the cursor. */
    private void applyCompletion(List<String> rests, String typed) {
      if (rests.isEmpty()) {
        return;
      }
      String common = rests.get(0);
      for (String r : rests) {
        int i = 0;
        while (i < common.length() && i < r.length() && common.charAt(i) == r.charAt(i)) {
          i++;
        }
        common = common.substring(0, i);
      }
      if (!common.isEmpty()) {
        insert(common);
        out.flush();
        return;
      }
      if (rests.size() > 1) {
        StringBuilder sb = new StringBuilder("\r\n");
        int col = 0;
        for (String r : rests) {
          String item = typed + r;
          if (col > 0 && col + item.length() + 2 > 78) {
            sb.append("\r\n");
            col = 0;
          }
          sb.append(item).append("  ");
          col += item.length() + 2;
        }
        sb.append("\r\n");
        out.print(sb);
        redraw();
      }
    }
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
  private void toLoop(Runnable task) {
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
