package io.uv4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link ChildProcess#spawn} starts ({@code uv_process_options_t}). A mutable builder: the
 * spawn copies everything it needs (to native memory freed before it returns), so the options
 * may be reused or changed afterwards.
 *
 * <pre>{@code
 * SpawnOptions o = SpawnOptions.command("/bin/ls", "-l").cwd("/tmp")
 *     .stdout(StdioConfig.pipeFromChild(out));
 * }</pre>
 *
 * Strings are passed as UTF-8 and must not contain NUL ({@link IllegalArgumentException} at
 * the setter).
 */
public final class SpawnOptions {
  /** Highest child descriptor number configurable (stdio entries are 0..MAX_FD). */
  public static final int MAX_FD = 1023;

  private String file;
  private final List<String> args = new ArrayList<>();
  private List<String> env;
  private String cwd;
  private boolean detached;
  private Integer uid;
  private Integer gid;
  private final List<StdioConfig> stdio = new ArrayList<>();

  private SpawnOptions(String file) {
    this.file = checkString(Objects.requireNonNull(file, "file"), "file");
    if (file.isEmpty()) {
      throw new IllegalArgumentException("file is empty");
    }
  }

  /**
   * Runs {@code file} (searched in {@code PATH} when it has no slash, as {@code execvp} does) with
   * {@code argv = [file, args...]}.
   *
   * @throws NullPointerException if {@code file}, {@code args} or an argument is null
   * @throws IllegalArgumentException if {@code file} is empty or a string contains NUL
   */
  public static SpawnOptions command(String file, String... args) {
    SpawnOptions o = new SpawnOptions(file);
    o.args.add(file);
    for (String a : Objects.requireNonNull(args, "args")) {
      o.args.add(checkString(Objects.requireNonNull(a, "argument"), "argument"));
    }
    return o;
  }

  /** Replaces {@code argv[0]} (the name the child sees for itself). */
  public SpawnOptions argv0(String name) {
    args.set(0, checkString(Objects.requireNonNull(name, "name"), "argv0"));
    return this;
  }

  /**
   * The child's whole environment (nothing inherited); null (the default) inherits this process's.
   *
   * @throws IllegalArgumentException if a name is empty or contains '=' or NUL, or a value NUL
   */
  public SpawnOptions env(Map<String, String> env) {
    if (env == null) {
      this.env = null;
      return this;
    }
    List<String> list = new ArrayList<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = Objects.requireNonNull(e.getKey(), "name");
      String v = Objects.requireNonNull(e.getValue(), "value");
      if (k.isEmpty() || k.indexOf('=') >= 0) {
        throw new IllegalArgumentException("not an environment variable name: " + k);
      }
      list.add(checkString(k, "name") + "=" + checkString(v, "value"));
    }
    this.env = list;
    return this;
  }

  /** The child's working directory; null (the default) is this process's. */
  public SpawnOptions cwd(String cwd) {
    this.cwd = cwd == null ? null : checkString(cwd, "cwd");
    return this;
  }

  /**
   * {@code UV_PROCESS_DETACHED}: the child leads a new session ({@code setsid}), so it survives
   * this process's terminal; combine with {@link ChildProcess#unref()} to let the loop end before
   * the child does.
   */
  public SpawnOptions detached(boolean detached) {
    this.detached = detached;
    return this;
  }

  /**
   * {@code UV_PROCESS_SETUID}: the child runs as user {@code uid} (needs privileges; otherwise
   * the spawn fails with {@code EPERM}).
   *
   * @throws IllegalArgumentException if {@code uid} is negative
   */
  public SpawnOptions uid(int uid) {
    if (uid < 0) {
      throw new IllegalArgumentException("uid " + uid);
    }
    this.uid = uid;
    return this;
  }

  /**
   * {@code UV_PROCESS_SETGID}: the child runs with group {@code gid} (needs privileges).
   *
   * @throws IllegalArgumentException if {@code gid} is negative
   */
  public SpawnOptions gid(int gid) {
    if (gid < 0) {
      throw new IllegalArgumentException("gid " + gid);
    }
    this.gid = gid;
    return this;
  }

  /**
   * What the child's descriptor {@code fd} is. Unset entries below the highest set one, and 0, 1,
   * 2 when unset, are {@link StdioConfig#ignore()}.
   *
   * @throws IllegalArgumentException if {@code fd} is negative or above {@link #MAX_FD}
   * @throws NullPointerException if {@code config} is null
   */
  public SpawnOptions stdio(int fd, StdioConfig config) {
    Objects.requireNonNull(config, "config");
    if (fd < 0 || fd > MAX_FD) {
      throw new IllegalArgumentException("child descriptor " + fd + " (0.." + MAX_FD + ")");
    }
    while (stdio.size() <= fd) {
      stdio.add(StdioConfig.ignore());
    }
    stdio.set(fd, config);
    return this;
  }

  /** {@code stdio(0, config)}. */
  public SpawnOptions stdin(StdioConfig config) {
    return stdio(0, config);
  }

  /** {@code stdio(1, config)}. */
  public SpawnOptions stdout(StdioConfig config) {
    return stdio(1, config);
  }

  /** {@code stdio(2, config)}. */
  public SpawnOptions stderr(StdioConfig config) {
    return stdio(2, config);
  }

  String file() { return file; }
  List<String> args() { return args; }
  List<String> envList() { return env; }
  String cwdValue() { return cwd; }
  boolean isDetached() { return detached; }
  Integer uidValue() { return uid; }
  Integer gidValue() { return gid; }
  List<StdioConfig> stdioList() { return stdio; }

  static String checkString(String s, String what) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains NUL: " + s.replace('\0', '?'));
    }
    return s;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[][] bytes(List<String> list) {
    byte[][] out = new byte[list.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes(list.get(i));
    }
    return out;
  }

  @Override
  public String toString() {
    return "SpawnOptions" + args + (cwd != null ? " in " + cwd : "") + (detached ? " detached" : "")
        + " stdio " + Arrays.toString(stdio.toArray());
  }
}
