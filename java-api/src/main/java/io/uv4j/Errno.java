package io.uv4j;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * libuv's error numbers, read from the native library at start-up because their values differ
 * between platforms. Compare them with {@link UvException#code()}, or use
 * {@link UvException#errorName()}.
 *
 * <pre>{@code
 * try {
 *   Fs.unlinkSync("/nope");
 * } catch (UvException e) {
 *   if (e.code() == Errno.ENOENT) System.out.println("already gone");   // or e.errorName().equals("ENOENT")
 * }
 * }</pre>
 */
public final class Errno {
  private static final Map<String, Integer> BY_NAME;

  static {
    String[] names = Uv.nErrnoNames();
    int[] codes = Uv.nErrnoCodes();
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      m.put(names[i], codes[i]);
    }
    BY_NAME = Collections.unmodifiableMap(m);
  }

  public static final int E2BIG = code("E2BIG");
  public static final int EACCES = code("EACCES");
  public static final int EADDRINUSE = code("EADDRINUSE");
  public static final int EADDRNOTAVAIL = code("EADDRNOTAVAIL");
  public static final int EAGAIN = code("EAGAIN");
  public static final int EAI_AGAIN = code("EAI_AGAIN");
  public static final int EAI_CANCELED = code("EAI_CANCELED");
  public static final int EAI_NONAME = code("EAI_NONAME");
  public static final int EBADF = code("EBADF");
  public static final int EBUSY = code("EBUSY");
  public static final int ECANCELED = code("ECANCELED");
  public static final int ECONNABORTED = code("ECONNABORTED");
  public static final int ECONNREFUSED = code("ECONNREFUSED");
  public static final int ECONNRESET = code("ECONNRESET");
  public static final int EEXIST = code("EEXIST");
  public static final int EINVAL = code("EINVAL");
  public static final int EISDIR = code("EISDIR");
  public static final int EMFILE = code("EMFILE");
  public static final int ENOENT = code("ENOENT");
  public static final int ENOMEM = code("ENOMEM");
  public static final int ENOSYS = code("ENOSYS");
  public static final int ENOTCONN = code("ENOTCONN");
  public static final int ENOTDIR = code("ENOTDIR");
  public static final int ENOTEMPTY = code("ENOTEMPTY");
  public static final int ENOTSUP = code("ENOTSUP");
  public static final int EPERM = code("EPERM");
  public static final int EPIPE = code("EPIPE");
  public static final int ETIMEDOUT = code("ETIMEDOUT");
  public static final int EOF = code("EOF");

  private Errno() {}

  /** The code for a libuv error name such as {@code "ENOENT"}; IllegalArgumentException if unknown. */
  public static int code(String name) {
    Integer c = BY_NAME.get(name);
    if (c == null) {
      throw new IllegalArgumentException("libuv has no error named " + name);
    }
    return c;
  }

  /** Every error name libuv knows, with its code on this platform. */
  public static Map<String, Integer> all() {
    return BY_NAME;
  }
}
