package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * libuv's fs event tests (test-fs-event.c, v1.44.2) and the Java API around them. Every change is
 * made by a timer after the watcher started, and watchers are closed from their callback, so the
 * outcome does not depend on timing.
 */
@ExtendWith(LeakCheck.class)
class FsEventTest {
  @TempDir Path dir;
  private Loop loop;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
  }

  /** Only does something after a failed test, so one failure does not cascade into leak reports. */
  @AfterEach
  void cleanUp() throws UvException {
    if (!loop.isClosed() && !loop.isRunning()) {
      loop.shutdown();
    }
  }

  /** libuv's touch_file: append a few bytes (a content change). */
  private static void touch(Path p) {
    try {
      Files.write(p, "foo".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void never(FsEvent h, String filename, int events, UvException error) {
    org.junit.jupiter.api.Assertions.fail("this watcher must not be called: " + filename);
  }

  // test-fs-event.c: fs_event_watch_file
  @Test
  void fs_event_watch_file() throws Exception {
    Files.createFile(dir.resolve("file1"));
    Files.createFile(dir.resolve("file2"));
    int[] eventCalls = {0};
    int[] timerCalls = {0};
    int[] closes = {0};
    FsEvent watcher = new FsEvent(loop);
    watcher.start(dir.resolve("file2").toString(), 0, (h, filename, events, error) -> {
      eventCalls[0]++;
      assertSame(watcher, h);
      assertNull(error);
      assertEquals(FsEvent.CHANGE, events);
      assertEquals("file2", filename);
      h.stop();
      h.close(() -> closes[0]++);
    });
    // First tick touches the file nobody watches, the second the watched one.
    new Timer(loop).start(100, 100, t -> {
      timerCalls[0]++;
      if (timerCalls[0] == 1) {
        touch(dir.resolve("file1"));
      } else {
        touch(dir.resolve("file2"));
        t.close(() -> closes[0]++);
      }
    });
    loop.run();
    assertEquals(1, eventCalls[0]);
    assertEquals(2, timerCalls[0]);
    assertEquals(2, closes[0]);
    loop.close();
  }

  /** Watching a directory reports the entry's name, not a path. */
  @Test
  void watchingADirectoryReportsTheEntryName() throws Exception {
    Files.createFile(dir.resolve("file1"));
    List<String> seen = new ArrayList<>();
    FsEvent watcher = new FsEvent(loop);
    watcher.start(dir.toString(), 0, (h, filename, events, error) -> {
      assertNull(error);
      seen.add(filename + ":" + events);
      h.close();
    });
    new Timer(loop).start(50, t -> {
      touch(dir.resolve("file1"));
      t.close();
    });
    loop.run();
    assertEquals(List.of("file1:" + FsEvent.CHANGE), seen);
    loop.close();
  }

  /** A new entry in a watched directory is a RENAME event (libuv maps inotify's IN_CREATE so). */
  @Test
  void creatingAnEntryIsARenameEvent() throws Exception {
    List<String> seen = new ArrayList<>();
    FsEvent watcher = new FsEvent(loop);
    watcher.start(dir.toString(), 0, (h, filename, events, error) -> {
      assertNull(error);
      seen.add(filename + ":" + events);
      h.close();
    });
    new Timer(loop).start(50, t -> {
      try {
        Files.createFile(dir.resolve("new-entry"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      t.close();
    });
    loop.run();
    assertEquals(List.of("new-entry:" + FsEvent.RENAME), seen);
    loop.close();
  }

  /** Names cross as UTF-8, so characters outside the BMP survive both ways. */
  @Test
  void namesOutsideTheBmpSurvive() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("d\u00e9j\u00e0-\uD83D\uDE00"));
    String name = "f\u00efl\u00e9-\uD83D\uDCA9.txt";
    Files.createFile(sub.resolve(name));
    List<String> seen = new ArrayList<>();
    FsEvent watcher = new FsEvent(loop);
    watcher.start(sub.toString(), 0, (h, filename, events, error) -> {
      seen.add(filename);
      h.close();
    });
    assertEquals(sub.toString(), watcher.getPath());
    new Timer(loop).start(50, t -> {
      touch(sub.resolve(name));
      t.close();
    });
    loop.run();
    assertEquals(List.of(name), seen);
    loop.close();
  }

  @Test
  void callbackRunsOnTheLoopThread() throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    Thread[] callbackThread = new Thread[1];
    FsEvent watcher = new FsEvent(loop);
    watcher.start(file.toString(), 0, (h, filename, events, error) -> {
      callbackThread[0] = Thread.currentThread();
      h.close();
    });
    new Timer(loop).start(50, t -> {
      touch(file);
      t.close();
    });
    loop.run();
    assertSame(Thread.currentThread(), callbackThread[0]);
    loop.close();
  }

  // test-fs-event.c: fs_event_watch_invalid_path (start fails at once; the handle stays inactive)
  @Test
  void fs_event_watch_invalid_path() throws Exception {
    FsEvent watcher = new FsEvent(loop);
    String missing = dir.resolve("no-such-file").toString();
    UvException e = assertThrows(UvException.class, () -> watcher.start(missing, 0, FsEventTest::never));
    assertEquals(Errno.ENOENT, e.code());
    assertEquals("uv_fs_event_start", e.syscall());
    assertEquals(missing, e.path());
    assertFalse(watcher.isActive());
    assertNull(watcher.getPath());
    assertThrows(UvException.class, () -> watcher.start("", 0, FsEventTest::never));
    assertFalse(watcher.isActive());
    // Still usable after failing.
    watcher.start(dir.toString(), 0, FsEventTest::never);
    assertTrue(watcher.isActive());
    watcher.close();
    loop.run();
    loop.close();
  }

  // test-fs-event.c: fs_event_getpath (the path comes back exactly as given)
  @Test
  void fs_event_getpath() throws Exception {
    Files.createDirectories(dir.resolve("watch_dir/subfolder"));
    String base = dir.resolve("watch_dir").toString();
    String[] spellings = {
      base, base + "/", base + "///", base + "/subfolder/..", base + "//subfolder//..//",
    };
    for (String path : spellings) {
      FsEvent watcher = new FsEvent(loop);
      assertNull(watcher.getPath(), "not started");
      watcher.start(path, 0, FsEventTest::never);
      assertEquals(path, watcher.getPath());
      watcher.stop();
      assertNull(watcher.getPath(), "stopped");
      int[] closed = {0};
      watcher.close(() -> closed[0]++);
      loop.run();
      assertEquals(1, closed[0]);
      assertThrows(IllegalStateException.class, watcher::getPath);
    }
    loop.close();
  }

  // test-fs-event.c: fs_event_stop_in_cb (no callback after stop, even for later changes)
  @Test
  void fs_event_stop_in_cb() throws Exception {
    Path file = Files.createFile(dir.resolve("fs_event_stop_in_cb.txt"));
    int[] eventCalls = {0};
    int[] touches = {0};
    FsEvent watcher = new FsEvent(loop);
    watcher.start(file.toString(), 0, (h, filename, events, error) -> {
      h.stop();
      assertFalse(h.isActive());
      eventCalls[0]++;
    });
    new Timer(loop).start(100, 100, t -> {
      touch(file);
      if (++touches[0] == 3) {
        t.close();
      }
    });
    loop.run(); // the stopped watcher does not keep the loop alive
    assertEquals(1, eventCalls[0]);
    assertEquals(3, touches[0]);
    watcher.close();
    loop.run();
    assertEquals(1, eventCalls[0]);
    loop.close();
  }

  // test-fs-event.c: fs_event_start_and_close / fs_event_no_callback_on_close
  @Test
  void closingAnActiveWatcherCallsNothing() throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    FsEvent watcher = new FsEvent(loop);
    watcher.start(file.toString(), 0, FsEventTest::never);
    touch(file); // pending in the kernel when the handle closes
    int[] closed = {0};
    watcher.close(() -> closed[0]++);
    loop.run();
    assertEquals(1, closed[0]);
    loop.close();
  }

  @Test
  void misuse() throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    FsEvent watcher = new FsEvent(loop);
    assertThrows(NullPointerException.class, () -> watcher.start(null, 0, FsEventTest::never));
    assertThrows(NullPointerException.class, () -> watcher.start(file.toString(), 0, null));
    assertThrows(IllegalArgumentException.class, () -> watcher.start("a\0b", 0, FsEventTest::never));
    watcher.start(file.toString(), 0, FsEventTest::never);
    // libuv answers EINVAL for a second start: the Java API says why.
    assertThrows(IllegalStateException.class, () -> watcher.start(file.toString(), 0, FsEventTest::never));
    assertEquals(file.toString(), watcher.getPath(), "the first watch is unchanged");
    watcher.stop();
    watcher.stop(); // stopping twice is fine
    watcher.start(file.toString(), 0, FsEventTest::never); // restart after stop
    assertTrue(watcher.isActive());
    watcher.close();
    assertThrows(IllegalStateException.class, () -> watcher.start(file.toString(), 0, FsEventTest::never));
    assertThrows(IllegalStateException.class, watcher::stop);
    loop.run();
    loop.close();
  }

  /** A callback that throws stops the loop and run() rethrows, like every other callback. */
  @Test
  void exceptionFromTheCallbackReachesRun() throws Exception {
    Path file = Files.createFile(dir.resolve("f"));
    FsEvent watcher = new FsEvent(loop);
    watcher.start(file.toString(), 0, (h, filename, events, error) -> {
      h.close();
      throw new IllegalStateException("boom");
    });
    new Timer(loop).start(50, t -> {
      touch(file);
      t.close();
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, loop::run);
    assertEquals("boom", e.getMessage());
    loop.run();
    loop.close();
  }
}
