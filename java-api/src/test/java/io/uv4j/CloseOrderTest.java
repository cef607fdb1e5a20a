package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ports of libuv's test/test-close-order.c and test/test-callback-stack.c (v1.44.2): when close
 * callbacks run, and that no callback runs inside the call that scheduled it.
 */
@ExtendWith(LeakCheck.class)
class CloseOrderTest {
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
   * Mirrors test-close-order.c close_order: the check callback runs before the close callback of
   * a timer closed earlier in the same iteration. Also asserts uv4j's documented order of close
   * callbacks: last closed, first called.
   */
  @Test
  void close_order() throws UvException {
    int[] checkCalls = {0};
    int[] timerCalls = {0};
    List<String> closed = new ArrayList<>();
    Check check = new Check(loop);
    Timer timer1 = new Timer(loop);
    Timer timer2 = new Timer(loop);

    check.start(h -> {
      assertEquals(0, checkCalls[0]);
      assertEquals(1, timerCalls[0]);
      assertEquals(List.of(), closed); // check callbacks run before any close callback
      h.close(() -> closed.add("check"));
      timer2.close(() -> closed.add("timer2"));
      checkCalls[0]++;
    });
    timer1.start(0, 0, t -> {
      t.close(() -> closed.add("timer1"));
      timerCalls[0]++;
    });
    timer2.start(100_000, 0, t -> {
      t.close(() -> closed.add("timer2 from its callback"));
      timerCalls[0]++;
    });

    assertEquals(0, checkCalls[0]);
    assertEquals(List.of(), closed);
    assertEquals(0, timerCalls[0]);

    assertEquals(0, loop.run());

    assertEquals(1, checkCalls[0]);
    assertEquals(3, closed.size());
    assertEquals(1, timerCalls[0]);
    assertEquals(List.of("timer2", "check", "timer1"), closed);
    loop.close();
  }

  private int nested;
  private int timerCalls;
  private int closeCalls;

  /**
   * Mirrors test-callback-stack.c callback_stack, the parts that need no TCP: a timer callback
   * never runs inside Timer.start() (even with a zero timeout, from inside a running loop) and a
   * close callback never runs inside close(); each comes from a fresh stack.
   *
   * <p>Left for the TCP work: the C test connects to the echo server and also checks that
   * connect_cb, write_cb, read_cb (data and EOF) and shutdown_cb never run inside uv_tcp_connect,
   * uv_write, uv_read_start or uv_shutdown, and that the close callback of the TCP handle
   * closed in read_cb does not either.
   */
  @Test
  void callback_stack() throws UvException {
    Timer timer = new Timer(loop);
    Timer timer2 = new Timer(loop);

    nested++;
    timer.start(0, 0, t -> {
      assertSame(timer, t);
      assertEquals(0, nested, "timer callback must be called from a fresh stack");

      // Started inside a running loop with a zero timeout: still not called from here.
      nested++;
      timer2.start(0, 0, t2 -> {
        assertEquals(0, nested, "timer callback must be called from a fresh stack");
        timerCalls++;
        nested++;
        t2.close(this::closeCallback);
        nested--;
      });
      nested--;

      timerCalls++;
      nested++;
      t.close(this::closeCallback);
      nested--;
    });
    nested--;

    assertEquals(0, loop.run());

    assertEquals(0, nested);
    assertEquals(2, timerCalls, "each timer callback must be called exactly once");
    assertEquals(2, closeCalls, "close callback must be called exactly twice");
    loop.close();
  }

  private void closeCallback() {
    assertEquals(0, nested, "close callback must be called from a fresh stack");
    closeCalls++;
  }

  /** A close callback may close another handle; that one's callback runs in a later pass. */
  @Test
  void closeFromCloseCallback() throws UvException {
    List<String> events = new ArrayList<>();
    Idle a = new Idle(loop);
    Idle b = new Idle(loop);
    a.close(() -> {
      events.add("a closed");
      b.close(() -> events.add("b closed"));
      events.add("b.close() returned");
    });

    assertEquals(0, loop.run());

    assertEquals(List.of("a closed", "b.close() returned", "b closed"), events);
    assertTrue(a.isClosed());
    assertTrue(b.isClosed());
    loop.close();
  }
}
