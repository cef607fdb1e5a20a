package io.uv4j.node;

/**
 * The options of {@code fs.writeFile} and {@code fs.appendFile} (callback, Sync and promise
 * forms): {@code encoding} of string data ({@code 'utf8'}; ignored for bytes), {@code flag}
 * (null: {@code 'w'} for writeFile, {@code 'a'} for appendFile, as in Node) and {@code mode}
 * ({@code 0o666}, before the umask) of a file the call creates; {@code flush} (false) fsyncs the
 * file before it is closed.
 *
 * <pre>{@code
 * fs.writeFile(path, "68656c6c6f", WriteFileOptions.DEFAULT.withEncoding("hex"), (err, v) -> {});
 * fs.writeFileSync(path, "secret", WriteFileOptions.DEFAULT.withFlag("wx").withMode(0600).withFlush(true));
 * }</pre>
 *
 * @param encoding an encoding of Node's Buffer (utf8, latin1/binary, ascii, hex, base64,
 *     base64url, utf16le/ucs2); null is utf8
 * @param flag Node's string flags ('w', 'wx', 'a', 'r+', ...), or null for the function's default
 * @param mode the permission bits of a created file
 * @param flush whether the data is flushed to the disk ({@code fsync}) before the file is closed
 */
public record WriteFileOptions(String encoding, String flag, int mode, boolean flush) {
  /** Node's defaults: utf8, the function's flag, {@code 0o666}, no flush. */
  public static final WriteFileOptions DEFAULT = new WriteFileOptions("utf8", null, 0666, false);

  /**
   * The options; like Node, they are checked when a call uses them (see {@link NodeFs#writeFile(
   * String, String, WriteFileOptions, NodeCallback)}): a promise form then rejects.
   */
  public WriteFileOptions {
    if (encoding == null) {
      encoding = "utf8";
    }
  }

  /**
   * Checks the options as Node's {@code getOptions} and {@code open} do.
   *
   * @throws NodeError ERR_INVALID_ARG_VALUE for an unknown encoding or flag, ERR_OUT_OF_RANGE
   *     for a negative mode
   */
  WriteFileOptions check() {
    try {
      Encodings.normalize(encoding);
    } catch (NodeError e) {
      throw new NodeError("ERR_INVALID_ARG_VALUE",
          "The argument 'encoding' is invalid encoding. Received '" + encoding + "'");
    }
    if (flag != null) {
      NodeFs.flags(flag);
    }
    FsChecks.uint32(mode, "mode");
    return this;
  }

  /** These options with {@code encoding}. */
  public WriteFileOptions withEncoding(String enc) {
    return new WriteFileOptions(enc, flag, mode, flush);
  }

  /** These options with {@code flag} (null: the function's default). */
  public WriteFileOptions withFlag(String f) {
    return new WriteFileOptions(encoding, f, mode, flush);
  }

  /** These options with {@code mode}. */
  public WriteFileOptions withMode(int m) {
    return new WriteFileOptions(encoding, flag, m, flush);
  }

  /** These options with {@code flush}. */
  public WriteFileOptions withFlush(boolean f) {
    return new WriteFileOptions(encoding, flag, mode, f);
  }

  /** The flag to open with: this one, else {@code dflt}. */
  String flagOr(String dflt) {
    return flag != null ? flag : dflt;
  }

  /** {@code data} encoded with this encoding. */
  byte[] bytes(String data) {
    return Encodings.encode(data, encoding);
  }
}
