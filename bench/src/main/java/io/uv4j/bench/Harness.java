package io.uv4j.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Small shared pieces of the plain (non-JMH) harnesses: medians, peers run as processes. */
final class Harness {
  private Harness() {}

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  }

  static String range(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    return String.format(Locale.ROOT, "%,.0f (%,.0f..%,.0f)", median(values), min, max);
  }

  /**
   * The system's load averages (1, 5, 15 min) from /proc/loadavg, or "n/a": printed with the
   * figures, since other processes on the machine move them.
   */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** The executable {@code name} on the PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Runs a peer program and returns the {@code key=value} pairs of its {@code RESULT} lines
   * (keys prefixed by the line's first word when there is one, e.g. {@code stat.files_per_s});
   * its other output is echoed, indented. The peer's UV_THREADPOOL_SIZE is this JVM's libuv
   * pool size, so that every side has the same pool.
   */
  static Map<String, String> runPeer(List<String> command, boolean echo) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("UV_THREADPOOL_SIZE", String.valueOf(io.uv4j.Uv.threadPoolSize()));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("peer failed: " + command + "\n" + out);
    }
    Map<String, String> result = new HashMap<>();
    List<String> echoed = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("RESULT ")) {
        String[] words = line.substring(7).trim().split("\\s+");
        String prefix = words[0].contains("=") ? "" : words[0] + ".";
        for (String w : words) {
          int eq = w.indexOf('=');
          if (eq > 0) {
            result.put(prefix + w.substring(0, eq), w.substring(eq + 1));
          }
        }
      } else if (!line.isBlank()) {
        echoed.add("    " + line);
      }
    }
    if (echo) {
      echoed.forEach(System.out::println);
    }
    return result;
  }
}
