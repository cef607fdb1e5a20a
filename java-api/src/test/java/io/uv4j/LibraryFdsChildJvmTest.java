package io.uv4j;

import static io.uv4j.ChildScenarios.check;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Descriptors libuv opens for itself that no loop field names: its process-wide signal lock
 * pipe, each loop's io_uring ring (libuv 1.45+ on Linux), and the descriptors of the loops the
 * shim keeps for itself (synchronous fs, signal anchor). Closing one through {@code Fs} made the
 * next signal start, {@code uv_run} or signal stop abort the JVM (exit 134); each is now refused
 * like a loop's own descriptors. Each scenario runs in a fresh child JVM (the library, and with
 * it the lock pipe, is loaded there first), which must survive. Linux: descriptors are found
 * through /proc/self/fd.
 */
@EnabledOnOs(OS.LINUX)
class LibraryFdsChildJvmTest {
  public static void main(String[] args) throws Throwable {
    ChildScenarios.childMain(LibraryFdsChildJvmTest.class, args);
  }

  @Test
  void libuvsSignalLockPipeIsRefusedAndSignalsStillWork() throws Exception {
    ChildScenarios.run(LibraryFdsChildJvmTest.class, "lockPipe");
  }

  @Test
  void everyLoopsRingIsRefusedAndTheLoopsRunOn() throws Exception {
    ChildScenarios.run(LibraryFdsChildJvmTest.class, "rings");
  }

  @Test
  void theSignalAnchorLoopsDescriptorsAreRefusedAndTheWatcherStops() throws Exception {
    ChildScenarios.run(LibraryFdsChildJvmTest.class, "anchor");
  }

  /** The open descriptors and what /proc says they are ("pipe:[123]", "anon_inode:[io_uring]"). */
  static Map<Integer, String> fds() throws IOException {
    Map<Integer, String> out = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
      for (Path p : ds) {
        try {
          out.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
          // the directory stream's own descriptor, gone by now
        }
      }
    }
    return out;
  }

  /** Every way in through a descriptor number is refused for {@code fd}. */
  static void refusedEverywhere(Loop loop, int fd) {
    check(OwnedFds.owner(fd) != null, "fd " + fd + " has no owner");
    refused(() -> Fs.closeSync(fd), "closeSync " + fd);
    refused(() -> new Fs(loop).close(fd, (r, e) -> { }), "close " + fd);
    refused(() -> Fs.writeSync(fd, java.nio.ByteBuffer.wrap(new byte[] {1}), -1), "writeSync " + fd);
    io.uv4j.Pipe p = new io.uv4j.Pipe(loop, false);
    refused(() -> p.open(fd), "Pipe.open " + fd);
    p.close();
  }

  static void refused(ThrowingRunnable r, String what) {
    try {
      r.run();
    } catch (IllegalArgumentException expected) {
      return;
    } catch (Throwable t) {
      throw new AssertionError(what + ": " + t, t);
    }
    throw new AssertionError(what + " was accepted");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ------------------------------------------------------------------ scenarios (child JVM)

  static void lockPipe() throws Exception {
    Uv.versionString(); // the library is loaded: its first uv_loop_init opened the lock pipe
    // The lock pipe: two ends of one pipe, both libuv's own.
    Map<String, List<Integer>> byInode = new TreeMap<>();
    fds().forEach((fd, what) -> {
      if (what.startsWith("pipe:") && OwnedFds.owner(fd) == OwnedFds.LIBUV) {
        byInode.computeIfAbsent(what, k -> new ArrayList<>()).add(fd);
      }
    });
    check(byInode.values().stream().anyMatch(l -> l.size() == 2), "no pipe of libuv's own: " + fds());
    // A pipe this program opened itself is not libuv's.
    Map<Integer, String> before = fds();
    Pipe mine = Pipe.open();
    try {
      Map<Integer, String> after = fds();
      after.keySet().removeAll(before.keySet());
      check(after.size() >= 2, "the NIO pipe's descriptors: " + after);
      for (int fd : after.keySet()) {
        check(OwnedFds.owner(fd) == null, "fd " + fd + " (" + after.get(fd) + ") is refused: " + OwnedFds.owner(fd));
      }
    } finally {
      mine.source().close();
      mine.sink().close();
    }
    try (Loop loop = Loop.create()) {
      for (List<Integer> pair : byInode.values()) {
        for (int fd : pair) {
          refusedEverywhere(loop, fd);
          SpawnOptions o = SpawnOptions.command("/bin/true").stdio(1, StdioConfig.inherit(fd));
          refused(() -> ChildProcess.spawn(loop, o, (c, status, signal) -> { }), "spawn inheriting " + fd);
        }
      }
      // The lock is still there: a watcher starts and stops (each takes it).
      Signal s = new Signal(loop);
      s.start(Signal.number("SIGUSR1"), (h, n) -> { });
      s.stop();
      s.close();
      loop.run();
    }
  }

  static void rings() throws Exception {
    Uv.versionString();
    List<Loop> loops = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      loops.add(Loop.create());
    }
    Map<Loop, Integer> ringOf = new java.util.IdentityHashMap<>();
    fds().forEach((fd, what) -> {
      if (what.equals("anon_inode:[io_uring]")) {
        Object owner = OwnedFds.owner(fd);
        check(owner != null, "an io_uring descriptor nobody owns: " + fd);
        if (owner instanceof Loop) {
          check(ringOf.put((Loop) owner, fd) == null, owner + " owns two rings");
        }
      }
    });
    // libuv 1.45+ opens one per loop, unless the kernel refuses io_uring (then none at all).
    boolean ringsExpected = Uv.version() >= 0x012d00 && !ringOf.isEmpty();
    check(!ringsExpected || ringOf.keySet().containsAll(loops), "rings by loop: " + ringOf);
    for (Loop loop : loops) {
      Integer ring = ringOf.get(loop);
      if (ring != null) {
        refusedEverywhere(loop, ring);
      }
      // What made 1.50 abort: a descriptor reused under the ring's number, then epoll_ctl
      // through io_uring_enter. The ring is open: the loop listens and runs.
      Tcp server = new Tcp(loop);
      server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      server.listen(8, (s, e) -> { });
      loop.run(RunMode.NOWAIT);
      server.close();
      loop.run();
      loop.close();
    }
    for (Map.Entry<Loop, Integer> e : ringOf.entrySet()) {
      check(OwnedFds.owner(e.getValue()) != e.getKey(), "a closed loop still owns fd " + e.getValue());
    }
    System.out.println("rings: " + ringOf.size());
  }

  static void anchor() throws Exception {
    Uv.versionString();
    try (Loop loop = Loop.create()) {
      Map<Integer, String> before = fds();
      Signal s = new Signal(loop);
      // The JVM ignores SIGPIPE: a non-default disposition, so the shim starts its anchor loop.
      s.start(Signal.number("SIGPIPE"), (h, n) -> { });
      Map<Integer, String> opened = fds();
      opened.keySet().removeAll(before.keySet());
      check(!opened.isEmpty(), "the first SIGPIPE watcher opened nothing");
      for (int fd : opened.keySet()) {
        if (!opened.get(fd).startsWith("/proc/")) { // not the listing's own directory stream
          refusedEverywhere(loop, fd);
        }
      }
      s.stop(); // runs the anchor loop once: its descriptors must still be open
      s.close();
      loop.run();
    }
  }
}
