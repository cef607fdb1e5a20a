package io.uv4j.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * JavaScript's {@code AggregateError}: several errors reported as one. {@link Promise#any}
 * rejects with one when every input rejected (or there was none), its {@link #errors()} the
 * reasons in input order and its message Node's {@code "All promises were rejected"}.
 *
 * <pre>{@code
 * Promise.any(node, List.of(Promise.reject(node, new RuntimeException("a")))).catchAccept(e -> {
 *   AggregateError all = (AggregateError) e;
 *   System.out.println(all.getMessage() + " " + all.errors().size()); // All promises were rejected 1
 * });
 * }</pre>
 */
public class AggregateError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message of the one {@link Promise#any} rejects with (V8's). */
  public static final String ALL_REJECTED = "All promises were rejected";

  private final List<Throwable> errors;

  /**
   * {@code new AggregateError(errors, message)}. The list is copied; it may hold nulls.
   *
   * @throws NullPointerException if {@code errors} is null
   */
  public AggregateError(List<? extends Throwable> errors, String message) {
    super(message);
    this.errors = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(errors, "errors")));
  }

  /** JavaScript's {@code err.errors}: the aggregated errors, in order (unmodifiable). */
  public List<Throwable> errors() {
    return errors;
  }
}
