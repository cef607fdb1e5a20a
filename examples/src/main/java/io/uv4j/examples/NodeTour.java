package io.uv4j.examples;

import io.uv4j.Fs;
import io.uv4j.Loop;
import io.uv4j.UvException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.function.BiConsumer;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The classic Node.js event-loop tour, on libuv's loop and thread pool through uv4j:
 *
 * <pre>{@code
 * console.log('Start');
 * fs.readFile(file, () => console.log('File read complete'));
 * crypto.pbkdf2('password', 'salt', 100000, 64, 'sha512', () => console.log('Password hash complete'));
 * console.log('End');
 * }</pre>
 *
 * prints {@code Start}, {@code End}, then the two completions: the main code runs to its end
 * before any callback, because callbacks run only when the loop runs. Both operations run on
 * libuv's thread pool (4 threads by default): the file read as real libuv fs requests (open,
 * fstat, read, close), the hash as Java work queued with {@link Loop#queueWork}. The read is
 * normally first, as it takes milliseconds and the hash hundreds of them.
 *
 * <p>Usage: {@code node-tour [file]}; without a file, a 1 MiB temporary file is read.
 */
public final class NodeTour {
  static final int ITERATIONS = 100_000;

  public static void main(String[] args) throws Exception {
    Path file = args.length > 0 ? Path.of(args[0]) : null;
    Path temp = null;
    if (file == null) {
      temp = Files.createTempFile("uv4j-node-tour", ".bin");
      Files.write(temp, new byte[1 << 20]);
      file = temp;
    }
    try (Loop loop = Loop.create()) {
      long t0 = System.nanoTime();
      Fs fs = new Fs(loop);

      System.out.println("Start");
      readFile(fs, file.toString(), (bytes, error) -> {
        if (error != null) {
          System.out.println("File read failed: " + error.getMessage());
        } else {
          System.out.printf(Locale.ROOT, "File read complete (%,d bytes, %d ms)%n", bytes, ms(t0));
        }
      });
      loop.queueWork(() -> {
        String thread = Thread.currentThread().getName();
        return thread + ", key " + hex(pbkdf2("password", "salt", ITERATIONS)).substring(0, 16) + "...";
      }).whenComplete((what, error) -> {
        if (error != null) {
          System.out.println("Password hash failed: " + error);
        } else {
          System.out.printf(Locale.ROOT, "Password hash complete (%d ms on %s)%n", ms(t0), what);
        }
      });
      System.out.println("End");

      loop.run(); // the callbacks run in here
    } finally {
      if (temp != null) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Node's {@code fs.readFile}, counting the bytes: open, fstat, read chunks until end of file,
   * close; {@code done} gets the byte count or the first error.
   */
  static void readFile(Fs fs, String path, BiConsumer<Long, UvException> done) {
    fs.open(path, Fs.O_RDONLY, 0, (fd, error) -> {
      if (error != null) {
        done.accept(null, error);
        return;
      }
      fs.fstat(fd, (stat, error2) -> {
        if (error2 != null) {
          fs.close(fd, (v, ignored) -> done.accept(null, error2));
          return;
        }
        ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.min(stat.size() + 1, 1 << 20));
        readRest(fs, fd, buf, 0, done);
      });
    });
  }

  private static void readRest(Fs fs, int fd, ByteBuffer buf, long total,
      BiConsumer<Long, UvException> done) {
    buf.clear();
    fs.read(fd, buf, total, (n, error) -> {
      if (error != null || n == 0) {
        fs.close(fd, (v, error2) -> done.accept(error == null && error2 == null ? total : null,
            error != null ? error : error2));
      } else {
        readRest(fs, fd, buf, total + n, done);
      }
    });
  }

  /** PBKDF2-HMAC-SHA512 with a 64-byte key, like Node's {@code crypto.pbkdf2(..., 64, 'sha512')}. */
  static byte[] pbkdf2(String password, String salt, int iterations) throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8),
        iterations, 512);
    return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
  }

  static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private NodeTour() {}
}
