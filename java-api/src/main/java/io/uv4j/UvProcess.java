package io.uv4j;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link Uv}'s process facts (os.c, misc.c): signals to processes, scheduling priorities and the
 * native environment; the checks of their arguments and the conversion of their answers. The
 * natives stay declared on {@code Uv}, whose table {@code RegisterNatives} fills.
 */
final class UvProcess {
  private UvProcess() {}

  /** {@link Uv#kill}. */
  static void kill(int pid, int signum) throws UvException {
    if (signum < 0 || signum >= Signal.nsig()) {
      throw new IllegalArgumentException("not a signal number: " + signum + " (0.." + (Signal.nsig() - 1)
          + " on this platform)");
    }
    int r = Uv.nKill(pid, signum);
    if (r != 0) {
      throw new UvException(r, "uv_kill");
    }
  }

  /** {@link Uv#setPriority}. */
  static void setPriority(long pid, int priority) throws UvException {
    int p = checkPid(pid);
    if (priority < Uv.PRIORITY_HIGHEST || priority > Uv.PRIORITY_LOW) {
      throw new IllegalArgumentException("priority must be " + Uv.PRIORITY_HIGHEST + ".." + Uv.PRIORITY_LOW
          + ": " + priority);
    }
    Uv.nSetPriority(p, priority);
  }

  static int checkPid(long pid) {
    if (pid < 0 || pid > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a process id: " + pid);
    }
    return (int) pid;
  }

  /** {@link Uv#getenv}. */
  static String getenv(String name) throws UvException {
    byte[] v = Uv.nEnvGet(envName(name));
    return v == null ? null : UvSystem.utf8(v);
  }

  /** {@link Uv#setenv}. */
  static void setenv(String name, String value) throws UvException {
    byte[] n = envName(name);
    Objects.requireNonNull(value, "value");
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("environment value contains a NUL character");
    }
    Uv.nEnvSet(n, value.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link Uv#environ}: in the environment's order, the first of a repeated name kept. */
  static Map<String, String> environ() throws UvException {
    byte[][] kv = Uv.nEnviron();
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      out.putIfAbsent(UvSystem.utf8(kv[i]), UvSystem.utf8(kv[i + 1]));
    }
    return Collections.unmodifiableMap(out);
  }

  static byte[] envName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not an environment variable name: '"
          + name.replace('\0', '?') + "' (empty, or contains '=' or NUL)");
    }
    return name.getBytes(StandardCharsets.UTF_8);
  }
}
