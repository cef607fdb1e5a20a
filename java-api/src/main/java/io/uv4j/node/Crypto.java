package io.uv4j.node;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The slow parts of Node's {@code crypto} module: {@code pbkdf2}, {@code scrypt} and
 * {@code randomBytes}. The asynchronous forms run on libuv's thread pool
 * ({@link io.uv4j.Loop#queueWork}), as Node runs them, and call back through
 * {@link NodeRuntime#makeCallback}; the {@code ...Sync} forms run on the calling thread. Results
 * are byte-identical to Node's (PBKDF2 per RFC 8018 over the JDK's HMACs; scrypt per RFC 7914,
 * implemented here since the JDK has none).
 *
 * <pre>{@code
 * Crypto.of(node).pbkdf2("secret", "salt", 100_000, 32, "sha256", (err, key) -> ...);
 * byte[] k = Crypto.scryptSync("secret".getBytes(), "salt".getBytes(), 64);
 * }</pre>
 */
public final class Crypto {
  /** Node's scrypt defaults: N (cost), r (block size), p (parallelism), maxmem (32 MiB). */
  public static final long SCRYPT_DEFAULT_N = 16384;
  public static final int SCRYPT_DEFAULT_R = 8;
  public static final int SCRYPT_DEFAULT_P = 1;
  public static final long SCRYPT_DEFAULT_MAXMEM = 32L << 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final NodeRuntime node;

  private Crypto(NodeRuntime node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** The crypto module of {@code node}. */
  public static Crypto of(NodeRuntime node) {
    return new Crypto(node);
  }

  /** Runs {@code work} on the pool; {@code cb} gets its result on the loop, through makeCallback. */
  private <T> void onPool(Supplier<T> work, NodeCallback<T> cb) {
    Objects.requireNonNull(cb, "callback");
    AtomicReference<T> result = new AtomicReference<>();
    node.loop().queueWork(() -> result.set(work.get()), error -> node.makeCallback(() -> {
      if (error != null) {
        cb.call(error instanceof NodeError ? (NodeError) error
            : new NodeError("ERR_CRYPTO_OPERATION_FAILED", String.valueOf(error.getMessage()), error), null);
      } else {
        cb.call(null, result.get());
      }
    }));
  }

  // =================================================================== pbkdf2

  /**
   * {@code crypto.pbkdf2(password, salt, iterations, keylen, digest, cb)}: digest is a Node name
   * such as "sha256", "sha512", "sha1", "md5", "sha3-256". Invalid arguments throw now.
   */
  public void pbkdf2(byte[] password, byte[] salt, int iterations, int keylen, String digest,
      NodeCallback<byte[]> cb) {
    Pbkdf2 job = new Pbkdf2(password, salt, iterations, keylen, digest);
    onPool(job::run, cb);
  }

  /** {@link #pbkdf2(byte[], byte[], int, int, String, NodeCallback)} with UTF-8 strings. */
  public void pbkdf2(String password, String salt, int iterations, int keylen, String digest,
      NodeCallback<byte[]> cb) {
    pbkdf2(utf8(password), utf8(salt), iterations, keylen, digest, cb);
  }

  /** {@code crypto.pbkdf2Sync}. */
  public static byte[] pbkdf2Sync(byte[] password, byte[] salt, int iterations, int keylen, String digest) {
    return new Pbkdf2(password, salt, iterations, keylen, digest).run();
  }

  public static byte[] pbkdf2Sync(String password, String salt, int iterations, int keylen, String digest) {
    return pbkdf2Sync(utf8(password), utf8(salt), iterations, keylen, digest);
  }

  private static final class Pbkdf2 {
    final byte[] password;
    final byte[] salt;
    final int iterations;
    final int keylen;
    final String macName;

    Pbkdf2(byte[] password, byte[] salt, int iterations, int keylen, String digest) {
      this.password = Objects.requireNonNull(password, "password").clone();
      this.salt = Objects.requireNonNull(salt, "salt").clone();
      if (iterations < 1) {
        throw new NodeError("ERR_OUT_OF_RANGE",
            "The value of \"iterations\" is out of range. It must be >= 1 && <= 2147483647. Received " + iterations);
      }
      if (keylen < 0) {
        throw new NodeError("ERR_OUT_OF_RANGE",
            "The value of \"keylen\" is out of range. It must be >= 0 && <= 2147483647. Received " + keylen);
      }
      this.iterations = iterations;
      this.keylen = keylen;
      this.macName = macName(Objects.requireNonNull(digest, "digest"));
    }

    byte[] run() {
      return pbkdf2(macName, password, salt, iterations, keylen);
    }
  }

  /** Node digest name to the JDK's HMAC name; ERR_CRYPTO_INVALID_DIGEST if unknown. */
  static String macName(String digest) {
    String d = digest.toLowerCase(Locale.ROOT);
    String name;
    switch (d) {
      case "sha1": name = "HmacSHA1"; break;
      case "sha224": name = "HmacSHA224"; break;
      case "sha256": name = "HmacSHA256"; break;
      case "sha384": name = "HmacSHA384"; break;
      case "sha512": name = "HmacSHA512"; break;
      case "sha512-224": name = "HmacSHA512/224"; break;
      case "sha512-256": name = "HmacSHA512/256"; break;
      case "md5": name = "HmacMD5"; break;
      case "sha3-224": name = "HmacSHA3-224"; break;
      case "sha3-256": name = "HmacSHA3-256"; break;
      case "sha3-384": name = "HmacSHA3-384"; break;
      case "sha3-512": name = "HmacSHA3-512"; break;
      default:
        throw new NodeError("ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " + digest);
    }
    try {
      Mac.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new NodeError("ERR_CRYPTO_INVALID_DIGEST", "Invalid digest: " + digest);
    }
    return name;
  }

  /** HMAC block size (bytes), to express an empty key, which SecretKeySpec refuses. */
  private static int blockSize(String macName) {
    switch (macName) {
      case "HmacSHA384": case "HmacSHA512": case "HmacSHA512/224": case "HmacSHA512/256": return 128;
      case "HmacSHA3-224": return 144;
      case "HmacSHA3-256": return 136;
      case "HmacSHA3-384": return 104;
      case "HmacSHA3-512": return 72;
      default: return 64;
    }
  }

  /** PBKDF2 (RFC 8018 section 5.2) with HMAC {@code macName}. */
  static byte[] pbkdf2(String macName, byte[] password, byte[] salt, int iterations, int keylen) {
    try {
      Mac mac = Mac.getInstance(macName);
      // HMAC pads the key with zeros to the block size: an empty key equals a block of zeros.
      byte[] key = password.length == 0 ? new byte[blockSize(macName)] : password;
      mac.init(new SecretKeySpec(key, macName));
      int hLen = mac.getMacLength();
      byte[] out = new byte[keylen];
      byte[] u = new byte[hLen];
      byte[] t = new byte[hLen];
      byte[] index = new byte[4];
      for (int block = 1, off = 0; off < keylen; block++, off += hLen) {
        index[0] = (byte) (block >>> 24);
        index[1] = (byte) (block >>> 16);
        index[2] = (byte) (block >>> 8);
        index[3] = (byte) block;
        mac.update(salt);
        mac.update(index);
        mac.doFinal(u, 0);
        System.arraycopy(u, 0, t, 0, hLen);
        for (int i = 1; i < iterations; i++) {
          mac.update(u);
          mac.doFinal(u, 0);
          for (int k = 0; k < hLen; k++) {
            t[k] ^= u[k];
          }
        }
        System.arraycopy(t, 0, out, off, Math.min(hLen, keylen - off));
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new NodeError("ERR_CRYPTO_OPERATION_FAILED", e.getMessage(), e);
    }
  }

  // =================================================================== scrypt

  /** {@code crypto.scrypt(password, salt, keylen, cb)} with Node's defaults (N=16384, r=8, p=1). */
  public void scrypt(byte[] password, byte[] salt, int keylen, NodeCallback<byte[]> cb) {
    scrypt(password, salt, keylen, SCRYPT_DEFAULT_N, SCRYPT_DEFAULT_R, SCRYPT_DEFAULT_P, SCRYPT_DEFAULT_MAXMEM, cb);
  }

  public void scrypt(String password, String salt, int keylen, NodeCallback<byte[]> cb) {
    scrypt(utf8(password), utf8(salt), keylen, cb);
  }

  /**
   * {@code crypto.scrypt(password, salt, keylen, {N, r, p, maxmem}, cb)}; a 0 parameter takes
   * the default, as in Node; invalid parameters throw now.
   */
  public void scrypt(byte[] password, byte[] salt, int keylen, long n, int r, int p, long maxmem,
      NodeCallback<byte[]> cb) {
    byte[] pw = Objects.requireNonNull(password, "password").clone();
    byte[] s = Objects.requireNonNull(salt, "salt").clone();
    long[] v = scryptParams(keylen, n, r, p, maxmem);
    onPool(() -> scryptRaw(pw, s, (int) v[0], (int) v[1], (int) v[2], keylen), cb);
  }

  /** {@code crypto.scryptSync(password, salt, keylen)} with Node's defaults. */
  public static byte[] scryptSync(byte[] password, byte[] salt, int keylen) {
    return scryptSync(password, salt, keylen, SCRYPT_DEFAULT_N, SCRYPT_DEFAULT_R, SCRYPT_DEFAULT_P, SCRYPT_DEFAULT_MAXMEM);
  }

  /** {@code crypto.scryptSync(password, salt, keylen, {N, r, p, maxmem})}. */
  public static byte[] scryptSync(byte[] password, byte[] salt, int keylen, long n, int r, int p, long maxmem) {
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(salt, "salt");
    long[] v = scryptParams(keylen, n, r, p, maxmem);
    return scryptRaw(password, salt, (int) v[0], (int) v[1], (int) v[2], keylen);
  }

  /** Node's getScryptParams: 0 means the default; then OpenSSL's EVP_PBE_scrypt checks. */
  private static long[] scryptParams(int keylen, long n, int r, int p, long maxmem) {
    // Node's check(): validateInt32(keylen, 'keylen', 0), validateUint32 of N, r and p,
    // validateInteger(maxmem, 'maxmem', 0), in that order
    if (keylen < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"keylen\" is out of range. It must be >= 0 && <= 2147483647. Received " + keylen);
    }
    uint32(n, "N");
    uint32(r, "r");
    uint32(p, "p");
    if (maxmem < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"maxmem\" is out of range. It must be >= 0 && <= "
          + FsChecks.MAX_SAFE_INTEGER + ". Received " + FsChecks.separated(maxmem));
    }
    long[] v = {n == 0 ? SCRYPT_DEFAULT_N : n, r == 0 ? SCRYPT_DEFAULT_R : r, p == 0 ? SCRYPT_DEFAULT_P : p,
        maxmem == 0 ? SCRYPT_DEFAULT_MAXMEM : maxmem};
    checkScrypt(keylen, v[0], (int) v[1], (int) v[2], v[3]);
    return v;
  }

  private static void uint32(long v, String name) {
    if (v < 0 || v > 0xFFFF_FFFFL) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"" + name
          + "\" is out of range. It must be >= 0 && <= 4294967295. Received " + FsChecks.separated(v));
    }
  }

  private static void checkScrypt(int keylen, long n, int r, int p, long maxmem) {
    if (keylen < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"keylen\" is out of range. It must be >= 0 && <= 2147483647. Received " + keylen);
    }
    boolean ok = n > 1 && (n & (n - 1)) == 0 && r > 0 && p > 0
        && (long) r * p < (1L << 30)
        && n < (1L << 31) // our arrays are int-indexed
        && (16L * r >= 63 || n < (1L << (16 * r)));
    if (ok) {
      long blen = 128L * r * p;
      long vlen = 128L * r * (n + 2);
      ok = blen + vlen <= maxmem && vlen / 4 < Integer.MAX_VALUE;
    }
    if (!ok) {
      throw new NodeError("ERR_CRYPTO_INVALID_SCRYPT_PARAMS", "Invalid scrypt params");
    }
  }

  /** scrypt (RFC 7914 section 6). */
  static byte[] scryptRaw(byte[] password, byte[] salt, int n, int r, int p, int dkLen) {
    int blockWords = 32 * r; // 128 * r bytes
    byte[] b = pbkdf2("HmacSHA256", password, salt, 1, p * 128 * r);
    int[] x = new int[blockWords];
    int[] y = new int[blockWords];
    int[] v = new int[blockWords * n];
    int[] t = new int[16];
    for (int i = 0; i < p; i++) {
      int off = i * 128 * r;
      for (int k = 0; k < blockWords; k++) {
        x[k] = le32(b, off + 4 * k);
      }
      roMix(x, y, v, t, n, r);
      for (int k = 0; k < blockWords; k++) {
        putLe32(b, off + 4 * k, x[k]);
      }
    }
    return pbkdf2("HmacSHA256", password, b, 1, dkLen);
  }

  /** scryptROMix (RFC 7914 section 5) on x in place. */
  private static void roMix(int[] x, int[] y, int[] v, int[] t, int n, int r) {
    int words = 32 * r;
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, 0, v, i * words, words);
      blockMix(x, y, t, r);
    }
    for (int i = 0; i < n; i++) {
      // Integerify: the first word of the last 64-byte block, modulo n (a power of two).
      int j = x[(2 * r - 1) * 16] & (n - 1);
      int base = j * words;
      for (int k = 0; k < words; k++) {
        x[k] ^= v[base + k];
      }
      blockMix(x, y, t, r);
    }
  }

  /** scryptBlockMix (RFC 7914 section 4) on b in place, y as scratch. */
  private static void blockMix(int[] b, int[] y, int[] t, int r) {
    System.arraycopy(b, (2 * r - 1) * 16, t, 0, 16);
    for (int i = 0; i < 2 * r; i++) {
      for (int k = 0; k < 16; k++) {
        t[k] ^= b[i * 16 + k];
      }
      salsa20_8(t);
      // Even blocks to the first half, odd ones to the second.
      int dest = (i / 2 + (i % 2) * r) * 16;
      System.arraycopy(t, 0, y, dest, 16);
    }
    System.arraycopy(y, 0, b, 0, 32 * r);
  }

  /** Salsa20/8 core (RFC 7914 section 3) on 16 words in place. */
  private static void salsa20_8(int[] b) {
    int x0 = b[0], x1 = b[1], x2 = b[2], x3 = b[3], x4 = b[4], x5 = b[5], x6 = b[6], x7 = b[7];
    int x8 = b[8], x9 = b[9], x10 = b[10], x11 = b[11], x12 = b[12], x13 = b[13], x14 = b[14], x15 = b[15];
    for (int i = 0; i < 8; i += 2) {
      // columns
      x4 ^= Integer.rotateLeft(x0 + x12, 7);
      x8 ^= Integer.rotateLeft(x4 + x0, 9);
      x12 ^= Integer.rotateLeft(x8 + x4, 13);
      x0 ^= Integer.rotateLeft(x12 + x8, 18);
      x9 ^= Integer.rotateLeft(x5 + x1, 7);
      x13 ^= Integer.rotateLeft(x9 + x5, 9);
      x1 ^= Integer.rotateLeft(x13 + x9, 13);
      x5 ^= Integer.rotateLeft(x1 + x13, 18);
      x14 ^= Integer.rotateLeft(x10 + x6, 7);
      x2 ^= Integer.rotateLeft(x14 + x10, 9);
      x6 ^= Integer.rotateLeft(x2 + x14, 13);
      x10 ^= Integer.rotateLeft(x6 + x2, 18);
      x3 ^= Integer.rotateLeft(x15 + x11, 7);
      x7 ^= Integer.rotateLeft(x3 + x15, 9);
      x11 ^= Integer.rotateLeft(x7 + x3, 13);
      x15 ^= Integer.rotateLeft(x11 + x7, 18);
      // rows
      x1 ^= Integer.rotateLeft(x0 + x3, 7);
      x2 ^= Integer.rotateLeft(x1 + x0, 9);
      x3 ^= Integer.rotateLeft(x2 + x1, 13);
      x0 ^= Integer.rotateLeft(x3 + x2, 18);
      x6 ^= Integer.rotateLeft(x5 + x4, 7);
      x7 ^= Integer.rotateLeft(x6 + x5, 9);
      x4 ^= Integer.rotateLeft(x7 + x6, 13);
      x5 ^= Integer.rotateLeft(x4 + x7, 18);
      x11 ^= Integer.rotateLeft(x10 + x9, 7);
      x8 ^= Integer.rotateLeft(x11 + x10, 9);
      x9 ^= Integer.rotateLeft(x8 + x11, 13);
      x10 ^= Integer.rotateLeft(x9 + x8, 18);
      x12 ^= Integer.rotateLeft(x15 + x14, 7);
      x13 ^= Integer.rotateLeft(x12 + x15, 9);
      x14 ^= Integer.rotateLeft(x13 + x12, 13);
      x15 ^= Integer.rotateLeft(x14 + x13, 18);
    }
    b[0] += x0; b[1] += x1; b[2] += x2; b[3] += x3; b[4] += x4; b[5] += x5; b[6] += x6; b[7] += x7;
    b[8] += x8; b[9] += x9; b[10] += x10; b[11] += x11; b[12] += x12; b[13] += x13; b[14] += x14; b[15] += x15;
  }

  private static int le32(byte[] b, int off) {
    return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
  }

  private static void putLe32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  // =================================================================== randomBytes

  /**
   * {@code crypto.randomBytes(size, cb)}: cryptographically strong bytes, made on the pool. Like
   * Node 20, size 0 calls back at once, synchronously, with an empty array.
   */
  public void randomBytes(int size, NodeCallback<byte[]> cb) {
    checkSize(size);
    Objects.requireNonNull(cb, "cb");
    if (size == 0) {
      node.checkThread();
      cb.call(null, new byte[0]);
      return;
    }
    onPool(() -> randomBytes(size), cb);
  }

  /** {@code crypto.randomBytes(size)} (synchronous). */
  public static byte[] randomBytes(int size) {
    checkSize(size);
    byte[] b = new byte[size];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void checkSize(int size) {
    if (size < 0) {
      throw new NodeError("ERR_OUT_OF_RANGE",
          "The value of \"size\" is out of range. It must be >= 0 && <= 2147483647. Received " + size);
    }
  }

  /** Lower-case hex of {@code b}, as {@code buf.toString('hex')}. */
  public static String hex(byte[] b) {
    return Encodings.decode(b, "hex");
  }

  private static byte[] utf8(String s) {
    return Encodings.utf8Bytes(Objects.requireNonNull(s, "value"));
  }

  /** Constant-time comparison ({@code crypto.timingSafeEqual}); lengths must match. */
  public static boolean timingSafeEqual(byte[] a, byte[] b) {
    if (a.length != b.length) {
      throw new NodeError("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH", "Input buffers must have the same byte length");
    }
    return java.security.MessageDigest.isEqual(a, b);
  }
}
