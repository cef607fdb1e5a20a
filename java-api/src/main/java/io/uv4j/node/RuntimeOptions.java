package io.uv4j.node;

import java.util.Objects;

/**
 * Options of a {@link NodeRuntime} that Node takes as command-line flags:
 * {@code unhandledRejections} ({@code --unhandled-rejections}).
 *
 * <pre>{@code
 * NodeRuntime.run(RuntimeOptions.defaults().withUnhandledRejections(UnhandledRejections.WARN), node -> { ... });
 * }</pre>
 */
public record RuntimeOptions(UnhandledRejections unhandledRejections) {
  /** The system property naming the default {@code --unhandled-rejections} mode. */
  public static final String UNHANDLED_REJECTIONS_PROPERTY = "uv4j.unhandledRejections";

  /** @throws NullPointerException if a component is null */
  public RuntimeOptions {
    Objects.requireNonNull(unhandledRejections, "unhandledRejections");
  }

  /**
   * Node's defaults, except what the system properties set: {@code uv4j.unhandledRejections}
   * (else {@link UnhandledRejections#THROW}).
   *
   * @throws IllegalArgumentException if the property has an invalid value
   */
  public static RuntimeOptions defaults() {
    String mode = System.getProperty(UNHANDLED_REJECTIONS_PROPERTY);
    return new RuntimeOptions(mode == null || mode.isEmpty() ? UnhandledRejections.THROW : UnhandledRejections.of(mode));
  }

  public RuntimeOptions withUnhandledRejections(UnhandledRejections mode) {
    return new RuntimeOptions(mode);
  }
}
