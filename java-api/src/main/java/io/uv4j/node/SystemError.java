package io.uv4j.node;

import io.uv4j.UvException;

/**
 * An operating-system error as Node reports it: {@link #code()} (e.g. {@code "ENOENT"}),
 * {@link #errno()} (libuv's negative number), {@link #syscall()} (Node's name for the call:
 * {@code "open"}, {@code "connect"}...), and the {@link #path()} / {@link #dest()} or the
 * {@link #address()} / {@link #port()} involved. The message reads as Node's:
 * {@code ENOENT: no such file or directory, open '/nope'} or
 * {@code connect ECONNREFUSED 127.0.0.1:9}. The {@link UvException} from the core API, when there
 * is one, is the cause.
 *
 * <pre>{@code
 * NodeFs.of(node).readFile("/nope", (err, bytes) -> {
 *   if (err instanceof SystemError e) {
 *     System.out.println(e.code() + " " + e.syscall() + " " + e.path());   // ENOENT open /nope
 *   }
 * });
 * }</pre>
 */
public class SystemError extends NodeError {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String syscall;
  private final String path;
  private final String dest;
  private final String address;
  private final int port;

  private SystemError(String code, String message, int errno, String syscall, String path,
      String dest, String address, int port, Throwable cause) {
    super(code, message, cause);
    this.errno = errno;
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
    this.address = address;
    this.port = port;
  }

  /**
   * A file-system style error (Node's uvException): {@code CODE: description, syscall 'path'
   * -> 'dest'}. The syscall is libuv's without its {@code uv_fs_} prefix unless given.
   */
  public static SystemError from(UvException e, String syscall) {
    String call = syscall != null ? syscall : nodeSyscall(e.syscall());
    StringBuilder m = new StringBuilder(e.errorName()).append(": ").append(e.description());
    if (call != null) {
      m.append(", ").append(call);
    }
    if (e.path() != null) {
      m.append(" '").append(e.path()).append('\'');
    }
    if (e.dest() != null) {
      m.append(" -> '").append(e.dest()).append('\'');
    }
    return new SystemError(e.errorName(), m.toString(), e.code(), call, e.path(), e.dest(), null, -1, e);
  }

  /** {@link #from(UvException, String)} with the syscall derived from libuv's. */
  public static SystemError from(UvException e) {
    return from(e, null);
  }

  /**
   * A DNS error (Node's dnsException): {@code getaddrinfo ENOTFOUND host}. Like Node, libuv's
   * EAI_NONAME, EAI_NODATA and EAI_MEMORY become ENOTFOUND; the host is the error's path.
   */
  static SystemError dns(UvException e, String syscall, String hostname) {
    String name = e.errorName();
    String code = name.equals("EAI_NONAME") || name.equals("EAI_NODATA") || name.equals("EAI_MEMORY")
        ? "ENOTFOUND" : name;
    return new SystemError(code, syscall + " " + code + (hostname != null ? " " + hostname : ""),
        e.code(), syscall, hostname, null, null, -1, e);
  }

  /** A stream error (Node's ErrnoException): {@code syscall CODE}, e.g. {@code read ECONNRESET}. */
  static SystemError errno(UvException e, String syscall) {
    return new SystemError(e.errorName(), syscall + " " + e.errorName(), e.code(), syscall, null,
        null, null, -1, e);
  }

  /** A socket error with an address (Node's ExceptionWithHostPort): {@code connect ECONNREFUSED 127.0.0.1:9}. */
  static SystemError withHostPort(UvException e, String syscall, String address, int port) {
    String where = address + (port > 0 ? ":" + port : "");
    return new SystemError(e.errorName(), syscall + " " + e.errorName() + " " + where, e.code(),
        syscall, null, null, address, port, e);
  }

  /** As {@link #withHostPort(UvException, String, String, int)} with Node's {@code " - Local (address:port)"} part (null: none). */
  static SystemError withHostPort(UvException e, String syscall, String address, int port, String local) {
    String where = address + (port > 0 ? ":" + port : "") + (local != null ? " - Local (" + local + ")" : "");
    return new SystemError(e.errorName(), syscall + " " + e.errorName() + " " + where, e.code(),
        syscall, null, null, address, port, e);
  }

  /** A socket error in Node's UVExceptionWithHostPort form: {@code listen EADDRINUSE: address already in use 127.0.0.1:80}. */
  static SystemError uvWithHostPort(UvException e, String syscall, String address, int port) {
    String where = port > 0 ? " " + address + ":" + port : address != null ? " " + address : "";
    return new SystemError(e.errorName(), syscall + " " + e.errorName() + ": " + e.description() + where,
        e.code(), syscall, null, null, address, port, e);
  }

  /** An error Node raises itself with system-error fields (e.g. ERR_FS_EISDIR). */
  static SystemError of(String code, String message, int errno, String syscall, String path) {
    return new SystemError(code, message, errno, syscall, path, null, null, -1, null);
  }

  static String nodeSyscall(String libuv) {
    if (libuv == null) {
      return null;
    }
    if (libuv.startsWith("uv_fs_")) {
      return libuv.substring(6);
    }
    if (libuv.startsWith("uv_")) {
      return libuv.substring(3);
    }
    return libuv;
  }

  /** libuv's (negative) error number; Node's {@code err.errno}. */
  public int errno() {
    return errno;
  }

  /** Node's name of the failed call, e.g. {@code "open"}, {@code "connect"}, {@code "read"}. */
  public String syscall() {
    return syscall;
  }

  /** The path involved, or null. */
  public String path() {
    return path;
  }

  /** The second path (rename, copyFile), or null. */
  public String dest() {
    return dest;
  }

  /** The socket address involved, or null. */
  public String address() {
    return address;
  }

  /** The port involved, or -1. */
  public int port() {
    return port;
  }
}
