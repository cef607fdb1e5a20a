package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code events.on} ({@link EventIterator}) and {@code captureRejections}: misuse and edges. */
@ExtendWith(LeakCheck.class)
class EventsOnTest {
  @Test
  void badArgumentsAndWrongThread() {
    NodeTesting.run(node -> {
      EventEmitter ee = new EventEmitter();
      assertThrows(NullPointerException.class, () -> EventEmitter.on(null, ee, "x"));
      assertThrows(NullPointerException.class, () -> EventEmitter.on(node, null, "x"));
      assertThrows(NullPointerException.class, () -> EventEmitter.on(node, ee, null));
      EventIterator it = EventEmitter.on(node, ee, "x");
      NodeError bad = assertThrows(NodeError.class, () -> it.throwError(null));
      assertEquals("ERR_INVALID_ARG_TYPE", bad.code());
      AtomicReference<Throwable> other = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          it.next();
        } catch (Throwable e) {
          other.set(e);
        }
      });
      t.start();
      t.join();
      assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));
      it.returnIterator();
      assertEquals(0, ee.listenerCount("x"));
      assertEquals(0, ee.listenerCount("error"));
    });
  }

  @Test
  void iteratingErrorEventsTakesThemAsValuesAndThrowEndsIt() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      EventEmitter ee = new EventEmitter();
      EventIterator errors = EventEmitter.on(node, ee, "error");
      ee.emit("error", new NodeError("ERR_A", "a")); // a listener: not thrown
      assertEquals(1, errors.queued());
      errors.next().thenAccept(r -> seen.add("value " + ((Throwable) r.value()[0]).getMessage()));
      EventIterator it = EventEmitter.on(node, ee, "x");
      it.next().then(r -> seen.add("not expected"), e -> seen.add("rejected " + e.getMessage()))
          .thenCompose(x -> it.next()).thenAccept(r -> seen.add("then done " + r.done()));
      it.throwError(new NodeError("ERR_B", "b"));
      assertEquals(0, ee.listenerCount("x"));
      errors.returnIterator();
    });
    assertEquals(List.of("value a", "rejected b", "then done true"), seen);
  }

  @Test
  void captureRejectionsRoutesOnlyWhenOnAndOffRemovesAsyncListeners() {
    List<String> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      EventEmitter ee = new EventEmitter(true);
      EventEmitter.AsyncListener nothing = a -> null; // no promise: nothing to catch
      ee.onAsync("n", nothing);
      ee.emit("n");
      EventEmitter.AsyncListener l = a -> Promise.reject(node, new NodeError("ERR_C", "c"));
      ee.onceAsync("x", l);
      ee.on("error", a -> seen.add("error " + ((Throwable) a[0]).getMessage()));
      assertTrue(ee.emit("x"));
      assertEquals(0, ee.listenerCount("x"), "a once listener");
      ee.onAsync("y", l);
      ee.off("y", l);
      assertEquals(0, ee.listenerCount("y"));
      ee.setRejectionHandler((err, event, args) -> seen.add("handler " + event + " " + args.length));
      ee.onAsync("z", l);
      ee.emit("z", 1, 2);
      node.setImmediate(() -> { // the handler is read when the rejection arrives, as Node's
        ee.setRejectionHandler(null);
        ee.emit("z");
      });
    });
    // x's rejection arrives after the handler was set: it takes it too (read late, as Node's)
    assertEquals(List.of("handler x 0", "handler z 2", "error c"), seen);
  }
}
