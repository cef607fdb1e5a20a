package io.uv4j.examples;

import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import io.uv4j.node.Net;
import io.uv4j.node.NodeCluster;
import io.uv4j.node.NodeRuntime;
import io.uv4j.node.ProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code cluster-http [threads] [port]}: a hello-world HTTP/1.1 server (keep-alive) with one
 * libuv loop per core, all listening on one port (SO_REUSEPORT, see {@link NodeCluster}); it
 * prints which loop accepted each connection. Defaults: one loop per available processor, port
 * 8080, on 127.0.0.1. Stop it with Ctrl-C.
 *
 * <pre>{@code
 * java -jar examples/target/uv4j-examples.jar cluster-http 2 8080
 * curl -s localhost:8080/ localhost:8080/      # two requests on one kept-alive connection
 * }</pre>
 *
 * <p>{@code cluster-http --processes N [port] [rr|none]}: Node's process cluster instead
 * ({@link ProcessCluster}): this JVM is the primary and forks N worker JVMs (this same class);
 * each worker's {@code net} server listens on the port through the primary, and each answer names
 * the worker's id and pid. With {@code rr} (the default, Node's SCHED_RR) the primary owns the
 * listening socket and hands each connection to the workers in turn; with {@code none} it sends
 * the socket to the workers, which accept themselves. A worker that dies (try
 * {@code kill -9 <pid>}) is reported and replaced by a new one. The JavaScript original of this
 * mode is {@code src/main/js/cluster-http.js}.
 *
 * <p>The HTTP part is deliberately minimal: requests without a body (GET, HEAD), answered in
 * order; {@code Connection: close} (or HTTP/1.0 without keep-alive) closes after the answer.
 * Pipelining is bounded: when an answer leaves the write queue over
 * {@link Stream#highWaterMark()} (the client does not read), the connection stops reading and
 * answers the rest in {@link Stream#onDrain}.
 */
public final class ClusterHttp {
  private ClusterHttp() {}

  public static void main(String[] args) throws Exception {
    if (System.getenv("NODE_UNIQUE_ID") != null) {
      System.exit(worker(args.length > 0 ? Integer.parseInt(args[0]) : 8080));
    }
    if (args.length > 0 && args[0].equals("--processes")) {
      int n = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
      int port = args.length > 2 ? Integer.parseInt(args[2]) : 8080;
      int policy = args.length > 3 && args[3].equals("none") ? ProcessCluster.SCHED_NONE : ProcessCluster.SCHED_RR;
      Processes p = startProcesses(n, port, policy, System.out);
      Runtime.getRuntime().addShutdownHook(new Thread(p::stop, "cluster-http-stop"));
      p.thread.join();
      return;
    }
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    NodeCluster cluster = start(threads, port, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "cluster-http-stop"));
    cluster.join();
  }

  /** Starts the server on 127.0.0.1:{@code port} (0: any free port). */
  static NodeCluster start(int threads, int port, PrintStream out) throws UvException {
    NodeCluster cluster = NodeCluster.serve(threads, new InetSocketAddress("127.0.0.1", port),
        (node, index) -> client -> serve(index, client, out));
    out.println("listening on http://127.0.0.1:" + cluster.port() + "/ with " + threads
        + " loops (one thread each)");
    return cluster;
  }

  // ================================================================ --processes

  /** A running process cluster: the primary's runtime on its own thread. */
  static final class Processes {
    final Thread thread;
    final CompletableFuture<Integer> port = new CompletableFuture<>();
    final AtomicInteger listening = new AtomicInteger();
    final Set<Long> everyPid = Collections.synchronizedSet(new LinkedHashSet<>());
    volatile NodeRuntime node;
    volatile ProcessCluster cluster;
    volatile boolean stopping;
    volatile Throwable failure;

    Processes(Runnable body) {
      this.thread = new Thread(body, "cluster-http-primary");
    }

    /** Waits until 'listening' was reported {@code count} times in all; false after the timeout. */
    boolean awaitListening(int count, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      synchronized (listening) {
        while (listening.get() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0 || !thread.isAlive()) {
            return false;
          }
          listening.wait(Math.max(1, left / 1_000_000));
        }
        return true;
      }
    }

    /** The pids of the live workers (any thread). */
    List<Long> workerPids() throws InterruptedException {
      CompletableFuture<List<Long>> r = new CompletableFuture<>();
      try {
        node.loop().execute(() -> {
          List<Long> l = new ArrayList<>();
          cluster.workers().values().forEach(w -> l.add((long) w.process().pid()));
          r.complete(l);
        });
        return r.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }

    /**
     * Disconnects every worker (no restarts from now on): each exits, the primary's listening
     * socket closes with the last one, and the primary's loop ends; returns once it has. Any
     * thread but the primary's.
     */
    void stop() {
      stopping = true;
      NodeRuntime n = node;
      if (n != null && thread.isAlive()) {
        try {
          n.loop().execute(() -> n.makeCallback(() -> cluster.disconnect(null)));
        } catch (java.util.concurrent.RejectedExecutionException ended) {
          // already ended
        }
      }
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The primary: forks {@code n} workers serving HTTP on 127.0.0.1:{@code port} (0: any free port). */
  static Processes startProcesses(int n, int port, int policy, PrintStream out) {
    Processes[] self = new Processes[1];
    Processes p = new Processes(() -> {
      Processes me = self[0];
      try {
        NodeRuntime.run(node -> {
          me.node = node;
          ProcessCluster cluster = ProcessCluster.of(node);
          me.cluster = cluster;
          cluster.setupPrimary(new ProcessCluster.Settings(ClusterHttp.class.getName())
              .args(List.of(Integer.toString(port))).schedulingPolicy(policy));
          cluster.on("fork", a -> me.everyPid.add((long) ((ProcessCluster.Worker) a[0]).process().pid()));
          cluster.on("online", a -> out.println("worker " + ((ProcessCluster.Worker) a[0]).id() + " online (pid "
              + ((ProcessCluster.Worker) a[0]).process().pid() + ")"));
          cluster.on("listening", a -> {
            ProcessCluster.Worker w = (ProcessCluster.Worker) a[0];
            java.util.Map<?, ?> address = (java.util.Map<?, ?>) a[1];
            int actual = ((Number) address.get("port")).intValue();
            out.println("worker " + w.id() + " listening on http://127.0.0.1:" + actual + "/");
            me.port.complete(actual);
            synchronized (me.listening) {
              me.listening.incrementAndGet();
              me.listening.notifyAll();
            }
          });
          cluster.on("exit", a -> {
            ProcessCluster.Worker w = (ProcessCluster.Worker) a[0];
            out.println("worker " + w.id() + " (pid " + w.process().pid() + ") exited: code " + a[1] + ", signal " + a[2]);
            if (!me.stopping && !w.exitedAfterDisconnect()) {
              out.println("starting a replacement");
              cluster.fork(); // restart on crash
            }
          });
          out.println("primary " + ProcessHandle.current().pid() + ": " + n + " worker processes, "
              + (policy == ProcessCluster.SCHED_RR ? "round-robin (SCHED_RR)" : "workers accept (SCHED_NONE)"));
          for (int i = 0; i < n; i++) {
            cluster.fork();
          }
        });
      } catch (Throwable t) {
        me.failure = t;
      } finally {
        me.port.completeExceptionally(new IllegalStateException("the primary ended"));
        synchronized (me.listening) {
          me.listening.notifyAll();
        }
      }
    });
    self[0] = p;
    p.thread.start();
    return p;
  }

  /** A worker JVM: serves HTTP with a Node {@code net} server that listens through the primary. */
  private static int worker(int port) throws UvException {
    return NodeRuntime.run(node -> {
      ProcessCluster cluster = ProcessCluster.of(node);
      byte[] body = ("hello from worker " + cluster.workerId() + " (pid " + ProcessHandle.current().pid() + ")\n")
          .getBytes(StandardCharsets.US_ASCII);
      Net.of(node).createServer(socket -> serveNode(socket, body)).listen(port, "127.0.0.1", null);
    });
  }

  /** HTTP on a Node socket: answers each complete request head in order. */
  private static void serveNode(Net.Socket socket, byte[] body) {
    StringBuilder pending = new StringBuilder();
    socket.setEncoding("latin1");
    socket.onStringData(text -> {
      pending.append(text);
      int end;
      while ((end = pending.indexOf("\r\n\r\n")) >= 0) {
        String head = pending.substring(0, end);
        pending.delete(0, end + 4);
        boolean close = head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
            + "\r\n" + (close ? "Connection: close\r\n" : "Connection: keep-alive\r\n") + "\r\n";
        byte[] head2 = response.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head2.length + body.length];
        System.arraycopy(head2, 0, all, 0, head2.length);
        System.arraycopy(body, 0, all, head2.length, body.length);
        if (close) {
          socket.end(all);
          return;
        }
        if (!socket.write(all)) {
          socket.pause(); // the client is not reading: wait for it
          socket.once("drain", socket::resume);
        }
      }
    });
    socket.on("error", a -> { }); // a client that resets: nothing to do
  }

  private static void serve(int index, Tcp client, PrintStream out) {
    String peer;
    try {
      peer = String.valueOf(client.remoteAddress());
    } catch (UvException e) {
      peer = "?";
    }
    out.println("loop " + index + " (" + Thread.currentThread().getName() + ") accepted " + peer);
    byte[] body = ("hello from loop " + index + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    ReadCallback reader = (stream, data) -> {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk); // the view is valid during this callback only
      pending.write(chunk, 0, chunk.length);
      if (!answerCompleteRequests(stream, pending, body)) {
        stream.readStop(); // the client is not reading its answers: take no more requests
      }
    };
    client.onDrain(stream -> {
      // Answer what was kept; read again unless that paused again, closed or shut down.
      if (!stream.isClosing() && answerCompleteRequests(stream, pending, body)
          && !stream.isClosing() && stream.isWritable()) {
        stream.readStart(reader);
      }
    });
    client.readStart(reader);
  }

  /**
   * Answers the complete request heads in {@code pending}, in order, leaving the rest there;
   * false if it stopped because the answers are over the high-water mark (until drain).
   */
  private static boolean answerCompleteRequests(Stream stream, ByteArrayOutputStream pending, byte[] body) {
    String text = pending.toString(StandardCharsets.ISO_8859_1);
    int start = 0;
    boolean belowMark = true;
    while (belowMark && stream.isWritable()) { // not writable once shut down after "Connection: close"
      int end = text.indexOf("\r\n\r\n", start);
      if (end < 0) {
        if (text.length() - start > 64 * 1024) {
          stream.close(); // no request head is this long
          return true;
        }
        break;
      }
      String head = text.substring(start, end);
      start = end + 4;

      String lower = head.toLowerCase(Locale.ROOT);
      boolean http10 = head.lines().findFirst().orElse("").endsWith("HTTP/1.0");
      boolean close = lower.contains("\r\nconnection: close")
          || (http10 && !lower.contains("\r\nconnection: keep-alive"));
      boolean headOnly = head.startsWith("HEAD ");
      String response = "HTTP/1.1 200 OK\r\n"
          + "Content-Type: text/plain\r\n"
          + "Content-Length: " + body.length + "\r\n"
          + (close ? "Connection: close\r\n" : "Connection: keep-alive\r\n")
          + "\r\n";
      belowMark = stream.write(response.getBytes(StandardCharsets.US_ASCII));
      if (!headOnly) {
        belowMark = stream.write(ByteBuffer.wrap(body));
      }
      if (close) {
        stream.shutdown((s, error) -> s.close());
        pending.reset(); // nothing after this request is answered
        return true;
      }
    }
    byte[] rest = text.substring(start).getBytes(StandardCharsets.ISO_8859_1);
    pending.reset();
    pending.write(rest, 0, rest.length);
    return belowMark;
  }
}
