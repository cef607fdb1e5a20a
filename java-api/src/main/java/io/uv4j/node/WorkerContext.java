package io.uv4j.node;

/**
 * What Node's {@code worker_threads} module exposes to the code running in a thread:
 * {@code parentPort}, {@code isMainThread} and {@code threadId}.
 *
 * <pre>{@code
 * if (!WorkerContext.isMainThread()) {
 *   WorkerContext.parentPort().postMessage("hello from thread " + WorkerContext.threadId());
 * }
 * }</pre>
 */
public final class WorkerContext {
  private static final ThreadLocal<MessagePort> PARENT_PORT = new ThreadLocal<>();
  private static final ThreadLocal<Integer> THREAD_ID = new ThreadLocal<>();
  private static final ThreadLocal<Object> WORKER_DATA = new ThreadLocal<>();

  private WorkerContext() {}

  /**
   * Inside a {@link Worker}: the port to its parent. Elsewhere null, as
   * {@code require('worker_threads').parentPort} is on Node's main thread.
   */
  public static MessagePort parentPort() {
    return PARENT_PORT.get();
  }

  /** False inside a {@link Worker}'s thread. */
  public static boolean isMainThread() {
    return PARENT_PORT.get() == null;
  }

  /** The {@link Worker#threadId()} of the worker running on this thread; 0 outside workers. */
  public static int threadId() {
    Integer id = THREAD_ID.get();
    return id == null ? 0 : id;
  }

  /**
   * {@code require('worker_threads').workerData}: what the parent gave to
   * {@link Worker#Worker(NodeRuntime, java.util.function.Consumer, Object)}; null elsewhere.
   */
  public static Object workerData() {
    return WORKER_DATA.get();
  }

  static void enter(MessagePort port, int threadId, Object workerData) {
    PARENT_PORT.set(port);
    THREAD_ID.set(threadId);
    WORKER_DATA.set(workerData);
  }

  static void leave() {
    PARENT_PORT.remove();
    THREAD_ID.remove();
    WORKER_DATA.remove();
  }
}
