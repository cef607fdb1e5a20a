package io.uv4j.node;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * The file streams of Node's {@code fs} module, inherited by {@link NodeFs} (call them on a
 * {@code NodeFs}; the option records read as {@code NodeFs.ReadOptions} and
 * {@code NodeFs.WriteOptions}): {@code fs.createReadStream} and {@code fs.createWriteStream}.
 *
 * <pre>{@code
 * NodeFs fs = NodeFs.of(node);
 * fs.createReadStream("/tmp/a.txt", NodeFs.ReadOptions.DEFAULT.withStart(10))
 *     .pipe(fs.createWriteStream("/tmp/b.txt"));
 * }</pre>
 */
public abstract class NodeFsStreams extends NodeFsSync {
  NodeFsStreams(NodeRuntime node) {
    super(node);
  }

  // =================================================================== streams

  /** {@code fs.createReadStream(path)}: 64 KiB chunks. */
  public ReadStream createReadStream(String path) {
    return createReadStream(path, ReadOptions.DEFAULT);
  }

  /**
   * {@code fs.createReadStream(path, encoding)}: 'data' delivers strings in {@code encoding}
   * (listen with {@link NodeStream#onStringData}).
   *
   * @throws NodeError ERR_UNKNOWN_ENCODING for an unknown encoding
   */
  public ReadStream createReadStream(String path, String encoding) {
    return createReadStream(path, ReadOptions.DEFAULT.withEncoding(encoding));
  }

  /** {@code fs.createReadStream(path, {highWaterMark})}: chunks of at most that many bytes. */
  public ReadStream createReadStream(String path, int highWaterMark) {
    return createReadStream(path, ReadOptions.DEFAULT.withHighWaterMark(highWaterMark));
  }

  /** {@code fs.createReadStream(path, {highWaterMark, start, end})}: bytes start..end inclusive (-1: unset). */
  public ReadStream createReadStream(String path, int highWaterMark, long start, long end) {
    return createReadStream(path, new ReadOptions("r", highWaterMark, start, end));
  }

  /**
   * {@code fs.createReadStream(path, options)}.
   *
   * <pre>{@code
   * fs.createReadStream(path, ReadOptions.DEFAULT.withStart(10).withEnd(19).withHighWaterMark(4))
   * }</pre>
   *
   * @throws NullPointerException if {@code options} is null
   * @throws NodeError ERR_INVALID_ARG_VALUE for unknown flags or a path with a NUL character,
   *     ERR_OUT_OF_RANGE if start > end, ERR_INVALID_ARG_TYPE for a null path
   */
  public ReadStream createReadStream(String path, ReadOptions options) {
    Objects.requireNonNull(options, "options");
    FsChecks.path(path, "path"); // Node's ReadStream constructor: thrown now, not as an 'error' event
    return new ReadStream((NodeFs) this, path, options);
  }

  /** {@code fs.createWriteStream(path)}: flags 'w', 16 KiB high-water mark. */
  public WriteStream createWriteStream(String path) {
    return createWriteStream(path, WriteOptions.DEFAULT);
  }

  /** {@code fs.createWriteStream(path, {flags, highWaterMark})}, e.g. flags "a" to append. */
  public WriteStream createWriteStream(String path, String flags, int highWaterMark) {
    return createWriteStream(path, new WriteOptions(flags, highWaterMark, -1));
  }

  /**
   * {@code fs.createWriteStream(path, options)}.
   *
   * @throws NullPointerException if {@code options} is null
   * @throws NodeError ERR_INVALID_ARG_VALUE for unknown flags or a path with a NUL character,
   *     ERR_INVALID_ARG_TYPE for a null path
   */
  public WriteStream createWriteStream(String path, WriteOptions options) {
    Objects.requireNonNull(options, "options");
    FsChecks.path(path, "path");
    return new WriteStream((NodeFs) this, path, options);
  }

  /**
   * The options of {@code fs.createReadStream}: {@code flags} ('r'), {@code highWaterMark}
   * (64 KiB), {@code start} and {@code end} (inclusive; -1 for unset).
   */
  public record ReadOptions(String flags, int highWaterMark, long start, long end, String encoding) {
    /** Node's defaults. */
    public static final ReadOptions DEFAULT = new ReadOptions("r", FsReadStream.DEFAULT_HIGH_WATER_MARK, -1, -1);

    /**
     * @throws NodeError ERR_UNKNOWN_ENCODING for an unknown {@code encoding} (null: bytes)
     */
    public ReadOptions {
      Objects.requireNonNull(flags, "flags");
      if (highWaterMark < 0) {
        // Node's getHighWaterMark: ERR_INVALID_ARG_VALUE
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The property 'options.highWaterMark' is invalid. Received "
            + highWaterMark);
      }
      if (encoding != null) {
        encoding = Encodings.normalize(encoding);
      }
    }

    /** The options without an encoding ('data' delivers bytes). */
    public ReadOptions(String flags, int highWaterMark, long start, long end) {
      this(flags, highWaterMark, start, end, null);
    }

    /**
     * {@code {encoding}}: 'data' delivers strings decoded with a {@link StringDecoder} (a
     * character split across two reads arrives whole), as after {@code setEncoding}.
     */
    public ReadOptions withEncoding(String enc) {
      return new ReadOptions(flags, highWaterMark, start, end, enc);
    }

    public ReadOptions withFlags(String f) {
      return new ReadOptions(f, highWaterMark, start, end, encoding);
    }

    public ReadOptions withHighWaterMark(int hwm) {
      return new ReadOptions(flags, hwm, start, end, encoding);
    }

    public ReadOptions withStart(long s) {
      return new ReadOptions(flags, highWaterMark, s, end, encoding);
    }

    public ReadOptions withEnd(long e) {
      return new ReadOptions(flags, highWaterMark, start, e, encoding);
    }
  }

  /**
   * The options of {@code fs.createWriteStream}: {@code flags} ('w'), {@code highWaterMark}
   * (16 KiB), {@code start} (the file position of the first write; -1: the file's own position).
   */
  public record WriteOptions(String flags, int highWaterMark, long start) {
    /** Node's defaults. */
    public static final WriteOptions DEFAULT = new WriteOptions("w", NodeStream.DEFAULT_HIGH_WATER_MARK, -1);

    public WriteOptions {
      Objects.requireNonNull(flags, "flags");
      if (highWaterMark < 0) {
        // Node's getHighWaterMark: ERR_INVALID_ARG_VALUE
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The property 'options.highWaterMark' is invalid. Received "
            + highWaterMark);
      }
    }

    public WriteOptions withFlags(String f) {
      return new WriteOptions(f, highWaterMark, start);
    }

    public WriteOptions withHighWaterMark(int hwm) {
      return new WriteOptions(flags, hwm, start);
    }

    public WriteOptions withStart(long s) {
      return new WriteOptions(flags, highWaterMark, s);
    }
  }

  static void closeFd(NodeFs nfs, int fd, Throwable err, Consumer<Throwable> cb, Runnable forget) {
    if (fd < 0) {
      cb.accept(err);
      return;
    }
    forget.run();
    nfs.fs.close(fd, nfs.step((v, e) -> cb.accept(e != null ? SystemError.from(e) : err)));
  }

  /** {@code fs.ReadStream} (see {@link FsReadStream}). */
  public static final class ReadStream extends FsReadStream {
    ReadStream(NodeFs nfs, String path, ReadOptions o) {
      super(nfs, path, o.flags(), o.highWaterMark(), o.start(), o.end(), o.encoding());
    }
  }

  /** {@code fs.WriteStream} (see {@link FsWriteStream}). */
  public static final class WriteStream extends FsWriteStream {
    WriteStream(NodeFs nfs, String path, WriteOptions o) {
      super(nfs, path, o.flags(), o.highWaterMark(), o.start());
    }
  }
}
