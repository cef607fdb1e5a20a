package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Uv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTourTest {
  @Test
  void startAndEndComeBeforeBothCompletions() throws Exception {
    String text = Captured.stdout(() -> NodeTour.main(new String[0]));
    List<String> lines = text.lines().toList();
    assertEquals(4, lines.size(), text);
    // The main code runs to its end before the loop runs any callback.
    assertEquals("Start", lines.get(0), text);
    assertEquals("End", lines.get(1), text);
    // Which completion comes first is up to the pool (the read normally wins): both arrive once.
    List<String> completions = lines.subList(2, 4);
    assertEquals(1, completions.stream().filter(l -> l.startsWith("File read complete (1,048,576 bytes")).count(), text);
    assertEquals(1, completions.stream().filter(l -> l.startsWith("Password hash complete (")).count(), text);
    // The key printed is PBKDF2-HMAC-SHA512 of ('password', 'salt', 100000): what Node prints.
    assertTrue(text.contains("key f5d17022c96af46c..."), text);
    assertEquals(0, Uv.liveRequests(), "requests left in flight");
    assertEquals(0, Uv.liveLoops(), "loops left open");
  }

  @Test
  void readsTheGivenFileWithFsReadFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data.bin");
    Files.write(file, new byte[12_345]);
    String text = Captured.stdout(() -> NodeTour.main(new String[] {file.toString()}));
    assertTrue(text.contains("File read complete (12,345 bytes"), text);

    String missing = Captured.stdout(() -> NodeTour.main(new String[] {dir.resolve("nope").toString()}));
    assertTrue(missing.contains("File read failed: ENOENT: no such file or directory, open '"
        + dir.resolve("nope") + "'"), missing);
    assertTrue(missing.contains("Password hash complete"), missing);
  }

  @Test
  void hashIsPbkdf2Sha512AsNodeComputesIt() throws Exception {
    // The same key as Node's crypto.pbkdf2Sync('password', 'salt', 1, 64, 'sha512') and Python's
    // hashlib.pbkdf2_hmac('sha512', b'password', b'salt', 1, 64).
    assertEquals("867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
        + "c02d470a285a0501bad999bfe943c08f050235d7d68b1da55e63f73b60a57fce",
        io.uv4j.node.Crypto.hex(io.uv4j.node.Crypto.pbkdf2Sync("password", "salt", 1, 64, "sha512")));
  }
}
