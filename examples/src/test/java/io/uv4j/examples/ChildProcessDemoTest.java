package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChildProcessDemoTest {
  @AfterEach
  void nothingLeftOpen() {
    assertEquals(0, Uv.liveLoops(), "loops left open");
  }

  @Test
  void sortsThroughSpawnThenExecsThenReportsENOENT() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = ChildProcessDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    assertTrue(out.startsWith("spawned sort, pid "), out);
    assertTrue(out.contains("sort exit code=0 signal=null\nsorted:\napple\nfig\npear\n"), out);
    assertTrue(out.contains("exec stdout: exec says hi from /bin/sh\nexec stderr: to stderr\n"), out);
    assertTrue(out.endsWith("execFile error: ENOENT (spawn uv4j-no-such-program ENOENT)\n"), out);
  }

  @Test
  void forkPlaysPingPongWithAChildJvm() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = ForkPingPong.run(3, new PrintStream(bytes, true, StandardCharsets.UTF_8), null);
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, out);
    String[] lines = out.split("\n");
    assertEquals(5, lines.length, out);
    for (int i = 0; i < 3; i++) {
      assertTrue(lines[i].startsWith("parent got {type=pong, n=" + (i + 1) + ", pid="), out);
    }
    assertEquals("parent: child disconnected", lines[3]);
    assertEquals("parent: child exited with 0", lines[4]);
  }
}
