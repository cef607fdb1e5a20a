package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Timers whose callbacks get their own handle or arguments; typed stream events. */
@ExtendWith(LeakCheck.class)
class NodeTypedApiTest {
  @Test
  void aSelfClearingIntervalGetsItsOwnTimeout() throws Exception {
    List<String> out = new ArrayList<>();
    Timeout[] returned = new Timeout[1];
    NodeRuntime.run(node -> {
      int[] n = {0};
      returned[0] = node.setInterval(t -> {
        assertSame(returned[0], t);
        out.add("tick " + ++n[0]);
        if (n[0] == 3) {
          node.clearInterval(t);
        }
      }, 1);
    });
    assertEquals(List.of("tick 1", "tick 2", "tick 3"), out);
  }

  @Test
  void aTimeoutCanRefreshItselfFromItsCallback() throws Exception {
    List<String> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      int[] n = {0};
      node.setTimeout(t -> {
        out.add("fired " + ++n[0]);
        if (n[0] < 3) {
          t.refresh();
        }
      }, 1);
    });
    assertEquals(List.of("fired 1", "fired 2", "fired 3"), out);
  }

  @Test
  void timersAndImmediatesPassTheirArguments() throws Exception {
    List<String> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      node.setTimeout((String a) -> out.add("timeout " + a), 1, "x");
      node.setTimeout((String a, Integer b) -> out.add("timeout " + a + b), 1, "y", 2);
      node.setImmediate((String a) -> out.add("immediate " + a), "z");
      Immediate[] returned = new Immediate[1];
      returned[0] = node.setImmediate(im -> out.add("own immediate " + (im == returned[0])));
      Timeout[] iv = new Timeout[1];
      int[] n = {0};
      iv[0] = node.setInterval((String a) -> {
        out.add("interval " + a + ++n[0]);
        if (n[0] == 2) {
          node.clearInterval(iv[0]);
        }
      }, 1, "w");
    });
    // Timers and immediates race in the first turn (as in Node): compare as sets.
    out.sort(null);
    assertEquals(List.of("immediate z", "interval w1", "interval w2", "own immediate true", "timeout x",
        "timeout y2"), out);
  }

  @Test
  void nullCallbacksAreRefused() throws Exception {
    NodeRuntime.run(node -> {
      assertThrows(NullPointerException.class, () -> node.setTimeout((Consumer<Timeout>) null, 1));
      assertThrows(NullPointerException.class, () -> node.setInterval((Consumer<Timeout>) null, 1));
      assertThrows(NullPointerException.class, () -> node.setImmediate((Consumer<Immediate>) null));
      assertThrows(NullPointerException.class, () -> node.setTimeout((Consumer<String>) null, 1, "a"));
    });
  }

  @Test
  void typedSocketEventsAndTheirRemoval() throws Exception {
    List<String> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      Net net = Net.of(node);
      Net.Server[] server = new Net.Server[1];
      server[0] = net.createServer(socket -> {
        Consumer<byte[]> removed = d -> out.add("removed listener called");
        socket.onData(removed);
        socket.off("data", removed);
        socket.onData(d -> out.add("server data " + new String(d, StandardCharsets.UTF_8)));
        socket.onEnd(() -> out.add("server end"));
        socket.onFinish(() -> out.add("server finish"));
        socket.onClose(() -> {
          out.add("server close");
          server[0].close();
        });
      });
      server[0].listen(0, "127.0.0.1", () -> {
        Net.Socket c = net.connect(server[0].address().getPort(), "127.0.0.1");
        c.onError(e -> out.add("client error " + e));
        c.end("hi");
      });
    });
    assertEquals(List.of("server data hi", "server end", "server finish", "server close"), out);
  }
}
