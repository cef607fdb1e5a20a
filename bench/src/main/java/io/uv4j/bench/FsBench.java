package io.uv4j.bench;

import io.uv4j.Fs;
import io.uv4j.FsCallback;
import io.uv4j.Loop;
import io.uv4j.Stat;
import io.uv4j.StatRequest;
import io.uv4j.Uv;
import io.uv4j.UvException;
import io.uv4j.WorkRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * stat and read of many small files (10,000 files of 1 KiB, created once in a temporary
 * directory, so in the page cache): files per second (wall) and process CPU per file for
 *
 * <ul>
 *   <li>uv4j {@link Fs}: {@code stat} (reusable {@code StatRequest}s), and {@code open} + one
 *       {@code read} + {@code close}, with 64 files in flight on libuv's pool (4 threads),
 *       callbacks on the loop thread; and the three synchronously inside one work item per file
 *       (one pool round trip instead of three);
 *   <li>NIO: {@code AsynchronousFileChannel} ({@code open}, one {@code read} with a completion
 *       handler, {@code close}; 64 in flight; the JDK's default pool), and
 *       {@code Files.readAttributes} / {@code Files.readAllBytes} called in a plain loop on one
 *       thread (what most Java code does);
 *   <li>Node.js, when {@code node} is on the PATH: {@code bench/node/fs_bench.js} with the same
 *       files and 64 in flight ({@code fs.stat}; {@code fs.readFile}, which also fstats; and
 *       {@code fs.open}/{@code fs.read}/{@code fs.close}, the same three operations as uv4j's),
 *       run as a child process once per round.
 * </ul>
 *
 * <p>Rounds of all sides alternate (the order rotates) after warm-up rounds. Run from the
 * repository root: {@code java -cp bench/target/benchmarks.jar io.uv4j.bench.FsBench [rounds]
 * [warmups] [files] [window]}; {@code -Dnode.script=<path>} if not run from the root,
 * {@code -Dnode=false} to leave Node out.
 */
public final class FsBench {
  static final int SIZE = 1024;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One side's round: files per second (wall) and process CPU ns per file. */
  record Round(double perSecond, double cpuNsPerFile) {}

  interface Side {
    Round round() throws Exception;
  }

  private FsBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int files = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
    Path script = Path.of(System.getProperty("node.script", "bench/node/fs_bench.js"));
    Path node = Boolean.parseBoolean(System.getProperty("node", "true")) ? Harness.onPath("node") : null;
    if (node != null && !Files.isRegularFile(script)) {
      System.out.println("(no " + script + ": run from the repository root or pass -Dnode.script=...)");
      node = null;
    }
    String nodeVersion = node == null ? "not run"
        : Harness.runPeer(List.of(node.toString(), "-e",
            "console.log('RESULT v=' + process.version + ' uv=' + process.versions.uv)"), false).toString();
    System.out.printf(Locale.ROOT,
        "%,d files of %,d bytes, %d in flight; pool of %d; JDK %s; libuv %s; node %s; %d CPUs%n",
        files, SIZE, window, Uv.threadPoolSize(), Runtime.version(), Uv.versionString(), nodeVersion,
        Runtime.getRuntime().availableProcessors());
    System.out.println("load average before: " + Harness.loadAverage());

    Path dir = Files.createTempDirectory("uv4j-fsbench");
    String[] paths = createFiles(dir, files);
    Loop loop = Loop.create();
    try {
      Map<String, Side> sides = new LinkedHashMap<>();
      sides.put("uv4j stat", () -> uv4jStat(loop, paths, window));
      sides.put("Files.readAttributes", () -> nioStat(paths));
      sides.put("uv4j open+read+close", () -> uv4jRead(loop, paths, window));
      sides.put("uv4j work(open+read+close)", () -> uv4jReadInWork(loop, paths, window));
      sides.put("AsynchronousFileChannel", () -> nioAsyncRead(paths, window));
      sides.put("Files.readAllBytes", () -> nioReadAllBytes(paths));
      Map<String, List<Round>> results = new LinkedHashMap<>();
      sides.keySet().forEach(k -> results.put(k, new ArrayList<>()));
      List<String> nodeSides = List.of("stat", "readFile", "openReadClose");
      if (node != null) {
        nodeSides.forEach(k -> results.put("node " + k, new ArrayList<>()));
      }
      List<String> order = new ArrayList<>(sides.keySet());
      if (node != null) {
        order.add("node");
      }
      for (int i = 0; i < warmups + rounds; i++) {
        boolean warm = i < warmups;
        for (int k = 0; k < order.size(); k++) {
          String name = order.get((i + k) % order.size());
          if (name.equals("node")) {
            Map<String, String> r = Harness.runPeer(List.of(node.toString(), script.toString(),
                dir.toString(), String.valueOf(files), String.valueOf(window), "1", "1",
                String.valueOf(SIZE)), false);
            for (String s : nodeSides) {
              record(warm, "node " + s, new Round(Double.parseDouble(r.get(s + ".files_per_s")),
                  Double.parseDouble(r.get(s + ".cpu_ns_per_file"))), results);
            }
          } else {
            System.gc();
            record(warm, name, sides.get(name).round(), results);
          }
        }
      }

      System.out.println("load average after: " + Harness.loadAverage());
      System.out.println();
      System.out.println("median of " + rounds + " rounds (min..max):");
      System.out.printf(Locale.ROOT, "%-28s %-34s %s%n", "", "files/s", "CPU ns per file");
      results.forEach((name, rs) -> System.out.printf(Locale.ROOT, "%-28s %-34s %s%n", name,
          Harness.range(rs.stream().map(Round::perSecond).toList()),
          Harness.range(rs.stream().map(Round::cpuNsPerFile).toList())));
      System.out.println("ratios (uv4j / peer; throughput, then CPU per file):");
      ratio(results, "uv4j stat", "Files.readAttributes");
      ratio(results, "uv4j stat", "node stat");
      ratio(results, "uv4j open+read+close", "AsynchronousFileChannel");
      ratio(results, "uv4j open+read+close", "Files.readAllBytes");
      ratio(results, "uv4j open+read+close", "node openReadClose");
      ratio(results, "uv4j open+read+close", "node readFile");
      ratio(results, "uv4j work(open+read+close)", "AsynchronousFileChannel");
      ratio(results, "uv4j work(open+read+close)", "Files.readAllBytes");
      ratio(results, "uv4j work(open+read+close)", "node readFile");
    } finally {
      loop.close();
      for (String p : paths) {
        Files.deleteIfExists(Path.of(p));
      }
      Files.deleteIfExists(dir);
    }
  }

  static String[] createFiles(Path dir, int files) throws IOException {
    Random random = new Random(1);
    byte[] data = new byte[SIZE];
    String[] paths = new String[files];
    for (int i = 0; i < files; i++) {
      random.nextBytes(data);
      Path p = dir.resolve(String.format(Locale.ROOT, "f%05d", i)); // the names fs_bench.js uses
      Files.write(p, data);
      paths[i] = p.toString();
    }
    return paths;
  }

  // ------------------------------------------------------------------ uv4j

  /**
   * stat of every file, {@code window} in flight; each callback starts the next. {@code window}
   * reusable {@link StatRequest}s, as a C program reuses its {@code uv_fs_t}s
   * ({@code -Duv4j.api=oneshot}: {@code Fs.stat}, a request and a {@code Stat} per file).
   */
  static Round uv4jStat(Loop loop, String[] paths, int window) {
    Fs fs = new Fs(loop);
    boolean oneShot = System.getProperty("uv4j.api", "reuse").equals("oneshot");
    int[] next = {0};
    int[] done = {0};
    UvException[] failure = {null};
    class Next implements FsCallback<Stat> {
      final StatRequest req = oneShot ? null : new StatRequest(fs);

      void start(String path) {
        if (req == null) {
          fs.stat(path, this);
        } else {
          req.stat(path, this);
        }
      }

      @Override
      public void done(Stat st, UvException e) {
        if (e != null || st.size() != SIZE) {
          failure[0] = e != null ? e : new UvException(-1, "stat size " + st.size());
          return;
        }
        done[0]++;
        if (next[0] < paths.length) {
          start(paths[next[0]++]);
        }
      }
    }
    Next[] slots = new Next[window];
    for (int k = 0; k < window; k++) {
      slots[k] = new Next();
    }
    return measure(paths.length, () -> {
      for (int k = 0; k < window && next[0] < paths.length; k++) {
        slots[k].start(paths[next[0]++]);
      }
      loop.run();
      check(failure[0], done[0], paths.length);
    });
  }

  /** open, one read into the slot's direct buffer, close; each file's close starts the next. */
  static Round uv4jRead(Loop loop, String[] paths, int window) {
    Fs fs = new Fs(loop);
    int[] next = {0};
    int[] done = {0};
    long[] bytes = {0};
    UvException[] failure = {null};
    class Slot {
      final ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(4096, 2 * SIZE));
      int fd;
      final FsCallback<Void> closed = (v, e) -> {
        if (fail(e)) {
          return;
        }
        done[0]++;
        start();
      };
      final FsCallback<Integer> read = (n, e) -> {
        bytes[0] += e == null ? n : 0;
        fail(e);
        fs.close(fd, closed);
      };
      final FsCallback<Integer> opened = (fd, e) -> {
        if (fail(e)) {
          return;
        }
        this.fd = fd;
        buf.clear();
        fs.read(fd, buf, 0, read);
      };

      void start() {
        if (next[0] < paths.length) {
          fs.open(paths[next[0]++], Fs.O_RDONLY, 0, opened);
        }
      }

      boolean fail(UvException e) {
        if (e != null && failure[0] == null) {
          failure[0] = e;
        }
        return e != null;
      }
    }
    List<Slot> slots = new ArrayList<>();
    for (int k = 0; k < window; k++) {
      slots.add(new Slot());
    }
    return measure(paths.length, () -> {
      slots.forEach(Slot::start);
      loop.run();
      check(failure[0], done[0], paths.length);
      checkBytes(bytes[0], paths.length);
    });
  }

  /**
   * The same open, read, close, but all three synchronously inside one work item on libuv's pool
   * ({@code Fs.openSync}/{@code readSync}/{@code closeSync} on the pool thread): one pool round
   * trip per file instead of three, what a libuv program does for many small reads. {@code window}
   * reusable {@link WorkRequest}s, each with its own direct buffer.
   */
  static Round uv4jReadInWork(Loop loop, String[] paths, int window) {
    int[] next = {0};
    int[] done = {0};
    long[] bytes = {0};
    Throwable[] failure = {null};
    class Slot {
      final ByteBuffer buf = ByteBuffer.allocateDirect(SIZE * 2);
      String path;
      int got;
      final WorkRequest req = loop.workRequest(this::work, this::after);

      void work() {
        try {
          int fd = Fs.openSync(path, Fs.O_RDONLY, 0);
          try {
            buf.clear();
            got = Fs.readSync(fd, buf, 0);
          } finally {
            Fs.closeSync(fd);
          }
        } catch (UvException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      void after(Throwable e) {
        if (e != null) {
          if (failure[0] == null) {
            failure[0] = e;
          }
          return;
        }
        bytes[0] += got;
        done[0]++;
        start();
      }

      void start() {
        if (next[0] < paths.length) {
          path = paths[next[0]++];
          req.queue();
        }
      }
    }
    List<Slot> slots = new ArrayList<>();
    for (int k = 0; k < window; k++) {
      slots.add(new Slot());
    }
    return measure(paths.length, () -> {
      slots.forEach(Slot::start);
      loop.run();
      if (failure[0] != null) {
        throw new IllegalStateException(failure[0]);
      }
      check(null, done[0], paths.length);
      checkBytes(bytes[0], paths.length);
    });
  }

  // ------------------------------------------------------------------ NIO

  /** {@code Files.readAttributes} in a loop on this thread. */
  static Round nioStat(String[] paths) {
    return measure(paths.length, () -> {
      for (String p : paths) {
        BasicFileAttributes a = Files.readAttributes(Path.of(p), BasicFileAttributes.class);
        if (a.size() != SIZE) {
          throw new IllegalStateException("size " + a.size() + " of " + p);
        }
      }
    });
  }

  /** {@code Files.readAllBytes} in a loop on this thread. */
  static Round nioReadAllBytes(String[] paths) {
    return measure(paths.length, () -> {
      long bytes = 0;
      for (String p : paths) {
        bytes += Files.readAllBytes(Path.of(p)).length;
      }
      checkBytes(bytes, paths.length);
    });
  }

  /**
   * {@code AsynchronousFileChannel}: open (synchronous, on the thread that starts the file), one
   * read with a completion handler (on the JDK's default pool), close; each handler starts the
   * next file. {@code window} files in flight.
   */
  static Round nioAsyncRead(String[] paths, int window) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(1);
    class Slot implements CompletionHandler<Integer, Void> {
      final ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(4096, 2 * SIZE));
      AsynchronousFileChannel ch;

      void start() {
        int i = next.getAndIncrement();
        if (i >= paths.length) {
          return;
        }
        try {
          ch = AsynchronousFileChannel.open(Path.of(paths[i]), StandardOpenOption.READ);
        } catch (IOException e) {
          failed(e, null);
          return;
        }
        buf.clear();
        ch.read(buf, 0, null, this);
      }

      @Override
      public void completed(Integer n, Void unused) {
        bytes.addAndGet(n);
        try {
          ch.close();
        } catch (IOException e) {
          failed(e, null);
          return;
        }
        if (done.incrementAndGet() == paths.length) {
          finished.countDown();
        } else {
          start();
        }
      }

      @Override
      public void failed(Throwable e, Void unused) {
        failure.compareAndSet(null, e);
        finished.countDown();
      }
    }
    List<Slot> slots = new ArrayList<>();
    for (int k = 0; k < window; k++) {
      slots.add(new Slot());
    }
    return measure(paths.length, () -> {
      slots.forEach(Slot::start);
      finished.await();
      if (failure.get() != null) {
        throw new IllegalStateException(failure.get());
      }
      checkBytes(bytes.get(), paths.length);
    });
  }

  // ------------------------------------------------------------------ plumbing

  interface Body {
    void run() throws Exception;
  }

  private static Round measure(int files, Body body) {
    long cpu0 = OS.getProcessCpuTime();
    long t0 = System.nanoTime();
    try {
      body.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    long wall = System.nanoTime() - t0;
    long cpu = OS.getProcessCpuTime() - cpu0;
    return new Round(files / (wall / 1e9), (double) cpu / files);
  }

  private static void check(UvException failure, int done, int files) {
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    if (done != files) {
      throw new IllegalStateException("done " + done + " of " + files);
    }
  }

  private static void checkBytes(long bytes, int files) {
    if (bytes != (long) files * SIZE) {
      throw new IllegalStateException("read " + bytes + " bytes, expected " + (long) files * SIZE);
    }
  }

  private static void record(boolean warm, String name, Round r, Map<String, List<Round>> into) {
    System.out.printf(Locale.ROOT, "%s %-28s %,10.0f files/s, %,7.0f ns CPU per file%n",
        warm ? "warm-up" : "round  ", name, r.perSecond(), r.cpuNsPerFile());
    if (!warm) {
      into.get(name).add(r);
    }
  }

  private static void ratio(Map<String, List<Round>> results, String a, String b) {
    List<Round> ra = results.get(a);
    List<Round> rb = results.get(b);
    if (ra == null || rb == null || ra.isEmpty() || rb.isEmpty()) {
      return;
    }
    System.out.printf(Locale.ROOT, "  %-28s / %-24s %.2f   %.2f%n", a, b,
        Harness.median(ra.stream().map(Round::perSecond).toList())
            / Harness.median(rb.stream().map(Round::perSecond).toList()),
        Harness.median(ra.stream().map(Round::cpuNsPerFile).toList())
            / Harness.median(rb.stream().map(Round::cpuNsPerFile).toList()));
  }
}
