package io.uv4j.node;

import io.uv4j.Uv;
import io.uv4j.UvException;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code process.env}: a live view of the process's native environment (libuv's
 * {@code uv_os_getenv}/{@code uv_os_setenv}/{@code uv_os_unsetenv}, not the JVM's frozen
 * {@link System#getenv()}). Setting a variable affects the child processes spawned afterwards
 * (they inherit the native environment), as in Node. Like Node's, a value set is a string:
 * {@link #set} takes any object and stores {@code String.valueOf(value)} (null: {@code "null"},
 * as JavaScript's {@code String(null)}), and {@link #put} with a null value does the same. A
 * name Node cannot set (empty or holding {@code '='}) is ignored, as Node ignores it, and reads
 * as absent.
 *
 * <pre>{@code
 * Map<String, String> env = NodeProcess.of(node).env();
 * env.put("MY_FLAG", "1");            // process.env.MY_FLAG = '1'
 * NodeProcess.of(node).env().set("N", 42);  // process.env.N = 42 -> "42"
 * env.remove("MY_FLAG");              // delete process.env.MY_FLAG
 * }</pre>
 *
 * <p>Not safe against native code reading the environment on another thread at the same moment
 * (C's {@code setenv} is not); as in Node, set variables from the runtime's thread.
 */
public final class ProcessEnv extends AbstractMap<String, String> {
  static final ProcessEnv INSTANCE = new ProcessEnv();

  private ProcessEnv() {}

  private static boolean settable(String name) {
    return !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
  }

  /** {@code process.env[name]}: the value, or null when the variable is not set. */
  @Override
  public String get(Object name) {
    if (!(name instanceof String) || !settable((String) name)) {
      return null;
    }
    try {
      return Uv.getenv((String) name);
    } catch (UvException e) {
      return null; // e.g. a name libuv refuses: absent, as Node's undefined
    }
  }

  @Override
  public boolean containsKey(Object name) {
    return get(name) != null;
  }

  /**
   * {@code process.env[name] = value}: returns the previous value (or null). A null value is
   * stored as {@code "null"}.
   *
   * @throws NullPointerException if {@code name} is null
   */
  @Override
  public String put(String name, String value) {
    return set(name, value);
  }

  /**
   * {@code process.env[name] = value} with Node's coercion to a string
   * ({@code String.valueOf(value)}); returns the previous value (or null).
   *
   * @throws NullPointerException if {@code name} is null
   */
  public String set(String name, Object value) {
    Objects.requireNonNull(name, "name");
    String old = get(name);
    if (!settable(name)) {
      return old; // Node: setenv fails and the assignment is ignored
    }
    String v = String.valueOf(value);
    if (v.indexOf('\0') >= 0) {
      v = v.substring(0, v.indexOf('\0')); // C strings: Node stores up to the first NUL
    }
    try {
      Uv.setenv(name, v);
    } catch (UvException e) {
      // ignored, as Node ignores a failed setenv
    }
    return old;
  }

  /** {@code delete process.env[name]}: returns the previous value (or null). */
  @Override
  public String remove(Object name) {
    String old = get(name);
    if (old != null) {
      try {
        Uv.unsetenv((String) name);
      } catch (UvException e) {
        // Node's delete ignores it too
      }
    }
    return old;
  }

  /** The variables as they are now (a snapshot; its iterator's {@code remove} unsets). */
  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        Iterator<Map.Entry<String, String>> it = snapshot().entrySet().iterator();
        return new Iterator<>() {
          private Map.Entry<String, String> last;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<String, String> next() {
            last = it.next();
            return new SimpleImmutableEntry<>(last);
          }

          @Override
          public void remove() {
            if (last == null) {
              throw new IllegalStateException();
            }
            ProcessEnv.this.remove(last.getKey());
            last = null;
          }
        };
      }

      @Override
      public int size() {
        return snapshot().size();
      }
    };
  }

  private static Map<String, String> snapshot() {
    try {
      return Uv.environ();
    } catch (UvException e) {
      throw SystemError.from(e, "uv_os_environ");
    }
  }
}
