package io.uv4j.fuzz;

import io.uv4j.node.Net;
import io.uv4j.node.NodeCallback;
import io.uv4j.node.NodeDgram;
import io.uv4j.node.NodeDns;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The Node-layer fuzzer's net (servers, client and accepted sockets), dgram and dns operations,
 * between its own sockets on the loopback interface (see {@link NodeApiFuzzer}). Host names are
 * only {@code localhost} and literals: nothing leaves the machine or waits for a resolver.
 */
final class NodeFuzzNet {
  final NodeApiFuzzer f;
  final List<Net.Server> servers = new ArrayList<>();
  final List<Integer> ports = new ArrayList<>();
  /** Ports of servers closed since: connecting there is refused (unless reused meanwhile). */
  final List<Integer> closedPorts = new ArrayList<>();
  final List<Net.Socket> sockets = new ArrayList<>();
  final List<NodeDgram.Socket> udp = new ArrayList<>();
  final List<Integer> udpPorts = new ArrayList<>();
  static final String[] HOSTS = {"127.0.0.1", "127.0.0.1", "127.0.0.1", "localhost", "::1", "", null,
      "256.1.1.1", "0.0.0.0", "::ffff:127.0.0.1"};
  static final int[] BAD_PORTS = {-1, 65536, 0, Integer.MIN_VALUE, 1};

  NodeFuzzNet(NodeApiFuzzer f) {
    this.f = f;
    f.cleanups.add(this::cleanup);
  }

  Net net() {
    return f.node.net();
  }

  // ------------------------------------------------------------------ servers

  void server(Random r) {
    int what = r.nextInt(8);
    Net.Server s = servers.isEmpty() ? null : servers.get(r.nextInt(servers.size()));
    f.log("net server " + what);
    switch (what) {
      case 0: case 1: case 2:
        if (servers.size() < 4) {
          f.api("createServer+listen", () -> {
            Net.Server srv = net().createServer(new Net.ServerOptions(r.nextBoolean()), sock -> accepted(sock, r.nextLong()));
            servers.add(srv);
            if (r.nextInt(5) != 0) {
              srv.on("error", a -> f.behave("server error"));
            }
            int port = r.nextInt(8) == 0 && !ports.isEmpty() ? ports.get(0) : r.nextInt(10) == 0 ? BAD_PORTS[r.nextInt(2)] : 0;
            srv.listen(port, r.nextInt(10) == 0 ? HOSTS[r.nextInt(HOSTS.length)] : "127.0.0.1", () -> {
              if (!servers.contains(srv)) {
                // closed (or cleaned up) while its host lookup ran: Node listens after close() then too
                f.api("close late listener", () -> srv.close());
                return;
              }
              f.api("server address", () -> {
                java.net.InetSocketAddress a = srv.address();
                if (a != null) {
                  ports.add(a.getPort());
                }
              });
              f.behave("listening");
            });
          });
        }
        break;
      case 3:
        if (s != null) {
          servers.remove(s);
          java.net.InetSocketAddress a = s.address();
          if (a != null) {
            ports.remove((Integer) a.getPort());
            closedPorts.add(a.getPort());
          }
          NodeApiFuzzer.Once o = f.expect("server.close callback", false);
          f.api("server close (live sockets stay)", () -> s.close(e -> {
            o.fire();
            f.behave("server close cb");
          }));
        }
        break;
      case 4:
        if (s != null) {
          f.api("server close twice", () -> s.close(e -> f.behave("close cb 2")));
        }
        break;
      case 5:
        if (s != null) {
          f.api("server queries", () -> {
            s.listening();
            s.connections();
            s.maxConnections(new int[] {-1, 0, 1, 100}[r.nextInt(4)]);
            s.getConnections((e, n) -> f.behave("getConnections"));
          });
        }
        break;
      case 6:
        if (s != null) {
          f.api("server ref/unref", () -> {
            if (r.nextBoolean()) {
              s.unref();
            } else {
              s.ref();
            }
          });
        }
        break;
      default:
        if (s != null) {
          f.api("listen again", () -> s.listen(0, "127.0.0.1", () -> {
            if (!servers.contains(s)) {
              f.api("close late listener", () -> s.close());
            }
          }));
        }
        break;
    }
  }

  /** An accepted socket: echoes, ends, destroys or pauses, as its seed says. */
  void accepted(Net.Socket sock, long seed) {
    Random r = new Random(seed);
    if (f.finishing && !f.exitMode) {
      f.api("destroy late accepted socket", () -> sock.destroy());
      return;
    }
    sockets.add(sock);
    int mode = r.nextInt(6);
    f.cbLog("accepted mode " + mode);
    if (r.nextInt(6) != 0) {
      sock.on("error", a -> f.behave("accepted error"));
    }
    sock.on("data", a -> {
      if (mode == 0) {
        f.api("echo", () -> sock.write(a[0], e -> { })); // bytes, or a string once an encoding is set
      } else if (mode == 1) {
        f.api("end on data", () -> sock.end());
      } else if (mode == 2) {
        f.api("destroy on data", () -> sock.destroy());
      } else if (mode == 3) {
        f.api("pause on data", () -> sock.pause());
      }
      f.behave("accepted data");
    });
    if (mode == 4) {
      f.api("end at once", () -> sock.end("bye"));
    }
  }

  // ------------------------------------------------------------------ clients

  void connect(Random r) {
    if (sockets.size() > 40) {
      Net.Socket old = sockets.remove(0);
      f.api("destroy old socket", () -> old.destroy());
    }
    int port;
    int k = r.nextInt(10);
    if (k < 6 && !ports.isEmpty()) {
      port = ports.get(r.nextInt(ports.size()));
    } else if (k < 8 && !closedPorts.isEmpty()) {
      port = closedPorts.get(r.nextInt(closedPorts.size()));
    } else {
      port = BAD_PORTS[r.nextInt(BAD_PORTS.length)];
    }
    String host = r.nextInt(5) == 0 ? HOSTS[r.nextInt(HOSTS.length)] : "127.0.0.1";
    f.log("net connect " + host + ":" + port);
    f.api("net.connect", () -> {
      Net.Socket s;
      if (r.nextInt(4) == 0) {
        Net.ConnectOptions o = Net.ConnectOptions.of(port, host).withAutoSelectFamily(r.nextBoolean());
        if (r.nextInt(3) == 0) {
          o = o.withAutoSelectFamilyAttemptTimeout(new int[] {-1, 0, 1, 10, 250}[r.nextInt(5)]);
        }
        if (r.nextInt(4) == 0) {
          o = o.withLookup((h, cb) -> f.node.setImmediate(() -> {
            if (r.nextBoolean()) {
              cb.call(null, List.of());
            } else {
              f.node.dns().lookupAll(h, 0, cb);
            }
          }));
        }
        s = net().connect(o, f.cb("connect listener"));
      } else {
        s = net().connect(port, host, f.cb("connect listener"));
      }
      sockets.add(s);
      if (r.nextInt(5) != 0) {
        s.on("error", a -> f.behave("client error"));
      }
      s.on("data", a -> f.behave("client data"));
      if (r.nextBoolean()) {
        s.write("hello " + r.nextInt(), e -> f.behave("first write cb"));
      }
    });
  }

  void socket(Random r) {
    if (sockets.isEmpty()) {
      connect(r);
      return;
    }
    Net.Socket s = sockets.get(r.nextInt(sockets.size()));
    int what = r.nextInt(16);
    f.log("net socket op " + what + " on " + s.readyState());
    switch (what) {
      case 0: case 1: case 2: {
        byte[] d = NodeFuzzFs.data(r);
        f.api("socket write", () -> s.write(d, e -> f.behave("write cb")));
        break;
      }
      case 3:
        f.api("socket write string", () -> s.write(r.nextBoolean() ? "text" : null));
        break;
      case 4:
        f.api("socket end", () -> s.end(r.nextBoolean() ? null : "last", e -> f.behave("end cb")));
        break;
      case 5:
        f.api("socket end twice + write after end", () -> {
          s.end();
          s.end();
          s.write("after end", e -> f.behave("write-after-end cb"));
        });
        break;
      case 6:
        f.api("socket destroy", () -> {
          s.destroy(r.nextBoolean() ? null : new Documented.FuzzException("destroy reason"));
          if (r.nextBoolean()) {
            s.destroy();
          }
        });
        break;
      case 7:
        f.api("socket pause/resume", () -> {
          if (r.nextBoolean()) {
            s.pause();
          } else {
            s.resume();
          }
        });
        break;
      case 8:
        f.api("socket setTimeout", () -> s.setTimeout(new long[] {-1, 0, 1, 5, 1L << 40}[r.nextInt(5)], f.cb("socket timeout")));
        break;
      case 9:
        f.api("socket options", () -> {
          s.setNoDelay(r.nextBoolean());
          s.setKeepAlive(r.nextBoolean(), new int[] {-1, 0, 500, 2000}[r.nextInt(4)]);
        });
        break;
      case 10:
        f.api("socket queries", () -> {
          s.address();
          s.remoteAddress();
          s.remoteFamily();
          s.localFamily();
          s.bytesRead();
          s.bytesWritten();
          s.pending();
          s.connecting();
          s.writeQueueSize();
          s.readableLength();
          s.writableLength();
        });
        break;
      case 11:
        f.api("socket setEncoding", () -> s.setEncoding(new String[] {"utf8", "hex", "base64", "bogus", null}[r.nextInt(5)]));
        break;
      case 12:
        f.api("socket ref/unref", () -> {
          if (r.nextBoolean()) {
            s.unref();
          } else {
            s.ref();
          }
        });
        break;
      case 13:
        f.api("socket reconnect", () -> s.connect(ports.isEmpty() ? 1 : ports.get(0), "127.0.0.1", f.cb("reconnect")));
        break;
      case 14: {
        Net.Socket t = sockets.get(r.nextInt(sockets.size()));
        f.api("socket pipe", () -> s.pipe(t));
        break;
      }
      default:
        f.api("socket read", () -> {
          if (s.readableEncoding() == null) {
            s.read(); // bytes; with an encoding set, read() is readString() in Java
          } else {
            s.readString();
          }
        });
        break;
    }
  }

  // ------------------------------------------------------------------ dgram

  void dgram(Random r) {
    NodeDgram.Socket s = udp.isEmpty() ? null : udp.get(r.nextInt(udp.size()));
    int what = r.nextInt(12);
    f.log("dgram op " + what);
    switch (what) {
      case 0: case 1:
        if (udp.size() < 6) {
          String type = new String[] {"udp4", "udp4", "udp6", "bogus", null}[r.nextInt(5)];
          f.api("createSocket", () -> {
            NodeDgram.Socket u = NodeDgram.of(f.node).createSocket(type, a -> f.behave("message"));
            udp.add(u);
            if (r.nextInt(5) != 0) {
              u.on("error", a -> f.behave("udp error"));
            }
            int port = r.nextInt(8) == 0 ? BAD_PORTS[r.nextInt(BAD_PORTS.length)] : 0;
            String addr = r.nextInt(8) == 0 ? HOSTS[r.nextInt(HOSTS.length)] : "udp6".equals(type) ? "::1" : "127.0.0.1";
            // The bind callback never throws: a 'listening' listener that throws stops the emit
            // before the queued sends and close() run (in Node too), and the socket stays open.
            u.bind(port, addr, () -> f.api("udp address", () -> udpPorts.add(u.address().port())));
          });
        }
        break;
      case 2: case 3: case 4:
        if (s != null) {
          int port = !udpPorts.isEmpty() && r.nextInt(4) != 0 ? udpPorts.get(r.nextInt(udpPorts.size()))
              : BAD_PORTS[r.nextInt(BAD_PORTS.length)];
          byte[] d = new byte[new int[] {0, 1, 100, 1400, 70_000}[r.nextInt(5)]];
          String host = r.nextInt(6) == 0 ? HOSTS[r.nextInt(HOSTS.length)] : "127.0.0.1";
          NodeApiFuzzer.Once o = f.expect("dgram send callback", false);
          f.api("udp send", () -> s.send(d, port, host, (e, n) -> {
            o.fire();
            f.behave("send cb");
          }));
        }
        break;
      case 5:
        if (s != null) {
          f.api("udp close", () -> s.close(r.nextBoolean() ? null : f.cb("udp close cb")));
          if (r.nextBoolean()) {
            udp.remove(s);
          }
        }
        break;
      case 6:
        if (s != null) {
          int port = udpPorts.isEmpty() ? 9 : udpPorts.get(r.nextInt(udpPorts.size()));
          f.api("udp connect", () -> s.connect(r.nextInt(6) == 0 ? -1 : port, "127.0.0.1", e -> f.behave("udp connect cb")));
        }
        break;
      case 7:
        if (s != null) {
          f.api("udp disconnect", s::disconnect);
          f.api("udp send connected", () -> s.send(new byte[] {1}, (e, n) -> f.behave("send connected cb")));
        }
        break;
      case 8:
        if (s != null) {
          f.api("udp options", () -> {
            switch (r.nextInt(5)) {
              case 0: s.setTTL(new int[] {-1, 0, 1, 255, 256}[r.nextInt(5)]); break;
              case 1: s.setMulticastTTL(new int[] {-1, 0, 1, 255, 256}[r.nextInt(5)]); break;
              case 2: s.setBroadcast(r.nextBoolean()); break;
              case 3: s.addMembership(new String[] {"224.0.0.114", "bogus", null}[r.nextInt(3)]); break;
              default: s.dropMembership("224.0.0.114"); break;
            }
          });
        }
        break;
      case 9:
        if (s != null) {
          f.api("udp queries", () -> {
            s.address();
            s.remoteAddress();
          });
        }
        break;
      case 10:
        if (s != null) {
          f.api("udp send list", () -> s.send(List.of(new byte[] {1, 2}, new byte[3]), udpPorts.isEmpty() ? 9 : udpPorts.get(0),
              "127.0.0.1", (e, n) -> f.behave("send list cb")));
        }
        break;
      default:
        if (s != null) {
          f.api("udp ref/unref", () -> {
            if (r.nextBoolean()) {
              s.unref();
            } else {
              s.ref();
            }
          });
        }
        break;
    }
  }

  // ------------------------------------------------------------------ dns

  void dns(Random r) {
    String host = new String[] {"localhost", "127.0.0.1", "::1", "", null, "1.2.3", "LOCALHOST"}[r.nextInt(7)];
    int family = new int[] {0, 4, 6, 5, -1}[r.nextInt(5)];
    f.log("dns lookup " + host + " family " + family);
    NodeDns d = f.node.dns();
    if (r.nextBoolean()) {
      f.api("dns.lookup", () -> d.lookup(host, family, this.<NodeDns.LookupAddress>onceCb("dns.lookup")));
    } else if (r.nextBoolean()) {
      f.api("dns.lookupAll", () -> d.lookupAll(host, family, this.<List<NodeDns.LookupAddress>>onceCb("dns.lookupAll")));
    } else {
      f.api("dns.promises.lookup", () -> f.settles("dns.promises.lookup", d.promises().lookup(host, family), true));
    }
  }

  <T> NodeCallback<T> onceCb(String what) {
    NodeApiFuzzer.Once o = f.expect(what + " callback", true);
    return (e, v) -> {
      o.fire();
      f.behave(what);
    };
  }

  void cleanup() {
    for (Net.Server s : servers) {
      f.api("cleanup server close", () -> s.close());
    }
    for (Net.Socket s : sockets) {
      f.api("cleanup socket destroy", () -> s.destroy());
    }
    for (NodeDgram.Socket u : udp) {
      f.api("cleanup udp close", () -> u.close());
    }
    servers.clear();
    sockets.clear();
    udp.clear();
  }

}
