package io.uv4j;

import static io.uv4j.Fs.CLOSE;
import static io.uv4j.Fs.CLOSEDIR;
import static io.uv4j.Fs.COPYFILE;
import static io.uv4j.Fs.FCHMOD;
import static io.uv4j.Fs.FCHOWN;
import static io.uv4j.Fs.FDATASYNC;
import static io.uv4j.Fs.FSTAT;
import static io.uv4j.Fs.FSYNC;
import static io.uv4j.Fs.FTRUNCATE;
import static io.uv4j.Fs.FUTIME;
import static io.uv4j.Fs.LINK;
import static io.uv4j.Fs.LUTIME;
import static io.uv4j.Fs.MKDTEMP;
import static io.uv4j.Fs.MKSTEMP;
import static io.uv4j.Fs.READ;
import static io.uv4j.Fs.READDIR;
import static io.uv4j.Fs.RENAME;
import static io.uv4j.Fs.SENDFILE;
import static io.uv4j.Fs.SYMLINK;
import static io.uv4j.Fs.UTIME;
import static io.uv4j.Fs.WRITE;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@link Fs}'s argument checks and conversions, run before anything is queued or called (the
 * class comment of {@link Fs} lists what each form throws): the paths an operation takes as
 * UTF-8 bytes (null and NUL refused, naming the public parameter), times, lengths, readdir
 * sizes, and the conversions of results (UTF-8 names, directory entries, Instants to seconds).
 */
final class FsArgs {
  private FsArgs() {}

  static final String[] NO_PATHS = {};
  static final String[] PATH = {"path"};
  static final String[] TEMPLATE = {"template"};
  static final String[] FROM_TO = {"from", "to"};
  static final String[] LINK_NAMES = {"existing", "newPath"};
  static final String[] SYMLINK_NAMES = {"target", "path"};

  /** The public parameter names of an operation's paths, in order (none for descriptor operations). */
  static String[] pathNames(int op) {
    switch (op) {
      case CLOSE: case READ: case WRITE: case SENDFILE: case FSTAT: case FTRUNCATE: case FUTIME:
      case FCHMOD: case FSYNC: case FDATASYNC: case FCHOWN: case READDIR: case CLOSEDIR:
        return NO_PATHS;
      case MKDTEMP: case MKSTEMP:
        return TEMPLATE;
      case RENAME: case COPYFILE:
        return FROM_TO;
      case LINK:
        return LINK_NAMES;
      case SYMLINK:
        return SYMLINK_NAMES;
      default:
        return PATH;
    }
  }

  /**
   * Path number {@code index} of {@code op} as the UTF-8 bytes the OS gets: null when the
   * operation takes no such path, NullPointerException (naming the parameter) when it does and
   * {@code path} is null. libuv's asynchronous form would crash in strlen on a null path.
   */
  static byte[] path(String path, int op, int index) {
    String[] names = pathNames(op);
    if (index >= names.length) {
      return null;
    }
    Objects.requireNonNull(path, names[index]);
    if (path.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(names[index] + " contains a NUL character: " + path.replace('\0', '?'));
    }
    return path.getBytes(StandardCharsets.UTF_8);
  }

  static void checkTimes(int op, double atime, double mtime) {
    if (op == UTIME || op == FUTIME || op == LUTIME) {
      checkTime(atime, "atime");
      checkTime(mtime, "mtime");
    }
  }

  static FsRequest.Converter<Dir> dirOf(String path) {
    return (r, x) -> new Dir(((long[]) x)[0], path);
  }

  /** The most entries one readdir may ask for: the native entry array is allocated up front. */
  static final int MAX_READDIR_ENTRIES = 1 << 20;

  static void checkMaxEntries(int maxEntries) {
    if (maxEntries < 1 || maxEntries > MAX_READDIR_ENTRIES) {
      throw new IllegalArgumentException("maxEntries must be in [1, 2^20]: " + maxEntries);
    }
  }

  static void checkSendfile(int outFd, int inFd, long inOffset, long length) {
    if (inOffset < 0) {
      throw new IllegalArgumentException("inOffset must be >= 0: " + inOffset);
    }
    checkLength(length);
    OwnedFds.check(outFd, "sendfile", true);
    OwnedFds.check(inFd, "sendfile", true);
  }

  /** libuv turns a double into seconds and nanoseconds with C casts: NaN, infinities and values beyond a long are undefined. */
  static double checkTime(double t, String name) {
    if (!(Math.abs(t) < 9.2e18)) {
      throw new IllegalArgumentException(name + " must be a finite number of seconds within +-9.2e18: " + t);
    }
    return t;
  }

  static void checkLength(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
  }

  /**
   * An Instant as the double seconds libuv takes. libuv 1.44 keeps whole microseconds and drops
   * the rest toward zero, and a double near today's epoch is only good to ~0.25 us, so the value
   * is aimed at the middle of the intended microsecond: truncation then lands on it exactly.
   */
  static double seconds(Instant t, String name) {
    Objects.requireNonNull(t, name);
    long micros = t.getNano() / 1000;
    double s = t.getEpochSecond() + micros / 1e6;
    return s + (s < 0 ? -5e-7 : 5e-7);
  }

  static String utf8(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  static List<DirEntry> entries(Object extra) {
    Object[] pair = (Object[]) extra;
    Object[] names = (Object[]) pair[0];
    int[] types = (int[]) pair[1];
    DirEntry.Type[] all = DirEntry.Type.values();
    List<DirEntry> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      int t = types[i];
      out.add(new DirEntry(utf8((byte[]) names[i]), t >= 0 && t < all.length ? all[t] : DirEntry.Type.UNKNOWN));
    }
    return Collections.unmodifiableList(out);
  }
}
