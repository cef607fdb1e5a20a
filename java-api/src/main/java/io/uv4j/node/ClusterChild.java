package io.uv4j.node;

import io.uv4j.Tcp;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** A worker's side: its channel to the primary and its servers. */
final class ClusterChild {
  private final ProcessCluster cluster;
  final int id;
  private final ParentProcess parent;
  private final Map<Integer, BiConsumer<Map<?, ?>, Object>> callbacks = new HashMap<>();
  private final Map<String, Net.Server> rrServers = new HashMap<>();
  private final Map<String, Integer> indexes = new HashMap<>();
  private int seq;

  ClusterChild(ProcessCluster cluster) {
    this.cluster = cluster;
    int n;
    try {
      n = Integer.parseInt(System.getenv("NODE_UNIQUE_ID"));
    } catch (NumberFormatException e) {
      n = 0;
    }
    this.id = n;
    this.parent = ParentProcess.of(cluster.node);
    if (parent == null) {
      throw new IllegalStateException("NODE_UNIQUE_ID is set but this process has no IPC channel to a primary");
    }
    parent.on("internalMessage", a -> onInternal(a[0], a.length > 1 ? a[1] : null));
    // Not a listener (those keep the channel referenced): the primary's disconnect ends the worker.
    // As in Node, a worker whose primary disconnects it (worker.kill, disconnect, the primary
    // died) exits with code 0.
    parent.prependListener("disconnect", () -> cluster.node.exit(0));
    send(msg("online"), null);
  }

  private Map<String, Object> msg(String act) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cmd", "NODE_CLUSTER");
    m.put("act", act);
    return m;
  }

  private void send(Map<String, Object> m, BiConsumer<Map<?, ?>, Object> reply) {
    if (reply != null) {
      int s = ++seq;
      m.put("seq", s);
      callbacks.put(s, reply);
      parent.holdRef(); // waiting for an answer keeps the worker alive
    }
    if (parent.connected()) {
      parent.send(m);
    }
  }

  void listen(Net.Server server, String host, int port, int backlog) {
    String address = host == null ? null : Net.literal(host).getHostAddress();
    int addressType = address == null ? 4 : Net.isIP(address);
    String indexKey = address + ":" + port + ":" + addressType;
    int index = indexes.merge(indexKey, 1, Integer::sum) - 1;
    Map<String, Object> q = msg("queryServer");
    q.put("address", address);
    q.put("port", port);
    q.put("addressType", addressType);
    q.put("fd", null);
    q.put("index", index);
    q.put("backlog", backlog);
    send(q, (reply, handle) -> {
      parent.releaseRef();
      Object errno = reply.get("errno");
      if (errno != null) {
        if (handle instanceof Tcp) {
          ((Tcp) handle).close();
        }
        server.clusterError(new NodeError(String.valueOf(errno), "listen " + errno + " "
            + (address == null ? "" : address) + ":" + port));
        return;
      }
      String key = String.valueOf(reply.get("key"));
      InetSocketAddress sockname = sockname(reply.get("sockname"), port);
      if (handle instanceof Tcp) { // SCHED_NONE: listen on the shared socket
        server.listenOn((Tcp) handle, backlog);
      } else {
        rrServers.put(key, server);
        parent.holdRef(); // connections come over the channel while this server listens
        server.rrListening(sockname, () -> {
          rrServers.remove(key);
          parent.releaseRef();
          Map<String, Object> c = msg("close");
          c.put("key", key);
          send(c, null);
        });
      }
    });
    // As in Node: reported after the server's own 'listening' listeners (registered first) ran.
    server.once("listening", () -> {
      InetSocketAddress a = server.address();
      Map<String, Object> l = msg("listening");
      l.put("address", address);
      l.put("port", a != null ? a.getPort() : port);
      l.put("addressType", addressType);
      l.put("fd", null);
      send(l, null);
    });
  }

  private InetSocketAddress sockname(Object s, int port) {
    if (!(s instanceof Map)) {
      return null;
    }
    Map<?, ?> m = (Map<?, ?>) s;
    try {
      return new InetSocketAddress(Net.literal(String.valueOf(m.get("address"))),
          ((Number) m.get("port")).intValue());
    } catch (RuntimeException e) {
      return null;
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
      } else if (handle instanceof Tcp) {
        ((Tcp) handle).close();
      }
      return;
    }
    if ("newconn".equals(msg.get("act"))) {
      Net.Server server = rrServers.get(String.valueOf(msg.get("key")));
      boolean accepted = server != null && handle instanceof Tcp && server.clusterConnection((Tcp) handle);
      if (!accepted && handle instanceof Tcp) {
        ((Tcp) handle).close();
      }
      Map<String, Object> reply = new LinkedHashMap<>();
      reply.put("cmd", "NODE_CLUSTER");
      reply.put("ack", msg.get("seq"));
      reply.put("accepted", accepted);
      if (parent.connected()) {
        parent.send(reply);
      }
    } else if (handle instanceof Tcp) {
      ((Tcp) handle).close();
    }
  }
}
