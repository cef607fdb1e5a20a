package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Worker threads: each its own runtime and loop, messages both ways, errors, exit, terminate. */
@ExtendWith(LeakCheck.class)
class WorkerTest {
  @Test
  void messagesCrossBothWaysInOrderOnTheRightThreads() throws Exception {
    List<Object> replies = new ArrayList<>();
    List<Integer> exits = new ArrayList<>();
    List<String> wrongThread = Collections.synchronizedList(new ArrayList<>());
    Thread main = Thread.currentThread();
    int code = NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        parent.postMessage("hello");
        List<Integer> seen = new ArrayList<>();
        parent.onMessage(m -> {
          if (!Thread.currentThread().getName().startsWith("uv4j-worker-")) {
            wrongThread.add("worker listener on " + Thread.currentThread().getName());
          }
          seen.add((Integer) m);
          parent.postMessage((Integer) m * 10);
          if (seen.size() == 100) {
            parent.postMessage(List.copyOf(seen));
            parent.close(); // nothing else keeps the worker alive: it ends
          }
        });
      });
      w.onMessage(m -> {
        if (Thread.currentThread() != main) {
          wrongThread.add("parent listener on " + Thread.currentThread().getName());
        }
        replies.add(m);
      });
      w.onExit(exits::add);
      for (int i = 1; i <= 100; i++) {
        w.postMessage(i);
      }
    });
    assertEquals(0, code);
    assertEquals(List.of(), wrongThread);
    assertEquals(102, replies.size(), replies.toString());
    assertEquals("hello", replies.get(0));
    for (int i = 1; i <= 100; i++) {
      assertEquals(i * 10, replies.get(i));
    }
    List<Integer> expectedSeen = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      expectedSeen.add(i);
    }
    assertEquals(expectedSeen, replies.get(101), "the worker got the parent's messages in order");
    assertEquals(List.of(0), exits);
  }

  @Test
  void eachMessageIsItsOwnCallbackWithTicksAndPromisesDrainedInBetween() throws Exception {
    List<String> log = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        // Three posts in a row: usually one wake-up of the parent, still three callbacks.
        parent.postMessage("a");
        parent.postMessage("b");
        parent.postMessage("c");
      });
      w.onMessage(m -> {
        log.add("message " + m);
        node.nextTick(() -> log.add("tick " + m));
        Promise.resolve(node, m).then(v -> log.add("promise " + v));
      });
      w.onExit(c -> log.add("exit " + c));
    });
    assertEquals(List.of("message a", "tick a", "promise a", "message b", "tick b", "promise b",
        "message c", "tick c", "promise c", "exit 0"), log);
  }

  @Test
  void messagesPostedBeforeTheWorkerListensWaitForItsListener() throws Exception {
    List<Object> got = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        // Listen only later: the parent's messages (posted at once) must not be lost.
        wnode.setTimeout(() -> parent.onMessage(m -> {
          parent.postMessage("worker got " + m);
          if ("second".equals(m)) {
            parent.close();
          }
        }), 50);
      });
      w.onMessage(got::add);
      w.postMessage("first");
      w.postMessage("second");
    });
    assertEquals(List.of("worker got first", "worker got second"), got);
  }

  @Test
  void aTransferredDirectBufferIsTheSameMemoryAndTheSenderIsDetached() throws Exception {
    AtomicReference<String> failure = new AtomicReference<>();
    List<String> log = new ArrayList<>();
    NodeRuntime.run(node -> {
      ByteBuffer transferred = ByteBuffer.allocateDirect(16);
      ByteBuffer copied = ByteBuffer.allocateDirect(16);
      for (int i = 0; i < 16; i++) {
        transferred.put(i, (byte) i);
        copied.put(i, (byte) i);
      }
      ByteBuffer alias = transferred.duplicate(); // for the test only: the sender must not do this
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        parent.onMessage(m -> {
          ByteBuffer b = (ByteBuffer) m;
          if (!b.isDirect() || b.remaining() != 16 || b.get(15) != 15) {
            failure.set("worker got " + b);
          }
          b.put(0, (byte) 99); // visible to the parent only if no copy was made
          parent.postMessage("written");
          if (b.get(1) == 100) { // second buffer (marked by the parent below)
            parent.close();
          }
        });
      });
      w.onMessage(m -> {
        log.add("transferred[0]=" + alias.get(0) + " copied[0]=" + copied.get(0));
      });
      w.postMessage(transferred, true);
      log.add("after transfer: limit " + transferred.limit() + ", remaining " + transferred.remaining());
      try {
        transferred.get(0);
        log.add("detached buffer still readable");
      } catch (IndexOutOfBoundsException expected) {
        log.add("detached buffer not readable");
      }
      copied.put(1, (byte) 100);
      w.postMessage(copied, false);
      log.add("after copy: remaining " + copied.remaining());
    });
    assertNull(failure.get(), failure.get());
    assertEquals(List.of(
        "after transfer: limit 0, remaining 0",
        "detached buffer not readable",
        "after copy: remaining 16",
        "transferred[0]=99 copied[0]=0",  // the worker wrote into the transferred memory
        "transferred[0]=99 copied[0]=0"), // but into its own copy of the other
        log);
  }

  @Test
  void anUncaughtExceptionInTheWorkerIsAnErrorThenExitCodeOne() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom in worker");
    List<Object> events = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        throw boom;
      });
      w.onError(e -> events.add(e));
      w.onExit(c -> events.add("exit " + c));
    });
    assertEquals(0, code, "the parent handled the error");
    assertEquals(2, events.size(), events.toString());
    assertSame(boom, events.get(0));
    assertEquals("exit 1", events.get(1));
  }

  @Test
  void anExceptionInAWorkerMessageListenerEndsItToo() throws Exception {
    List<Object> events = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> WorkerContext.parentPort().onMessage(m -> {
        throw new ArithmeticException("bad " + m);
      }));
      w.onError(e -> events.add(e.getClass().getSimpleName() + ": " + e.getMessage()));
      w.onExit(c -> events.add("exit " + c));
      w.postMessage(42);
    });
    assertEquals(List.of("ArithmeticException: bad 42", "exit 1"), events);
  }

  @Test
  void withoutAnErrorListenerTheWorkersErrorIsUncaughtInTheParent() throws Exception {
    RuntimeException boom = new RuntimeException("unhandled in worker");
    List<Object> events = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      node.onUncaughtException(events::add);
      Worker w = new Worker(node, wnode -> {
        throw boom;
      });
      w.onExit(c -> events.add("exit " + c));
    });
    assertEquals(0, code, "the parent's uncaughtException listener took it");
    assertEquals(List.of(boom, "exit 1"), events);
  }

  @Test
  void exitInTheWorkerGivesItsCode() throws Exception {
    List<Integer> exits = new ArrayList<>();
    NodeRuntime.run(node -> new Worker(node, wnode -> {
      wnode.setTimeout(() -> wnode.exit(7), 10);
      wnode.setTimeout(() -> {
        throw new AssertionError("runs after exit");
      }, 500);
    }).onExit(exits::add));
    assertEquals(List.of(7), exits);
  }

  @Test
  void terminateStopsAWorkerThatWouldListenForever() throws Exception {
    List<String> log = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        MessagePort parent = WorkerContext.parentPort();
        parent.onMessage(m -> { }); // keeps the worker alive
        parent.postMessage("ready");
      });
      w.onExit(c -> log.add("exit " + c));
      w.onMessage(m -> {
        log.add("got " + m);
        w.terminate().then(c -> log.add("terminate resolved " + c));
      });
    });
    assertEquals(List.of("got ready", "exit 1", "terminate resolved 1"), log);
  }

  @Test
  void terminateBeforeTheWorkerStartedStillEndsIt() throws Exception {
    AtomicInteger exitCode = new AtomicInteger(-1);
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> WorkerContext.parentPort().onMessage(m -> { }));
      w.onExit(exitCode::set);
      w.terminate();
    });
    assertEquals(1, exitCode.get());
  }

  @Test
  void terminateAfterExitResolvesWithNothing() throws Exception {
    List<String> log = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> wnode.setExitCode(3));
      w.onExit(c -> {
        assertTrue(w.hasExited());
        w.terminate().then(v -> log.add("terminate after exit: " + v));
      });
    });
    // Node: the handle is gone once 'exit' is emitted, so terminate() is PromiseResolve(): undefined
    assertEquals(List.of("terminate after exit: null"), log);
  }

  @Test
  void aRunningWorkerKeepsTheParentAliveUntilItExits() throws Exception {
    List<String> log = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode ->
          wnode.setTimeout(() -> WorkerContext.parentPort().postMessage("late"), 100));
      w.onMessage(m -> log.add("message " + m));
      w.onExit(c -> log.add("exit " + c));
      node.onExit(c -> log.add("parent exit " + c));
      // The parent's main is done here and nothing else of its own is pending.
    });
    assertEquals(0, code);
    assertEquals(List.of("message late", "exit 0", "parent exit 0"), log);
  }

  @Test
  void anUnrefdWorkerDoesNotKeepTheParentAliveAndIsStoppedWithIt() throws Exception {
    AtomicReference<String> exitSeen = new AtomicReference<>("none");
    AtomicInteger workerExitListener = new AtomicInteger();
    int code = NodeRuntime.run(node -> {
      // Keeps the parent alive only until the worker is set up (the worker itself does not).
      Timeout untilReady = node.setInterval(() -> { }, 1000);
      Worker w = new Worker(node, wnode -> {
        wnode.onExit(c -> workerExitListener.set(100 + c)); // the worker's own process 'exit'
        MessagePort parent = WorkerContext.parentPort();
        parent.onMessage(m -> { }); // would listen forever
        parent.postMessage("ready");
      });
      w.unref();
      w.onMessage(m -> untilReady.close());
      w.onExit(c -> exitSeen.set("exit " + c));
    });
    assertEquals(0, code);
    // The worker ran its exit listeners (terminated: code 1) and its loop is closed (LeakCheck);
    // the parent was already exiting, so its 'exit' event on the Worker is not emitted.
    assertEquals(101, workerExitListener.get());
    assertEquals("none", exitSeen.get());
  }

  @Test
  void anUnrefdParentPortLetsTheWorkerEnd() throws Exception {
    List<Integer> exits = new ArrayList<>();
    NodeRuntime.run(node -> new Worker(node, wnode -> {
      MessagePort parent = WorkerContext.parentPort();
      parent.onMessage(m -> { });
      assertTrue(parent.hasRef());
      parent.unref();
      assertFalse(parent.hasRef());
    }).onExit(exits::add));
    assertEquals(List.of(0), exits);
  }

  @Test
  void messagesToAWorkerThatEndedAreDropped() throws Exception {
    List<String> log = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> { });
      w.onExit(c -> {
        w.postMessage("too late"); // no exception, nobody receives it
        log.add("exit " + c);
      });
    });
    assertEquals(List.of("exit 0"), log);
  }

  @Test
  void workerContextOnBothSides() throws Exception {
    AtomicReference<String> inside = new AtomicReference<>();
    AtomicInteger id = new AtomicInteger();
    assertTrue(WorkerContext.isMainThread());
    assertNull(WorkerContext.parentPort());
    assertEquals(0, WorkerContext.threadId());
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> inside.set(WorkerContext.isMainThread() + " "
          + (WorkerContext.parentPort() != null) + " " + WorkerContext.threadId()));
      id.set(w.threadId());
    });
    assertNotEquals(0, id.get());
    assertEquals("false true " + id.get(), inside.get());
  }

  @Test
  void aWorkerCanStartItsOwnWorker() throws Exception {
    List<Object> got = new ArrayList<>();
    NodeRuntime.run(node -> new Worker(node, wnode -> {
      MessagePort parent = WorkerContext.parentPort();
      new Worker(wnode, inner -> WorkerContext.parentPort().postMessage("from grandchild"))
          .onMessage(m -> parent.postMessage("relayed " + m));
    }).onMessage(got::add));
    assertEquals(List.of("relayed from grandchild"), got);
  }

  @Test
  void misuse() throws Exception {
    AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
    NodeRuntime.run(node -> {
      assertThrows(NullPointerException.class, () -> new Worker(node, null));
      Worker w = new Worker(node, wnode -> { });
      assertThrows(NullPointerException.class, () -> w.postMessage(null));
      Thread t = new Thread(() -> {
        try {
          w.onMessage(m -> { });
        } catch (Throwable e) {
          fromOtherThread.set(e);
        }
      });
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertNotNull(fromOtherThread.get());
    assertEquals(IllegalStateException.class, fromOtherThread.get().getClass());
  }
}
