package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Thread-pool facts that need a fresh process: libuv reads the pool size once per process, and
 * process exit must not hang on a pool thread that runs Java.
 */
class PoolChildJvmTest {

  @Test
  void poolOfTwoFromJavaRunsTwoAtOnce() throws Exception {
    Child c = run(Map.of(), "set", "2");
    assertEquals(0, c.exit, c.output);
    assertTrue(c.output.contains("size=2 maxRunning=2 done=8 leaks=0"), c.output);
  }

  @Test
  void poolOfEightFromTheEnvironmentRunsEightAtOnce() throws Exception {
    Child c = run(Map.of("UV_THREADPOOL_SIZE", "8"), "env", "8");
    assertEquals(0, c.exit, c.output);
    assertTrue(c.output.contains("size=8 maxRunning=8 done=8 leaks=0"), c.output);
  }

  @Test
  void exitWhileJavaWorkRunsOnThePoolEndsTheProcessWithItsStatus() throws Exception {
    // Without uv4j's exit handler, libuv's at-exit shutdown joins the pool thread the dead VM
    // has parked, and the process never ends.
    Child c = run(Map.of(), "exit", "0");
    assertEquals(3, c.exit, c.output);
    assertTrue(c.output.contains("exiting"), c.output);
  }

  /** The child: {@code set N} / {@code env N} run 8 blocking jobs; {@code exit} exits mid-work. */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("set")) {
      Uv.setThreadPoolSize(Integer.parseInt(args[1]));
    }
    if (args[0].equals("exit")) {
      Loop loop = Loop.create();
      CountDownLatch started = new CountDownLatch(1);
      loop.queueWork(() -> {
        started.countDown();
        while (!Thread.currentThread().isInterrupted()) {
          Thread.onSpinWait(); // busy in Java when the JVM exits
        }
      }, e -> { });
      new Thread(() -> {
        WorkTest.await(started);
        System.out.println("exiting");
        System.exit(3);
      }).start();
      loop.run();
      return;
    }
    int size = Uv.threadPoolSize();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch allInFirstWave = new CountDownLatch(size);
    int[] done = {0};
    try (Loop loop = Loop.create()) {
      for (int i = 0; i < 8; i++) {
        loop.queueWork(() -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          allInFirstWave.countDown();
          WorkTest.await(allInFirstWave); // the first `size` jobs wait for each other
          running.decrementAndGet();
        }, e -> done[0]++);
      }
      loop.run();
    }
    System.out.println("size=" + size + " maxRunning=" + maxRunning.get() + " done=" + done[0]
        + " leaks=" + (Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs() + Uv.liveLoops()));
  }

  private static final class Child {
    final int exit;
    final String output;

    Child(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  private static Child run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xcheck:jni");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PoolChildJvmTest.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("UV_THREADPOOL_SIZE");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not exit within 60 s: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return new Child(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
