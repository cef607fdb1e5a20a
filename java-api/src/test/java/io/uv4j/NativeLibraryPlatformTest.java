package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The loader's platform names (the JDK's os.name/os.arch values on each supported platform map to
 * the resource directories CMake writes) and its musl detection.
 */
class NativeLibraryPlatformTest {
  @Test
  void theFiveSupportedPlatformsMapToTheirResourceDirectories() {
    assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "aarch64"));
    assertEquals("osx-x86_64", NativeLibrary.platform("Mac OS X", "x86_64"));
    assertEquals("osx-aarch64", NativeLibrary.platform("Mac OS X", "aarch64"));
    assertEquals("windows-x86_64", NativeLibrary.platform("Windows 11", "amd64"));
    for (String p : NativeLibrary.KNOWN_PLATFORMS) {
      assertTrue(p.matches("(linux|osx|windows)-(x86_64|aarch64)"), p);
    }
    assertEquals(5, NativeLibrary.KNOWN_PLATFORMS.size());
    assertFalse(NativeLibrary.KNOWN_PLATFORMS.contains(NativeLibrary.platform("FreeBSD", "amd64")));
  }

  @Test
  void muslIsRecognisedFromTheProcessMaps() {
    String alpine = "7f1c2a000000-7f1c2a014000 r--p 00000000 08:01 1234 /lib/ld-musl-x86_64.so.1\n";
    String alpineArm = "ffff8000-ffff9000 r-xp 00000000 08:01 99 /lib/libc.musl-aarch64.so.1\n";
    String glibc = "7f00-7f01 r-xp 00000000 08:01 1 /usr/lib/x86_64-linux-gnu/libc.so.6\n"
        + "7f02-7f03 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2\n"
        + "7f04-7f05 rw-p 00000000 00:00 0 \n";
    assertTrue(NativeLibrary.isMusl(alpine));
    assertTrue(NativeLibrary.isMusl(alpineArm));
    assertFalse(NativeLibrary.isMusl(glibc));
  }

  @Test
  @EnabledOnOs(OS.LINUX)
  void thisGlibcJvmIsNotMusl() {
    // The suite runs on glibc systems (Debian, Ubuntu); the library loaded, so this must agree.
    Uv.version();
    assertFalse(NativeLibrary.isMusl());
  }
}
