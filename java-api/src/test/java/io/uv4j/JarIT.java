package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar alone is all a user needs: a fresh JVM with only the jar (and the user's own
 * program) finds the native library inside it and runs a loop, on the class path and as a module.
 */
@ExtendWith(LeakCheck.class)
class JarIT {
  @TempDir Path tmp;

  private Path program() throws Exception {
    return ChildJvm.compileProgram(Files.createDirectory(tmp.resolve("program")),
        ChildJvm.jar().toString());
  }

  @Test
  void jarAloneOnTheClassPathRunsATimer() throws Exception {
    Path program = program();
    ChildJvm.Result r = ChildJvm.run(tmp, "-cp", ChildJvm.classPath(ChildJvm.jar(), program), "Hello");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains(ChildJvm.SUCCESS + "\n"), r.toString());
    assertTrue(r.out.contains("module=null\n"), "loaded from the class path: " + r);
    assertTrue(r.out.contains("libuv=" + Uv.versionString() + "\n"), r.toString());
  }

  @Test
  void jarAsANamedModuleRunsATimer() throws Exception {
    Path program = program();
    ChildJvm.Result r = ChildJvm.run(tmp, "--module-path", ChildJvm.jar().toString(),
        "--add-modules", "io.uv4j", "-cp", program.toString(), "Hello");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains(ChildJvm.SUCCESS + "\n"), r.toString());
    assertTrue(r.out.contains("module=io.uv4j\n"), "loaded as module io.uv4j: " + r);
  }

  @Test
  void extractedLibraryIsNotLeftInTheTempDirectory() throws Exception {
    Path program = program();
    Path extractTo = Files.createDirectory(tmp.resolve("extract"));
    ChildJvm.Result r = ChildJvm.run(tmp, "-Duv4j.tmpdir=" + extractTo,
        "-cp", ChildJvm.classPath(ChildJvm.jar(), program), "Hello");
    assertEquals(0, r.exitCode, r.toString());
    assertTrue(r.out.contains(ChildJvm.SUCCESS + "\n"), r.toString());
    try (var files = Files.list(extractTo)) {
      assertEquals(0, files.count(), "the extracted library must be deleted once loaded");
    }
  }
}
