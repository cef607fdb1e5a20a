package io.uv4j.node;

import io.uv4j.Dns;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Node's {@code dns.lookup}: libuv's getaddrinfo on the thread pool (as Node does it, not a DNS
 * protocol client), completing through {@link NodeRuntime#makeCallback}. IP literals are answered
 * without a lookup, on the next tick, like Node.
 *
 * <pre>{@code
 * NodeDns.of(node).lookup("localhost", 4, (err, a) -> System.out.println(a.address() + " " + a.family()));
 * }</pre>
 */
public final class NodeDns {
  /** One answer: the address as text and its family, 4 or 6. */
  public static final class LookupAddress {
    private final String address;
    private final int family;

    LookupAddress(String address, int family) {
      this.address = address;
      this.family = family;
    }

    public String address() {
      return address;
    }

    public int family() {
      return family;
    }

    /** As Node's JSON.stringify prints it: {"address":"::1","family":6}. */
    @Override
    public String toString() {
      return "{\"address\":\"" + address + "\",\"family\":" + family + "}";
    }
  }

  private final NodeRuntime node;
  private final Dns dns;

  private NodeDns(NodeRuntime node) {
    this.node = Objects.requireNonNull(node, "node");
    this.dns = new Dns(node.loop());
  }

  public static NodeDns of(NodeRuntime node) {
    return new NodeDns(node);
  }

  /** {@code dns.lookup(hostname, callback)}: the first address of any family. */
  public void lookup(String hostname, NodeCallback<LookupAddress> callback) {
    lookup(hostname, 0, callback);
  }

  /**
   * {@code dns.lookup(hostname, {family}, callback)}; family 0, 4 or 6 (another throws Node's
   * ERR_INVALID_ARG_VALUE {@link NodeError}).
   */
  public void lookup(String hostname, int family, NodeCallback<LookupAddress> callback) {
    Objects.requireNonNull(callback, "callback");
    if (hostname != null && hostname.isEmpty()) {
      checkFamily(family);
      node.checkThread();
      warnEmptyHostname();
      // Node: (null, null, family === 6 ? 6 : 4) on the next tick, nothing looked up.
      LookupAddress none = new LookupAddress(null, family == 6 ? 6 : 4);
      node.nextTick(() -> callback.call(null, none));
      return;
    }
    lookupAll(hostname, family, (err, all) -> callback.call(err, err != null ? null : all.get(0)));
  }

  /** {@code dns.lookup(hostname, {family, all: true}, callback)}. */
  public void lookupAll(String hostname, int family, NodeCallback<List<LookupAddress>> callback) {
    lookupAll(hostname, family, 0, callback);
  }

  /** {@code dns.lookup(hostname, {family, hints, all: true}, callback)}: {@code hints} are getaddrinfo's AI_ flags. */
  void lookupAll(String hostname, int family, int hints, NodeCallback<List<LookupAddress>> callback) {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(callback, "callback");
    checkFamily(family);
    node.checkThread();
    if (hostname.isEmpty()) {
      warnEmptyHostname();
      node.nextTick(() -> callback.call(null, List.of()));
      return;
    }
    int literal = literalFamily(hostname);
    if (literal != 0) {
      List<LookupAddress> one = List.of(new LookupAddress(hostname, literal));
      node.nextTick(() -> callback.call(null, one));
      return;
    }
    Dns.Family f = family == 4 ? Dns.Family.INET : family == 6 ? Dns.Family.INET6 : Dns.Family.UNSPEC;
    dns.getaddrinfo(hostname, null, new Dns.Hints(f, Dns.SOCK_STREAM, 0, hints), (addresses, error) ->
        node.makeCallback(() -> {
          if (error != null) {
            callback.call(SystemError.dns(error, "getaddrinfo", hostname), null);
            return;
          }
          List<LookupAddress> out = new ArrayList<>();
          for (InetSocketAddress a : addresses) {
            InetAddress ip = a.getAddress();
            out.add(new LookupAddress(ip.getHostAddress().replaceFirst("%.*$", ""),
                ip instanceof Inet6Address ? 6 : 4));
          }
          callback.call(null, Collections.unmodifiableList(out));
        }));
  }

  /** Node's validateOneOf(options.family, 'options.family', [0, 4, 6]): thrown at the call. */
  private static void checkFamily(int family) {
    if (family != 0 && family != 4 && family != 6) {
      throw new NodeError("ERR_INVALID_ARG_VALUE",
          "The property 'options.family' must be one of: 0, 4, 6. Received " + family);
    }
  }

  /** Node's DEP0118 warning, once per runtime (a process warning: stderr and 'warning'). */
  private void warnEmptyHostname() {
    if (!node.warnedEmptyHostname) {
      node.warnedEmptyHostname = true;
      node.emitWarning("The provided hostname \"\" is not a valid"
          + " hostname, and is supported in the dns module solely for compatibility.", "DeprecationWarning", "DEP0118");
    }
  }

  /**
   * {@code dns.promises.lookup(hostname, {family})}. As in Node, an empty name or an IP literal
   * settles the promise at once (no tick), a name goes through getaddrinfo.
   */
  public Promise<LookupAddress> lookup(String hostname, int family) {
    checkFamily(family); // thrown, not a rejection: Node validates before making the promise
    return Promise.create(node, (resolve, reject) -> {
      if (hostname != null && hostname.isEmpty()) {
        checkFamily(family);
        warnEmptyHostname();
        resolve.accept(new LookupAddress(null, family == 6 ? 6 : 4));
        return;
      }
      int literal = hostname == null ? 0 : literalFamily(hostname);
      if (literal != 0) {
        checkFamily(family);
        resolve.accept(new LookupAddress(hostname, literal));
        return;
      }
      lookup(hostname, family, (err, a) -> {
        if (err != null) {
          reject.accept(err);
        } else {
          resolve.accept(a);
        }
      });
    });
  }

  /** {@code dns.promises}. */
  public Promises promises() {
    return new Promises();
  }

  /** {@code dns.promises}: the lookups returning {@link Promise}s (rejected with the SystemError). */
  public final class Promises {
    private Promises() {}

    /** {@code dnsPromises.lookup(hostname)}. */
    public Promise<LookupAddress> lookup(String hostname) {
      return NodeDns.this.lookup(hostname, 0);
    }

    /** {@code dnsPromises.lookup(hostname, {family})}. */
    public Promise<LookupAddress> lookup(String hostname, int family) {
      return NodeDns.this.lookup(hostname, family);
    }

    /** {@code dnsPromises.lookup(hostname, {family, all: true})}. */
    public Promise<List<LookupAddress>> lookupAll(String hostname, int family) {
      checkFamily(family);
      return Promise.create(node, (resolve, reject) -> {
        int literal = hostname == null || hostname.isEmpty() ? 0 : literalFamily(hostname);
        if (literal != 0 || (hostname != null && hostname.isEmpty())) {
          checkFamily(family);
          if (literal == 0) {
            warnEmptyHostname();
          }
          resolve.accept(literal == 0 ? List.of() : List.of(new LookupAddress(hostname, literal)));
          return;
        }
        NodeDns.this.lookupAll(hostname, family, (err, a) -> {
          if (err != null) {
            reject.accept(err);
          } else {
            resolve.accept(a);
          }
        });
      });
    }
  }

  /** 4 or 6 for an IP literal (net.isIP), else 0; never resolves anything. */
  static int literalFamily(String host) {
    if (host.matches("(\\d{1,3})(\\.\\d{1,3}){3}")) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return 0;
        }
      }
      return 4;
    }
    if (host.indexOf(':') >= 0 && host.matches("[0-9A-Fa-f:.]+(%[\\w.-]+)?")) {
      return 6;
    }
    return 0;
  }

  static boolean isInet4(InetAddress a) {
    return a instanceof Inet4Address;
  }
}
