package io.uv4j.examples;

import io.uv4j.Fs;
import io.uv4j.node.NodeRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code timeout-vs-immediate [rounds]}: Node's classic puzzle.
 *
 * <p>From the main module, {@code setTimeout(f, 0)} (really 1 ms) and {@code setImmediate(g)} run
 * in an order that depends on how long the process took to reach the loop: if 1 ms has passed by
 * the first timers phase, the timeout runs first, else the immediate does.
 *
 * <p>Inside an I/O callback the order is fixed: I/O callbacks run in the poll phase, the check
 * phase (immediates) comes right after it, and the timers phase only in the next iteration. So
 * the immediate always runs first. Here the I/O is a libuv {@code uv_fs_stat} done by the core
 * {@link Fs} API, whose callback enters Node-style code through {@link NodeRuntime#makeCallback},
 * as Node's {@code fs} module does.
 */
public final class TimeoutVsImmediate {
  private TimeoutVsImmediate() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Integer.parseInt(args[0]) : 10, System.out);
  }

  /** Returns how many of the {@code rounds} I/O-callback rounds ran the immediate first. */
  static int run(int rounds, PrintStream out) throws Exception {
    int[] immediateFirst = {0};
    NodeRuntime.run(node -> {
      List<String> order = new ArrayList<>();
      node.setTimeout(() -> report(out, order, "timeout"), 0);
      node.setImmediate(() -> report(out, order, "immediate"));
      Fs fs = new Fs(node.loop());
      String path = System.getProperty("java.io.tmpdir");
      round(node, fs, path, 1, rounds, immediateFirst, out);
    });
    out.println("inside the I/O callback the immediate ran first in " + immediateFirst[0] + " of "
        + rounds + " rounds");
    return immediateFirst[0];
  }

  private static void report(PrintStream out, List<String> order, String which) {
    order.add(which);
    if (order.size() == 2) {
      out.println("main module: " + order.get(0) + " then " + order.get(1)
          + " (this order depends on timing)");
    }
  }

  /** One round: stat a file; in its callback, schedule both; then the next round. */
  private static void round(NodeRuntime node, Fs fs, String path, int i, int rounds,
      int[] immediateFirst, PrintStream out) {
    fs.stat(path, (stat, error) -> node.makeCallback(() -> {
      List<String> order = new ArrayList<>();
      node.setTimeout(() -> {
        order.add("timeout");
        finish(node, fs, path, i, rounds, immediateFirst, out, order);
      }, 0);
      node.setImmediate(() -> {
        order.add("immediate");
        finish(node, fs, path, i, rounds, immediateFirst, out, order);
      });
    }));
  }

  private static void finish(NodeRuntime node, Fs fs, String path, int i, int rounds,
      int[] immediateFirst, PrintStream out, List<String> order) {
    if (order.size() < 2) {
      return;
    }
    out.println("I/O callback, round " + i + ": " + order.get(0) + " then " + order.get(1));
    if (order.get(0).equals("immediate")) {
      immediateFirst[0]++;
    }
    if (i < rounds) {
      round(node, fs, path, i + 1, rounds, immediateFirst, out);
    }
  }
}
