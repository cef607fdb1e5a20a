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
      assertThrows(IndexOutOfBoundsException.class, () -> fs.readSync(0, b, 2, 5, 0));
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
}
