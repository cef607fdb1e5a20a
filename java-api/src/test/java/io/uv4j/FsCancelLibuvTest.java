package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's test-threadpool-cancel.c (v1.44.2) for fs requests, ported: requests queued behind a
 * busy pool are cancelled with ECANCELED and do nothing; cancelling a completed request is EBUSY.
 * Works in a fresh temporary directory.
 */
@ExtendWith(LeakCheck.class)
class FsCancelLibuvTest {
  @TempDir
  Path tmp;

  private String p(String name) {
    return tmp.resolve(name).toString();
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
    FsLibuvTest.touchFile(file, 3);
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
