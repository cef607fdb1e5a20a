package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash class 9: the process ends, with its status, while libuv's pool (one thread) is busy and
 * Java work is queued behind the busy item. Before the fix the JVM hung for ever after its
 * shutdown, deaf to SIGTERM: libuv's at-exit join waited for a pool thread that was parked in
 * the dead VM or about to attach to it, or stuck in a read nobody would answer.
 */
@ExtendWith(LeakCheck.class)
class ExitWithQueuedWorkTest {
  /** A hang detector, not a timing assertion: a healthy child ends in about a second. */
  private static final int HANG_SECONDS = 30;

  @TempDir
  Path dir;

  @Test
  void systemExitBehindJavaWorkSleepingOnThePool() throws Exception {
    Child c = start("java", "exit");
    assertEquals(3, c.waitFor(), c.output());
    assertTrue(c.output().contains("queued 5 behind the busy item"), c.output());
    assertFalse(c.output().contains("queued work ran"), c.output());
  }

  @Test
  void systemExitBehindAnFsReadOfAFifoNobodyWrites() throws Exception {
    Child c = start("fifo", "exit");
    assertEquals(3, c.waitFor(), c.output());
    assertTrue(c.output().contains("queued 5 behind the busy item"), c.output());
    assertFalse(c.output().contains("queued work ran"), c.output());
  }

  @Test
  void mainReturningWithWorkQueuedEndsTheProcess() throws Exception {
    // No non-daemon thread is left (the loop is never run), so the JVM ends when main returns.
    Child c = start("java", "return");
    assertEquals(0, c.waitFor(), c.output());
    assertTrue(c.output().contains("queued 5 behind the busy item"), c.output());
  }

  @Test
  void sigtermWithWorkQueuedEndsTheProcess() throws Exception {
    Child c = start("fifo", "wait");
    c.awaitOutput("queued 5 behind the busy item");
    c.process.destroy(); // SIGTERM
    assertEquals(143, c.waitFor(), c.output());
  }

  /**
   * The child: a pool of one thread, one item that never finishes ({@code java}: Java sleeping;
   * {@code fifo}: an fs read of a FIFO nobody writes), five Java work items queued behind it,
   * then {@code exit}: System.exit(3); {@code return}: main returns; {@code wait}: wait for a
   * signal.
   */
  public static void main(String[] args) throws Exception {
    Uv.setThreadPoolSize(1);
    Loop loop = Loop.create();
    if (args[0].equals("java")) {
      CountDownLatch started = new CountDownLatch(1);
      loop.queueWork(() -> {
        started.countDown();
        sleepForever();
      }, e -> { });
      started.await();
    } else {
      Path fifo = Paths.get(args[2], "fifo");
      Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      if (mkfifo.waitFor() != 0) {
        throw new IOException("mkfifo failed");
      }
      int fd = Fs.openSync(fifo.toString(), Fs.O_RDWR, 0); // O_RDWR: the open does not block
      new Fs(loop).read(fd, ByteBuffer.allocateDirect(16), -1, (n, e) -> { });
    }
    for (int i = 0; i < 5; i++) {
      loop.queueWork(() -> System.out.println("queued work ran"), e -> { });
    }
    System.out.println("queued 5 behind the busy item");
    switch (args[1]) {
      case "exit":
        System.exit(3);
        break;
      case "return":
        return;
      default:
        sleepForever();
    }
  }

  private static void sleepForever() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Child {
    final Process process;
    final Path out;

    Child(Process process, Path out) {
      this.process = process;
      this.out = out;
    }

    String output() {
      try {
        return Files.readString(out, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    }

    void awaitOutput(String line) throws InterruptedException {
      for (int i = 0; i < HANG_SECONDS * 10 && !output().contains(line); i++) {
        Thread.sleep(100);
      }
      assertTrue(output().contains(line), output());
    }

    int waitFor() throws Exception {
      if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("child JVM hung at exit:\n" + output());
      }
      assertTrue(!LibraryLifecycleTest.hsErr(dir), "hs_err file in " + dir);
      return process.exitValue();
    }
  }

  private Child start(String busy, String end) throws IOException {
    List<String> cmd = ChildScenarios.javaCommand(dir, "-Xcheck:jni");
    cmd.add(ExitWithQueuedWorkTest.class.getName());
    cmd.add(busy);
    cmd.add(end);
    cmd.add(dir.toString());
    Path out = dir.resolve("child-output.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().remove("UV_THREADPOOL_SIZE");
    return new Child(pb.start(), out);
  }
}
