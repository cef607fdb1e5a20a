package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native library's lifecycle (library.c), each scenario in a child JVM: a JNI_OnLoad failing
 * at any step leaves nothing behind (no cache ref, no bound native, no live exit handler), and
 * JNI_OnUnload releases the cache when the class loader is collected.
 */
@ExtendWith(LeakCheck.class)
class LibraryLifecycleTest {
  /** JNI_OnLoad's steps, in order: one per C file (UVJ_AREAS in uv4j.h), then pin, exit handler. */
  static final String[] STEPS = {
    "util", "misc", "loop_fds", "loop", "handle", "timer", "loop_watcher", "async", "work", "fs", "stream",
    "tcp", "pipe", "udp", "udp_send", "fs_event", "fs_poll", "dns", "sysinfo", "os", "ifaddrs",
    "tty", "signal", "poll", "process", "upcall", "pin",
    "exit handler",
  };

  /** The class refs the library caches: UvException, Handle, Object and byte[] (fs), byte[] (dns), byte[] (sysinfo). */
  static final long LIBRARY_REFS = 6;

  @TempDir
  Path dir;

  @Test
  void loadedLibraryHoldsItsCacheAndNoPerObjectRef() {
    assertEquals(LIBRARY_REFS, Uv.libraryRefs());
    assertEquals(0, Uv.liveGlobalRefs());
  }

  @Test
  void loadFailingAtAnyStepIsRolledBackAndTheProcessExitsCleanly() throws Exception {
    List<String> problems = new ArrayList<>();
    for (int step = 1; step <= STEPS.length; step++) {
      Path work = Files.createDirectories(dir.resolve("step" + step));
      Child c = run(work, "fail", Integer.toString(step));
      String expected = "failed to initialise at step " + step + " (" + STEPS[step - 1] + ")";
      if (c.exit != 0 || hsErr(work) || !c.output.contains(expected)
          || !c.output.contains("library refs left: 0, classes with natives bound: 0")
          || !c.output.contains("unbound: UnsatisfiedLinkError")
          || !c.output.contains("reloaded ticks=3 libraryRefs=" + LIBRARY_REFS + " leaks=0")) {
        problems.add("step " + step + ": exit " + c.exit + ", hs_err " + hsErr(work) + "\n" + c.output);
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n\n", problems));
  }

  @Test
  void unloadWithTheClassLoaderReleasesTheCache() throws Exception {
    Path lib = dir.resolve(System.mapLibraryName("uv4j"));
    try (java.io.InputStream in = NativeLibrary.class.getResourceAsStream(
        "/META-INF/native/" + NativeLibrary.platform() + "/" + System.mapLibraryName("uv4j"))) {
      Files.copy(in, lib);
    }
    Child c = run(dir, "unload", lib.toString());
    assertEquals(0, c.exit, c.output);
    assertTrue(c.output.contains("first loader libraryRefs=" + LIBRARY_REFS), c.output);
    // The same (pinned) library, loaded again by a second loader once the first was collected:
    // had JNI_OnUnload not released the first cache, the counter would read twice as much.
    assertTrue(c.output.contains("second loader libraryRefs=" + LIBRARY_REFS + " ticks=3"), c.output);
    assertTrue(!hsErr(dir), "hs_err file in " + dir);
  }

  /** The child JVM. */
  public static void main(String[] args) throws Exception {
    if (args[0].equals("fail")) {
      System.setProperty("uv4j.test.failLoadAt", args[1]);
      try {
        NativeLibrary.load();
        System.out.println("loaded although step " + args[1] + " failed");
      } catch (UnsatisfiedLinkError e) {
        System.out.println("ULE: " + e.getMessage().replace('\n', ' '));
      }
      System.clearProperty("uv4j.test.failLoadAt");
      try {
        Handle.nHasRef(0); // bound in step 4: must be unbound again, not left pointing anywhere
        System.out.println("unbound: no, the native is still bound");
      } catch (UnsatisfiedLinkError e) {
        System.out.println("unbound: UnsatisfiedLinkError");
      }
      NativeLibrary.load();
      System.out.println("reloaded ticks=" + ticks() + " libraryRefs=" + Uv.libraryRefs()
          + " leaks=" + (Uv.liveLoops() + Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs()));
      return; // a normal exit runs the exit handlers, of this library and of the failed one
    }
    if (args[0].equals("unload")) {
      System.setProperty(NativeLibrary.PATH_PROPERTY, args[1]);
      URL[] classes = {
        NativeLibrary.class.getProtectionDomain().getCodeSource().getLocation(),
        LibraryLifecycleTest.class.getProtectionDomain().getCodeSource().getLocation(),
      };
      System.out.println("first loader libraryRefs=" + libraryRefsIn(classes, false));
      for (int i = 0; ; i++) {
        System.gc();
        try {
          System.out.println("second loader libraryRefs=" + libraryRefsIn(classes, true));
          return;
        } catch (UnsatisfiedLinkError e) {
          // "already loaded in another classloader": the first loader is not collected yet
          if (i == 200) {
            throw e;
          }
          Thread.sleep(50);
        }
      }
    }
  }

  /** Loads uv4j in a fresh class loader and reads Uv.libraryRefs() there. */
  private static String libraryRefsIn(URL[] classes, boolean runTimer) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
      Class<?> uv = Class.forName("io.uv4j.Uv", true, loader);
      Method refs = uv.getMethod("libraryRefs");
      String out = String.valueOf(refs.invoke(null));
      if (runTimer) {
        // the reloaded library works: the timer program, through this loader's classes
        Class<?> test = Class.forName("io.uv4j.LibraryLifecycleTest$Ticks", true, loader);
        out += " ticks=" + test.getMethod("run").invoke(null);
      }
      return out;
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof UnsatisfiedLinkError) {
        throw (UnsatisfiedLinkError) e.getCause();
      }
      throw e;
    } catch (ExceptionInInitializerError e) {
      if (e.getCause() instanceof UnsatisfiedLinkError) {
        throw (UnsatisfiedLinkError) e.getCause();
      }
      throw e;
    }
  }

  static int ticks() throws UvException {
    return Ticks.run();
  }

  /** A repeating timer run three times. */
  public static final class Ticks {
    public static int run() throws UvException {
      int[] ticks = {0};
      try (Loop loop = Loop.create()) {
        new Timer(loop).start(1, 1, t -> {
          if (++ticks[0] == 3) {
            t.close();
          }
        });
        loop.run();
      }
      return ticks[0];
    }
  }

  static boolean hsErr(Path work) throws IOException {
    try (Stream<Path> s = Files.list(work)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("hs_err"));
    }
  }

  static final class Child {
    final int exit;
    final String output;

    Child(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  /** Runs this class's main in a child JVM in {@code work}, hs_err files going there. */
  static Child run(Path work, String... args) throws IOException, InterruptedException {
    return runMain(work, LibraryLifecycleTest.class, args);
  }

  static Child runMain(Path work, Class<?> main, String... args) throws IOException, InterruptedException {
    List<String> cmd = ChildScenarios.javaCommand(work, "-Xcheck:jni");
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    Path out = work.resolve("child-output.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().remove("UV_THREADPOOL_SIZE");
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("child JVM did not exit within 60 s: " + Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
