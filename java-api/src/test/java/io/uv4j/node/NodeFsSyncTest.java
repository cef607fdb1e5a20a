package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** fs's *Sync forms, the fd-level promises and the write stream's start option. */
@ExtendWith(LeakCheck.class)
class NodeFsSyncTest {
  @TempDir
  Path tmp;

  @Test
  void syncFormsRoundTripAndThrowSystemErrors() throws Exception {
    List<Object> out = new ArrayList<>();
    String dir = tmp.toString();
    NodeRuntime.run(node -> {
      NodeFs fs = NodeFs.of(node);
      String first = fs.mkdirSync(dir + "/a/b/c", true);
      out.add(first.equals(dir + "/a"));
      out.add(fs.mkdirSync(dir + "/a/b", true) == null);
      fs.writeFileSync(dir + "/a/f.txt", "héllo");
      fs.appendFileSync(dir + "/a/f.txt", "!");
      out.add(fs.readFileSync(dir + "/a/f.txt", "utf8"));
      out.add(fs.statSync(dir + "/a/f.txt").size());
      out.add(fs.readdirSync(dir + "/a"));
      SystemError e = assertThrows(SystemError.class, () -> fs.statSync(dir + "/nope"));
      out.add(e.code());
      out.add(assertThrows(NodeError.class, () -> fs.openSync(dir + "/x", "bogus")).code());
      int fd = fs.openSync(dir + "/a/f.txt", "r+");
      byte[] b = new byte[3];
      out.add(fs.readSync(fd, b, 0, 3, 1));
      out.add(new String(b, StandardCharsets.UTF_8).length());
      out.add(fs.writeSync(fd, "X".getBytes(StandardCharsets.UTF_8), 0, 1, 0));
      out.add(fs.fstatSync(fd).size());
      fs.closeSync(fd);
      assertEquals("ERR_OUT_OF_RANGE", assertThrows(NodeError.class, () -> fs.readSync(0, b, 2, 5, 0)).code());
      fs.rmSync(dir + "/a", true, false);
      out.add(fs.existsSync(dir + "/a"));
      fs.rmSync(dir + "/a", true, true); // force: missing is fine
      out.add(assertThrows(SystemError.class, () -> fs.rmSync(dir + "/a", true, false)).code());
    });
    assertEquals(List.of(true, true, "héllo!", 7L, List.of("b", "f.txt"), "ENOENT", "ERR_INVALID_ARG_VALUE",
        3, 2, 1, 7L, false, "ENOENT"), out);
  }

  @Test
  void promisesAtTheDescriptorLevelAndAWriteStreamStartingAtAnOffset() throws Exception {
    Path f = tmp.resolve("w.txt");
    Files.writeString(f, "0123456789");
    List<Object> out = new ArrayList<>();
    NodeRuntime.run(node -> {
      NodeFs fs = NodeFs.of(node);
      FsPromises p = fs.promises();
      p.open(f.toString(), "r").thenCompose(fd -> {
        byte[] buf = new byte[4];
        return p.read(fd, buf, 0, 4, 3).thenCompose(n -> {
          out.add(n + " " + new String(buf, StandardCharsets.UTF_8));
          return p.close(fd);
        });
      }).thenRun(() -> {
        NodeFs.WriteStream ws = fs.createWriteStream(f.toString(), NodeFs.WriteOptions.DEFAULT.withFlags("r+").withStart(4));
        ws.write("ab");
        ws.end("cd");
        ws.onClose(() -> out.add(fs.readFileSync(f.toString(), "utf8")));
      });
    });
    assertEquals(List.of("4 3456", "0123abcd89"), out);
  }

  @Test
  void newFormsGiveNodesCodedErrorsForBadArguments() throws Exception {
    String dir = tmp.toString();
    String f = dir + "/f";
    Files.writeString(tmp.resolve("f"), "abc");
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      java.util.function.Consumer<Runnable> err = r -> {
        NodeError e = assertThrows(NodeError.class, r::run);
        out.add(e.code() + " " + e.getMessage());
      };
      err.accept(() -> fs.accessSync(null));
      err.accept(() -> fs.accessSync(f, 8));
      err.accept(() -> fs.access(f, -1, (e, v) -> { }));
      err.accept(() -> fs.access(f, null));
      err.accept(() -> fs.truncateSync(f, Long.MAX_VALUE));
      err.accept(() -> fs.truncate(f, 1, null));
      err.accept(() -> fs.ftruncateSync(-3));
      err.accept(() -> fs.copyFileSync(f, null, 0));
      err.accept(() -> fs.copyFileSync(f, "b\0c", 0));
      err.accept(() -> fs.copyFile(f, dir + "/g", 8, (e, v) -> { }));
      err.accept(() -> fs.writeFileSync(f, "x", WriteFileOptions.DEFAULT.withEncoding("klingon")));
      err.accept(() -> fs.appendFile(f, "x", WriteFileOptions.DEFAULT.withFlag("bogus"), (e, v) -> { }));
      err.accept(() -> fs.writeFileSync(f, new byte[1], WriteFileOptions.DEFAULT.withMode(-1)));
      assertThrows(NullPointerException.class, () -> fs.writeFileSync(f, "x", (WriteFileOptions) null));
      // The promise forms reject instead of throwing, as in Node.
      fs.promises().access(f, 9).then(v -> out.add("resolved"), e -> out.add("rejected " + ((NodeError) e).code()));
      fs.promises().writeFile(f, "x", WriteFileOptions.DEFAULT.withEncoding("klingon"))
          .then(v -> out.add("resolved"), e -> out.add("rejected " + ((NodeError) e).code()));
      out.add("content " + fs.readFileSync(f, "utf8"));
    });
    assertEquals(List.of(
        "ERR_INVALID_ARG_TYPE The \"path\" argument must be of type string or an instance of Buffer or URL. Received null",
        "ERR_OUT_OF_RANGE mode is out of range: >= 0 && <= 7",
        "ERR_OUT_OF_RANGE mode is out of range: >= 0 && <= 7",
        "ERR_INVALID_ARG_TYPE The \"cb\" argument must be of type function. Received undefined",
        "ERR_OUT_OF_RANGE The value of \"len\" is out of range. It must be >= -9007199254740991 && <= 9007199254740991."
            + " Received 9_223_372_036_854_775_807",
        "ERR_INVALID_ARG_TYPE The \"cb\" argument must be of type function. Received undefined",
        "ERR_OUT_OF_RANGE The value of \"fd\" is out of range. It must be >= 0 && <= 2147483647. Received -3",
        "ERR_INVALID_ARG_TYPE The \"dest\" argument must be of type string or an instance of Buffer or URL. Received null",
        "ERR_INVALID_ARG_VALUE The argument 'dest' must be a string, Uint8Array, or URL without null bytes. Received 'b\\x00c'",
        "ERR_OUT_OF_RANGE mode is out of range: >= 0 && <= 7",
        "ERR_INVALID_ARG_VALUE The argument 'encoding' is invalid encoding. Received 'klingon'",
        "ERR_INVALID_ARG_VALUE The argument 'flags' is invalid. Received 'bogus'",
        "ERR_OUT_OF_RANGE The value of \"mode\" is out of range. It must be >= 0 && <= 4294967295. Received -1",
        "content abc", "rejected ERR_OUT_OF_RANGE", "rejected ERR_INVALID_ARG_VALUE"), out);
  }

  @Test
  void truncateAndAccessFromAnotherThreadFailWithoutACrash() throws Exception {
    Files.writeString(tmp.resolve("f"), "abcdef");
    String f = tmp.resolve("f").toString();
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      RuntimeException[] got = new RuntimeException[1];
      Thread t = new Thread(() -> {
        try {
          fs.truncate(f, 1, (e, v) -> out.add("called back on " + Thread.currentThread().getName()));
        } catch (RuntimeException e) {
          got[0] = e;
        }
      });
      t.start();
      t.join();
      out.add(got[0] != null ? got[0].getClass().getSimpleName() : "no exception");
      fs.truncate(f, 2, (e, v) -> out.add("truncated " + fs.readFileSync(f, "utf8")));
    });
    assertEquals(List.of("IllegalStateException", "truncated ab"), out);
  }
}
