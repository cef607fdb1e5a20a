package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Captures what an example prints (thread-safe: PrintStream locks) and checks nothing leaked. */
final class Output {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  String text() {
    synchronized (out) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  List<String> lines() {
    String t = text();
    return t.isEmpty() ? List.of() : Arrays.asList(t.split("\n"));
  }

  /** The examples close everything they open: no loop, handle, request or global ref is left. */
  static void assertNothingLeaked() {
    assertEquals("0 0 0 0", Uv.liveLoops() + " " + Uv.liveHandles() + " " + Uv.liveRequests() + " "
        + Uv.liveGlobalRefs(), "loops, handles, requests, global refs left");
  }
}
