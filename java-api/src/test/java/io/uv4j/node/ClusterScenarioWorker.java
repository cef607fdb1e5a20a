package io.uv4j.node;

import java.util.LinkedHashMap;
import java.util.Map;

/** The worker of the cluster_order scenario's Java twin: the worker branch of cluster_order.js. */
public final class ClusterScenarioWorker {
  private ClusterScenarioWorker() {}

  public static void main(String[] args) throws Exception {
    int code = NodeRuntime.run(node -> {
      ProcessCluster cluster = ProcessCluster.of(node);
      Net.Server server = Net.of(node).createServer(s -> s.end("hello from worker " + cluster.workerId() + "\n"));
      server.listen(0, "127.0.0.1", () -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", "up");
        m.put("isWorker", cluster.isWorker());
        m.put("isPrimary", cluster.isPrimary());
        m.put("id", cluster.workerId());
        m.put("x", System.getenv("UV4J_X"));
        m.put("port", server.address().getPort());
        ParentProcess.of(node).send(m);
      });
    });
    System.exit(code);
  }
}
