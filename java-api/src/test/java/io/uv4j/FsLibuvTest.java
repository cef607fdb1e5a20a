package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's own fs tests (test-fs.c, test-fs-readdir.c, test-fs-copyfile.c and
 * test-threadpool-cancel.c at v1.44.2) ported to the Java API. libuv works in its current
 * directory; these work in a fresh temporary directory.
 */
@ExtendWith(LeakCheck.class)
class FsLibuvTest {
  /** test-fs.c's test_buf and test_buf2, NUL included as sizeof counts it. */
  static final byte[] TEST_BUF = "test-buffer\n\0".getBytes(StandardCharsets.US_ASCII);
  static final byte[] TEST_BUF2 = "second-buffer\n\0".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
  }

  /** C's strcmp(buf, expected): the bytes up to the first NUL. */
  static String cString(ByteBuffer buf) {
    ByteBuffer b = buf.duplicate();
    b.flip();
    StringBuilder sb = new StringBuilder();
    while (b.hasRemaining()) {
      byte c = b.get();
      if (c == 0) {
        break;
      }
      sb.append((char) c);
    }
    return sb.toString();
  }

  static String cString(byte[] bytes) {
    return cString(ByteBuffer.wrap(bytes).position(bytes.length));
  }

  // test-fs.c: fs_file_noent
  @Test
  void fs_file_noent() throws Exception {
    UvException e = assertThrows(UvException.class,
        () -> Fs.openSync(p("does_not_exist"), Fs.O_RDONLY, 0));
    assertEquals(Errno.ENOENT, e.code());
    try (Loop loop = Loop.create()) {
      int[] openCbCount = {0};
      new Fs(loop).open(p("does_not_exist"), Fs.O_RDONLY, 0, (fd, error) -> {
        assertNull(fd);
        assertEquals(Errno.ENOENT, error.code());
        assertEquals("uv_fs_open", error.syscall());
        openCbCount[0]++;
      });
      assertEquals(0, openCbCount[0]);
      loop.run();
      assertEquals(1, openCbCount[0]);
    }
  }

  // test-fs.c: fs_file_async (create, write, fdatasync, fsync, close; rename; open, read,
  // ftruncate, close; open, read, close, unlink), each step started from the previous callback.
  @Test
  void fs_file_async() throws Exception {
    String file = p("test_file");
    String file2 = p("test_file2");
    int[] create = {0}, write = {0}, fdatasync = {0}, fsync = {0}, close = {0}, rename = {0},
        open = {0}, read = {0}, ftruncate = {0}, unlink = {0};
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      FsCallback<Void> closeCb = (v, error) -> {
        assertNull(error);
        close[0]++;
        if (close[0] == 3) {
          fs.unlink(file2, (v2, error2) -> {
            assertNull(error2);
            unlink[0]++;
          });
        }
      };
      fs.open(file, Fs.O_WRONLY | Fs.O_CREAT, 0600, (fd, error) -> {
        assertNull(error);
        assertTrue(fd >= 0);
        create[0]++;
        fs.write(fd, ByteBuffer.wrap(TEST_BUF), -1, (n, error2) -> {
          assertNull(error2);
          assertEquals(TEST_BUF.length, n);
          write[0]++;
          fs.fdatasync(fd, (v, error3) -> {
            assertNull(error3);
            fdatasync[0]++;
            fs.fsync(fd, (v2, error4) -> {
              assertNull(error4);
              fsync[0]++;
              fs.close(fd, closeCb);
            });
          });
        });
      });
      loop.run();
      assertEquals(1, create[0]);
      assertEquals(1, write[0]);
      assertEquals(1, fsync[0]);
      assertEquals(1, fdatasync[0]);
      assertEquals(1, close[0]);

      fs.rename(file, file2, (v, error) -> {
        assertNull(error);
        rename[0]++;
      });
      loop.run();
      assertEquals(1, create[0]);
      assertEquals(1, write[0]);
      assertEquals(1, close[0]);
      assertEquals(1, rename[0]);

      ByteBuffer buf = ByteBuffer.allocateDirect(32);
      FsCallback<Integer> openCb = (fd, error) -> {
        assertNull(error);
        open[0]++;
        buf.clear();
        buf.put(new byte[32]).clear();
        fs.read(fd, buf, -1, (n, error2) -> {
          assertNull(error2);
          assertTrue(n >= 0);
          read[0]++;
          if (read[0] == 1) {
            assertEquals(cString(TEST_BUF), cString(buf));
            fs.ftruncate(fd, 7, (v, error3) -> {
              assertNull(error3);
              ftruncate[0]++;
              fs.close(fd, closeCb);
            });
          } else {
            assertEquals("test-bu", cString(buf));
            fs.close(fd, closeCb);
          }
        });
      };
      fs.open(file2, Fs.O_RDWR, 0, openCb);
      loop.run();
      assertEquals(1, open[0]);
      assertEquals(1, read[0]);
      assertEquals(2, close[0]);
      assertEquals(1, rename[0]);
      assertEquals(1, create[0]);
      assertEquals(1, write[0]);
      assertEquals(1, ftruncate[0]);

      fs.open(file2, Fs.O_RDONLY, 0, openCb);
      loop.run();
      assertEquals(2, open[0]);
      assertEquals(2, read[0]);
      assertEquals(3, close[0]);
      assertEquals(1, rename[0]);
      assertEquals(1, unlink[0]);
      assertEquals(1, create[0]);
      assertEquals(1, write[0]);
      assertEquals(1, ftruncate[0]);
    }
    assertEquals(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.statSync(file2)).code());
    assertEquals(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.statSync(file)).code());
  }

  // test-fs.c: fs_file_sync (the UV_FS_O_FILEMAP variant is Windows-only: 0 elsewhere)
  @Test
  void fs_file_sync() throws Exception {
    String file = p("test_file");
    String file2 = p("test_file2");
    int fd = Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    assertTrue(fd >= 0);
    assertTrue(Fs.writeSync(fd, ByteBuffer.wrap(TEST_BUF), -1) >= 0);
    Fs.closeSync(fd);

    fd = Fs.openSync(file, Fs.O_RDWR, 0);
    ByteBuffer buf = ByteBuffer.allocate(32);
    assertTrue(Fs.readSync(fd, buf, -1) >= 0);
    assertEquals(cString(TEST_BUF), cString(buf));
    Fs.ftruncateSync(fd, 7);
    Fs.closeSync(fd);

    Fs.renameSync(file, file2);

    fd = Fs.openSync(file2, Fs.O_RDONLY, 0);
    buf = ByteBuffer.allocate(32);
    assertTrue(Fs.readSync(fd, buf, -1) >= 0);
    assertEquals("test-bu", cString(buf));
    Fs.closeSync(fd);

    Fs.unlinkSync(file2);
    assertEquals(List.of(), Fs.scandirSync(tmp.toString()));
  }

  // test-fs.c: fs_async_dir
  @Test
  void fs_async_dir() throws Exception {
    String dir = p("test_dir");
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      int[] mkdir = {0}, scandir = {0}, stat = {0}, unlink = {0}, rmdir = {0};
      fs.mkdir(dir, 0755, (v, error) -> {
        assertNull(error);
        mkdir[0]++;
      });
      loop.run();
      assertEquals(1, mkdir[0]);

      // Two files, synchronously.
      Fs.closeSync(Fs.openSync(dir + "/file1", Fs.O_WRONLY | Fs.O_CREAT, 0600));
      Fs.closeSync(Fs.openSync(dir + "/file2", Fs.O_WRONLY | Fs.O_CREAT, 0600));

      fs.scandir(dir, (entries, error) -> {
        assertNull(error);
        assertEquals(2, entries.size());
        for (DirEntry e : entries) {
          assertTrue(e.name().equals("file1") || e.name().equals("file2"), e.name());
          assertIsFileType(e);
        }
        scandir[0]++;
      });
      loop.run();
      assertEquals(1, scandir[0]);

      List<DirEntry> entries = Fs.scandirSync(dir);
      assertEquals(2, entries.size());
      for (DirEntry e : entries) {
        assertTrue(e.name().equals("file1") || e.name().equals("file2"), e.name());
        assertIsFileType(e);
      }

      FsCallback<Stat> statCb = (s, error) -> {
        assertNull(error);
        assertNotNull(s);
        assertTrue(s.isDirectory());
        stat[0]++;
      };
      fs.stat(dir, statCb);
      loop.run();
      fs.stat(dir + "/", statCb);
      loop.run();
      fs.lstat(dir, statCb);
      loop.run();
      fs.lstat(dir + "/", statCb);
      loop.run();
      assertEquals(4, stat[0]);

      FsCallback<Void> unlinkCb = (v, error) -> {
        assertNull(error);
        unlink[0]++;
      };
      fs.unlink(dir + "/file1", unlinkCb);
      loop.run();
      assertEquals(1, unlink[0]);
      fs.unlink(dir + "/file2", unlinkCb);
      loop.run();
      assertEquals(2, unlink[0]);

      fs.rmdir(dir, (v, error) -> {
        assertNull(error);
        rmdir[0]++;
      });
      loop.run();
      assertEquals(1, rmdir[0]);
    }
  }

  /** ext4, tmpfs and friends report d_type, so Linux knows the type (libuv: FILE or UNKNOWN). */
  private static void assertIsFileType(DirEntry e) {
    assertTrue(e.type() == DirEntry.Type.FILE || e.type() == DirEntry.Type.UNKNOWN, e.toString());
  }

  // test-fs.c: fs_mkdtemp
  @Test
  void fs_mkdtemp() throws Exception {
    String template = p("test_dir_XXXXXX");
    try (Loop loop = Loop.create()) {
      String[] path1 = new String[1];
      new Fs(loop).mkdtemp(template, (path, error) -> {
        assertNull(error);
        checkMkdtempResult(path);
        path1[0] = path;
      });
      loop.run();
      assertNotNull(path1[0]);

      String path2 = Fs.mkdtempSync(template);
      checkMkdtempResult(path2);
      // Different values on subsequent calls.
      assertNotEquals(path1[0], path2);
      Fs.rmdirSync(path1[0]);
      Fs.rmdirSync(path2);
    }
  }

  private void checkMkdtempResult(String path) {
    String name = Path.of(path).getFileName().toString();
    assertEquals(tmp.toString(), Path.of(path).getParent().toString());
    assertEquals(15, name.length());
    assertTrue(name.startsWith("test_dir_"), name);
    assertNotEquals("XXXXXX", name.substring(9));
    Stat s = statOrFail(path);
    assertEquals(0700, s.permissions() & 0777);
    assertTrue(s.isDirectory());
  }

  // test-fs.c: fs_mkstemp
  @Test
  void fs_mkstemp() throws Exception {
    String template = p("test_file_XXXXXX");
    try (Loop loop = Loop.create()) {
      TempFile[] t1 = new TempFile[1];
      new Fs(loop).mkstemp(template, (t, error) -> {
        assertNull(error);
        checkMkstempResult(t);
        t1[0] = t;
      });
      loop.run();
      assertNotNull(t1[0]);

      TempFile t2 = Fs.mkstempSync(template);
      checkMkstempResult(t2);
      // Different values on subsequent calls.
      assertNotEquals(t1[0].path(), t2.path());
      assertNotEquals(t1[0].fd(), t2.fd());

      // An invalid template is EINVAL.
      UvException e = assertThrows(UvException.class, () -> Fs.mkstempSync(p("test_file")));
      assertEquals(Errno.EINVAL, e.code());
      assertEquals("uv_fs_mkstemp", e.syscall());

      // The file is open for writing.
      assertEquals(TEST_BUF.length, Fs.writeSync(t1[0].fd(), ByteBuffer.wrap(TEST_BUF), -1));
      Fs.closeSync(t1[0].fd());
      Fs.closeSync(t2.fd());

      int fd = Fs.openSync(t1[0].path(), Fs.O_RDONLY, 0);
      ByteBuffer buf = ByteBuffer.allocate(32);
      assertTrue(Fs.readSync(fd, buf, -1) >= 0);
      assertEquals(cString(TEST_BUF), cString(buf));
      Fs.closeSync(fd);
      Fs.unlinkSync(t1[0].path());
      Fs.unlinkSync(t2.path());
    }
  }

  private void checkMkstempResult(TempFile t) {
    assertTrue(t.fd() >= 0);
    String name = Path.of(t.path()).getFileName().toString();
    assertEquals(16, name.length());
    assertTrue(name.startsWith("test_file_"), name);
    assertNotEquals("XXXXXX", name.substring(10));
    Stat s = statOrFail(t.path());
    assertEquals(0600, s.permissions() & 0777);
    assertTrue(s.isFile());
    // The descriptor is that very file.
    try {
      assertEquals(s.ino(), Fs.fstatSync(t.fd()).ino());
    } catch (UvException e) {
      throw new AssertionError(e);
    }
  }

  static Stat statOrFail(String path) {
    try {
      return Fs.statSync(path);
    } catch (UvException e) {
      throw new AssertionError(e);
    }
  }

  // test-fs.c: fs_stat_missing_path
  @Test
  void fs_stat_missing_path() {
    UvException e = assertThrows(UvException.class, () -> Fs.statSync(p("non_existent_file")));
    assertEquals(Errno.ENOENT, e.code());
    assertEquals("uv_fs_stat", e.syscall());
    assertEquals(p("non_existent_file"), e.path());
  }

  // test-fs.c: fs_scandir_empty_dir
  @Test
  void fs_scandir_empty_dir() throws Exception {
    String path = p("empty_dir") + "/";
    Fs.mkdirSync(path, 0777);
    assertEquals(List.of(), Fs.scandirSync(path));
    try (Loop loop = Loop.create()) {
      int[] scandirCbCount = {0};
      new Fs(loop).scandir(path, (entries, error) -> {
        assertNull(error);
        assertEquals(List.of(), entries);
        scandirCbCount[0]++;
      });
      assertEquals(0, scandirCbCount[0]);
      loop.run();
      assertEquals(1, scandirCbCount[0]);
    }
    Fs.rmdirSync(path);
  }

  // test-fs.c: fs_scandir_non_existent_dir and fs_scandir_file
  @Test
  void fs_scandir_non_existent_dir_and_file() throws Exception {
    assertEquals(Errno.ENOENT,
        assertThrows(UvException.class, () -> Fs.scandirSync(p("non_existent_dir"))).code());
    String file = p("file");
    Fs.closeSync(Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600));
    try (Loop loop = Loop.create()) {
      UvException[] errors = new UvException[2];
      Fs fs = new Fs(loop);
      fs.scandir(p("non_existent_dir"), (entries, error) -> {
        assertNull(entries);
        errors[0] = error;
      });
      fs.scandir(file, (entries, error) -> {
        assertNull(entries);
        errors[1] = error;
      });
      loop.run();
      assertEquals(Errno.ENOENT, errors[0].code());
      assertEquals(Errno.ENOTDIR, errors[1].code());
    }
  }

  // test-fs.c: fs_rename_to_existing_file
  @Test
  void fs_rename_to_existing_file() throws Exception {
    String file = p("test_file");
    String file2 = p("test_file2");
    int fd = Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    assertTrue(Fs.writeSync(fd, ByteBuffer.wrap(TEST_BUF), -1) >= 0);
    Fs.closeSync(fd);
    Fs.closeSync(Fs.openSync(file2, Fs.O_WRONLY | Fs.O_CREAT, 0600));

    Fs.renameSync(file, file2);

    fd = Fs.openSync(file2, Fs.O_RDONLY, 0);
    ByteBuffer buf = ByteBuffer.allocate(32);
    assertTrue(Fs.readSync(fd, buf, -1) >= 0);
    assertEquals(cString(TEST_BUF), cString(buf));
    Fs.closeSync(fd);
    assertEquals(Errno.ENOENT, assertThrows(UvException.class, () -> Fs.statSync(file)).code());
  }

  // test-fs.c: fs_read_file_eof
  @Test
  void fs_read_file_eof() throws Exception {
    String file = p("test_file");
    int fd = Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    assertTrue(Fs.writeSync(fd, ByteBuffer.wrap(TEST_BUF), -1) >= 0);
    Fs.closeSync(fd);

    fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    ByteBuffer buf = ByteBuffer.allocate(32);
    int n = Fs.readSync(fd, buf, -1);
    assertTrue(n >= 0);
    assertEquals(cString(TEST_BUF), cString(buf));

    // Reading at the offset of the end returns 0.
    assertEquals(0, Fs.readSync(fd, ByteBuffer.allocate(32), n));
    Fs.closeSync(fd);
  }

  // test-fs.c: fs_write_multiple_bufs
  @Test
  void fs_write_multiple_bufs() throws Exception {
    String file = p("test_file");
    int fd = Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600);
    assertTrue(Fs.writeSync(fd, new ByteBuffer[] {ByteBuffer.wrap(TEST_BUF), ByteBuffer.wrap(TEST_BUF2)}, 0) >= 0);
    Fs.closeSync(fd);

    fd = Fs.openSync(file, Fs.O_RDONLY, 0);
    // Read the strings back into separate buffers, at the file position (which is 0).
    ByteBuffer buf = ByteBuffer.allocate(32).limit(TEST_BUF.length);
    ByteBuffer buf2 = ByteBuffer.allocate(32).limit(TEST_BUF2.length);
    assertEquals(TEST_BUF.length + TEST_BUF2.length, Fs.readSync(fd, new ByteBuffer[] {buf, buf2}, -1));
    assertEquals(cString(TEST_BUF), cString(buf));
    assertEquals(cString(TEST_BUF2), cString(buf2));

    // The file position is at the end now.
    assertEquals(0, Fs.readSync(fd, ByteBuffer.allocate(32), -1));

    // Positional vectored read from 0 (without preadv, libuv may fill only the first buffer).
    buf = ByteBuffer.allocate(32).limit(TEST_BUF.length);
    buf2 = ByteBuffer.allocate(32).limit(TEST_BUF2.length);
    int n = Fs.readSync(fd, new ByteBuffer[] {buf, buf2}, 0);
    if (n == TEST_BUF.length) {
      assertEquals(TEST_BUF2.length, Fs.readSync(fd, buf2, n));
    } else {
      assertEquals(TEST_BUF.length + TEST_BUF2.length, n);
    }
    assertEquals(cString(TEST_BUF), cString(buf));
    assertEquals(cString(TEST_BUF2), cString(buf2));

    assertEquals(0, Fs.readSync(fd, ByteBuffer.allocate(32), TEST_BUF.length + TEST_BUF2.length));
    Fs.closeSync(fd);
  }

  // test-fs-readdir.c: fs_readdir_empty_dir
  @Test
  void fs_readdir_empty_dir() throws Exception {
    String path = p("empty_dir") + "/";
    Fs.mkdirSync(path, 0777);
    Dir dir = Fs.opendirSync(path);
    assertEquals(List.of(), Fs.readdirSync(dir, 1));
    Fs.closedirSync(dir);
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      int[] opendirCount = {0}, closedirCount = {0};
      fs.opendir(path, (d, error) -> {
        assertNull(error);
        assertNotNull(d);
        fs.readdir(d, 1, (entries, error2) -> {
          assertNull(error2);
          assertEquals(List.of(), entries);
          fs.closedir(d, (v, error3) -> {
            assertNull(error3);
            closedirCount[0]++;
          });
        });
        opendirCount[0]++;
      });
      assertEquals(0, opendirCount[0]);
      assertEquals(0, closedirCount[0]);
      assertEquals(0, loop.run());
      assertEquals(1, opendirCount[0]);
      assertEquals(1, closedirCount[0]);
    }
    Fs.rmdirSync(path);
  }

  // test-fs-readdir.c: fs_readdir_non_existing_dir and fs_readdir_file
  @Test
  void fs_readdir_non_existing_dir_and_file() throws Exception {
    String missing = p("non-existing-dir") + "/";
    String file = p("empty_file");
    Fs.closeSync(Fs.openSync(file, Fs.O_WRONLY | Fs.O_CREAT, 0600));
    UvException e = assertThrows(UvException.class, () -> Fs.opendirSync(missing));
    assertEquals(Errno.ENOENT, e.code());
    assertEquals("uv_fs_opendir", e.syscall());
    assertEquals(Errno.ENOTDIR, assertThrows(UvException.class, () -> Fs.opendirSync(file)).code());
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      List<UvException> errors = new ArrayList<>();
      fs.opendir(missing, (d, error) -> {
        assertNull(d);
        errors.add(error);
      });
      fs.opendir(file, (d, error) -> {
        assertNull(d);
        errors.add(error);
      });
      assertEquals(0, loop.run());
      assertEquals(2, errors.size());
      assertEquals(Set.of(Errno.ENOENT, Errno.ENOTDIR),
          Set.of(errors.get(0).code(), errors.get(1).code()));
    }
  }

  // test-fs-readdir.c: fs_readdir_non_empty_dir (one entry per readdir)
  @Test
  void fs_readdir_non_empty_dir() throws Exception {
    String dirPath = p("test_dir");
    Fs.mkdirSync(dirPath, 0755);
    Fs.closeSync(Fs.openSync(dirPath + "/file1", Fs.O_WRONLY | Fs.O_CREAT, 0600));
    Fs.closeSync(Fs.openSync(dirPath + "/file2", Fs.O_WRONLY | Fs.O_CREAT, 0600));
    Fs.mkdirSync(dirPath + "/test_subdir", 0755);

    // Synchronous.
    Dir dir = Fs.opendirSync(dirPath);
    int entriesCount = 0;
    Set<String> seen = new HashSet<>();
    for (List<DirEntry> batch; !(batch = Fs.readdirSync(dir, 1)).isEmpty(); ) {
      assertEquals(1, batch.size());
      checkNonEmptyDirEntry(batch.get(0));
      seen.add(batch.get(0).name());
      entriesCount++;
    }
    assertEquals(3, entriesCount);
    assertEquals(Set.of("file1", "file2", "test_subdir"), seen);
    Fs.closedirSync(dir);

    // Asynchronous.
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      int[] opendirCount = {0}, readdirCount = {0}, closedirCount = {0};
      fs.opendir(dirPath, (d, error) -> {
        assertNull(error);
        assertNotNull(d);
        fs.readdir(d, 1, new FsCallback<List<DirEntry>>() {
          @Override
          public void done(List<DirEntry> entries, UvException error2) {
            assertNull(error2);
            if (entries.isEmpty()) {
              assertEquals(3, readdirCount[0]);
              fs.closedir(d, (v, error3) -> {
                assertNull(error3);
                closedirCount[0]++;
              });
            } else {
              assertEquals(1, entries.size());
              checkNonEmptyDirEntry(entries.get(0));
              readdirCount[0]++;
              fs.readdir(d, 1, this);
            }
          }
        });
        opendirCount[0]++;
      });
      assertEquals(0, opendirCount[0]);
      assertEquals(0, closedirCount[0]);
      assertEquals(0, loop.run());
      assertEquals(1, opendirCount[0]);
      assertEquals(3, readdirCount[0]);
      assertEquals(1, closedirCount[0]);
    }
  }

  private static void checkNonEmptyDirEntry(DirEntry e) {
    assertTrue(Set.of("file1", "file2", "test_subdir").contains(e.name()), e.name());
    // Linux file systems report d_type (libuv's HAVE_DIRENT_TYPES).
    assertEquals(e.name().equals("test_subdir") ? DirEntry.Type.DIR : DirEntry.Type.FILE, e.type());
  }

  // test-fs-copyfile.c: fs_copyfile
  @Test
  void fs_copyfile() throws Exception {
    String fixture = p("load_error.node");
    touchFile(fixture, 1234);
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
    touchFile(src, 12);
    Fs.copyfileSync(src, src, 0);
    assertEquals(12, Fs.statSync(src).size());
    Fs.unlinkSync(src);

    // Creates a new file.
    Fs.copyfileSync(fixture, dst, 0);
    checkCopy(fixture, dst, resultCheckCount);

    // A file of size zero.
    Fs.unlinkSync(dst);
    touchFile(src, 0);
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
    touchFile(src, 1);
    Fs.copyfileSync(src, dst, 0);
    checkCopy(src, dst, resultCheckCount);

    // A larger file.
    Fs.unlinkSync(dst);
    touchFile(src, 4096 * 2);
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
    unlinkIfPresent(dst);
    touchFile(dst, 0);
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

  /** C's unlink() whose result the libuv tests ignore. */
  static void unlinkIfPresent(String path) throws UvException {
    try {
      Fs.unlinkSync(path);
    } catch (UvException e) {
      assertEquals(Errno.ENOENT, e.code());
    }
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
    assertArrayEquals(readAll(from), readAll(to));
    count[0]++;
  }

  /** test-fs-copyfile.c's touch_file: {@code size} bytes 'a', one write each. */
  static void touchFile(String name, int size) throws UvException {
    int fd = Fs.openSync(name, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, 0600);
    for (int i = 0; i < size; i++) {
      assertEquals(1, Fs.writeSync(fd, ByteBuffer.wrap(new byte[] {'a'}), i));
    }
    Fs.closeSync(fd);
  }

  static byte[] readAll(String path) throws UvException {
    int fd = Fs.openSync(path, Fs.O_RDONLY, 0);
    try {
      ByteBuffer buf = ByteBuffer.allocate((int) Fs.fstatSync(fd).size() + 1);
      while (Fs.readSync(fd, buf, -1) > 0) {
        // until end of file
      }
      return Arrays.copyOf(buf.array(), buf.position());
    } finally {
      Fs.closeSync(fd);
    }
  }

  /**
   * test-threadpool-cancel.c: threadpool_cancel_fs. Every pool thread is held by work waiting on
   * a latch, so the fs requests queued behind it wait in libuv's queue; a timer cancels them all,
   * then releases the pool. Every fs callback gets ECANCELED, and nothing was done on disk.
   * (libuv aims its requests at "/" and fd 0; as root, a request that ran by mistake could do
   * harm, so here they aim at the temporary directory and a descriptor of our own.)
   */
  @Test
  void threadpool_cancel_fs() throws Exception {
    String file = p("file");
    String missing = p("missing");
    String subdir = p("subdir");
    touchFile(file, 3);
    Fs.mkdirSync(subdir, 0755);
    int fd = Fs.openSync(file, Fs.O_RDWR, 0);
    Dir dir = Fs.opendirSync(subdir);
    Dir dir2 = Fs.opendirSync(subdir);
    int poolSize = Uv.threadPoolSize();
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      CountDownLatch allBlocked = new CountDownLatch(poolSize);
      CountDownLatch release = new CountDownLatch(1);
      int[] blockersDone = {0};
      for (int i = 0; i < poolSize; i++) {
        loop.queueWork(() -> {
          allBlocked.countDown();
          WorkTest.await(release);
        }, error -> {
          assertNull(error);
          blockersDone[0]++;
        });
      }
      assertTrue(allBlocked.await(30, TimeUnit.SECONDS));

      List<UvException> errors = new ArrayList<>();
      FsCallback<Object> cb = (result, error) -> {
        assertNull(result);
        assertNotNull(error, "a cancelled request completed");
        errors.add(error);
      };
      ByteBuffer empty = ByteBuffer.allocateDirect(0);
      List<FsRequest> reqs = new ArrayList<>();
      reqs.add(fs.chmod(file, 0, cb::done));
      reqs.add(fs.chown(file, 0, 0, cb::done));
      reqs.add(fs.close(fd, cb::done));
      reqs.add(fs.fchmod(fd, 0, cb::done));
      reqs.add(fs.fchown(fd, 0, 0, cb::done));
      reqs.add(fs.fdatasync(fd, cb::done));
      reqs.add(fs.fstat(fd, cb::done));
      reqs.add(fs.fsync(fd, cb::done));
      reqs.add(fs.ftruncate(fd, 0, cb::done));
      reqs.add(fs.futime(fd, 0, 0, cb::done));
      reqs.add(fs.link(file, p("link"), cb::done));
      reqs.add(fs.lstat(file, cb::done));
      reqs.add(fs.mkdir(p("newdir"), 0, cb::done));
      reqs.add(fs.open(p("created"), Fs.O_CREAT | Fs.O_WRONLY, 0600, cb::done));
      reqs.add(fs.read(fd, empty, 0, cb::done));
      reqs.add(fs.scandir(tmp.toString(), cb::done));
      reqs.add(fs.readlink(file, cb::done));
      reqs.add(fs.realpath(file, cb::done));
      reqs.add(fs.rename(file, p("renamed"), cb::done));
      reqs.add(fs.mkdir(p("newdir2"), 0, cb::done));
      reqs.add(fs.sendfile(fd, fd, 0, 0, cb::done));
      reqs.add(fs.stat(file, cb::done));
      reqs.add(fs.symlink(file, p("symlink"), 0, cb::done));
      reqs.add(fs.unlink(file, cb::done));
      reqs.add(fs.utime(file, 0, 0, cb::done));
      reqs.add(fs.write(fd, empty, 0, cb::done));
      // The operations libuv's list leaves out.
      reqs.add(fs.access(missing, Fs.F_OK, cb::done));
      reqs.add(fs.copyfile(file, p("copy"), 0, cb::done));
      reqs.add(fs.lchown(file, 0, 0, cb::done));
      reqs.add(fs.lutime(file, 0, 0, cb::done));
      reqs.add(fs.mkdtemp(p("tmpdir_XXXXXX"), cb::done));
      reqs.add(fs.mkstemp(p("tmpfile_XXXXXX"), cb::done));
      reqs.add(fs.opendir(subdir, cb::done));
      reqs.add(fs.readdir(dir, 4, cb::done));
      reqs.add(fs.closedir(dir2, cb::done));
      reqs.add(fs.rmdir(subdir, cb::done));
      reqs.add(fs.statfs(file, cb::done));
      int n = reqs.size();

      Timer timer = new Timer(loop);
      int[] timerCbCalled = {0};
      timer.start(10, 0, t -> {
        for (FsRequest r : reqs) {
          try {
            r.cancel();
          } catch (UvException e) {
            throw new AssertionError(r + " could not be cancelled", e);
          }
        }
        t.close();
        release.countDown();
        timerCbCalled[0]++;
      });
      assertEquals(0, loop.run());
      assertEquals(1, timerCbCalled[0]);
      assertEquals(n, errors.size());
      for (UvException e : errors) {
        assertEquals(Errno.ECANCELED, e.code(), e.getMessage());
        assertNotNull(e.syscall());
      }
      assertEquals(poolSize, blockersDone[0]);
      assertTrue(reqs.stream().allMatch(FsRequest::isDone));

      // The readdir and the closedir never ran: both Dirs are open and usable.
      assertEquals(List.of(), Fs.readdirSync(dir, 4));
      assertTrue(!dir2.isClosed());
      assertEquals(List.of(), Fs.readdirSync(dir2, 4));
    } finally {
      Fs.closedirSync(dir);
      Fs.closedirSync(dir2);
      Fs.closeSync(fd); // still open: the close was cancelled
    }
    // Nothing happened on disk.
    Stat s = Fs.statSync(file);
    assertEquals(3, s.size());
    assertEquals(0600, s.permissions());
    Set<String> names = new HashSet<>();
    Fs.scandirSync(tmp.toString()).forEach(e -> names.add(e.name()));
    assertEquals(Set.of("file", "subdir"), names);
  }

  // test-threadpool-cancel.c: threadpool_cancel_when_busy, for fs
  @Test
  void cancelOfACompletedFsRequestIsEbusy() throws Exception {
    try (Loop loop = Loop.create()) {
      FsRequest r = new Fs(loop).stat(tmp.toString(), (s, error) -> assertNull(error));
      assertTrue(!r.isDone());
      loop.run();
      assertTrue(r.isDone());
      UvException e = assertThrows(UvException.class, r::cancel);
      assertEquals(Errno.EBUSY, e.code());
    }
  }
}
