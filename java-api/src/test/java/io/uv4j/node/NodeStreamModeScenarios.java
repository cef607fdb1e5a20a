package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Java twins of the scenarios for string decoding and object mode in streams (setEncoding, the
 * encoding option, objectMode, Transform, Readable.from): the same program as NAME.js, line for
 * line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeStreamModeScenarios {
  private NodeStreamModeScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("stream_set_encoding", NodeStreamModeScenarios::streamSetEncoding);
    all.put("stream_object_mode", NodeStreamModeScenarios::streamObjectMode);
    all.put("net_set_encoding", NodeStreamModeScenarios::netSetEncoding);
  }

  /** {@code new Readable({...options, read})}. */
  static NodeStream readable(NodeRuntime node, NodeStream.Options options, BiConsumer<NodeStream, Integer> read) {
    return new NodeStream(node, options) {
      @Override
      protected void doRead(int size) {
        read.accept(this, size);
      }
    };
  }

  /** {@code new Readable({read() {}})}. */
  static NodeStream idleReadable(NodeRuntime node, NodeStream.Options options) {
    return readable(node, options, (self, size) -> { });
  }

  /** {@code new Writable({objectMode: true, ...options, write})}. */
  static NodeStream objectWritable(NodeRuntime node, NodeStream.Options options,
      BiConsumer<Object, Consumer<Throwable>> write) {
    return new NodeStream(node, options) {
      @Override
      protected void doWriteObject(Object chunk, Consumer<Throwable> cb) {
        write.accept(chunk, cb);
      }
    };
  }

  static String json(Object v) {
    return Json.stringify(v);
  }

  // ------------------------------------------------------------------ stream_set_encoding

  private static final String TEXT = "aé€𝄞z ½ ünï";

  private static void streamSetEncoding(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    String file = System.getProperty("java.io.tmpdir") + "/uv4j-set-encoding-" + ProcessHandle.current().pid() + ".txt";
    fs.writeFileSync(file, TEXT.getBytes(StandardCharsets.UTF_8));
    int[] hwm = {1};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (hwm[0] > 5) {
        fs.unlinkSync(file);
        others(node, log);
        return;
      }
      List<String> chunks = new ArrayList<>();
      NodeFs.ReadStream s = fs.createReadStream(file,
          NodeFs.ReadOptions.DEFAULT.withEncoding("utf8").withHighWaterMark(hwm[0]));
      s.onStringData(chunks::add);
      s.onEnd(() -> {
        log.accept("hwm " + hwm[0] + " " + (chunks.get(0) instanceof String ? "string" : "object") + " "
            + s.readableEncoding() + " " + json(chunks) + " whole " + String.join("", chunks).equals(TEXT));
        hwm[0]++;
        next[0].run();
      });
    };
    next[0].run();
  }

  private static final int[][] PARTS = {{0x61}, {0xe2, 0x82}, {0xac, 0x3d, 0xd8}, {0x34, 0xdd}, {0x7a}};

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static void others(NodeRuntime node, Consumer<String> log) {
    for (String enc : new String[] {"hex", "base64", "utf16le", "latin1", "utf8"}) {
      NodeStream r = idleReadable(node, NodeStream.Options.readable());
      r.setEncoding(enc);
      List<String> out = new ArrayList<>();
      r.onStringData(out::add);
      r.onEnd(() -> log.accept(enc + " " + json(out)));
      for (int[] b : PARTS) {
        r.push(bytes(b));
      }
      r.push(null);
    }
    NodeStream late = idleReadable(node, NodeStream.Options.readable());
    late.push(bytes(0x68, 0x69, 0xf0, 0x9d));
    log.accept("buffered bytes " + late.readableLength());
    late.setEncoding("utf8");
    log.accept("after setEncoding " + late.readableLength() + " " + late.readableEncoding());
    late.push(bytes(0x84, 0x9e, 0x21));
    late.push(bytes(0xe2, 0x82));
    late.push(null);
    late.on("readable", () -> {
      String s;
      while ((s = late.readString(2)) != null) {
        log.accept("read(2) " + json(s));
      }
    });
    late.onEnd(() -> log.accept("late end"));
    NodeStream own = idleReadable(node, NodeStream.Options.readable().withEncoding("hex"));
    own.onStringData(c -> log.accept("own " + json(c)));
    own.push("cafe", "hex");
    own.push("hi");
    own.push(null);
  }

  // ------------------------------------------------------------------ stream_object_mode

  private static Map<String, Object> pair(int n) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("n", n);
    m.put("twice", n * 2);
    return m;
  }

  private static void streamObjectMode(NodeRuntime node, Consumer<String> log) {
    NodeStream src = NodeStream.from(node, List.of(1, 2, 3, 4, 5));
    NodeTransform dbl = new NodeTransform(node, NodeStream.Options.duplex().withObjectMode(true).withHighWaterMark(2)) {
      @Override
      protected void doTransform(Object n, Callback cb) {
        log.accept("transform " + n + " buffered " + readableLength());
        cb.call(null, pair((Integer) n));
      }

      @Override
      protected void doFlush(Callback cb) {
        log.accept("flush");
        cb.call(null, pair(0));
      }
    };
    NodeStream[] sink = new NodeStream[1];
    sink[0] = objectWritable(node, NodeStream.Options.writable().withObjectMode(true).withHighWaterMark(2),
        (obj, cb) -> {
          log.accept("write " + json(obj) + " pending " + sink[0].writableLength());
          node.setImmediate(() -> cb.accept(null));
        });
    log.accept("hwm " + src.readableHighWaterMark() + " " + src.readableObjectMode() + " "
        + dbl.readableHighWaterMark() + " " + dbl.writableHighWaterMark() + " " + sink[0].writableHighWaterMark()
        + " " + sink[0].writableObjectMode());
    src.onEnd(() -> log.accept("src end"));
    src.onClose(() -> log.accept("src close"));
    dbl.onEnd(() -> log.accept("double end"));
    dbl.onFinish(() -> log.accept("double finish"));
    dbl.onClose(() -> log.accept("double close"));
    sink[0].onDrain(() -> log.accept("sink drain"));
    sink[0].onFinish(() -> log.accept("sink finish"));
    sink[0].onClose(() -> log.accept("sink close"));
    NodeStream.pipeline(src, dbl, sink[0], err -> {
      log.accept("pipeline " + (err == null ? "undefined" : err));
      objectModeSecond(node, log);
    });
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void objectModeSecond(NodeRuntime node, Consumer<String> log) {
    NodeStream w = objectWritable(node, NodeStream.Options.writable().withObjectMode(true),
        (o, cb) -> node.nextTick(() -> cb.accept(null)));
    int i = 0;
    boolean ok;
    do {
      ok = w.write(Map.of("i", i++));
    } while (ok);
    log.accept("false after " + i + " writes, length " + w.writableLength() + " needDrain " + w.writableNeedDrain());
    w.onDrain(() -> {
      log.accept("drain " + w.writableLength());
      w.end("last", e -> log.accept("end callback"));
    });
    w.onFinish(() -> log.accept("w finish"));
    w.onClose(() -> {
      log.accept("w close");
      objectModeThird(node, log);
    });
    try {
      w.write((Object) null);
    } catch (NodeError e) {
      log.accept("write(null) " + e.code());
    }
  }

  private static void objectModeThird(NodeRuntime node, Consumer<String> log) {
    NodeStream r = idleReadable(node, NodeStream.Options.readable().withObjectMode(true));
    r.push("a");
    r.push(Map.of("x", 1));
    r.push(0);
    r.push("");
    log.accept("length " + r.readableLength());
    log.accept("read " + json(r.readObject()) + " " + json(r.readObject()) + " " + json(r.readObject()));
    log.accept("length " + r.readableLength());
    NodeStream bad = NodeStream.from(node, java.util.Arrays.asList("x", null, "y"));
    bad.onObjectData(d -> log.accept("bad data " + d));
    bad.onError(e -> log.accept("bad error " + ((NodeError) e).code()));
    bad.onClose(() -> log.accept("bad close"));
    Promise.resolve(node, null).thenRun(() -> log.accept("microtask"));
    node.nextTick(() -> log.accept("tick 3"));
  }

  // ------------------------------------------------------------------ net_set_encoding

  private static void netSetEncoding(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server server = net.createServer(sock -> {
      sock.write(bytes(0x61, 0xe2, 0x82));
      sock.onData(d -> {
        log.accept("server got " + new String(d, StandardCharsets.UTF_8));
        sock.end(bytes(0xac, 0x62));
      });
    });
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket client = net.connect(server.address().getPort(), "127.0.0.1");
      client.setEncoding("utf8");
      int[] n = {0};
      client.onStringData(s -> {
        log.accept("client data string " + json(s) + " " + client.readableEncoding());
        if (++n[0] == 1) {
          client.write("ok");
        }
      });
      client.onEnd(() -> {
        log.accept("client end");
        client.end();
        server.close(e -> log.accept("server closed"));
      });
    });
  }
}
