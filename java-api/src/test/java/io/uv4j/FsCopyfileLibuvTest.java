package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's test-fs-copyfile.c (v1.44.2) ported (every flag, sync and async, the failure
 * cases), and a copy of a source shorter than its size. Works in a fresh temporary directory.
 */
@ExtendWith(LeakCheck.class)
class FsCopyfileLibuvTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  // test-fs-copyfile.c: fs_copyfile
  @Test
  void fs_copyfile() throws Exception {
    String fixture = p("load_error.node");
    FsLibuvTest.touchFile(fixture, 1234);
    Fs.chmodSync(fixture, 0644);
    String src = p("test_file_src");
    String dst = p("test_file_dst");
    int[] resultCheckCount = {0};

    // Bad flags: EINVAL.
    assertEquals(Errno.EINVAL, assertThrows(UvException.class, () -> Fs.copyfileSync(src, dst, -1)).code());

    // A missing source: ENOENT, and no destination.
    UvException e = assertThrows(UvException.class, () -> Fs.copyfileSync(src, dst, 0));
    assertEquals(Errno.ENOENT, e.code());
    assertEquals(src, e.path());
    assertEquals(dst, e.dest());
    assertThrows(UvException.class, () -> Fs.statSync(dst));

    // Identical source and destination: succeeds, and does not truncate.
    FsLibuvTest.touchFile(src, 12);
    Fs.copyfileSync(src, src, 0);
    assertEquals(12, Fs.statSync(src).size());
    Fs.unlinkSync(src);

    // Creates a new file.
    Fs.copyfileSync(fixture, dst, 0);
    checkCopy(fixture, dst, resultCheckCount);

    // A file of size zero.
    Fs.unlinkSync(dst);
    FsLibuvTest.touchFile(src, 0);
    Fs.copyfileSync(src, dst, 0);
    checkCopy(src, dst, resultCheckCount);

    // Overwrites an existing file.
    Fs.copyfileSync(fixture, dst, 0);
    checkCopy(fixture, dst, resultCheckCount);

    // COPYFILE_EXCL refuses to overwrite.
    e = assertThrows(UvException.class, () -> Fs.copyfileSync(fixture, dst, Fs.COPYFILE_EXCL));
    assertEquals(Errno.EEXIST, e.code());
    assertEquals(dst, e.dest());

    // Truncates a larger existing destination.
    FsLibuvTest.touchFile(src, 1);
    Fs.copyfileSync(src, dst, 0);
    checkCopy(src, dst, resultCheckCount);

    // A larger file.
    Fs.unlinkSync(dst);
    FsLibuvTest.touchFile(src, 4096 * 2);
    Fs.copyfileSync(src, dst, 0);
    checkCopy(src, dst, resultCheckCount);
    Fs.unlinkSync(src);

    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      // Asynchronously.
      Fs.unlinkSync(dst);
      fs.copyfile(fixture, dst, 0, (v, error) -> {
        assertNull(error);
        try {
          checkCopy(fixture, dst, resultCheckCount);
        } catch (UvException ex) {
          throw new AssertionError(ex);
        }
      });
      assertEquals(5, resultCheckCount[0]);
      loop.run();
      assertEquals(6, resultCheckCount[0]);

      // Invalid flags are refused at once and do not keep the loop alive.
      Fs.unlinkSync(dst);
      UncheckedIOException u = assertThrows(UncheckedIOException.class,
          () -> fs.copyfile(fixture, dst, -1, (v, error) -> { throw new AssertionError("called"); }));
      assertEquals(Errno.EINVAL, ((UvException) u.getCause()).code());
      assertEquals(0, loop.run());
    }

    // COPYFILE_FICLONE falls back to a copy.
    Fs.copyfileSync(fixture, dst, Fs.COPYFILE_FICLONE);
    checkCopy(fixture, dst, resultCheckCount);

    // COPYFILE_FICLONE_FORCE succeeds only where the file system clones.
    Fs.unlinkSync(dst);
    try {
      Fs.copyfileSync(fixture, dst, Fs.COPYFILE_FICLONE_FORCE);
      checkCopy(fixture, dst, resultCheckCount);
    } catch (UvException ex) {
      assertTrue(ex.code() < 0);
    }

    // Copying respects the destination's permissions (root may write to a read-only file).
    FsLibuvTest.unlinkIfPresent(dst);
    FsLibuvTest.touchFile(dst, 0);
    Fs.chmodSync(dst, 0444);
    boolean privileged = canOpenForWriting(dst);
    if (privileged) {
      Fs.copyfileSync(fixture, dst, 0);
      assertEquals(1234, Fs.statSync(dst).size());
    } else {
      assertEquals(Errno.EACCES, assertThrows(UvException.class, () -> Fs.copyfileSync(fixture, dst, 0)).code());
    }
  }

  /**
   * A source shorter than its st_size (a /sys attribute reports 4096 bytes and holds a few; a file
   * truncated while it is copied is the same case): libuv's copy loop sends the remaining bytes
   * for ever, getting 0 each time, and the request never completes (Node's fs.copyFile hangs on
   * such a file too). uv4j's copy stops at end of file and copies what there is, both forms.
   * Linux only: other systems have no such files here.
   */
  @Test
  void copyfileOfASourceShorterThanItsSizeCompletes() throws Exception {
    String src = null;
    for (String candidate : new String[] {"/sys/kernel/mm/transparent_hugepage/enabled",
        "/sys/kernel/uevent_seqnum", "/sys/kernel/profiling", "/sys/power/state", "/sys/kernel/uevent_helper"}) {
      Path p = Path.of(candidate);
      if (java.nio.file.Files.isReadable(p) && java.nio.file.Files.size(p) > java.nio.file.Files.readAllBytes(p).length) {
        src = candidate;
        break;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(src != null, "no /sys file whose size exceeds its content (not Linux?)");
    byte[] content = java.nio.file.Files.readAllBytes(Path.of(src));
    String dst = p("from_sys");
    String source = src;
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      UvException[] failed = {null};
      boolean[] done = {false};
      Timer guard = new Timer(loop);
      guard.start(30_000, 0, t -> loop.stop());
      fs.copyfile(source, dst, 0, (v, error) -> {
        failed[0] = error;
        done[0] = true;
        guard.close();
      });
      loop.run();
      assertTrue(done[0], "the copy of " + source + " did not complete within 30 s (libuv's endless loop)");
      assertNull(failed[0]);
    }
    assertArrayEquals(content, java.nio.file.Files.readAllBytes(Path.of(dst)));
    Fs.unlinkSync(dst);
    Throwable[] syncFailure = {null};
    Thread t = new Thread(() -> {
      try {
        Fs.copyfileSync(source, dst, 0);
      } catch (Throwable e) {
        syncFailure[0] = e;
      }
    }, "copyfileSync");
    t.setDaemon(true);
    t.start();
    t.join(30_000);
    assertTrue(!t.isAlive(), "copyfileSync of " + source + " did not return within 30 s");
    assertNull(syncFailure[0]);
    assertArrayEquals(content, java.nio.file.Files.readAllBytes(Path.of(dst)));
  }

  private static boolean canOpenForWriting(String path) {
    try {
      Fs.closeSync(Fs.openSync(path, Fs.O_WRONLY, 0));
      return true;
    } catch (UvException e) {
      return false;
    }
  }

  private static void checkCopy(String from, String to, int[] count) throws UvException {
    Stat a = Fs.statSync(from);
    Stat b = Fs.statSync(to);
    assertEquals(a.size(), b.size());
    assertEquals(a.mode(), b.mode());
    assertArrayEquals(FsLibuvTest.readAll(from), FsLibuvTest.readAll(to));
    count[0]++;
  }
}
