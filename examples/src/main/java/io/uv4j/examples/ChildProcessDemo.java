package io.uv4j.examples;

import io.uv4j.node.NodeChildProcess;
import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Subprocess;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code child-process}: Node's child_process on uv4j. {@code spawn} pipes text through
 * {@code sort} (stdin written, stdout read as a stream, then 'exit' and 'close'); {@code exec}
 * runs a shell command with buffered output; a failing {@code execFile} shows Node's error.
 * The JavaScript original is {@code src/main/js/child-process.js}.
 */
public final class ChildProcessDemo {
  public static void main(String[] args) throws Exception {
    System.exit(run(System.out));
  }

  static int run(PrintStream out) throws Exception {
    return NodeRuntime.run(node -> {
      NodeChildProcess cp = NodeChildProcess.of(node);
      Subprocess sort = cp.spawn("sort", List.of(), null);
      StringBuilder sorted = new StringBuilder();
      sort.on("spawn", () -> out.println("spawned sort, pid " + sort.pid()));
      sort.stdout().setEncoding("utf8").onStringData(sorted::append);
      sort.on("exit", a -> out.println("sort exit code=" + a[0] + " signal=" + a[1]));
      sort.on("close", a -> {
        out.print("sorted:\n" + sorted);
        cp.exec("echo \"exec says hi from $0\"; echo to stderr 1>&2", null, (err, stdout, stderr) -> {
          out.print("exec stdout: " + stdout);
          out.print("exec stderr: " + stderr);
          cp.execFile("uv4j-no-such-program", List.of("--help"), null, (err2, o, e) ->
              out.println("execFile error: " + err2.code() + " (" + err2.getMessage() + ")"));
        });
      });
      sort.stdin().write("pear\n");
      sort.stdin().write("apple\n");
      sort.stdin().end("fig\n");
    });
  }

  private ChildProcessDemo() {}
}
