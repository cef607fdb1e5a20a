package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** fs.watch / fs.watchFile misuse: Node's coded errors, the loop thread only, no leaked handle. */
@ExtendWith(LeakCheck.class)
class NodeFsWatchTest {
  @TempDir
  Path tmp;

  @Test
  void watchArgumentsGiveNodesErrorsAndLeakNoHandle() {
    String dir = tmp.toString();
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      NodeError e = assertThrows(NodeError.class, () -> fs.watch(null));
      out.add(e.code() + " " + e.getMessage());
      SystemError se = assertThrows(SystemError.class, () -> fs.watch(dir + "/missing"));
      out.add(se.code() + " " + se.syscall() + " " + se.errno() + " " + se.getMessage().replace(dir, "<d>"));
      e = assertThrows(NodeError.class, () -> fs.watchFile(dir + "/x", (StatWatcher.Listener) null));
      out.add(e.code() + " " + e.getMessage());
      e = assertThrows(NodeError.class, () -> fs.watchFile(dir + "/x", true, 1L << 32, (c, p) -> { }));
      out.add(e.code() + " " + e.getMessage());
      e = assertThrows(NodeError.class, () -> fs.watchFile(dir + "/x", true, 1L << 40, (c, p) -> { }));
      out.add(e.getMessage());
      e = assertThrows(NodeError.class, () -> fs.unwatchFile(null));
      out.add(e.code());
      fs.unwatchFile(dir + "/never-watched"); // nothing, as in Node
      e = assertThrows(NodeError.class, () -> fs.watch(dir + "/a\0b"));
      out.add(e.code() + " " + e.getMessage().replace(dir, "<d>"));
    });
    assertEquals(List.of(
        "ERR_INVALID_ARG_TYPE The \"path\" argument must be of type string or an instance of Buffer or URL. Received null",
        "ENOENT watch -2 ENOENT: no such file or directory, watch '<d>/missing'",
        "ERR_INVALID_ARG_TYPE The \"listener\" argument must be of type function. Received undefined",
        "ERR_OUT_OF_RANGE The value of \"interval\" is out of range. It must be >= 0 && <= 4294967295. Received 4294967296",
        "The value of \"interval\" is out of range. It must be >= 0 && <= 4294967295. Received 1_099_511_627_776",
        "ERR_INVALID_ARG_TYPE",
        "ERR_INVALID_ARG_VALUE The argument 'path' must be a string, Uint8Array, or URL without null bytes."
            + " Received '<d>/a\\x00b'"), out);
  }

  @Test
  void watchersRefuseOtherThreads() {
    String dir = tmp.toString();
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      FSWatcher w = fs.watch(dir);
      RuntimeException[] got = new RuntimeException[3];
      Thread t = new Thread(() -> {
        got[0] = assertThrows(IllegalStateException.class, () -> fs.watch(dir));
        got[1] = assertThrows(IllegalStateException.class, w::close);
        got[2] = assertThrows(IllegalStateException.class, () -> fs.watchFile(dir, (c, p) -> { }));
      });
      t.start();
      t.join();
      for (RuntimeException r : got) {
        out.add(r != null);
      }
      w.close();
    });
    assertEquals(List.of(true, true, true), out);
  }

  @Test
  void closeTwiceEmitsOneCloseAndAnUnrefdWatcherLetsTheRuntimeEnd() {
    String dir = tmp.toString();
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      FSWatcher w = fs.watch(dir, (type, name) -> out.add("change"));
      w.on("close", () -> out.add("close"));
      assertSame(w, w.unref());
      assertSame(w, w.ref());
      w.close();
      w.close();
      out.add("closed");
      assertSame(w, w.ref()); // after close: nothing
      fs.watch(dir, false, null); // not persistent: the runtime ends with it open
      fs.watchFile(dir + "/polled", false, 10, (c, p) -> out.add("poll " + c.size()));
    });
    assertEquals(List.of("closed", "close"), out.subList(0, 2));
    assertTrue(out.size() <= 3, out.toString());
  }

  @Test
  void watchFileSharesOneWatcherPerResolvedPathAndStopsWithTheLastListener() {
    String dir = tmp.toString();
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      StatWatcher.Listener a = (c, p) -> out.add("a");
      StatWatcher.Listener b = (c, p) -> out.add("b");
      StatWatcher w1 = fs.watchFile(dir + "/f", true, 10, a);
      StatWatcher w2 = NodeFs.of(node).watchFile(dir + "/./sub/../f", b);
      out.add(w1 == w2);
      out.add(w1.listenerCount("change"));
      w1.on("stop", () -> out.add("stop"));
      fs.unwatchFile(dir + "/f", b);
      out.add(w1.listenerCount("change"));
      fs.unwatchFile(dir + "/f", (c, p) -> { }); // not registered: nothing
      fs.unwatchFile(dir + "/f");
      out.add(w1.listenerCount("change"));
      StatWatcher w3 = fs.watchFile(dir + "/f", true, 10, a);
      out.add(w3 != w1);
      fs.unwatchFile(dir + "/f", a);
    });
    assertEquals(List.of(true, 2, 1, 0, true, "stop"), out);
  }
}
