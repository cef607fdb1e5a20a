package io.uv4j;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression tests for misuse that used to kill the JVM inside libuv (issue 8: SIGABRT from a
 * libuv assertion, SIGSEGV). Each scenario runs in a child JVM with {@code -Xcheck:jni}, so a
 * regression shows up as a failed test with the child's output instead of a dead test run. A
 * scenario prints {@code OK <name>} as its last line when every documented error came out as
 * documented and the loop was still usable afterwards.
 */
class BoundaryChildJvmTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "stopThenClose", "executeStopDrainedByClose", "stopThenCloseWithAHandleLeft",
      "closeRacesRun", "closeFromAForeignThreadWhileRunning",
      "listenThenConnect", "failedConnectThenListenAndWrite", "openedListeningSocketRefusesWrites",
      "acceptFromAnotherLoopOrKind", "openRefusesFilesDevicesAndOwnedFds", "closeSyncRefusesHandleFds",
      "fsPollRestartWhileItsStatRuns", "closeFromATaskRunByClose"})
  void scenarioEndsWithoutCrash(String scenario) throws Exception {
    ChildScenarios.run(BoundaryChildJvmTest.class, scenario);
  }

  // ---------------------------------------------------------------- the child

  public static void main(String[] args) throws Throwable {
    ChildScenarios.childMain(BoundaryChildJvmTest.class, args);
  }

  static void check(boolean ok, String what) {
    ChildScenarios.check(ok, what);
  }

  /** Runs {@code call} and returns what it threw, failing if it threw nothing. */
  static Throwable thrown(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected an exception");
  }

  static int uvCode(Throwable t) {
    Throwable c = t instanceof UncheckedIOException ? t.getCause() : t;
    check(c instanceof UvException, "not a UvException: " + t);
    return ((UvException) c).code();
  }

  /** Issue 8, class 1: stop() outside run() left uv_close of the wake-up handle unfinished. */
  static void stopThenClose() throws Exception {
    Loop loop = Loop.create();
    loop.stop();
    loop.close();
    loop.close(); // harmless
    check(loop.isClosed(), "closed");
    // libuv's rule stays: a stop() before run() makes that run() return at once.
    Loop again = Loop.create();
    Timer t = new Timer(again);
    int[] fired = {0};
    t.start(1, 0, x -> fired[0]++);
    again.stop();
    again.run();
    check(fired[0] == 0, "a stop() before run() ends that run() before any callback");
    again.run();
    check(fired[0] == 1, "the next run() runs");
    t.close();
    again.run();
    again.close();
  }

  /** Class 1, second form: a task that stops the loop, drained by close() after run() ended. */
  static void executeStopDrainedByClose() throws Exception {
    for (int i = 0; i < 50; i++) {
      Loop loop = Loop.create();
      loop.run();
      loop.execute(loop::stop);
      loop.execute(loop::stop);
      loop.close();
      check(loop.isClosed(), "closed");
    }
  }

  /** Class 1, third form: EBUSY with a handle left, then a clean close once it is gone. */
  static void stopThenCloseWithAHandleLeft() throws Exception {
    Loop loop = Loop.create();
    Timer t = new Timer(loop);
    loop.stop();
    Throwable busy = thrown(() -> {
      try {
        loop.close();
      } catch (UvException e) {
        throw new UncheckedIOException(e);
      }
    });
    check(uvCode(busy) == Errno.EBUSY, "EBUSY: " + busy);
    check(busy.getCause().getMessage().contains("Timer"), "lists the timer: " + busy.getCause().getMessage());
    Throwable again = thrown(() -> {
      try {
        loop.close();
      } catch (UvException e) {
        throw new UncheckedIOException(e);
      }
    });
    check(uvCode(again) == Errno.EBUSY, "stays EBUSY, never aborts: " + again);
    t.close();
    loop.shutdown(); // its first run() only consumes the stop flag; shutdown runs until closed
    check(loop.isClosed(), "closed");
    loop.close();
  }

  /** Class 2: close() on one thread while another enters run(): one wins, the other is told. */
  static void closeRacesRun() throws Exception {
    for (int i = 0; i < 300; i++) {
      Loop loop = Loop.create();
      CountDownLatch go = new CountDownLatch(1);
      AtomicReference<Throwable> runError = new AtomicReference<>();
      Thread runner = new Thread(() -> {
        try {
          go.await();
          loop.run();
        } catch (Throwable t) {
          runError.set(t);
        }
      });
      runner.start();
      go.countDown();
      Throwable closeError = null;
      try {
        loop.close();
      } catch (IllegalStateException e) {
        closeError = e;
      }
      runner.join();
      Throwable r = runError.get();
      check(r == null || r instanceof IllegalStateException, "run() threw " + r);
      check(closeError == null || closeError.getMessage().contains("only Loop.execute()"),
          "close() threw " + closeError);
      if (closeError != null) {
        loop.close(); // run() has returned: now it closes
      }
      check(loop.isClosed(), "closed in round " + i);
    }
  }

  /** Class 2: close(), shutdown() and run() from a foreign thread while the loop runs. */
  static void closeFromAForeignThreadWhileRunning() throws Exception {
    Loop loop = Loop.create();
    Timer keepAlive = new Timer(loop);
    keepAlive.start(60_000, 0, x -> { });
    AtomicReference<List<Throwable>> seen = new AtomicReference<>(new ArrayList<>());
    Thread other = new Thread(() -> {
      for (Runnable call : List.<Runnable>of(
          () -> {
            try {
              loop.close();
            } catch (UvException e) {
              throw new UncheckedIOException(e);
            }
          },
          () -> {
            try {
              loop.shutdown();
            } catch (UvException e) {
              throw new UncheckedIOException(e);
            }
          },
          loop::run)) {
        try {
          call.run();
        } catch (Throwable t) {
          seen.get().add(t);
        }
      }
      loop.execute(keepAlive::close);
    });
    loop.execute(other::start);
    loop.run();
    other.join();
    check(seen.get().size() == 3, "three refusals: " + seen.get());
    for (Throwable t : seen.get()) {
      check(t instanceof IllegalStateException, "IllegalStateException: " + t);
    }
    loop.close();
  }

  /** Class 3: listen then connect on one handle (libuv: EISCONN, then an assertion on write). */
  static void listenThenConnect() throws Exception {
    Loop loop = Loop.create();
    Tcp server = new Tcp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    server.listen(16, (s, e) -> {
      Tcp c = new Tcp(loop);
      s.accept(c);
      c.close();
    });
    InetSocketAddress at = server.localAddress();
    check(thrown(() -> server.connect(at, (s, e) -> { })) instanceof IllegalStateException, "connect refused");
    check(uvCode(thrown(() -> server.write(new byte[] {1}))) == Errno.EPIPE, "write EPIPE");
    check(uvCode(thrown(() -> server.write(new byte[] {1}, 0, 1, (s, e) -> { }))) == Errno.EPIPE, "write EPIPE");
    check(uvCode(thrown(() -> server.shutdown((s, e) -> { }))) == Errno.ENOTCONN, "shutdown ENOTCONN");
    check(thrown(() -> {
      try {
        server.listen(16, (s, e) -> { });
      } catch (UvException e) {
        throw new UncheckedIOException(e);
      }
    }) instanceof IllegalStateException, "listen twice refused");
    // The same for a Pipe.
    Path dir = Files.createTempDirectory("uv4j-b");
    Pipe ps = new Pipe(loop, false);
    ps.bind(dir.resolve("s").toString());
    ps.listen(4, (s, e) -> { });
    check(thrown(() -> ps.connect(dir.resolve("s").toString(), (s, e) -> { })) instanceof IllegalStateException,
        "pipe connect refused");
    check(uvCode(thrown(() -> ps.write(new byte[] {1}))) == Errno.EPIPE, "pipe write EPIPE");
    ps.close();
    // The server still serves.
    Tcp client = new Tcp(loop);
    int[] connected = {0};
    client.connect(at, (s, e) -> {
      connected[0] += e == null ? 1 : 100;
      s.close();
      server.close();
    });
    loop.run();
    check(connected[0] == 1, "connected");
    loop.close();
    Files.deleteIfExists(dir.resolve("s"));
    Files.delete(dir);
  }

  /** Class 3, other path: a connect that fails at once leaves a half-set-up socket. */
  static void failedConnectThenListenAndWrite() throws Exception {
    Loop loop = Loop.create();
    Tcp t = new Tcp(loop, StandardProtocolFamily.INET);
    Throwable f = thrown(() -> t.connect(new InetSocketAddress("::1", 9), (s, e) -> { }));
    check(f instanceof UncheckedIOException, "connect of an IPv6 address on an IPv4 socket fails: " + f);
    check(thrown(() -> {
      try {
        t.listen(4, (s, e) -> { });
      } catch (UvException e) {
        throw new UncheckedIOException(e);
      }
    }) instanceof IllegalStateException, "listen after a failed connect refused");
    check(thrown(() -> t.connect(new InetSocketAddress("127.0.0.1", 9), (s, e) -> { }))
        instanceof IllegalStateException, "a second connect refused");
    int[] status = {1};
    t.write(new byte[] {1, 2, 3}, 0, 3, (s, e) -> status[0] = e == null ? 0 : e.code());
    loop.run();
    check(status[0] < 0, "the write fails in its callback: " + status[0]);
    t.close();
    loop.run();
    loop.close();
  }

  /** Class 3 through open(): a listening socket adopted with Tcp.open. */
  static void openedListeningSocketRefusesWrites() throws Exception {
    ServerSocketChannel ch = ServerSocketChannel.open();
    ch.bind(new InetSocketAddress("127.0.0.1", 0));
    int fd = fdOf(ch);
    Loop loop = Loop.create();
    Tcp server = new Tcp(loop);
    server.open(fd);
    int[] accepted = {0};
    server.listen(16, (s, e) -> {
      Tcp c = new Tcp(loop);
      s.accept(c);
      accepted[0]++;
      c.close();
      s.close();
    });
    check(uvCode(thrown(() -> server.write(new byte[] {1}))) == Errno.EPIPE, "write EPIPE");
    check(uvCode(thrown(() -> server.shutdown((s, e) -> { }))) == Errno.ENOTCONN, "shutdown ENOTCONN");
    check(uvCode(thrown(() -> server.readStart((s, d) -> { }))) == Errno.ENOTCONN, "readStart ENOTCONN");
    check(thrown(() -> server.connect(new InetSocketAddress("127.0.0.1", 9), (s, e) -> { }))
        instanceof IllegalStateException, "connect refused");
    InetSocketAddress at = (InetSocketAddress) ch.getLocalAddress();
    Thread peer = new Thread(() -> {
      try (SocketChannel c = SocketChannel.open(at)) {
        c.read(java.nio.ByteBuffer.allocate(1));
      } catch (IOException ignored) {
        // closed by the server
      }
    });
    peer.start();
    loop.run();
    peer.join();
    check(accepted[0] == 1, "accepted");
    loop.close();
    holdUntilExit(ch); // its fd was closed with the handle; the channel must not close it again
  }

  /** Class 4: accept into a client of another loop, of another kind, or a used one. */
  static void acceptFromAnotherLoopOrKind() throws Exception {
    Loop loop = Loop.create();
    Loop other = Loop.create();
    Tcp foreign = new Tcp(other);
    List<Throwable> refused = new ArrayList<>();
    AtomicInteger served = new AtomicInteger();
    Tcp server = new Tcp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    server.listen(16, (s, e) -> {
      refused.add(thrown(() -> s.accept(foreign)));
      refused.add(thrown(() -> s.accept(new Pipe(loop, false))));
      refused.add(thrown(() -> s.accept(s)));
      Tcp used = new Tcp(loop, StandardProtocolFamily.INET);
      refused.add(thrown(() -> s.accept(used)));
      used.close();
      Tcp ok = new Tcp(loop);
      s.accept(ok);
      served.incrementAndGet();
      ok.close();
      s.close();
    });
    Tcp client = new Tcp(loop);
    client.connect(server.localAddress(), (s, e) -> s.close());
    Throwable notListening = thrown(() -> client.accept(new Tcp(loop)));
    loop.run();
    loop.shutdown(); // closes the Pipe and Tcps made for the refused accepts
    check(served.get() == 1, "served");
    check(refused.size() == 4, "refusals " + refused);
    check(refused.get(0) instanceof IllegalArgumentException && refused.get(0).getMessage().contains("another loop"),
        "another loop: " + refused.get(0));
    check(refused.get(1) instanceof IllegalArgumentException, "another kind: " + refused.get(1));
    check(refused.get(2) instanceof IllegalStateException, "itself: " + refused.get(2));
    check(refused.get(3) instanceof IllegalStateException, "has a socket: " + refused.get(3));
    check(notListening instanceof IllegalStateException, "accept on a non-listening stream: " + notListening);
    foreign.close();
    other.run();
    other.close();
  }

  /** Class 6: Pipe.open / Tcp.open of files, devices, the wrong socket kind, owned fds. */
  static void openRefusesFilesDevicesAndOwnedFds() throws Exception {
    Path file = Files.createTempFile("uv4j-b", ".txt");
    int fileFd = Fs.openSync(file.toString(), Fs.O_RDONLY, 0);
    int nullFd = Fs.openSync("/dev/null", Fs.O_RDWR, 0);
    Loop loop = Loop.create();
    Supplier<Pipe> pipe = () -> new Pipe(loop, false);
    for (int fd : new int[] {fileFd, nullFd}) {
      Pipe p = pipe.get();
      Throwable t = thrown(() -> open(p, fd));
      check(t instanceof IllegalArgumentException, "Pipe.open(" + fd + "): " + t);
      // The refused handle is still new and fails the libuv way, without an abort.
      check(uvCode(thrown(() -> p.readStart((s, d) -> { }))) == Errno.ENOTCONN, "readStart on a new pipe");
      Tcp tcp = new Tcp(loop);
      check(thrown(() -> open(tcp, fd)) instanceof IllegalArgumentException, "Tcp.open(" + fd + ")");
    }
    check(thrown(() -> open(pipe.get(), -1)) instanceof IllegalArgumentException, "negative fd");
    check(thrown(() -> open(new Tcp(loop), Long.MAX_VALUE)) instanceof IllegalArgumentException, "huge fd");
    check(thrown(() -> open(pipe.get(), 100_000)) instanceof UncheckedIOException, "a closed fd is EBADF");
    // A Unix socket is a Pipe's, not a Tcp's; a descriptor owned by a handle is nobody else's.
    SocketChannel[] pair = unixPair();
    int unixFd = fdOf(pair[0]);
    check(thrown(() -> open(new Tcp(loop), unixFd)) instanceof IllegalArgumentException, "Tcp.open(unix)");
    Pipe owner = pipe.get();
    owner.open(unixFd);
    Throwable twice = thrown(() -> open(pipe.get(), unixFd));
    check(twice instanceof IllegalArgumentException && twice.getMessage().contains("belongs to"), "owned: " + twice);
    Tcp server = new Tcp(loop);
    server.bind(new InetSocketAddress("127.0.0.1", 0));
    int serverFd = server.fileno();
    check(thrown(() -> open(new Tcp(loop), serverFd)) instanceof IllegalArgumentException, "owned tcp fd");
    check(thrown(() -> open(server, serverFd)) instanceof IllegalStateException, "open on a handle with a socket");
    loop.shutdown();
    Fs.closeSync(fileFd);
    Fs.closeSync(nullFd);
    Files.delete(file);
    holdUntilExit(pair);
  }

  /** Class 7 for handles: Fs.close of a live stream's socket (then run) used to abort in libuv. */
  static void closeSyncRefusesHandleFds() throws Exception {
    Loop loop = Loop.create();
    Tcp[] pair = StreamWriteTest.connectedPair(loop);
    byte[] got = new byte[1];
    pair[1].readStart((s, d) -> {
      got[0] = d.get();
      s.close();
    });
    for (Tcp t : pair) {
      int fd = t.fileno();
      Throwable refused = thrown(() -> {
        try {
          Fs.closeSync(fd);
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
      });
      check(refused instanceof IllegalArgumentException && refused.getMessage().contains("Tcp"),
          "closeSync(" + fd + "): " + refused);
    }
    pair[0].write(new byte[] {42});
    pair[0].close();
    loop.run();
    check(got[0] == 42, "the pair still works");
    // Once closed, the number is free again: nothing of the two sockets stays registered.
    check(OwnedFds.snapshot().values().stream().noneMatch(o -> o instanceof Tcp), "unregistered");
    loop.close();
  }

  /** Fuzzer class H: stop() then start() while the first stat is on the pool aborted in libuv. */
  static void fsPollRestartWhileItsStatRuns() throws Exception {
    Path file = Files.createTempFile("uv4j-p", ".txt");
    Loop loop = Loop.create();
    FsPoll poll = new FsPoll(loop);
    for (int i = 0; i < 20; i++) {
      poll.start(file.toString(), 1, (p, status, prev, curr) -> { });
      poll.stop();
      Throwable t = thrown(() -> poll.start(file.toString(), 1, (p, status, prev, curr) -> { }));
      check(t instanceof IllegalStateException, "restart over a live stat is refused: " + t);
      loop.run(); // lets libuv finish the stopped poll
    }
    poll.start(file.toString(), 1, (p, status, prev, curr) -> { }); // a later iteration: fine
    poll.close();
    loop.run();
    loop.close();
    Files.delete(file);
  }

  /** Fuzzer class C: a task drained by close() that closes (or shuts down) the loop again. */
  static void closeFromATaskRunByClose() throws Exception {
    Loop loop = Loop.create();
    List<Throwable> seen = new ArrayList<>();
    loop.execute(() -> {
      try {
        loop.close();
      } catch (Throwable t) {
        seen.add(t);
      }
    });
    loop.execute(() -> {
      try {
        loop.shutdown();
      } catch (Throwable t) {
        seen.add(t);
      }
    });
    loop.close();
    check(loop.isClosed(), "closed");
    check(seen.size() == 2, "both refused: " + seen);
    for (Throwable t : seen) {
      check(t instanceof IllegalStateException, "IllegalStateException: " + t);
    }
  }

  static void open(Stream s, long fd) {
    try {
      if (s instanceof Pipe) {
        ((Pipe) s).open((int) fd);
      } else {
        ((Tcp) s).open(fd);
      }
    } catch (UvException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SocketChannel[] unixPair() throws IOException {
    Path dir = Files.createTempDirectory("uv4j-u");
    Path sock = dir.resolve("s");
    try (ServerSocketChannel ss = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ss.bind(UnixDomainSocketAddress.of(sock));
      SocketChannel a = SocketChannel.open(UnixDomainSocketAddress.of(sock));
      SocketChannel b = ss.accept();
      Files.delete(sock);
      Files.delete(dir);
      return new SocketChannel[] {a, b};
    }
  }

  /** A channel's descriptor (the child runs with --add-opens java.base/sun.nio.ch). */
  static int fdOf(Channel ch) throws ReflectiveOperationException {
    Method m = ch.getClass().getMethod("getFDVal");
    m.setAccessible(true);
    return (int) m.invoke(ch);
  }

  private static final List<Object> HELD = new ArrayList<>();

  /** Channels whose fd a handle took over: never closed nor collected (the fd number may be reused). */
  static void holdUntilExit(Object o) {
    HELD.add(o);
  }
}
