package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** Node's Buffer encodings for strings: utf8, latin1/binary, ascii, hex, base64, base64url, utf16le/ucs2. */
final class Encodings {
  private Encodings() {}

  /**
   * UTF-8 as V8 decodes it (Node's {@code buffer.toString('utf8')}): the WHATWG Encoding
   * Standard's decoder, where each maximal invalid subpart becomes one U+FFFD (an encoded
   * surrogate {@code ED A0 80} is three, an overlong {@code C0 AF} two, {@code F4 90 80 80} four, a
   * truncated sequence at the end one). The JDK's decoder counts some of these differently.
   */
  static String utf8(byte[] b, int off, int len) {
    int end = off + len;
    int ascii = off;
    while (ascii < end && b[ascii] >= 0) {
      ascii++;
    }
    if (ascii == end) { // all ASCII (the common case): the JDK's compact-string fast path
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    char[] out = new char[len]; // never more UTF-16 units than bytes
    int n = 0;
    int needed = 0;
    int seen = 0;
    int cp = 0;
    int lower = 0x80;
    int upper = 0xbf;
    for (int i = off; i < end; i++) {
      int x = b[i] & 0xff;
      if (needed == 0) {
        if (x <= 0x7f) {
          out[n++] = (char) x;
        } else if (x >= 0xc2 && x <= 0xdf) {
          needed = 1;
          cp = x & 0x1f;
        } else if (x >= 0xe0 && x <= 0xef) {
          if (x == 0xe0) {
            lower = 0xa0;
          } else if (x == 0xed) {
            upper = 0x9f;
          }
          needed = 2;
          cp = x & 0xf;
        } else if (x >= 0xf0 && x <= 0xf4) {
          if (x == 0xf0) {
            lower = 0x90;
          } else if (x == 0xf4) {
            upper = 0x8f;
          }
          needed = 3;
          cp = x & 0x7;
        } else {
          out[n++] = '\ufffd';
        }
        continue;
      }
      if (x < lower || x > upper) {
        // The sequence so far is one U+FFFD; this byte starts over.
        needed = 0;
        seen = 0;
        cp = 0;
        lower = 0x80;
        upper = 0xbf;
        out[n++] = '\ufffd';
        i--;
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (x & 0x3f);
      if (++seen == needed) {
        if (cp >= 0x10000) {
          out[n++] = Character.highSurrogate(cp);
          out[n++] = Character.lowSurrogate(cp);
        } else {
          out[n++] = (char) cp;
        }
        needed = 0;
        seen = 0;
        cp = 0;
      }
    }
    if (needed != 0) {
      out[n++] = '\ufffd';
    }
    return new String(out, 0, n);
  }

  static String decode(byte[] b, String encoding) {
    switch (normalize(encoding)) {
      case "utf8":
        return utf8(b, 0, b.length);
      case "latin1":
        return new String(b, StandardCharsets.ISO_8859_1);
      case "ascii": {
        // Node unsets the high bit of each byte.
        char[] c = new char[b.length];
        for (int i = 0; i < b.length; i++) {
          c[i] = (char) (b[i] & 0x7f);
        }
        return new String(c);
      }
      case "hex": {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
          sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
      }
      case "base64":
        return Base64.getEncoder().encodeToString(b);
      case "base64url":
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      default: { // utf16le: code units as they are (a lone surrogate stays, like Node)
        char[] c = new char[b.length / 2];
        for (int i = 0; i < c.length; i++) {
          c[i] = (char) ((b[2 * i] & 0xff) | (b[2 * i + 1] & 0xff) << 8);
        }
        return new String(c);
      }
    }
  }

  /**
   * A string's UTF-8 bytes as V8 writes them ({@code Buffer.from(s)}, stream and socket writes):
   * a lone surrogate becomes U+FFFD ({@code EF BF BD}); the JDK's encoder writes {@code ?}.
   */
  static byte[] utf8Bytes(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return wellFormed(s).getBytes(StandardCharsets.UTF_8);
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code s} with each lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
  private static String wellFormed(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return sb.toString();
  }

  static byte[] encode(String s, String encoding) {
    switch (normalize(encoding)) {
      case "utf8":
        return utf8Bytes(s);
      case "latin1":
      case "ascii": {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < out.length; i++) {
          out[i] = (byte) s.charAt(i);
        }
        return out;
      }
      case "hex": {
        int n = s.length() / 2;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
          int hi = Character.digit(s.charAt(2 * i), 16);
          int lo = Character.digit(s.charAt(2 * i + 1), 16);
          if (hi < 0 || lo < 0) {
            // Node stops at the first invalid pair.
            byte[] cut = new byte[i];
            System.arraycopy(out, 0, cut, 0, i);
            return cut;
          }
          out[i] = (byte) (hi << 4 | lo);
        }
        return out;
      }
      case "base64":
      case "base64url":
        return Base64.getMimeDecoder().decode(s.replace('-', '+').replace('_', '/'));
      default:
        return s.getBytes(StandardCharsets.UTF_16LE);
    }
  }

  /** The canonical name, or ERR_UNKNOWN_ENCODING. */
  static String normalize(String encoding) {
    if (encoding == null) {
      return "utf8";
    }
    switch (encoding.toLowerCase(Locale.ROOT)) {
      case "utf8":
      case "utf-8":
        return "utf8";
      case "latin1":
      case "binary":
        return "latin1";
      case "ascii":
        return "ascii";
      case "hex":
        return "hex";
      case "base64":
        return "base64";
      case "base64url":
        return "base64url";
      case "utf16le":
      case "utf-16le":
      case "ucs2":
      case "ucs-2":
        return "utf16le";
      default:
        throw new NodeError("ERR_UNKNOWN_ENCODING", "Unknown encoding: " + encoding);
    }
  }
}
