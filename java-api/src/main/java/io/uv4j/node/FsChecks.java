package io.uv4j.node;

/**
 * Node's argument checks for the {@code fs} functions (its {@code validateInteger},
 * {@code validateUint32}, {@code getValidMode}, {@code getValidatedPath}, {@code validateFunction}),
 * with Node's codes and messages.
 */
final class FsChecks {
  /** {@code Number.MAX_SAFE_INTEGER}. */
  static final long MAX_SAFE_INTEGER = 9007199254740991L;

  private FsChecks() {}

  /**
   * {@code getValidatedPath}: null is ERR_INVALID_ARG_TYPE, a NUL character
   * ERR_INVALID_ARG_VALUE.
   */
  static String path(String path, String name) {
    if (path == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"" + name
          + "\" argument must be of type string or an instance of Buffer or URL. Received null");
    }
    if (path.indexOf('\0') >= 0) {
      throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument '" + name
          + "' must be a string, Uint8Array, or URL without null bytes. Received '"
          + path.replace("\0", "\\x00") + "'");
    }
    return path;
  }

  /** {@code validateFunction(cb, 'cb')}: a missing callback. */
  static <T> T callback(T cb, String name) {
    if (cb == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE", "The \"" + name
          + "\" argument must be of type function. Received undefined");
    }
    return cb;
  }

  /** {@code getValidMode(mode, 'access' | 'copyFile')}: 0..7, checked in Node's binding. */
  static int accessOrCopyMode(int mode) {
    if (mode < 0 || mode > 7) {
      throw new NodeError("ERR_OUT_OF_RANGE", "mode is out of range: >= 0 && <= 7");
    }
    return mode;
  }

  /** {@code validateInteger(len, 'len')}, then {@code Math.max(0, len)}, as fs.truncate does. */
  static long truncateLength(long len) {
    if (len > MAX_SAFE_INTEGER || len < -MAX_SAFE_INTEGER) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"len\" is out of range. It must be >= "
          + -MAX_SAFE_INTEGER + " && <= " + MAX_SAFE_INTEGER + ". Received " + separated(len));
    }
    return Math.max(0, len);
  }

  /** {@code validateInt32(fd, 'fd', 0)}. */
  static int fd(int fd) {
    if (fd < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"fd\" is out of range. It must be >= 0 && <= "
          + Integer.MAX_VALUE + ". Received " + separated(fd));
    }
    return fd;
  }

  /** {@code validateUint32(value, name)} for a Java long. */
  static long uint32(long value, String name) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"" + name
          + "\" is out of range. It must be >= 0 && <= 4294967295. Received " + separated(value));
    }
    return value;
  }

  private static NodeError outOfRange(String name, String range, long received) {
    return new NodeError("ERR_OUT_OF_RANGE", "The value of \"" + name + "\" is out of range. It must be " + range
        + ". Received " + separated(received));
  }

  /**
   * fs.read/readSync's checks with Node's codes and messages ({@code validateInteger(offset)},
   * then, for a length other than 0, the empty-buffer check, {@code validateOffsetLengthRead}
   * and {@code validatePosition}). Returns false for a length of 0: Node reads nothing then
   * and gives 0 (whatever the descriptor and position).
   */
  static boolean readRange(int bufferLength, int offset, int length, long position) {
    if (offset < 0) {
      throw outOfRange("offset", ">= 0 && <= " + MAX_SAFE_INTEGER, offset);
    }
    if (length == 0) {
      return false;
    }
    if (bufferLength == 0) {
      throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument 'buffer' is empty and cannot be written. Received <Buffer >");
    }
    if (length < 0) {
      throw outOfRange("length", ">= 0", length);
    }
    if ((long) offset + length > bufferLength) {
      throw outOfRange("length", "<= " + ((long) bufferLength - offset), length);
    }
    if (position < -1 || position > MAX_SAFE_INTEGER) {
      throw outOfRange("position", ">= -1 && <= " + MAX_SAFE_INTEGER, position);
    }
    return true;
  }

  /**
   * fs.write/writeSync's checks with Node's codes and messages ({@code validateInteger(offset)},
   * {@code validateOffsetLengthWrite}); returns the position for the core: a negative one
   * writes at the file's position, as Node's binding passes it to libuv.
   */
  static long writeRange(int bufferLength, int offset, int length, long position) {
    if (offset < 0) {
      throw outOfRange("offset", ">= 0 && <= " + MAX_SAFE_INTEGER, offset);
    }
    if (offset > bufferLength) {
      throw outOfRange("offset", "<= " + bufferLength, offset);
    }
    if (length > bufferLength - offset) {
      throw outOfRange("length", "<= " + (bufferLength - offset), length);
    }
    if (length < 0) {
      throw outOfRange("length", ">= 0", length);
    }
    return position < 0 ? -1 : position;
  }

  /**
   * A "Received" value as ERR_OUT_OF_RANGE prints it: integers beyond 2^32 in magnitude with
   * Node's {@code addNumericalSeparator} ({@code 9_007_199_254_740_992}), others plainly.
   */
  static String separated(long value) {
    if (Math.abs(value) <= (1L << 32)) {
      return Long.toString(value);
    }
    String digits = Long.toString(Math.abs(value));
    StringBuilder out = new StringBuilder();
    int i = digits.length();
    for (; i >= 4; i -= 3) {
      out.insert(0, "_" + digits.substring(i - 3, i));
    }
    out.insert(0, digits.substring(0, i));
    return (value < 0 ? "-" : "") + out;
  }
}
