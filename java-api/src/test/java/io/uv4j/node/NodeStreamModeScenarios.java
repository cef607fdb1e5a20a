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
}
