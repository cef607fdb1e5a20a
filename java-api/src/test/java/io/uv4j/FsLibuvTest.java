package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's own fs tests of test-fs.c (v1.44.2) ported to the Java API, and the helpers of
 * {@link FsReaddirLibuvTest}, {@link FsCopyfileLibuvTest} and {@link FsCancelLibuvTest} (the ports
 * of test-fs-readdir.c, test-fs-copyfile.c and test-threadpool-cancel.c). libuv works in its
 * current directory; these work in a fresh temporary directory.
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

  /** C's unlink() whose result the libuv tests ignore. */
  static void unlinkIfPresent(String path) throws UvException {
    try {
      Fs.unlinkSync(path);
    } catch (UvException e) {
      assertEquals(Errno.ENOENT, e.code());
    }
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

}
