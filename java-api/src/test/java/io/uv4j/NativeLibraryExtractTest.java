package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file the jar's library is extracted to: new, exclusive, private to the user, and never a
 * file or symlink someone put there first (NativeLibrary.createExclusive, which replaced
 * Files.createTempFile to save its SecureRandom seeding at start-up).
 */
class NativeLibraryExtractTest {
  @TempDir
  Path dir;

  @Test
  void eachCallCreatesANewEmptyFileNamedForTheLibrary() throws IOException {
    Set<Path> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Path p = NativeLibrary.createExclusive(dir, "libuv4j.so");
      assertTrue(seen.add(p), "a name came back twice: " + p);
      assertEquals(dir, p.getParent());
      assertTrue(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
      assertEquals(0, Files.size(p));
      String name = p.getFileName().toString();
      assertTrue(name.startsWith("uv4j-") && name.endsWith("-libuv4j.so"), name);
    }
  }

  @Test
  @DisabledOnOs(OS.WINDOWS) // no POSIX permissions there
  void theFileIsReadableAndWritableByItsOwnerOnly() throws IOException {
    Path p = NativeLibrary.createExclusive(dir, "libuv4j.so");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
  }

  @Test
  void takenNamesArePassedOverAndLeftAlone() throws IOException {
    long seed = 42;
    Path first = dir.resolve(NativeLibrary.candidateName(seed, 0, "libuv4j.so"));
    Path second = dir.resolve(NativeLibrary.candidateName(seed, 1, "libuv4j.so"));
    Path target = Files.writeString(dir.resolve("victim"), "keep me");
    Files.writeString(first, "someone else's");
    Files.createSymbolicLink(second, target); // a planted link must not be followed
    Path p = NativeLibrary.createExclusive(dir, "libuv4j.so", seed);
    assertEquals(dir.resolve(NativeLibrary.candidateName(seed, 2, "libuv4j.so")), p);
    assertEquals("someone else's", Files.readString(first));
    assertEquals("keep me", Files.readString(target));
    assertTrue(Files.isSymbolicLink(second));
  }

  @Test
  void whenEveryNameIsTakenTheJdksTempFileDecides() throws IOException {
    long seed = 7;
    for (int i = 0; i < 32; i++) {
      Files.createFile(dir.resolve(NativeLibrary.candidateName(seed, i, "libuv4j.so")));
    }
    Path p = NativeLibrary.createExclusive(dir, "libuv4j.so", seed);
    assertTrue(Files.isRegularFile(p));
    for (int i = 0; i < 32; i++) {
      assertNotEquals(dir.resolve(NativeLibrary.candidateName(seed, i, "libuv4j.so")), p);
    }
  }

  @Test
  void aMissingDirectoryIsAnIoErrorNotAnEndlessLoop() {
    assertThrows(NoSuchFileException.class, () -> NativeLibrary.createExclusive(dir.resolve("gone"), "libuv4j.so"));
  }
}
