package io.uv4j;

import java.time.Instant;

/**
 * File status ({@code uv_stat_t}) with every field libuv reports; times with nanoseconds.
 *
 * <pre>{@code
 * Stat s = Fs.statSync("/etc/hosts");
 * if (s.isFile()) System.out.println(s.size() + " bytes, modified " + s.mtime());
 * }</pre>
 */
public final class Stat {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;

  private final long[] v;

  Stat(long[] v) {
    this.v = v;
  }

  public long dev() { return v[0]; }
  /** File type and permission bits, as st_mode. */
  public long mode() { return v[1]; }
  public long nlink() { return v[2]; }
  public long uid() { return v[3]; }
  public long gid() { return v[4]; }
  public long rdev() { return v[5]; }
  public long ino() { return v[6]; }
  public long size() { return v[7]; }
  public long blksize() { return v[8]; }
  public long blocks() { return v[9]; }
  public long flags() { return v[10]; }
  public long gen() { return v[11]; }
  public Instant atime() { return Instant.ofEpochSecond(v[12], v[13]); }
  public Instant mtime() { return Instant.ofEpochSecond(v[14], v[15]); }
  public Instant ctime() { return Instant.ofEpochSecond(v[16], v[17]); }
  /** Birth time where the platform has one (Linux statx), else libuv's fallback. */
  public Instant birthtime() { return Instant.ofEpochSecond(v[18], v[19]); }

  /** Permission bits only ({@code mode & 07777}). */
  public int permissions() { return (int) (v[1] & 07777); }
  public boolean isFile() { return (v[1] & S_IFMT) == S_IFREG; }
  public boolean isDirectory() { return (v[1] & S_IFMT) == S_IFDIR; }
  public boolean isSymbolicLink() { return (v[1] & S_IFMT) == S_IFLNK; }
  public boolean isFifo() { return (v[1] & S_IFMT) == S_IFIFO; }
  public boolean isSocket() { return (v[1] & S_IFMT) == S_IFSOCK; }
  public boolean isCharacterDevice() { return (v[1] & S_IFMT) == S_IFCHR; }
  public boolean isBlockDevice() { return (v[1] & S_IFMT) == S_IFBLK; }

  /**
   * A Stat with these values that nothing overwrites: for keeping the result of a
   * {@link StatRequest}, whose own Stat its next completion overwrites.
   */
  public Stat copy() {
    return new Stat(v.clone());
  }

  @Override
  public String toString() {
    return "Stat[mode=0" + Long.toOctalString(mode()) + ", size=" + size() + ", ino=" + ino()
        + ", mtime=" + mtime() + "]";
  }
}
