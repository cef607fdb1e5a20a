package io.uv4j.examples;

import io.uv4j.Loop;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs a server's loop on its own thread until {@link #stop()}, then closes everything on it
 * ({@link Loop#shutdown()}). This is how the server examples stop on Ctrl-C and in tests.
 */
public final class LoopThread {
  private final Loop loop;
  private final Thread thread;
  private volatile Throwable failure;

  LoopThread(Loop loop, String name) {
    this.loop = loop;
    this.thread = new Thread(this::runLoop, name);
    thread.start();
  }

  private void runLoop() {
    try {
      loop.run();
    } catch (Throwable t) {
      failure = t; // a callback threw: the loop stopped; report it from await()
    } finally {
      try {
        loop.shutdown();
      } catch (Throwable t) {
        if (failure == null) {
          failure = t;
        } else {
          failure.addSuppressed(t);
        }
      }
    }
  }

  /**
   * Stops the loop from any thread (the only calls another thread may make are
   * {@code execute} and {@code Async.send}) and waits until every handle is closed.
   */
  public void stop() throws InterruptedException {
    try {
      loop.execute(loop::stop);
    } catch (RejectedExecutionException alreadyClosed) {
      // the loop ended on its own (a callback failed): await() reports why
    }
    await();
  }

  /** Waits for the loop thread to end; throws if a callback failed. */
  public void await() throws InterruptedException {
    thread.join();
    Throwable t = failure;
    if (t != null) {
      throw new IllegalStateException(thread.getName() + " failed: " + t, t);
    }
  }
}
