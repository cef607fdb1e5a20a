package io.uv4j.node;

import io.uv4j.Fs;
import io.uv4j.UvException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the node-scenarios for the modules built on the runtime (events, fs, net,
 * crypto): the same program as NAME.js, line for line. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodeModuleScenarios {
  private NodeModuleScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("ee_order", NodeModuleScenarios::eeOrder);
    all.put("fs_promise_order", NodeModuleScenarios::fsPromiseOrder);
    all.put("fs_stream_order", NodeModuleScenarios::fsStreamOrder);
    all.put("fs_pipe_copy", NodeModuleScenarios::fsPipeCopy);
    all.put("net_echo_order", NodeModuleScenarios::netEchoOrder);
    all.put("net_close_order", NodeModuleScenarios::netCloseOrder);
    all.put("net_backpressure", NodeModuleScenarios::netBackpressure);
    all.put("crypto_kdf", NodeModuleScenarios::cryptoKdf);
  }

  private static String tmpdir() throws UvException {
    return Fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-XXXXXX");
  }

  private static String str(Object bytes) {
    return new String((byte[]) bytes, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ ee_order.js

  private static void eeOrder(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    e.on("newListener", args -> log.accept("newListener " + args[0]));
    Runnable late = () -> log.accept("late");
    Runnable a = () -> {
      log.accept("a adds late");
      e.on("x", late);
    };
    Runnable c = () -> log.accept("c (removed by b, still called this time)");
    Runnable b = () -> {
      log.accept("b removes c");
      e.off("x", c);
    };
    e.on("x", a);
    e.once("x", () -> log.accept("once"));
    e.prependListener("x", () -> log.accept("first (prepended)"));
    e.on("x", b);
    e.on("x", c);
    log.accept("emit 1 returned " + e.emit("x"));
    log.accept("count after emit 1: " + e.listenerCount("x"));
    log.accept("emit 2 returned " + e.emit("x"));
    log.accept("emit with no listener returned " + e.emit("nothing"));
    e.on("removeListener", args -> log.accept("removeListener " + args[0]));
    e.removeAllListeners("x");
    log.accept("events left: " + String.join(",", e.eventNames()));
    try {
      e.emit("error", new RuntimeException("boom"));
    } catch (RuntimeException err) {
      log.accept("thrown: " + err.getMessage());
    }
    e.once("error", args -> log.accept("handled: " + ((Throwable) args[0]).getMessage()));
    log.accept("emit error returned " + e.emit("error", new RuntimeException("second")));
    try {
      e.emit("error", "just a string");
    } catch (NodeError err) {
      log.accept("thrown: " + err.code());
    }
    e.on("t", () -> {
      throw new RuntimeException("listener threw");
    });
    e.on("t", () -> log.accept("never: the throw skips later listeners"));
    try {
      e.emit("t");
    } catch (RuntimeException err) {
      log.accept("caught: " + err.getMessage());
    }
    node.nextTick(() -> log.accept("tick: after all the synchronous emits"));
    e.on("args", args -> log.accept("args " + args[0] + " " + args[1]));
    e.emit("args", 1, "two");
    log.accept("end of main");
  }

  // ------------------------------------------------------------------ fs_promise_order.js

  private static void fsPromiseOrder(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    NodeFs.Promises fsp = fs.promises();
    String dir = tmpdir();
    String file = dir + "/data.txt";
    String missing = dir + "/missing";
    log.accept("start");
    fs.writeFile(file, "hello node", (err, v) -> {
      log.accept("writeFile cb " + err);
      node.nextTick(() -> log.accept("tick in writeFile cb"));
      Promise.resolve(node, null).then(x -> say(log, "microtask in writeFile cb"));
      fsp.readFile(file, "utf8").then(s -> {
        log.accept("promise readFile: " + s);
        fs.appendFile(file, "!", (err2, v2) -> {
          log.accept("appendFile cb " + err2);
          fs.readFile(file, (err3, buf) -> {
            log.accept("readFile cb: " + buf.length + " bytes, " + str(buf));
            node.nextTick(() -> log.accept("tick after readFile cb"));
            fsp.stat(file)
                .then(st -> say(log, "stat size " + st.size() + ", isFile " + st.isFile()))
                .thenCompose(x -> fsp.readFile(missing))
                .then(x -> (Object) null, ex -> {
                  SystemError se = (SystemError) ex;
                  return say(log, "missing: " + se.code() + " " + se.syscall() + " " + se.path().equals(missing));
                })
                .thenCompose(x -> fsp.mkdir(dir + "/a/b/c", true))
                .then(first -> say(log, "mkdir -p created first: " + first.substring(dir.length() + 1)))
                .thenCompose(x -> fsp.mkdir(dir + "/a", true))
                .then(first -> say(log, "mkdir -p existing: " + (first == null ? "undefined" : first)))
                .thenCompose(x -> fsp.readdir(dir))
                .then(names -> say(log, "readdir: " + String.join(",", names)))
                .thenCompose(x -> fsp.rename(file, dir + "/a/renamed.txt"))
                .thenCompose(x -> fsp.readdir(dir + "/a"))
                .then(names -> say(log, "readdir a: " + String.join(",", names)))
                .thenCompose(x -> fsp.rm(dir + "/a", false, false))
                .then(x -> (Object) null, ex -> say(log, "rm dir without recursive: " + ((NodeError) ex).code()))
                .thenCompose(x -> fsp.rm(missing, false, true))
                .then(x -> say(log, "rm missing with force: ok"))
                .thenCompose(x -> fsp.rm(dir, true, false))
                .then(x -> {
                  fs.stat(dir, (e, st) -> log.accept("stat after rm -r: " + e.code()));
                  return null;
                });
          });
        });
        return null;
      });
      log.accept("end of writeFile cb");
    });
    log.accept("end of main");
  }

  // ------------------------------------------------------------------ fs_stream_order.js

  private static void fsStreamOrder(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    String dir = tmpdir();
    String file = dir + "/a.txt";
    NodeFs.WriteStream ws = fs.createWriteStream(file, "w", 8);
    ws.on("open", () -> log.accept("ws open"));
    ws.on("ready", () -> log.accept("ws ready"));
    ws.on("drain", () -> log.accept("ws drain (never: end() was called)"));
    ws.on("finish", () -> log.accept("ws finish"));
    ws.on("close", () -> {
      log.accept("ws close, bytesWritten " + ws.bytesWritten());
      NodeFs.ReadStream rs = fs.createReadStream(file, 10);
      rs.on("open", () -> log.accept("rs open"));
      rs.on("ready", () -> log.accept("rs ready"));
      rs.on("data", args -> log.accept("rs data [" + str(args[0]) + "]"));
      rs.on("end", () -> log.accept("rs end"));
      rs.on("close", () -> {
        log.accept("rs close, bytesRead " + rs.bytesRead());
        NodeFs.WriteStream w2 = fs.createWriteStream(dir + "/b.txt", "w", 4);
        log.accept("w2 write returned " + w2.write("12345"));
        log.accept("w2 writableNeedDrain " + w2.writableNeedDrain());
        w2.on("drain", () -> {
          log.accept("w2 drain");
          w2.end("6".getBytes(StandardCharsets.UTF_8), e -> log.accept("w2 end cb"));
        });
        w2.on("close", () -> {
          log.accept("w2 close");
          NodeFs.ReadStream bad = fs.createReadStream(dir + "/nope");
          bad.on("open", () -> log.accept("bad open (never)"));
          bad.on("error", args -> {
            SystemError e = (SystemError) args[0];
            log.accept("bad error " + e.code() + " " + e.syscall() + " " + e.path().equals(dir + "/nope"));
          });
          bad.on("close", () -> {
            log.accept("bad close");
            fs.rm(dir, true, false, (err, v) -> log.accept("rm " + err));
          });
        });
      });
    });
    log.accept("write1 returned " + ws.write("hello ", e -> log.accept("write1 cb")));
    log.accept("write2 returned " + ws.write("world, this is long", e -> log.accept("write2 cb")));
    ws.end("!".getBytes(StandardCharsets.UTF_8), e -> log.accept("end cb"));
    log.accept("main done");
  }

  // ------------------------------------------------------------------ fs_pipe_copy.js

  private static void fsPipeCopy(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    String dir = tmpdir();
    String src = dir + "/src.bin";
    String dst = dir + "/dst.bin";
    byte[] data = new byte[3 * 1024 * 1024 + 123];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7 + (i >> 11));
    }
    int fd = Fs.openSync(src, NodeFs.flags("w"), 0644);
    Fs.writeSync(fd, java.nio.ByteBuffer.wrap(data), -1);
    Fs.closeSync(fd);
    NodeFs.ReadStream rs = fs.createReadStream(src);
    NodeFs.WriteStream ws = fs.createWriteStream(dst);
    int[] chunks = {0};
    int[] drains = {0};
    int[] paused = {0};
    rs.on("data", () -> chunks[0]++);
    rs.on("pause", () -> paused[0]++);
    ws.on("drain", () -> drains[0]++);
    rs.on("end", () -> log.accept("source end"));
    ws.on("finish", () -> log.accept("destination finish"));
    ws.on("close", () -> {
      log.accept("chunks " + chunks[0] + ", drains " + drains[0] + ", pauses " + paused[0]);
      fs.readFile(dst, (err, copy) -> {
        log.accept("copy " + copy.length + " bytes, identical " + Arrays.equals(copy, data));
        fs.rm(dir, true, false, (e, v) -> log.accept("cleaned up"));
      });
    });
    log.accept("piping " + (rs.pipe(ws) == ws));
  }

  // ------------------------------------------------------------------ net_echo_order.js

  private static void netEchoOrder(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> server = new ArrayList<>();
    List<String> client = new ArrayList<>();
    int[] done = {0};
    Runnable finish = () -> {
      if (++done[0] == 2) {
        server.forEach(s -> log.accept("server: " + s));
        client.forEach(s -> log.accept("client: " + s));
      }
    };
    Net.Server[] srv = new Net.Server[1];
    srv[0] = net.createServer(sock -> {
      server.add("connection");
      node.nextTick(() -> server.add("tick after connection"));
      sock.on("data", args -> {
        server.add("data " + str(args[0]));
        sock.write(((String) str(args[0])).toUpperCase());
      });
      sock.on("end", () -> server.add("end"));
      sock.on("finish", () -> server.add("finish"));
      sock.on("close", args -> {
        server.add("close hadError=" + args[0]);
        srv[0].close(e -> {
          server.add("server closed");
          finish.run();
        });
      });
    });
    srv[0].on("listening", () -> log.accept("listening event"));
    srv[0].listen(0, "127.0.0.1", () -> {
      log.accept("listen callback");
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(srv[0].address().getPort(), "127.0.0.1", () -> client.add("connect callback"));
      c[0].on("connect", () -> {
        client.add("connect event");
        c[0].write("hello", e -> client.add("write cb " + e));
      });
      c[0].on("ready", () -> client.add("ready"));
      c[0].on("data", args -> {
        client.add("data " + str(args[0]));
        c[0].end();
      });
      c[0].on("end", () -> client.add("end"));
      c[0].on("finish", () -> client.add("finish"));
      c[0].on("close", args -> {
        client.add("close hadError=" + args[0]);
        finish.run();
      });
      client.add("connecting " + c[0].connecting());
    });
    log.accept("main done");
  }

  // ------------------------------------------------------------------ net_close_order.js

  private static void netCloseOrder(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<Net.Socket> accepted = new ArrayList<>();
    Net.Socket[] ab = new Net.Socket[2];
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(sock -> {
      accepted.add(sock);
      if (accepted.size() == 2) {
        server[0].close(e -> log.accept("server close"));
        log.accept("both accepted");
        ab[0].destroy();
        ab[1].destroy();
        log.accept("destroyed a, then b");
        node.nextTick(() -> log.accept("tick after destroy"));
      }
    });
    server[0].listen(0, "127.0.0.1", () -> {
      int port = server[0].address().getPort();
      ab[0] = net.connect(port, "127.0.0.1");
      ab[1] = net.connect(port, "127.0.0.1");
      ab[0].on("close", args -> {
        log.accept("a close hadError=" + args[0]);
        node.nextTick(() -> log.accept("tick after a close"));
      });
      ab[1].on("close", args -> {
        log.accept("b close hadError=" + args[0]);
        node.nextTick(() -> log.accept("tick after b close"));
      });
    });
  }

  // ------------------------------------------------------------------ net_backpressure.js

  private static void netBackpressure(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> server = new ArrayList<>();
    List<String> client = new ArrayList<>();
    int[] done = {0};
    Runnable finish = () -> {
      if (++done[0] == 2) {
        server.forEach(s -> log.accept("server: " + s));
        client.forEach(s -> log.accept("client: " + s));
      }
    };
    Net.Server[] srv = new Net.Server[1];
    srv[0] = net.createServer(sock -> {
      long[] total = {0};
      sock.on("data", args -> total[0] += ((byte[]) args[0]).length);
      sock.on("end", () -> server.add("end after " + total[0] + " bytes"));
      sock.on("close", () -> srv[0].close(e -> {
        server.add("closed");
        finish.run();
      }));
    });
    srv[0].listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(srv[0].address().getPort(), "127.0.0.1", () -> {
        byte[] big = new byte[4 * 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        boolean r = c[0].write(big, e -> client.add("write cb " + e));
        client.add("write returned " + r + ", needDrain " + c[0].writableNeedDrain());
        c[0].on("drain", () -> {
          client.add("drain, writableLength " + c[0].writableLength());
          boolean r2 = c[0].write(new byte[100]);
          client.add("small write returned " + r2);
          c[0].end();
        });
      });
      c[0].on("finish", () -> client.add("finish"));
      c[0].on("end", () -> client.add("end"));
      c[0].on("close", () -> {
        client.add("close");
        finish.run();
      });
    });
  }

  // ------------------------------------------------------------------ crypto_kdf.js

  private static void cryptoKdf(NodeRuntime node, Consumer<String> log) {
    Crypto crypto = Crypto.of(node);
    log.accept("pbkdf2Sync sha256: " + Crypto.hex(Crypto.pbkdf2Sync("password", "salt", 1, 32, "sha256")));
    try {
      crypto.pbkdf2("p", "s", 1, 8, "nope", (e, k) -> { });
    } catch (NodeError e) {
      log.accept("bad digest: " + e.code() + " " + e.getMessage());
    }
    crypto.pbkdf2("password", "salt", 4096, 64, "sha512", (err, key) -> {
      log.accept("pbkdf2 sha512: " + Crypto.hex(key));
      crypto.pbkdf2(new byte[0], "salt".getBytes(StandardCharsets.UTF_8), 2, 20, "sha1", (err2, key2) -> {
        log.accept("pbkdf2 empty password sha1: " + Crypto.hex(key2));
        crypto.pbkdf2("pass\u00e9", "NaCl", 1000, 48, "sha384", (err3, key3) -> {
          log.accept("pbkdf2 non-ascii sha384: " + Crypto.hex(key3));
          crypto.scrypt("pleaseletmein", "SodiumChloride", 64, (err4, key4) -> {
            log.accept("scrypt defaults: " + Crypto.hex(key4));
            crypto.randomBytes(16, (err5, rnd) -> log.accept("randomBytes length " + rnd.length));
          });
        });
      });
    });
    node.nextTick(() -> log.accept("tick before any pool callback"));
    log.accept("scryptSync N=1024 r=8 p=16: " + Crypto.hex(Crypto.scryptSync(
        "password".getBytes(StandardCharsets.UTF_8), "NaCl".getBytes(StandardCharsets.UTF_8), 64, 1024, 8, 16,
        Crypto.SCRYPT_DEFAULT_MAXMEM)));
    log.accept("scryptSync empty: " + Crypto.hex(Crypto.scryptSync(new byte[0], new byte[0], 64, 16, 1, 1,
        Crypto.SCRYPT_DEFAULT_MAXMEM)));
    try {
      Crypto.scryptSync(new byte[1], new byte[1], 16, 1000, 8, 1, Crypto.SCRYPT_DEFAULT_MAXMEM);
    } catch (NodeError e) {
      log.accept("N not a power of two: " + e.code());
    }
  }

  private static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }
}
