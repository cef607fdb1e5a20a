package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The primary's listening sockets of a {@link ProcessCluster} (Node's lib/internal/cluster
 * shared_handle.js and round_robin_handle.js): {@code Shared} hands the bound socket to every
 * worker (SCHED_NONE), {@code RoundRobin} accepts and hands each connection to the next free
 * worker (SCHED_RR).
 */
final class ClusterServers {
  private ClusterServers() {}

  /** Node's RoundRobinHandle / SharedHandle: one per (address, port, index). */
  abstract static class SharedServer {
    final ProcessCluster cluster;
    final String key;
    final List<ProcessCluster.Worker> all = new ArrayList<>();
    Tcp tcp;
    UvException bindError;
    String shown;

    SharedServer(ProcessCluster cluster, String key, String address, int port) {
      this.cluster = cluster;
      this.key = key;
      Tcp h = new Tcp(cluster.node.loop());
      try {
        if (address == null) {
          try {
            h.bind(new InetSocketAddress(InetAddress.getByName("::"), port));
            shown = "::";
          } catch (UvException e6) {
            h.close();
            h = new Tcp(cluster.node.loop());
            shown = "0.0.0.0";
            h.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
          }
        } else {
          shown = address;
          h.bind(new InetSocketAddress(Net.literal(address), port));
        }
        tcp = h;
      } catch (UvException e) {
        h.close();
        bindError = e;
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }

    Map<String, Object> sockname() {
      try {
        InetSocketAddress a = tcp.localAddress();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", a.getAddress().getHostAddress());
        m.put("family", a.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4");
        m.put("port", a.getPort());
        return m;
      } catch (UvException e) {
        return null;
      }
    }

    abstract void add(ProcessCluster.Worker w, ProcessCluster.AddReply reply);

    void remove(ProcessCluster.Worker w) {
      if (!all.remove(w)) {
        return;
      }
      removed(w);
      if (all.isEmpty()) {
        cluster.servers.remove(key);
        if (tcp != null && !tcp.isClosing()) {
          tcp.close();
        }
        closed();
      }
    }

    void removed(ProcessCluster.Worker w) {}

    void closed() {}
  }

  static final class Shared extends SharedServer {
    Shared(ProcessCluster cluster, String key, String address, int port) {
      super(cluster, key, address, port);
    }

    @Override
    void add(ProcessCluster.Worker w, ProcessCluster.AddReply reply) {
      if (bindError != null) {
        reply.reply(bindError.errorName(), null, null);
        cluster.servers.remove(key);
        return;
      }
      all.add(w);
      reply.reply(null, sockname(), tcp); // the bound socket itself: the worker listens on it
    }
  }

  static final class RoundRobin extends SharedServer {
    private final ArrayDeque<ProcessCluster.Worker> free = new ArrayDeque<>();
    private final ArrayDeque<Tcp> pending = new ArrayDeque<>();
    private final Map<ProcessCluster.Worker, Tcp> inFlight = new HashMap<>();
    private UvException listenError;

    RoundRobin(ProcessCluster cluster, String key, String address, int port) {
      super(cluster, key, address, port);
      if (tcp != null) {
        try {
          tcp.listen(Net.DEFAULT_BACKLOG, (s, err) -> cluster.node.makeCallback(() -> onConnection(err)));
        } catch (UvException e) {
          tcp.close();
          tcp = null;
          listenError = e;
        }
      }
    }

    @Override
    void add(ProcessCluster.Worker w, ProcessCluster.AddReply reply) {
      UvException e = bindError != null ? bindError : listenError;
      if (e != null) {
        reply.reply(e.errorName(), null, null);
        cluster.servers.remove(key);
        return;
      }
      all.add(w);
      reply.reply(null, sockname(), null);
      handoff(w);
    }

    private void onConnection(UvException err) {
      if (err != null || tcp == null) {
        return; // e.g. EMFILE: the connection stays in the backlog
      }
      Tcp c = new Tcp(cluster.node.loop());
      try {
        tcp.accept(c);
      } catch (UncheckedIOException ex) {
        c.close();
        return;
      }
      pending.add(c);
      ProcessCluster.Worker w = free.poll();
      if (w != null) {
        handoff(w);
      }
    }

    private void handoff(ProcessCluster.Worker w) {
      if (!all.contains(w)) {
        return;
      }
      Tcp c = pending.poll();
      if (c == null) {
        free.add(w);
        return;
      }
      inFlight.put(w, c);
      Map<String, Object> msg = new LinkedHashMap<>();
      msg.put("act", "newconn");
      msg.put("key", key);
      w.sendInternal(msg, c, (reply, h) -> {
        if (inFlight.remove(w) != c) {
          return; // the worker went away: c was passed on already
        }
        if (Boolean.TRUE.equals(reply.get("accepted"))) {
          c.close(); // the worker has its own copy
        } else {
          requeue(c);
        }
        handoff(w);
      }, err -> {
        if (err != null && inFlight.get(w) == c) { // never reached the worker
          inFlight.remove(w);
          requeue(c);
        }
      });
    }

    private void requeue(Tcp c) {
      pending.addFirst(c);
      ProcessCluster.Worker next = free.poll();
      if (next != null) {
        handoff(next);
      }
    }

    @Override
    void removed(ProcessCluster.Worker w) {
      free.remove(w);
      Tcp c = inFlight.remove(w);
      if (c != null) {
        requeue(c); // not acknowledged: the primary still holds it, another worker gets it
      }
    }

    @Override
    void closed() {
      Tcp c;
      while ((c = pending.poll()) != null) {
        c.close();
      }
    }
  }
}
