package io.uv4j;

import java.io.IOException;

/**
 * An error reported by libuv: the (negative, platform-specific) code, its name such as
 * {@code ENOENT}, libuv's description, the libuv call that failed and, where there is one, the
 * path or address involved (and a second one for rename, link, copyfile and symlink).
 *
 * <p>The message reads like Node's: {@code ENOENT: no such file or directory, uv_fs_open
 * '/nope'}.
 *
 * <pre>{@code
 * try { loop.close(); }
 * catch (UvException e) { if (e.code() == Errno.EBUSY) loop.shutdown(); }
 * }</pre>
 */
public class UvException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String errorName;
  private final String description;
  private final String syscall;
  private final String path;
  private final String dest;

  public UvException(int code, String syscall) {
    this(code, syscall, null, null, null);
  }

  public UvException(int code, String syscall, String path, String dest) {
    this(code, syscall, path, dest, null);
  }

  /** As the four-argument form, with {@code detail} appended to the message. */
  public UvException(int code, String syscall, String path, String dest, String detail) {
    this(code, Uv.nErrName(code), Uv.nStrerror(code), syscall, path, dest, detail);
  }

  private UvException(int code, String name, String description, String syscall, String path,
      String dest, String detail) {
    super(message(name, description, syscall, path, dest, detail));
    this.code = code;
    this.errorName = name;
    this.description = description;
    this.syscall = syscall;
    this.path = path;
    this.dest = dest;
  }

  /** Called by the native library. */
  static UvException create(int code, String syscall, String path, String dest) {
    return new UvException(code, syscall, path, dest);
  }

  private static String message(String name, String description, String syscall, String path,
      String dest, String detail) {
    StringBuilder sb = new StringBuilder(name).append(": ").append(description);
    if (syscall != null) {
      sb.append(", ").append(syscall);
    }
    if (path != null) {
      sb.append(" '").append(path).append('\'');
    }
    if (dest != null) {
      sb.append(" -> '").append(dest).append('\'');
    }
    if (detail != null) {
      sb.append(": ").append(detail);
    }
    return sb.toString();
  }

  /** libuv's error code (negative), comparable with the constants in {@link Errno}. */
  public int code() {
    return code;
  }

  /** The error's name, e.g. {@code "EBUSY"}. */
  public String errorName() {
    return errorName;
  }

  /** libuv's description, e.g. {@code "resource busy or locked"}. */
  public String description() {
    return description;
  }

  /** The libuv function that failed, e.g. {@code "uv_loop_close"}; may be null. */
  public String syscall() {
    return syscall;
  }

  /** The path or address involved; null when there is none. */
  public String path() {
    return path;
  }

  /** The second path (rename, link, copyfile, symlink); null when there is none. */
  public String dest() {
    return dest;
  }
}
