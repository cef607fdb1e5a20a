package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.UvException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code process.cwd()} and {@code process.chdir()} for a JVM, which cannot change its working
 * directory: the Node layer keeps one process-wide current directory (at first the JVM's
 * {@code user.dir}), checked and resolved as {@code uv_chdir} and {@code uv_cwd} would
 * (symbolic links resolved, Node's errors). Child processes spawned without a {@code cwd}
 * option start in it.
 */
final class ProcessCwd {
  private static volatile String cwd;
  private static volatile boolean changed;

  private ProcessCwd() {}

  static String get() {
    String c = cwd;
    if (c == null) {
      c = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize().toString();
      cwd = c;
    }
    return c;
  }

  /** The directory children start in: null (inherit the real one) until {@link #chdir} was called. */
  static String forChildren() {
    return changed ? cwd : null;
  }

  /** {@code path} resolved against the current directory. */
  static String resolve(String path) {
    return Path.of(get()).resolve(path).toString();
  }

  static synchronized void chdir(String directory) {
    if (directory == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"directory\" argument must be of type string. Received null");
    }
    String from = get();
    Path target = Path.of(from).resolve(directory);
    try {
      if (directory.isEmpty()) {
        throw new NoSuchFileException(directory);
      }
      Path real = target.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new UvException(Errno.ENOTDIR, "chdir", from, directory);
      }
      if (!Files.isExecutable(real)) {
        throw new AccessDeniedException(directory);
      }
      cwd = real.toString();
      changed = true;
    } catch (NoSuchFileException e) {
      throw error(Errno.ENOENT, from, directory);
    } catch (AccessDeniedException e) {
      throw error(Errno.EACCES, from, directory);
    } catch (UvException e) {
      throw SystemError.from(e, "chdir");
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("Not a directory")) {
        throw error(Errno.ENOTDIR, from, directory);
      }
      throw error(Errno.code("EIO"), from, directory);
    }
  }

  /** Node's uvException for chdir: {@code CODE: description, chdir 'cwd' -> 'directory'}. */
  private static SystemError error(int errno, String from, String directory) {
    return SystemError.from(new UvException(errno, "chdir", from, directory), "chdir");
  }
}
