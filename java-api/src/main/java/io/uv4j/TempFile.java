package io.uv4j;

/**
 * The result of {@link Fs#mkstemp}: the created file's path (the template with its "XXXXXX"
 * filled in) and the descriptor it is open on (read/write), which the caller must close.
 *
 * <pre>{@code
 * TempFile t = Fs.mkstempSync("/tmp/upload-XXXXXX");
 * Fs.writeSync(t.fd(), data, -1);
 * Fs.closeSync(t.fd());
 * }</pre>
 */
public final class TempFile {
  private final int fd;
  private final String path;

  TempFile(int fd, String path) {
    this.fd = fd;
    this.path = path;
  }

  /** The open file descriptor. */
  public int fd() {
    return fd;
  }

  /** The created file's path. */
  public String path() {
    return path;
  }

  @Override
  public String toString() {
    return "TempFile[fd=" + fd + ", path=" + path + "]";
  }
}
