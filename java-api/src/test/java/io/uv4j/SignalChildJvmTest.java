package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals that could kill or cripple the test JVM, in a child JVM ({@code -Xcheck:jni}): the
 * JVM's own signals (refused), SIGTERM taken over and given back to the JVM's shutdown hooks,
 * SIGUSR1 (whose default action kills) sent by this JVM with {@link Uv#kill}, and SIGPIPE (which
 * the JVM ignores, and must ignore again after a watcher). A scenario prints {@code OK <name>} as
 * its last line when every check held and nothing leaked.
 */
class SignalChildJvmTest {

  @ParameterizedTest
  @ValueSource(strings = {"refusesTheJvmsSignals", "signal_pending_on_close", "signal_close_loop_alive",
      "sigpipeStormWhileWatchersStartAndStop"})
  void scenario(String scenario) throws Exception {
    Child c = Child.start(scenario, Map.of());
    c.finish(0);
    assertTrue(c.out.toString().contains("OK " + scenario), c.toString());
  }

  /** With {@code _JAVA_SR_SIGNUM=40} HotSpot suspends threads with 40: that one is refused, SIGUSR2 is free. */
  @Test
  void suspendSignalFromTheEnvironmentIsRefused() throws Exception {
    Child c = Child.start("srSignalFromEnvironment", Map.of("_JAVA_SR_SIGNUM", "40"));
    c.finish(0);
    assertTrue(c.out.toString().contains("OK srSignalFromEnvironment"), c.toString());
  }

  /**
   * The SIGTERM test: the child watches SIGTERM (opted in), this JVM sends it: only the
   * callback runs (no exit). The child stops the watcher, then gets SIGTERM again: the JVM's
   * handler is back, the shutdown hook runs, exit code 143 (128 + SIGTERM).
   */
  @Test
  void sigtermAfterTheWatcherStoppedRunsTheShutdownHooks() throws Exception {
    int sigterm = Signal.number("SIGTERM");
    Child c = Child.start("sigtermWatcher", Map.of());
    c.await("watching SIGTERM");
    Uv.kill(c.pid(), sigterm);
    c.await("stopped");
    Uv.kill(c.pid(), sigterm);
    c.finish(128 + sigterm);
    String out = c.out.toString();
    assertTrue(out.contains("caught SIGTERM"), c.toString());
    assertTrue(out.contains("disposition after stop: 2"), c.toString());
    assertTrue(out.contains("shutdown hook ran"), c.toString());
    assertFalse(out.contains("still running"), c.toString());
  }

  /**
   * Loop.shutdown closes a started SIGTERM watcher and a one-shot one: the JVM's handler is back
   * (SIGTERM from the child itself runs the hook).
   */
  @Test
  void shutdownOfTheLoopGivesSigtermBack() throws Exception {
    Child c = Child.start("shutdownRestoresTheJvmsHandler", Map.of());
    c.finish(128 + Signal.number("SIGTERM"));
    assertTrue(c.out.toString().contains("shutdown hook ran"), c.toString());
    assertFalse(c.out.toString().contains("still running"), c.toString());
  }

  /**
   * Found by the fuzzer: kill(2) of this very JVM hands SIGUSR1 to the launcher's first thread,
   * which may take it after the watcher below stopped and libuv put SIG_DFL back: the process
   * died of SIGUSR1 within a few hundred rounds. Uv.kill raises it on the calling thread instead,
   * so each round's signal has reached libuv when kill returns: the callback runs on the next
   * iteration, every round, and stopping the watcher at once is safe.
   */
  @Test
  void selfSentSignalHasArrivedWhenKillReturns() throws Exception {
    Child c = Child.start("selfKillThenStop", Map.of());
    c.finish(0);
    assertTrue(c.out.toString().contains("OK selfKillThenStop"), c.toString());
  }

  /** SIGUSR1 from this JVM, three times (each after the child acknowledged the last), then one-shot. */
  @Test
  void sigusr1FromAnotherProcess() throws Exception {
    int usr1 = Signal.number("SIGUSR1");
    Child c = Child.start("sigusr1Watcher", Map.of());
    for (int i = 1; i <= 3; i++) {
      c.await(i == 1 ? "watching SIGUSR1" : "got SIGUSR1 " + (i - 1));
      Uv.kill(c.pid(), usr1);
    }
    c.await("one-shot SIGUSR1");
    Uv.kill(c.pid(), usr1);
    c.finish(0);
    String out = c.out.toString();
    assertTrue(out.contains("got SIGUSR1 3"), c.toString());
    assertTrue(out.contains("one-shot got SIGUSR1, active false, disposition 0"), c.toString());
    assertTrue(out.contains("OK sigusr1Watcher"), c.toString());
  }

  // ---------------------------------------------------------------- the parent's side

  static final class Child {
    final Process process;
    final StringBuilder out = new StringBuilder();
    final BufferedReader reader;
    final String scenario;

    private Child(String scenario, Process process) {
      this.scenario = scenario;
      this.process = process;
      this.reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static Child start(String scenario, Map<String, String> env) throws Exception {
      List<String> cmd = ChildScenarios.javaCommand(ChildScenarios.hsErrDir(), "-Xcheck:jni",
          "--enable-native-access=ALL-UNNAMED");
      cmd.add(SignalChildJvmTest.class.getName());
      cmd.add(scenario);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Child c = new Child(scenario, pb.start());
      // Hang guard only (no timing assertion): a child that never prints what we wait for.
      Thread guard = new Thread(() -> {
        try {
          if (!c.process.waitFor(90, TimeUnit.SECONDS)) {
            c.process.destroyForcibly();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      guard.setDaemon(true);
      guard.start();
      return c;
    }

    int pid() {
      return (int) process.pid();
    }

    /** Reads the child's output until a line contains {@code marker}. */
    void await(String marker) throws Exception {
      String line;
      while ((line = reader.readLine()) != null) {
        out.append(line).append('\n');
        if (line.contains(marker)) {
          return;
        }
      }
      throw new AssertionError("child ended before printing '" + marker + "': " + this);
    }

    void finish(int expectedExit) throws Exception {
      String line;
      while ((line = reader.readLine()) != null) {
        out.append(line).append('\n');
      }
      int exit = process.waitFor();
      assertEquals(expectedExit, exit, this.toString());
      assertFalse(out.toString().contains("WARNING in native method"), this.toString());
    }

    @Override
    public String toString() {
      return scenario + " (exit " + (process.isAlive() ? "-" : process.exitValue()) + "):\n" + out;
    }
  }

  // ---------------------------------------------------------------- the child

  public static void main(String[] args) throws Throwable {
    ChildScenarios.childMain(SignalChildJvmTest.class, args);
  }

  static void check(boolean ok, String what) {
    ChildScenarios.check(ok, what);
  }

  static final int PID = (int) ProcessHandle.current().pid();

  static String refused(Signal s, int signum) {
    try {
      s.start(signum, (h, n) -> {});
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    } catch (UvException e) {
      throw new AssertionError("UvException instead of IllegalArgumentException: " + e);
    }
    throw new AssertionError("signal " + signum + " was accepted");
  }

  static void refusesTheJvmsSignals() throws Exception {
    String[] jvms = {"SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL", "SIGQUIT", "SIGUSR2"};
    String[] shutdown = {"SIGINT", "SIGTERM", "SIGHUP"};
    int[] before = new int[Signal.nsig()];
    for (int i = 1; i < before.length; i++) {
      before[i] = Signal.disposition(i);
    }
    try (Loop loop = Loop.create()) {
      Signal s = new Signal(loop);
      for (String n : jvms) {
        String msg = refused(s, Signal.number(n));
        check(msg.startsWith(n + " belongs to the JVM"), n + ": " + msg);
      }
      check(refused(s, Signal.number("SIGUSR2")).contains("suspends and resumes"), "SIGUSR2 message");
      for (String n : new String[] {"SIGKILL", "SIGSTOP"}) {
        String msg = refused(s, Signal.number(n));
        check(msg.contains("cannot be caught"), n + ": " + msg);
      }
      for (String n : shutdown) {
        String msg = refused(s, Signal.number(n));
        check(msg.contains("allowJvmShutdownSignals()"), n + ": " + msg);
        check(msg.contains("shutdown hooks"), n + ": " + msg);
      }
      check(refused(s, 0).contains("not a signal number: 0"), "0");
      check(refused(s, Signal.nsig()).contains("not a signal number"), "NSIG");
      if (System.getProperty("os.name").startsWith("Linux")) {
        // 32 and 33 are glibc's own (thread cancellation, setxid): sigaction says EINVAL.
        try {
          s.start(32, (h, n) -> {});
          check(false, "32 accepted");
        } catch (UvException e) {
          check(e.code() == Errno.EINVAL, "32: " + e);
          check(e.getMessage().contains("uv_signal_start"), e.getMessage());
        }
      }
      check(!s.isActive(), "nothing started");
      // Opted in: SIGTERM, SIGINT and SIGHUP are taken, and given back.
      s.allowJvmShutdownSignals();
      for (String n : shutdown) {
        s.start(Signal.number(n), (h, x) -> {});
        check(s.signum() == Signal.number(n), n + " watched");
      }
      s.close();
      loop.run();
    }
    for (int i = 1; i < before.length; i++) {
      check(before[i] == Signal.disposition(i), "disposition of " + i + " changed: " + before[i]
          + " -> " + Signal.disposition(i));
    }
    check(Signal.disposition(Signal.number("SIGTERM")) == 2, "the JVM's SIGTERM handler");
  }

  static void srSignalFromEnvironment() throws Exception {
    try (Loop loop = Loop.create()) {
      Signal s = new Signal(loop);
      check(refused(s, 40).contains("suspends and resumes"), "40 is HotSpot's now");
      int usr2 = Signal.number("SIGUSR2");
      s.start(usr2, (h, n) -> {});
      check(s.signum() == usr2, "SIGUSR2 is free");
      s.close();
      loop.run();
    }
  }

  static void selfKillThenStop() throws Exception {
    int usr1 = Signal.number("SIGUSR1");
    int pid = (int) Uv.pid();
    int rounds = 5000;
    int[] seen = {0};
    try (Loop loop = Loop.create()) {
      for (int i = 0; i < rounds; i++) {
        Signal s = new Signal(loop);
        s.start(usr1, (h, n) -> seen[0]++);
        Uv.kill(pid, usr1);
        loop.run(RunMode.NOWAIT);
        check(seen[0] == i + 1, "round " + i + ": the callback ran " + seen[0] + " times");
        s.stop();
        Uv.kill(pid, 0); // still alive: signal 0 only checks
        s.close();
        loop.run(RunMode.NOWAIT);
      }
    }
    check(Signal.disposition(usr1) == 0, "SIGUSR1 has its default action again");
  }

  /** libuv's signal_pending_on_close: the SIGPIPE of a failing write is pending when both close. */
  static void signal_pending_on_close() throws Exception {
    int sigpipe = Signal.number("SIGPIPE");
    int before = Signal.disposition(sigpipe); // HotSpot: a handler that ignores it; else SIG_IGN
    java.nio.file.Path dir = Files.createTempDirectory("uv4j-sig");
    java.nio.file.Path fifo = dir.resolve("fifo");
    check(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
    int[] closed = {0};
    try (Loop loop = Loop.create()) {
      Signal signal = new Signal(loop);
      signal.start(sigpipe, (h, n) -> check(false, "signal_cb must not run"));
      int rfd = Fs.openSync(fifo.toString(), Fs.O_RDONLY | Fs.O_NONBLOCK, 0);
      int wfd = Fs.openSync(fifo.toString(), Fs.O_WRONLY | Fs.O_NONBLOCK, 0);
      Pipe pipe = new Pipe(loop, false);
      pipe.open(wfd);
      byte[] big = new byte[1 << 24];
      java.util.Arrays.fill(big, (byte) '.');
      int[] status = {1};
      pipe.write(big, 0, big.length, (s, error) -> {
        status[0] = error == null ? 0 : error.code();
        pipe.close(() -> closed[0]++);
        signal.close(() -> closed[0]++);
      });
      Fs.closeSync(rfd); // the next write gets EPIPE (and the thread a SIGPIPE)
      check(loop.run() == 0, "run");
      check(status[0] == Errno.EPIPE, "write_cb status " + status[0]);
    }
    check(closed[0] == 2, "close callbacks " + closed[0]);
    check(Signal.disposition(sigpipe) == before, "SIGPIPE's disposition is the JVM's again (libuv "
        + "alone leaves SIG_DFL, and the next write to a closed pipe kills): " + Signal.disposition(sigpipe));
    Files.delete(fifo);
    Files.delete(dir);
  }

  /** libuv's signal_close_loop_alive: an unref'd watcher closed after the loop stopped. */
  static void signal_close_loop_alive() throws Exception {
    int sigpipe = Signal.number("SIGPIPE");
    int before = Signal.disposition(sigpipe);
    int[] closed = {0};
    try (Loop loop = Loop.create()) {
      Signal signal = new Signal(loop);
      signal.start(sigpipe, (h, n) -> {
        check(n == sigpipe, "signum");
        loop.stop();
      });
      signal.unref();
      Uv.kill(PID, sigpipe);
      loop.run(); // until the callback stops it
      signal.close(() -> closed[0]++);
      check(loop.alive(), "the closing watcher keeps the loop alive");
      check(loop.run() == 0, "run");
    }
    check(closed[0] == 1, "close_cb_called");
    check(Signal.disposition(sigpipe) == before, "SIGPIPE's disposition is the JVM's again");
  }

  /**
   * A thread sends SIGPIPE to the process without pause while the loop thread starts and stops a
   * SIGPIPE watcher thousands of times: at no instant may SIGPIPE have its default action (which
   * kills, exit 141). libuv alone sets SIG_DFL at each last stop; uv4j swaps the JVM's handler and
   * libuv's in one sigaction each way (the anchor in signal.c).
   */
  static void sigpipeStormWhileWatchersStartAndStop() throws Exception {
    int sigpipe = Signal.number("SIGPIPE");
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    long[] sent = {0};
    Thread storm = new Thread(() -> {
      try {
        while (!done.get()) {
          Uv.kill(PID, sigpipe);
          sent[0]++;
        }
      } catch (UvException e) {
        throw new AssertionError(e);
      }
    });
    storm.start();
    try (Loop loop = Loop.create()) {
      Signal s = new Signal(loop);
      for (int i = 0; i < 5000; i++) {
        s.start(sigpipe, (h, n) -> {});
        s.stop();
      }
      s.close();
      loop.run();
    } finally {
      done.set(true);
      storm.join();
    }
    check(sent[0] > 0, "signals sent");
    System.out.println("survived " + sent[0] + " SIGPIPEs");
  }

  /** Loop.shutdown closes a started SIGTERM watcher: the JVM's handler is back. */
  static void shutdownRestoresTheJvmsHandler() throws Exception {
    int sigterm = Signal.number("SIGTERM");
    Loop loop = Loop.create();
    Signal s = new Signal(loop).allowJvmShutdownSignals();
    s.start(sigterm, (h, n) -> {});
    Signal t = new Signal(loop).allowJvmShutdownSignals();
    t.startOneShot(sigterm, (h, n) -> {});
    check(Signal.disposition(sigterm) == 2, "a handler (libuv's)");
    loop.shutdown();
    check(Signal.disposition(sigterm) == 2, "a handler (the JVM's again)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
    Uv.kill(PID, sigterm);
    Thread.sleep(60_000);
    System.out.println("still running");
  }

  static void sigtermWatcher() throws Exception {
    int sigterm = Signal.number("SIGTERM");
    try (Loop loop = Loop.create()) {
      Signal s = new Signal(loop).allowJvmShutdownSignals();
      s.start(sigterm, (h, n) -> {
        System.out.println("caught " + Signal.name(n));
        h.close();
      });
      System.out.println("watching SIGTERM");
      loop.run();
    }
    System.out.println("disposition after stop: " + Signal.disposition(sigterm));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
    System.out.println("stopped");
    Thread.sleep(60_000);
    System.out.println("still running");
  }

  static void sigusr1Watcher() throws Exception {
    int usr1 = Signal.number("SIGUSR1");
    try (Loop loop = Loop.create()) {
      Signal s = new Signal(loop);
      int[] calls = {0};
      s.start(usr1, (h, n) -> {
        System.out.println("got SIGUSR1 " + ++calls[0]);
        if (calls[0] == 3) {
          h.stop();
        }
      });
      System.out.println("watching SIGUSR1");
      loop.run();
      s.startOneShot(usr1, (h, n) -> System.out.println("one-shot got " + Signal.name(n) + ", active "
          + h.isActive() + ", disposition " + Signal.disposition(usr1)));
      System.out.println("one-shot SIGUSR1");
      loop.run();
      s.close();
      loop.run();
    }
  }
}
