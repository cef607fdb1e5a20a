package io.uv4j.examples;

import io.uv4j.node.NodeChildProcess;
import io.uv4j.node.NodeRuntime;
import io.uv4j.node.ParentProcess;
import io.uv4j.node.Subprocess;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code fork-ping-pong [rounds]}: forks a child JVM (this class again, with the argument
 * {@code child}) with an IPC channel and plays ping-pong over it with JSON messages; the child
 * disconnects after the last round and both processes end. The JavaScript original is
 * {@code src/main/js/fork-ping-pong.js}.
 */
public final class ForkPingPong {
  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[0].equals("child")) {
      System.exit(child(Long.parseLong(args[1])));
    }
    System.exit(run(args.length > 0 ? Integer.parseInt(args[0]) : 5, System.out, null));
  }

  /** The parent. {@code classPath}: the child's class path (null: this JVM's). */
  static int run(int rounds, PrintStream out, String classPath) throws Exception {
    return NodeRuntime.run(node -> {
      Subprocess child = NodeChildProcess.of(node).fork(ForkPingPong.class.getName(),
          List.of("child", Integer.toString(rounds)), new NodeChildProcess.Options().classPath(classPath));
      child.on("message", a -> {
        Map<?, ?> m = (Map<?, ?>) a[0];
        out.println("parent got " + m);
        long n = ((Number) m.get("n")).longValue();
        if (n < rounds) {
          child.send(message("ping", n + 1));
        }
      });
      child.on("disconnect", () -> out.println("parent: child disconnected"));
      child.on("exit", a -> out.println("parent: child exited with " + a[0]));
      child.send(message("ping", 1));
    });
  }

  /** The child: answers each ping with a pong; disconnects once the pong of round {@code rounds} is written. */
  static int child(long rounds) throws Exception {
    return NodeRuntime.run(node -> {
      ParentProcess parent = ParentProcess.of(node);
      parent.on("message", a -> {
        Map<?, ?> m = (Map<?, ?>) a[0];
        long n = ((Number) m.get("n")).longValue();
        Map<String, Object> pong = message("pong", n);
        pong.put("pid", ProcessHandle.current().pid());
        parent.send(pong, err -> {
          if (n >= rounds) {
            parent.disconnect();
          }
        });
      });
    });
  }

  private static Map<String, Object> message(String type, long n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("n", n);
    return m;
  }

  private ForkPingPong() {}
}
