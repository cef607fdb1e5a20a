package io.uv4j.examples;

import io.uv4j.node.NodeRuntime;
import io.uv4j.node.Promise;
import java.io.PrintStream;

/**
 * {@code tick-vs-promise}: {@code process.nextTick} callbacks run before promise jobs, and each
 * queue drains completely before the other gets its turn again. The JavaScript original
 * (examples/src/main/js/tick-vs-promise.js) prints the same lines on Node 20:
 *
 * <pre>{@code
 * setImmediate(() => log('setImmediate: ...'));
 * Promise.resolve().then(() => {
 *   log('promise 1');
 *   process.nextTick(() => log('nextTick queued by promise 1: ...'));
 * }).then(() => log('promise 2, chained on promise 1'));
 * queueMicrotask(() => log('queueMicrotask'));
 * process.nextTick(() => {
 *   log('nextTick 1');
 *   process.nextTick(() => log('nextTick 2, queued by nextTick 1: ...'));
 *   Promise.resolve().then(() => log('promise queued by nextTick 1'));
 * });
 * log('main: synchronous code');
 * }</pre>
 */
public final class TickVsPromise {
  private TickVsPromise() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  static void run(PrintStream out) throws Exception {
    NodeRuntime.run(node -> {
      node.setImmediate(() -> out.println("setImmediate: the check phase of the next loop iteration"));
      Promise.resolve(node, null).thenRun(() -> {
        out.println("promise 1");
        node.nextTick(() -> out.println("nextTick queued by promise 1: after the microtask queue is empty"));
      }).thenRun(() -> out.println("promise 2, chained on promise 1"));
      node.queueMicrotask(() -> out.println("queueMicrotask"));
      node.nextTick(() -> {
        out.println("nextTick 1");
        node.nextTick(() -> out.println("nextTick 2, queued by nextTick 1: the tick queue drains first"));
        Promise.resolve(node, null).thenRun(() -> out.println("promise queued by nextTick 1"));
      });
      out.println("main: synchronous code");
    });
  }
}
