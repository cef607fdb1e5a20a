package io.uv4j.examples;

import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Repl;

/**
 * {@code repl}: a Java REPL on a live Node runtime ({@link Repl}). Try
 * {@code setInterval(() -> log("tick"), 1000)} and keep typing while it ticks;
 * {@code .help} lists the commands, {@code .exit} or Ctrl-D ends it. Its Node original is
 * {@code require('repl').start()} (or {@code node} with no script): JavaScript there, Java snippets here.
 */
public final class ReplExample {
  public static void main(String[] args) throws Exception {
    int code = NodeRuntime.run(node -> {
      try {
        Repl.start(node).onExit(() -> node.exit(0));
      } catch (io.uv4j.UvException e) {
        throw new IllegalStateException(e);
      }
    });
    System.exit(code);
  }

  private ReplExample() {}
}
