package io.uv4j;

/** How {@link Loop#run(RunMode)} runs: libuv's {@code uv_run_mode}. */
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
