package io.uv4j.node;


/**
 * Node's {@code string_decoder.StringDecoder}: decodes a stream of byte chunks into strings
 * without splitting a character across two chunks. A multi-byte UTF-8 character, a UTF-16LE code
 * unit or surrogate pair, or a base64 group of three bytes that a chunk ends in the middle of is
 * kept until the next {@link #write} completes it; {@link #end()} returns what is left (U+FFFD
 * for an incomplete UTF-8 character, the padded base64 of one or two bytes). hex, latin1 and ascii
 * need no carry. This is what {@link NodeStream#setEncoding} and the {@code encoding} option of
 * streams use.
 *
 * <pre>{@code
 * StringDecoder d = new StringDecoder("utf8");
 * d.write(new byte[] {(byte) 0xE2, (byte) 0x82});   // ""
 * d.write(new byte[] {(byte) 0xAC});                // "€"
 * }</pre>
 */
public final class StringDecoder {
  private final String encoding;
  private final boolean carries;
  private final byte[] incomplete = new byte[4];
  private int buffered;
  private int missing;

  /** A decoder for Node's {@code "utf8"}. */
  public StringDecoder() {
    this("utf8");
  }

  /**
   * A decoder for {@code encoding} (utf8, utf16le/ucs2, base64, base64url, hex, latin1/binary,
   * ascii; any case).
   *
   * @throws NodeError ERR_UNKNOWN_ENCODING for another name
   */
  public StringDecoder(String encoding) {
    this.encoding = Encodings.normalize(encoding);
    this.carries = this.encoding.equals("utf8") || this.encoding.equals("utf16le")
        || this.encoding.startsWith("base64");
  }

  /** The canonical name of the encoding ({@code decoder.encoding}). */
  public String encoding() {
    return encoding;
  }

  /**
   * {@code decoder.write(buffer)}: the characters complete so far, keeping an incomplete one for
   * the next call.
   *
   * @throws NullPointerException if {@code data} is null
   */
  public String write(byte[] data) {
    if (!carries) {
      return Encodings.decode(data, encoding);
    }
    int off = 0;
    int n = data.length;
    String prepend = "";
    if (missing > 0) {
      if (encoding.equals("utf8")) {
        // A byte that does not continue the character ends it (it decodes to U+FFFD).
        for (int i = 0; i < n && i < missing; i++) {
          if ((data[i] & 0xC0) != 0x80) {
            missing = 0;
            System.arraycopy(data, 0, incomplete, buffered, i);
            buffered += i;
            off += i;
            n -= i;
            break;
          }
        }
      }
      int found = Math.min(n, missing);
      System.arraycopy(data, off, incomplete, buffered, found);
      off += found;
      n -= found;
      missing -= found;
      buffered += found;
      if (missing == 0) {
        prepend = decode(incomplete, 0, buffered);
        buffered = 0;
      }
    }
    if (n == 0) {
      return prepend;
    }
    int keep = 0;
    int want = 0;
    switch (encoding) {
      case "utf8":
        if ((data[off + n - 1] & 0x80) != 0) {
          for (int i = off + n - 1;; --i) {
            keep++;
            if ((data[i] & 0xC0) == 0x80) {
              if (keep >= 4 || i == off) {
                keep = 0;
                break;
              }
            } else {
              if ((data[i] & 0xE0) == 0xC0) {
                want = 2;
              } else if ((data[i] & 0xF0) == 0xE0) {
                want = 3;
              } else if ((data[i] & 0xF8) == 0xF0) {
                want = 4;
              } else {
                keep = 0;
                break;
              }
              if (keep >= want) {
                keep = 0;
                want = 0;
              }
              want -= keep;
              break;
            }
          }
        }
        break;
      case "utf16le":
        if (n % 2 == 1) {
          keep = 1;
          want = 1;
        } else if ((data[off + n - 1] & 0xFC) == 0xD8) {
          keep = 2;
          want = 2;
        }
        break;
      default: // base64, base64url
        keep = n % 3;
        want = keep > 0 ? 3 - keep : 0;
        break;
    }
    if (keep > 0) {
      System.arraycopy(data, off + n - keep, incomplete, 0, keep);
      buffered = keep;
      missing = want;
      n -= keep;
    }
    String body = n > 0 ? decode(data, off, n) : "";
    return prepend.isEmpty() ? body : prepend + body;
  }

  /** {@code decoder.end()}: what an incomplete character at the end decodes to, then a fresh start. */
  public String end() {
    if (encoding.equals("utf16le") && buffered % 2 == 1) {
      // A single trailing byte is dropped, like Node.
      missing--;
      buffered--;
    }
    if (buffered == 0) {
      missing = 0;
      return "";
    }
    String ret = decode(incomplete, 0, buffered);
    missing = 0;
    buffered = 0;
    return ret;
  }

  /** {@code decoder.end(buffer)}: {@code write(buffer)} then {@link #end()}. */
  public String end(byte[] data) {
    return write(data) + end();
  }

  private String decode(byte[] b, int off, int len) {
    if (encoding.equals("utf8")) {
      return Encodings.utf8(b, off, len);
    }
    byte[] part = new byte[len];
    System.arraycopy(b, off, part, 0, len);
    return Encodings.decode(part, encoding);
  }
}
