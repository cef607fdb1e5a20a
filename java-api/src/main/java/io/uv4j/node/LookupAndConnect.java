package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;

/**
 * What a connecting {@link NetSocket} does with the answer of its host's lookup (Node 20's
 * lookupAndConnect and lookupAndConnectMultiple in lib/net.js): the {@code 'lookup'} events,
 * the errors, and the addresses to try.
 */
final class LookupAndConnect {
  private LookupAndConnect() {}

  /** Node's lookupAndConnect without autoSelectFamily: the first address. */
  static void one(NetSocket s, NodeRuntime node, String h, int port, NodeError err, List<NodeDns.LookupAddress> all) {
    NodeDns.LookupAddress a = err != null || all.isEmpty() ? null : all.get(0);
    s.emit("lookup", err, a == null ? null : a.address(), a == null ? null : a.family(), h);
    if (!s.connecting()) {
      return;
    }
    if (err != null) {
      node.nextTick(() -> s.destroy(err));
    } else if (a == null || Net.isIP(a.address()) == 0) {
      String shown = a == null ? "undefined" : a.address();
      node.nextTick(() -> s.destroy(new NodeError("ERR_INVALID_IP_ADDRESS", "Invalid IP address: " + shown)));
    } else {
      s.unrefTimer();
      s.internalConnect(Net.literal(a.address()), port);
    }
  }

  /** Node 20's lookupAndConnectMultiple: every address; happy eyeballs when both families answer. */
  static void all(NetSocket s, NodeRuntime node, String h, int port, long attemptTimeout, NodeError err,
      List<NodeDns.LookupAddress> all) {
    if (!s.connecting()) {
      return;
    }
    if (err != null) {
      s.emit("lookup", err, null, null, h);
      node.nextTick(() -> s.destroy(err));
      return;
    }
    if (all.isEmpty()) { // getaddrinfo answering nothing, without an error
      node.nextTick(() -> s.destroy(new NodeError("ERR_INVALID_IP_ADDRESS", "Invalid IP address: undefined")));
      return;
    }
    // Valid addresses by family, the first family seen first; each address once.
    List<NodeDns.LookupAddress> first = new ArrayList<>();
    List<NodeDns.LookupAddress> second = new ArrayList<>();
    int firstFamily = 0;
    for (NodeDns.LookupAddress a : all) {
      s.emit("lookup", null, a.address(), a.family(), h);
      if (!s.connecting()) {
        return;
      }
      if (a.address() != null && Net.isIP(a.address()) != 0 && (a.family() == 4 || a.family() == 6)) {
        if (firstFamily == 0) {
          firstFamily = a.family();
        }
        List<NodeDns.LookupAddress> to = a.family() == firstFamily ? first : second;
        if (to.stream().noneMatch(x -> x.address().equals(a.address()))) {
          to.add(a);
        }
      }
    }
    if (first.isEmpty()) {
      NodeDns.LookupAddress a = all.get(0);
      NodeError e = a.address() == null || Net.isIP(a.address()) == 0
          ? new NodeError("ERR_INVALID_IP_ADDRESS", "Invalid IP address: " + a.address())
          : new NodeError("ERR_INVALID_ADDRESS_FAMILY", "Invalid address family: " + a.family() + " " + h + ":" + port);
      node.nextTick(() -> s.destroy(e));
      return;
    }
    List<NodeDns.LookupAddress> toAttempt = new ArrayList<>();
    for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
      if (i < first.size()) {
        toAttempt.add(first.get(i));
      }
      if (i < second.size()) {
        toAttempt.add(second.get(i));
      }
    }
    if (toAttempt.size() == 1) {
      s.unrefTimer();
      s.internalConnect(Net.literal(toAttempt.get(0).address()), port);
      return;
    }
    s.connectMultiple(toAttempt, port, attemptTimeout);
  }
}
