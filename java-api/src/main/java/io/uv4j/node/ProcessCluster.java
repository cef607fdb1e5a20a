package io.uv4j.node;

import io.uv4j.Tcp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;

/**
 * Node's {@code cluster} with worker processes: a primary forks worker JVMs (each runs a main
 * class, like {@link NodeChildProcess#fork}, with {@code NODE_UNIQUE_ID} set to its worker id) and
 * every {@code net} server a worker makes listen goes through the primary, so all workers share
 * one port. (The thread-based, in-process alternative is {@link NodeCluster}.)
 *
 * <p>Two scheduling policies, as in Node ({@link #SCHED_RR}, the default; or
 * {@link #SCHED_NONE}; chosen with {@link Settings#schedulingPolicy} or
 * {@code NODE_CLUSTER_SCHED_POLICY=rr|none}):
 * <ul>
 *   <li>{@code SCHED_RR}: the primary binds and listens; it accepts each connection and passes it
 *       to the next free worker over the IPC channel ({@code newconn}); the worker answers
 *       {@code accepted} and the primary then closes its copy. A worker that dies before that
 *       answer does not lose the connection: the primary still holds it and passes it on.
 *   <li>{@code SCHED_NONE}: the primary binds once and sends the bound socket itself to every
 *       worker that listens on it; the workers listen and accept, the kernel picks which one.
 * </ul>
 *
 * <p>Protocol (JSON lines on the fork channel, Node's names): the worker sends
 * {@code {"cmd":"NODE_CLUSTER","act":"online"}} when it sets up, {@code queryServer} (address,
 * port, addressType, index, seq) when a server listens, and {@code listening} once it does; the
 * primary answers {@code {"ack":seq,"key":...,"errno":...,"sockname":...}} (with the bound handle
 * for SCHED_NONE) and sends {@code newconn} with each connection (SCHED_RR), which the worker
 * acknowledges with {@code {"ack":seq,"accepted":true|false}}. A worker's {@code close} of a
 * round-robin server sends {@code close}.
 *
 * <pre>{@code
 * NodeRuntime.run(node -> {
 *   ProcessCluster cluster = ProcessCluster.of(node);
 *   if (cluster.isPrimary()) {
 *     cluster.setupPrimary(new ProcessCluster.Settings(MyServer.class.getName()));
 *     for (int i = 0; i < 4; i++) cluster.fork();
 *     cluster.on("exit", a -> cluster.fork());             // restart a worker that died
 *   } else {
 *     Net.of(node).createServer(s -> s.end("hi\n")).listen(8000);   // through the primary
 *   }
 * });
 * }</pre>
 *
 * <p>Primary events: {@code 'fork'} (worker), {@code 'online'} (worker), {@code 'listening'}
 * (worker, address: a map with {@code address}, {@code port}, {@code addressType}),
 * {@code 'message'} (worker, message, handle), {@code 'disconnect'} (worker), {@code 'exit'}
 * (worker, code, signal). A {@link Worker} emits the same without its own argument. All methods
 * run on the runtime's thread.
 */
public final class ProcessCluster extends EventEmitter {
  /** Node's {@code cluster.SCHED_NONE}: workers accept on the shared listening socket. */
  public static final int SCHED_NONE = 1;
  /** Node's {@code cluster.SCHED_RR}: the primary accepts and hands connections out in turn. */
  public static final int SCHED_RR = 2;

  private static final Map<NodeRuntime, ProcessCluster> CLUSTERS = new WeakHashMap<>();

  final NodeRuntime node;
  private final boolean primary;
  // primary
  private Settings settings;
  private int nextId;
  private final Map<Integer, Worker> workers = new LinkedHashMap<>();
  final Map<String, ClusterServers.SharedServer> servers = new HashMap<>();
  // worker
  ClusterChild child;

  private ProcessCluster(NodeRuntime node) {
    this.node = node;
    this.primary = System.getenv("NODE_UNIQUE_ID") == null;
  }

  /**
   * The cluster of this process: the primary's (no {@code NODE_UNIQUE_ID} in the environment) or
   * a worker's. In a worker, the first call connects to the primary and reports {@code 'online'}
   * (a worker's {@code net} listen also does this first).
   *
   * @throws IllegalStateException if not called on the runtime's thread, or in a worker without
   *     an IPC channel to its primary
   */
  public static ProcessCluster of(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    node.checkThread();
    synchronized (CLUSTERS) {
      ProcessCluster c = CLUSTERS.get(node);
      if (c == null) {
        c = new ProcessCluster(node);
        CLUSTERS.put(node, c);
        if (!c.primary) {
          c.child = new ClusterChild(c);
        }
      }
      return c;
    }
  }

  /** The worker side of {@code node} when this process is a cluster worker, else null. */
  static ClusterChild childOf(NodeRuntime node) {
    if (System.getenv("NODE_UNIQUE_ID") == null) {
      return null;
    }
    return of(node).child;
  }

  /** {@code cluster.isPrimary}. */
  public boolean isPrimary() {
    return primary;
  }

  /** {@code cluster.isWorker}. */
  public boolean isWorker() {
    return !primary;
  }

  /** In a worker, {@code cluster.worker.id} (its {@code NODE_UNIQUE_ID}); -1 in the primary. */
  public int workerId() {
    return primary ? -1 : child.id;
  }

  /** What {@link #fork} runs: Node's {@code cluster.setupPrimary(settings)}. */
  public static final class Settings {
    private final String mainClass;
    private List<String> args = List.of();
    private NodeChildProcess.Options options;
    private int schedulingPolicy = defaultPolicy();

    /** Workers run {@code mainClass} (Node's {@code exec}). */
    public Settings(String mainClass) {
      this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    /** The workers' arguments (Node's {@code args}). */
    public Settings args(List<String> args) {
      this.args = List.copyOf(args);
      return this;
    }

    /**
     * Options of the fork ({@code execArgv}, {@code classPath}, {@code silent}, {@code env}...);
     * the worker's environment always gets {@code NODE_UNIQUE_ID}.
     */
    public Settings options(NodeChildProcess.Options options) {
      this.options = options;
      return this;
    }

    /**
     * {@link #SCHED_RR} or {@link #SCHED_NONE}.
     *
     * @throws IllegalArgumentException for another value
     */
    public Settings schedulingPolicy(int policy) {
      if (policy != SCHED_RR && policy != SCHED_NONE) {
        throw new IllegalArgumentException("schedulingPolicy is SCHED_RR (2) or SCHED_NONE (1): " + policy);
      }
      this.schedulingPolicy = policy;
      return this;
    }

    public int schedulingPolicy() {
      return schedulingPolicy;
    }

    private static int defaultPolicy() {
      String env = System.getenv("NODE_CLUSTER_SCHED_POLICY");
      return "none".equals(env) ? SCHED_NONE : SCHED_RR;
    }
  }

  /**
   * {@code cluster.setupPrimary(settings)}.
   *
   * @throws IllegalStateException in a worker
   */
  public ProcessCluster setupPrimary(Settings settings) {
    requirePrimary("setupPrimary");
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** {@code cluster.schedulingPolicy} (of the settings; the default before setupPrimary). */
  public int schedulingPolicy() {
    return settings != null ? settings.schedulingPolicy : Settings.defaultPolicy();
  }

  /** {@code cluster.workers}: the live workers by id (a snapshot). */
  public Map<Integer, Worker> workers() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(workers));
  }

  /** {@code cluster.fork()}. */
  public Worker fork() {
    return fork(null);
  }

  /**
   * {@code cluster.fork(env)}: a new worker JVM running the settings' main class, with
   * {@code env} added to its environment. {@code 'fork'} follows on the next tick, then
   * {@code 'online'} when the worker reports.
   *
   * @throws IllegalStateException in a worker, or before {@link #setupPrimary}
   */
  public Worker fork(Map<String, String> env) {
    requirePrimary("fork");
    node.checkThread();
    if (settings == null) {
      throw new IllegalStateException("call setupPrimary(new Settings(mainClass)) before fork()");
    }
    int id = ++nextId;
    Map<String, String> e = new LinkedHashMap<>();
    NodeChildProcess.Options base = settings.options;
    Map<String, String> baseEnv = base != null ? base.env() : null;
    e.putAll(baseEnv != null ? baseEnv : System.getenv());
    if (env != null) {
      e.putAll(env);
    }
    e.put("NODE_UNIQUE_ID", Integer.toString(id));
    e.put("NODE_CLUSTER_SCHED_POLICY", settings.schedulingPolicy == SCHED_NONE ? "none" : "rr");
    NodeChildProcess.Options o = base != null ? base.copy() : new NodeChildProcess.Options();
    o.env(e);
    Subprocess process = NodeChildProcess.of(node).fork(settings.mainClass, settings.args, o);
    Worker w = new Worker(id, process);
    workers.put(id, w);
    node.nextTick(() -> emit("fork", w));
    return w;
  }

  /**
   * {@code cluster.disconnect(callback)}: disconnects every worker; {@code callback} (may be
   * null) runs once all have disconnected.
   */
  public void disconnect(Runnable callback) {
    requirePrimary("disconnect");
    List<Worker> live = new ArrayList<>(workers.values());
    int[] left = {live.size()};
    for (Worker w : live) {
      if (w.process.connected()) {
        w.process.once("disconnect", () -> {
          if (--left[0] == 0 && callback != null) {
            callback.run();
          }
        });
        w.disconnect();
      } else {
        left[0]--;
      }
    }
    if (left[0] == 0 && callback != null) {
      node.nextTick(callback);
    }
  }

  private void requirePrimary(String what) {
    if (!primary) {
      throw new IllegalStateException(what + "() is the primary's: this process is cluster worker " + child.id);
    }
  }

  // ================================================================== primary: workers

  /**
   * A worker as the primary sees it: {@code worker.id}, {@code worker.process} (its
   * {@link Subprocess}: {@code pid()}), {@code send}, {@code kill}, {@code disconnect}; events
   * {@code 'online'}, {@code 'listening'} (address), {@code 'message'} (message, handle),
   * {@code 'disconnect'}, {@code 'exit'} (code, signal), {@code 'error'}.
   */
  public final class Worker extends EventEmitter {
    private final int id;
    private final Subprocess process;
    private String state = "none";
    private boolean exitedAfterDisconnect;
    private final Map<Integer, BiConsumer<Map<?, ?>, Object>> callbacks = new HashMap<>();
    private int seq;

    Worker(int id, Subprocess process) {
      this.id = id;
      this.process = process;
      process.on("internalMessage", a -> onInternal(a[0], a.length > 1 ? a[1] : null));
      process.on("message", a -> {
        Object handle = a.length > 1 ? a[1] : null;
        emit("message", a[0], handle);
        ProcessCluster.this.emit("message", this, a[0], handle);
      });
      process.on("error", a -> emit("error", a[0]));
      process.once("disconnect", () -> {
        if (!"dead".equals(state)) {
          state = "disconnected";
        }
        workerGone(this, false);
        emit("disconnect");
        ProcessCluster.this.emit("disconnect", this);
      });
      process.once("exit", a -> {
        state = "dead";
        workerGone(this, true);
        emit("exit", a[0], a[1]);
        ProcessCluster.this.emit("exit", this, a[0], a[1]);
      });
    }

    /** {@code worker.id}. */
    public int id() {
      return id;
    }

    /** {@code worker.process}. */
    public Subprocess process() {
      return process;
    }

    /** {@code worker.state}: none, online, listening, disconnected, dead. */
    public String state() {
      return state;
    }

    /** {@code worker.exitedAfterDisconnect}: true after {@link #kill}/{@link #disconnect}. */
    public boolean exitedAfterDisconnect() {
      return exitedAfterDisconnect;
    }

    /** {@code worker.isDead()}. */
    public boolean isDead() {
      return "dead".equals(state);
    }

    /** {@code worker.isConnected()}. */
    public boolean isConnected() {
      return process.connected();
    }

    /** {@code worker.send(message)}: to the worker's {@code ParentProcess} 'message'. */
    public boolean send(Object message) {
      return process.send(message);
    }

    /** {@code worker.send(message, handle)} ({@link Net.Server}, {@link Net.Socket} or {@link Tcp}). */
    public boolean send(Object message, Object handle) {
      return process.send(message, handle, null);
    }

    /** {@code worker.disconnect()}: closes the channel; the worker then exits. */
    public void disconnect() {
      exitedAfterDisconnect = true;
      if (process.connected()) {
        process.disconnect();
      }
    }

    /** {@code worker.kill()}: SIGTERM. */
    public void kill() {
      kill("SIGTERM");
    }

    /**
     * {@code worker.kill(signal)}: disconnects the channel, then signals the process (Node's
     * primary {@code worker.destroy}); {@link #exitedAfterDisconnect} becomes true.
     */
    public void kill(String signal) {
      exitedAfterDisconnect = true;
      if (process.connected()) {
        process.once("disconnect", () -> process.kill(signal));
        process.disconnect();
      } else {
        process.kill(signal);
      }
    }

    void sendInternal(Map<String, Object> message, Tcp handle, BiConsumer<Map<?, ?>, Object> reply,
        java.util.function.Consumer<Throwable> written) {
      if (!process.connected()) {
        if (written != null) {
          node.nextTick(() -> written.accept(new NodeError("ERR_IPC_CHANNEL_CLOSED", "Channel closed")));
        }
        return;
      }
      message.put("cmd", "NODE_CLUSTER");
      if (reply != null) {
        int s = ++seq;
        message.put("seq", s);
        callbacks.put(s, reply);
      }
      if (handle != null) {
        process.channel().sendHandle(message, handle, true, written);
      } else {
        process.send(message, written);
      }
    }

    private void onInternal(Object m, Object handle) {
      if (!(m instanceof Map) || !"NODE_CLUSTER".equals(((Map<?, ?>) m).get("cmd"))) {
        return;
      }
      Map<?, ?> msg = (Map<?, ?>) m;
      Object ack = msg.get("ack");
      if (ack instanceof Number) {
        BiConsumer<Map<?, ?>, Object> cb = callbacks.remove(((Number) ack).intValue());
        if (cb != null) {
          cb.accept(msg, handle);
        }
        return;
      }
      String act = String.valueOf(msg.get("act"));
      switch (act) {
        case "online":
          state = "online";
          emit("online");
          ProcessCluster.this.emit("online", this);
          break;
        case "queryServer":
          queryServer(this, msg);
          break;
        case "listening": {
          state = "listening";
          Map<String, Object> address = new LinkedHashMap<>();
          address.put("addressType", msg.get("addressType"));
          address.put("address", msg.get("address"));
          address.put("port", msg.get("port"));
          emit("listening", address);
          ProcessCluster.this.emit("listening", this, address);
          break;
        }
        case "close": {
          ClusterServers.SharedServer s = servers.get(String.valueOf(msg.get("key")));
          if (s != null) {
            s.remove(this);
          }
          break;
        }
        default:
          break;
      }
    }

    @Override
    public String toString() {
      return "Worker " + id + " (pid " + process.pid() + ", " + state + ")";
    }
  }

  private void workerGone(Worker w, boolean exited) {
    for (ClusterServers.SharedServer s : new ArrayList<>(servers.values())) {
      s.remove(w);
    }
    if (exited || w.isDead()) {
      workers.remove(w.id);
    }
  }

  // ================================================================== primary: servers

  private void queryServer(Worker w, Map<?, ?> msg) {
    String address = msg.get("address") == null ? null : String.valueOf(msg.get("address"));
    int port = ((Number) msg.get("port")).intValue();
    int addressType = msg.get("addressType") instanceof Number ? ((Number) msg.get("addressType")).intValue() : 4;
    Object index = msg.get("index");
    String key = address + ":" + port + ":" + addressType + ":undefined:" + index;
    Object seq = msg.get("seq");
    ClusterServers.SharedServer s = servers.get(key);
    if (s == null) {
      s = schedulingPolicy() == SCHED_NONE
          ? new ClusterServers.Shared(this, key, address, port) : new ClusterServers.RoundRobin(this, key, address, port);
      servers.put(key, s);
    }
    s.add(w, (errno, sockname, handle) -> {
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("ack", seq);
      reply.put("key", key);
      reply.put("errno", errno);
      reply.put("sockname", sockname);
      w.sendInternal(reply, handle, null, null);
    });
  }

  @FunctionalInterface
  interface AddReply {
    void reply(String errno, Map<String, Object> sockname, Tcp handle);
  }
}
