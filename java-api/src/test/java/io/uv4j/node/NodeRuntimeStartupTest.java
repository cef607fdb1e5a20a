package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class NodeRuntimeStartupTest {
  /** Main runs inside run(), before the first iteration; the first turn runs its immediate. */
  @Test
  void mainRunsBeforeTheFirstIteration() throws Exception {
    List<String> order = new ArrayList<>();
    int code = NodeRuntime.run(node -> {
      order.add("main");
      node.setImmediate(() -> order.add("immediate"));
      node.nextTick(() -> order.add("tick"));
    });
    assertEquals(0, code);
    assertEquals(List.of("main", "tick", "immediate"), order);
  }
}
