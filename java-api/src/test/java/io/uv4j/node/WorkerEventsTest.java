package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Worker as an EventEmitter ('online', workerData) and MessageChannel, with port transfer. */
@ExtendWith(LeakCheck.class)
class WorkerEventsTest {
  @Test
  void onlineComesBeforeTheFirstMessageAndWorkerDataArrives() throws Exception {
    List<Object> events = new ArrayList<>();
    NodeRuntime.run(node -> {
      Worker w = new Worker(node, wnode -> {
        WorkerContext.parentPort().postMessage("data was " + WorkerContext.workerData());
      }, "the input");
      w.onOnline(() -> events.add("online"));
      w.on("message", args -> events.add(args[0])); // the generic form works too
      w.onExit(code -> events.add("exit " + code));
    });
    assertEquals(List.of("online", "data was the input", "exit 0"), events);
  }

  @Test
  void aChannelOnOneRuntimeDeliversBothWaysAndCloseIsAnEvent() throws Exception {
    List<Object> events = new ArrayList<>();
    NodeRuntime.run(node -> {
      MessageChannel ch = new MessageChannel(node);
      ch.port2().onMessage(m -> {
        events.add("port2 got " + m);
        ch.port2().postMessage("pong");
      });
      ch.port1().onMessage(m -> {
        events.add("port1 got " + m);
        ch.port1().close();
        ch.port2().close();
      });
      ch.port1().on("close", () -> events.add("port1 close"));
      ch.port1().postMessage("ping");
    });
    assertEquals(List.of("port2 got ping", "port1 got pong", "port1 close"), events);
  }

  @Test
  void aPortPostedToAWorkerMovesThereWithItsQueuedMessages() throws Exception {
    List<Object> events = new ArrayList<>();
    NodeRuntime.run(node -> {
      MessageChannel ch = new MessageChannel(node);
      Worker w = new Worker(node, wnode -> WorkerContext.parentPort().onMessage(m -> {
        MessagePort port = (MessagePort) m;
        port.onMessage(x -> {
          port.postMessage("worker thread " + WorkerContext.threadId() + " got " + x);
          port.close();
          WorkerContext.parentPort().close();
        });
      }));
      ch.port1().postMessage("queued before the transfer");
      w.postMessage(ch.port2());
      // Refused here: in transit ("transferred"), or already bound to the worker's thread.
      assertThrows(IllegalStateException.class, () -> ch.port2().onMessage(x -> { }));
      events.add(true);
      ch.port1().onMessage(m -> {
        events.add(m);
        ch.port1().close();
      });
      w.onExit(code -> events.add("exit " + code));
      events.add(w.threadId());
    });
    int id = (Integer) events.get(1);
    assertEquals(List.of(true, id, "worker thread " + id + " got queued before the transfer", "exit 0"), events);
  }
}
