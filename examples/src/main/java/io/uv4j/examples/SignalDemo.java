package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.Signal;
import java.io.PrintStream;
import java.util.function.IntConsumer;

/**
 * {@code signals [n]}: prints every SIGUSR1 and SIGWINCH the process receives, until the n-th
 * SIGUSR1 (default 1). Try {@code kill -USR1 <pid>}, or resize the terminal. Neither signal is
 * one the JVM needs, so no opt-in is involved (SIGINT, SIGTERM and SIGHUP would need
 * {@link Signal#allowJvmShutdownSignals()}); when the watchers close, SIGUSR1's default action
 * (terminate) and SIGWINCH's (ignore) are back.
 */
public final class SignalDemo {
  private SignalDemo() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    long pid = ProcessHandle.current().pid();
    run(System.out, n,
        () -> System.out.println("pid " + pid + ": watching SIGUSR1 and SIGWINCH; kill -USR1 " + pid
            + " (" + n + " time" + (n == 1 ? "" : "s") + ") ends the demo, resizing the terminal"
            + " sends SIGWINCH"),
        signum -> {});
  }

  /**
   * Runs the demo on a loop of its own. {@code onReady} runs once both watchers are started;
   * {@code afterSignal} after each signal was printed (both on the calling thread).
   */
  static void run(PrintStream out, int usr1Count, Runnable onReady, IntConsumer afterSignal)
      throws Exception {
    int usr1 = Signal.number("SIGUSR1");
    int winch = Signal.number("SIGWINCH");
    try (Loop loop = Loop.create()) {
      Signal onUsr1 = new Signal(loop);
      Signal onWinch = new Signal(loop);
      int[] count = {0};
      onUsr1.start(usr1, (s, signum) -> {
        out.println(Signal.name(signum) + " #" + ++count[0]);
        if (count[0] == usr1Count) {
          out.println("bye");
          onUsr1.close();
          onWinch.close();
        }
        afterSignal.accept(signum);
      });
      onWinch.start(winch, (s, signum) -> {
        out.println(Signal.name(signum) + ": the terminal was resized");
        afterSignal.accept(signum);
      });
      onReady.run();
      loop.run();
    }
  }
}
