package io.uv4j.node;

/**
 * A process warning ({@code process.emitWarning}): an error object with a {@link #name()}
 * ({@code "Warning"}, {@code "DeprecationWarning"}, ...) and an optional {@link #code()}
 * ({@code "DEP0118"}). Listeners of {@link NodeRuntime#onWarning} receive it; the runtime also
 * prints it on stderr, as Node's default listener does.
 *
 * <pre>{@code
 * NodeRuntime.run(node -> {
 *   node.onWarning(w -> System.out.println(w.name() + " " + w.code() + ": " + w.getMessage()));
 *   node.emitWarning("the old API is going away", "DeprecationWarning", "DEP0999");
 * });
 * }</pre>
 */
public final class NodeWarning extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String code;
  private final String detail;

  /**
   * The options of {@code process.emitWarning(message, {type, code, detail})}
   * ({@link NodeRuntime#emitWarning(String, Options)}); each may be null.
   *
   * <pre>{@code
   * node.emitWarning("slow path", new NodeWarning.Options("PerfWarning", null, "see the docs"));
   * }</pre>
   *
   * @param type the warning's name (null: {@code "Warning"})
   * @param code an identifier such as {@code "DEP0018"}
   * @param detail more text, printed on the next line
   */
  public record Options(String type, String code, String detail) {}

  /**
   * @param name the warning's type, e.g. {@code "Warning"} or {@code "DeprecationWarning"}
   * @param message what happened
   * @param code an identifier such as {@code "DEP0018"}, or null
   * @throws NullPointerException if {@code name} or {@code message} is null
   */
  public NodeWarning(String name, String message, String code) {
    this(name, message, code, null);
  }

  /**
   * A warning with a {@code detail} (Node's {@code warning.detail}, printed on the next line).
   *
   * @param name the warning's type
   * @param message what happened
   * @param code an identifier, or null
   * @param detail more text, or null
   * @throws NullPointerException if {@code name} or {@code message} is null
   */
  public NodeWarning(String name, String message, String code, String detail) {
    super(java.util.Objects.requireNonNull(message, "message"), null, false, false);
    this.name = java.util.Objects.requireNonNull(name, "name");
    this.code = code;
    this.detail = detail;
  }

  /** {@code warning.detail}, or null. */
  public String detail() {
    return detail;
  }

  /** {@code warning.name}. */
  public String name() {
    return name;
  }

  /** {@code warning.code}, or null. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return (code != null ? "[" + code + "] " : "") + name + ": " + getMessage();
  }
}
