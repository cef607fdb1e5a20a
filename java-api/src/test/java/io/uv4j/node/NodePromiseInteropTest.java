package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Promise ⇄ CompletableFuture, await, and the then/catch helpers' argument checks. */
@ExtendWith(LeakCheck.class)
class NodePromiseInteropTest {
  @Test
  void awaitOnTheRuntimesThreadIsRefusedInsteadOfDeadlocking() throws Exception {
    List<Object> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      Promise<Integer> p = Promise.resolve(node, 1);
      IllegalStateException e = assertThrows(IllegalStateException.class, p::await);
      out.add(e.getMessage().contains("deadlock"));
    });
    assertEquals(List.of(true), out);
  }

  /** Another thread awaits values and reasons; the runtime stays alive until it reported back. */
  @Test
  void anotherThreadAwaitsTheValueOrTheReason() throws Exception {
    List<Object> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      @SuppressWarnings("unchecked")
      Consumer<Integer>[] resolve = new Consumer[1];
      Promise<Integer> ok = Promise.create(node, (res, rej) -> resolve[0] = res);
      Promise<Integer> bad = Promise.create(node, (res, rej) -> node.setTimeout(() -> rej.accept(new IllegalArgumentException("no")), 1));
      // As in JavaScript, a rejection must be handled within the turn (the awaiting thread's
      // registration arrives whenever it does).
      bad.catchAccept(e -> { });
      Timeout keepAlive = node.setInterval(() -> { }, 1000);
      node.setTimeout(() -> resolve[0].accept(42), 1);
      Thread t = new Thread(() -> {
        Object a = ok.await();
        Object b;
        try {
          bad.await();
          b = "no throw";
        } catch (IllegalArgumentException e) {
          b = "rejected " + e.getMessage();
        }
        Object[] r = {a, b};
        node.loop().execute(() -> {
          out.add(r[0]);
          out.add(r[1]);
          node.clearInterval(keepAlive);
        });
      }, "awaiter");
      t.start();
    });
    assertEquals(List.of(42, "rejected no"), out);
  }

  @Test
  void aFutureCompletedElsewhereSettlesThePromiseOnTheRuntimesThread() throws Exception {
    List<Object> out = new ArrayList<>();
    Thread[] runtimeThread = {null};
    NodeRuntime.run(node -> {
      runtimeThread[0] = Thread.currentThread();
      CompletableFuture<String> f = new CompletableFuture<>();
      CompletableFuture<String> g = new CompletableFuture<>();
      Promise.from(node, f).thenAccept(v -> {
        out.add(v);
        out.add(Thread.currentThread());
      });
      Promise.from(node, g).catchAccept(e -> out.add(e.getMessage()));
      new Thread(() -> {
        f.complete("done");
        g.completeExceptionally(new IllegalStateException("failed"));
      }).start();
    });
    assertEquals(3, out.size());
    assertTrue(out.contains("done"));
    assertTrue(out.contains("failed"));
    assertSame(runtimeThread[0], out.get(out.indexOf("done") + 1));
  }

  @Test
  void toCompletableFutureCompletesWithTheValueOrTheReason() throws Exception {
    List<CompletableFuture<?>> fs = new ArrayList<>();
    NodeRuntime.run(node -> {
      fs.add(Promise.resolve(node, "v").thenCompose(v -> Promise.resolve(node, v + "!")).toCompletableFuture());
      fs.add(Promise.<String>reject(node, new IllegalStateException("r")).toCompletableFuture());
    });
    assertEquals("v!", fs.get(0).get(0, TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class, () -> fs.get(1).get(0, TimeUnit.SECONDS));
    assertEquals("r", e.getCause().getMessage());
  }

  @Test
  void helpersRefuseNullHandlers() throws Exception {
    List<Class<?>> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      Promise<Integer> p = Promise.resolve(node, 1);
      out.add(assertThrows(NullPointerException.class, () -> p.thenAccept(null)).getClass());
      out.add(assertThrows(NullPointerException.class, () -> p.thenRun(null)).getClass());
      out.add(assertThrows(NullPointerException.class, () -> p.catchAccept(null)).getClass());
      out.add(assertThrows(NullPointerException.class, () -> p.finally_(null)).getClass());
      out.add(assertThrows(NullPointerException.class, () -> node.onWarning(null)).getClass());
      out.add(assertThrows(NullPointerException.class, () -> node.onUnhandledRejection(null)).getClass());
    });
    assertEquals(6, out.size());
  }
}
