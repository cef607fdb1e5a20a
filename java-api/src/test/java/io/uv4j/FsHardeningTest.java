package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 for fs, DNS and the watchers, in this JVM: argument checks before anything is queued,
 * descriptors libuv owns, buffers changed while in flight, out of memory while building a result.
 * The scenarios that crashed the JVM before are in {@link FsHardeningChildJvmTest}.
 */
@ExtendWith(LeakCheck.class)
class FsHardeningTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  private static void assertNpe(String parameter, Executable call) {
    NullPointerException e = assertThrows(NullPointerException.class, call);
    assertEquals(parameter, e.getMessage());
  }

  // ------------------------------------------------------------------ class 5: null paths

  @Test
  void nullPathsThrowNullPointerExceptionNamingTheParameterInEveryFormBeforeAnythingIsQueued()
      throws Exception {
    String a = p("a");
    Files.writeString(Paths.get(a), "x");
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      FsCallback<Void> cb = (v, e) -> { };
      assertNpe("to", () -> fs.rename(a, null, cb));
      assertNpe("from", () -> fs.rename(null, a, cb));
      assertNpe("to", () -> fs.rename(a, null));
      assertNpe("to", () -> Fs.renameSync(a, null));
      assertNpe("to", () -> fs.copyfile(a, null, 0, cb));
      assertNpe("to", () -> Fs.copyfileSync(a, null, 0));
      assertNpe("newPath", () -> fs.link(a, null, cb));
      assertNpe("existing", () -> Fs.linkSync(null, a));
      assertNpe("newPath", () -> Fs.linkSync(a, null));
      assertNpe("path", () -> fs.symlink(a, null, 0, cb));
      assertNpe("target", () -> Fs.symlinkSync(null, a, 0));
      assertNpe("path", () -> Fs.symlinkSync(a, null, 0));
      assertNpe("template", () -> fs.mkdtemp(null, (s, e) -> { }));
      assertNpe("template", () -> Fs.mkstempSync(null));
      assertNpe("path", () -> fs.stat(null, (s, e) -> { }));
      assertNpe("path", () -> Fs.utimeSync(null, 1.0, 1.0));
      assertNpe("mtime", () -> Fs.utimeSync(a, java.time.Instant.now(), null));
      assertNpe("atime", () -> fs.futime(0, null, java.time.Instant.now(), (v, e) -> { }));
      assertNpe("dir", () -> fs.readdir(null, 1, (l, e) -> { }));
      assertNpe("dir", () -> Fs.readdirSync(null, 1));
      assertNpe("dir", () -> fs.closedir(null, cb));
      assertNpe("dir", () -> Fs.closedirSync(null));
      assertNpe("callback", () -> fs.rename(a, p("b"), null));
      assertEquals(0, Uv.liveRequests(), "nothing was queued");
      assertFalse(loop.alive());
      assertEquals(0, loop.run());
    }
    assertTrue(Files.exists(Paths.get(a)), "nothing was renamed");
  }

  @Test
  void badNumbersAndBuffersAreRefusedWithDocumentedExceptions() throws Exception {
    String f = p("f");
    Files.writeString(Paths.get(f), "hello");
    int fd = Fs.openSync(f, Fs.O_RDWR, 0);
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      FsCallback<Integer> icb = (n, e) -> { };
      assertThrows(IllegalArgumentException.class, () -> fs.read(fd, new ByteBuffer[0], -1, icb));
      assertThrows(IllegalArgumentException.class, () -> Fs.writeSync(fd, new ByteBuffer[0], -1));
      assertThrows(IllegalArgumentException.class, () -> Fs.readSync(fd, ByteBuffer.allocate(4), -2));
      ByteBuffer twice = ByteBuffer.allocate(4);
      IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
          () -> fs.read(fd, new ByteBuffer[] {twice, twice}, 0, icb));
      assertTrue(dup.getMessage().contains("index 0 and 1"), dup.getMessage());
      ByteBuffer d = ByteBuffer.allocateDirect(4);
      assertThrows(IllegalArgumentException.class, () -> Fs.writeSync(fd, new ByteBuffer[] {d, d}, 0));
      assertNpe("buffer", () -> Fs.readSync(fd, new ByteBuffer[] {null}, 0));
      assertNpe("buffers", () -> Fs.readSync(fd, (ByteBuffer[]) null, 0));
      assertThrows(java.nio.ReadOnlyBufferException.class,
          () -> Fs.readSync(fd, ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
      assertThrows(IllegalArgumentException.class, () -> Fs.ftruncateSync(fd, -1));
      assertThrows(IllegalArgumentException.class, () -> fs.ftruncate(fd, -1, (v, e) -> { }));
      assertThrows(IllegalArgumentException.class, () -> Fs.sendfileSync(fd, fd, -1, 1));
      assertThrows(IllegalArgumentException.class, () -> fs.sendfile(fd, fd, 0, -1, (n, e) -> { }));
      assertThrows(IllegalArgumentException.class, () -> Fs.utimeSync(f, Double.NaN, 1));
      assertThrows(IllegalArgumentException.class, () -> Fs.futimeSync(fd, 1, Double.POSITIVE_INFINITY));
      assertThrows(IllegalArgumentException.class, () -> fs.lutime(f, 1e19, 1, (v, e) -> { }));
      Dir dir = Fs.opendirSync(tmp.toString());
      assertThrows(IllegalArgumentException.class, () -> Fs.readdirSync(dir, 0));
      assertThrows(IllegalArgumentException.class, () -> fs.readdir(dir, -5, (l, e) -> { }));
      // the entry array is allocated up front: 2^31 entries would be a 32 GB calloc
      assertThrows(IllegalArgumentException.class, () -> Fs.readdirSync(dir, Integer.MAX_VALUE));
      assertEquals(1, Fs.readdirSync(dir, 1 << 20).size(), "the file f");
      Fs.closedirSync(dir);
      assertEquals(0, Uv.liveRequests(), "nothing was queued");
      // a negative or closed descriptor is the OS's business: EBADF, in the callback or thrown
      assertEquals(Errno.EBADF, assertThrows(UvException.class, () -> Fs.closeSync(-1)).code());
      assertEquals(Errno.EBADF, assertThrows(UvException.class, () -> Fs.fstatSync(-7)).code());
      AtomicReference<UvException> err = new AtomicReference<>();
      fs.read(-3, ByteBuffer.allocate(4), 0, (n, e) -> err.set(e));
      loop.run();
      assertEquals(Errno.EBADF, err.get().code());
    } finally {
      Fs.closeSync(fd);
    }
  }

  @Test
  void dnsAndWatcherArgumentsAreCheckedBeforeLibuvSeesThem() throws Exception {
    // AI_IDN (0x40) and NI_IDN (0x20) in glibc: libuv 1.44 aborts on the EAI_IDN_ENCODE they can give
    assertThrows(IllegalArgumentException.class, () -> new Dns.Hints(Dns.Family.UNSPEC, 0, 0, 0x40));
    assertThrows(IllegalArgumentException.class,
        () -> Dns.getnameinfoSync(new InetSocketAddress("127.0.0.1", 80), 0x20));
    assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfoSync(null, null, null));
    assertNpe("address", () -> Dns.getnameinfoSync(null, 0));
    assertEquals(1, Dns.getaddrinfoSync("127.0.0.1", "80",
        new Dns.Hints(Dns.Family.INET, Dns.SOCK_STREAM, 0, Dns.AI_NUMERICHOST | Dns.AI_NUMERICSERV)).size());
    try (Loop loop = Loop.create()) {
      Dns dns = new Dns(loop);
      assertThrows(IllegalArgumentException.class,
          () -> dns.getnameinfo(new InetSocketAddress("127.0.0.1", 80), -1, (n, e) -> { }));
      assertNpe("callback", () -> dns.getaddrinfo("localhost", null, null, null));
      FsEvent w = new FsEvent(loop);
      assertThrows(IllegalArgumentException.class, () -> w.start(tmp.toString(), 8, (h, f, ev, e) -> { }));
      assertNpe("path", () -> w.start(null, 0, (h, f, ev, e) -> { }));
      assertFalse(w.isActive());
      FsPoll poll = new FsPoll(loop);
      assertThrows(IllegalArgumentException.class, () -> poll.start(tmp.toString(), -1, (h, e, a, b) -> { }));
      assertNpe("path", () -> poll.start(null, 10, (h, e, a, b) -> { }));
      assertEquals(0, Uv.liveRequests());
      w.close();
      poll.close();
      loop.run();
    }
  }

  // ------------------------------------------------------------------ class 7: owned descriptors

  @Test
  void theLoopsInternalDescriptorsAreRefusedAndForgottenWhenTheLoopCloses() throws Exception {
    Loop loop = Loop.create();
    int backend = loop.backendFd();
    int[] internal = FsRequest.nLoopFds(loop.address);
    assertTrue(internal.length >= 2, "epoll and the async eventfd: " + java.util.Arrays.toString(internal));
    for (int fd : internal) {
      assertSame(loop, OwnedFds.owner(fd), "fd " + fd);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(fd));
      assertTrue(e.getMessage().startsWith("fd " + fd + " belongs to Loop@"), e.getMessage());
      assertTrue(e.getMessage().contains("close the loop instead"), e.getMessage());
      // reading or writing them would steal or forge the loop's wake-ups
      assertThrows(IllegalArgumentException.class, () -> Fs.readSync(fd, ByteBuffer.allocate(8), -1));
      assertThrows(IllegalArgumentException.class, () -> Fs.writeSync(fd, ByteBuffer.allocate(8), -1));
    }
    Fs fs = new Fs(loop);
    assertThrows(IllegalArgumentException.class, () -> fs.close(backend, (v, e) -> { }));
    assertEquals(0, Uv.liveRequests(), "nothing was queued");
    // the loop still works: an fs request and a timer go through its epoll and eventfd
    int[] ticks = {0};
    fs.stat(tmp.toString(), (s, e) -> ticks[0]++);
    new Timer(loop).start(1, 0, t -> {
      ticks[0]++;
      t.close();
    });
    loop.run();
    assertEquals(2, ticks[0]);
    loop.close();
    for (int fd : internal) {
      assertNull(OwnedFds.owner(fd), "fd " + fd + " is still registered after the loop closed");
    }
    assertFalse(OwnedFds.snapshot().containsValue(loop));
  }

  @Test
  void aDescriptorRegisteredByAHandleIsRefusedNamingItsOwnerAndOnlyItsOwnerRemovesIt()
      throws Exception {
    String f = p("owned");
    int fd = Fs.openSync(f, Fs.O_RDWR | Fs.O_CREAT, 0600);
    try (Loop loop = Loop.create()) {
      Timer owner = new Timer(loop); // any handle: the registry only needs an owner to name
      OwnedFds.add(fd, owner);
      try {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(fd));
        assertEquals("fd " + fd + " belongs to " + owner + ": close would break it; close the handle instead",
            e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Fs(loop).close(fd, (v, x) -> { }));
        // a handle's descriptor may still be read and written (as Node's fs.write on a socket fd)
        assertEquals(2, Fs.writeSync(fd, ByteBuffer.wrap("hi".getBytes(StandardCharsets.US_ASCII)), 0));
        OwnedFds.remove(fd, new Object()); // not the owner: nothing happens
        assertSame(owner, OwnedFds.owner(fd));
      } finally {
        OwnedFds.remove(fd, owner);
      }
      assertNull(OwnedFds.owner(fd));
      Fs.closeSync(fd);
      owner.close();
      loop.run();
    }
  }

  @Test
  void theInotifyDescriptorIsRegisteredOnceAWatcherOpenedIt() throws Exception {
    try (Loop loop = Loop.create()) {
      int before = FsRequest.nLoopFds(loop.address).length;
      FsEvent w = new FsEvent(loop);
      w.start(tmp.toString(), 0, (h, f, ev, e) -> { });
      int[] after = FsRequest.nLoopFds(loop.address);
      if (System.getProperty("os.name").startsWith("Linux")) {
        assertEquals(before + 1, after.length, "inotify descriptor");
      }
      for (int fd : after) {
        assertSame(loop, OwnedFds.owner(fd));
        assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(fd));
      }
      w.close();
      loop.run();
      loop.close();
      for (int fd : after) {
        assertNull(OwnedFds.owner(fd));
      }
    }
  }

  // ------------------------------------------------------------------ class 8: buffers in flight

  private String fileOf(int size) throws IOException {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    Path f = tmp.resolve("data-" + size);
    Files.write(f, b);
    return f.toString();
  }

  @Test
  void aHeapBufferWhoseLimitShrinksWhileTheReadIsInFlightGetsWhatFitsAndRunDoesNotThrow()
      throws Exception {
    String f = fileOf(64);
    int fd = Fs.openSync(f, Fs.O_RDONLY, 0);
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      ByteBuffer heap = ByteBuffer.allocate(64);
      ByteBuffer direct = ByteBuffer.allocateDirect(64);
      long[] results = {-1, -1};
      UvException[] errors = new UvException[2];
      fs.read(fd, heap, 0, (n, e) -> {
        results[0] = n;
        errors[0] = e;
      });
      fs.read(fd, direct, 0, (n, e) -> {
        results[1] = n;
        errors[1] = e;
      });
      heap.limit(10); // the caller broke the rule: 64 bytes arrive, 10 fit
      direct.position(5).limit(8);
      loop.run(); // used to throw BufferOverflowException
      assertNull(errors[0]);
      assertEquals(64, results[0], "the result is what the OS read");
      assertEquals(10, heap.position());
      assertArrayEquals("abcdefghij".getBytes(StandardCharsets.US_ASCII),
          java.util.Arrays.copyOf(heap.array(), 10));
      assertEquals(0, heap.array()[10], "nothing past the limit");
      assertNull(errors[1]);
      assertEquals(64, results[1]);
      assertEquals(8, direct.position(), "position at the new limit");
    } finally {
      Fs.closeSync(fd);
    }
  }

  @Test
  void viewsOfOneHeapArrayInOneVectoredReadCompleteWithoutThrowing() throws Exception {
    String f = fileOf(16);
    int fd = Fs.openSync(f, Fs.O_RDONLY, 0);
    try (Loop loop = Loop.create()) {
      byte[] array = new byte[8];
      ByteBuffer a = ByteBuffer.wrap(array);
      ByteBuffer b = ByteBuffer.wrap(array); // the same memory, another buffer object
      long[] result = {-1};
      new Fs(loop).read(fd, new ByteBuffer[] {a, b}, 0, (n, e) -> result[0] = n);
      loop.run();
      assertEquals(16, result[0]);
      assertEquals(8, a.position());
      assertEquals(8, b.position());
      assertEquals("ijklmnop", new String(array, StandardCharsets.US_ASCII), "the later bytes win");
      // and the synchronous form, with a limit the caller cut during nothing: plain behaviour
      a.clear();
      assertEquals(8, Fs.readSync(fd, a, 0));
      assertEquals("abcdefgh", new String(array, StandardCharsets.US_ASCII));
    } finally {
      Fs.closeSync(fd);
    }
  }

  @Test
  void aWriteWhoseBuffersChangeInFlightStillCompletesWithSanePositions() throws Exception {
    String f = p("w");
    int fd = Fs.openSync(f, Fs.O_RDWR | Fs.O_CREAT, 0600);
    try (Loop loop = Loop.create()) {
      ByteBuffer heap = ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.US_ASCII));
      ByteBuffer direct = ByteBuffer.allocateDirect(10);
      direct.put("abcdefghij".getBytes(StandardCharsets.US_ASCII)).flip();
      ByteBuffer slice = direct.slice(); // a view of the same memory, limit changeable
      long[] result = {-1};
      new Fs(loop).write(fd, new ByteBuffer[] {heap, slice}, 0, (n, e) -> result[0] = n);
      heap.limit(3);
      slice.limit(0);
      loop.run();
      assertEquals(20, result[0]);
      assertEquals(3, heap.position());
      assertEquals(0, slice.position());
      assertEquals("0123456789abcdefghij", Files.readString(Paths.get(f)), "the bytes at submission");
    } finally {
      Fs.closeSync(fd);
    }
  }

  // ------------------------------------------------------------------ class 11: out of memory

  @Test
  void outOfNativeMemoryBuildingAReaddirResultReachesTheCallbackAndTheDirStaysUsable()
      throws Exception {
    for (int i = 0; i < 5; i++) {
      Files.createFile(tmp.resolve("e" + i));
    }
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      Dir dir = Fs.opendirSync(tmp.toString());
      List<Object> seen = new ArrayList<>();
      FsRequest.nFailNextResults(Fs.READDIR, 1);
      fs.readdir(dir, 2, (entries, e) -> {
        seen.add(e);
        // the Dir is back in its open state inside the callback already
        fs.readdir(dir, 10, (more, e2) -> {
          seen.add(more);
          fs.closedir(dir, (v, e3) -> seen.add("closed " + e3));
        });
      });
      loop.run();
      UvException e = assertInstanceOf(UvException.class, seen.get(0));
      assertEquals(Errno.ENOMEM, e.code());
      assertInstanceOf(OutOfMemoryError.class, e.getCause());
      assertEquals(3, ((List<?>) seen.get(1)).size(), "the two entries of the failed batch are lost");
      assertEquals("closed null", seen.get(2));
      assertTrue(dir.isClosed());
    }
  }

  @Test
  void outOfJavaMemoryBuildingTheResultReachesTheCallbackInBothForms() throws Exception {
    Files.createFile(tmp.resolve("x"));
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      Dir dir = Fs.opendirSync(tmp.toString());
      UvException[] err = new UvException[1];
      FsRequest.failNextConversions = 1;
      fs.readdir(dir, 4, (entries, e) -> err[0] = e);
      loop.run();
      assertEquals(Errno.ENOMEM, err[0].code());
      assertInstanceOf(OutOfMemoryError.class, err[0].getCause());
      FsRequest.failNextConversions = 1;
      UvException sync = assertThrows(UvException.class, () -> Fs.readdirSync(dir, 4));
      assertEquals(Errno.ENOMEM, sync.code());
      FsRequest.nFailNextResults(Fs.READDIR, 1);
      assertEquals(Errno.ENOMEM, assertThrows(UvException.class, () -> Fs.readdirSync(dir, 4)).code());
      assertTrue(Fs.readdirSync(dir, 4).isEmpty(), "usable: the directory was read to its end");
      Fs.closedirSync(dir);
      FsRequest.nFailNextResults(Fs.SCANDIR, 1);
      err[0] = null;
      fs.scandir(tmp.toString(), (entries, e) -> err[0] = e);
      loop.run();
      assertEquals(Errno.ENOMEM, err[0].code());
      FsRequest.nFailNextResults(Fs.STAT, 1);
      assertEquals(Errno.ENOMEM, assertThrows(UvException.class, () -> Fs.statSync(tmp.toString())).code());
    } finally {
      FsRequest.failNextConversions = 0;
      FsRequest.nFailNextResults(0, 0);
    }
  }

  @Test
  void aResultThatCannotBeBuiltReleasesWhatItHeld() throws Exception {
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      long fdsBefore = openDescriptors();
      for (boolean nativeSide : new boolean[] {true, false}) {
        String side = nativeSide ? "native: " : "Java: ";
        UvException[] err = new UvException[3];
        failNext(nativeSide, Fs.OPENDIR);
        fs.opendir(tmp.toString(), (d, e) -> err[0] = e);
        loop.run();
        assertEquals(Errno.ENOMEM, err[0].code(), side);
        assertEquals(fdsBefore, openDescriptors(), side + "the opened directory was closed again");
        failNext(nativeSide, Fs.MKSTEMP);
        fs.mkstemp(p("t-XXXXXX"), (t, e) -> err[1] = e);
        loop.run();
        assertEquals(Errno.ENOMEM, err[1].code(), side);
        assertEquals(fdsBefore, openDescriptors(), side + "the temp file's descriptor was closed");
        failNext(nativeSide, Fs.MKDTEMP);
        assertEquals(Errno.ENOMEM, assertThrows(UvException.class, () -> Fs.mkdtempSync(p("d-XXXXXX"))).code());
        try (Stream<Path> files = Files.list(tmp)) {
          assertEquals(0, files.count(), side + "the file and directory were removed");
        }
      }
    } finally {
      FsRequest.nFailNextResults(0, 0);
      FsRequest.failNextConversions = 0;
    }
  }

  private static void failNext(boolean nativeSide, int op) {
    if (nativeSide) {
      FsRequest.nFailNextResults(op, 1);
    } else {
      FsRequest.failNextConversions = 1;
    }
  }

  @Test
  void aDnsAnswerThatCannotBeTurnedIntoJavaObjectsStillReachesTheCallback() throws Exception {
    // The Java half of dns.c's completion, driven directly: an address of 3 bytes cannot become
    // an InetAddress (as an OutOfMemoryError could not become a list): the callback still runs.
    try (Loop loop = Loop.create()) {
      Object[] seen = new Object[2];
      DnsRequest req = new DnsRequest(loop, "getaddrinfo", "example", "example", (v, e) -> {
        seen[0] = v;
        seen[1] = e;
      });
      loop.requestStarted(); // as Dns.getaddrinfo does after a submission
      req.onAddrInfo(0, new Object[] {new byte[3]}, new int[] {80, 0});
      assertNull(seen[0]);
      UvException e = assertInstanceOf(UvException.class, seen[1]);
      assertEquals(Errno.EINVAL, e.code());
      assertInstanceOf(IllegalStateException.class, e.getCause());
      assertTrue(req.isDone());
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
      return s.count();
    }
  }

  @Test
  void theRegistryIsEmptyOfClosedLoops() throws Exception {
    Map<Integer, Object> before = OwnedFds.snapshot();
    Loop loop = Loop.create();
    assertTrue(OwnedFds.snapshot().size() > before.size());
    loop.close();
    assertEquals(before, OwnedFds.snapshot());
    assertNotNull(before);
  }
}
