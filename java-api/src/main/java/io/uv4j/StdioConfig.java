package io.uv4j;

import java.util.Objects;

/**
 * What one descriptor of a child process is ({@code uv_stdio_container_t}): see
 * {@link SpawnOptions#stdio(int, StdioConfig)}. Descriptors beyond those configured are closed
 * in the child, except 0, 1 and 2, which default to {@link #ignore()} ({@code /dev/null}).
 *
 * <pre>{@code
 * Pipe out = new Pipe(loop, false);
 * SpawnOptions options = SpawnOptions.command("ls", "-l")
 *     .stdio(0, StdioConfig.ignore())             // stdin: /dev/null
 *     .stdio(1, StdioConfig.pipeFromChild(out))   // stdout: read it from `out`
 *     .stdio(2, StdioConfig.inherit(2));          // stderr: this process's
 * }</pre>
 */
public final class StdioConfig {
  enum Kind { IGNORE, INHERIT_FD, INHERIT_STREAM, PIPE }

  private static final StdioConfig IGNORE = new StdioConfig(Kind.IGNORE, -1, null, false, false);

  final Kind kind;
  final int fd;
  final Stream stream;
  final boolean parentReads;
  final boolean parentWrites;

  private StdioConfig(Kind kind, int fd, Stream stream, boolean parentReads, boolean parentWrites) {
    this.kind = kind;
    this.fd = fd;
    this.stream = stream;
    this.parentReads = parentReads;
    this.parentWrites = parentWrites;
  }

  /** {@code UV_IGNORE}: the child gets {@code /dev/null} (for 0, 1 and 2) or nothing. */
  public static StdioConfig ignore() {
    return IGNORE;
  }

  /**
   * {@code UV_INHERIT_FD}: the child gets a duplicate of this process's descriptor {@code fd}.
   *
   * @throws IllegalArgumentException if {@code fd} is negative
   */
  public static StdioConfig inherit(int fd) {
    if (fd < 0) {
      throw new IllegalArgumentException("not a descriptor: " + fd);
    }
    return new StdioConfig(Kind.INHERIT_FD, fd, null, false, false);
  }

  /**
   * {@code UV_INHERIT_STREAM}: the child gets a duplicate of {@code stream}'s descriptor (checked
   * at spawn: the stream must have one, be open and belong to the spawning loop). The duplicate
   * shares the socket's blocking mode with this process; as child descriptor 0, 1 or 2 libuv's
   * child makes it blocking, and spawn makes it non-blocking again so that this process's loop
   * never blocks on the stream: the child sees a non-blocking stdio descriptor.
   *
   * @throws NullPointerException if {@code stream} is null
   */
  public static StdioConfig inherit(Stream stream) {
    return new StdioConfig(Kind.INHERIT_STREAM, -1, Objects.requireNonNull(stream, "stream"), false, false);
  }

  /**
   * {@code UV_CREATE_PIPE}: libuv creates a socket pair, gives one end to the child and opens
   * {@code pipe} on the other. {@code parentReads}/{@code parentWrites} are from this process's
   * side (libuv's {@code UV_WRITABLE_PIPE}/{@code UV_READABLE_PIPE} are from the child's). The
   * pipe must be a new {@link Pipe} of the spawning loop, without a descriptor, used by no other
   * entry (checked at spawn). It is opened even when the exec fails (then it reads end of file).
   *
   * @throws NullPointerException if {@code pipe} is null
   * @throws IllegalArgumentException if neither direction is asked for
   */
  public static StdioConfig pipe(Pipe pipe, boolean parentReads, boolean parentWrites) {
    Objects.requireNonNull(pipe, "pipe");
    if (!parentReads && !parentWrites) {
      throw new IllegalArgumentException("a pipe must be readable or writable (or both)");
    }
    return new StdioConfig(Kind.PIPE, -1, pipe, parentReads, parentWrites);
  }

  /** A pipe the child writes and this process reads (a child's stdout or stderr). */
  public static StdioConfig pipeFromChild(Pipe pipe) {
    return pipe(pipe, true, false);
  }

  /** A pipe this process writes and the child reads (a child's stdin). */
  public static StdioConfig pipeToChild(Pipe pipe) {
    return pipe(pipe, false, true);
  }

  @Override
  public String toString() {
    switch (kind) {
      case IGNORE: return "ignore";
      case INHERIT_FD: return "inherit fd " + fd;
      case INHERIT_STREAM: return "inherit " + stream;
      default: return "pipe " + stream + (parentReads ? " r" : "") + (parentWrites ? " w" : "");
    }
  }
}
