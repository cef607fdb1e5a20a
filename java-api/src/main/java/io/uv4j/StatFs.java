package io.uv4j;

/**
 * File system statistics ({@code uv_statfs_t}) from {@link Fs#statfs}. Block counts are in
 * units of {@link #bsize()} bytes.
 *
 * <pre>{@code
 * StatFs s = Fs.statfsSync("/");
 * long freeBytes = s.bavail() * s.bsize();
 * }</pre>
 */
public final class StatFs {
  private final long[] v;

  StatFs(long[] v) {
    this.v = v;
  }

  /** The file system type (f_type; 0 where the platform has none). */
  public long type() { return v[0]; }
  /** The block size in bytes. */
  public long bsize() { return v[1]; }
  /** Total blocks. */
  public long blocks() { return v[2]; }
  /** Free blocks. */
  public long bfree() { return v[3]; }
  /** Free blocks available to unprivileged users. */
  public long bavail() { return v[4]; }
  /** Total file nodes (inodes). */
  public long files() { return v[5]; }
  /** Free file nodes. */
  public long ffree() { return v[6]; }

  @Override
  public String toString() {
    return "StatFs[type=0x" + Long.toHexString(type()) + ", bsize=" + bsize() + ", blocks="
        + blocks() + ", bfree=" + bfree() + ", bavail=" + bavail() + ", files=" + files()
        + ", ffree=" + ffree() + "]";
  }
}
