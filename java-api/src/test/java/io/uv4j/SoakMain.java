package io.uv4j;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The soak child (SoakTest): for {@code args[0]} seconds, round after round, a fresh loop runs a
 * mix of everything that allocates natively: TCP connections (connect, echo, half-close, close),
 * UDP datagrams, timers (one-shot, repeating, stopped, restarted), idle/check handles, async
 * sends from another thread, fs requests (open, write, read, stat, scandir, unlink), work on the
 * pool and DNS lookups; then the loop is closed. After every round the native counters must be
 * zero. About once a second it prints a sample: rounds done, Java heap used after a full GC, and
 * the process's resident set. SoakTest reads the samples.
 *
 * <p>Test of the test only: {@code -Dsoak.leakNative=BYTES} keeps a direct buffer of that many
 * bytes per round, {@code -Dsoak.leakHeap=BYTES} a heap array, so SoakTest can show that its
 * checks see a leak of either kind.
 */
final class SoakMain {
  private static final int CONNECTIONS = 4;
  private static final int TIMERS = 40;
  private static final int WORK_ITEMS = 16;

  private SoakMain() {}

  public static void main(String[] args) throws Exception {
    double seconds = Double.parseDouble(args[0]);
    int leakNative = Integer.getInteger("soak.leakNative", 0);
    int leakHeap = Integer.getInteger("soak.leakHeap", 0);
    List<Object> leaked = new ArrayList<>();
    Path dir = Files.createTempDirectory("uv4j-soak");
    Runtime runtime = Runtime.getRuntime();
    SplittableRandom random = new SplittableRandom(1);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long nextSample = start;
    long rounds = 0;
    try {
      while (System.nanoTime() < end) {
        round(dir, random);
        rounds++;
        long leaks = Uv.liveLoops() + Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs();
        if (leaks != 0) {
          throw new AssertionError("after round " + rounds + ": loops " + Uv.liveLoops() + " handles "
              + Uv.liveHandles() + " requests " + Uv.liveRequests() + " refs " + Uv.liveGlobalRefs());
        }
        if (leakNative > 0) {
          leaked.add(ByteBuffer.allocateDirect(leakNative).put(0, (byte) 1));
        }
        if (leakHeap > 0) {
          leaked.add(new byte[leakHeap]);
        }
        long now = System.nanoTime();
        if (now >= nextSample) {
          System.gc();
          System.gc();
          System.out.printf(Locale.ROOT, "sample t=%.2f rounds=%d heap=%d rss=%d%n", (now - start) / 1e9, rounds,
              runtime.totalMemory() - runtime.freeMemory(), rss());
          nextSample = now + 1_000_000_000L;
        }
      }
    } finally {
      Files.deleteIfExists(dir.resolve("f")); // left by a round that failed half-way
      Files.deleteIfExists(dir);
    }
    System.out.println("done rounds=" + rounds + " kept=" + leaked.size());
  }

  /** VmRSS from /proc/self/status, in bytes. */
  static long rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS");
  }

  /** One loop's life: every activity started, the loop run until nothing is left, closed. */
  static void round(Path dir, SplittableRandom random) throws Exception {
    try (Loop loop = Loop.create()) {
      List<String> failures = new ArrayList<>();
      tcp(loop, failures);
      udp(loop, failures);
      timers(loop, random);
      watchers(loop);
      async(loop);
      fs(loop, dir, failures);
      work(loop, failures);
      dns(loop, failures);
      loop.run();
      if (!failures.isEmpty()) {
        throw new AssertionError("failed in a round: " + failures);
      }
    }
  }

  static void tcp(Loop loop, List<String> failures) throws UvException {
    Tcp server = new Tcp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    int[] accepted = {0};
    server.listen(128, (s, e) -> {
      if (e != null) {
        failures.add("tcp listen: " + e);
        return;
      }
      Tcp conn = new Tcp(loop);
      s.accept(conn);
      if (++accepted[0] == CONNECTIONS) {
        s.close();
      }
      conn.readStart(new ReadCallback() {
        @Override
        public void onData(Stream st, ByteBuffer data) {
          st.write(data); // echo
        }

        @Override
        public void onEnd(Stream st) {
          st.shutdown((x, err) -> x.close());
        }
      });
    });
    InetSocketAddress at = server.localAddress();
    for (int i = 0; i < CONNECTIONS; i++) {
      Tcp client = new Tcp(loop);
      int size = 1000 + 1000 * i;
      client.connect(at, (c, e) -> {
        if (e != null) {
          failures.add("tcp connect: " + e);
          c.close();
          return;
        }
        int[] got = {0};
        c.readStart(new ReadCallback() {
          @Override
          public void onData(Stream st, ByteBuffer data) {
            got[0] += data.remaining();
            if (got[0] == size) {
              st.shutdown((x, err) -> { });
            }
          }

          @Override
          public void onEnd(Stream st) {
            if (got[0] != size) {
              failures.add("tcp echo: " + got[0] + " of " + size);
            }
            st.close();
          }
        });
        c.write(new byte[size], 0, size, (x, err) -> {
          if (err != null) {
            failures.add("tcp write: " + err);
          }
        });
      });
    }
  }

  static void udp(Loop loop, List<String> failures) throws UvException {
    Udp receiver = new Udp(loop);
    receiver.bind(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress to = receiver.localAddress();
    Timer guard = new Timer(loop); // a lost datagram must not hang the round (loopback loses none)
    guard.start(5000, t -> {
      failures.add("udp lost");
      receiver.close();
      t.close();
    });
    int[] got = {0};
    receiver.recvStart((u, data, sender, partial) -> {
      if (++got[0] == 2) {
        u.close();
        guard.close();
      }
    });
    Udp sender = new Udp(loop);
    for (int i = 0; i < 2; i++) {
      boolean last = i == 1;
      sender.send(ByteBuffer.wrap(new byte[100 + i]), to, (u, e) -> {
        if (e != null) {
          failures.add("udp send: " + e);
        }
        if (last) {
          u.close(); // not before: closing cancels the sends still queued (ECANCELED)
        }
      });
    }
  }

  static void timers(Loop loop, SplittableRandom random) {
    for (int i = 0; i < TIMERS; i++) {
      Timer t = new Timer(loop);
      switch (i % 4) {
        case 0 -> t.start(random.nextInt(3), x -> x.close());
        case 1 -> {
          int[] fires = {0};
          t.start(0, 1, x -> {
            if (++fires[0] == 3) {
              x.close();
            }
          });
        }
        case 2 -> {
          t.start(50, x -> { });
          t.stop();
          t.close();
        }
        default -> t.start(1, x -> {
          if (x.getRepeat() == 0) {
            x.setRepeat(1);
            x.again();
          } else {
            x.close();
          }
        });
      }
    }
  }

  static void watchers(Loop loop) {
    int[] calls = {0};
    Idle idle = new Idle(loop);
    idle.start(h -> {
      if (++calls[0] == 5) {
        h.close();
      }
    });
    Check check = new Check(loop);
    check.start(h -> h.close());
    Prepare prepare = new Prepare(loop);
    prepare.start(h -> { });
    prepare.stop();
    prepare.close();
  }

  static void async(Loop loop) throws InterruptedException {
    Async async = new Async(loop, a -> a.close());
    Thread t = new Thread(async::send);
    t.start();
    t.join();
    loop.execute(() -> { });
  }

  static void fs(Loop loop, Path dir, List<String> failures) {
    Fs fs = new Fs(loop);
    String file = dir.resolve("f").toString();
    ByteBuffer out = ByteBuffer.allocateDirect(4096);
    ByteBuffer in = ByteBuffer.allocateDirect(4096);
    fs.open(file, Fs.O_CREAT | Fs.O_RDWR | Fs.O_TRUNC, 0600, (fd, e) -> {
      if (e != null) {
        failures.add("fs open: " + e);
        return;
      }
      fs.write(fd, out, 0, (n, e2) -> {
        if (e2 != null || n != 4096) {
          failures.add("fs write: " + n + " " + e2);
        }
        fs.read(fd, in, 0, (m, e3) -> {
          if (e3 != null || m != 4096) {
            failures.add("fs read: " + m + " " + e3);
          }
          fs.close(fd, (v, e4) -> fs.stat(file, (st, e5) -> {
            if (e5 != null || st.size() != 4096) {
              failures.add("fs stat: " + e5);
            }
            fs.scandir(dir.toString(), (list, e6) -> {
              if (e6 != null || list.size() != 1) {
                failures.add("fs scandir: " + list + " " + e6);
              }
              fs.unlink(file, (x, e7) -> {
                if (e7 != null) {
                  failures.add("fs unlink: " + e7);
                }
              });
            });
          }));
        });
      });
    });
    fs.stat(dir.resolve("missing").toString(), (st, e) -> {
      if (e == null) {
        failures.add("fs ENOENT"); // must be ENOENT
      }
    });
  }

  static void work(Loop loop, List<String> failures) {
    for (int i = 0; i < WORK_ITEMS; i++) {
      loop.queueWork(() -> { }, error -> {
        if (error != null) {
          failures.add("work: " + error);
        }
      });
    }
  }

  static void dns(Loop loop, List<String> failures) {
    new Dns(loop).getaddrinfo("localhost", "80", null, (list, e) -> {
      if (e != null || list.isEmpty()) {
        failures.add("dns: " + list + " " + e);
      }
    });
  }
}
