package io.uv4j.node;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the cluster scenarios (cluster_*.js): the same program as NAME.js, line for line,
 * on {@link ProcessCluster}. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeClusterScenarios {
  private NodeClusterScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("cluster_order", NodeClusterScenarios::order);
  }

  // ------------------------------------------------------------------ cluster_order.js

  private static void order(NodeRuntime node, Consumer<String> log) {
    ProcessCluster cluster = ProcessCluster.of(node);
    cluster.setupPrimary(new ProcessCluster.Settings(ClusterScenarioWorker.class.getName()));
    log.accept("isPrimary " + cluster.isPrimary() + " isWorker " + cluster.isWorker() + " policy " + cluster.schedulingPolicy());
    ProcessCluster.Worker w = cluster.fork(Map.of("UV4J_X", "y"));
    node.setTimeout(() -> w.process().kill("SIGKILL"), 60_000).unref(); // only keeps a broken run from hanging
    log.accept("forked id " + w.id() + " state " + w.state() + " workers " + String.join(",", keys(cluster)));
    int[] upPort = {-1};
    cluster.on("fork", a -> log.accept("fork " + id(a[0])));
    cluster.on("online", a -> log.accept("online " + id(a[0]) + " state " + ((ProcessCluster.Worker) a[0]).state()));
    w.on("online", () -> log.accept("worker online"));
    cluster.on("message", a -> {
      Map<?, ?> m = (Map<?, ?>) a[1];
      upPort[0] = ((Number) m.get("port")).intValue();
      log.accept("message " + id(a[0]) + " " + m.get("cmd") + " isWorker=" + m.get("isWorker") + " isPrimary="
          + m.get("isPrimary") + " id=" + m.get("id") + " x=" + m.get("x") + " handle=" + (a[2] == null ? "undefined" : a[2]));
    });
    cluster.on("listening", a -> {
      ProcessCluster.Worker lw = (ProcessCluster.Worker) a[0];
      Map<?, ?> address = (Map<?, ?>) a[1];
      int port = ((Number) address.get("port")).intValue();
      log.accept("listening " + lw.id() + " " + address.get("address") + " " + address.get("addressType")
          + " samePort " + (port == upPort[0]) + " state " + lw.state());
      Net.Socket c = Net.of(node).connect(port, "127.0.0.1");
      StringBuilder got = new StringBuilder();
      c.on("data", d -> got.append(new String((byte[]) d[0], java.nio.charset.StandardCharsets.UTF_8)));
      c.on("end", () -> {
        log.accept("client got " + got.toString().trim());
        lw.disconnect();
      });
    });
    cluster.on("disconnect", a -> log.accept("disconnect " + id(a[0]) + " exitedAfterDisconnect "
        + ((ProcessCluster.Worker) a[0]).exitedAfterDisconnect()));
    cluster.on("exit", a -> log.accept("exit " + id(a[0]) + " " + a[1] + " " + a[2] + " dead "
        + ((ProcessCluster.Worker) a[0]).isDead() + " workers " + cluster.workers().size()));
  }

  private static int id(Object worker) {
    return ((ProcessCluster.Worker) worker).id();
  }

  private static List<String> keys(ProcessCluster cluster) {
    return cluster.workers().keySet().stream().map(String::valueOf).toList();
  }
}
