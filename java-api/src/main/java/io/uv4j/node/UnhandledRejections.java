package io.uv4j.node;

import java.util.Locale;

/**
 * Node's {@code --unhandled-rejections} modes: what the runtime does with a promise rejected
 * without a handler by the end of the tick in which it was rejected (lib/internal/process/promises.js).
 * Chosen per runtime with {@link RuntimeOptions#withUnhandledRejections}, or for every runtime of
 * the JVM with the system property {@code uv4j.unhandledRejections} (Node's flag values, e.g.
 * {@code -Duv4j.unhandledRejections=warn}).
 *
 * <pre>{@code
 * RuntimeOptions warnOnly = RuntimeOptions.defaults().withUnhandledRejections(UnhandledRejections.WARN);
 * NodeRuntime.run(warnOnly, node -> Promise.reject(node, new IllegalStateException("nobody handles this")));
 * // prints the warning and exits with code 0 (the default, THROW, would exit with 1)
 * }</pre>
 */
public enum UnhandledRejections {
  /**
   * Node's default: {@code 'unhandledRejection'}; without a listener, an uncaught exception of
   * origin {@code "unhandledRejection"} (fatal without an {@code 'uncaughtException'} listener).
   */
  THROW("throw"),
  /**
   * An uncaught exception first (fatal without a listener); then {@code 'unhandledRejection'},
   * and without a listener the UnhandledPromiseRejectionWarning pair.
   */
  STRICT("strict"),
  /** {@code 'unhandledRejection'}, then always the UnhandledPromiseRejectionWarning pair. */
  WARN("warn"),
  /** {@code 'unhandledRejection'} only; never a warning. */
  NONE("none"),
  /**
   * {@code 'unhandledRejection'}; without a listener, the warning pair and exit code 1
   * ({@code process.exitCode = 1}).
   */
  WARN_WITH_ERROR_CODE("warn-with-error-code");

  private final String flag;

  UnhandledRejections(String flag) {
    this.flag = flag;
  }

  /** The value of Node's flag: {@code throw}, {@code strict}, {@code warn}, {@code none}, {@code warn-with-error-code}. */
  public String flag() {
    return flag;
  }

  /**
   * The mode of a flag value (as {@link #flag()}; case-insensitive, '_' for '-' accepted).
   *
   * @throws IllegalArgumentException for another value (Node: "invalid value for --unhandled-rejections")
   * @throws NullPointerException if {@code value} is null
   */
  public static UnhandledRejections of(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (UnhandledRejections m : values()) {
      if (m.flag.equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException("invalid value for --unhandled-rejections: " + value);
  }
}
