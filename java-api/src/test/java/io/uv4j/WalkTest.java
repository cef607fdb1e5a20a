package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Port of libuv's test/test-walk-handles.c (v1.44.2), then what uv4j adds on top of uv_walk:
 * {@link Loop#handles()} and {@link Loop#describeHandles()}.
 */
@ExtendWith(LeakCheck.class)
class WalkTest {
  private Loop loop;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
  }

  /** Tests close their loop themselves; one left open is a failure, cleaned up so it stays one. */
  @AfterEach
  void closeLoop() throws UvException {
    if (!loop.isClosed()) {
      loop.shutdown();
      fail("the test left its loop open");
    }
  }

  /**
   * Mirrors test-walk-handles.c walk_handles: from the timer's callback the walk sees exactly the
   * timer (not uv4j's internal wake-up handle); once it closed, the walk sees nothing.
   */
  @Test
  void walk_handles() throws UvException {
    int[] seenTimer = {0};
    Timer timer = new Timer(loop);
    timer.start(1, 0, t -> {
      assertSame(timer, t);
      loop.walk(h -> {
        if (h == timer) {
          seenTimer[0]++;
        } else {
          fail("unexpected handle " + h);
        }
      });
      t.close();
    });

    // Run the loop, expect to see the timer in the walk.
    assertEquals(0, seenTimer[0]);
    assertEquals(0, loop.run());
    assertEquals(1, seenTimer[0]);

    // The loop is finished: the walk does not see the timer.
    seenTimer[0] = 0;
    loop.walk(h -> fail("unexpected handle " + h));
    assertEquals(0, seenTimer[0]);
    loop.close();
  }

  /** handles() lists every handle, inactive and closing ones included, until closed. */
  @Test
  void handlesIncludeInactiveAndClosing() throws UvException {
    assertEquals(List.of(), loop.handles()); // the internal wake-up handle is hidden
    Timer timer = new Timer(loop);
    Idle idle = new Idle(loop);
    Async async = new Async(loop, a -> {});
    assertEquals(Set.of(timer, idle, async), Set.copyOf(loop.handles()));

    idle.close();
    assertEquals(Set.of(timer, idle, async), Set.copyOf(loop.handles())); // closing: still listed
    assertThrows(UnsupportedOperationException.class, () -> loop.handles().clear());

    List<Handle> walked = new ArrayList<>();
    loop.walk(walked::add);
    assertEquals(loop.handles(), walked);

    timer.close();
    async.close();
    assertEquals(0, loop.run());
    assertEquals(List.of(), loop.handles());
    loop.close();
  }

  /** describeHandles(): one line per handle, [R-] referenced, [-A] active, like uv_print_all_handles. */
  @Test
  void describeHandlesShowsRefAndActiveFlags() throws UvException {
    assertEquals("", loop.describeHandles());

    Timer timer = new Timer(loop);
    timer.start(60_000, 0, t -> fail("not due"));
    Idle idle = new Idle(loop);
    idle.unref();
    Prepare prepare = new Prepare(loop);
    prepare.start(p -> {});
    prepare.unref();
    Check check = new Check(loop);

    String text = loop.describeHandles();
    List<String> lines = List.of(text.split("\n"));
    assertEquals(4, lines.size(), text);
    assertTrue(text.endsWith("\n"), text);
    assertEquals(Set.of(
        "[RA] " + timer,
        "[--] " + idle,
        "[-A] " + prepare,
        "[R-] " + check), Set.copyOf(lines));

    loop.shutdown();
  }
}
