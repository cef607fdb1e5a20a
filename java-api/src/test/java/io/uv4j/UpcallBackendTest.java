package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Which up-call mechanism runs ({@link Uv#backend()}): FFM upcall stubs on JDK 22+ with native
 * access enabled, JNI otherwise or with {@code -Duv4j.backend=jni}. The whole suite runs on
 * whichever is active (on JDK 25 in CI: FFM); these tests pin the choice itself, the peer index
 * bookkeeping of the FFM path, its escape route, and the same scenario on both paths in child
 * JVMs.
 */
@ExtendWith(LeakCheck.class)
class UpcallBackendTest {
  private static final int JDK = Runtime.version().feature();

  /** What this JVM should use: the surefire JVM has --enable-native-access=ALL-UNNAMED. */
  private static String expected() {
    boolean forcedJni = "jni".equals(System.getProperty(Upcalls.PROPERTY));
    return JDK >= 22 && !forcedJni ? "ffm" : "jni";
  }

  @Test
  void backendIsFfmOnJdk22AndLaterWithNativeAccessElseJni() {
    assertEquals(expected(), Uv.backend(), "reason: " + Upcalls.reason());
    assertEquals(Uv.backend().equals("ffm"), Upcalls.ACTIVE);
  }

  @Test
  void handlesOnTheFfmPathTakeAPeerIndexAndGiveItBackOnClose() throws Exception {
    try (Loop loop = Loop.create()) {
      int before = loop.slotsInUse();
      Idle idle = new Idle(loop);
      Prepare prepare = new Prepare(loop);
      Check check = new Check(loop);
      Timer quiet = new Timer(loop);
      Timer loud = new Timer(loop);
      // Idle, Prepare and Check take a peer index on either path (FFM up-calls and batched calls
      // find them by it); a Timer always holds an index too (its native handle is the timer
      // slab's element at that index), and it is found by that index, not by Handle.peer.
      int taken = 3 + 2; // (calls below: idle, prepare's close, quiet, loud's close)
      assertEquals(before + taken, loop.slotsInUse());
      assertSame(idle, loop.slot(idle.peer));
      assertEquals(-1, quiet.peer);
      AtomicInteger calls = new AtomicInteger();
      idle.start(h -> {
        calls.incrementAndGet();
        h.close(); // close with no callback: the JNI close up-call, Handle.onClosed releases
      });
      prepare.start(h -> h.close(calls::incrementAndGet));
      check.start(h -> h.close());
      quiet.start(0, t -> {
        calls.incrementAndGet();
        t.close(); // a Timer's quiet close: its index travels in the close record
      });
      loud.start(0, t -> t.close(calls::incrementAndGet));
      loop.run();
      assertEquals(4, calls.get());
      assertEquals(before, loop.slotsInUse(), "every peer index released");
      assertEquals(-1, quiet.peer);
      assertEquals(-1, idle.peer);
    }
  }

  @Test
  void streamsReadAndCompleteWritesThroughTheirPeerIndexOnTheFfmPath() throws Exception {
    try (Loop loop = Loop.create()) {
      int before = loop.slotsInUse();
      Tcp[] p = StreamWriteTest.connectedPair(loop); // its listening server is closed already
      for (Tcp t : p) {
        if (Upcalls.ACTIVE) {
          assertSame(t, loop.slot(t.peer)); // stream.c calls uvj_loop.ffm_stream with this index
        } else {
          assertEquals(-1, t.peer);
        }
      }
      assertEquals(before + (Upcalls.ACTIVE ? 2 : 0), loop.slotsInUse());
      List<String> events = new ArrayList<>();
      p[1].readStart((s, data) -> {
        events.add("read " + data.remaining());
        s.write(data, (st, e) -> events.add("written " + e)); // a completion up-call
      });
      p[0].readStart((s, data) -> {
        events.add("echo " + data.remaining());
        throw new IllegalStateException("thrown by a read callback");
      });
      p[0].write("ping".getBytes(StandardCharsets.US_ASCII));
      // A read callback that throws goes to callbackFailed on either path: run() rethrows it.
      assertEquals("thrown by a read callback", assertThrows(IllegalStateException.class, loop::run).getMessage());
      events.sort(null);
      assertEquals(List.of("echo 4", "read 4", "written null"), events);
      p[0].close();
      p[1].close();
      loop.run();
      assertEquals(before, loop.slotsInUse(), "every peer index released");
      assertEquals(-1, p[0].peer);
    }
  }

  @Test
  void aThrowableEscapingAnFfmUpcallStopsTheLoopAndRunRethrowsIt() throws Exception {
    try (Loop loop = Loop.create()) {
      Error boom = new Error("escaped");
      Timer t = new Timer(loop);
      Timer later = new Timer(loop);
      AtomicInteger laterRan = new AtomicInteger();
      t.start(0, h -> Upcalls.escaped(loop.upcallId, boom)); // what the stubs do with an escape
      later.start(50, h -> laterRan.incrementAndGet());
      if (Upcalls.ACTIVE) {
        assertSame(boom, assertThrows(Error.class, loop::run));
        assertEquals(0, laterRan.get(), "the loop stopped at the end of that iteration");
      } else {
        loop.run(); // no FFM loop id: escaped() only prints (a pool thread's path)
      }
      t.close();
      later.close();
      loop.run();
    }
  }

  @Test
  void anEscapeOnAnotherThreadIsPrintedNotThrown() throws Exception {
    try (Loop loop = Loop.create()) {
      Thread other = new Thread(() -> Upcalls.escaped(loop.upcallId, new Error("printed, not thrown")));
      other.start();
      other.join();
      assertEquals(0, loop.run()); // nothing parked in the loop
    }
  }

  @Test
  void theSameWorkloadRunsOnJniForcedByTheProperty() throws Exception {
    Child c = child(List.of("-Duv4j.backend=jni", "--enable-native-access=ALL-UNNAMED"), "workload");
    assertEquals(0, c.exit, c.output);
    assertTrue(c.output.contains("backend=jni " + WORKLOAD_OK), c.output);
  }

  @Test
  void theSameWorkloadRunsOnTheDefaultBackend() throws Exception {
    Child c = child(List.of("--enable-native-access=ALL-UNNAMED"), "workload");
    assertEquals(0, c.exit, c.output);
    assertTrue(c.output.contains("backend=" + (JDK >= 22 ? "ffm" : "jni") + " " + WORKLOAD_OK), c.output);
  }

  @Test
  void withoutNativeAccessFfmAddsNoWarning() throws Exception {
    Child c = child(List.of(), "workload");
    assertEquals(0, c.exit, c.output);
    // JDK 22/23: FFM's restricted methods would warn, so uv4j keeps JNI (which does not warn
    // there). JDK 24+: JNI's System.load warns once for the module and the JVM then treats the
    // module as enabled, so FFM runs without a warning of its own.
    String backend = JDK >= 24 ? Uv.backend() : "jni";
    assertTrue(c.output.contains("backend=" + backend + " " + WORKLOAD_OK), c.output);
    int warnings = c.output.split("WARNING: A restricted method", -1).length - 1;
    assertEquals(JDK >= 24 ? 1 : 0, warnings, c.output);
    assertTrue(!c.output.contains("java.lang.foreign"), c.output);
  }

  @Test
  void exitWhileWorkRunsInAnFfmUpcallEndsTheProcessWithItsStatus() throws Exception {
    // PoolChildJvmTest's scenario, on the FFM path where it is available: the pool thread is
    // inside Java through an upcall stub when the JVM exits.
    List<String> cmd = command(List.of("--enable-native-access=ALL-UNNAMED"));
    cmd.add(PoolChildJvmTest.class.getName());
    cmd.add("exit");
    cmd.add("0");
    Child c = run(cmd);
    assertEquals(3, c.exit, c.output);
    assertTrue(c.output.contains("exiting"), c.output);
  }

  static final String WORKLOAD_OK = "idle=10 prepare=10 check=10 timer=3 work=20 tasks=5 thrown=boom leaks=0,0,0,0";

  /** The child: every FFM path once (idle/prepare/check/timer, work + completions, execute). */
  public static void main(String[] args) throws Exception {
    int[] n = new int[6];
    String thrown;
    try (Loop loop = Loop.create()) {
      Idle idle = new Idle(loop);
      Prepare prepare = new Prepare(loop);
      Check check = new Check(loop);
      idle.start(h -> {
        if (++n[0] == 10) {
          h.close();
        }
      });
      prepare.start(h -> {
        if (++n[1] == 10) {
          h.close();
        }
      });
      check.start(h -> {
        if (++n[2] == 10) {
          h.close();
        }
      });
      new Timer(loop).start(1, 1, t -> {
        if (++n[3] == 3) {
          t.close();
        }
      });
      AtomicInteger ran = new AtomicInteger();
      for (int i = 0; i < 20; i++) {
        loop.queueWork(ran::incrementAndGet, e -> n[4]++);
      }
      Thread producer = new Thread(() -> {
        for (int i = 0; i < 5; i++) {
          loop.execute(() -> n[5]++);
        }
      });
      producer.start();
      producer.join();
      loop.run();
      Timer bad = new Timer(loop);
      bad.start(0, t -> {
        t.close();
        throw new IllegalStateException("boom");
      });
      try {
        loop.run();
        thrown = "none";
      } catch (IllegalStateException e) {
        thrown = e.getMessage();
      }
      loop.run();
    }
    System.out.println("backend=" + Uv.backend() + " idle=" + n[0] + " prepare=" + n[1] + " check=" + n[2]
        + " timer=" + n[3] + " work=" + n[4] + " tasks=" + n[5] + " thrown=" + thrown
        + " leaks=" + Uv.liveLoops() + "," + Uv.liveHandles() + "," + Uv.liveRequests() + "," + Uv.liveGlobalRefs());
  }

  private static final class Child {
    final int exit;
    final String output;

    Child(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  private static List<String> command(List<String> jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xcheck:jni");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    return cmd;
  }

  private static Child child(List<String> jvmArgs, String mode) throws IOException, InterruptedException {
    List<String> cmd = command(jvmArgs);
    cmd.add(UpcallBackendTest.class.getName());
    cmd.add(mode);
    return run(cmd);
  }

  private static Child run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("UV_THREADPOOL_SIZE");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not exit within 60 s: "
          + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return new Child(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
