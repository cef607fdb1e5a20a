package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class EventEmitterTest {
  @Test
  void listenersRunSynchronouslyInRegistrationOrderWithTheArguments() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    e.on("x", args -> seen.add("1:" + args[0] + "," + args[1]));
    e.on("x", () -> seen.add("2"));
    e.prependListener("x", () -> seen.add("0"));
    assertTrue(e.emit("x", "a", 7));
    assertEquals(List.of("0", "1:a,7", "2"), seen);
    assertFalse(e.emit("y"), "no listener");
  }

  @Test
  void onceRunsOnlyOnceEvenWhenItEmitsAgainFromInside() {
    EventEmitter e = new EventEmitter();
    int[] calls = {0};
    e.once("x", () -> {
      calls[0]++;
      e.emit("x"); // removed before it ran: not called again
    });
    e.emit("x");
    e.emit("x");
    assertEquals(1, calls[0]);
    assertEquals(0, e.listenerCount("x"));
  }

  @Test
  void emitUsesTheListenersRegisteredWhenItStarted() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    Runnable removed = () -> seen.add("removed");
    e.on("x", () -> {
      seen.add("adder");
      e.on("x", () -> seen.add("added"));
      e.off("x", removed);
    });
    e.on("x", removed);
    e.emit("x");
    assertEquals(List.of("adder", "removed"), seen);
    seen.clear();
    e.emit("x");
    assertEquals(List.of("adder", "added"), seen);
  }

  @Test
  void offRemovesTheMostRecentRegistrationOfThatObject() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    Runnable f = () -> seen.add("f");
    e.on("x", f);
    e.on("x", () -> seen.add("g"));
    e.on("x", f);
    e.off("x", f);
    e.emit("x");
    assertEquals(List.of("f", "g"), seen);
    assertEquals(List.of(f), e.listeners("x").subList(0, 1));
    Runnable other = () -> { };
    e.off("x", other); // never registered: nothing happens
    assertEquals(2, e.listenerCount("x"));
  }

  @Test
  void errorWithoutListenerThrowsTheErrorItself() {
    EventEmitter e = new EventEmitter();
    IllegalStateException boom = new IllegalStateException("boom");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> e.emit("error", boom)));
    IOException checked = new IOException("checked");
    Throwable thrown = assertThrows(Throwable.class, () -> e.emit("error", checked));
    assertSame(checked, thrown, "checked exceptions are thrown unchanged, as JavaScript would");
    NodeError wrapped = assertThrows(NodeError.class, () -> e.emit("error", "text"));
    assertEquals("ERR_UNHANDLED_ERROR", wrapped.code());
    assertEquals("Unhandled error. ('text')", wrapped.getMessage());
    List<Object> got = new ArrayList<>();
    e.on("error", args -> got.add(args[0]));
    assertTrue(e.emit("error", boom));
    assertEquals(List.of(boom), got);
  }

  @Test
  void aThrowingListenerStopsTheEmitAndPropagates() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    e.on("x", () -> {
      throw new IllegalArgumentException("listener");
    });
    e.on("x", () -> seen.add("later"));
    assertThrows(IllegalArgumentException.class, () -> e.emit("x"));
    assertTrue(seen.isEmpty());
  }

  @Test
  void newListenerAndRemoveListenerEvents() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    Runnable f = () -> { };
    e.on("newListener", args -> seen.add("new " + args[0] + " " + (args[1] == f)));
    e.on("removeListener", args -> seen.add("removed " + args[0] + " " + (args[1] == f)));
    e.once("x", f);
    e.emit("x");
    assertEquals(List.of("new removeListener false", "new x true", "removed x true"), seen);
    seen.clear();
    e.on("a", f);
    e.on("b", f);
    e.removeAllListeners();
    // In key order (newListener first); removing the last removeListener listener emits nothing.
    assertEquals(List.of("new a true", "new b true", "removed newListener false", "removed a true",
        "removed b true"), seen);
    assertTrue(e.eventNames().isEmpty());
  }

  @Test
  void eventNamesListenersAndCounts() {
    EventEmitter e = new EventEmitter();
    EventEmitter.Listener l = args -> { };
    Runnable r = () -> { };
    e.on("b", l);
    e.once("a", r);
    e.on("b", r);
    assertEquals(List.of("b", "a"), e.eventNames());
    assertArrayEquals(new Object[] {l, r}, e.listeners("b").toArray());
    assertEquals(List.of(r), e.listeners("a"), "once listeners are listed unwrapped");
    e.removeAllListeners("b");
    assertEquals(0, e.listenerCount("b"));
    assertEquals(1, e.listenerCount("a"));
  }

  @Test
  void staticOnceResolvesWithTheArgumentsOrRejectsOnError() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      EventEmitter e = new EventEmitter();
      EventEmitter.once(node, e, "ready").then(args -> {
        seen.add("ready " + args[0]);
        return null;
      });
      EventEmitter.once(node, e, "never").catchError(err -> {
        seen.add("rejected " + err.getMessage());
        return null;
      });
      e.emit("ready", 42);
      e.emit("error", new IllegalStateException("bad"));
      assertEquals(0, e.listenerCount("error"), "the once helpers removed their listeners");
    });
    assertEquals(List.of("ready 42", "rejected bad"), seen);
  }

  @Test
  void errorMonitorSeesTheErrorFirstButDoesNotHandleIt() {
    EventEmitter e = new EventEmitter();
    List<String> seen = new ArrayList<>();
    e.on(EventEmitter.ERROR_MONITOR, args -> seen.add("monitor " + args[0]));
    NodeError thrown = assertThrows(NodeError.class, () -> e.emit("error", "text"));
    assertEquals("ERR_UNHANDLED_ERROR", thrown.code());
    assertEquals("Error [ERR_UNHANDLED_ERROR]: Unhandled error. ('text')", thrown.toString());
    assertEquals(List.of("monitor text"), seen);
    e.on("error", args -> seen.add("handler " + args[0]));
    assertTrue(e.emit("error", "again"));
    assertEquals(List.of("monitor text", "monitor again", "handler again"), seen);
    assertEquals(1, e.listenerCount("error"));
    assertEquals(List.of("error", EventEmitter.ERROR_MONITOR), e.eventNames());
  }

  @Test
  void rawListenersGiveTheSameOnceWrapperWhichRemovesItselfOnce() {
    EventEmitter e = new EventEmitter();
    List<Object> calls = new ArrayList<>();
    EventEmitter.Listener l = args -> calls.add(args[0]);
    e.once("x", l);
    List<Object> raw = e.rawListeners("x");
    assertSame(raw.get(0), e.rawListeners("x").get(0), "one wrapper per registration");
    EventEmitter.OnceWrapper w = (EventEmitter.OnceWrapper) raw.get(0);
    assertSame(l, w.listener());
    assertEquals(List.of(l), e.listeners("x"));
    w.call("first");
    w.call("second");
    assertEquals(List.of("first"), calls);
    assertEquals(0, e.listenerCount("x"));
    assertTrue(e.rawListeners("nothing").isEmpty());
  }

  @Test
  void onceWithSignalMisuse() {
    assertThrows(NullPointerException.class, () -> EventEmitter.listenerCount((EventEmitter) null, "x"));
    NodeTesting.run(node -> {
      EventEmitter e = new EventEmitter();
      assertThrows(NullPointerException.class, () -> EventEmitter.once(node, null, "x"));
      assertThrows(NullPointerException.class, () -> EventEmitter.once(node, e, null));
      assertThrows(NullPointerException.class, () -> EventEmitter.once(null, e, "x"));
      List<String> seen = new ArrayList<>();
      EventEmitter.once(node, e, "x", AbortSignal.abort(node, "early"))
          .catchAccept(err -> seen.add(err + " " + ((AbortError) err).reason()));
      assertEquals(List.of(), e.eventNames(), "a pre-aborted signal registers nothing");
      AbortController ac = new AbortController(node);
      EventEmitter.once(node, e, "y", ac.signal()).catchAccept(err -> seen.add(err.toString()));
      assertEquals(List.of("y", "error"), e.eventNames());
      ac.abort();
      assertEquals(List.of(), e.eventNames(), "the abort removed both listeners");
      assertEquals(0, EventEmitter.listenerCount(ac.signal(), "abort"));
      node.setImmediate(() -> assertEquals(List.of("AbortError: The operation was aborted early",
          "AbortError: The operation was aborted"), seen));
    });
  }

  @Test
  void nodeErrorNamesAndToStringFollowNode() {
    assertEquals("RangeError [ERR_OUT_OF_RANGE]: m", new NodeError("ERR_OUT_OF_RANGE", "m").toString());
    assertEquals("TypeError", new NodeError("ERR_INVALID_ARG_TYPE", "m").name());
    assertEquals("Error [ERR_STREAM_DESTROYED]: m", new NodeError("ERR_STREAM_DESTROYED", "m").toString());
    assertEquals("Error: write EPIPE", new NodeError("EPIPE", "write EPIPE").toString());
    assertEquals("RangeError: Input buffers must have the same byte length",
        new NodeError("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length").toString());
    AbortError a = new AbortError(null);
    assertEquals("AbortError", a.name());
    assertEquals("AbortError: The operation was aborted", a.toString());
  }

  @Test
  void setMaxListenersOnTargetsMisuse() {
    EventEmitter e = new EventEmitter();
    NodeError range = assertThrows(NodeError.class, () -> EventEmitter.setMaxListeners(-1, e));
    assertEquals("RangeError [ERR_OUT_OF_RANGE]: The value of \"setMaxListeners\" is out of range. It must be "
        + ">= 0. Received -1", range.toString());
    NodeError type = assertThrows(NodeError.class, () -> EventEmitter.setMaxListeners(1, e, "text"));
    assertEquals("The \"eventTargets\" argument must be an instance of EventEmitter or EventTarget. Received an "
        + "instance of String", type.getMessage());
    assertEquals(10, e.getMaxListeners(), "nothing set when a target is bad");
    assertThrows(NullPointerException.class, () -> EventEmitter.setMaxListeners(1, e, null));
    assertThrows(IllegalArgumentException.class, () -> EventEmitter.setMaxListeners(1, new Object[0]));
    EventEmitter.setMaxListeners(3, e);
    assertEquals(3, e.getMaxListeners());
  }
}
