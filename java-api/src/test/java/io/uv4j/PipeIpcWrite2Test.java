package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Handle passing's preconditions and queued writes: every precondition Pipe checks in write2
 * and in the accept of a pending handle before libuv sees the call, a channel closed or shut down
 * with write2 calls queued (channels sent over themselves and each other included), and a handle
 * closed before its queued write2 (EBADF). Helpers are {@link PipeIpcTest}'s.
 */
@ExtendWith(LeakCheck.class)
class PipeIpcWrite2Test {
  @TempDir
  Path dir;

  // ---------------------------------------------------------------- preconditions

  @Test
  void write2_preconditions() throws Exception {
    try (Loop loop = Loop.create(); Loop other = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Pipe[] plain = Pipe.pair(loop, false);
      Tcp bound = new Tcp(loop);
      bound.bind(PipeIpcTest.ANY_LOCAL);
      byte[] one = {1};
      StreamCallback cb = (s, e) -> {};
      IllegalStateException notIpc = assertThrows(IllegalStateException.class, () -> plain[0].write2(one, bound, cb));
      assertTrue(notIpc.getMessage().contains("ipc = true"), notIpc.getMessage());
      assertThrows(IllegalArgumentException.class, () -> ch[0].write2(new byte[0], bound, cb));
      assertThrows(NullPointerException.class, () -> ch[0].write2(one, bound, null));
      assertThrows(NullPointerException.class, () -> ch[0].write2((byte[]) null, bound, cb));
      Timer t = new Timer(loop);
      assertThrows(IllegalArgumentException.class, () -> ch[0].write2(one, t, cb));
      Tcp foreign = new Tcp(other);
      assertThrows(IllegalArgumentException.class, () -> ch[0].write2(one, foreign, cb));
      Tcp fresh = new Tcp(loop); // no socket yet
      UncheckedIOException badf = assertThrows(UncheckedIOException.class, () -> ch[0].write2(one, fresh, cb));
      assertEquals("EBADF", ((UvException) badf.getCause()).errorName());
      Tcp closed = new Tcp(loop);
      closed.close();
      assertThrows(IllegalStateException.class, () -> ch[0].write2(one, closed, cb));
      // an IPC pipe cannot listen (libuv: EINVAL), so write2 never meets a listening one
      Pipe listening = new Pipe(loop, true);
      listening.bind(dir.resolve("l.sock").toString());
      UvException einval = assertThrows(UvException.class, () -> listening.listen(1, (s, e) -> {}));
      assertEquals("EINVAL", einval.errorName());
      // null handle: a plain write
      int[] done = new int[1];
      ch[0].write2(one, null, (s, e) -> done[0]++);
      assertEquals(0, ch[0].pendingCount());
      for (Handle h : new Handle[] {ch[0], ch[1], plain[0], plain[1], bound, t, foreign, fresh, listening}) {
        h.close();
      }
      loop.run();
      other.run();
      assertEquals(1, done[0]);
      assertEquals(0, plain[0].isClosed() ? 0 : 1);
    }
  }

  @Test
  void accept_pending_preconditions() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = Pipe.pair(loop, true);
      Pipe[] plain = Pipe.pair(loop, false);
      Tcp spare = new Tcp(loop);
      UncheckedIOException none = assertThrows(UncheckedIOException.class, () -> ch[1].acceptPending(spare));
      assertEquals("EAGAIN", ((UvException) none.getCause()).errorName());
      assertThrows(IllegalStateException.class, () -> plain[1].acceptPending(spare));
      assertEquals(0, plain[1].pendingCount());
      assertEquals(Uv.HandleType.UNKNOWN, plain[1].pendingType());
      assertThrows(NullPointerException.class, () -> ch[1].acceptPending(null));
      assertThrows(IllegalArgumentException.class, () -> ch[1].acceptPending(ch[1]));
      Tcp server = new Tcp(loop);
      server.bind(PipeIpcTest.ANY_LOCAL);
      ch[0].write2("s".getBytes(US_ASCII), server, (s, e) -> server.close());
      List<String> outcomes = new ArrayList<>();
      ch[1].readStart((s, data) -> {
        Pipe p = (Pipe) s;
        Pipe wrongKind = new Pipe(loop, false);
        outcomes.add(assertThrows(IllegalArgumentException.class, () -> p.acceptPending(wrongKind)).getMessage());
        Tcp used = new Tcp(loop);
        try {
          used.bind(PipeIpcTest.ANY_LOCAL);
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        outcomes.add(assertThrows(IllegalStateException.class, () -> p.acceptPending(used)).getMessage());
        assertEquals(1, p.pendingCount(), "a refused accept leaves the handle pending");
        Tcp ok = new Tcp(loop);
        p.acceptPending(ok);
        assertEquals(0, p.pendingCount());
        for (Handle h : new Handle[] {wrongKind, used, ok, spare, ch[0], ch[1], plain[0], plain[1]}) {
          h.close();
        }
      });
      loop.run();
      assertEquals(2, outcomes.size());
      assertTrue(outcomes.get(0).contains("accept it into a Tcp"), outcomes.get(0));
      assertTrue(outcomes.get(1).contains("new handle without a socket"), outcomes.get(1));
    }
  }

  /** A channel whose socket buffer is full (the peer does not read), so the next write queues. */
  private static Pipe[] backedUpChannel(Loop loop) throws UvException {
    Pipe[] ch = Pipe.pair(loop, true);
    ch[0].writeWaterMarks(0, Long.MAX_VALUE);
    byte[] chunk = new byte[64 * 1024];
    while (ch[0].writeQueueSize() == 0) {
      ch[0].write(chunk);
    }
    return ch;
  }

  // Closing the channel with a write2 queued cancels it; nothing leaks (LeakCheck), whichever of
  // the channel and the sent handle closes first. Closed first, the sent handle's close callback
  // runs while libuv's queued write still points at it: its memory waits for that write.
  @Test
  void channel_closed_with_write2_queued() throws Exception {
    for (boolean handleFirst : new boolean[] {true, false}) {
      try (Loop loop = Loop.create()) {
        Pipe[] ch = backedUpChannel(loop);
        Tcp server = new Tcp(loop);
        server.bind(PipeIpcTest.ANY_LOCAL);
        List<String> events = new ArrayList<>();
        ch[0].write2("s".getBytes(US_ASCII), server, (s, e) -> events.add("write2 " + (e == null ? "ok" : e.errorName())));
        if (handleFirst) {
          server.close(() -> events.add("server closed"));
          ch[0].close(() -> events.add("channel closed"));
        } else {
          ch[0].close(() -> events.add("channel closed"));
          server.close(() -> events.add("server closed"));
        }
        ch[1].close();
        loop.run();
        // close callbacks run last-closed-first; the channel's cancels its writes first
        assertEquals(handleFirst ? List.of("write2 ECANCELED", "channel closed", "server closed")
            : List.of("server closed", "write2 ECANCELED", "channel closed"), events);
      }
    }
  }

  // A channel sent over itself, and two channels sending each other, with the writes stuck:
  // Loop.shutdown still closes everything (nothing waits on a peer that does not read).
  @Test
  void shutdown_with_channels_sent_over_themselves_and_each_other() throws Exception {
    Loop loop = Loop.create();
    Pipe[] a = backedUpChannel(loop);
    Pipe[] b = backedUpChannel(loop);
    int[] done = new int[1];
    a[0].write2("x".getBytes(US_ASCII), a[0], (s, e) -> done[0]++);
    a[0].write2("y".getBytes(US_ASCII), b[0], (s, e) -> done[0]++);
    b[0].write2("z".getBytes(US_ASCII), a[0], (s, e) -> done[0]++);
    loop.shutdown();
    assertEquals(3, done[0]);
    assertTrue(a[0].isClosed() && b[0].isClosed());
  }

  // libuv's semantics: a handle closed while the write2 that sends it is still queued makes that
  // write fail with EBADF when its turn comes; the channel goes on with the next write.
  @Test
  void sent_handle_closed_before_its_queued_write2_fails_it_with_EBADF() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe[] ch = backedUpChannel(loop);
      Tcp server = new Tcp(loop);
      server.bind(PipeIpcTest.ANY_LOCAL);
      List<String> events = new ArrayList<>();
      ch[0].write2("s".getBytes(US_ASCII), server, (s, e) -> events.add("write2 " + (e == null ? "ok" : e.errorName())));
      ch[0].write("after".getBytes(US_ASCII), 0, 5, (s, e) -> events.add("after " + (e == null ? "ok" : e.errorName())));
      server.close(() -> events.add("server closed"));
      loop.run(RunMode.NOWAIT); // the close callback runs; the writes still wait for the reader
      assertEquals(List.of("server closed"), events);
      StringBuilder tail = new StringBuilder();
      int[] pending = new int[1];
      ch[1].readStart((s, data) -> {
        pending[0] += ((Pipe) s).pendingCount();
        String text = US_ASCII.decode(data).toString().replace("\0", "");
        tail.append(text);
        if (tail.toString().endsWith("after")) {
          ch[0].close();
          s.close();
        }
      });
      loop.run();
      assertEquals(List.of("server closed", "write2 EBADF", "after ok"), events);
      assertEquals(0, pending[0], "no handle arrived");
      assertTrue(tail.toString().endsWith("after") && !tail.toString().contains("s"), "the failed write sent nothing");
    }
  }
}
