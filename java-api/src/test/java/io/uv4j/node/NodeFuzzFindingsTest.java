package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regressions for what the Node-layer fuzzer ({@code io.uv4j.fuzz.NodeApiFuzzer}) found: each
 * test is one finding, checked against what Node 20 does ({@code node -e}).
 */
@ExtendWith(LeakCheck.class)
class NodeFuzzFindingsTest {
  @TempDir
  Path tmp;

  static final String UNHANDLED = "This error originated either by throwing inside of an async function without a "
      + "catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the "
      + "reason \"undefined\".";

  @Test
  void promiseRejectedWithNullReachesUncaughtExceptionAsErrUnhandledRejection() {
    List<Object> seen = new ArrayList<>();
    NodeTesting.run(node -> {
      node.onUncaughtExceptionWithOrigin((t, origin) -> {
        seen.add(origin);
        seen.add(t instanceof NodeError ? ((NodeError) t).code() : t);
        seen.add(t.getMessage());
      });
      Promise.reject(node, null);
    });
    assertEquals(List.of("unhandledRejection", "ERR_UNHANDLED_REJECTION", UNHANDLED), seen);
  }

  @Test
  void promiseRejectedWithNullWarnsUndefinedInWarnMode() throws Exception {
    List<String> warnings = new ArrayList<>();
    NodeRuntime.run(RuntimeOptions.defaults().withUnhandledRejections(UnhandledRejections.WARN), node -> {
      node.onWarning(w -> warnings.add(w.name() + ": " + w.getMessage()));
      Promise.reject(node, null);
    });
    assertEquals(2, warnings.size(), warnings.toString());
    assertEquals("UnhandledPromiseRejectionWarning: undefined", warnings.get(0));
  }

  @Test
  void fsReadAndWriteRangesGiveNodesCodedErrors() throws Exception {
    Path f = tmp.resolve("f");
    Files.writeString(f, "hello\n");
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = node.fs();
      int fd = fs.openSync(f.toString(), "r+");
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[64], 0, 100, 0, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[64], -1, 10, 0, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[64], 80, 10, 0, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[64], 0, -3, 0, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[64], 0, 4, -5, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.read(fd, new byte[0], 0, 100, 0, (e, n) -> { })).code());
      out.add(assertThrows(NodeError.class, () -> fs.readSync(fd, new byte[16], 17, 16, 0)).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.write(fd, new byte[4], 0, 9, 0, (e, n) -> { })).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.writeSync(fd, new byte[0], -1, 0, 0)).getMessage());
      out.add(fs.readSync(fd, new byte[4], 80, 0, -5)); // length 0: nothing read, no check of the rest
      out.add(fs.writeSync(fd, "ab".getBytes(StandardCharsets.UTF_8), 0, 2, -5)); // negative: the file position
      fs.read(fd, new byte[2], 9, 0, 0, (e, n) -> {
        out.add("cb " + e + " " + n);
        fs.closeSync(fd);
      });
    });
    assertEquals(List.of(
        "The value of \"length\" is out of range. It must be <= 64. Received 100",
        "The value of \"offset\" is out of range. It must be >= 0 && <= 9007199254740991. Received -1",
        "The value of \"length\" is out of range. It must be <= -16. Received 10",
        "The value of \"length\" is out of range. It must be >= 0. Received -3",
        "The value of \"position\" is out of range. It must be >= -1 && <= 9007199254740991. Received -5",
        "ERR_INVALID_ARG_VALUE",
        "The value of \"length\" is out of range. It must be <= -1. Received 16",
        "The value of \"length\" is out of range. It must be <= 4. Received 9",
        "The value of \"offset\" is out of range. It must be >= 0 && <= 9007199254740991. Received -1",
        0, 2, "cb null 0"), out);
    assertEquals("abllo\n", Files.readString(f));
  }

  @Test
  void streamAndPathArgumentsGiveCodedErrors() {
    String nul = tmp + "/nul\0x";
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeFs fs = node.fs();
      out.add(assertThrows(NodeError.class, () -> fs.createReadStream(tmp + "/x", -1, -1, -1)).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.createWriteStream(tmp + "/x", "w", -1)).code());
      out.add(assertThrows(NodeError.class, () -> fs.createReadStream(nul)).getMessage());
      out.add(assertThrows(NodeError.class, () -> fs.createWriteStream(nul)).code());
      out.add(assertThrows(NodeError.class, () -> fs.readdirSync(nul)).code());
      out.add(assertThrows(NodeError.class, () -> fs.rmSync(nul, true, true)).code());
      out.add(assertThrows(NodeError.class, () -> fs.rmSync(null, true, true)).code());
      NodeStream one = fs.createReadStream(tmp + "/x");
      one.on("error", a -> { });
      out.add(assertThrows(NodeError.class, () -> NodeStream.pipeline(List.of(one), e -> { })).getMessage());
      one.destroy();
    });
    assertEquals(List.of(
        "The property 'options.highWaterMark' is invalid. Received -1",
        "ERR_INVALID_ARG_VALUE",
        "The argument 'path' must be a string, Uint8Array, or URL without null bytes. Received '" + tmp + "/nul\\x00x'",
        "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ARG_VALUE", "ERR_INVALID_ARG_TYPE",
        "The \"streams\" argument must be specified"), out);
  }

  @Test
  void readFileSyncOfAFileOver2GiBIsErrFsFileTooLargeNotOutOfMemory() throws Exception {
    Path f = tmp.resolve("sparse");
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(3L << 30); // sparse: no disk used
    }
    AtomicReference<NodeError> e = new AtomicReference<>();
    NodeTesting.run(node -> e.set(assertThrows(NodeError.class, () -> node.fs().readFileSync(f.toString()))));
    assertEquals("ERR_FS_FILE_TOO_LARGE", e.get().code());
    assertEquals("File size (3221225472) is greater than 2 GiB", e.get().getMessage());
  }

  @Test
  void connectWhileConnectingDestroysWithEalreadyNotAnUncaughtIllegalStateException() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net.Server srv = node.net().createServer(Net.Socket::end);
      srv.listen(0, "127.0.0.1", () -> {
        int port = srv.address().getPort();
        Net.Socket s = node.net().connect(port, "127.0.0.1", () -> out.add("connect1"));
        s.on("error", a -> {
          SystemError err = (SystemError) a[0];
          out.add(err.code() + " " + err.getMessage().startsWith("connect EALREADY 127.0.0.1:" + port + " - Local (127.0.0.1:"));
        });
        s.on("close", () -> {
          out.add("close");
          srv.close();
        });
        s.connect(port, "127.0.0.1", () -> out.add("connect2"));
      });
    });
    assertEquals(List.of("EALREADY true", "close"), out);
  }

  @Test
  void dgramSendToAnEmptyAddressGoesToLoopback() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      NodeDgram.Socket a = NodeDgram.of(node).createSocket("udp4");
      NodeDgram.Socket b = NodeDgram.of(node).createSocket("udp4");
      a.on("message", args -> {
        out.add(new String((byte[]) args[0], StandardCharsets.UTF_8) + " from " + ((NodeDgram.Rinfo) args[1]).address());
        a.close();
        b.close();
      });
      a.bind(0, "127.0.0.1", () -> b.send("x", a.address().port(), "", (e, n) -> out.add("sent " + e)));
    });
    assertEquals(List.of("sent null", "x from 127.0.0.1"), out);
  }

  @Test
  void serverListenedTwiceDuringItsLookupHasOneHandleAndClosesWithIt() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net.Server s = node.net().createServer();
      s.on("listening", () -> out.add("listening"));
      s.listen(0, "127.0.0.1", null);
      s.listen(0, "127.0.0.1", null); // Node: returns (no handle yet), then one handle, one 'listening'
      node.setTimeout(() -> s.close(e -> out.add("closed " + e)), 20);
    }); // a second, orphaned listening handle would keep the loop alive forever
    assertEquals(List.of("listening", "closed null"), out);
  }

  @Test
  void serverListenWithAnEmptyHostListensOnTheUnspecifiedAddress() {
    List<Object> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net.Server s = node.net().createServer();
      s.listen(0, "", () -> {
        out.add(s.address().getAddress().isAnyLocalAddress());
        s.close();
      });
    });
    assertEquals(List.of(true), out);
  }

  @Test
  void promiseFactoriesRefuseAForeignThread() throws Exception {
    AtomicReference<Throwable> got = new AtomicReference<>();
    NodeTesting.run(node -> {
      Thread t = new Thread(() -> {
        try {
          Promise.reject(node, new RuntimeException("off thread"));
        } catch (Throwable e) {
          got.set(e);
        }
      });
      t.start();
      t.join();
    });
    assertNotNull(got.get());
    assertTrue(got.get() instanceof IllegalStateException, String.valueOf(got.get()));
    assertFalse(got.get().getMessage().isEmpty());
  }

  @Test
  void emitOfANullEventNameIsFalseLikeNodesEmitOfUndefined() {
    EventEmitter e = new EventEmitter();
    assertFalse(e.emit(null));
    assertFalse(e.emit(null, "x"));
  }

  @Test
  void writeOfANullStringIsErrStreamNullValuesAndEndOfOneIsAPlainEnd() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net.Socket s = node.net().socket();
      out.add(assertThrows(NodeError.class, () -> s.write((String) null)).code());
      s.end((String) null, e -> { }); // Node's end(null): no chunk (was a NullPointerException without a message)
      out.add(String.valueOf(s.writableEnded()));
      s.destroy();
    });
    assertEquals(List.of("ERR_STREAM_NULL_VALUES", "true"), out);
  }

  @Test
  void aWriteQueuedWhileConnectingFailsWithErrSocketClosedWhenAConnectListenerDestroysTheSocket() {
    List<String> out = new ArrayList<>();
    NodeTesting.run(node -> {
      Net.Server srv = node.net().createServer(Net.Socket::destroy);
      srv.listen(0, "127.0.0.1", () -> {
        Net.Socket s = node.net().connect(srv.address().getPort(), "127.0.0.1", null);
        s.on("error", a -> out.add("error " + ((NodeError) a[0]).code()));
        s.on("connect", () -> s.destroy()); // before the write's own 'connect' listener
        s.write("queued", e -> out.add("write cb " + (e instanceof NodeError ? ((NodeError) e).code() : e)));
        s.on("close", () -> srv.close());
      });
    }); // was: a NullPointerException (handle null) escaping the loop
    assertEquals(List.of("write cb ERR_SOCKET_CLOSED"), out); // as Node 20 prints it (no 'error')
  }

  @Test
  void scryptParametersAreCheckedInNodesOrderWithItsMessages() {
    byte[] pw = {1};
    byte[] salt = {2};
    assertEquals("The value of \"N\" is out of range. It must be >= 0 && <= 4294967295. Received 1_099_511_627_776",
        assertThrows(NodeError.class, () -> Crypto.scryptSync(pw, salt, 16, 1L << 40, 0, 1, 0)).getMessage());
    assertEquals("The value of \"r\" is out of range. It must be >= 0 && <= 4294967295. Received -1",
        assertThrows(NodeError.class, () -> Crypto.scryptSync(pw, salt, 16, 16, -1, 1, 0)).getMessage());
    assertEquals("The value of \"keylen\" is out of range. It must be >= 0 && <= 2147483647. Received -1",
        assertThrows(NodeError.class, () -> Crypto.scryptSync(pw, salt, -1, -1, -1, 1, 0)).getMessage());
    assertEquals(16, Crypto.scryptSync(pw, salt, 16, 16, 0, 1, 0).length); // r 0: the default, as in Node
  }
}
