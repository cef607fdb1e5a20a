package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** String decoding and object mode of streams: the StringDecoder and the misuse each mode refuses. */
@ExtendWith(LeakCheck.class)
class NodeStreamModesTest {
  @Test
  void utf8DecoderCarriesEverySplitOfEveryCharacter() {
    String text = "aé€𝄞z";
    byte[] all = text.getBytes(StandardCharsets.UTF_8);
    for (int cut1 = 0; cut1 <= all.length; cut1++) {
      for (int cut2 = cut1; cut2 <= all.length; cut2++) {
        StringDecoder d = new StringDecoder("utf8");
        String out = d.write(java.util.Arrays.copyOfRange(all, 0, cut1))
            + d.write(java.util.Arrays.copyOfRange(all, cut1, cut2))
            + d.write(java.util.Arrays.copyOfRange(all, cut2, all.length)) + d.end();
        assertEquals(text, out, "cuts " + cut1 + "," + cut2);
      }
    }
  }

  @Test
  void decoderTails() {
    StringDecoder utf8 = new StringDecoder("UTF-8");
    assertEquals("", utf8.write(new byte[] {(byte) 0xE2, (byte) 0x82}));
    assertEquals("\uFFFD", utf8.end());
    assertEquals("", utf8.end(), "end() resets");
    StringDecoder b64 = new StringDecoder("base64");
    assertEquals("", b64.write(new byte[] {1, 2}));
    assertEquals("AQID", b64.write(new byte[] {3}));
    assertEquals("", b64.write(new byte[] {4}));
    assertEquals("BA==", b64.end());
    StringDecoder u16 = new StringDecoder("ucs2");
    assertEquals("utf16le", u16.encoding());
    byte[] clef = "𝄞".getBytes(StandardCharsets.UTF_16LE);
    // Node splits the pair into its two code units (whole once concatenated).
    assertEquals("\ud834", u16.write(java.util.Arrays.copyOfRange(clef, 0, 3)));
    assertEquals("\udd1e", u16.write(java.util.Arrays.copyOfRange(clef, 3, 4)));
    assertEquals("", u16.write(new byte[] {0x34, (byte) 0xd8}), "a high surrogate waits for its pair");
    assertEquals("𝄞", u16.write(new byte[] {0x1e, (byte) 0xdd}));
    assertThrows(NodeError.class, () -> new StringDecoder("klingon"));
  }

  @Test
  void eachModeRefusesTheOthersReadsAndWrites() throws Exception {
    NodeRuntime.run(node -> {
      NodeStream bytes = NodeStreamModeScenarios.idleReadable(node, NodeStream.Options.readable());
      bytes.push(new byte[] {1});
      assertThrows(IllegalStateException.class, bytes::readString);
      assertThrows(IllegalStateException.class, bytes::readObject);
      bytes.setEncoding("hex");
      assertThrows(IllegalStateException.class, bytes::read);
      assertEquals("01", bytes.readString());
      assertThrows(NodeError.class, () -> bytes.setEncoding("nope"));

      NodeStream objects = NodeStreamModeScenarios.idleReadable(node, NodeStream.Options.readable().withObjectMode(true));
      assertEquals(NodeStream.DEFAULT_OBJECT_HIGH_WATER_MARK, objects.readableHighWaterMark());
      objects.push(42);
      assertThrows(IllegalStateException.class, objects::read);
      assertEquals(42, objects.readObject());

      // A byte writable throws for a chunk that is neither bytes nor a string, like Node.
      NodeStream sink = new NodeStream(node, NodeStream.Options.writable()) {
        @Override
        protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
          cb.accept(null);
        }
      };
      NodeError e = assertThrows(NodeError.class, () -> sink.write((Object) 5));
      assertEquals("ERR_INVALID_ARG_TYPE", e.code());
      assertEquals("ERR_STREAM_NULL_VALUES", assertThrows(NodeError.class, () -> sink.write((Object) null)).code());
      sink.end();

      // A byte readable given an object is destroyed with ERR_INVALID_ARG_TYPE.
      NodeStream wrong = NodeStreamModeScenarios.idleReadable(node, NodeStream.Options.readable());
      List<String> errors = new ArrayList<>();
      wrong.onError(err -> errors.add(((NodeError) err).code()));
      assertFalse(wrong.push(new Object()));
      node.setImmediate(() -> {
        assertEquals(List.of("ERR_INVALID_ARG_TYPE"), errors);
        assertTrue(wrong.isDestroyed());
      });
      assertThrows(IllegalArgumentException.class,
          () -> NodeTransform.of(node, NodeStream.Options.readable(), (c, cb) -> { }));
    });
  }

  /** As Node 20 prints it: the transform's write callback waits while its readable side is full. */
  @Test
  void byteTransformPassesBackpressureOn() throws Exception {
    List<String> out = new ArrayList<>();
    List<String> writes = new ArrayList<>();
    NodeRuntime.run(node -> {
      NodeTransform upper = NodeTransform.of(node, NodeStream.Options.duplex().withHighWaterMark(4),
          (chunk, cb) -> cb.call(null, new String((byte[]) chunk, StandardCharsets.UTF_8).toUpperCase()));
      upper.setEncoding("utf8");
      for (String s : new String[] {"ab", "cd", "ef", "gh", "ij"}) {
        boolean ok = upper.write(s);
        writes.add(ok + ":" + upper.readableLength() + ":" + upper.writableLength());
      }
      upper.end();
      upper.onStringData(out::add);
      upper.onEnd(() -> out.add("end"));
    });
    assertEquals(List.of("true:2:0", "true:4:2", "false:4:4", "false:4:6", "false:4:8"), writes);
    assertEquals(List.of("AB", "CD", "EF", "GH", "IJ", "end"), out);
  }
}
