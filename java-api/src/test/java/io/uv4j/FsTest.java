package io.uv4j;

import static io.uv4j.FsLibuvTest.readAll;
import static io.uv4j.FsLibuvTest.touchFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java side of {@link Fs}: names, buffers, errors, futures and the loop thread, misuse; stat,
 * times, statfs, sendfile and Dir are in {@link FsMetadataTest}.
 */
@ExtendWith(LeakCheck.class)
class FsTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  private static Set<String> names(List<DirEntry> entries) {
    return entries.stream().map(DirEntry::name).collect(Collectors.toSet());
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  // ------------------------------------------------------------------ names

  @Test
  void nonAsciiNamesRoundTripThroughEveryNameOperation() throws Exception {
    // Latin, Greek, CJK and two characters outside the BMP (surrogate pairs in Java).
    String dirName = "dir-Ωμέγα-日本-😀";
    String fileName = "fïlé-🎉𝄞.txt";
    String dir = p(dirName);
    String file = dir + "/" + fileName;
    Fs.mkdirSync(dir, 0755);
    int fd = Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0644);
    Fs.writeSync(fd, ByteBuffer.wrap(ascii("hello")), -1);
    Fs.closeSync(fd);

    assertEquals(5, Fs.statSync(file).size());
    assertEquals(Set.of(dirName), names(Fs.scandirSync(tmp.toString())));
    assertEquals(Set.of(fileName), names(Fs.scandirSync(dir)));
    Dir d = Fs.opendirSync(dir);
    assertEquals(dir, d.path());
    assertEquals(List.of(new DirEntry(fileName, DirEntry.Type.FILE)), Fs.readdirSync(d, 8));
    Fs.closedirSync(d);

    // The OS got UTF-8 bytes: the name is 4 bytes per emoji, not modified UTF-8's 6.
    assertEquals(fileName.getBytes(StandardCharsets.UTF_8).length,
        Fs.scandirSync(dir).get(0).name().getBytes(StandardCharsets.UTF_8).length);

    String link = dir + "/lïnk-😀";
    Fs.symlinkSync(fileName, link, 0);
    assertEquals(fileName, Fs.readlinkSync(link));
    String real = Fs.realpathSync(link);
    assertEquals(Fs.realpathSync(tmp.toString()) + "/" + dirName + "/" + fileName, real);
    assertEquals(Fs.statSync(file).ino(), Fs.statSync(real).ino());

    String renamed = dir + "/🚀-ренамед";
    Fs.renameSync(file, renamed);
    assertEquals(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.statSync(file)).code());
    assertArrayEquals(ascii("hello"), readAll(renamed));

    // The same names through the asynchronous forms.
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      CompletableFuture<List<DirEntry>> entries = fs.scandir(dir);
      CompletableFuture<String> target = fs.readlink(link);
      CompletableFuture<Stat> stat = fs.stat(renamed);
      loop.run();
      assertEquals(Set.of("lïnk-😀", "🚀-ренамед"), names(entries.get()));
      assertEquals(fileName, target.get());
      assertEquals(5, stat.get().size());
    }
    // An error names the path as given.
    UvException e = assertThrows(UvException.class, () -> Fs.realpathSync(link));
    assertEquals(link, e.path());
    assertTrue(e.getMessage().contains("lïnk-😀"), e.getMessage());
  }

  @Test
  void nulInAPathIsIllegalArgument() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> Fs.statSync(p("a\0b")));
    assertThrows(IllegalArgumentException.class, () -> Fs.renameSync(p("a"), p("b\0")));
    assertThrows(IllegalArgumentException.class, () -> Fs.symlinkSync("x\0", p("l"), 0));
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      assertThrows(IllegalArgumentException.class, () -> fs.open(p("\0"), Fs.O_RDONLY, 0, (fd, e) -> { }));
      assertThrows(IllegalArgumentException.class, () -> fs.copyfile(p("a"), "\0", 0, (v, e) -> { }));
      assertThrows(IllegalArgumentException.class, () -> fs.mkdtemp(p("x\0XXXXXX")));
      // Nothing was submitted: the loop has nothing to wait for.
      assertEquals(0, loop.run());
    }
  }

  // ------------------------------------------------------------------ buffers

  @Test
  void heapAndDirectBuffersAdvanceByTheBytesTransferred() throws Exception {
    String file = p("f");
    int fd = Fs.openSync(file, Fs.O_RDWR | Fs.O_CREAT, 0600);

    // Writes take the bytes between position and limit, and advance the position.
    ByteBuffer heap = ByteBuffer.wrap(ascii("..abcde..")).position(2).limit(7);
    assertEquals(5, Fs.writeSync(fd, heap, 0));
    assertEquals(7, heap.position());
    assertEquals(7, heap.limit());
    ByteBuffer direct = ByteBuffer.allocateDirect(8).put(ascii("xyFGHxyz")).position(2).limit(5);
    assertEquals(3, Fs.writeSync(fd, direct, 5));
    assertEquals(5, direct.position());
    assertArrayEquals(ascii("abcdeFGH"), readAll(file));

    // A heap read copies the bytes in at the position, in a sliced array too.
    byte[] array = ascii("################");
    ByteBuffer slice = ByteBuffer.wrap(array, 4, 12).slice().position(2);
    assertEquals(8, Fs.readSync(fd, slice, 0));
    assertEquals(10, slice.position());
    assertEquals("######abcdeFGH##", new String(array, StandardCharsets.US_ASCII));

    // A short read (end of file) advances by what was read and leaves the rest alone.
    ByteBuffer directIn = ByteBuffer.allocateDirect(10);
    directIn.put(ascii("**********")).position(3);
    assertEquals(3, Fs.readSync(fd, directIn, 5));
    assertEquals(6, directIn.position());
    byte[] got = new byte[10];
    directIn.position(0);
    directIn.get(got);
    assertEquals("***FGH****", new String(got, StandardCharsets.US_ASCII));

    // A read-only buffer cannot be read into.
    assertThrows(java.nio.ReadOnlyBufferException.class,
        () -> Fs.readSync(fd, ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
    Fs.closeSync(fd);
  }

  @Test
  void directBufferIsReadInPlaceAndSharedViewsSeeIt() throws Exception {
    String file = p("f");
    touchFile(file, 4);
    int fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    ByteBuffer backing = ByteBuffer.allocateDirect(16);
    ByteBuffer view = backing.duplicate().position(6).limit(10).slice();
    try (Loop loop = Loop.create()) {
      int[] positionSeenInCallback = {-1};
      FsRequest r = new Fs(loop).read(fd, view, 0, (n, e) -> {
        assertEquals(4, n);
        positionSeenInCallback[0] = view.position();
      });
      assertFalse(r.isDone());
      loop.run();
      assertTrue(r.isDone());
      // The position moved before the callback ran.
      assertEquals(4, positionSeenInCallback[0]);
    }
    for (int i = 0; i < 16; i++) {
      assertEquals(i >= 6 && i < 10 ? 'a' : 0, backing.get(i), "byte " + i);
    }
    Fs.closeSync(fd);
  }

  @Test
  void vectoredReadFillsBuffersInOrderMixingHeapAndDirect() throws Exception {
    String file = p("f");
    int fd = Fs.openSync(file, Fs.O_RDWR | Fs.O_CREAT, 0600);
    ByteBuffer[] out = {ByteBuffer.wrap(ascii("one-")), ByteBuffer.allocateDirect(4).put(ascii("two-")).flip(),
        ByteBuffer.wrap(ascii("three"))};
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      CompletableFuture<Integer> written = fs.write(fd, out, 0);
      loop.run();
      assertEquals(13, written.get());
      for (ByteBuffer b : out) {
        assertFalse(b.hasRemaining());
      }

      ByteBuffer a = ByteBuffer.allocateDirect(3);
      ByteBuffer b = ByteBuffer.allocate(5);
      ByteBuffer c = ByteBuffer.allocateDirect(10);
      CompletableFuture<Integer> read = fs.read(fd, new ByteBuffer[] {a, b, c}, 1);
      loop.run();
      assertEquals(12, read.get());
      assertEquals(3, a.position());
      assertEquals(5, b.position());
      assertEquals(4, c.position());
      StringBuilder sb = new StringBuilder();
      for (ByteBuffer x : new ByteBuffer[] {a, b, c}) {
        x.flip();
        while (x.hasRemaining()) {
          sb.append((char) x.get());
        }
      }
      assertEquals("ne-two-three", sb.toString());
    }
    Fs.closeSync(fd);
  }

  // ------------------------------------------------------------------ errors

  @Test
  void everySyncOperationOnAMissingPathIsEnoentWithSyscallAndPath() throws Exception {
    String missing = p("missing");
    String inMissing = p("missing/child");
    String existing = p("existing");
    touchFile(existing, 1);
    Map<String, Executable> ops = new LinkedHashMap<>();
    ops.put("uv_fs_open", () -> Fs.openSync(missing, Fs.O_RDONLY, 0));
    ops.put("uv_fs_stat", () -> Fs.statSync(missing));
    ops.put("uv_fs_lstat", () -> Fs.lstatSync(missing));
    ops.put("uv_fs_unlink", () -> Fs.unlinkSync(missing));
    ops.put("uv_fs_mkdir", () -> Fs.mkdirSync(inMissing, 0755));
    ops.put("uv_fs_rmdir", () -> Fs.rmdirSync(missing));
    ops.put("uv_fs_scandir", () -> Fs.scandirSync(missing));
    ops.put("uv_fs_mkdtemp", () -> Fs.mkdtempSync(inMissing + "XXXXXX"));
    ops.put("uv_fs_mkstemp", () -> Fs.mkstempSync(inMissing + "XXXXXX"));
    ops.put("uv_fs_opendir", () -> Fs.opendirSync(missing));
    ops.put("uv_fs_statfs", () -> Fs.statfsSync(missing));
    ops.put("uv_fs_access", () -> Fs.accessSync(missing, Fs.F_OK));
    ops.put("uv_fs_chmod", () -> Fs.chmodSync(missing, 0644));
    ops.put("uv_fs_chown", () -> Fs.chownSync(missing, -1, -1));
    ops.put("uv_fs_lchown", () -> Fs.lchownSync(missing, -1, -1));
    ops.put("uv_fs_utime", () -> Fs.utimeSync(missing, 1, 1));
    ops.put("uv_fs_lutime", () -> Fs.lutimeSync(missing, Instant.EPOCH, Instant.EPOCH));
    ops.put("uv_fs_readlink", () -> Fs.readlinkSync(missing));
    ops.put("uv_fs_realpath", () -> Fs.realpathSync(missing));
    for (Map.Entry<String, Executable> op : ops.entrySet()) {
      UvException e = assertThrows(UvException.class, op.getValue(), op.getKey());
      assertEquals("ENOENT", e.errorName(), op.getKey());
      assertEquals(Errno.ENOENT, e.code(), op.getKey());
      assertEquals(op.getKey(), e.syscall());
      String expectedPath = op.getKey().matches("uv_fs_(mkdir|mkdtemp|mkstemp)")
          ? (op.getKey().equals("uv_fs_mkdir") ? inMissing : inMissing + "XXXXXX") : missing;
      assertEquals(expectedPath, e.path(), op.getKey());
      assertNull(e.dest(), op.getKey());
      assertTrue(e.getMessage().startsWith("ENOENT: no such file or directory, " + op.getKey() + " '"),
          e.getMessage());
    }

    // Two-path operations also name the second path.
    Map<String, Executable> two = new LinkedHashMap<>();
    two.put("uv_fs_rename", () -> Fs.renameSync(missing, existing));
    two.put("uv_fs_link", () -> Fs.linkSync(missing, p("link")));
    two.put("uv_fs_copyfile", () -> Fs.copyfileSync(missing, p("copy"), 0));
    for (Map.Entry<String, Executable> op : two.entrySet()) {
      UvException e = assertThrows(UvException.class, op.getValue(), op.getKey());
      assertEquals(Errno.ENOENT, e.code(), op.getKey());
      assertEquals(op.getKey(), e.syscall());
      assertEquals(missing, e.path(), op.getKey());
      assertNotNull(e.dest(), op.getKey());
      assertTrue(e.getMessage().endsWith("'" + missing + "' -> '" + e.dest() + "'"), e.getMessage());
    }
    // symlink: the target may dangle, the link's directory may not.
    UvException e = assertThrows(UvException.class, () -> Fs.symlinkSync(existing, inMissing, 0));
    assertEquals(Errno.ENOENT, e.code());
    assertEquals("uv_fs_symlink", e.syscall());
    assertEquals(existing, e.path());
    assertEquals(inMissing, e.dest());
    e = assertThrows(UvException.class, () -> Fs.symlinkSync(missing, existing, 0));
    assertEquals(Errno.EEXIST, e.code());
    assertEquals(existing, e.dest());
  }

  @Test
  void asynchronousErrorsCarrySyscallPathAndDest() throws Exception {
    String missing = p("missing");
    String existing = p("existing");
    touchFile(existing, 1);
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      List<UvException> errors = new ArrayList<>();
      fs.rename(missing, p("to"), (v, e) -> errors.add(e));
      fs.link(missing, p("hard"), (v, e) -> errors.add(e));
      fs.copyfile(existing, existing + "/x", 0, (v, e) -> errors.add(e));
      fs.symlink(existing, existing, 0, (v, e) -> errors.add(e));
      fs.fstat(-1, (s, e) -> errors.add(e));
      loop.run();
      Map<String, UvException> bySyscall = new LinkedHashMap<>();
      errors.forEach(e -> bySyscall.put(e.syscall(), e));
      assertEquals(Set.of("uv_fs_rename", "uv_fs_link", "uv_fs_copyfile", "uv_fs_symlink", "uv_fs_fstat"),
          bySyscall.keySet());
      assertEquals(p("to"), bySyscall.get("uv_fs_rename").dest());
      assertEquals(p("hard"), bySyscall.get("uv_fs_link").dest());
      assertEquals(Errno.ENOTDIR, bySyscall.get("uv_fs_copyfile").code());
      assertEquals(existing + "/x", bySyscall.get("uv_fs_copyfile").dest());
      assertEquals(Errno.EEXIST, bySyscall.get("uv_fs_symlink").code());
      assertEquals(existing, bySyscall.get("uv_fs_symlink").path());
      assertEquals(Errno.EBADF, bySyscall.get("uv_fs_fstat").code());
      assertNull(bySyscall.get("uv_fs_fstat").path());
    }
  }

  // ------------------------------------------------------------------ loop integration

  @Test
  void futuresCompleteOnTheLoopThread() throws Exception {
    String file = p("f");
    touchFile(file, 7);
    Thread loopThread = Thread.currentThread();
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      List<Thread> completedOn = new ArrayList<>();
      CompletableFuture<Stat> ok = fs.stat(file);
      CompletableFuture<Stat> failed = fs.stat(p("missing"));
      CompletableFuture<TempFile> temp = fs.mkstemp(p("t-XXXXXX"));
      ok.whenComplete((v, e) -> completedOn.add(Thread.currentThread()));
      failed.whenComplete((v, e) -> completedOn.add(Thread.currentThread()));
      temp.whenComplete((v, e) -> completedOn.add(Thread.currentThread()));
      assertFalse(ok.isDone());
      loop.run();
      assertEquals(List.of(loopThread, loopThread, loopThread), completedOn);
      assertEquals(7, ok.get().size());
      ExecutionException e = assertThrows(ExecutionException.class, failed::get);
      UvException uv = assertInstanceOf(UvException.class, e.getCause());
      assertEquals(Errno.ENOENT, uv.code());
      assertEquals(p("missing"), uv.path());
      Fs.closeSync(temp.get().fd());
    }
  }

  @Test
  void closingTheLoopWithAnFsRequestInFlightIsEbusy() throws Exception {
    Loop loop = Loop.create();
    Stat[] result = new Stat[1];
    FsRequest r = new Fs(loop).stat(tmp.toString(), (s, e) -> result[0] = s);
    UvException busy = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, busy.code());
    assertTrue(busy.getMessage().contains("1 request(s) in flight"), busy.getMessage());
    assertFalse(loop.isClosed());
    assertFalse(r.isDone());
    loop.run();
    assertTrue(r.isDone());
    assertTrue(result[0].isDirectory());
    loop.close();
    assertTrue(loop.isClosed());
  }

  @Test
  void asynchronousFormsNeedTheLoopThreadAndACallback() throws Exception {
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      assertSame(loop, fs.loop());
      assertThrows(NullPointerException.class, () -> fs.stat(tmp.toString(), null));
      assertThrows(NullPointerException.class, () -> fs.readdir(null, 1, (x, e) -> { }));
      Throwable[] fromOtherThread = new Throwable[1];
      Timer t = new Timer(loop);
      t.start(0, timer -> {
        Thread other = new Thread(() -> {
          try {
            fs.stat(tmp.toString(), (s, e) -> { });
          } catch (Throwable e) {
            fromOtherThread[0] = e;
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
      assertInstanceOf(IllegalStateException.class, fromOtherThread[0]);
    }
  }

  @Test
  void anExceptionFromAnFsCallbackReachesRunAndTheRequestIsStillDone() throws Exception {
    try (Loop loop = Loop.create()) {
      IllegalStateException boom = new IllegalStateException("boom");
      FsRequest r = new Fs(loop).stat(tmp.toString(), (s, e) -> {
        throw boom;
      });
      IllegalStateException thrown = assertThrows(IllegalStateException.class, loop::run);
      assertSame(boom, thrown);
      assertTrue(r.isDone());
      assertEquals(0, loop.run());
    }
  }

  @Test
  void mkdtempAndMkstempNamesDiffer() throws Exception {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      paths.add(Fs.mkdtempSync(p("d-XXXXXX")));
      TempFile t = Fs.mkstempSync(p("f-XXXXXX"));
      assertNotEquals(-1, t.fd());
      Fs.closeSync(t.fd());
      paths.add(t.path());
    }
    assertEquals(10, paths.size());
    assertEquals(10, Fs.scandirSync(tmp.toString()).size());
  }
}
