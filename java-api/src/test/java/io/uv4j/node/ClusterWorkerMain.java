package io.uv4j.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker JVM of {@link ProcessClusterTest} and the child of its handle-passing test.
 * {@code worker}: a cluster worker whose server (127.0.0.1, port 0, through the primary) answers
 * each connection with {@code pid N} and ends it (with {@code UV4J_HALT_ON_CONNECTION=1} it halts
 * with code 7 on its first connection instead, before acknowledging it to the primary). {@code handles}: a forked child that reports
 * each message it gets with the kind of handle that came with it; a received server answers
 * connections with {@code child N}, a received socket gets {@code socket from child N} and ends.
 */
public final class ClusterWorkerMain {
  private ClusterWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String pid = Long.toString(ProcessHandle.current().pid());
    int code = NodeRuntime.run(node -> {
      if (args[0].equals("worker")) {
        ProcessCluster cluster = ProcessCluster.of(node);
        if (!cluster.isWorker()) {
          throw new IllegalStateException("not a worker");
        }
        boolean halt = "1".equals(System.getenv("UV4J_HALT_ON_CONNECTION"));
        Net.Server server = Net.of(node).createServer(s -> {
          if (halt) {
            Runtime.getRuntime().halt(7); // dies holding a connection it never acknowledged
          }
          s.end("pid " + pid + "\n");
        });
        server.listen(0, "127.0.0.1", () -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("cmd", "listening");
          m.put("id", cluster.workerId());
          m.put("port", server.address().getPort());
          ParentProcess.of(node).send(m);
        });
        return;
      }
      ParentProcess parent = ParentProcess.of(node);
      List<Object> got = new ArrayList<>();
      List<Net.Server> servers = new ArrayList<>();
      parent.on("message", a -> {
        Object handle = a[1];
        String kind = handle == null ? "none" : handle.getClass().getSimpleName();
        got.add(a[0] + ":" + kind);
        if (handle instanceof Net.Server) {
          Net.Server s = (Net.Server) handle;
          servers.add(s);
          s.on("connection", c -> ((Net.Socket) c[0]).end("child " + pid + "\n"));
        } else if (handle instanceof Net.Socket) {
          ((Net.Socket) handle).end("socket from child " + pid + "\n");
        }
        if ("report".equals(a[0])) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("got", got);
          m.put("pid", pid);
          parent.send(m);
        } else if ("bye".equals(a[0])) {
          servers.forEach(Net.Server::close);
          parent.disconnect();
        }
      });
    });
    System.exit(code);
  }
}
