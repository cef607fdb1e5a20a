package io.uv4j.node;

import java.util.concurrent.CountDownLatch;

/** What REPL snippets in ReplTest reach back to (public: snippets are compiled outside this package). */
public final class ReplHook {
  /** Counted down by an interval created from a snippet. */
  public static final CountDownLatch TICKS = new CountDownLatch(3);

  private ReplHook() {}
}
