package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * ChildProcess: ports of libuv's test-spawn.c (names kept) with system binaries as children, the
 * Java-side preconditions, and coexistence with the JDK's ProcessBuilder.
 */
@ExtendWith(LeakCheck.class)
class ProcessTest {
  static final int SIGTERM = Signal.number("SIGTERM");
  static final int SIGKILL = Signal.number("SIGKILL");

  Loop loop;
  long exitStatus = -1;
  int termSignal = -1;
  int exitCalls;
  int closeCalls;

  @BeforeEach
  void setUp() throws Exception {
    loop = Loop.create();
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.shutdown();
  }

  /** libuv's exit_cb: records, closes the process. */
  void exit(ChildProcess p, long status, int signal) {
    exitCalls++;
    exitStatus = status;
    termSignal = signal;
    p.close(() -> closeCalls++);
  }

  /** Collects everything read from a pipe, closes it at EOF. */
  static final class Collect implements ReadCallback {
    final StringBuilder text = new StringBuilder();
    boolean eof;

    @Override
    public void onData(Stream stream, ByteBuffer data) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      text.append(new String(b, StandardCharsets.UTF_8));
    }

    @Override
    public void onEnd(Stream stream) {
      eof = true;
      stream.close();
    }
  }

  static SpawnOptions sh(String script) {
    return SpawnOptions.command("/bin/sh", "-c", script);
  }

  @Test
  void spawn_exit_code() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, sh("exit 42"), this::exit);
    assertTrue(p.pid() > 0);
    assertTrue(p.isActive());
    // the loop's signal pipe (opened for the SIGCHLD watcher) is refused by Fs.close
    assertTrue(OwnedFds.snapshot().containsValue(loop), "loop descriptors registered");
    loop.run();
    assertEquals(1, exitCalls);
    assertEquals(42, exitStatus);
    assertEquals(0, termSignal);
    assertEquals(1, closeCalls);
  }

  @Test
  void spawn_stdout() throws Exception {
    Pipe out = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("echo", "hello world")
        .stdout(StdioConfig.pipeFromChild(out)), this::exit);
    assertTrue(out.isReadable());
    assertFalse(out.isWritable());
    Collect c = new Collect();
    out.readStart(c);
    loop.run();
    assertEquals(1, exitCalls);
    assertEquals(0, exitStatus);
    assertEquals("hello world\n", c.text.toString());
    assertTrue(c.eof);
  }

  @Test
  void spawn_stdin() throws Exception {
    Pipe in = new Pipe(loop, false);
    Pipe out = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("cat")
        .stdin(StdioConfig.pipeToChild(in)).stdout(StdioConfig.pipeFromChild(out)), this::exit);
    assertTrue(in.isWritable());
    Collect c = new Collect();
    out.readStart(c);
    in.write("hello-from-spawn_stdin".getBytes(StandardCharsets.UTF_8));
    in.shutdown((s, err) -> s.close());
    loop.run();
    assertEquals(0, exitStatus);
    assertEquals("hello-from-spawn_stdin", c.text.toString());
  }

  @Test
  void spawn_stdout_and_stderr_to_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("stdout_file");
    int fd = Fs.openSync(file.toString(), Fs.O_CREAT | Fs.O_RDWR, 0644);
    try {
      ChildProcess.spawn(loop, sh("echo hello; echo world >&2")
          .stdout(StdioConfig.inherit(fd)).stderr(StdioConfig.inherit(fd)), this::exit);
      loop.run();
    } finally {
      Fs.closeSync(fd);
    }
    assertEquals(0, exitStatus);
    assertEquals("hello\nworld\n", Files.readString(file));
  }

  @Test
  void spawn_and_kill() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, SpawnOptions.command("sleep", "100"), this::exit);
    p.kill(0); // alive
    p.kill(SIGTERM);
    loop.run();
    assertEquals(1, exitCalls);
    assertEquals(0, exitStatus);
    assertEquals(SIGTERM, termSignal);
  }

  @Test
  void kill_after_exit_is_esrch_without_a_signal() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, sh("exit 0"), (proc, s, sig) -> exitCalls++);
    loop.run();
    assertTrue(p.hasExited());
    assertEquals(0, p.exitStatus());
    UvException e = assertThrows(UvException.class, () -> p.kill(SIGTERM));
    assertEquals(Errno.code("ESRCH"), e.code());
    p.close();
    assertThrows(IllegalStateException.class, () -> p.kill(0));
    assertThrows(IllegalArgumentException.class, () -> p.kill(-1));
  }

  /** test-kill.c's idea through Uv.kill on the child's pid. */
  @Test
  void kill() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, SpawnOptions.command("sleep", "100"), this::exit);
    Uv.kill(p.pid(), SIGKILL);
    loop.run();
    assertEquals(SIGKILL, termSignal);
    assertEquals(0, exitStatus);
  }

  @Test
  void spawn_detached() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, SpawnOptions.command("sleep", "100").detached(true), this::exit);
    p.unref();
    loop.run(); // returns at once: the only handle is unreferenced
    assertEquals(0, exitCalls);
    // a new session: the child's session id is its own pid
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertEquals(Integer.toString(p.pid()), f[3], "session id");
    p.kill(0);
    p.kill(SIGKILL);
    p.ref();
    loop.run();
    assertEquals(SIGKILL, termSignal);
  }

  @Test
  void spawn_cwd(@TempDir Path dir) throws Exception {
    Pipe out = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("pwd").cwd(dir.toString())
        .stdout(StdioConfig.pipeFromChild(out)), this::exit);
    Collect c = new Collect();
    out.readStart(c);
    loop.run();
    assertEquals(dir.toRealPath() + "\n", c.text.toString());
  }

  @Test
  void spawn_env() throws Exception {
    Pipe out = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("/usr/bin/env").env(Map.of("MY_ENV_VAR", "MY_VALUE"))
        .stdout(StdioConfig.pipeFromChild(out)), this::exit);
    Collect c = new Collect();
    out.readStart(c);
    loop.run();
    assertEquals("MY_ENV_VAR=MY_VALUE\n", c.text.toString());
  }

  @Test
  void spawn_fails() throws Exception {
    UvException e = assertThrows(UvException.class, () ->
        ChildProcess.spawn(loop, SpawnOptions.command("/bin/does/not/exist"), this::exit));
    assertEquals(Errno.code("ENOENT"), e.code());
    assertEquals("/bin/does/not/exist", e.path());
    loop.run(); // the failed handle's close completes
    assertEquals(0, exitCalls);
  }

  @Test
  void spawn_fails_eacces(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("not-executable"), "#!/bin/sh\n");
    UvException e = assertThrows(UvException.class, () ->
        ChildProcess.spawn(loop, SpawnOptions.command(f.toString()), this::exit));
    assertEquals(Errno.code("EACCES"), e.code());
    assertEquals(f.toString(), e.path());
  }

  @Test
  void spawn_fails_with_a_pipe_leaves_it_open_at_eof() throws Exception {
    Pipe out = new Pipe(loop, false);
    assertThrows(UvException.class, () -> ChildProcess.spawn(loop,
        SpawnOptions.command("/no/such/program").stdout(StdioConfig.pipeFromChild(out)), this::exit));
    assertTrue(out.fileno() >= 0);
    assertEquals(out, OwnedFds.owner(out.fileno()));
    Collect c = new Collect();
    out.readStart(c);
    loop.run();
    assertTrue(c.eof);
  }

  @Test
  void spawn_fails_enoent_cwd() throws Exception {
    UvException e = assertThrows(UvException.class, () ->
        ChildProcess.spawn(loop, sh("true").cwd("/no/such/dir"), this::exit));
    assertEquals(Errno.code("ENOENT"), e.code());
  }

  @Test
  void spawn_closed_process_io() throws Exception {
    Pipe in = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("cat").stdin(StdioConfig.pipeToChild(in)), this::exit);
    // close the child's stdin at once: the write fails or succeeds, cat sees EOF and exits 0
    in.write(new byte[] {'x'}, 0, 1, (s, err) -> {});
    in.close();
    loop.run();
    assertEquals(1, exitCalls);
    assertEquals(0, exitStatus);
  }

  /** Without privileges setuid fails (EPERM); as root (this CI's containers) it takes effect. */
  @Test
  void uid_and_gid() throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      UvException e = assertThrows(UvException.class, () ->
          ChildProcess.spawn(loop, sh("true").uid(0), this::exit));
      assertEquals(Errno.code("EPERM"), e.code());
      return;
    }
    Pipe out = new Pipe(loop, false);
    ChildProcess.spawn(loop, SpawnOptions.command("/bin/sh", "-c", "echo $(id -u) $(id -g)")
        .uid(65534).gid(65534).stdout(StdioConfig.pipeFromChild(out)), this::exit);
    Collect c = new Collect();
    out.readStart(c);
    loop.run();
    assertEquals(0, exitStatus);
    assertEquals("65534 65534\n", c.text.toString());
  }

  @Test
  void exit_callback_may_be_null_and_status_is_kept() throws Exception {
    ChildProcess p = ChildProcess.spawn(loop, sh("kill -TERM $$"), null);
    assertEquals(-1, p.exitStatus());
    loop.run();
    assertTrue(p.hasExited());
    assertEquals(SIGTERM, p.termSignal());
    p.close();
  }

  @Test
  void inherit_stream() throws Exception {
    Pipe mine = new Pipe(loop, false);
    Pipe theirs = new Pipe(loop, false);
    // a socket pair through a first child's stdout pipe, then a second child inherits it
    ChildProcess.spawn(loop, sh("cat").stdin(StdioConfig.pipeToChild(mine))
        .stdout(StdioConfig.pipeFromChild(theirs)), this::exit);
    AtomicInteger exits = new AtomicInteger();
    ChildProcess.spawn(loop, sh("echo via-inherited-stream >&3").stdio(3, StdioConfig.inherit(mine)),
        (p, s, sig) -> { exits.incrementAndGet(); p.close(); mine.shutdown((st, e) -> st.close()); });
    Collect c = new Collect();
    theirs.readStart(c);
    loop.run();
    assertEquals(1, exits.get());
    assertEquals("via-inherited-stream\n", c.text.toString());
  }

  @Test
  void preconditions() throws Exception {
    assertThrows(NullPointerException.class, () -> SpawnOptions.command(null));
    assertThrows(IllegalArgumentException.class, () -> SpawnOptions.command(""));
    assertThrows(IllegalArgumentException.class, () -> SpawnOptions.command("a\0b"));
    assertThrows(IllegalArgumentException.class, () -> SpawnOptions.command("sh", "x\0"));
    assertThrows(NullPointerException.class, () -> SpawnOptions.command("sh", (String) null));
    assertThrows(IllegalArgumentException.class, () -> sh("true").env(Map.of("A=B", "c")));
    assertThrows(IllegalArgumentException.class, () -> sh("true").env(Map.of("A", "c\0")));
    assertThrows(IllegalArgumentException.class, () -> sh("true").cwd("/tmp\0"));
    assertThrows(IllegalArgumentException.class, () -> sh("true").uid(-1));
    assertThrows(IllegalArgumentException.class, () -> sh("true").stdio(-1, StdioConfig.ignore()));
    assertThrows(IllegalArgumentException.class, () -> sh("true").stdio(SpawnOptions.MAX_FD + 1, StdioConfig.ignore()));
    assertThrows(IllegalArgumentException.class, () -> StdioConfig.inherit(-1));
    assertThrows(IllegalArgumentException.class, () -> StdioConfig.pipe(new Pipe(loop, false), false, false));
    assertThrows(NullPointerException.class, () -> ChildProcess.spawn(loop, null, null));
    assertThrows(NullPointerException.class, () -> ChildProcess.spawn(null, sh("true"), null));

    // CREATE_PIPE: the same pipe twice, a pipe with a descriptor, a closed pipe, another loop's pipe
    Pipe twice = new Pipe(loop, false);
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
        .stdout(StdioConfig.pipeFromChild(twice)).stderr(StdioConfig.pipeFromChild(twice)), null));
    Pipe used = new Pipe(loop, false);
    ChildProcess.spawn(loop, sh("true").stdout(StdioConfig.pipeFromChild(used)), this::exit);
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
        .stdout(StdioConfig.pipeFromChild(used)), null));
    Pipe closed = new Pipe(loop, false);
    closed.close();
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
        .stdout(StdioConfig.pipeFromChild(closed)), null));
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
        .stdout(StdioConfig.inherit(closed)), null));
    Pipe noFd = new Pipe(loop, false);
    assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
        .stdout(StdioConfig.inherit(noFd)), null));
    try (Loop other = Loop.create()) {
      Pipe foreign = new Pipe(other, false);
      assertThrows(IllegalArgumentException.class, () -> ChildProcess.spawn(loop, sh("true")
          .stdout(StdioConfig.pipeFromChild(foreign)), null));
      foreign.close();
      other.run();
    }
    used.close();
    loop.run();
    assertEquals(1, exitCalls);
  }

  /** spawn from a thread other than the one running the loop: IllegalStateException, nothing spawned. */
  @Test
  void spawn_from_another_thread_while_the_loop_runs() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Throwable> got = new java.util.concurrent.atomic.AtomicReference<>();
    Timer t = new Timer(loop);
    t.start(0, timer -> {
      Thread other = new Thread(() -> {
        try {
          ChildProcess.spawn(loop, sh("true"), null);
        } catch (Throwable e) {
          got.set(e);
        }
      });
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      timer.close();
    });
    loop.run();
    assertTrue(got.get() instanceof IllegalStateException, String.valueOf(got.get()));
  }

  /** An inherited descriptor that is not open: the child's dup2 fails, reported as EBADF. */
  @Test
  void spawn_inherit_bad_fd_fails_with_ebadf() throws Exception {
    UvException e = assertThrows(UvException.class, () ->
        ChildProcess.spawn(loop, sh("true").stdio(3, StdioConfig.inherit(1000)), this::exit));
    assertEquals(Errno.code("EBADF"), e.code());
    loop.run();
    assertEquals(0, exitCalls);
  }

  /** An exit callback that throws goes to the loop's failure handler; the process still closes. */
  @Test
  void throwing_exit_callback_goes_to_callback_failed() throws Exception {
    java.util.List<Throwable> failures = new java.util.ArrayList<>();
    loop.setExceptionHandler((source, t) -> failures.add(t));
    ChildProcess p = ChildProcess.spawn(loop, sh("exit 3"), (proc, s, sig) -> {
      proc.close();
      throw new IllegalStateException("boom");
    });
    loop.run();
    assertEquals(1, failures.size());
    assertEquals("boom", failures.get(0).getMessage());
    assertTrue(p.isClosed());
  }

  /**
   * A listening socket inherited as a child's stdout: libuv's child makes the shared description
   * blocking, and the parent's loop then blocked for ever in accept(2) (found by the fuzzer).
   * spawn restores non-blocking mode: both connections are accepted and the loop ends.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void inherited_listening_socket_stays_non_blocking_in_the_parent() throws Exception {
    Tcp server = new Tcp(loop);
    server.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
    int[] accepted = new int[1];
    Timer closer = new Timer(loop);
    server.listen(8, (s, e) -> {
      Tcp c = new Tcp(loop);
      s.accept(c);
      c.close();
      if (++accepted[0] == 2) {
        // libuv accepts until EAGAIN: on a blocking socket that next accept(2) never returned
        closer.start(10, t -> { s.close(); t.close(); });
      }
    });
    ChildProcess.spawn(loop, SpawnOptions.command("/bin/true").stdout(StdioConfig.inherit(server)), this::exit);
    for (int i = 0; i < 2; i++) {
      Tcp client = new Tcp(loop);
      client.connect(server.localAddress(), (c, e) -> c.close());
    }
    loop.run();
    assertEquals(2, accepted[0]);
    assertEquals(0, exitStatus);
  }

  /**
   * Two children reaped in the same SIGCHLD pass: the exit callback of the first closes the
   * second, whose exit callback libuv (1.44 to 1.50) still calls; uv4j does not pass it on.
   */
  @Test
  void exit_callback_of_a_process_closed_by_another_exit_callback_is_not_called() throws Exception {
    ChildProcess[] ps = new ChildProcess[2];
    java.util.List<Integer> called = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int k = i;
      ps[i] = ChildProcess.spawn(loop, SpawnOptions.command("/bin/true"), (p, st, sig) -> {
        called.add(k);
        ps[1 - k].close();
        p.close();
      });
    }
    // both are zombies before the loop looks: libuv reaps them in one pass
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(zombie(ps[0].pid()) && zombie(ps[1].pid())) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(zombie(ps[0].pid()) && zombie(ps[1].pid()), "children did not exit");
    loop.run();
    assertEquals(1, called.size(), "exit callbacks: " + called);
    assertTrue(ps[0].isClosed() && ps[1].isClosed());
  }

  private static boolean zombie(int pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
  }

  /** A ProcessBuilder child and a uv4j child at the same time both get their own exit codes. */
  @Test
  void coexists_with_process_builder() throws Exception {
    java.lang.Process jdk = new ProcessBuilder("/bin/sh", "-c", "sleep 0.3; exit 7").start();
    ChildProcess.spawn(loop, sh("sleep 0.2; exit 9"), this::exit);
    java.lang.Process jdk2 = new ProcessBuilder("/bin/sh", "-c", "exit 5").start();
    loop.run();
    assertEquals(9, exitStatus);
    assertTrue(jdk.waitFor(60, TimeUnit.SECONDS));
    assertTrue(jdk2.waitFor(60, TimeUnit.SECONDS));
    assertEquals(7, jdk.exitValue());
    assertEquals(5, jdk2.exitValue());
    // and the other way round: many of each
    int n = 8;
    java.lang.Process[] ps = new java.lang.Process[n];
    long[] codes = new long[n];
    for (int i = 0; i < n; i++) {
      ps[i] = new ProcessBuilder("/bin/sh", "-c", "exit " + (10 + i)).start();
      final int k = i;
      ChildProcess.spawn(loop, sh("exit " + (20 + i)), (p, s, sig) -> { codes[k] = s; p.close(); });
    }
    loop.run();
    for (int i = 0; i < n; i++) {
      assertTrue(ps[i].waitFor(60, TimeUnit.SECONDS));
      assertEquals(10 + i, ps[i].exitValue());
      assertEquals(20 + i, codes[i]);
    }
    assertNotEquals(-1, exitStatus);
  }
}
