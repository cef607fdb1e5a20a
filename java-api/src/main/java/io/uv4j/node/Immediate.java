package io.uv4j.node;

/**
 * What {@link NodeRuntime#setImmediate} returns: Node's {@code Immediate}, with {@code ref},
 * {@code unref} and {@code hasRef}.
 *
 * <pre>{@code
 * Immediate i = node.setImmediate(() -> System.out.println("after this turn's I/O"));
 * i.unref();   // like Node's immediate.unref(): it no longer keeps the loop alive
 * }</pre>
 */
public final class Immediate {
  final NodeRuntime runtime;
  Runnable onImmediate;
  boolean refed = true;
  boolean destroyed;
  Immediate prev;
  Immediate next;

  Immediate(NodeRuntime runtime, Runnable onImmediate) {
    this.runtime = runtime;
    this.onImmediate = onImmediate;
  }

  public Immediate ref() {
    runtime.checkThread();
    if (!refed && !destroyed) {
      refed = true;
      runtime.immediates.immediateRef();
    }
    return this;
  }

  public Immediate unref() {
    runtime.checkThread();
    if (refed && !destroyed) {
      refed = false;
      runtime.immediates.immediateUnref();
    }
    return this;
  }

  public boolean hasRef() {
    return refed;
  }
}
