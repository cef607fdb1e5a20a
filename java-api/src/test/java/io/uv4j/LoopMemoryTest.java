package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A closed loop gives its memory back at once, not when a GC finds it: the completion buffer is
 * native memory freed by close, and the read buffer goes to the next loop.
 */
@ExtendWith(LeakCheck.class)
class LoopMemoryTest {
  /** One TCP echo on a fresh loop; returns the read view its client's callback got. */
  static ByteBuffer echoOnce(int readBufferSize) throws Exception {
    ByteBuffer[] seen = new ByteBuffer[1];
    try (Loop loop = Loop.create()) {
      if (readBufferSize > 0) {
        loop.setReadBufferSize(readBufferSize);
      }
      Tcp server = Net.echoServer(loop);
      Tcp client = new Tcp(loop);
      client.connect(server.localAddress(), (c, e) -> {
        c.readStart((s, data) -> {
          seen[0] = data;
          data.order(ByteOrder.LITTLE_ENDIAN); // a user changing the view it was given
          s.close();
          server.close();
        });
        c.write("ping".getBytes(StandardCharsets.US_ASCII));
      });
      loop.run();
      loop.shutdown();
    }
    return seen[0];
  }

  @Test
  void theNextLoopReadsIntoTheBufferOfAClosedOne() throws Exception {
    ByteBuffer first = echoOnce(0);
    ByteBuffer second = echoOnce(0);
    assertSame(first, second, "a closed loop's read buffer is taken by the next loop");
    assertEquals(64 * 1024, second.capacity());
  }

  @Test
  void aTakenBufferStartsInBigEndianOrderLikeANewOne() throws Exception {
    echoOnce(0); // leaves its buffer, little-endian, for the next loop
    ByteBuffer[] order = new ByteBuffer[1];
    try (Loop loop = Loop.create()) {
      Tcp server = Net.echoServer(loop);
      Tcp client = new Tcp(loop);
      client.connect(server.localAddress(), (c, e) -> {
        c.readStart((s, data) -> {
          order[0] = data.duplicate();
          assertEquals(ByteOrder.BIG_ENDIAN, data.order());
          s.close();
          server.close();
        });
        c.write("ping".getBytes(StandardCharsets.US_ASCII));
      });
      loop.run();
      loop.shutdown();
    }
    assertTrue(order[0] != null, "the read ran");
  }

  @Test
  void aBufferOfAnotherSizeIsNotKept() throws Exception {
    ByteBuffer small = echoOnce(4096);
    assertEquals(4096, small.capacity());
    assertNotSame(small, echoOnce(4096));
  }

  /**
   * The child: 300 loops, each with a TCP echo, under a direct-memory limit of 1 MiB with
   * explicit GC disabled. With the loop's buffers as Java direct buffers (256 KiB + 64 KiB per
   * loop, freed only by a GC) the fourth loop failed with "OutOfMemoryError: Direct buffer
   * memory".
   */
  public static void main(String[] args) throws Exception {
    for (int i = 0; i < 300; i++) {
      echoOnce(0);
    }
    System.out.println("OK loops=300 live=" + Uv.liveLoops());
  }

  @Test
  void manyLoopsNeedNoGcToGiveTheirBuffersBack() throws Exception {
    List<String> cmd = ChildScenarios.javaCommand(ChildScenarios.hsErrDir(),
        "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-XX:MaxDirectMemorySize=1m",
        "-XX:+DisableExplicitGC"); // the JDK's fallback (System.gc() when the limit is hit) off
    cmd.add(LoopMemoryTest.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK loops=300 live=0"), out);
  }
}
