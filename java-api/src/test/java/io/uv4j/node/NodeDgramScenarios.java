package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** Java twin of dgram_order.js, line for line, on {@link NodeDgram}. Registered into {@link NodeScenarios#ALL}. */
final class NodeDgramScenarios {
  private NodeDgramScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("dgram_order", NodeDgramScenarios::dgramOrder);
  }

  private static String str(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  private static void dgramOrder(NodeRuntime node, Consumer<String> log) {
    NodeDgram dgram = NodeDgram.of(node);
    NodeDgram.Socket a = dgram.createSocket("udp4");
    NodeDgram.Socket b = dgram.createSocket("udp4");
    int[] bPort = {0};

    Runnable closeAll = () -> {
      a.close(() -> log.accept("a close callback"));
      b.close();
      try {
        a.send("late", bPort[0], "127.0.0.1", null);
      } catch (NodeError e) {
        log.accept("send after close: " + e.code());
      }
      log.accept("closing");
    };

    Runnable options = () -> {
      a.setBroadcast(true);
      a.setTTL(64);
      a.setMulticastTTL(2);
      a.setMulticastLoopback(true);
      try {
        a.setTTL(0);
      } catch (NodeError e) {
        log.accept("setTTL(0): " + e.code());
      }
      a.addMembership("239.255.0.1");
      a.dropMembership("239.255.0.1");
      try {
        a.dropMembership("239.255.0.1");
      } catch (SystemError e) {
        log.accept("drop twice: " + e.code() + " " + e.syscall());
      }
      try {
        a.addMembership("10.0.0.1");
      } catch (NodeError e) {
        log.accept("non-multicast group: " + e.code());
      }
      NodeDgram.Socket c = dgram.createSocket("udp4");
      c.on("error", args -> {
        SystemError e = (SystemError) args[0];
        log.accept("c error " + e.code() + " " + e.syscall() + " " + e.getMessage().replace(String.valueOf(bPort[0]), "PORT"));
        c.close(() -> log.accept("c closed"));
        closeAll.run();
      });
      c.bind(bPort[0], "127.0.0.1", null);
    };

    Runnable connected = () -> {
      a.connect(bPort[0], "127.0.0.1", err -> {
        log.accept("a connect callback remote port=b:" + (a.remoteAddress().port() == bPort[0]));
        b.once("message", args -> {
          NodeDgram.Rinfo rinfo = (NodeDgram.Rinfo) args[1];
          log.accept("b message " + Json.stringify(str(args[0])) + " size=" + rinfo.size());
          try {
            a.send("x".getBytes(StandardCharsets.UTF_8), 0, 1, bPort[0], "127.0.0.1", null);
          } catch (NodeError e) {
            log.accept("send with address on connected socket: " + e.code());
          }
          a.disconnect();
          try {
            a.remoteAddress();
          } catch (NodeError e) {
            log.accept("remoteAddress after disconnect: " + e.code());
          }
          options.run();
        });
        a.send("via connect".getBytes(StandardCharsets.UTF_8), (err2, bytes) -> log.accept("a connected send callback " + err2 + " " + bytes));
      });
      a.on("connect", () -> log.accept("a connect event"));
    };

    a.on("listening", () -> {
      NodeDgram.AddressInfo addr = a.address();
      log.accept("a listening " + addr.address() + " " + addr.family() + " port>0=" + (addr.port() > 0));
    });
    b.on("listening", () -> log.accept("b listening"));
    a.on("close", () -> log.accept("a close"));
    b.on("close", () -> log.accept("b close"));

    a.bind(0, "127.0.0.1", () -> {
      log.accept("a bind callback");
      b.bind(0, "127.0.0.1", () -> {
        bPort[0] = b.address().port();
        b.once("message", args -> {
          NodeDgram.Rinfo rinfo = (NodeDgram.Rinfo) args[1];
          log.accept("b message " + Json.stringify(str(args[0])) + " from " + rinfo.address() + " " + rinfo.family()
              + " port=a:" + (rinfo.port() == a.address().port()) + " size=" + rinfo.size());
          b.send("reply", rinfo.port(), rinfo.address(), (err, bytes) -> log.accept("b send callback " + err + " " + bytes));
        });
        a.once("message", args -> {
          NodeDgram.Rinfo rinfo = (NodeDgram.Rinfo) args[1];
          log.accept("a message " + Json.stringify(str(args[0])) + " size=" + rinfo.size());
          connected.run();
        });
        a.send("hello", bPort[0], "127.0.0.1", (err, bytes) -> log.accept("a send callback " + err + " " + bytes));
        log.accept("a send queued");
      });
    });
  }
}
