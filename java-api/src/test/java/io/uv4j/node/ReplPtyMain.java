package io.uv4j.node;

/** ReplPtyTest's child: a REPL on this process's terminal (a pseudo-terminal made by script). */
public final class ReplPtyMain {
  private ReplPtyMain() {}

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
}
