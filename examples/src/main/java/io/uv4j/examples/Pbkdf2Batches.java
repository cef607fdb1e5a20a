package io.uv4j.examples;

import io.uv4j.Uv;
import io.uv4j.node.NodeRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * {@code pbkdf2-batches [poolSize]}: Node's thread-pool demonstration. Eight
 * {@code crypto.pbkdf2} calls are queued at once; libuv's pool has 4 threads by default, so they
 * finish in two batches of four, the second starting as the first ends. With a pool size
 * argument the pool is resized first ({@code UV_THREADPOOL_SIZE}): with 8, all eight run at once.
 *
 * <p>Each job is the JDK's PBKDF2 (HMAC-SHA512, 100,000 iterations) run on a libuv pool thread
 * with {@code loop.queueWork}; its completion enters Node-style code through
 * {@link NodeRuntime#makeCallback}, as Node's {@code crypto} module does. The JavaScript original
 * (examples/src/main/js/pbkdf2-batches.js) calls {@code crypto.pbkdf2}, which uv4j has too
 * ({@code node.crypto().pbkdf2(...)}); this version queues the same work itself so that it can
 * also record which pool thread ran each job and how many ran at once.
 */
public final class Pbkdf2Batches {
  static final int JOBS = 8;
  static final int ITERATIONS = 100_000;

  private Pbkdf2Batches() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.valueOf(args[0]) : null, System.out);
  }

  /** What one run observed. */
  record Result(int poolSize, int maxConcurrent, int threadsUsed, int batches, List<String> hashes) { }

  static Result run(Integer poolSize, PrintStream out) throws Exception {
    if (poolSize != null) {
      try {
        Uv.setThreadPoolSize(poolSize);
      } catch (IllegalStateException e) {
        out.println("cannot resize: " + e.getMessage());
      }
    }
    int size = Uv.threadPoolSize();
    out.println("libuv thread pool: " + size + " threads; " + JOBS + " pbkdf2 jobs of "
        + ITERATIONS + " iterations");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<String> hashes = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    // A job's batch: 1 + how many jobs had finished on its pool thread before it started there.
    int[] batches = {0};
    java.util.Map<String, Integer> perThread = new java.util.concurrent.ConcurrentHashMap<>();
    NodeRuntime.run(node -> {
      long start = System.nanoTime();
      for (int i = 1; i <= JOBS; i++) {
        int job = i;
        byte[][] hash = new byte[1][];
        String[] thread = new String[1];
        int[] batch = new int[1];
        node.loop().queueWork(() -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          thread[0] = Thread.currentThread().getName();
          batch[0] = perThread.merge(thread[0], 1, Integer::sum);
          hash[0] = pbkdf2("secret", "salt");
          running.decrementAndGet();
        }, error -> node.makeCallback(() -> {
          if (error != null) {
            throw new IllegalStateException("job " + job + " failed", error);
          }
          long ms = (System.nanoTime() - start) / 1_000_000;
          out.printf("job %d done at %5d ms  (batch %d, on %s)%n", job, ms, batch[0], thread[0]);
          hashes.add(HexFormat.of().formatHex(hash[0]));
          threads.add(thread[0]);
          batches[0] = Math.max(batches[0], batch[0]);
        }));
      }
    });
    int used = (int) threads.stream().distinct().count();
    out.println("at most " + maxRunning.get() + " jobs ran at once on " + used + " pool threads: "
        + JOBS + " jobs in " + batches[0] + (batches[0] == 1 ? " batch" : " batches"));
    return new Result(size, maxRunning.get(), used, batches[0], hashes);
  }

  static byte[] pbkdf2(String password, String salt) {
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512");
      return f.generateSecret(new PBEKeySpec(password.toCharArray(),
          salt.getBytes(java.nio.charset.StandardCharsets.UTF_8), ITERATIONS, 512)).getEncoded();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
