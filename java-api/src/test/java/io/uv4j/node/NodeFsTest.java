package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.DirEntry;
import io.uv4j.Fs;
import io.uv4j.LeakCheck;
import io.uv4j.UvException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class NodeFsTest {
  private String dir;

  @BeforeEach
  void setUp() throws Exception {
    dir = NodeTesting.tmpdir();
  }

  @AfterEach
  void tearDown() throws Exception {
    // Only descriptors on the test's own files count: the JVM may open its own (class loading).
    assertEquals(0, openFdsUnder(dir), "file descriptors left open on the test's files");
    NodeTesting.removeTree(dir);
  }

  private static long openFdsUnder(String dir) throws IOException {
    String prefix = Paths.get(dir).toRealPath().toString();
    try (Stream<Path> s = Files.list(Paths.get("/proc/self/fd"))) {
      return s.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith(prefix);
        } catch (IOException closedMeanwhile) {
          return false;
        }
      }).count();
    }
  }

  private static void write(String path, byte[] data) throws UvException {
    int fd = Fs.openSync(path, NodeFs.flags("w"), 0644);
    try {
      Fs.writeSync(fd, ByteBuffer.wrap(data), -1);
    } finally {
      Fs.closeSync(fd);
    }
  }

  // ------------------------------------------------------------------ whole files

  @Test
  void readFileOfAMissingFileIsANodeStyleError() {
    String missing = dir + "/missing.txt";
    NodeError[] got = new NodeError[1];
    NodeTesting.run(node -> NodeFs.of(node).readFile(missing, (err, data) -> {
      got[0] = err;
      assertNull(data);
    }));
    SystemError e = (SystemError) got[0];
    assertEquals("ENOENT", e.code());
    assertEquals("open", e.syscall());
    assertEquals(missing, e.path());
    assertTrue(e.errno() < 0);
    assertEquals("ENOENT: no such file or directory, open '" + missing + "'", e.getMessage());
  }

  @Test
  void readFileOfADirectoryFailsInRead() {
    NodeError[] got = new NodeError[1];
    NodeTesting.run(node -> NodeFs.of(node).readFile(dir, (err, data) -> got[0] = err));
    assertEquals("EISDIR", got[0].code());
    assertEquals("read", ((SystemError) got[0]).syscall());
    assertEquals("EISDIR: illegal operation on a directory, read", got[0].getMessage());
  }

  @Test
  void writeFileThenReadFileRoundTripsSeveralChunks() {
    // Over 512 KiB: readFile needs several reads.
    byte[] data = NodeTesting.pattern(1_500_000 + 17);
    String file = dir + "/big.bin";
    byte[][] back = new byte[1][];
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.writeFile(file, data, (err, v) -> {
        assertNull(err);
        fs.readFile(file, (err2, read) -> {
          assertNull(err2);
          back[0] = read;
        });
      });
    });
    assertArrayEquals(data, back[0]);
  }

  @Test
  void appendFileAndEncodings() {
    String file = dir + "/text.txt";
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.writeFile(file, "h\u00e9llo", (e1, v1) -> fs.appendFile(file, " w\u00f6rld", (e2, v2) -> {
        fs.readFile(file, "utf8", (e3, s) -> got.add(s));
        fs.readFile(file, "hex", (e4, s) -> got.add(s));
        fs.readFile(file, "base64", (e5, s) -> got.add(s));
      }));
    });
    got.sort(null);
    List<String> expected = new ArrayList<>(List.of("h\u00e9llo w\u00f6rld", "68c3a96c6c6f2077c3b6726c64", "aMOpbGxvIHfDtnJsZA=="));
    expected.sort(null);
    assertEquals(expected, got);
  }

  @Test
  void readFileOfAFileWithoutASizeReadsUntilTheEnd() {
    // /proc files report size 0: read in chunks until a read returns 0.
    String[] got = new String[1];
    NodeTesting.run(node -> NodeFs.of(node).readFile("/proc/self/status", "utf8", (err, s) -> got[0] = s));
    assertTrue(got[0].startsWith("Name:"), got[0]);
    assertTrue(got[0].contains("\nPid:"));
  }

  @Test
  void unknownEncodingThrowsAtOnce() {
    NodeTesting.run(node -> {
      NodeError e = assertThrows(NodeError.class, () -> NodeFs.of(node).readFile(dir + "/x", "klingon", (err, s) -> { }));
      assertEquals("ERR_UNKNOWN_ENCODING", e.code());
    });
  }

  // ------------------------------------------------------------------ directories and names

  @Test
  void mkdirRecursiveReportsTheFirstDirectoryCreated() {
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.mkdir(dir + "/a/b/c", true, (err, first) -> {
        got.add(err + " " + first);
        fs.mkdir(dir + "/a/b", true, (err2, first2) -> {
          got.add(err2 + " " + first2);
          fs.mkdir(dir + "/a", (err3, v) -> {
            got.add(err3.code());
            fs.stat(dir + "/a/b/c", (err4, st) -> got.add("dir " + st.isDirectory()));
          });
        });
      });
    });
    assertEquals(List.of("null " + dir + "/a", "null null", "EEXIST", "dir true"), got);
  }

  @Test
  void mkdirRecursiveThroughAFileFailsNamingThePathAskedFor() throws Exception {
    write(dir + "/file", new byte[] {1});
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.mkdir(dir + "/file/sub/x", true, (err, first) -> got.add(err.getMessage()));
      fs.mkdir(dir + "/file", true, (err, first) -> got.add(err.code()));
    });
    got.sort(null);
    assertEquals(List.of("EEXIST", "ENOTDIR: not a directory, mkdir '" + dir + "/file/sub/x'"), got);
  }

  @Test
  void readdirIsSortedAndKnowsTypes() throws Exception {
    write(dir + "/b", new byte[0]);
    write(dir + "/a", new byte[0]);
    Fs.mkdirSync(dir + "/c", 0755);
    List<String> names = new ArrayList<>();
    List<DirEntry> entries = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.readdir(dir, (err, n) -> names.addAll(n));
      fs.readdirWithFileTypes(dir, (err, e) -> entries.addAll(e));
    });
    assertEquals(List.of("a", "b", "c"), names);
    assertEquals(DirEntry.Type.DIR, entries.get(2).type());
    assertEquals(DirEntry.Type.FILE, entries.get(0).type());
  }

  @Test
  void rmFollowsNodesRules() throws Exception {
    Fs.mkdirSync(dir + "/tree", 0755);
    Fs.mkdirSync(dir + "/tree/sub", 0755);
    write(dir + "/tree/sub/f", new byte[] {1, 2});
    write(dir + "/tree/g", new byte[] {3});
    write(dir + "/lone", new byte[] {4});
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.rm(dir + "/tree", false, false, (e1, v1) -> {
        SystemError se = (SystemError) e1;
        got.add(se.code() + " " + se.syscall() + " " + se.getMessage());
        fs.rm(dir + "/missing", false, false, (e2, v2) -> {
          got.add(e2.code() + " " + ((SystemError) e2).syscall());
          fs.rm(dir + "/missing", false, true, (e3, v3) -> {
            got.add("force " + e3);
            fs.rm(dir + "/lone", false, false, (e4, v4) -> {
              got.add("file " + e4);
              fs.rm(dir + "/tree", true, false, (e5, v5) -> {
                got.add("tree " + e5);
                fs.readdir(dir, (e6, names) -> got.add("left " + names));
              });
            });
          });
        });
      });
    });
    assertEquals(List.of(
        "ERR_FS_EISDIR rm Path is a directory: rm returned EISDIR (is a directory) " + dir + "/tree",
        "ENOENT lstat", "force null", "file null", "tree null", "left []"), got);
  }

  @Test
  void renameErrorNamesBothPaths() {
    NodeError[] got = new NodeError[1];
    NodeTesting.run(node -> NodeFs.of(node).rename(dir + "/x", dir + "/y", (err, v) -> got[0] = err));
    SystemError e = (SystemError) got[0];
    assertEquals("ENOENT: no such file or directory, rename '" + dir + "/x' -> '" + dir + "/y'", e.getMessage());
    assertEquals(dir + "/y", e.dest());
  }

  // ------------------------------------------------------------------ fs.promises

  @Test
  void promisesResolveAndRejectLikeTheCallbacks() {
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.Promises fsp = NodeFs.of(node).promises();
      fsp.writeFile(dir + "/p.txt", "promised")
          .thenCompose(v -> fsp.readFile(dir + "/p.txt", "utf8"))
          .then(s -> got.add("read " + s))
          .thenCompose(v -> fsp.stat(dir + "/p.txt"))
          .then(st -> got.add("size " + st.size()))
          .thenCompose(v -> fsp.unlink(dir + "/p.txt"))
          .thenCompose(v -> fsp.readFile(dir + "/p.txt"))
          .then(b -> got.add("never"), err -> got.add("rejected " + ((NodeError) err).code()));
    });
    assertEquals(List.of("read promised", "size 8", "rejected ENOENT"), got);
  }

  @Test
  void callbacksRunThroughMakeCallbackSoTicksFollowEachOne() {
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      fs.stat(dir, (err, st) -> {
        got.add("callback");
        Promise.resolve(node, null).then(v -> got.add("promise"));
        node.nextTick(() -> got.add("tick"));
        node.setImmediate(() -> got.add("immediate"));
      });
    });
    assertEquals(List.of("callback", "tick", "promise", "immediate"), got);
  }

  // ------------------------------------------------------------------ streams

  @Test
  void writeStreamBackpressureReturnsFalseAtTheMarkThenDrains() {
    String file = dir + "/w.txt";
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.WriteStream ws = NodeFs.of(node).createWriteStream(file, "w", 10);
      got.add("first " + ws.write("12345"));           // 5 < 10
      got.add("second " + ws.write("67890"));          // 10: at the mark
      got.add("needDrain " + ws.writableNeedDrain() + ", length " + ws.writableLength());
      ws.on("drain", () -> {
        got.add("drain, length " + ws.writableLength());
        ws.end("!");
      });
      ws.on("finish", () -> got.add("finish"));
      ws.on("close", () -> got.add("close, written " + ws.bytesWritten()));
    });
    assertEquals(List.of("first true", "second false", "needDrain true, length 10", "drain, length 0",
        "finish", "close, written 11"), got);
  }

  @Test
  void writeAfterEndIsAnErrorForTheCallbackAndTheStream() {
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.WriteStream ws = NodeFs.of(node).createWriteStream(dir + "/e.txt");
      ws.end("done");
      assertFalse(ws.write("late", err -> got.add("cb " + ((NodeError) err).code())));
      ws.on("error", args -> got.add("error " + ((NodeError) args[0]).code()));
      ws.on("close", () -> got.add("close"));
    });
    assertEquals(List.of("cb ERR_STREAM_WRITE_AFTER_END", "error ERR_STREAM_WRITE_AFTER_END", "close"), got);
  }

  @Test
  void writeStreamOpenErrorFailsPendingWritesThenErrorThenClose() {
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.WriteStream ws = NodeFs.of(node).createWriteStream(dir + "/no/such/dir/x");
      ws.write("abc", err -> got.add("write cb " + ((NodeError) err).code()));
      ws.on("error", args -> got.add("error " + ((SystemError) args[0]).getMessage()));
      ws.on("close", () -> got.add("close"));
    });
    assertEquals(List.of("write cb ENOENT",
        "error ENOENT: no such file or directory, open '" + dir + "/no/such/dir/x'", "close"), got);
  }

  @Test
  void readStreamRangeAndChunks() throws Exception {
    write(dir + "/r.txt", "0123456789abcdefghij".getBytes());
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.ReadStream rs = NodeFs.of(node).createReadStream(dir + "/r.txt", 4, 3, 12);
      rs.on("data", args -> got.add(new String((byte[]) args[0])));
      rs.on("end", () -> got.add("end " + rs.bytesRead()));
    });
    assertEquals(List.of("3456", "789a", "bc", "end 10"), got);
  }

  @Test
  void pausedReadStreamStopsEmittingAndResumes() throws Exception {
    write(dir + "/p.bin", NodeTesting.pattern(100_000));
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.ReadStream rs = NodeFs.of(node).createReadStream(dir + "/p.bin", 10_000);
      long[] total = {0};
      rs.on("data", args -> {
        total[0] += ((byte[]) args[0]).length;
        if (total[0] == 10_000) {
          rs.pause();
          got.add("paused, flowing " + rs.readableFlowing());
          // While paused, reads fill the buffer up to the high-water mark, then stop.
          node.setTimeout(() -> {
            got.add("still " + total[0] + ", buffered <= mark " + (rs.readableLength() <= 10_000));
            rs.resume();
          }, 50);
        }
      });
      rs.on("end", () -> got.add("end " + total[0]));
    });
    assertEquals(List.of("paused, flowing false", "still 10000, buffered <= mark true", "end 100000"), got);
  }

  @Test
  void pipeCopiesAMultiMegabyteFileByteForByteWithBackpressure() throws Exception {
    byte[] data = NodeTesting.pattern(5 * 1024 * 1024 + 3);
    write(dir + "/src.bin", data);
    int[] falseWrites = {0};
    long[] maxBuffered = {0};
    NodeTesting.run(node -> {
      NodeFs fs = NodeFs.of(node);
      NodeFs.ReadStream rs = fs.createReadStream(dir + "/src.bin");
      NodeFs.WriteStream ws = fs.createWriteStream(dir + "/dst.bin", "w", 16 * 1024);
      assertSame(ws, rs.pipe(ws));
      // After the pipe's own 'data' listener: sees the state its write left.
      rs.on("data", args -> {
        if (ws.writableNeedDrain()) {
          falseWrites[0]++;
        }
        maxBuffered[0] = Math.max(maxBuffered[0], ws.writableLength());
      });
    });
    assertArrayEquals(data, Files.readAllBytes(Paths.get(dir, "dst.bin")));
    // Each 64 KiB chunk fills the 16 KiB writer: the source waits for 'drain' every time, so
    // the writer never holds more than one chunk.
    assertTrue(falseWrites[0] > 70, "writes returned false " + falseWrites[0] + " times");
    assertTrue(maxBuffered[0] <= 64 * 1024, "writer buffered " + maxBuffered[0]);
  }

  @Test
  void destroyingAReadStreamMidReadClosesTheFile() throws Exception {
    write(dir + "/d.bin", NodeTesting.pattern(1_000_000));
    List<String> got = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs.ReadStream rs = NodeFs.of(node).createReadStream(dir + "/d.bin", 1000);
      rs.once("data", () -> rs.destroy());
      rs.on("end", () -> got.add("end (never)"));
      rs.on("close", () -> got.add("close, destroyed " + rs.isDestroyed()));
    });
    assertEquals(List.of("close, destroyed true"), got); // and tearDown finds no fd left open
  }
}
