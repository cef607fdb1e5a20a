package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poll on descriptors opened by the test itself: the two ends of a FIFO (opened with
 * {@link Fs#openSync}, non-blocking), a regular file, and descriptors libuv owns. Socket cases
 * (out-of-band data, duplex) are in {@link PollChildJvmTest}. Ports of libuv's test-poll*.c keep
 * their names.
 */
@ExtendWith(LeakCheck.class)
class PollTest {
  @TempDir Path dir;
  Loop loop;
  String fifo;
  final List<Integer> toClose = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    loop = Loop.create();
    fifo = dir.resolve("fifo").toString();
    assertEquals(0, new ProcessBuilder("mkfifo", fifo).start().waitFor(), "mkfifo");
  }

  @AfterEach
  void tearDown() throws Exception {
    loop.shutdown();
    for (int fd : toClose) {
      Fs.closeSync(fd);
    }
  }

  int reader() throws UvException {
    int fd = Fs.openSync(fifo, Fs.O_RDONLY | Fs.O_NONBLOCK, 0);
    toClose.add(fd);
    return fd;
  }

  /** Needs a reader first (a FIFO without one refuses a non-blocking writer: ENXIO). */
  int writer() throws UvException {
    int fd = Fs.openSync(fifo, Fs.O_WRONLY | Fs.O_NONBLOCK, 0);
    toClose.add(fd);
    return fd;
  }

  void closeFd(int fd) throws UvException {
    toClose.remove(Integer.valueOf(fd));
    Fs.closeSync(fd);
  }

  @Test
  void readableWritableAndDisconnect() throws Exception {
    int r = reader();
    int w = writer();
    List<String> seen = new ArrayList<>();
    Poll pw = new Poll(loop, w);
    assertEquals(w, pw.fd());
    pw.start(Poll.WRITABLE, (p, error, events) -> {
      assertNull(error);
      assertSame(pw, p);
      seen.add("writable " + events);
      p.stop();
    });
    assertTrue(pw.isActive());
    loop.run();
    assertEquals(List.of("writable " + Poll.WRITABLE), seen);
    assertFalse(pw.isActive());

    seen.clear();
    Poll pr = new Poll(loop, r);
    ByteBuffer buf = ByteBuffer.allocateDirect(16);
    pr.start(Poll.READABLE | Poll.DISCONNECT, (p, error, events) -> {
      assertNull(error);
      if ((events & Poll.DISCONNECT) != 0) {
        seen.add("disconnect " + events);
        p.close();
        return;
      }
      seen.add("readable " + events);
      try {
        buf.clear();
        assertEquals(5, Fs.readSync(r, buf, -1));
        // the writer goes away: the reader sees the hang-up
        pw.close();
        closeFd(w);
      } catch (UvException e) {
        throw new AssertionError(e);
      }
    });
    Fs.writeSync(w, ByteBuffer.wrap("hello".getBytes()), -1);
    loop.run();
    assertEquals(List.of("readable " + Poll.READABLE,
        "disconnect " + (Poll.READABLE | Poll.DISCONNECT)), seen);
    assertTrue(pr.isClosed());
  }

  @Test
  void eventsZeroStopsAndRestartChangesTheEvents() throws Exception {
    reader();
    int w = writer();
    Poll p = new Poll(loop, w);
    int[] calls = {0};
    p.start(Poll.WRITABLE, (h, e, ev) -> calls[0]++);
    p.start(0, (h, e, ev) -> calls[0]++);
    assertFalse(p.isActive());
    assertEquals(0, loop.run());
    assertEquals(0, calls[0]);
    p.start(Poll.READABLE, (h, e, ev) -> calls[0]++); // a writer's end never becomes readable
    p.start(Poll.WRITABLE, (h, e, ev) -> {
      calls[0] += 10;
      h.close();
    });
    loop.run();
    assertEquals(10, calls[0]);
  }

  /** libuv's poll_bad_fdtype: epoll cannot watch a regular file. */
  @Test
  void poll_bad_fdtype() throws Exception {
    Path file = dir.resolve("empty_file");
    Files.createFile(file);
    int fd = Fs.openSync(file.toString(), Fs.O_RDONLY, 0);
    toClose.add(fd);
    UvException e = assertThrows(UvException.class, () -> new Poll(loop, fd));
    if (System.getProperty("os.name").startsWith("Linux")) {
      assertEquals(Errno.EPERM, e.code(), e.getMessage());
    }
    assertTrue(e.getMessage().contains("uv_poll_init"), e.getMessage());
    assertEquals(0, Uv.liveHandles(), "the failed handle was freed");
    int dirFd = Fs.openSync(dir.toString(), Fs.O_RDONLY, 0);
    toClose.add(dirFd);
    assertThrows(UvException.class, () -> new Poll(loop, dirFd));
  }

  /** libuv's poll_close: many started watchers closed at once. */
  @Test
  void poll_close() throws Exception {
    int n = 64;
    int[] closed = {0};
    List<Poll> polls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Poll p = new Poll(loop, reader());
      p.start(Poll.READABLE | Poll.WRITABLE, (h, e, ev) -> {});
      polls.add(p);
    }
    for (Poll p : polls) {
      p.close(() -> closed[0]++);
    }
    loop.run();
    assertEquals(n, closed[0]);
  }

  /**
   * libuv's poll_multiple_handles: libuv lets a second handle on a descriptor init, then
   * answers EEXIST at its start; uv4j refuses the second handle at once (one owner per fd).
   */
  @Test
  void poll_multiple_handles() throws Exception {
    int r = reader();
    Poll first = new Poll(loop, r);
    first.start(Poll.READABLE, (h, e, ev) -> {});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Poll(loop, r));
    assertTrue(e.getMessage().contains("belongs to Poll"), e.getMessage());
    Loop other = Loop.create();
    try {
      assertThrows(IllegalArgumentException.class, () -> new Poll(other, r));
    } finally {
      other.close();
    }
    first.stop();
    first.close();
    loop.run();
    Poll again = new Poll(loop, r); // free again once the first one closed
    again.close();
  }

  /** libuv's poll_closesocket, the uv4j way: the descriptor cannot be closed under a live Poll. */
  @Test
  void poll_closesocket() throws Exception {
    reader();
    int w = writer();
    Poll p = new Poll(loop, w);
    p.start(Poll.WRITABLE, (h, error, events) -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fs.closeSync(w));
      assertTrue(e.getMessage().contains("belongs to Poll"), e.getMessage());
      h.close();
    });
    loop.run();
    closeFd(w); // fine once the Poll closed
  }

  @Test
  void descriptorsLibuvOwnsAreRefused() throws Exception {
    Tcp tcp = new Tcp(loop);
    tcp.bind(new InetSocketAddress("127.0.0.1", 0));
    int socket = tcp.fileno();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Poll(loop, socket));
    assertTrue(e.getMessage().contains("belongs to Tcp"), e.getMessage());
    for (int fd : OwnedFds.snapshot().keySet()) {
      if (OwnedFds.owner(fd) == loop) {
        assertThrows(IllegalArgumentException.class, () -> new Poll(loop, fd), "loop fd " + fd);
      }
    }
    tcp.close();
    loop.run();
  }

  @Test
  void misuse() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> new Poll(loop, -1));
    assertThrows(NullPointerException.class, () -> new Poll(null, 0));
    int r = reader();
    closeFd(r);
    UvException bad = assertThrows(UvException.class, () -> new Poll(loop, r));
    assertEquals(Errno.EBADF, bad.code(), bad.getMessage());

    int r2 = reader();
    Poll p = new Poll(loop, r2);
    for (int events : new int[] {16, -1, 0x100, Poll.READABLE | 32}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> p.start(events, (h, x, ev) -> {}));
      assertTrue(e.getMessage().contains("unknown Poll events"), e.getMessage());
    }
    assertThrows(NullPointerException.class, () -> p.start(Poll.READABLE, null));
    assertFalse(p.isActive());
    p.close();
    assertThrows(IllegalStateException.class, () -> p.start(Poll.READABLE, (h, x, ev) -> {}));
    assertThrows(IllegalStateException.class, p::stop);
    p.close();
    loop.run();
    assertTrue(p.isClosed());
    assertTrue(p.toString().contains("fd " + r2), p.toString());
    assertEquals(1, Poll.READABLE);
    assertEquals(2, Poll.WRITABLE);
    assertEquals(4, Poll.DISCONNECT);
    assertEquals(8, Poll.PRIORITIZED);
  }

  @Test
  void aThrowingCallbackGoesToTheLoop() throws Exception {
    reader();
    int w = writer();
    List<Throwable> seen = new ArrayList<>();
    loop.setExceptionHandler((source, t) -> seen.add(t));
    RuntimeException boom = new IllegalStateException("boom");
    Poll p = new Poll(loop, w);
    int[] calls = {0};
    p.start(Poll.WRITABLE, (h, e, ev) -> {
      if (++calls[0] == 3) {
        h.close(); // level-triggered: called again while it stays writable
      }
      throw boom;
    });
    loop.run();
    assertEquals(3, calls[0]);
    assertEquals(List.of(boom, boom, boom), seen);
  }
}
