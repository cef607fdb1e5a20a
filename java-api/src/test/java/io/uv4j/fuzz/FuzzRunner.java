package io.uv4j.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@link ApiFuzzer} seeds, each in its own child JVM with {@code -Xcheck:jni}, at most
 * {@code parallel} at a time, and classifies each seed:
 * <ul>
 *   <li><b>CRASH</b>: the child died by a signal (exit code >= 128), wrote an {@code hs_err} file,
 *       printed a libuv assertion or a JNI fatal error;
 *   <li><b>HANG</b>: no operation started for {@code hangSeconds} (a thread dump is taken with
 *       jstack, then the child is killed);
 *   <li><b>UNDOC</b>: an exception the API does not document escaped an API call or run();
 *   <li><b>LEAK</b>: the native counters were not all zero after every loop was shut down;
 *   <li><b>JNI</b>: a {@code -Xcheck:jni} warning (local refs beyond capacity, missed exception
 *       checks...);
 *   <li><b>INVARIANT</b>: a completion (write, connect, shutdown, fs, work, DNS, close callback,
 *       execute task) called twice, after its call threw, or never although its loop closed; a
 *       handle callback run after close();
 *   <li><b>ERROR</b>: the child ended otherwise abnormally; <b>FUZZER</b>: the fuzzer's own code
 *       threw (a bug of the tool, not of the library).
 * </ul>
 * Each finding keeps its reproducer: seed, operation index and the last operations logged.
 *
 * <p>Command line: {@code FuzzRunner [--seeds N] [--first-seed S] [--ops N] [--parallel N]
 * [--hang-seconds N] [--exclude OP,OP] [--avoid TAG,TAG|all] [--keep] [--node]} ({@code --node}:
 * the Node-layer fuzzer, {@link NodeApiFuzzer}, instead).
 */
public final class FuzzRunner {
  static final int TAIL = 30;

  /** What to run. */
  static final class Options {
    long firstSeed = 1;
    int seeds = 4;
    /** If set, these seeds instead of firstSeed.. firstSeed+seeds-1. */
    long[] seedList;
    int ops = 1000;
    int parallel = 2;
    int hangSeconds = 30;
    String exclude = "";
    String avoid = "";
    /** Extra options for the child JVMs (e.g. -Dfuzz.selftest=hang). */
    String jvmArgs = "";
    boolean keep;
    /** The child's main class: {@link ApiFuzzer} (core API) or {@link NodeApiFuzzer} (Node layer). */
    String mainClass = ApiFuzzer.class.getName();
    /** The JUnit class that reruns a seed, for the reproducer line. */
    String testName = "FuzzTest";
    String classPath = System.getProperty("java.class.path");
    Path base;
  }

  /** One failure of one seed. */
  static final class Finding {
    final String kind;
    final String signature;
    final long seed;
    final int opIndex;
    final String detail;
    final List<String> lastOps;

    Finding(String kind, String signature, long seed, int opIndex, String detail, List<String> lastOps) {
      this.kind = kind;
      this.signature = signature;
      this.seed = seed;
      this.opIndex = opIndex;
      this.detail = detail;
      this.lastOps = lastOps;
    }

    String reproducer(Options o) {
      StringBuilder sb = new StringBuilder();
      sb.append("    reproduce: seed=").append(seed).append(" op=").append(opIndex)
          .append(" (mvn -B -pl java-api test -Dtest=").append(o.testName).append(" -Dfuzz.firstSeed=").append(seed)
          .append(" -Dfuzz.seeds=1 -Dfuzz.ops=").append(o.ops)
          .append(o.exclude.isEmpty() ? "" : " -Dfuzz.exclude=" + o.exclude)
          .append(o.avoid.isEmpty() ? "" : " -Dfuzz.avoid=" + o.avoid).append(")\n");
      if (!detail.isEmpty()) {
        for (String l : detail.split("\n")) {
          sb.append("    ").append(l).append('\n');
        }
      }
      sb.append("    last operations:\n");
      for (String l : lastOps) {
        sb.append("      ").append(l).append('\n');
      }
      return sb.toString();
    }
  }

  /** The outcome of one seed. */
  static final class SeedResult {
    long seed;
    int opsDone;
    double seconds;
    int exitCode;
    boolean done;
    final List<Finding> findings = new ArrayList<>();

    String line(int ops) {
      StringBuilder sb = new StringBuilder(String.format("seed %d: %d/%d ops, %.1f s: ", seed, opsDone, ops, seconds));
      if (findings.isEmpty()) {
        return sb.append("OK").toString();
      }
      Map<String, Integer> kinds = new LinkedHashMap<>();
      for (Finding f : findings) {
        kinds.merge(f.kind, 1, Integer::sum);
      }
      sb.append(kinds).append(" first: ").append(findings.get(0).kind).append(' ')
          .append(findings.get(0).signature).append(" at op ").append(findings.get(0).opIndex);
      return sb.toString();
    }
  }

  /** Totals over all seeds, and each distinct failure class once with its first reproducer. */
  static final class Summary {
    final List<SeedResult> seeds = new ArrayList<>();
    final Map<String, List<Finding>> classes = new LinkedHashMap<>();
    double seconds;

    boolean clean() {
      return classes.isEmpty();
    }

    long ops() {
      long n = 0;
      for (SeedResult r : seeds) {
        n += r.opsDone;
      }
      return n;
    }

    int seedsWith(String kind) {
      int n = 0;
      for (SeedResult r : seeds) {
        if (r.findings.stream().anyMatch(f -> f.kind.equals(kind))) {
          n++;
        }
      }
      return n;
    }

    String totals() {
      return String.format("TOTAL seeds=%d ops=%d crashes=%d hangs=%d undocumented=%d leaks=%d jni=%d "
              + "invariants=%d errors=%d fuzzer=%d (seeds with each), distinct classes=%d, %.0f s",
          seeds.size(), ops(), seedsWith("CRASH"), seedsWith("HANG"), seedsWith("UNDOC"), seedsWith("LEAK"),
          seedsWith("JNI"), seedsWith("INVARIANT"), seedsWith("ERROR"), seedsWith("FUZZER"), classes.size(), seconds);
    }

    String report(Options o) {
      StringBuilder sb = new StringBuilder(totals()).append('\n');
      for (Map.Entry<String, List<Finding>> e : classes.entrySet()) {
        List<Finding> fs = e.getValue();
        Finding f = fs.get(0);
        StringBuilder seedList = new StringBuilder();
        for (Finding x : fs) {
          if (seedList.indexOf(" " + x.seed + " ") < 0 && seedList.length() < 200) {
            seedList.append(' ').append(x.seed).append(' ');
          }
        }
        sb.append("* ").append(f.kind).append(": ").append(f.signature).append("  [").append(fs.size())
            .append(" occurrence(s); seeds").append(seedList.toString().replace("  ", " ")).append("]\n");
        sb.append(f.reproducer(o));
      }
      return sb.toString();
    }
  }

  private FuzzRunner() {}

  public static void main(String[] args) throws Exception {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seeds": o.seeds = Integer.parseInt(args[++i]); break;
        case "--first-seed": o.firstSeed = Long.parseLong(args[++i]); break;
        case "--ops": o.ops = Integer.parseInt(args[++i]); break;
        case "--parallel": o.parallel = Integer.parseInt(args[++i]); break;
        case "--hang-seconds": o.hangSeconds = Integer.parseInt(args[++i]); break;
        case "--exclude": o.exclude = args[++i]; break;
        case "--avoid": o.avoid = args[++i]; break;
        case "--jvm-args": o.jvmArgs = args[++i]; break;
        case "--keep": o.keep = true; break;
        case "--node": o.mainClass = NodeApiFuzzer.class.getName(); o.testName = "NodeFuzzTest"; break;
        default: throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Summary s = run(o, System.out);
    System.out.println(s.report(o));
    System.exit(s.clean() ? 0 : 1);
  }

  /** Runs every seed, printing one line per seed as it finishes. */
  static Summary run(Options o, PrintStream out) throws Exception {
    long t0 = System.nanoTime();
    if (o.base == null) {
      o.base = Files.createTempDirectory("uv4jfz");
    }
    long[] list = o.seedList;
    if (list == null) {
      list = new long[o.seeds];
      for (int i = 0; i < o.seeds; i++) {
        list[i] = o.firstSeed + i;
      }
    }
    out.println("fuzz: seeds " + (o.seedList != null ? java.util.Arrays.toString(list)
        : o.firstSeed + ".." + (o.firstSeed + o.seeds - 1)) + " x " + o.ops
        + " ops, " + o.parallel + " child JVM(s) at a time, work in " + o.base
        + (o.exclude.isEmpty() ? "" : ", excluding " + o.exclude)
        + (o.avoid.isEmpty() ? "" : ", avoiding " + o.avoid));
    ExecutorService pool = Executors.newFixedThreadPool(o.parallel);
    List<Future<SeedResult>> futures = new ArrayList<>();
    for (long seed : list) {
      futures.add(pool.submit(() -> {
        SeedResult r = runSeed(o, seed);
        synchronized (out) {
          out.println(r.line(o.ops));
          out.flush();
        }
        return r;
      }));
    }
    Summary s = new Summary();
    try {
      for (Future<SeedResult> f : futures) {
        SeedResult r = f.get();
        s.seeds.add(r);
        for (Finding x : r.findings) {
          s.classes.computeIfAbsent(x.kind + ": " + x.signature, k -> new ArrayList<>()).add(x);
        }
      }
    } finally {
      pool.shutdownNow(); // interrupted (a JUnit timeout): the seeds kill their children
    }
    s.seconds = (System.nanoTime() - t0) / 1e9;
    if (!o.keep && s.clean()) {
      deleteTree(o.base);
    }
    return s;
  }

  // ------------------------------------------------------------------ one seed

  static SeedResult runSeed(Options o, long seed) throws Exception {
    SeedResult res = new SeedResult();
    res.seed = seed;
    Path seedDir = o.base.resolve("s" + seed);
    Path work = seedDir.resolve("w");
    Files.createDirectories(work);
    Path stderr = seedDir.resolve("stderr.txt");
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xcheck:jni");
    if (Runtime.version().feature() >= 22) {
      cmd.add("--enable-native-access=ALL-UNNAMED");
    }
    cmd.add("-Xmx384m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:-CreateCoredumpOnCrash");
    cmd.add("-XX:ErrorFile=" + seedDir.resolve("hs_err_pid%p.log"));
    cmd.add("-Dfuzz.exclude=" + o.exclude);
    cmd.add("-Dfuzz.avoid=" + o.avoid);
    for (String a : o.jvmArgs.trim().split("\\s+")) {
      if (!a.isEmpty()) {
        cmd.add(a);
      }
    }
    cmd.add("-cp");
    cmd.add(o.classPath);
    cmd.add(o.mainClass);
    cmd.add(Long.toString(seed));
    cmd.add(Integer.toString(o.ops));
    cmd.add(work.toString());
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectError(stderr.toFile());
    pb.environment().remove("UV_THREADPOOL_SIZE");
    Process p = pb.start();
    try {
      return watch(o, seed, res, seedDir, stderr, p, t0);
    } finally {
      if (p.isAlive()) {
        p.destroyForcibly(); // only when this thread was interrupted: no orphan child
      }
    }
  }

  private static SeedResult watch(Options o, long seed, SeedResult res, Path seedDir, Path stderr,
      Process p, long t0) throws Exception {
    p.getOutputStream().close();
    Reader reader = new Reader(p, seed);
    Thread rt = new Thread(reader, "fuzz-reader-" + seed);
    rt.setDaemon(true);
    rt.start();
    boolean hung = false;
    String dump = "";
    while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
      // A JVM starting on a busy machine is not a hang: the clock starts at its first line.
      long limit = (reader.started ? o.hangSeconds : Math.max(o.hangSeconds, 120)) * 1_000_000_000L;
      if (System.nanoTime() - reader.lastProgress > limit) {
        hung = true;
        dump = threadDump(p.pid(), seedDir);
        p.destroyForcibly();
        p.waitFor();
        break;
      }
    }
    rt.join(10000);
    res.seconds = (System.nanoTime() - t0) / 1e9;
    res.exitCode = p.exitValue();
    res.opsDone = reader.opIndex + (reader.done ? 0 : 0);
    res.done = reader.done;
    if (reader.done) {
      res.opsDone = o.ops;
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    List<String> tail = reader.tail();
    res.findings.addAll(reader.findings);
    // CRASH
    Path hsErr = null;
    try (Stream<Path> files = Files.list(seedDir)) {
      hsErr = files.filter(f -> f.getFileName().toString().startsWith("hs_err")).findFirst().orElse(null);
    }
    String assertion = firstLine(err, "Assertion");
    String fatal = reader.fatal != null ? reader.fatal : firstLine(err, "FATAL ERROR in native method");
    boolean signal = !hung && res.exitCode >= 128;
    if (hsErr != null || assertion != null || fatal != null || signal) {
      String sig;
      String detail = "";
      if (assertion != null) {
        sig = "libuv assertion: " + assertion.replaceAll("^java: ", "").trim();
      } else if (fatal != null) {
        sig = "JNI fatal error: " + fatal.trim();
      } else if (hsErr != null) {
        sig = hsErrSignature(hsErr);
      } else {
        sig = "killed by signal " + (res.exitCode - 128)
            + (res.exitCode == 134 ? " (abort() without an assertion message)" : "");
      }
      if (hsErr != null) {
        detail = "hs_err: " + hsErr + "\n" + hsErrFrames(hsErr);
      } else {
        detail = "exit code " + res.exitCode + "; stderr tail:\n" + tailOf(err, 8);
      }
      res.findings.add(0, new Finding("CRASH", sig, seed, reader.opIndex, detail, tail));
    } else if (hung) {
      res.findings.add(0, new Finding("HANG", hangSignature(dump), seed, reader.opIndex,
          "no operation started for " + o.hangSeconds + " s; thread dump in " + seedDir.resolve("jstack.txt")
              + "\n" + hangDetail(dump), tail));
    } else if (!reader.done) {
      res.findings.add(new Finding("ERROR", "child exited with " + res.exitCode + " before finishing", seed,
          reader.opIndex, "stderr tail:\n" + tailOf(err, 15), tail));
    }
    // JNI warnings
    String[] lines = err.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.startsWith("WARNING in native method") || l.startsWith("WARNING: JNI local refs")) {
        String where = "";
        for (int j = i + 1; j < lines.length && j < i + 12; j++) {
          String t = lines[j].trim();
          if (t.startsWith("at io.uv4j.") && !t.startsWith("at io.uv4j.fuzz")) {
            where = " " + t;
            break;
          }
        }
        String msg = l.replaceAll("\\d+", "N");
        res.findings.add(new Finding("JNI", msg + where, seed, reader.opIndex, tailOf(String.join("\n",
            List.of(lines).subList(i, Math.min(lines.length, i + 10))), 10), tail));
      }
    }
    // One finding per class and seed: a bug met 5000 times in a seed is one line.
    Map<String, Finding> unique = new LinkedHashMap<>();
    for (Finding f : res.findings) {
      unique.putIfAbsent(f.kind + ": " + f.signature, f);
    }
    res.findings.clear();
    res.findings.addAll(unique.values());
    if (res.findings.isEmpty() && !o.keep) {
      deleteTree(seedDir);
    }
    return res;
  }

  /** Reads the child's stdout protocol. */
  static final class Reader implements Runnable {
    final Process p;
    final long seed;
    volatile long lastProgress = System.nanoTime();
    volatile boolean started;
    volatile int opIndex;
    volatile boolean done;
    /** -Xcheck:jni writes its warnings and fatal errors to stdout: collected here. */
    volatile String fatal;
    private final Deque<String> ring = new ArrayDeque<>();
    final List<Finding> findings = new ArrayList<>();

    Reader(Process p, long seed) {
      this.p = p;
      this.seed = seed;
    }

    synchronized List<String> tail() {
      return new ArrayList<>(ring);
    }

    @Override
    public void run() {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        String blockHead = null;
        StringBuilder block = null;
        List<String> blockTail = null;
        String jniHead = null;
        StringBuilder jni = null;
        while ((line = in.readLine()) != null) {
          if (!started) {
            started = true;
            lastProgress = System.nanoTime();
          }
          if (jniHead != null) {
            if (line.startsWith("\tat ")) {
              jni.append(line.trim()).append('\n');
              continue;
            }
            addJni(jniHead, jni.toString());
            jniHead = null;
          }
          if (line.startsWith("WARNING") || line.startsWith("FATAL ERROR in native method")) {
            if (line.startsWith("FATAL") && fatal == null) {
              fatal = line;
            }
            jniHead = line;
            jni = new StringBuilder();
            continue;
          }
          if (line.startsWith("  |")) {
            if (block != null) {
              block.append(line.substring(3)).append('\n');
            }
            continue;
          }
          if (blockHead != null) {
            addBlock(blockHead, block.toString(), blockTail);
            blockHead = null;
            block = null;
          }
          if (line.startsWith("OP ")) {
            int sp = line.indexOf(' ', 3);
            try {
              opIndex = Integer.parseInt(line.substring(3, sp < 0 ? line.length() : sp));
            } catch (NumberFormatException e) {
              // keep the previous index
            }
            lastProgress = System.nanoTime();
            remember(line);
          } else if (line.startsWith("CB ") || line.startsWith("WATCHDOG")) {
            remember(line);
          } else if (line.startsWith("UNDOC ") || line.startsWith("FUZZBUG ")) {
            remember(line);
            blockHead = line;
            block = new StringBuilder();
            blockTail = tail();
          } else if (line.startsWith("INVARIANT ")) {
            remember(line);
            String msg = line.substring(line.indexOf(' ', 10) + 1);
            String sig = msg.replaceAll(" \\(op \\d+\\)", "").replaceAll("\\d+", "N");
            int idx = opIndex;
            try {
              idx = Integer.parseInt(line.split(" ")[1]);
            } catch (RuntimeException e) {
              // keep opIndex
            }
            boolean seen = false;
            for (Finding f : findings) {
              seen |= f.signature.equals(sig);
            }
            if (!seen) {
              findings.add(new Finding("INVARIANT", sig, seed, idx, line, tail()));
            }
          } else if (line.startsWith("LEAK ")) {
            findings.add(new Finding("LEAK", line.substring(5).replaceAll("=[1-9]\\d*", "=N"), seed, opIndex,
                line, tail()));
          } else if (line.startsWith("DONE ")) {
            done = true;
            lastProgress = System.nanoTime();
          } else if (line.startsWith("NOTE ")) {
            remember(line);
          }
        }
        if (blockHead != null) {
          addBlock(blockHead, block.toString(), blockTail);
        }
        if (jniHead != null) {
          addJni(jniHead, jni.toString());
        }
      } catch (IOException e) {
        // the child is gone
      }
    }

    private synchronized void remember(String line) {
      ring.addLast(line.length() > 400 ? line.substring(0, 400) + "..." : line);
      while (ring.size() > TAIL) {
        ring.removeFirst();
      }
    }

    private void addJni(String head, String trace) {
      String where = "";
      for (String l : trace.split("\n")) {
        if (l.startsWith("at io.uv4j.") && !l.startsWith("at io.uv4j.fuzz.")) {
          where = " " + l.replaceAll("\\(.*\\)", "");
          break;
        }
      }
      String sig = head.replaceAll("\\d+", "N") + where;
      for (Finding f : findings) {
        if (f.signature.equals(sig)) {
          return;
        }
      }
      findings.add(new Finding("JNI", sig, seed, opIndex, head + "\n" + tailOf(trace, 12), tail()));
    }

    private void addBlock(String head, String trace, List<String> tail) {
      boolean bug = head.startsWith("FUZZBUG");
      String[] parts = head.split(" :: ");
      int idx = opIndex;
      try {
        idx = Integer.parseInt(head.split(" ")[1]);
      } catch (RuntimeException e) {
        // keep opIndex
      }
      String exc = parts[parts.length - 1];
      int colon = exc.indexOf(':');
      String type = colon > 0 ? exc.substring(0, colon) : exc;
      String verdict = parts.length >= 3 ? parts[1] : "";
      String where = "";
      for (String l : trace.split("\n")) {
        String t = l.trim();
        if (t.startsWith("at io.uv4j.") && !t.startsWith("at io.uv4j.fuzz.")) {
          where = t.substring(3).replaceAll("\\(.*\\)", "");
          break;
        }
      }
      if (bug) {
        for (String l : trace.split("\n")) {
          String t = l.trim();
          if (t.startsWith("at io.uv4j.fuzz.")) {
            where = t.substring(3);
            break;
          }
        }
      }
      String sig = type.trim() + (where.isEmpty() ? "" : " at " + where) + (verdict.isEmpty() ? "" : " (" + verdict + ")");
      String detail = head + "\n" + tailOf(trace, 25);
      for (Finding f : findings) {
        if (f.signature.equals(sig)) {
          return; // seen in this seed already
        }
      }
      findings.add(new Finding(bug ? "FUZZER" : "UNDOC", sig, seed, idx, detail, tail));
    }
  }

  // ------------------------------------------------------------------ helpers

  static String threadDump(long pid, Path seedDir) {
    Path jstack = Paths.get(System.getProperty("java.home"), "bin", "jstack");
    Path out = seedDir.resolve("jstack.txt");
    try {
      Process j = new ProcessBuilder(jstack.toString(), Long.toString(pid)).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!j.waitFor(30, TimeUnit.SECONDS)) {
        j.destroyForcibly();
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException | InterruptedException e) {
      return "jstack failed: " + e;
    }
  }

  /** The first frames of the driver thread ("main") and of background loop threads. */
  static String hangSignature(String dump) {
    StringBuilder sb = new StringBuilder();
    for (String thread : dump.split("\n\n")) {
      if (!thread.startsWith("\"main\"")) {
        continue;
      }
      int n = 0;
      for (String l : thread.split("\n")) {
        String t = l.trim();
        if (t.startsWith("at ") && !t.startsWith("at io.uv4j.fuzz.")) {
          sb.append(sb.length() == 0 ? "" : " < ").append(t.substring(3).replaceAll("\\(.*\\)", ""));
          if (++n == 3) {
            break;
          }
        } else if (t.startsWith("at io.uv4j.fuzz.")) {
          break;
        }
      }
    }
    if (sb.length() == 0 && !dump.contains("\"main\"")) {
      for (String thread : dump.split("\n\n")) {
        if (thread.startsWith("\"uv4j-pool") || thread.startsWith("\"DestroyJavaVM")) {
          String[] ls = thread.split("\n");
          String top = ls.length > 2 ? ls[2].trim().replaceAll("\\(.*\\)", "") : "?";
          return "no main thread (exiting); " + ls[0].replaceAll("\".*", "").trim()
              + thread.substring(1, thread.indexOf('"', 1)).replaceAll("-\\d+$", "") + " in " + top;
        }
      }
    }
    return sb.length() == 0 ? "no progress (main thread in fuzzer code)" : "main thread in " + sb;
  }

  static String hangDetail(String dump) {
    StringBuilder sb = new StringBuilder();
    for (String thread : dump.split("\n\n")) {
      if (thread.startsWith("\"main\"") || thread.startsWith("\"fuzz-bg") || thread.startsWith("\"uv4j-pool")) {
        String[] ls = thread.split("\n");
        for (int i = 0; i < ls.length && i < 14; i++) {
          sb.append(ls[i]).append('\n');
        }
      }
    }
    return sb.toString();
  }

  static String hsErrSignature(Path hsErr) {
    try {
      List<String> ls = Files.readAllLines(hsErr, StandardCharsets.ISO_8859_1);
      String signal = "";
      for (int i = 0; i < ls.size(); i++) {
        String l = ls.get(i);
        if (l.startsWith("#  SIG") || l.startsWith("#  Internal Error")) {
          signal = l.substring(3).replaceAll("\\(0x[0-9a-f]+\\)", "").replaceAll("at pc=.*", "").trim();
        }
        if (l.startsWith("# Problematic frame:") && i + 1 < ls.size()) {
          String frame = ls.get(i + 1).substring(1).trim().replaceAll("\\+0x[0-9a-f]+", "");
          return signal + " in " + frame + firstApiFrame(ls);
        }
      }
      return signal.isEmpty() ? "hs_err written" : signal;
    } catch (IOException e) {
      return "hs_err written (unreadable)";
    }
  }

  /** " from io.uv4j.X.m": the innermost Java frame of the library in the crashing thread. */
  static String firstApiFrame(List<String> ls) {
    boolean in = false;
    for (String l : ls) {
      if (l.startsWith("Java frames:")) {
        in = true;
        continue;
      }
      if (in) {
        if (l.isEmpty()) {
          break;
        }
        int at = l.indexOf("io.uv4j.");
        if (at >= 0 && !l.contains("io.uv4j.fuzz.")) {
          String m = l.substring(at);
          int paren = m.indexOf('(');
          return " from " + (paren > 0 ? m.substring(0, paren) : m);
        }
      }
    }
    return "";
  }

  static String hsErrFrames(Path hsErr) {
    try {
      List<String> ls = Files.readAllLines(hsErr, StandardCharsets.ISO_8859_1);
      StringBuilder sb = new StringBuilder();
      boolean in = false;
      int n = 0;
      for (String l : ls) {
        if (l.startsWith("Native frames:") || l.startsWith("Java frames:")) {
          in = true;
          sb.append(l).append('\n');
          n = 0;
          continue;
        }
        if (in) {
          if (l.isEmpty() || n++ > 14) {
            in = false;
            continue;
          }
          sb.append("  ").append(l).append('\n');
        }
      }
      return sb.toString();
    } catch (IOException e) {
      return "";
    }
  }

  static String firstLine(String text, String needle) {
    for (String l : text.split("\n")) {
      if (l.contains(needle)) {
        return l;
      }
    }
    return null;
  }

  static String tailOf(String text, int n) {
    String[] ls = text.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, ls.length - n); i < ls.length; i++) {
      sb.append(ls[i]).append('\n');
    }
    return sb.toString();
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<Path>() { // does not follow links
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
