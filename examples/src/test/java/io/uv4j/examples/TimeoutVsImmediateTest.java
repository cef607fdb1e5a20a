package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutVsImmediateTest {
  @Test
  void insideAnIoCallbackTheImmediateAlwaysRunsFirst() throws Exception {
    Output o = new Output();
    int rounds = 20;
    assertEquals(rounds, TimeoutVsImmediate.run(rounds, o.out), o.text());
    List<String> lines = o.lines();
    for (int i = 1; i <= rounds; i++) {
      assertTrue(lines.contains("I/O callback, round " + i + ": immediate then timeout"), o.text());
    }
    // The main-module pair ran too, in whichever order timing gave.
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("main module: ")), o.text());
    assertEquals("inside the I/O callback the immediate ran first in 20 of 20 rounds",
        lines.get(lines.size() - 1));
    Output.assertNothingLeaked();
  }
}
