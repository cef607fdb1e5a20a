package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Misuse of AbortController, AbortSignal and timers/promises: Node's coded errors, never a hang. */
@ExtendWith(LeakCheck.class)
class AbortControllerTest {
  @Test
  void nullRuntimeIsRejected() {
    assertThrows(NullPointerException.class, () -> new AbortController(null));
    assertThrows(NullPointerException.class, () -> AbortSignal.abort(null));
    assertThrows(NullPointerException.class, () -> AbortSignal.timeout(null, 1));
    assertThrows(NullPointerException.class, () -> AbortSignal.any(null, List.of()));
    assertThrows(NullPointerException.class, () -> TimersPromises.setTimeout(null, 1, "v"));
    assertThrows(NullPointerException.class, () -> TimersPromises.setImmediate(null, "v"));
  }

  @Test
  void timeoutDelayOutOfRangeIsNodesRangeError() {
    NodeTesting.run(node -> {
      String prefix = "The value of \"delay\" is out of range. It must be ";
      double[] bad = {-1, 1.5, Double.NaN, Double.POSITIVE_INFINITY, 4294967296d, 5e9};
      String[] messages = {">= 0 && <= 4294967295. Received -1", "an integer. Received 1.5",
          "an integer. Received NaN", "an integer. Received Infinity",
          ">= 0 && <= 4294967295. Received 4294967296", ">= 0 && <= 4294967295. Received 5_000_000_000"};
      for (int i = 0; i < bad.length; i++) {
        double d = bad[i];
        NodeError e = assertThrows(NodeError.class, () -> AbortSignal.timeout(node, d));
        assertEquals("ERR_OUT_OF_RANGE", e.code());
        assertEquals("RangeError", e.name());
        assertEquals(prefix + messages[i], e.getMessage());
      }
    });
  }

  @Test
  void anyRejectsNullListsAndElementsWithNodesTypeError() {
    NodeTesting.run(node -> {
      NodeError e = assertThrows(NodeError.class, () -> AbortSignal.any(node, null));
      assertEquals("ERR_INVALID_ARG_TYPE", e.code());
      assertEquals("TypeError [ERR_INVALID_ARG_TYPE]: The \"signals\" argument must be an instance of Array. "
          + "Received null", e.toString());
      AbortSignal ok = new AbortController(node).signal();
      e = assertThrows(NodeError.class, () -> AbortSignal.any(node, Arrays.asList(ok, null)));
      assertEquals("The \"signals[1]\" argument must be an instance of AbortSignal. Received null", e.getMessage());
    });
  }

  @Test
  void usingASignalFromAnotherThreadThrowsIllegalState() {
    NodeTesting.run(node -> {
      AbortController ac = new AbortController(node);
      AtomicReference<Throwable> seen = new AtomicReference<>();
      Thread t = new Thread(() -> {
        List<Runnable> calls = List.of(ac::abort, () -> ac.signal().aborted(),
            () -> ac.signal().addEventListener("abort", () -> { }),
            () -> TimersPromises.setTimeout(node, 1, "x"), () -> AbortSignal.timeout(node, 1),
            () -> new AbortController(node));
        for (Runnable r : calls) {
          try {
            r.run();
            seen.compareAndSet(null, new AssertionError("no exception"));
          } catch (IllegalStateException expected) {
            // as the rest of the layer
          } catch (Throwable other) {
            seen.compareAndSet(null, other);
          }
        }
      });
      t.start();
      t.join();
      if (seen.get() != null) {
        throw new AssertionError(seen.get());
      }
      assertFalse(ac.signal().aborted(), "nothing happened");
    });
  }

  @Test
  void nullListenerOnlyWarnsAndNullTypeIsRejected() {
    List<String> warnings = new ArrayList<>();
    NodeTesting.run(node -> {
      node.onWarning(w -> warnings.add(w.name() + ": " + w.getMessage()));
      AbortController ac = new AbortController(node);
      ac.signal().addEventListener("abort", (Consumer<AbortSignal.Event>) null);
      ac.signal().removeEventListener("abort", null);
      assertThrows(NullPointerException.class, () -> ac.signal().addEventListener(null, () -> { }));
      assertEquals(0, EventEmitter.listenerCount(ac.signal(), "abort"));
      ac.abort();
    });
    assertEquals(List.of("AddEventListenerArgumentTypeWarning: addEventListener called with undefined which has no "
        + "effect."), warnings);
  }

  @Test
  void elevenListenersWarnOnce() {
    List<String> warnings = new ArrayList<>();
    NodeTesting.run(node -> {
      node.onWarning(w -> warnings.add(w.name() + ": " + w.getMessage()));
      AbortSignal s = new AbortController(node).signal();
      int[] calls = {0};
      for (int i = 0; i < 12; i++) {
        int n = i; // a distinct listener each time (a non-capturing lambda would be one object)
        s.addEventListener("abort", () -> calls[0] += n);
      }
      assertEquals(12, EventEmitter.listenerCount(s, "abort"));
    });
    assertEquals(List.of("MaxListenersExceededWarning: Possible EventTarget memory leak detected. 11 abort listeners "
        + "added to [AbortSignal]. MaxListeners is 10. Use events.setMaxListeners() to increase limit"), warnings);
  }

  @Test
  void aThrowingListenerDoesNotStopTheOthersAndIsUncaughtOnTheNextTick() {
    List<String> seen = new ArrayList<>();
    int code = runAllowingUncaught(node -> {
      node.onUncaughtException(e -> seen.add("uncaught " + e.getMessage()));
      AbortController ac = new AbortController(node);
      ac.signal().addEventListener("abort", () -> {
        throw new IllegalStateException("boom");
      });
      ac.signal().addEventListener("abort", () -> seen.add("second"));
      ac.abort();
      seen.add("after abort");
    });
    assertEquals(0, code);
    assertEquals(List.of("second", "after abort", "uncaught boom"), seen);
  }

  @Test
  void throwIfAbortedWithANonThrowableReasonThrowsAnAbortErrorCarryingIt() {
    NodeTesting.run(node -> {
      AbortController ac = new AbortController(node);
      ac.signal().throwIfAborted(); // not aborted: nothing
      ac.abort("text");
      AbortError e = assertThrows(AbortError.class, () -> ac.signal().throwIfAborted());
      assertEquals("text", e.reason());
      assertEquals("ABORT_ERR", e.code());
      IllegalStateException ise = new IllegalStateException("mine");
      AbortSignal s = AbortSignal.abort(node, ise);
      assertSame(ise, assertThrows(IllegalStateException.class, s::throwIfAborted));
    });
  }

  @Test
  void aTimeoutSignalAloneDoesNotKeepTheRuntimeAlive() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      AbortSignal s = AbortSignal.timeout(node, 60_000);
      s.addEventListener("abort", () -> seen.add("aborted"));
      TimersPromises.setTimeout(node, 60_000, "x", null, false).thenAccept(v -> seen.add("unref timer"));
      node.onExit(c -> seen.add("exit " + s.aborted()));
    });
    assertEquals(List.of("exit false"), seen);
  }

  @Test
  void aTimeoutSignalAbortsWithATimeoutErrorWhileSomethingElseKeepsTheRuntime() {
    AtomicReference<Object> reason = new AtomicReference<>();
    NodeTesting.run(node -> {
      AbortSignal s = AbortSignal.timeout(node, 1);
      s.addEventListener("abort", () -> reason.set(s.reason()));
      node.setTimeout(() -> { }, 30);
    });
    DOMException e = assertInstanceOf(DOMException.class, reason.get());
    assertEquals("TimeoutError", e.name());
    assertEquals(23, e.code());
    assertEquals("TimeoutError: The operation was aborted due to timeout", e.toString());
  }

  @Test
  void abortingATimersPromiseClearsItsTimer() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      AbortController ac = new AbortController(node);
      // A pending 60 s timer would hold the runtime: the abort must clear it.
      TimersPromises.setTimeout(node, 60_000, "late", ac.signal(), true)
          .then(v -> seen.add("fulfilled"), e -> seen.add(e.toString() + " " + ((AbortError) e).reason()));
      TimersPromises.setImmediate(node, "late", ac.signal(), true)
          .then(v -> seen.add("fulfilled"), e -> seen.add(e.toString()));
      ac.abort("reason");
      // As Node: the cancel listeners are removed by the promises' finally step (microtasks).
      assertEquals(2, EventEmitter.listenerCount(ac.signal(), "abort"));
      node.setImmediate(() -> seen.add("listeners left " + EventEmitter.listenerCount(ac.signal(), "abort")));
    });
    assertEquals(List.of("AbortError: The operation was aborted reason", "AbortError: The operation was aborted",
        "listeners left 0"), seen);
  }

  @Test
  void abortAndAbortSignalDefaults() {
    NodeTesting.run(node -> {
      AbortController ac = new AbortController(node);
      assertNull(ac.signal().reason());
      ac.abort(null);
      DOMException d = assertInstanceOf(DOMException.class, ac.signal().reason());
      assertEquals("AbortError: This operation was aborted", d.toString());
      assertEquals(20, d.code());
      assertTrue(AbortSignal.abort(node).aborted());
      assertEquals("AbortSignal { aborted: true }", ac.signal().toString());
    });
  }

  @Test
  void intervalIteratorMisuseAndEnd() {
    assertThrows(NullPointerException.class, () -> TimersPromises.setInterval(null, 1, "v"));
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      IntervalIterator<String> it = TimersPromises.setInterval(node, 1, "v");
      AtomicReference<Throwable> offThread = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          it.next();
        } catch (Throwable e) {
          offThread.set(e);
        }
      });
      t.start();
      t.join();
      assertInstanceOf(IllegalStateException.class, offThread.get());
      // Nothing started: the runtime would end here. Two values, then return_ clears the
      // interval (else the runtime would never end).
      it.next().thenAccept(r -> {
        seen.add(r.value() + " " + r.done());
        it.next().thenAccept(r2 -> {
          seen.add(r2.value() + " " + r2.done());
          it.return_("end").thenAccept(r3 -> seen.add(r3.value() + " " + r3.done()));
          it.next().thenAccept(r4 -> seen.add(r4.value() + " " + r4.done()));
        });
      });
    });
    assertEquals(List.of("v false", "v false", "end true", "null true"), seen);
  }

  @Test
  void intervalAbortedAtAYieldRejectsTheNextCallAndStops() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      AbortController ac = new AbortController(node);
      IntervalIterator<Integer> it = TimersPromises.setInterval(node, 1, 7, ac.signal(), true);
      it.next().thenAccept(r -> {
        seen.add("value " + r.value());
        ac.abort("stop");
        assertEquals(0, EventEmitter.listenerCount(ac.signal(), "abort"), "a once listener, gone");
        it.next().catchAccept(e -> seen.add(e + " " + ((AbortError) e).reason()));
      });
    });
    assertEquals(List.of("value 7", "AbortError: The operation was aborted stop"), seen);
  }

  private static int runAllowingUncaught(NodeTesting.Main main) {
    try {
      return NodeRuntime.run(node -> {
        try {
          main.run(node);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (io.uv4j.UvException e) {
      throw new AssertionError(e);
    }
  }
}
