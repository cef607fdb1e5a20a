package io.uv4j.examples;

import io.uv4j.node.NodeFs;
import io.uv4j.node.NodeRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code timeout-vs-immediate [rounds]}: Node's classic puzzle, with its JavaScript original in
 * examples/src/main/js/timeout-vs-immediate.js.
 *
 * <p>From the main module, {@code setTimeout(f, 0)} (really 1 ms) and {@code setImmediate(g)} run
 * in an order that depends on how long the process took to reach the loop: if 1 ms has passed by
 * the first timers phase, the timeout runs first, else the immediate does.
 *
 * <p>Inside an I/O callback the order is fixed: I/O callbacks run in the poll phase, the check
 * phase (immediates) comes right after it, and the timers phase only in the next iteration. So
 * the immediate always runs first. Here the I/O is {@code fs.stat}.
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
      NodeFs fs = node.fs();
      String path = System.getProperty("java.io.tmpdir");
      List<String> order = new ArrayList<>();
      Runnable report = () -> {
        if (order.size() == 2) {
          out.println("main module: " + order.get(0) + " then " + order.get(1) + " (this order depends on timing)");
        }
      };
      node.setTimeout(() -> {
        order.add("timeout");
        report.run();
      }, 0);
      node.setImmediate(() -> {
        order.add("immediate");
        report.run();
      });

      // One round: stat a file; in its callback, schedule both; when both ran, the next round.
      Runnable[] round = new Runnable[1];
      int[] i = {0};
      round[0] = () -> fs.stat(path, (err, stat) -> {
        int n = ++i[0];
        List<String> seen = new ArrayList<>();
        Runnable finish = () -> {
          if (seen.size() < 2) {
            return;
          }
          out.println("I/O callback, round " + n + ": " + seen.get(0) + " then " + seen.get(1));
          if (seen.get(0).equals("immediate")) {
            immediateFirst[0]++;
          }
          if (n < rounds) {
            round[0].run();
          }
        };
        node.setTimeout(() -> {
          seen.add("timeout");
          finish.run();
        }, 0);
        node.setImmediate(() -> {
          seen.add("immediate");
          finish.run();
        });
      });
      round[0].run();
    });
    out.println("inside the I/O callback the immediate ran first in " + immediateFirst[0] + " of "
        + rounds + " rounds");
    return immediateFirst[0];
  }
}
