package io.uv4j.bench.tcp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the TCP comparison: echo servers (C on libuv in two write modes, uv4j, plain NIO, Netty on
 * epoll and on NIO, Node.js) against the C load generator, each in its own process pinned to
 * its own core, three scenarios, several interleaved repetitions; prints medians and ratios to
 * the C try-write server and writes a report and an SVG chart. See bench/README.md, "TCP
 * comparison"; bench/tcp/run.sh builds everything and calls this.
 *
 * <pre>
 * options: --reps N (3)  --warmup SEC (2)  --duration SEC (5)  --prewarm SEC (1, per scenario,
 *          after a server starts)  --server-cpu N (1)  --loadgen-cpus LIST (0, taskset syntax)
 *          --loadgen-threads N (1; more when one load generator thread cannot keep up)  --window BYTES
 *          (1048576, pump)  --servers a,b,.. (all)  --bin DIR (bench/target/c-tcp)
 *          --node-script FILE (bench/node/echo.js)  --out DIR (bench/results)  --java PATH
 *          --max-other FRACTION (0.10)  --retries N (2)  --quiet-wait SEC (30): before each
 *          measurement, wait up to SEC seconds for both pinned cores to be idle; a measurement
 *          during which other processes took more than FRACTION of the server's or the load
 *          generator's core is repeated, at most N times, and the least disturbed attempt is kept; so
 *          is a pump measurement the load generator limited (its core >= 97% busy, the server's < 90%)
 *          --from FILE: no measuring; the report and chart again from an earlier report's raw log
 * </pre>
 */
public final class TcpCompare {
  private TcpCompare() {}

  /** The reference all ratios are taken against. */
  static final String BASE = "c-try";

  static final String[] ALL_SERVERS = {"c-try", "c-write", "uv4j", "nio", "netty-epoll", "netty-nio", "node"};

  static final String[] COLOURS = {"#4d4d4d", "#a6a6a6", "#d62728", "#1f77b4", "#2ca02c", "#98df8a", "#ff7f0e"};

  /** chart: the name in two short lines, for the chart's group labels. */
  record Scenario(String name, String mode, int conns, String chart1, String chart2) {
    boolean pump() {
      return mode.equals("pump");
    }
  }

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("ping-pong 64 B, 1 conn", "pingpong", 1, "ping-pong 64 B", "1 conn"),
      new Scenario("ping-pong 64 B, 100 conns", "pingpong", 100, "ping-pong 64 B", "100 conns"),
      new Scenario("pump 16 KiB, 10 conns", "pump", 10, "pump 16 KiB", "10 conns"));

  // Options.
  int reps = 3;
  double warmup = 2;
  double duration = 5;
  double prewarm = 1;
  int serverCpu = 1;
  String loadgenCpus = "0";
  int loadgenThreads = 1;
  long window = 1 << 20;
  double maxOther = 0.10;
  int retries = 2;
  double quietWait = 30;
  List<String> servers = new ArrayList<>(List.of(ALL_SERVERS));
  Path bin = Path.of("bench/target/c-tcp");
  Path nodeScript = Path.of("bench/node/echo.js");
  Path out = Path.of("bench/results");
  String java = ProcessHandle.current().info().command().orElse("java");
  Path jar;
  Path from;

  /** results.get(server).get(scenario) = one map of key=value per repetition. */
  final Map<String, Map<Scenario, List<Map<String, String>>>> results = new LinkedHashMap<>();
  final Map<String, String> banners = new LinkedHashMap<>();
  final StringBuilder log = new StringBuilder();

  public static void main(String[] args) throws Exception {
    TcpCompare c = new TcpCompare();
    c.parse(args);
    c.run();
  }

  void parse(String[] args) {
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + args[i]);
      }
      String v = args[i + 1];
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--duration" -> duration = Double.parseDouble(v);
        case "--prewarm" -> prewarm = Double.parseDouble(v);
        case "--server-cpu" -> serverCpu = Integer.parseInt(v);
        case "--loadgen-cpus" -> loadgenCpus = v;
        case "--loadgen-threads" -> loadgenThreads = Integer.parseInt(v);
        case "--window" -> window = Long.parseLong(v);
        case "--max-other" -> maxOther = Double.parseDouble(v);
        case "--retries" -> retries = Integer.parseInt(v);
        case "--quiet-wait" -> quietWait = Double.parseDouble(v);
        case "--servers" -> servers = new ArrayList<>(Arrays.asList(v.split(",")));
        case "--bin" -> bin = Path.of(v);
        case "--node-script" -> nodeScript = Path.of(v);
        case "--out" -> out = Path.of(v);
        case "--java" -> java = v;
        case "--from" -> from = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    for (String s : servers) {
      if (!Arrays.asList(ALL_SERVERS).contains(s)) {
        throw new IllegalArgumentException("unknown server " + s + "; known: " + String.join(",", ALL_SERVERS));
      }
    }
    try {
      jar = Path.of(TcpCompare.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's command line, without the pinning. */
  List<String> command(String server, int port) {
    String p = Integer.toString(port);
    List<String> jvm = List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Dio.netty.leakDetection.level=disabled", "-cp", jar.toString());
    List<String> cmd = new ArrayList<>();
    switch (server) {
      case "c-try" -> cmd.addAll(List.of(bin.resolve("tcp_echo_server").toString(), p, "try"));
      case "c-write" -> cmd.addAll(List.of(bin.resolve("tcp_echo_server").toString(), p, "write"));
      case "uv4j" -> {
        cmd.addAll(jvm);
        cmd.addAll(List.of(UvEchoServer.class.getName(), p));
      }
      case "nio" -> {
        cmd.addAll(jvm);
        cmd.addAll(List.of(NioEchoServer.class.getName(), p));
      }
      case "netty-epoll", "netty-nio" -> {
        cmd.addAll(jvm);
        cmd.addAll(List.of(NettyEchoServer.class.getName(), p, server.substring("netty-".length())));
      }
      case "node" -> cmd.addAll(List.of("node", nodeScript.toString(), p));
      default -> throw new IllegalArgumentException(server);
    }
    return cmd;
  }

  void run() throws Exception {
    if (from != null) {
      rerender();
      return;
    }
    if (servers.contains("node") && !onPath("node")) {
      say("node not found on PATH: the Node.js server is skipped");
      servers.remove("node");
    }
    if (!Files.isExecutable(bin.resolve("tcp_loadgen")) || !Files.isExecutable(bin.resolve("tcp_echo_server"))) {
      throw new IllegalStateException("build the C side first (bench/tcp/run.sh does): no binaries in " + bin);
    }
    for (String s : servers) {
      Map<Scenario, List<Map<String, String>>> m = new LinkedHashMap<>();
      for (Scenario sc : SCENARIOS) {
        m.put(sc, new ArrayList<>());
      }
      results.put(s, m);
    }
    String started = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    String loadStart = loadavg();
    log.append(String.format(Locale.ROOT, "config started=%s reps=%d warmup=%s duration=%s prewarm=%s server_cpu=%d"
        + " loadgen_cpus=%s loadgen_threads=%d window=%d max_other=%s retries=%d quiet_wait=%s java=%s servers=%s%n",
        started.replace(' ', 'T'), reps, warmup, duration, prewarm, serverCpu, loadgenCpus, loadgenThreads, window,
        maxOther, retries, quietWait, java, String.join(",", servers)));
    say(String.format(Locale.ROOT, "TCP comparison: %d servers x %d scenarios x %d repetitions, %s s warm-up + %s s"
        + " measured each; server on CPU %d, load generator (%d thread(s)) on CPU %s", servers.size(),
        SCENARIOS.size(), reps, num(warmup), num(duration), serverCpu, loadgenThreads, loadgenCpus));
    for (int rep = 0; rep < reps; rep++) {
      // Rotate the order so that each server runs early in one repetition and late in another.
      List<String> order = new ArrayList<>(servers);
      Collections.rotate(order, -(rep * order.size() / reps));
      say("repetition " + (rep + 1) + "/" + reps + ": " + String.join(" ", order));
      for (String server : order) {
        runServer(server);
      }
    }
    String loadEnd = loadavg();
    log.append("load start=").append(loadStart.replace(' ', '/')).append(" end=").append(loadEnd.replace(' ', '/'))
        .append('\n');

    write(started, loadStart, loadEnd);
  }

  void write(String started, String loadStart, String loadEnd) throws IOException {
    String report = report(started, loadStart, loadEnd);
    System.out.println();
    System.out.println(report);
    Files.createDirectories(out);
    String stamp = started.replace(' ', '-').replace(":", "");
    Path txt = out.resolve("tcp-compare-" + stamp + ".txt");
    Files.writeString(txt, report + "\n\n## Raw log\n\n```\n" + log + "```\n");
    Path svg = out.resolve("tcp-compare.svg");
    Files.writeString(svg, svg(started));
    say("wrote " + txt + " and " + svg);
  }

  void runServer(String server) throws Exception {
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of("taskset", "-c", Integer.toString(serverCpu)));
    cmd.addAll(command(server, port));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<String> ready = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (line.startsWith("listening ")) {
            ready.complete(line);
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      ready.complete(null);
    });
    reader.setDaemon(true);
    reader.start();
    try {
      String banner = ready.get(120, TimeUnit.SECONDS);
      if (banner == null) {
        say("  " + server + " did not start: " + output);
        return;
      }
      banners.put(server, banner.substring("listening ".length()).replaceFirst("port=\\d+ ", ""));
      log.append("banner ").append(server).append(' ').append(banners.get(server)).append('\n');
      for (Scenario sc : SCENARIOS) { // JIT warm-up: every scenario briefly, fresh connections
        if (prewarm > 0) {
          loadgen(sc, port, 0, prewarm, -1);
        }
      }
      for (Scenario sc : SCENARIOS) {
        if (!p.isAlive()) {
          break; // reported below
        }
        // On a busy machine: wait (up to --quiet-wait s) for the pinned cores to be idle, and
        // measure again (up to --retries times) while other processes took more than
        // --max-other of either core; keep the least disturbed attempt.
        Map<String, String> r = null;
        for (int attempt = 1; attempt <= 1 + retries && p.isAlive(); attempt++) {
          waitQuiet();
          Map<String, String> a = loadgen(sc, port, warmup, duration, p.pid());
          if (a == null) {
            break;
          }
          a.put("attempt", Integer.toString(attempt));
          a.put("loadgen_bound", loadgenBound(sc, a) ? "1" : "0");
          if (r == null || disturbance(a) < disturbance(r)) {
            r = a;
          }
          if (disturbance(a) <= maxOther) {
            break;
          }
          if (interference(a) > maxOther) {
            say(String.format(Locale.ROOT, "  %-11s %-26s attempt %d disturbed: other load %.0f%% on the server's core,"
                + " %.0f%% on the load generator's", server, sc.name(), attempt, 100 * d(a, "other_on_server_core"),
                100 * d(a, "other_on_loadgen_core")));
          } else {
            say(String.format(Locale.ROOT, "  %-11s %-26s attempt %d load-generator-bound: %s", server, sc.name(),
                attempt, summary(sc, a)));
          }
        }
        if (r != null) {
          results.get(server).get(sc).add(r);
          log.append("measured server=").append(server).append(" scenario=").append(SCENARIOS.indexOf(sc));
          r.forEach((k, v) -> log.append(' ').append(k).append('=').append(v));
          log.append('\n');
          say(String.format(Locale.ROOT, "  %-11s %-26s %s", server, sc.name(), summary(sc, r)));
        }
      }
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
      if (!p.isAlive() && p.exitValue() != 143 && p.exitValue() != 0 && p.exitValue() != 137) {
        say("  " + server + " exited with " + p.exitValue() + ": " + output);
      }
    }
  }

  /** One load generator run; with serverPid > 0 it reads the server's CPU time and the server core's load. */
  Map<String, String> loadgen(Scenario sc, int port, double warm, double secs, long serverPid) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("taskset", "-c", loadgenCpus,
        bin.resolve("tcp_loadgen").toString(), "--port", Integer.toString(port), "--mode", sc.mode(),
        "--conns", Integer.toString(sc.conns()), "--warmup", Double.toString(warm),
        "--duration", Double.toString(secs), "--threads", Integer.toString(loadgenThreads)));
    if (sc.pump()) {
      cmd.addAll(List.of("--window", Long.toString(window)));
    }
    if (serverPid > 0) {
      cmd.addAll(List.of("--pid", Long.toString(serverPid)));
    }
    long[] server0 = coreTicks(serverCpu);
    long[] loadgen0 = coreTicks(loadgenCpus);
    long ticks0 = serverPid > 0 ? procTicks(serverPid) : 0;
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor((long) (warm + secs) + 60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    long[] server1 = coreTicks(serverCpu);
    long[] loadgen1 = coreTicks(loadgenCpus);
    long ticks1 = serverPid > 0 ? procTicks(serverPid) : 0;
    Map<String, String> r = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("result ")) {
        r = new LinkedHashMap<>();
        for (String kv : line.substring(7).trim().split(" ")) {
          int eq = kv.indexOf('=');
          r.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        // Share of each pinned core used by anything but its own process over the whole run
        // (warm-up included): how much other load disturbed this figure.
        r.put("other_on_server_core", String.format(Locale.ROOT, "%.2f", other(server0, server1, ticks1 - ticks0)));
        r.put("other_on_loadgen_core", String.format(Locale.ROOT, "%.2f",
            other(loadgen0, loadgen1, Long.parseLong(r.getOrDefault("loadgen_total_ticks", "0")))));
      }
    }
    if (r == null || p.exitValue() != 0) {
      say("  load generator failed (" + String.join(" ", cmd) + "): " + text.trim());
      return null;
    }
    return r;
  }

  /**
   * Waits until, over half a second, neither pinned core was busier than --max-other (the server
   * idles between measurements), at most --quiet-wait seconds.
   */
  void waitQuiet() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + (long) (quietWait * 1e9);
    boolean said = false;
    for (;;) {
      long[] s0 = coreTicks(serverCpu);
      long[] l0 = coreTicks(loadgenCpus);
      Thread.sleep(500);
      double busy = Math.max(other(s0, coreTicks(serverCpu), 0), other(l0, coreTicks(loadgenCpus), 0));
      if (busy <= maxOther || System.nanoTime() > deadline) {
        return;
      }
      if (!said) {
        say(String.format(Locale.ROOT, "  (waiting up to %s s for the cores to quieten: %.0f%% busy)", num(quietWait),
            100 * busy));
        said = true;
      }
    }
  }

  static double other(long[] before, long[] after, long ownTicks) {
    long busy = after[0] - before[0];
    long total = after[1] - before[1];
    return total > 0 ? Math.min(1, Math.max(0, busy - ownTicks) / (double) total) : 0;
  }

  static double interference(Map<String, String> r) {
    return Math.max(d(r, "other_on_server_core"), d(r, "other_on_loadgen_core"));
  }

  /**
   * A pump measurement that the load generator, not the server, limited: the generator's core
   * saturated while the server's had room. On these VMs the generator's copies into the socket
   * sometimes run several times slower per byte (kernel _copy_from_iter) for a whole run, for
   * C's server and uv4j's alike; such a run measures the machine, not the server, so it is
   * measured again like a disturbed one.
   */
  static boolean loadgenBound(Scenario sc, Map<String, String> r) {
    return sc.pump() && d(r, "loadgen_cpu_util") >= 0.97 && d(r, "server_cpu_util") < 0.90;
  }

  /** What ranks the attempts of one measurement: other load, and 1 for a load-generator-bound one. */
  static double disturbance(Map<String, String> r) {
    return interference(r) + ("1".equals(r.get("loadgen_bound")) ? 1 : 0);
  }

  /** --from FILE: the report and chart again from the raw log of an earlier run (e.g. after changing them). */
  void rerender() throws IOException {
    String started = "?";
    String loadStart = "?";
    String loadEnd = "?";
    boolean raw = false;
    for (String line : Files.readAllLines(from)) {
      if (!raw) {
        raw = line.equals("## Raw log");
        continue;
      }
      if (line.equals("```")) {
        continue;
      }
      log.append(line).append('\n');
      Map<String, String> kv = new LinkedHashMap<>();
      String[] words = line.split(" ");
      for (String w : words) {
        int eq = w.indexOf('=');
        if (eq > 0) {
          kv.put(w.substring(0, eq), w.substring(eq + 1));
        }
      }
      if (line.startsWith("config ")) {
        started = kv.get("started").replace('T', ' ');
        reps = Integer.parseInt(kv.get("reps"));
        warmup = Double.parseDouble(kv.get("warmup"));
        duration = Double.parseDouble(kv.get("duration"));
        prewarm = Double.parseDouble(kv.get("prewarm"));
        serverCpu = Integer.parseInt(kv.get("server_cpu"));
        loadgenCpus = kv.get("loadgen_cpus");
        loadgenThreads = Integer.parseInt(kv.get("loadgen_threads"));
        window = Long.parseLong(kv.get("window"));
        maxOther = Double.parseDouble(kv.get("max_other"));
        retries = Integer.parseInt(kv.get("retries"));
        quietWait = Double.parseDouble(kv.getOrDefault("quiet_wait", "0"));
        java = kv.get("java");
        servers = new ArrayList<>(Arrays.asList(kv.get("servers").split(",")));
        for (String srv : servers) {
          Map<Scenario, List<Map<String, String>>> m = new LinkedHashMap<>();
          for (Scenario sc : SCENARIOS) {
            m.put(sc, new ArrayList<>());
          }
          results.put(srv, m);
        }
      } else if (line.startsWith("load ")) {
        loadStart = kv.get("start").replace('/', ' ');
        loadEnd = kv.get("end").replace('/', ' ');
      } else if (line.startsWith("banner ")) {
        banners.put(words[1], line.substring(("banner " + words[1] + " ").length()));
      } else if (line.startsWith("measured ")) {
        String srv = kv.remove("server");
        Scenario sc = SCENARIOS.get(Integer.parseInt(kv.remove("scenario")));
        results.get(srv).get(sc).add(kv);
      }
    }
    if (results.isEmpty()) {
      throw new IOException("no raw log (config/measured lines) in " + from);
    }
    write(started, loadStart, loadEnd);
  }

  static String summary(Scenario sc, Map<String, String> r) {
    String s = sc.pump()
        ? String.format(Locale.ROOT, "%8.1f MB/s  %.3f CPU s/GB", d(r, "mb_per_s"), d(r, "cpu_s_per_gb"))
        : String.format(Locale.ROOT, "%8.0f rt/s  p50 %.1f us  p99 %.1f us  %.2f CPU us/rt", d(r, "rt_per_s"),
            d(r, "p50_us"), d(r, "p99_us"), d(r, "cpu_us_per_rt"));
    return s + String.format(Locale.ROOT, "  (CPU: server %.0f%%, load generator %.0f%%; other load: %.0f%% on"
        + " the server's core, %.0f%% on the load generator's)", 100 * d(r, "server_cpu_util"),
        100 * d(r, "loadgen_cpu_util"), 100 * d(r, "other_on_server_core"), 100 * d(r, "other_on_loadgen_core"));
  }

  // ---------------------------------------------------------------- statistics

  static double d(Map<String, String> r, String key) {
    String v = r.get(key);
    return v == null ? Double.NaN : Double.parseDouble(v);
  }

  double[] values(String server, Scenario sc, String key) {
    return results.get(server).get(sc).stream().mapToDouble(r -> d(r, key)).filter(v -> !Double.isNaN(v))
        .sorted().toArray();
  }

  double median(String server, Scenario sc, String key) {
    double[] v = values(server, sc, key);
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  double ratio(String server, Scenario sc, String key) {
    if (!results.containsKey(BASE)) {
      return Double.NaN;
    }
    return median(server, sc, key) / median(BASE, sc, key);
  }

  // ---------------------------------------------------------------- report

  String report(String started, String loadStart, String loadEnd) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("# TCP comparison, ").append(started).append("\n\n");
    b.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs online to the driver, Linux ").append(System.getProperty("os.version")).append('\n');
    b.append("- load average (1/5/15 min) at start: ").append(loadStart).append("; at end: ").append(loadEnd)
        .append('\n');
    b.append(String.format(Locale.ROOT, "- %d repetitions (server order rotated); per server start a %s s pre-warm"
        + " of each scenario, then per scenario %s s warm-up + %s s measured; medians; server pinned to CPU %d, load"
        + " generator (%d thread(s)) to CPU %s; pump window %d KiB per connection; a measurement waits up to %s s for idle cores"
        + " and is repeated (at most %d times, the least disturbed kept) when other processes took more than %.0f%%"
        + " of either core or, in the pump, when the load generator's core was saturated (>= 97%%) while the"
        + " server's was not (< 90%%): load-generator-bound%n", reps,
        num(prewarm), num(warmup), num(duration), serverCpu, loadgenThreads, loadgenCpus, window / 1024, num(quietWait), retries,
        100 * maxOther));
    for (Map.Entry<String, String> e : banners.entrySet()) {
      b.append("- ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
    }
    b.append("- Java servers: ").append(java).append(" --enable-native-access=ALL-UNNAMED"
        + " -Dio.netty.leakDetection.level=disabled (JVM defaults otherwise)\n");
    b.append("\nMedians, [min..max] over the repetitions; \"vs C\": ratio of the medians to the C libuv server"
        + " in try-write mode (`c-try`). Higher is better for rt/s and MB/s, lower for latency and CPU. Server CPU"
        + " is utime+stime from /proc/PID/stat (clock ticks, sampled: a few % of noise per measurement); \"vs C"
        + " (schedstat)\": the same ratio from the threads' exact run time (/proc/PID/task/*/schedstat). \"CPU\":"
        + " share of a core used by the server / the load generator while measuring; \"other load\": the largest"
        + " share of the server's / the load generator's core that other processes took during a run.\n");
    for (Scenario sc : SCENARIOS) {
      b.append("\n### ").append(sc.name()).append("\n\n");
      if (sc.pump()) {
        b.append("| server | MB/s | vs C | server CPU s/GB | vs C | vs C (schedstat) | CPU server / load gen"
            + " | other load |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      } else {
        b.append("| server | round trips/s | vs C | p50 us | p99 us | server CPU us/rt | vs C | vs C (schedstat)"
            + " | CPU server / load gen | other load |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      }
      for (String s : servers) {
        if (values(s, sc, "secs").length == 0) {
          b.append("| ").append(s).append(" | failed |\n");
          continue;
        }
        String main = sc.pump() ? "mb_per_s" : "rt_per_s";
        String cpu = sc.pump() ? "cpu_s_per_gb" : "cpu_us_per_rt";
        String run = sc.pump() ? "run_s_per_gb" : "run_us_per_rt";
        String cpuFmt = sc.pump() ? "%.3f" : "%.2f";
        b.append("| ").append(s).append(" | ").append(spread(s, sc, main, "%.0f"))
            .append(" | **").append(fmtRatio(ratio(s, sc, main))).append("** | ");
        if (!sc.pump()) {
          b.append(String.format(Locale.ROOT, "%.1f | %.1f | ", median(s, sc, "p50_us"), median(s, sc, "p99_us")));
        }
        b.append(spread(s, sc, cpu, cpuFmt)).append(" | **").append(fmtRatio(ratio(s, sc, cpu))).append("** | ")
            .append(fmtRatio(ratio(s, sc, run))).append(" | ")
            .append(String.format(Locale.ROOT, "%.0f%% / %.0f%% | %.0f%% / %.0f%% |%n",
                100 * median(s, sc, "server_cpu_util"), 100 * median(s, sc, "loadgen_cpu_util"),
                100 * max(s, sc, "other_on_server_core"), 100 * max(s, sc, "other_on_loadgen_core")));
      }
      if (sc.pump()) {
        List<String> bound = new ArrayList<>();
        for (String s : servers) {
          long n = results.get(s).get(sc).stream().filter(r -> loadgenBound(sc, r)).count();
          if (n > 0) {
            bound.add(s + " " + n + " of " + results.get(s).get(sc).size());
          }
        }
        b.append(bound.isEmpty() ? "\nNo kept measurement was load-generator-bound.\n"
            : "\nKept although load-generator-bound (every attempt was): " + String.join(", ", bound) + ".\n");
      }
    }
    b.append(targets());
    return b.toString();
  }

  String spread(String server, Scenario sc, String key, String fmt) {
    double[] v = values(server, sc, key);
    return String.format(Locale.ROOT, fmt + " [" + fmt + ".." + fmt + "]", median(server, sc, key), v[0], v[v.length - 1]);
  }

  double max(String server, Scenario sc, String key) {
    double[] v = values(server, sc, key);
    return v.length == 0 ? Double.NaN : v[v.length - 1];
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  static String fmtRatio(double r) {
    return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
  }

  /** The targets of the brief, checked against the medians. */
  String targets() {
    if (!results.containsKey("uv4j") || !results.containsKey(BASE)) {
      return "";
    }
    StringBuilder b = new StringBuilder("\n### uv4j against the targets\n\n| target | measured | met |\n| --- | ---: | --- |\n");
    Scenario one = SCENARIOS.get(0);
    Scenario hundred = SCENARIOS.get(1);
    Scenario pump = SCENARIOS.get(2);
    target(b, "1 conn: round trips/s >= 0.97 x C", ratio("uv4j", one, "rt_per_s"), 0.97, true);
    target(b, "1 conn: CPU per round trip <= 1.05 x C", ratio("uv4j", one, "cpu_us_per_rt"), 1.05, false);
    target(b, "(the same from schedstat)", ratio("uv4j", one, "run_us_per_rt"), 1.05, false);
    target(b, "100 conns: round trips/s >= 1.0 x C", ratio("uv4j", hundred, "rt_per_s"), 1.0, true);
    target(b, "pump: MB/s >= 1.0 x C", ratio("uv4j", pump, "mb_per_s"), 1.0, true);
    target(b, "pump: CPU per GB <= 1.15 x C", ratio("uv4j", pump, "cpu_s_per_gb"), 1.15, false);
    target(b, "(the same from schedstat)", ratio("uv4j", pump, "run_s_per_gb"), 1.15, false);
    if (results.containsKey("c-write")) {
      // The brief's "C libuv program" read as the classic echo (uv_write per read, no try-write):
      // context for the rows above, which hold uv4j to the same-strategy C server.
      target(b, "100 conns: round trips/s >= 1.0 x c-write (classic uv_write echo)",
          median("uv4j", hundred, "rt_per_s") / median("c-write", hundred, "rt_per_s"), 1.0, true);
      target(b, "pump: MB/s >= 1.0 x c-write", median("uv4j", pump, "mb_per_s") / median("c-write", pump, "mb_per_s"),
          1.0, true);
    }
    for (String peer : List.of("netty-epoll", "netty-nio", "node")) {
      if (!results.containsKey(peer)) {
        continue;
      }
      List<String> behind = new ArrayList<>();
      for (Scenario sc : SCENARIOS) {
        String main = sc.pump() ? "mb_per_s" : "rt_per_s";
        String cpu = sc.pump() ? "cpu_s_per_gb" : "cpu_us_per_rt";
        if (!(median("uv4j", sc, main) > median(peer, sc, main))) {
          behind.add(sc.name() + " " + (sc.pump() ? "MB/s" : "rt/s"));
        }
        if (!(median("uv4j", sc, cpu) < median(peer, sc, cpu))) {
          behind.add(sc.name() + " CPU");
        }
      }
      b.append("| ahead of ").append(peer).append(" everywhere | ")
          .append(behind.isEmpty() ? "ahead in all 6" : "behind: " + String.join("; ", behind)).append(" | ")
          .append(behind.isEmpty() ? "yes" : "**no**").append(" |\n");
    }
    return b.toString();
  }

  static void target(StringBuilder b, String what, double value, double bound, boolean atLeast) {
    boolean met = atLeast ? value >= bound : value <= bound;
    b.append("| ").append(what).append(" | ").append(fmtRatio(value)).append(" | ").append(met ? "yes" : "**no**")
        .append(" |\n");
  }

  // ---------------------------------------------------------------- chart

  /** Two panels of grouped bars (ratio to c-try per scenario, one colour per server). */
  String svg(String started) {
    int groups = SCENARIOS.size();
    int n = servers.size();
    int barW = 14;
    int groupW = n * barW + 30;
    int panelW = 60 + groups * groupW;
    int panelH = 260;
    int width = 2 * panelW + 40;
    int height = panelH + 110;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
        + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width, height));
    s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
    s.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">uv4j TCP"
        + " comparison: ratio to the C libuv server (try-write), medians of %d repetitions, %s</text>%n", reps,
        esc(started)));
    String[][] panels = {
        {"throughput: round trips/s, MB/s (higher is better)", "rt_per_s", "mb_per_s"},
        {"server CPU per round trip, per GB (lower is better)", "cpu_us_per_rt", "cpu_s_per_gb"}};
    for (int pi = 0; pi < 2; pi++) {
      int x0 = 20 + pi * (panelW + 10);
      int y0 = 50;
      double max = 1.2;
      for (String srv : servers) {
        for (Scenario sc : SCENARIOS) {
          double r = ratio(srv, sc, sc.pump() ? panels[pi][2] : panels[pi][1]);
          if (!Double.isNaN(r) && !Double.isInfinite(r)) {
            max = Math.max(max, r * 1.1);
          }
        }
      }
      double scale = (panelH - 40) / max;
      int base = y0 + panelH - 40;
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", x0, y0 - 8,
          esc(panels[pi][0])));
      // Axis, grid, and the C line at 1.0.
      double step = max <= 2 ? 0.25 : max <= 4 ? 0.5 : max <= 10 ? 1 : 2;
      for (double t = 0; t <= max; t += step) {
        int y = (int) Math.round(base - t * scale);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>"
            + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.2f</text>%n", x0 + 35, y, x0 + panelW - 10, y, x0 + 30, y + 4, t));
      }
      int one = (int) Math.round(base - scale);
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\""
          + " stroke-dasharray=\"4,3\"/>%n", x0 + 35, one, x0 + panelW - 10, one));
      for (int g = 0; g < groups; g++) {
        Scenario sc = SCENARIOS.get(g);
        int gx = x0 + 45 + g * groupW;
        for (int i = 0; i < n; i++) {
          String srv = servers.get(i);
          double r = ratio(srv, sc, sc.pump() ? panels[pi][2] : panels[pi][1]);
          int x = gx + i * barW;
          if (Double.isNaN(r) || Double.isInfinite(r)) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"9\">n/a</text>%n", x, base - 3));
            continue;
          }
          int h = (int) Math.round(r * scale);
          s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
              + "<title>%s, %s: %.2f</title></rect>%n", x, base - h, barW - 2, h, colour(srv), esc(srv),
              esc(sc.name()), r));
          s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"9\" transform=\"rotate(-90 %d %d)\">"
              + "%.2f</text>%n", x + barW / 2 + 3, base - h - 3, x + barW / 2 + 3, base - h - 3, r));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>"
            + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", gx + n * barW / 2, base + 15,
            esc(sc.chart1()), gx + n * barW / 2, base + 28, esc(sc.chart2())));
      }
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
          x0 + 35, base, x0 + panelW - 10, base));
    }
    // Legend.
    int ly = height - 45;
    for (int i = 0; i < n; i++) {
      String srv = servers.get(i);
      int lx = 20 + i * 120;
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", lx, ly, colour(srv), lx + 16, ly + 10, esc(srv)));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"%d\" font-size=\"10\" fill=\"#555\">Dashed line: the C"
        + " server. Loopback, one event-loop thread per server, server and load generator pinned to separate"
        + " cores; see bench/README.md.</text>%n", height - 10));
    s.append("</svg>\n");
    return s.toString();
  }

  static String colour(String server) {
    return COLOURS[Arrays.asList(ALL_SERVERS).indexOf(server)];
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  // ---------------------------------------------------------------- machine

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static boolean onPath(String exe) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }

  static long[] coreTicks(int cpu) throws IOException {
    return coreTicks(Integer.toString(cpu));
  }

  /** {busy, total} ticks of a CPU list ("0", "0,2-3") from /proc/stat. */
  static long[] coreTicks(String cpus) throws IOException {
    List<String> names = new ArrayList<>();
    for (String part : cpus.split(",")) {
      String[] r = part.split("-");
      int lo = Integer.parseInt(r[0].trim());
      int hi = r.length > 1 ? Integer.parseInt(r[1].trim()) : lo;
      for (int c = lo; c <= hi; c++) {
        names.add("cpu" + c);
      }
    }
    long busy = 0;
    long total = 0;
    for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
      String[] f = line.trim().split("\\s+");
      if (names.remove(f[0])) {
        long t = 0;
        for (int i = 1; i < f.length && i <= 8; i++) { // user nice system idle iowait irq softirq steal
          t += Long.parseLong(f[i]);
        }
        busy += t - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        total += t;
      }
    }
    if (!names.isEmpty()) {
      throw new IOException(names + " not in /proc/stat");
    }
    return new long[] {busy, total};
  }

  /** utime + stime of a process in clock ticks, 0 when it is gone. */
  static long procTicks(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      return 0;
    }
  }

  static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  void say(String line) {
    System.out.println(line);
    System.out.flush();
    log.append("# ").append(line).append('\n');
  }
}
