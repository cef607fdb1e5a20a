package io.uv4j.node;

import java.util.Objects;
import java.util.Set;

/**
 * An error as Node reports it: a message and a {@link #code()} such as {@code "ENOENT"} or
 * {@code "ERR_STREAM_WRITE_AFTER_END"}. Errors from the operating system are
 * {@link SystemError}s, which also carry the call and the path or address.
 *
 * <p>{@link #name()} is the JavaScript class Node gives the error ({@code "RangeError"} for
 * {@code ERR_OUT_OF_RANGE}, {@code "TypeError"} for {@code ERR_INVALID_ARG_TYPE}, {@code "Error"}
 * otherwise) and {@link #toString()} prints it as Node's {@code err.toString()}:
 * {@code RangeError [ERR_OUT_OF_RANGE]: The value of ...} for the {@code ERR_*} codes Node builds
 * in JavaScript, {@code Error: ENOENT: no such file or directory, open '/nope'} for system errors.
 *
 * <pre>{@code
 * stream.onError(e -> {
 *   if (e instanceof NodeError ne && "ERR_STREAM_WRITE_AFTER_END".equals(ne.code())) {
 *     System.out.println("written after end()");
 *   }
 * });
 * }</pre>
 */
public class NodeError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String code;

  // The codes uv4j throws whose JavaScript class in Node (lib/internal/errors.js, or
  // src/node_errors.h for the crypto ones) is TypeError or RangeError; the others are Error.
  private static final Set<String> TYPE_ERRORS = Set.of("ERR_INVALID_ARG_TYPE", "ERR_INVALID_ARG_VALUE",
      "ERR_UNKNOWN_SIGNAL", "ERR_STREAM_NULL_VALUES", "ERR_MISSING_ARGS", "ERR_CRYPTO_INVALID_DIGEST",
      "ERR_UNKNOWN_ENCODING", "ERR_SOCKET_BAD_TYPE", "ERR_INVALID_IP_ADDRESS", "ERR_INVALID_HANDLE_TYPE",
      "ERR_ILLEGAL_CONSTRUCTOR", "ERR_INVALID_THIS");
  private static final Set<String> RANGE_ERRORS = Set.of("ERR_OUT_OF_RANGE", "ERR_SOCKET_BAD_PORT",
      "ERR_FS_FILE_TOO_LARGE", "ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "ERR_CRYPTO_INVALID_SCRYPT_PARAMS",
      "ERR_CHILD_PROCESS_STDIO_MAXBUFFER");
  // Thrown by Node's C++ side: a plain TypeError/RangeError/Error with a code property, whose
  // toString() shows no code.
  private static final Set<String> NATIVE_CODES = Set.of("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH",
      "ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "ERR_CRYPTO_INVALID_DIGEST", "ERR_CRYPTO_OPERATION_FAILED");

  /** An error with Node's {@code code} and {@code message}. */
  public NodeError(String code, String message) {
    this(code, message, null);
  }

  /** An error with Node's {@code code} and {@code message}, caused by {@code cause}. */
  public NodeError(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** Node's {@code err.code}. */
  public String code() {
    return code;
  }

  /** Throws any throwable unchanged (checked ones too), as JavaScript's {@code throw} does. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /**
   * Node's {@code err.name}: {@code "TypeError"}, {@code "RangeError"} or {@code "Error"}, by
   * {@link #code()} as Node classifies it.
   */
  public String name() {
    return TYPE_ERRORS.contains(code) ? "TypeError" : RANGE_ERRORS.contains(code) ? "RangeError" : "Error";
  }

  /**
   * Node's {@code err.toString()}: {@code Name [CODE]: message} for the {@code ERR_*} codes Node
   * builds in JavaScript, {@code Name: message} for system errors ({@code ENOENT}...) and the
   * codes Node's C++ side throws.
   */
  @Override
  public String toString() {
    if (code.startsWith("ERR_") && !NATIVE_CODES.contains(code)) {
      return name() + " [" + code + "]: " + getMessage();
    }
    return name() + ": " + getMessage();
  }
}
