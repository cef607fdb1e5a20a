package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * A cluster-style server in one process: N threads, each running its own {@link NodeRuntime} (its
 * own libuv loop) with its own TCP server bound to the same port with {@code SO_REUSEPORT}; the
 * kernel spreads incoming connections between them (by a hash of the connection's addresses), and
 * each connection is then served entirely on the loop that accepted it. Node gets the same effect
 * with {@code cluster} and one process per core.
 *
 * <pre>{@code
 * NodeCluster cluster = NodeCluster.serve(4, new InetSocketAddress("127.0.0.1", 8080),
 *     (node, index) -> client -> client.readStart((s, data) -> s.write(data)));   // echo
 * ...
 * cluster.stop();
 * }</pre>
 *
 * <p>Nothing is shared between the loops unless the setup code shares it (then it must be
 * thread-safe). Linux and the BSDs only (SO_REUSEPORT).
 */
public final class NodeCluster implements AutoCloseable {
  /** How each loop serves: called once on each loop's thread before it accepts. */
  @FunctionalInterface
  public interface Setup {
    /**
     * Returns what loop {@code index} (0..threads-1) does with each connection it accepts: the
     * {@link Tcp} given is accepted and belongs to this loop; the handler runs through
     * {@link NodeRuntime#makeCallback} (nextTicks and promises drain after it).
     */
    Consumer<Tcp> setup(NodeRuntime node, int index);
  }

  private static final int BACKLOG = 511; // Node's default

  private final List<Member> members = new ArrayList<>();
  private final AtomicLongArray connections;
  private int port;
  private volatile boolean stopping;

  private final class Member {
    final int index;
    final Thread thread;
    final CompletableFuture<Integer> ready = new CompletableFuture<>();
    volatile NodeRuntime node;
    volatile int exitCode;
    volatile Throwable fatal;

    Member(int index, InetSocketAddress address, Setup setup) {
      this.index = index;
      this.thread = new Thread(() -> run(address, setup), "uv4j-cluster-" + index);
    }

    private void run(InetSocketAddress address, Setup setup) {
      NodeRuntime[] self = new NodeRuntime[1];
      try {
        exitCode = NodeRuntime.run(n -> {
          self[0] = n;
          node = n;
          if (stopping) { // stop() came before this runtime existed
            ready.completeExceptionally(new IllegalStateException("cluster stopped"));
            n.exit(0);
          }
          try {
            listen(n, address, setup.setup(n, index));
          } catch (Throwable t) {
            ready.completeExceptionally(t);
            n.exit(1);
          }
        });
        if (self[0] != null) {
          fatal = self[0].fatalException();
        }
      } catch (Throwable t) {
        exitCode = 1;
        fatal = t;
      } finally {
        ready.completeExceptionally(new IllegalStateException("loop " + index + " ended"));
      }
    }

    private void listen(NodeRuntime n, InetSocketAddress address, Consumer<Tcp> handler) throws UvException {
      Objects.requireNonNull(handler, "Setup returned a null handler");
      Tcp server = new Tcp(n.loop());
      server.bind(address, false, true);
      server.listen(BACKLOG, (s, error) -> {
        if (error != null) {
          throw new java.io.UncheckedIOException(error); // an accept failure is fatal for this loop
        }
        Tcp client = new Tcp(n.loop());
        s.accept(client);
        connections.incrementAndGet(index);
        n.makeCallback(() -> handler.accept(client));
      });
      ready.complete(server.localAddress().getPort());
    }

    void stop() {
      NodeRuntime n = node;
      if (n == null) {
        return;
      }
      try {
        n.loop().execute(() -> {
          if (!n.isExiting()) {
            try {
              n.exit(0); // ends the runtime: its loop's shutdown closes the server and connections
            } catch (NodeRuntime.NodeExit expected) {
              // nothing to unwind here
            }
          }
        });
      } catch (RejectedExecutionException ended) {
        // already ended
      }
    }
  }

  private NodeCluster(int threads) {
    this.connections = new AtomicLongArray(threads);
  }

  /** {@link #serve(int, InetSocketAddress, Setup)} on all interfaces (0.0.0.0), like Node's listen(port). */
  public static NodeCluster serve(int threads, int port, Setup setup) throws UvException {
    return serve(threads, new InetSocketAddress("0.0.0.0", port), setup);
  }

  /**
   * Starts {@code threads} loops, each listening on {@code address} (port 0: the first loop picks
   * a free port, the others bind the same), and returns once all listen.
   *
   * @throws UvException if a loop cannot bind or listen (e.g. EADDRINUSE); no loop is left running
   */
  public static NodeCluster serve(int threads, InetSocketAddress address, Setup setup) throws UvException {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(setup, "setup");
    NodeCluster cluster = new NodeCluster(threads);
    try {
      cluster.port = cluster.start(0, address, setup);
      InetSocketAddress same = new InetSocketAddress(address.getAddress(), cluster.port);
      for (int i = 1; i < threads; i++) {
        cluster.start(i, same, setup);
      }
      for (Member m : cluster.members) {
        await(m.ready);
      }
    } catch (UvException | RuntimeException | Error e) {
      cluster.stopAndJoin();
      throw e;
    }
    return cluster;
  }

  private int start(int index, InetSocketAddress address, Setup setup) throws UvException {
    Member m = new Member(index, address, setup);
    members.add(m);
    m.thread.start();
    return index == 0 ? await(m.ready) : -1;
  }

  private static int await(CompletableFuture<Integer> ready) throws UvException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return ready.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof UvException u) {
            throw u;
          }
          if (c instanceof RuntimeException r) {
            throw r;
          }
          if (c instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The port all loops listen on. */
  public int port() {
    return port;
  }

  /** The number of loops. */
  public int threads() {
    return members.size();
  }

  /** Connections accepted so far by each loop (index = loop index). Any thread. */
  public long[] connectionsPerLoop() {
    long[] r = new long[connections.length()];
    for (int i = 0; i < r.length; i++) {
      r[i] = connections.get(i);
    }
    return r;
  }

  /**
   * Waits until every loop has ended (after {@link #stop()}, or each loop's uncaught exception).
   * Any thread but the cluster's own.
   */
  public void join() throws InterruptedException {
    for (Member m : members) {
      m.thread.join();
    }
  }

  /**
   * Stops every loop: each runtime exits (code 0), which closes its server and its open
   * connections, and its loop; returns once all threads have ended. Idempotent; any thread but
   * the cluster's own.
   *
   * @throws IllegalStateException if a loop had ended with an uncaught exception (the cause)
   */
  public void stop() {
    stopAndJoin();
    IllegalStateException failure = null;
    for (Member m : members) {
      Throwable t = m.fatal;
      if (t != null) {
        if (failure == null) {
          failure = new IllegalStateException("cluster loop " + m.index + " ended with an uncaught exception", t);
        } else {
          failure.addSuppressed(t);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void stopAndJoin() {
    stopping = true;
    for (Member m : members) {
      m.stop();
    }
    boolean interrupted = false;
    for (Member m : members) {
      while (true) {
        try {
          m.thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }
}
