package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerSumTest {
  @Test
  void theWorkerSumsWhileTheMainLoopKeepsBeating() throws Exception {
    Output o = new Output();
    long n = WorkerSum.DEFAULT_N;
    assertEquals(n / 2 * (n + 1), WorkerSum.run(n, o.out), o.text());
    List<String> lines = o.lines();
    int result = indexOf(lines, "result from worker ");
    assertTrue(result > 0, o.text());
    // The main loop ran its 100 ms interval while the worker computed: even on a fast machine
    // summing 3e9 numbers takes several hundred ms.
    assertTrue(lines.get(0).startsWith("heartbeat 1 at "), o.text());
    assertTrue(lines.get(result).contains("= 4500000001500000000 "), o.text());
    assertEquals("worker exited with code 0", lines.get(lines.size() - 1), o.text());
    Output.assertNothingLeaked();
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
