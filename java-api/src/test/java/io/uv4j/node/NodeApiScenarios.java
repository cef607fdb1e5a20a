package io.uv4j.node;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Java twins of the scenarios for the API of issue 12's second deliverable (promise helpers,
 * process events, fs descriptors and options, socket timeouts, stream.pipeline/finished): the same
 * program as NAME.js, line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeApiScenarios {
  private NodeApiScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("promise_api", NodeApiScenarios::promiseApi);
    all.put("process_rejection_handled", NodeApiScenarios::processRejectionHandled);
    all.put("process_uncaught_origin", NodeApiScenarios::processUncaughtOrigin);
    all.put("process_warning", NodeApiScenarios::processWarning);
    all.put("fs_fd_ops", NodeApiScenarios::fsFdOps);
    all.put("net_socket_timeout", NodeApiScenarios::netSocketTimeout);
    all.put("stream_pipeline_finished", NodeApiScenarios::streamPipelineFinished);
    all.put("dns_promises", NodeApiScenarios::dnsPromises);
    all.put("timers_max_duration_warning", NodeApiScenarios::timersMaxDurationWarning);
    all.put("promise_unhandled_throw_handler", NodeApiScenarios::promiseUnhandledThrowHandler);
  }

  private static void promiseApi(NodeRuntime node, Consumer<String> log) {
    Promise.resolve(node, 1).thenAccept(v -> log.accept("then " + v)).thenRun(() -> log.accept("then run"));
    Promise.<Void>reject(node, new Error("bad"))
        .catchAccept(e -> log.accept("catch " + e.getMessage()))
        .finally_(() -> log.accept("finally"))
        .thenAccept(v -> log.accept("after finally " + (v == null ? "undefined" : v)));
    Promise.<String>reject(node, new Error("passes")).thenRun(() -> log.accept("never"))
        .catch_(e -> {
          log.accept("caught " + e.getMessage());
          return null;
        })
        .then(v -> "recovered")
        .thenAccept(v -> log.accept("value " + v));
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void processRejectionHandled(NodeRuntime node, Consumer<String> log) {
    @SuppressWarnings("unchecked")
    Promise<Void>[] rejected = new Promise[1];
    node.onUnhandledRejection((reason, p) -> {
      log.accept("unhandledRejection " + reason.getMessage() + " " + (p == rejected[0]));
      node.setTimeout(() -> {
        p.catchAccept(e -> log.accept("caught late"));
        node.nextTick(() -> log.accept("tick after catch"));
      }, 1);
    });
    node.onRejectionHandled(p -> log.accept("rejectionHandled " + (p == rejected[0])));
    rejected[0] = Promise.reject(node, new Error("boom"));
    node.nextTick(() -> log.accept("tick"));
    Promise.resolve(node, null).thenRun(() -> log.accept("microtask"));
    log.accept("main");
  }

  private static void processUncaughtOrigin(NodeRuntime node, Consumer<String> log) {
    BiConsumer<Throwable, Promise<?>> onUnhandled = (reason, p) -> log.accept("unhandled listener " + reason.getMessage());
    node.onUnhandledRejection(onUnhandled);
    node.onUncaughtExceptionWithOrigin((err, origin) -> log.accept("uncaught " + err.getMessage() + " " + origin));
    Promise.reject(node, new Error("first"));
    node.setTimeout(() -> {
      node.offUnhandledRejection(onUnhandled);
      Promise.reject(node, new Error("second"));
      node.setTimeout(() -> {
        throw new IllegalStateException("third");
      }, 1);
    }, 1);
    log.accept("main");
  }

  private static void processWarning(NodeRuntime node, Consumer<String> log) {
    Consumer<NodeWarning> onWarning = w -> log.accept("warning " + w.name() + " " + w.getMessage() + " "
        + (w.code() == null ? "undefined" : w.code()));
    node.onWarning(onWarning);
    node.emitWarning("something odd");
    node.emitWarning("old api", "DeprecationWarning", "DEP0999");
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.nextTick(() -> log.accept("tick"));
    node.setTimeout(() -> {
      node.offWarning(onWarning);
      node.emitWarning("unheard");
      node.nextTick(() -> log.accept("tick 2"));
    }, 1);
    log.accept("main");
  }

  private static void fsFdOps(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String dir = fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-fd-");
    String file = dir + "/f.txt";
    fs.open(file, "w+", (err, fd) -> {
      log.accept("open " + err + " " + (fd >= 0));
      node.nextTick(() -> log.accept("tick after open"));
      fs.write(fd, "hello world".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, 11, 0, (err2, n) -> {
        log.accept("write " + err2 + " " + n);
        byte[] buf = new byte[5];
        fs.read(fd, buf, 0, 5, 6, (err3, n3) -> {
          log.accept("read " + err3 + " " + n3 + " " + new String(buf, java.nio.charset.StandardCharsets.UTF_8));
          fs.close(fd, (err4, v) -> {
            log.accept("close " + err4);
            NodeFs.ReadStream s = fs.createReadStream(file,
                NodeFs.ReadOptions.DEFAULT.withStart(2).withEnd(7).withHighWaterMark(3));
            s.onData(c -> log.accept("data " + new String(c, java.nio.charset.StandardCharsets.UTF_8)));
            s.onEnd(() -> log.accept("end"));
            s.onClose(() -> {
              log.accept("stream closed, file " + fs.readFileSync(file, "utf8"));
              fs.rmSync(dir, true, true);
              log.accept("exists " + fs.existsSync(dir));
              fs.close(12345, (err5, v5) -> log.accept("close bad fd " + err5.code()));
            });
          });
        });
      });
    });
    log.accept("sync " + fs.existsSync(dir) + " " + (NodeFs.constants.O_CREAT == 64));
  }

  private static void netSocketTimeout(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(sock -> sock.onEnd(() -> {
      log.accept("server: end");
      sock.end();
    }));
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket client = net.connect(server[0].address().getPort(), "localhost");
      client.setTimeout(30, () -> {
        log.accept("client: timeout, destroyed " + client.isDestroyed());
        client.setTimeout(0);
        client.end();
      });
      client.on("connect", () -> log.accept("client: connect"));
      client.onEnd(() -> log.accept("client: end"));
      client.onClose(() -> {
        log.accept("client: close");
        server[0].close(e -> log.accept("server closed"));
      });
    });
  }

  /** {@code new Readable({read})}. */
  private static NodeStream readable(NodeRuntime node, java.util.function.BiConsumer<NodeStream, Integer> read) {
    return new NodeStream(node, true, false, NodeStream.DEFAULT_HIGH_WATER_MARK, 0) {
      @Override
      protected void doRead(int size) {
        read.accept(this, size);
      }
    };
  }

  /** {@code new Writable({write})}. */
  private static NodeStream writable(NodeRuntime node, java.util.function.BiConsumer<byte[], Consumer<Throwable>> write) {
    return new NodeStream(node, false, true, 0, NodeStream.DEFAULT_HIGH_WATER_MARK) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        write.accept(chunk, cb);
      }
    };
  }

  private static String undef(Throwable err) {
    return err == null ? "undefined" : String.valueOf(err);
  }

  private static void streamPipelineFinished(NodeRuntime node, Consumer<String> log) {
    int[] i = {0};
    NodeStream src = readable(node, (self, size) -> {
      i[0]++;
      self.push(i[0] <= 3 ? ("chunk" + i[0]).getBytes(java.nio.charset.StandardCharsets.UTF_8) : null);
    });
    java.util.List<String> out = new java.util.ArrayList<>();
    NodeStream dst = writable(node, (chunk, cb) -> {
      out.add(new String(chunk, java.nio.charset.StandardCharsets.UTF_8));
      cb.accept(null);
    });
    NodeStream.finished(src, err -> log.accept("src finished " + undef(err)));
    NodeStream.finished(dst, err -> log.accept("dst finished " + undef(err)));
    src.onEnd(() -> log.accept("src end"));
    src.onClose(() -> log.accept("src close"));
    dst.onFinish(() -> log.accept("dst finish"));
    dst.onClose(() -> log.accept("dst close"));
    NodeStream.pipeline(src, dst, err -> {
      log.accept("pipeline done " + undef(err) + " " + String.join(",", out));
      pipelineSecond(node, log);
    });
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void pipelineSecond(NodeRuntime node, Consumer<String> log) {
    NodeStream src2 = readable(node, (self, size) -> self.push(new byte[] {'x'}));
    NodeStream dst2 = writable(node, (chunk, cb) -> cb.accept(new IllegalStateException("disk full")));
    src2.onClose(() -> log.accept("src2 close, destroyed " + src2.isDestroyed()));
    dst2.onError(e -> log.accept("dst2 error " + e.getMessage()));
    dst2.onClose(() -> log.accept("dst2 close"));
    NodeStream.pipeline(src2, dst2, err -> {
      log.accept("pipeline 2 done " + err.getMessage());
      pipelineThird(node, log);
    });
  }

  private static void pipelineThird(NodeRuntime node, Consumer<String> log) {
    NodeStream src3 = readable(node, (self, size) -> { });
    NodeStream.finished(src3, err -> log.accept("src3 finished " + ((NodeError) err).code()));
    src3.onClose(() -> log.accept("src3 close"));
    src3.destroy();
    NodeStream dst4 = writable(node, (chunk, cb) -> cb.accept(null));
    dst4.end("last");
    NodeStream.finished(dst4, err -> log.accept("dst4 finished " + undef(err)));
  }

  private static void dnsPromises(NodeRuntime node, Consumer<String> log) {
    NodeDns.Promises dns = NodeDns.of(node).promises();
    dns.lookup("127.0.0.1").thenCompose(a -> {
      log.accept("literal " + a.address() + " " + a.family());
      return dns.lookup("localhost", 4);
    }).thenCompose(a -> {
      log.accept("localhost " + a.address() + " " + a.family());
      return dns.lookupAll("::1", 0);
    }).thenCompose(all -> {
      log.accept("all " + all);
      return dns.lookup("no-such-host.invalid");
    }).catchAccept(err -> log.accept("rejected " + ((SystemError) err).code() + " " + ((SystemError) err).syscall()));
    node.nextTick(() -> log.accept("tick"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise job"));
    log.accept("main");
  }

  private static void timersMaxDurationWarning(NodeRuntime node, Consumer<String> log) {
    double overflow = Math.pow(2, 31);
    Runnable timerNotCanceled = () -> log.accept("timer should have been canceled");
    int[] warnings = {0};
    node.onWarning(warning -> {
      String[] lines = warning.getMessage().split("\n", -1);
      log.accept("warning " + warning.name() + ": " + lines[0] + " (" + lines.length + " lines)");
      warnings[0]++;
    });
    Timeout timeout = node.setTimeout(timerNotCanceled, overflow);
    node.clearTimeout(timeout);
    Timeout interval = node.setInterval(timerNotCanceled, overflow);
    node.clearInterval(interval);
    node.setTimeout(() -> log.accept("an overflowing delay runs after 1 ms"), Double.POSITIVE_INFINITY);
    node.onExit(code -> log.accept("warnings " + warnings[0]));
    log.accept("main");
  }

  private static void promiseUnhandledThrowHandler(NodeRuntime node, Consumer<String> log) {
    Error err1 = new Error("One");
    java.util.ArrayDeque<Object> errors = new java.util.ArrayDeque<>(java.util.List.of(err1, "Two"));
    Promise<Object> ref = Promise.create(node, (resolve, reject) -> {
      throw err1;
    });
    Promise.reject(node, new Error("Two"));
    node.onWarning(w -> log.accept("unexpected warning"));
    node.onRejectionHandled(p -> log.accept("unexpected rejectionHandled"));
    node.onExit(code -> log.accept("exit " + code));
    Timeout timer = node.setTimeout(() -> log.accept("timer not cleared " + ref), 1000);
    int[] count = {2};
    node.onUncaughtExceptionWithOrigin((err, origin) -> {
      Object known = errors.poll();
      log.accept("uncaught " + err.getMessage() + " origin " + origin + " known "
          + (known == err || err.getMessage().equals(known)));
      if (--count[0] == 0) {
        node.clearTimeout(timer);
      }
    });
    log.accept("main");
  }
}
