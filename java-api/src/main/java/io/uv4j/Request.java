package io.uv4j;

/**
 * A libuv request in flight ({@code uv_req_t}): work, fs or DNS. Its completion callback runs
 * exactly once on the loop thread.
 *
 * <pre>{@code
 * Request r = loop.queueWork(() -> slow(), error -> System.out.println(error));
 * r.cancel();   // completes it with ECANCELED if the pool has not started it yet
 * }</pre>
 */
public abstract class Request {
  Request() {}

  /**
   * {@code uv_cancel}: a request still waiting in the thread pool's queue is cancelled and its
   * callback gets {@code ECANCELED} ({@code EAI_CANCELED} for DNS requests, as libuv reports it;
   * futures complete exceptionally with it).
   *
   * @throws UvException {@code EBUSY} if it is already running or has completed
   */
  public abstract void cancel() throws UvException;

  /** Whether its completion callback has run. */
  public abstract boolean isDone();
}
