package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The library inside the packaged jar needs nothing but the C library: its ELF dynamic section
 * (read here in Java, no external tool) names no libuv when the jar was built with the bundled
 * libuv (the default), and it exports only the two JNI entry points, so the libuv linked into it
 * cannot clash with another libuv in the same process.
 */
@EnabledOnOs(OS.LINUX)
class SelfContainedJarIT {
  private static Elf libraryInJar() throws Exception {
    String entry = "META-INF/native/" + NativeLibrary.platform() + "/" + System.mapLibraryName("uv4j");
    try (JarFile jar = new JarFile(ChildJvm.jar().toFile())) {
      ZipEntry e = jar.getEntry(entry);
      assertNotNull(e, entry + " must be in " + ChildJvm.jar());
      try (InputStream in = jar.getInputStream(e)) {
        return new Elf(in.readAllBytes());
      }
    }
  }

  private static boolean bundled() {
    return !"system".equalsIgnoreCase(System.getProperty("uv4j.libuv", "bundled"));
  }

  @Test
  void libraryNeedsNoLibuv() throws Exception {
    List<String> needed = libraryInJar().needed();
    assertTrue(needed.contains("libc.so.6"), "the dynamic section was read: " + needed);
    if (bundled()) {
      for (String n : needed) {
        assertFalse(n.contains("libuv"), "NEEDED " + n + ": the bundled build must link libuv statically; all: " + needed);
        assertTrue(n.matches("lib(c|m|dl|rt|pthread)\\.so\\.\\d+|ld-linux[-a-z0-9_.]*\\.so\\.\\d+"),
            "NEEDED " + n + " is not part of the C library; all: " + needed);
      }
    }
  }

  @Test
  void libraryExportsOnlyTheJniEntryPoints() throws Exception {
    assertEquals(new TreeSet<>(List.of("JNI_OnLoad", "JNI_OnUnload")),
        new TreeSet<>(libraryInJar().exportedSymbols()),
        "libuv's own symbols (uv_*) must stay hidden inside the library");
  }

  @Test
  void glibcFloorIsReadFromTheSymbolVersions() throws Exception {
    Elf elf = libraryInJar();
    String floor = elf.glibcFloor();
    assertNotNull(floor, "a glibc build requires versioned GLIBC_ symbols: " + elf.requiredVersions());
    for (String v : elf.requiredVersions()) {
      if (v.startsWith("GLIBC_2")) {
        assertTrue(Elf.compareVersions(v.substring(6), floor.substring(6)) <= 0, v + " > " + floor);
      }
    }
    System.out.println("uv4j library in the jar: glibc floor " + floor + ", NEEDED " + elf.needed());
  }
}
