package io.uv4j.node;

import io.uv4j.Fs;

/**
 * {@code fs.constants}: the open flags, access modes and copy flags of this platform, read as
 * {@code NodeFs.constants.O_CREAT} (instance fields of one shared object, so the expression reads
 * as in JavaScript).
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * fs.access("/etc/hosts", NodeFs.constants.R_OK | NodeFs.constants.W_OK,
 *     (err, v) -> System.out.println(err == null ? "read-write" : err.getMessage()));
 * fs.copyFile("a.txt", "b.txt", NodeFs.constants.COPYFILE_EXCL, (err, v) -> {}); // EEXIST if b.txt exists
 * }</pre>
 */
public final class FsConstants {
  public final int O_RDONLY = Fs.O_RDONLY;
  public final int O_WRONLY = Fs.O_WRONLY;
  public final int O_RDWR = Fs.O_RDWR;
  public final int O_CREAT = Fs.O_CREAT;
  public final int O_EXCL = Fs.O_EXCL;
  public final int O_TRUNC = Fs.O_TRUNC;
  public final int O_APPEND = Fs.O_APPEND;
  public final int O_SYNC = Fs.O_SYNC;
  public final int O_DSYNC = Fs.O_DSYNC;
  public final int O_DIRECTORY = Fs.O_DIRECTORY;
  public final int O_NOFOLLOW = Fs.O_NOFOLLOW;
  public final int O_NOATIME = Fs.O_NOATIME;
  public final int O_DIRECT = Fs.O_DIRECT;
  public final int O_NONBLOCK = Fs.O_NONBLOCK;
  public final int O_NOCTTY = Fs.O_NOCTTY;
  public final int F_OK = Fs.F_OK;
  public final int R_OK = Fs.R_OK;
  public final int W_OK = Fs.W_OK;
  public final int X_OK = Fs.X_OK;
  public final int COPYFILE_EXCL = Fs.COPYFILE_EXCL;
  public final int COPYFILE_FICLONE = Fs.COPYFILE_FICLONE;
  public final int COPYFILE_FICLONE_FORCE = Fs.COPYFILE_FICLONE_FORCE;

  FsConstants() {}
}
