package io.uv4j.node;

import io.uv4j.Async;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Node's {@code worker_threads.Worker}: a Java thread running its own {@link NodeRuntime} (its
 * own libuv loop), talking to the parent through messages.
 *
 * <pre>{@code
 * NodeRuntime.run(node -> {
 *   Worker w = new Worker(node, wnode -> {
 *     MessagePort parent = WorkerContext.parentPort();
 *     parent.onMessage(n -> { parent.postMessage(sum((Long) n)); parent.close(); });
 *   });
 *   w.onMessage(result -> System.out.println("sum = " + result));
 *   w.onExit(code -> System.out.println("worker exited with " + code));
 *   w.postMessage(1_000_000L);
 * });
 * }</pre>
 *
 * <p><b>Messages</b> cross threads through a queue and a libuv async handle on the receiving loop
 * (coalescing: one wake-up delivers many); each message is delivered as its own callback
 * ({@link NodeRuntime#makeCallback}) on the receiving runtime's thread, in the order posted.
 * They are Java objects passed <b>by reference</b> by default: Java has no structured clone, so
 * never share mutable state this way (post immutable values, or objects the sender no longer
 * touches), or choose {@link Options#withCloneMessages} to clone them.
 * {@link #postMessage(ByteBuffer, boolean)} copies a buffer, or transfers it without a copy.
 *
 * <p><b>Life</b>: the worker runs {@code workerMain}, then its loop until nothing keeps it alive
 * (a {@link MessagePort} with a message listener does), like a Node process. Then 'exit' fires
 * here with its exit code: 0, the code given to its {@code exit()}, 1 after
 * {@link #terminate()}, or 1 after an uncaught exception, which is first reported to the
 * {@link #onError} listeners (with none, it is rethrown here as an uncaught exception of the
 * parent, as Node does). Until 'exit', the worker keeps the parent's loop alive unless
 * {@link #unref()}'d. When the parent runtime ends, it terminates its workers still running and
 * waits for them to end (so no loop outlives {@link NodeRuntime#run}).
 *
 * <p><b>Events</b>: a Worker is an {@link EventEmitter}: {@code 'online'}, {@code 'message'},
 * {@code 'error'}, {@code 'exit'} ({@code on("exit", args -> ...)} or the typed
 * {@link #onOnline}, {@link #onMessage}, {@link #onError}, {@link #onExit}) and
 * {@code 'messageerror'} ({@link #onMessageError}): with {@link Options#withCloneMessages},
 * messages are cloned as Node clones them (Java serialization), {@code postMessage} throws a
 * DataCloneError for a value that cannot be, and a message the receiver cannot deserialize (a
 * class it cannot load, a failing {@code readObject}) emits 'messageerror' there. By default
 * messages pass by reference and 'messageerror' never comes.
 *
 * <p>{@link #terminate()} stops the worker's loop when its current callback returns: Java cannot
 * stop code in the middle of a computation as V8 can, so a worker callback that never returns
 * cannot be terminated (and blocks the parent's exit).
 */
public final class Worker extends EventEmitter {
  private static final AtomicInteger NEXT_ID = new AtomicInteger(1);

  private final NodeRuntime parent;
  private final int threadId;
  private final Thread thread;
  /** Parent to worker (the worker's parentPort receives). */
  private final Mailbox toWorker;
  /** Worker to parent: messages, then one Failure and/or one Exit. */
  private final Mailbox toParent;
  private final Async parentAsync;

  private final List<Consumer<Integer>> terminateWaiters = new ArrayList<>();
  private boolean exited;

  /** The worker's runtime once it has started (the worker thread sets it). */
  private volatile NodeRuntime workerRuntime;
  private volatile boolean terminating;

  /** What the worker thread reports at the end. */
  private record Failure(Throwable error) { }

  private record Exit(int code) { }

  private record Online() { }

  /**
   * Starts a worker thread running {@code workerMain} on a new runtime; inside it
   * {@link WorkerContext#parentPort()} talks back. Call on the parent runtime's thread.
   */
  public Worker(NodeRuntime parent, Consumer<NodeRuntime> workerMain) {
    this(parent, workerMain, Options.DEFAULT);
  }

  /**
   * {@code new Worker(file, {workerData})}: as {@link #Worker(NodeRuntime, Consumer)}, and
   * {@link WorkerContext#workerData()} returns {@code workerData} inside the worker (by
   * reference, like messages: pass immutable data or data the parent no longer touches).
   *
   * @throws NullPointerException if {@code parent} or {@code workerMain} is null
   * @throws IllegalStateException off the parent runtime's thread
   */
  public Worker(NodeRuntime parent, Consumer<NodeRuntime> workerMain, Object workerData) {
    this(parent, workerMain, Options.DEFAULT.withWorkerData(workerData));
  }

  /**
   * The options of {@code new Worker(file, options)} that apply here: {@code workerData};
   * {@code cloneMessages} (default false: by reference), Node's structured clone mapped to Java
   * serialization, in both directions; the worker thread's {@code contextClassLoader} (null: the
   * parent thread's), which resolves the classes of the cloned messages it receives.
   */
  public record Options(Object workerData, boolean cloneMessages, ClassLoader contextClassLoader) {
    /** No workerData, messages by reference, the parent's class loader. */
    public static final Options DEFAULT = new Options(null, false, null);

    public Options withWorkerData(Object data) {
      return new Options(data, cloneMessages, contextClassLoader);
    }

    /**
     * {@code true}: every message is cloned, as Node clones: immutable values (strings, boxed
     * primitives, enums) and transfers (MessagePort, ByteBuffer) pass as they are, anything else
     * must be {@link java.io.Serializable} and is serialized by {@code postMessage} (which throws
     * a {@link NodeError} with code {@code DataCloneError} when it cannot be) and deserialized by
     * the receiver (which emits {@code 'messageerror'} when it cannot be: a class its context
     * class loader cannot load, a failing {@code readObject}).
     */
    public Options withCloneMessages(boolean clone) {
      return new Options(workerData, clone, contextClassLoader);
    }

    public Options withContextClassLoader(ClassLoader loader) {
      return new Options(workerData, cloneMessages, loader);
    }
  }

  /**
   * {@code new Worker(file, options)}: as {@link #Worker(NodeRuntime, Consumer)} with
   * {@code options}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException off the parent runtime's thread
   */
  public Worker(NodeRuntime parent, Consumer<NodeRuntime> workerMain, Options options) {
    this.parent = Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(workerMain, "workerMain");
    Objects.requireNonNull(options, "options");
    parent.checkThread();
    Object workerData = options.workerData();
    this.toWorker = new Mailbox(options.cloneMessages());
    this.toParent = new Mailbox(options.cloneMessages());
    this.threadId = NEXT_ID.getAndIncrement();
    this.parentAsync = toParent.attach(parent, box -> box.drain(this::deliver));
    // Node: when the main thread's process exits, its workers are stopped.
    parent.onExit(code -> stopAndJoin());
    this.thread = new Thread(() -> runWorker(workerMain, workerData), "uv4j-worker-" + threadId);
    thread.setDaemon(true); // like Node: workers do not keep the process alive on their own
    if (options.contextClassLoader() != null) {
      thread.setContextClassLoader(options.contextClassLoader());
    }
    thread.start();
  }

  private void runWorker(Consumer<NodeRuntime> workerMain, Object workerData) {
    NodeRuntime[] self = new NodeRuntime[1];
    int code;
    Throwable error = null;
    try {
      code = NodeRuntime.run(parent.options, node -> { // Node: workers share the process flags
        self[0] = node;
        node.printFatal = false; // reported to the parent as 'error' instead
        WorkerContext.enter(new MessagePort(node, toWorker, toParent), threadId, workerData);
        workerRuntime = node;
        if (terminating) { // terminate() came before the runtime existed
          node.exit(1);
        }
        toParent.post(new Online()); // Node: the worker is up before its script runs
        workerMain.accept(node);
      });
      if (self[0] != null) {
        error = self[0].fatalException();
      }
    } catch (Throwable t) { // the runtime itself failed (loop creation or shutdown)
      code = 1;
      error = t;
    } finally {
      WorkerContext.leave();
    }
    if (error != null) {
      toParent.post(new Failure(error));
    }
    toParent.post(new Exit(code));
  }

  // ---------------------------------------------------------------- parent side

  /**
   * {@code worker.postMessage(value)}: delivered to the worker's {@code parentPort} listeners,
   * by reference (see the class comment). Any thread; dropped once the worker has ended.
   */
  public void postMessage(Object message) {
    toWorker.send(Objects.requireNonNull(message, "message"));
  }

  /**
   * {@code worker.on('messageerror', listener)}: a message from the worker that could not be
   * deserialized here (only with {@link Options#withCloneMessages}); the message is dropped.
   */
  public Worker onMessageError(Consumer<Throwable> listener) {
    parent.checkThread();
    addTyped("messageerror", listener, args -> listener.accept((Throwable) args[0]));
    return this;
  }

  /** Posts a buffer, copied or transferred: see {@link MessagePort#postMessage(ByteBuffer, boolean)}. */
  public void postMessage(ByteBuffer buffer, boolean transfer) {
    toWorker.post(Mailbox.prepare(Objects.requireNonNull(buffer, "buffer"), transfer));
  }

  /** {@code worker.on('message', listener)}: messages the worker posted to its parentPort. */
  public Worker onMessage(Consumer<Object> listener) {
    parent.checkThread();
    addTyped("message", listener, args -> listener.accept(args[0]));
    return this;
  }

  /** {@code worker.on('error', listener)}: the worker's uncaught exception (then 'exit' with 1). */
  public Worker onError(Consumer<Throwable> listener) {
    parent.checkThread();
    addTyped("error", listener, args -> listener.accept((Throwable) args[0]));
    return this;
  }

  /** {@code worker.on('exit', listener)}: the worker ended (its loop is closed) with this code. */
  public Worker onExit(IntConsumer listener) {
    parent.checkThread();
    addTyped("exit", listener, args -> listener.accept((Integer) args[0]));
    return this;
  }

  /**
   * {@code worker.on('online', listener)}: the worker thread's runtime is up and about to run
   * {@code workerMain} (so before any message it posts).
   */
  public Worker onOnline(Runnable listener) {
    parent.checkThread();
    addTyped("online", listener, args -> listener.run());
    return this;
  }

  /**
   * {@code worker.terminate()}: stops the worker when its current callback returns (see the class
   * comment); the promise resolves with the exit code (1, or the code it exits with meanwhile)
   * when 'exit' is emitted. Once 'exit' has been emitted (also from an 'exit' listener) it
   * resolves with null, as Node's {@code PromiseResolve()} with no value.
   */
  public Promise<Integer> terminate() {
    parent.checkThread();
    if (exited) {
      return Promise.resolve(parent, null);
    }
    Promise<Integer> p = Promise.create(parent, (resolve, reject) -> terminateWaiters.add(resolve));
    requestStop();
    return p;
  }

  /** {@code worker.unref()}: the worker no longer keeps the parent alive. */
  public Worker unref() {
    parent.checkThread();
    if (!exited) {
      parentAsync.unref();
    }
    return this;
  }

  /** {@code worker.ref()}: undoes {@link #unref()}. */
  public Worker ref() {
    parent.checkThread();
    if (!exited) {
      parentAsync.ref();
    }
    return this;
  }

  /** {@code worker.threadId}: unique in this JVM, from 1 (the main thread is 0). */
  public int threadId() {
    return threadId;
  }

  /** Whether 'exit' has been emitted. */
  public boolean hasExited() {
    parent.checkThread();
    return exited;
  }

  private void requestStop() {
    terminating = true;
    NodeRuntime rt = workerRuntime;
    if (rt != null) {
      try {
        rt.loop().execute(() -> {
          if (!rt.isExiting()) {
            try {
              rt.exit(1);
            } catch (NodeRuntime.NodeExit expected) {
              // exit() unwinds its caller; here there is nothing to unwind
            }
          }
        });
      } catch (RejectedExecutionException ended) {
        // its loop is already closed: the worker has ended
      }
    }
  }

  /** The parent runtime is exiting: no worker may outlive it. */
  private void stopAndJoin() {
    if (!thread.isAlive()) {
      return;
    }
    requestStop();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** On the parent's thread, for each item the worker thread posted. */
  private void deliver(Object item) {
    if (item == Mailbox.CLOSE) {
      return; // the worker closed its parentPort: nothing to close on this side
    }
    if (item instanceof Online) {
      parent.makeCallback(() -> emit("online"));
    } else if (item instanceof Failure f) {
      // An unhandled 'error' event throws, as in Node.
      parent.makeCallback(() -> emit("error", f.error()));
    } else if (item instanceof Exit e) {
      exited = true;
      toParent.detach(); // the worker is gone: stop keeping the parent alive
      parent.makeCallback(() -> {
        emit("exit", e.code());
        for (Consumer<Integer> w : terminateWaiters) {
          w.accept(e.code());
        }
        terminateWaiters.clear();
      });
    } else {
      parent.makeCallback(() -> MessagePort.deliver(this, item, parent));
    }
  }

  @Override
  public String toString() {
    return "Worker[threadId=" + threadId + "]";
  }
}
