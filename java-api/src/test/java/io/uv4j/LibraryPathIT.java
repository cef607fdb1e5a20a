package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the loader finds the native library, seen from a fresh JVM: -Duv4j.library.path (a file or
 * a directory) and the error a user gets when it cannot load.
 */
@ExtendWith(LeakCheck.class)
class LibraryPathIT {
  private static final String LIB = System.mapLibraryName("uv4j");

  @TempDir Path tmp;
  private Path program;
  /** The jar's classes without its native libraries: only -Duv4j.library.path can make it work. */
  private Path bareClasses;
  private Path libDir;

  @BeforeEach
  void setUp() throws Exception {
    program = ChildJvm.compileProgram(Files.createDirectory(tmp.resolve("program")),
        ChildJvm.jar().toString());
    bareClasses = ChildJvm.classesWithoutNative(Files.createDirectory(tmp.resolve("classes")));
    libDir = Files.createDirectory(tmp.resolve("lib"));
    ChildJvm.extractNativeLibrary(libDir);
  }

  /** The failure line the program prints, with the loader's message. */
  private static String failure(ChildJvm.Result r) {
    assertEquals(2, r.exitCode, r.toString());
    assertTrue(r.out.startsWith("FAILED java.lang.UnsatisfiedLinkError: "), r.toString());
    return r.out;
  }

  @Test
  void platformNamedInErrorsIsTheOneTheJarShips() throws Exception {
    // Guards the assertions below: the platform name is a real directory of the jar.
    try (var jar = new java.util.jar.JarFile(ChildJvm.jar().toFile())) {
      String entry = "META-INF/native/" + NativeLibrary.platform() + "/" + LIB;
      assertTrue(jar.getJarEntry(entry) != null, "jar lacks " + entry);
    }
  }

  @Test
  void directoryHoldingTheLibraryLoadsIt() throws Exception {
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.library.path=" + libDir,
        "-cp", ChildJvm.classPath(bareClasses, program), "Hello");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains(ChildJvm.SUCCESS + "\n"), r.toString());
  }

  @Test
  void libraryFileItselfLoads() throws Exception {
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.library.path=" + libDir.resolve(LIB),
        "-cp", ChildJvm.classPath(bareClasses, program), "Hello");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains(ChildJvm.SUCCESS + "\n"), r.toString());
  }

  @Test
  void missingFileFailsNamingPlatformAndPathWithoutFallingBackToTheJar() throws Exception {
    Path missing = tmp.resolve("nowhere").resolve(LIB);
    // The whole jar is on the class path: its copy must not be used behind the user's back.
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.library.path=" + missing,
        "-cp", ChildJvm.classPath(ChildJvm.jar(), program), "Hello");
    String message = failure(r);
    assertTrue(message.contains(NativeLibrary.platform()), "names the platform: " + r);
    assertTrue(message.contains(missing.toAbsolutePath().toString()), "names the path tried: " + r);
    assertTrue(message.contains("uv4j.library.path"), "names the property: " + r);
  }

  @Test
  void directoryWithoutTheLibraryFailsNamingTheFileLookedFor() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.library.path=" + empty,
        "-cp", ChildJvm.classPath(ChildJvm.jar(), program), "Hello");
    String message = failure(r);
    assertTrue(message.contains(NativeLibrary.platform()), "names the platform: " + r);
    assertTrue(message.contains(empty.resolve(LIB).toAbsolutePath().toString()),
        "names the file looked for: " + r);
  }

  @Test
  void fileThatIsNotALibraryFailsWithTheSystemReason() throws Exception {
    Path bogus = Files.writeString(tmp.resolve(LIB), "not a shared library");
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.library.path=" + bogus,
        "-cp", ChildJvm.classPath(bareClasses, program), "Hello");
    String message = failure(r);
    assertTrue(message.contains(NativeLibrary.platform()), "names the platform: " + r);
    assertTrue(message.contains(bogus.toAbsolutePath().toString()), "names the path tried: " + r);
  }

  @Test
  void noLibraryAnywhereListsEveryPlaceTried() throws Exception {
    ChildJvm.Result r = ChildJvm.run(tmp, "-cp", ChildJvm.classPath(bareClasses, program), "Hello");
    String message = failure(r);
    assertTrue(message.contains(NativeLibrary.platform()), "names the platform: " + r);
    assertTrue(message.contains("META-INF/native/" + NativeLibrary.platform() + "/" + LIB),
        "names the jar resource looked for: " + r);
    assertTrue(message.contains("java.library.path"), "names the system library path: " + r);
  }
}
