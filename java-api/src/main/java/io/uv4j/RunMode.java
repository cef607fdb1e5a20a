package io.uv4j;

/**
 * How {@link Loop#run(RunMode)} runs: libuv's {@code uv_run_mode}.
 *
 * <pre>{@code
 * loop.run(RunMode.NOWAIT);   // one iteration that does not block: poll for I/O, run what is due
 * loop.run(RunMode.ONCE);     // one iteration, blocking for I/O if there is nothing to do yet
 * loop.run(RunMode.DEFAULT);  // until nothing is left alive, like loop.run()
 * }</pre>
 */
public enum RunMode {
  /** Run until no active and referenced handles or requests are left, or {@link Loop#stop()}. */
  DEFAULT(0),
  /** Poll for I/O once, blocking if there is nothing pending. */
  ONCE(1),
  /** Poll for I/O once, never blocking. */
  NOWAIT(2);

  final int code;

  RunMode(int code) {
    this.code = code;
  }
}
