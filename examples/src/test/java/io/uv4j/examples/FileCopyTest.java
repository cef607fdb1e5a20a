package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uv4j.Uv;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCopyTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int copy(String... args) throws Exception {
    return FileCopy.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void nothingLeftOpen() {
    assertEquals(0, Uv.liveRequests(), "requests left in flight");
    assertEquals(0, Uv.liveLoops(), "loops left open");
  }

  @Test
  void copiesAFewMegabytesExactly() throws Exception {
    // Not a multiple of the 64 KiB chunk, so the last read is a short one.
    byte[] data = new byte[5 * 1024 * 1024 + 12_345];
    new Random(42).nextBytes(data);
    Path src = dir.resolve("src.bin");
    Path dst = dir.resolve("dst.bin");
    Files.write(src, data);

    assertEquals(0, copy(src.toString(), dst.toString()), err());
    assertArrayEquals(data, Files.readAllBytes(dst));
    assertEquals("", err());
    // One progress line redrawn with \r, ending at 100% and the full size.
    String progress = out();
    assertTrue(progress.startsWith("\r["), progress);
    assertTrue(progress.matches("(?s).*\\] 100%  5\\.3 MB  [0-9,.]+ MB/s\\R"), progress);
    assertEquals(progress.length() - 1, progress.indexOf('\n'), "all redraws on one line: " + progress);
  }

  @Test
  void replacesAnExistingLongerDestinationAndKeepsPermissions() throws Exception {
    Path src = dir.resolve("short.txt");
    Path dst = dir.resolve("long.txt");
    Files.writeString(src, "new content");
    Files.writeString(dst, "an older and much longer content that must not survive");
    Set<PosixFilePermission> rwx = PosixFilePermissions.fromString("rwxr-x---");
    Files.setPosixFilePermissions(src, rwx);

    assertEquals(0, copy(src.toString(), dst.toString()), err());
    assertEquals("new content", Files.readString(dst));

    Path fresh = dir.resolve("fresh.txt");
    assertEquals(0, copy(src.toString(), fresh.toString()), err());
    assertEquals(rwx, Files.getPosixFilePermissions(fresh));
  }

  @Test
  void copiesAnEmptyFile() throws Exception {
    Path src = Files.createFile(dir.resolve("empty"));
    Path dst = dir.resolve("copy");
    assertEquals(0, copy(src.toString(), dst.toString()), err());
    assertEquals(0, Files.size(dst));
    assertTrue(out().contains("] 100%  0.0 MB"), out());
  }

  @Test
  void aMissingSourceIsReportedWithLibuvsMessage() throws Exception {
    Path src = dir.resolve("missing");
    Path dst = dir.resolve("dst");
    assertEquals(1, copy(src.toString(), dst.toString()));
    assertEquals("copy: ENOENT: no such file or directory, uv_fs_open '" + src + "'\n", err());
    assertFalse(Files.exists(dst));
  }

  @Test
  void anUnwritableDestinationIsReported() throws Exception {
    Path src = dir.resolve("src");
    Files.writeString(src, "data");
    Path dst = dir.resolve("no-such-dir").resolve("dst");
    assertEquals(1, copy(src.toString(), dst.toString()));
    assertEquals("copy: ENOENT: no such file or directory, uv_fs_open '" + dst + "'\n", err());
  }

  @Test
  void aWriteErrorNamesTheDestination() throws Exception {
    Path full = Path.of("/dev/full"); // every write fails with ENOSPC (Linux)
    assumeTrue(Files.isWritable(full), "no /dev/full on this system");
    Path src = dir.resolve("src");
    Files.writeString(src, "data");
    assertEquals(1, copy(src.toString(), full.toString()));
    assertEquals("copy: ENOSPC: no space left on device, uv_fs_write (writing '/dev/full')\n", err());
  }

  @Test
  void refusesToCopyAFileOntoItself() throws Exception {
    Path src = dir.resolve("precious");
    Files.writeString(src, "do not truncate me");
    assertEquals(1, copy(src.toString(), dir.resolve(".").resolve("precious").toString()));
    assertTrue(err().contains("are the same file"), err());
    assertEquals("do not truncate me", Files.readString(src));
  }

  @Test
  void refusesADirectory() throws Exception {
    assertEquals(1, copy(dir.toString(), dir.resolve("x").toString()));
    assertEquals("copy: '" + dir + "' is a directory\n", err());
  }

  @Test
  void usageErrorWithoutTwoArguments() throws Exception {
    assertEquals(2, copy("only-one"));
    assertEquals("usage: copy <src> <dst>\n", err());
  }

  @Test
  void theCommandExitsWithStatusOneOnFailure() throws Exception {
    Child c = Child.run(dir, "copy", "missing", "dst");
    assertEquals(1, c.exit, c.toString());
    assertEquals("copy: ENOENT: no such file or directory, uv_fs_open 'missing'\n", c.err, c.toString());

    Files.writeString(dir.resolve("present"), "abc");
    Child ok = Child.run(dir, "copy", "present", "dst");
    assertEquals(0, ok.exit, ok.toString());
    assertEquals("abc", Files.readString(dir.resolve("dst")));
  }
}
