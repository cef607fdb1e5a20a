package io.uv4j.examples;

import io.uv4j.node.Crypto;
import io.uv4j.node.NodeFs;
import io.uv4j.node.NodeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The classic Node.js event-loop tour, written with {@code io.uv4j.node} line for line like its
 * JavaScript original (examples/src/main/js/node-tour.js):
 *
 * <pre>{@code
 * console.log('Start');
 * fs.readFile(file, (err, data) => console.log('File read complete'));
 * crypto.pbkdf2('password', 'salt', 100000, 64, 'sha512', (err, key) => console.log('Password hash complete'));
 * console.log('End');
 * }</pre>
 *
 * prints {@code Start}, {@code End}, then the two completions: the main code runs to its end
 * before any callback, because callbacks run only when the loop runs. Both operations run on
 * libuv's thread pool (4 threads by default): the file read as libuv fs requests (open, fstat,
 * read, close), the hash as Java work on a pool thread. The read is normally first, as it takes
 * milliseconds and the hash hundreds of them.
 *
 * <p>Usage: {@code node-tour [file]}; without a file, a 1 MiB temporary file is read.
 */
public final class NodeTour {
  static final int ITERATIONS = 100_000;

  public static void main(String[] args) throws Exception {
    Path temp = args.length > 0 ? null : Files.createTempFile("uv4j-node-tour", ".bin");
    if (temp != null) {
      Files.write(temp, new byte[1 << 20]);
    }
    String file = args.length > 0 ? args[0] : temp.toString();
    NodeRuntime.run(node -> {
      NodeFs fs = node.fs();
      Crypto crypto = node.crypto();
      long t0 = System.nanoTime();
      node.onExit(code -> {
        if (temp != null) {
          fs.rmSync(temp.toString(), false, true);
        }
      });

      System.out.println("Start");
      fs.readFile(file, (err, data) -> {
        if (err != null) {
          System.out.println("File read failed: " + err.getMessage());
        } else {
          System.out.printf(Locale.ROOT, "File read complete (%,d bytes, %d ms)%n", data.length, ms(t0));
        }
      });
      crypto.pbkdf2("password", "salt", ITERATIONS, 64, "sha512", (err, key) ->
          System.out.printf(Locale.ROOT, "Password hash complete (%d ms, key %s...)%n", ms(t0),
              Crypto.hex(key).substring(0, 16)));
      System.out.println("End");
    });
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private NodeTour() {}
}
