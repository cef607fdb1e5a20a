package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolBatchesTest {
  private static final Pattern DONE = Pattern.compile("  job (\\d+) done at +\\d+ ms on (\\S+)");
  private static final Pattern SUMMARY = Pattern.compile("at most (\\d+) jobs ran at once: (\\d+) batch");

  /**
   * The example's machinery with instrumented jobs instead of hashes: each job waits at a barrier
   * for as many jobs as the pool has threads. So a whole pool's worth of jobs must run at once
   * (or the barrier times out), and the pool can run no more, which makes the batches exact
   * rather than a matter of timing.
   */
  @Test
  void twicePoolSizeJobsFinishInTwoBatchesOfPoolSize() throws Exception {
    int size = Uv.threadPoolSize();
    CyclicBarrier barrier = new CyclicBarrier(size);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    PoolBatches.Result r = PoolBatches.run(2 * size, id -> barrier.await(30, TimeUnit.SECONDS), out);

    List<PoolBatches.Job> jobs = r.jobs();
    assertEquals(2 * size, jobs.size());
    assertEquals(size, r.maxAtOnce(), "jobs running at once");
    // Finishing order: all of batch 1, then all of batch 2; batch 2 ended after batch 1 did.
    long lastOfFirst = 0;
    long firstOfSecond = Long.MAX_VALUE;
    Map<String, Integer> perThread = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      PoolBatches.Job j = jobs.get(i);
      assertEquals(i < size ? 1 : 2, j.batch(), "batch of the job finishing " + (i + 1) + ": " + jobs);
      if (i < size) {
        lastOfFirst = Math.max(lastOfFirst, j.endNs());
      } else {
        firstOfSecond = Math.min(firstOfSecond, j.endNs());
      }
      perThread.merge(j.thread(), 1, Integer::sum);
    }
    assertTrue(lastOfFirst <= firstOfSecond, jobs.toString());
    // Every pool thread ran one job of each batch.
    assertEquals(size, perThread.size(), perThread.toString());
    assertTrue(perThread.values().stream().allMatch(n -> n == 2), perThread.toString());
    // Each job was printed as it finished, in that order.
    List<String> printed = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(2 * size, printed.size(), printed.toString());
    for (int i = 0; i < jobs.size(); i++) {
      Matcher m = DONE.matcher(printed.get(i));
      assertTrue(m.matches(), printed.get(i));
      assertEquals(jobs.get(i).id(), Integer.parseInt(m.group(1)));
      assertEquals(jobs.get(i).thread(), m.group(2));
    }

    ByteArrayOutputStream timeline = new ByteArrayOutputStream();
    PoolBatches.printTimeline(r, new PrintStream(timeline, true, StandardCharsets.UTF_8));
    assertTrue(timeline.toString(StandardCharsets.UTF_8)
        .endsWith("at most " + size + " jobs ran at once: 2 batches\n"), timeline.toString());
    assertEquals(0, Uv.liveRequests());
  }

  @Test
  void aFailingJobIsReported() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> PoolBatches.run(2, id -> {
          if (id == 2) {
            throw new java.io.IOException("job 2 broke");
          }
        }, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    assertTrue(String.valueOf(e.getCause()).contains("job 2 broke"), String.valueOf(e.getCause()));
  }

  /** The real command, hashes and all, in a fresh JVM with libuv's default pool of 4. */
  @Test
  void defaultPoolOfFourRunsTheEightHashesInAtLeastTwoBatches(@TempDir Path dir) throws Exception {
    checkRealRun(Child.run(dir, "pool-batches"), 4);
  }

  /**
   * {@code pool-batches 2}: the example sets the pool size before the pool starts (with fewer
   * iterations per hash, to keep the test short).
   */
  @Test
  void poolOfTwoRunsTheEightHashesInAtLeastFourBatches(@TempDir Path dir) throws Exception {
    checkRealRun(Child.run(dir, "pool-batches", "2", "20000"), 2);
  }

  /**
   * With real hashes only what the pool size guarantees is asserted (how evenly the CPUs share
   * out the work is timing): no more than {@code size} threads and jobs at once, so 8 jobs take
   * at least 8 / size batches.
   */
  private static void checkRealRun(Child c, int size) {
    assertEquals(0, c.exit, c.toString());
    assertTrue(c.out.contains("on libuv's pool of " + size + " threads"), c.toString());
    Set<Integer> ids = new TreeSet<>();
    Set<String> threads = new TreeSet<>();
    Matcher m = DONE.matcher(c.out);
    while (m.find()) {
      ids.add(Integer.parseInt(m.group(1)));
      threads.add(m.group(2));
    }
    assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), ids, c.toString());
    assertTrue(threads.size() <= size && threads.stream().allMatch(t -> t.startsWith("uv4j-pool-")),
        c.toString());
    Matcher s = SUMMARY.matcher(c.out);
    assertTrue(s.find(), c.toString());
    int atOnce = Integer.parseInt(s.group(1));
    int batches = Integer.parseInt(s.group(2));
    assertTrue(atOnce >= 1 && atOnce <= size, c.toString());
    assertTrue(batches >= 8 / size, c.toString());
  }
}
