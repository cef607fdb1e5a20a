package io.uv4j;

import static io.uv4j.FsLibuvTest.touchFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata and directory side of {@link Fs}: stat and statfs fields, utime's microseconds,
 * sendfile from an offset, and Dir (batches, then empty; misuse is IllegalStateException).
 */
@ExtendWith(LeakCheck.class)
class FsMetadataTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  // ------------------------------------------------------------------ metadata

  @Test
  void statFieldsAreSane() throws Exception {
    String file = p("f");
    touchFile(file, 1234);
    Stat s = Fs.statSync(file);
    assertEquals(1234, s.size());
    assertTrue(s.isFile());
    assertFalse(s.isDirectory());
    assertFalse(s.isSymbolicLink());
    assertEquals(1, s.nlink());
    assertTrue(s.blksize() > 0);
    assertTrue(s.ino() > 0);
    assertEquals(0600, s.permissions());

    Fs.chmodSync(file, 0640);
    assertEquals(0640, Fs.statSync(file).permissions());
    int fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    Fs.fchmodSync(fd, 0604);
    Stat fs = Fs.fstatSync(fd);
    assertEquals(0604, fs.permissions());
    assertEquals(s.ino(), fs.ino());
    assertEquals(s.dev(), fs.dev());
    Fs.closeSync(fd);

    Stat dir = Fs.statSync(tmp.toString());
    assertTrue(dir.isDirectory());
    assertFalse(dir.isFile());

    String link = p("link");
    Fs.symlinkSync(file, link, 0);
    assertTrue(Fs.lstatSync(link).isSymbolicLink());
    assertTrue(Fs.statSync(link).isFile());
    assertEquals(s.ino(), Fs.statSync(link).ino());

    // A hard link shares the inode and counts.
    Fs.linkSync(file, p("hard"));
    assertEquals(2, Fs.statSync(file).nlink());
    assertEquals(s.ino(), Fs.statSync(p("hard")).ino());

    // Ownership: chown to the current owner works; -1 keeps a field.
    Fs.chownSync(file, (int) s.uid(), (int) s.gid());
    Fs.lchownSync(link, -1, -1);
    fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    Fs.fchownSync(fd, -1, (int) s.gid());
    Fs.closeSync(fd);
    assertEquals(s.uid(), Fs.statSync(file).uid());
    assertEquals(s.gid(), Fs.statSync(file).gid());

    Fs.accessSync(file, Fs.F_OK);
    Fs.accessSync(file, Fs.R_OK);
  }

  @Test
  void utimeKeepsMicrosecondsAsLibuvAllows() throws Exception {
    String file = p("f");
    touchFile(file, 1);
    // libuv 1.44 truncates to microseconds; an Instant gets exactly its microsecond.
    Instant atime = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);
    Instant mtime = Instant.ofEpochSecond(1_600_000_000L, 999_999_999);
    Fs.utimeSync(file, atime, mtime);
    Stat s = Fs.statSync(file);
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_000), s.atime());
    assertEquals(Instant.ofEpochSecond(1_600_000_000L, 999_999_000), s.mtime());

    // Every microsecond survives the trip through a double, also before 1970 (where the
    // fraction counts forward from the earlier second).
    Instant moon = Instant.parse("1969-07-20T20:17:40.654321Z");
    for (long second : new long[] {1_700_000_000L, moon.getEpochSecond(), -1, 0}) {
      for (int micros = 0; micros < 1_000_000; micros += 49_999) {
        Instant t = Instant.ofEpochSecond(second, micros * 1000L + 789);
        Fs.utimeSync(file, t, t);
        s = Fs.statSync(file);
        Instant expected = Instant.ofEpochSecond(second, micros * 1000L);
        assertEquals(expected, s.atime(), t.toString());
        assertEquals(expected, s.mtime(), t.toString());
      }
    }
    Fs.utimeSync(file, moon, moon);
    assertEquals(moon, Fs.statSync(file).mtime());

    // Double seconds as libuv takes them.
    Fs.utimeSync(file, 1.5, 2.25);
    s = Fs.statSync(file);
    assertEquals(Instant.ofEpochSecond(1, 500_000_000), s.atime());
    assertEquals(Instant.ofEpochSecond(2, 250_000_000), s.mtime());

    // futime on a descriptor; lutime changes the link, not its target.
    int fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    Fs.futimeSync(fd, atime, atime);
    Fs.closeSync(fd);
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_000), Fs.statSync(file).mtime());
    String link = p("link");
    Fs.symlinkSync(file, link, 0);
    Fs.lutimeSync(link, mtime, mtime);
    assertEquals(Instant.ofEpochSecond(1_600_000_000L, 999_999_000), Fs.lstatSync(link).mtime());
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_000), Fs.statSync(link).mtime());

    // The asynchronous forms.
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      CompletableFuture<Void> u = fs.utime(file, moon, atime);
      loop.run();
      u.get();
      assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_000), Fs.statSync(file).mtime());
      assertEquals(moon, Fs.statSync(file).atime());
    }
  }

  // test-fs.c: fs_statfs
  @Test
  void statfsFieldsAreSane() throws Exception {
    StatFs s = Fs.statfsSync(tmp.toString());
    assertTrue(s.type() > 0, s.toString());
    assertTrue(s.bsize() > 0, s.toString());
    assertTrue(s.blocks() > 0, s.toString());
    assertTrue(s.bfree() <= s.blocks(), s.toString());
    assertTrue(s.bavail() <= s.bfree(), s.toString());
    assertTrue(s.ffree() <= s.files(), s.toString());
    try (Loop loop = Loop.create()) {
      CompletableFuture<StatFs> f = new Fs(loop).statfs(tmp.toString());
      loop.run();
      assertEquals(s.type(), f.get().type());
      assertEquals(s.bsize(), f.get().bsize());
    }
  }

  // test-fs.c: fs_async_sendfile and fs_async_sendfile_nodata
  @Test
  void sendfileCopiesFromAnOffset() throws Exception {
    String in = p("test_file");
    String out = p("test_file2");
    int fd = Fs.openSync(in, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    Fs.writeSync(fd, ByteBuffer.wrap(FsTest.ascii("begin\n")), -1);
    Fs.writeSync(fd, ByteBuffer.wrap(FsTest.ascii("end\n")), 65542);
    Fs.closeSync(fd);
    int inFd = Fs.openSync(in, Fs.O_RDWR, 0);
    int outFd = Fs.openSync(out, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    try (Loop loop = Loop.create()) {
      long[] sent = {-1};
      new Fs(loop).sendfile(outFd, inFd, 1, 131072, (n, e) -> {
        assertNull(e);
        sent[0] = n;
      });
      loop.run();
      assertEquals(65545, sent[0]);
    }
    Fs.closeSync(inFd);
    Fs.closeSync(outFd);
    assertEquals(65546, Fs.statSync(in).size());
    assertEquals(65545, Fs.statSync(out).size());
    byte[] first = new byte[1];
    fd = Fs.openSync(out, Fs.O_RDONLY, 0);
    Fs.readSync(fd, ByteBuffer.wrap(first), -1);
    Fs.closeSync(fd);
    assertEquals('e', first[0]);

    // Nothing to send.
    String empty = p("empty");
    touchFile(empty, 0);
    inFd = Fs.openSync(empty, Fs.O_RDONLY, 0);
    outFd = Fs.openSync(p("empty2"), Fs.O_WRONLY | Fs.O_CREAT, 0600);
    assertEquals(0, Fs.sendfileSync(outFd, inFd, 1, 131072));
    Fs.closeSync(inFd);
    Fs.closeSync(outFd);
    assertEquals(0, Fs.statSync(p("empty2")).size());
  }

  // ------------------------------------------------------------------ Dir

  @Test
  void readdirReturnsBatchesThenEmptyAndDirMisuseIsIllegalState() throws Exception {
    for (int i = 0; i < 5; i++) {
      touchFile(p("f" + i), 0);
    }
    Dir dir = Fs.opendirSync(tmp.toString());
    assertThrows(IllegalArgumentException.class, () -> Fs.readdirSync(dir, 0));
    Set<String> seen = new HashSet<>();
    List<DirEntry> batch = Fs.readdirSync(dir, 3);
    assertEquals(3, batch.size());
    batch.forEach(e -> seen.add(e.name()));
    batch = Fs.readdirSync(dir, 100);
    assertEquals(2, batch.size());
    batch.forEach(e -> seen.add(e.name()));
    assertEquals(Set.of("f0", "f1", "f2", "f3", "f4"), seen);
    assertEquals(List.of(), Fs.readdirSync(dir, 100));
    assertEquals(List.of(), Fs.readdirSync(dir, 100));

    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      // One readdir at a time; no closedir under a readdir.
      CompletableFuture<List<DirEntry>> first = fs.readdir(dir, 10);
      IllegalStateException busy = assertThrows(IllegalStateException.class, () -> fs.readdir(dir, 10));
      assertTrue(busy.getMessage().contains("in flight"), busy.getMessage());
      assertThrows(IllegalStateException.class, () -> Fs.readdirSync(dir, 10));
      assertThrows(IllegalStateException.class, () -> fs.closedir(dir));
      assertThrows(IllegalStateException.class, () -> Fs.closedirSync(dir));
      loop.run();
      assertEquals(List.of(), first.get());

      // Closed: every further use is refused, a second close too.
      CompletableFuture<Void> closed = fs.closedir(dir);
      assertTrue(dir.isClosed());
      loop.run();
      closed.get();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Fs.readdirSync(dir, 1));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> fs.readdir(dir, 1, (x, err) -> { }));
      assertThrows(IllegalStateException.class, () -> fs.closedir(dir, (x, err) -> { }));
      assertThrows(IllegalStateException.class, () -> Fs.closedirSync(dir));
      assertEquals(0, loop.run());
    }
  }
}
