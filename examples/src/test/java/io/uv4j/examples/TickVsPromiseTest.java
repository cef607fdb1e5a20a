package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TickVsPromiseTest {
  @Test
  void printsWhatNodePrints() throws Exception {
    Output o = new Output();
    TickVsPromise.run(o.out);
    // Recorded from Node 20 running the JavaScript in TickVsPromise's comment (same every run).
    assertEquals(List.of(
        "main: synchronous code",
        "nextTick 1",
        "nextTick 2, queued by nextTick 1: the tick queue drains first",
        "promise 1",
        "queueMicrotask",
        "promise queued by nextTick 1",
        "promise 2, chained on promise 1",
        "nextTick queued by promise 1: after the microtask queue is empty",
        "setImmediate: the check phase of the next loop iteration"), o.lines());
    Output.assertNothingLeaked();
  }

  /** The JavaScript beside the example (src/main/js) prints the same lines, when node is here. */
  @Test
  void theJavaScriptOriginalPrintsTheSame() throws Exception {
    java.nio.file.Path node = null;
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      java.nio.file.Path p = java.nio.file.Paths.get(d, "node");
      if (java.nio.file.Files.isExecutable(p)) {
        node = p;
        break;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(node != null, "node is not installed");
    Process p = new ProcessBuilder(node.toString(), "src/main/js/tick-vs-promise.js").start();
    String js = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    Output o = new Output();
    TickVsPromise.run(o.out);
    assertEquals(js.lines().toList(), o.lines());
  }
}
