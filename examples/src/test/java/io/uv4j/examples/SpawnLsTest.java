package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnLsTest {
  @TempDir Path dir;

  @AfterEach
  void nothingLeftOpen() {
    assertEquals(0, Uv.liveLoops(), "loops left open");
  }

  @Test
  void listsTheDirectoryAndPrintsTheExitStatus() throws Exception {
    Files.writeString(dir.resolve("first-file.txt"), "x");
    Files.createDirectory(dir.resolve("a-subdir"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = SpawnLs.run(dir.toString(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, out);
    assertTrue(out.startsWith("total "), out);
    assertTrue(out.contains("first-file.txt") && out.contains("a-subdir"), out);
    assertTrue(out.endsWith("exit status 0\n"), out);
  }

  @Test
  void aFailingLsReportsItsStatus() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = SpawnLs.run(dir.resolve("missing").toString(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(2, status); // GNU ls: "serious trouble" (cannot access a command-line argument)
    assertEquals("exit status 2\n", bytes.toString(StandardCharsets.UTF_8));
  }
}
