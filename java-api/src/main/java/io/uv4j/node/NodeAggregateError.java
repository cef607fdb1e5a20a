package io.uv4j.node;

import java.util.List;

/**
 * Node's {@code NodeAggregateError}: an {@link AggregateError} carrying the {@code code} of its
 * first error. A socket connecting with {@code autoSelectFamily} fails with one when every
 * address it tried failed; its {@link #errors()} are the attempts' errors in order.
 *
 * <pre>{@code
 * socket.on("error", args -> {
 *   if (args[0] instanceof NodeAggregateError all) {
 *     System.out.println(all.code() + " " + all.errors().size());   // ECONNREFUSED 2
 *   }
 * });
 * }</pre>
 */
public final class NodeAggregateError extends AggregateError {
  private static final long serialVersionUID = 1L;

  private final String code;

  /** The errors (at least one), with an empty message, as Node's. */
  NodeAggregateError(List<? extends NodeError> errors) {
    super(errors, "");
    this.code = errors.get(0).code();
  }

  /** Node's {@code err.code}: the first error's code. */
  public String code() {
    return code;
  }
}
