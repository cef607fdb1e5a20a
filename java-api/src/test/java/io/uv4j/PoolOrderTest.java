package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Batched pool completions keep libuv's order and libuv's decisions: a completion reaches Java
 * before libuv decides anything after it, so a handle its callback closes is not called back
 * afterwards (libuv would not call it), and completions keep the order libuv reported them in.
 * (The first batching design delivered a batch at the start of the next callback: the fuzzer
 * then saw callbacks of closed Check, FsPoll and Tcp handles.)
 */
@ExtendWith(LeakCheck.class)
class PoolOrderTest {
  static final int ROUNDS = 200;

  /** A Check handle closed by a work completion (poll phase) is not run in that check phase. */
  @Test
  void aCheckHandleClosedByAWorkCompletionIsNotCalledAfterIt() throws Exception {
    try (Loop loop = Loop.create()) {
      for (int i = 0; i < ROUNDS; i++) {
        List<String> events = new ArrayList<>();
        Check check = new Check(loop);
        check.start(c -> events.add("check"));
        loop.queueWork(() -> { }, error -> {
          assertNull(error);
          events.add("after");
          check.close();
        });
        loop.run();
        assertEquals("after", events.get(events.size() - 1), "round " + i + ": " + events);
      }
    }
  }

  /**
   * The work wakes a user Async from the pool thread, then completes: when libuv finds both
   * pending in one wake-up it runs the pool's completions first (its internal async comes first),
   * so the after-callback that closes the Async must keep it from being called in that pass.
   */
  @Test
  void anAsyncClosedByAWorkCompletionIsNotCalledAfterIt() throws Exception {
    try (Loop loop = Loop.create()) {
      for (int i = 0; i < ROUNDS; i++) {
        List<String> events = new ArrayList<>();
        Async async = new Async(loop, a -> events.add("async"));
        loop.queueWork(async::send, error -> {
          assertNull(error);
          events.add("after");
          async.close();
        });
        loop.run();
        int after = events.indexOf("after");
        assertTrue(after >= 0, "round " + i + ": " + events);
        assertEquals(after, events.size() - 1, "round " + i + ": " + events);
      }
    }
  }
}
