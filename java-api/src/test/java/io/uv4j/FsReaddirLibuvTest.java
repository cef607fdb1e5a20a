package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's test-fs-readdir.c (v1.44.2) ported: readdir of an empty directory, of a missing one
 * and of a file, and of a directory with entries, one per call. Works in a fresh temporary
 * directory.
 */
@ExtendWith(LeakCheck.class)
class FsReaddirLibuvTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
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
}
