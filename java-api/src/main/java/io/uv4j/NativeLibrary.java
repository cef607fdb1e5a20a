package io.uv4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and loads the uv4j JNI library, in this order:
 *
 * <ol>
 *   <li>the system property {@code uv4j.library.path}: the library file itself, or a directory
 *       holding it;
 *   <li>the copy in the jar under {@code META-INF/native/<os>-<arch>/}, extracted to a unique
 *       temporary file in {@code uv4j.tmpdir} (default {@code java.io.tmpdir}) and deleted once
 *       loaded where the OS allows;
 *   <li>{@code System.loadLibrary("uv4j")} ({@code java.library.path}), for system packages.
 * </ol>
 *
 * <p>When every way fails the {@link UnsatisfiedLinkError} names the platform, each path tried
 * and why it failed. The jar carries libraries for {@link #KNOWN_PLATFORMS}, built against glibc
 * on Linux; on a musl libc system (Alpine) the jar's library is not even tried, because loading a
 * glibc library there can crash the JVM instead of failing: the error says so, and how to build
 * the library on that machine ({@code uv4j.library.path} still works there).
 */
final class NativeLibrary {
  static final String PATH_PROPERTY = "uv4j.library.path";
  static final String TMPDIR_PROPERTY = "uv4j.tmpdir";

  /** The platforms a release jar carries a library for ({@code META-INF/native/<platform>/}). */
  static final List<String> KNOWN_PLATFORMS =
      List.of("linux-x86_64", "linux-aarch64", "osx-x86_64", "osx-aarch64", "windows-x86_64");

  private static boolean loaded;
  private static boolean loading;

  private NativeLibrary() {}

  /** Loads the library once; a nested call from JNI_OnLoad's class initialisation returns. */
  static synchronized void load() {
    if (loaded || loading) {
      return;
    }
    loading = true;
    try {
      doLoad();
      loaded = true;
    } finally {
      loading = false;
    }
  }

  /** The platform directory name, identical to UV4J_PLATFORM in CMakeLists.txt. */
  static String platform() {
    return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
  }

  /** The platform directory name for these {@code os.name} and {@code os.arch} values. */
  static String platform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      os = "osx";
    } else if (os.startsWith("windows")) {
      os = "windows";
    } else if (os.startsWith("linux")) {
      os = "linux";
    } else {
      os = os.replaceAll("[^a-z0-9]+", "");
    }
    if (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x64")) {
      arch = "x86_64";
    } else if (arch.equals("aarch64") || arch.equals("arm64")) {
      arch = "aarch64";
    }
    return os + "-" + arch;
  }

  private static void doLoad() {
    String fileName = System.mapLibraryName("uv4j");
    List<String> tried = new ArrayList<>();
    Throwable firstCause = null;

    String explicit = System.getProperty(PATH_PROPERTY);
    if (explicit != null && !explicit.isEmpty()) {
      Path p = Paths.get(explicit);
      if (Files.isDirectory(p)) {
        p = p.resolve(fileName);
      }
      try {
        if (!Files.isRegularFile(p)) {
          throw new UnsatisfiedLinkError("no such file");
        }
        System.load(p.toAbsolutePath().toString());
        return;
      } catch (UnsatisfiedLinkError e) {
        // An explicit path is a promise: do not fall back to another copy behind the user's back.
        tried.add("-D" + PATH_PROPERTY + " -> " + p.toAbsolutePath() + ": " + e.getMessage());
        throw failure(tried, e);
      }
    }

    String resource = "/META-INF/native/" + platform() + "/" + fileName;
    if (platform().startsWith("linux-") && isMusl()) {
      tried.add("jar resource " + resource + ": not tried, this is a musl libc system (Alpine?) and the"
          + " jar's Linux libraries are built for glibc; build uv4j on this machine (mvn -B package)"
          + " and pass -D" + PATH_PROPERTY + "=<the libuv4j.so it builds>");
      throw failure(tried, null);
    }
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) {
        tried.add("jar resource " + resource + ": not in the jar ("
            + (KNOWN_PLATFORMS.contains(platform())
                ? "this jar was built without the " + platform() + " library; release jars carry all of "
                : "no build for this platform; supported: ")
            + KNOWN_PLATFORMS + ")");
      } else {
        Path dir = Paths.get(System.getProperty(TMPDIR_PROPERTY, System.getProperty("java.io.tmpdir")));
        Path tmp = null;
        try {
          tmp = createExclusive(dir, fileName);
          try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            in.transferTo(out);
          }
          System.load(tmp.toAbsolutePath().toString());
          deleteLoaded(tmp);
          return;
        } catch (IOException | UnsatisfiedLinkError e) {
          String why = e.getMessage();
          if (why != null && (why.contains("failed to map segment") || why.contains("Operation not permitted"))) {
            why += " (is " + dir + " mounted noexec? set -D" + TMPDIR_PROPERTY + "=<an exec-able dir>)";
          }
          tried.add("jar resource " + resource + " extracted to " + (tmp != null ? tmp : dir) + ": " + why);
          firstCause = e;
          if (tmp != null) {
            deleteQuietly(tmp);
          }
        }
      }
    } catch (IOException e) {
      tried.add("jar resource " + resource + ": " + e);
      firstCause = e;
    }

    try {
      System.loadLibrary("uv4j");
      return;
    } catch (UnsatisfiedLinkError e) {
      tried.add("System.loadLibrary(\"uv4j\") on java.library.path="
          + System.getProperty("java.library.path") + ": " + e.getMessage());
      if (firstCause == null) {
        firstCause = e;
      }
    }
    throw failure(tried, firstCause);
  }

  /** Whether this JVM runs on musl libc: its own process maps musl's loader/libc. */
  static boolean isMusl() {
    Path maps = Paths.get("/proc/self/maps");
    try {
      if (Files.isReadable(maps)) {
        return isMusl(Files.readString(maps));
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the file system check
    }
    // No /proc: a musl loader and no glibc loader on the system.
    return hasFile("/lib", "ld-musl-") && !hasFile("/lib64", "ld-linux") && !hasFile("/lib", "ld-linux");
  }

  /** Whether a /proc/self/maps text shows musl libc mapped. */
  static boolean isMusl(String procSelfMaps) {
    for (String line : procSelfMaps.split("\n")) {
      int slash = line.lastIndexOf('/');
      String name = slash >= 0 ? line.substring(slash + 1) : "";
      if (name.startsWith("ld-musl-") || name.startsWith("libc.musl-")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasFile(String dir, String prefix) {
    try (var files = Files.list(Paths.get(dir))) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(prefix));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static UnsatisfiedLinkError failure(List<String> tried, Throwable cause) {
    StringBuilder sb = new StringBuilder("uv4j: cannot load the native library for platform ")
        .append(platform())
        .append(" (os.name=").append(System.getProperty("os.name"))
        .append(", os.arch=").append(System.getProperty("os.arch")).append("). Tried:");
    for (String t : tried) {
      sb.append("\n  - ").append(t);
    }
    UnsatisfiedLinkError e = new UnsatisfiedLinkError(sb.toString());
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }

  /**
   * A new file in {@code dir} that no one else can have opened: created with O_EXCL (which also
   * refuses a planted symlink), readable and writable by this user only on POSIX, the same
   * guarantees as {@link Files#createTempFile}. Not through it: it seeds a {@code SecureRandom}
   * for the name first, ~25 ms at every start-up. The name needs no secrecy, since exclusive
   * creation is what makes the file safe: a name someone took is passed over for the next one,
   * and after 32 taken names {@code createTempFile} decides.
   */
  static Path createExclusive(Path dir, String fileName) throws IOException {
    // Not ProcessHandle.current().pid(): its class starts a reaper executor (a lambda bootstrap, ms).
    long seed = System.identityHashCode(new Object()) * 0x9E3779B97F4A7C15L ^ System.nanoTime();
    return createExclusive(dir, fileName, seed);
  }

  static Path createExclusive(Path dir, String fileName, long seed) throws IOException {
    boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    for (int i = 0; i < 32; i++) {
      Path p = dir.resolve(candidateName(seed, i, fileName));
      try {
        return posix
            ? Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.createFile(p);
      } catch (FileAlreadyExistsException taken) {
        // someone else's (or a leftover): the next name
      }
    }
    return Files.createTempFile(dir, "uv4j-", "-" + fileName);
  }

  /** The i-th name createExclusive tries for this seed. */
  static String candidateName(long seed, int i, String fileName) {
    long x = seed + i * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 31)) * 0x94D049BB133111EBL; // spread the seed over the name
    return "uv4j-" + Long.toUnsignedString(x ^ (x >>> 29), 36) + "-" + fileName;
  }

  private static void deleteLoaded(Path tmp) {
    // Unix keeps a loaded library mapped after unlink; Windows refuses while it is loaded.
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      tmp.toFile().deleteOnExit();
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: the failure being reported matters more
    }
  }
}
