package io.uv4j.examples;

import io.uv4j.ChildProcess;
import io.uv4j.Loop;
import io.uv4j.Pipe;
import io.uv4j.ReadCallback;
import io.uv4j.SpawnOptions;
import io.uv4j.StdioConfig;
import io.uv4j.Stream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Spawns {@code ls -l [dir]} with its stdout piped back to this process, prints what it wrote,
 * then its exit status (and terminating signal, if any).
 */
public final class SpawnLs {
  public static void main(String[] args) throws Exception {
    System.exit(run(args.length > 0 ? args[0] : ".", System.out));
  }

  /** Returns the child's exit status (128 + signal if a signal ended it). */
  static int run(String dir, PrintStream out) throws Exception {
    int[] result = {-1};
    try (Loop loop = Loop.create()) {
      Pipe stdout = new Pipe(loop, false);
      ChildProcess.spawn(loop,
          SpawnOptions.command("ls", "-l", dir).stdout(StdioConfig.pipeFromChild(stdout))
              .stderr(StdioConfig.inherit(2)),
          (p, status, signal) -> {
            out.println("exit status " + status + (signal != 0 ? ", signal " + signal : ""));
            result[0] = signal != 0 ? 128 + signal : (int) status;
            p.close();
          });
      stdout.readStart(new ReadCallback() {
        @Override
        public void onData(Stream s, ByteBuffer data) {
          byte[] b = new byte[data.remaining()];
          data.get(b);
          out.print(new String(b, StandardCharsets.UTF_8));
        }

        @Override
        public void onEnd(Stream s) {
          s.close();
        }
      });
      loop.run();
    }
    return result[0];
  }

  private SpawnLs() {}
}
