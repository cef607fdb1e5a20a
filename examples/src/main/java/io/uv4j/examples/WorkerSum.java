package io.uv4j.examples;

import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Timeout;
import io.uv4j.node.Worker;
import io.uv4j.node.WorkerContext;
import java.io.PrintStream;

/**
 * {@code worker-sum [n]}: a CPU-bound job in a {@link Worker} does not block the main loop. The
 * worker (its own thread, runtime and libuv loop) gets n as its {@code workerData}, sums 1..n
 * (default 3,000,000,000) and posts the result back; meanwhile the main loop prints a heartbeat
 * every 100 ms. Done on the main loop itself, the sum would hold every timer back until it
 * finished. JavaScript original: examples/src/main/js/worker-sum.js.
 */
public final class WorkerSum {
  static final long DEFAULT_N = 3_000_000_000L;

  private WorkerSum() {}

  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? Long.parseLong(args[0]) : DEFAULT_N, System.out);
  }

  /** Returns the sum the worker posted (or -1). */
  static long run(long n, PrintStream out) throws Exception {
    long[] result = {-1};
    NodeRuntime.run(node -> {
      long start = System.nanoTime();
      int[] beats = {0};
      Timeout heartbeat = node.setInterval(() -> out.println("heartbeat " + ++beats[0] + " at "
          + (System.nanoTime() - start) / 1_000_000 + " ms: the main loop is free"), 100);

      Worker worker = new Worker(node, wnode -> {
        long limit = (Long) WorkerContext.workerData();
        long sum = 0;
        for (long i = 1; i <= limit; i++) {
          sum += i;
        }
        WorkerContext.parentPort().postMessage(sum); // a Long: immutable, safe to pass by reference
      }, n);
      worker.on("message", args -> {
        result[0] = (Long) args[0];
        out.println("result from worker " + worker.threadId() + ": sum(1.." + n + ") = " + args[0]
            + " after " + (System.nanoTime() - start) / 1_000_000 + " ms and " + beats[0] + " heartbeats");
        node.clearInterval(heartbeat);
      });
      worker.on("exit", args -> out.println("worker exited with code " + args[0]));
    });
    return result[0];
  }
}
