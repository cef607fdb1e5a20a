package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the second divergence hunt (branch node5): fs errors and streams, net, child
 * processes, workers, dgram, dns, crypto arguments, stream destroy/pipeline, timers and process.
 * Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeOrderScenarios2 {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("fs_error_messages", NodeOrderScenarios2::fsErrorMessages);
    all.put("fs_encodings_stat", NodeOrderScenarios2::fsEncodingsStat);
    all.put("fs_promises_errors", NodeOrderScenarios2::fsPromisesErrors);
    all.put("fs_stream_ranges", NodeOrderScenarios2::fsStreamRanges);
    all.put("fs_write_stream_flags", NodeOrderScenarios2::fsWriteStreamFlags);
    all.put("stream_destroy_variants", NodeOrderScenarios2::streamDestroyVariants);
    all.put("stream_from_iterable", NodeOrderScenarios2::streamFromIterable);
    all.put("timers_args_delays", NodeOrderScenarios2::timersArgsDelays);
    all.put("process_warnings_variants", NodeOrderScenarios2::processWarningsVariants);
    all.put("net_listen_events", NodeOrderScenarios2::netListenEvents);
    all.put("net_connect_refused", NodeOrderScenarios2::netConnectRefused);
    all.put("net_misuse_errors", NodeOrderScenarios2::netMisuseErrors);
    all.put("dgram_misuse_errors", NodeOrderScenarios2::dgramMisuseErrors);
    all.put("cp_kill_signals", NodeOrderScenarios2::cpKillSignals);
    all.put("worker_lifecycle", NodeOrderScenarios2::workerLifecycle);
    all.put("message_port_close", NodeOrderScenarios2::messagePortClose);
    all.put("stream_pipeline_errors", NodeOrderScenarios2::streamPipelineErrors);
    all.put("crypto_arg_errors", NodeOrderScenarios2::cryptoArgErrors);
    all.put("net_pause_encoding", NodeOrderScenarios2::netPauseEncoding);
    all.put("uncaught_sources", NodeOrderScenarios2::uncaughtSources);
    all.put("stream_misuse_errors", NodeOrderScenarios2::streamMisuseErrors);
    all.put("dns_lookup_variants", NodeOrderScenarios2::dnsLookupVariants);
    all.put("cp_spawn_errors", NodeOrderScenarios2::cpSpawnErrors);
    all.put("dgram_self_send", NodeOrderScenarios2::dgramSelfSend);
    all.put("fs_stream_destroy_early", NodeOrderScenarios2::fsStreamDestroyEarly);
    all.put("net_lookup_timeout", NodeOrderScenarios2::netLookupTimeout);
    all.put("stream_read_sizes", NodeOrderScenarios2::streamReadSizes);
    all.put("fs_decode_encodings", NodeOrderScenarios2::fsDecodeEncodings);
    all.put("encode_strings", NodeOrderScenarios2::encodeStrings);
    all.put("ee_edge_cases", NodeOrderScenarios2::eeEdgeCases);
    all.put("worker_parent_port_close", NodeOrderScenarios2::workerParentPortClose);
  }

  /** Runs each step when the previous one calls its continuation. */
  interface Step {
    void run(Runnable next);
  }

  static void sequence(List<Step> steps, Runnable done) {
    int[] i = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (i[0] == steps.size()) {
        done.run();
        return;
      }
      steps.get(i[0]++).run(next[0]);
    };
    next[0].run();
  }

  static String tmpdir(NodeFs fs) {
    return fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
  }

  private static String str(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  // ------------------------------------------------------------------ fs

  private static void fsErrorMessages(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    java.util.function.Function<Object, String> rel = s -> str(s).replace(d, "<d>");
    java.util.function.Function<Object, String> m = s -> rel.apply(s).replaceFirst("t-[A-Za-z0-9]{6}", "t-XXXXXX");
    fs.mkdirSync(d + "/dir");
    fs.writeFileSync(d + "/dir/x", "x");
    fs.writeFileSync(d + "/file", "f");
    java.util.function.BiConsumer<String, NodeError> show = (label, err) -> {
      if (err == null) {
        log.accept(label + ": ok");
        return;
      }
      SystemError se = err instanceof SystemError s ? s : null;
      log.accept(label + ": " + err.code() + " errno=" + (se != null ? se.errno() : "undefined")
          + " syscall=" + (se != null ? se.syscall() : "undefined") + " path=" + m.apply(se != null ? se.path() : null)
          + " dest=" + rel.apply(se != null ? se.dest() : null) + " | " + m.apply(err.getMessage()));
    };
    List<Step> steps = List.of(
        next -> fs.readFile(d + "/missing", (err, v) -> { show.accept("readFile missing", err); next.run(); }),
        next -> fs.readFile(d + "/dir", (err, v) -> { show.accept("readFile dir", err); next.run(); }),
        next -> fs.mkdir(d + "/dir", (err, v) -> { show.accept("mkdir existing", err); next.run(); }),
        next -> fs.mkdir(d + "/no/such/parent", (err, v) -> { show.accept("mkdir no parent", err); next.run(); }),
        next -> fs.rmdir(d + "/dir", (err, v) -> { show.accept("rmdir not empty", err); next.run(); }),
        next -> fs.rmdir(d + "/file", (err, v) -> { show.accept("rmdir a file", err); next.run(); }),
        next -> fs.unlink(d + "/dir", (err, v) -> { show.accept("unlink dir", err); next.run(); }),
        next -> fs.rename(d + "/missing", d + "/other", (err, v) -> { show.accept("rename missing", err); next.run(); }),
        next -> fs.copyFile(d + "/missing", d + "/copy", (err, v) -> { show.accept("copyFile missing", err); next.run(); }),
        next -> fs.open(d + "/file", "wx", (err, v) -> { show.accept("open wx existing", err); next.run(); }),
        next -> fs.open(d + "/dir", "w", (err, v) -> { show.accept("open dir for writing", err); next.run(); }),
        next -> fs.readdir(d + "/file", (err, v) -> { show.accept("readdir a file", err); next.run(); }),
        next -> fs.stat(d + "/file/below", (err, v) -> { show.accept("stat below a file", err); next.run(); }),
        next -> fs.writeFile(d + "/missing/f", "x", (err, v) -> { show.accept("writeFile missing dir", err); next.run(); }),
        next -> fs.appendFile(d + "/dir", "x", (err, v) -> { show.accept("appendFile dir", err); next.run(); }),
        next -> fs.rm(d + "/dir", false, false, (err, v) -> { show.accept("rm dir", err); next.run(); }),
        next -> fs.rm(d + "/missing", false, false, (err, v) -> { show.accept("rm missing", err); next.run(); }),
        next -> fs.mkdtemp(d + "/missing/t-", (err, v) -> { show.accept("mkdtemp missing", err); next.run(); }));
    sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static void fsEncodingsStat(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    java.util.function.Function<Object, String> rel = s -> str(s).replace(d, "<d>");
    String f = d + "/t.txt";
    fs.writeFile(f, "h\u00e9llo \u20ac", (err, v0) -> {
      log.accept("writeFile " + err);
      fs.appendFile(f, "!\n", (err1, v1) -> {
        log.accept("appendFile " + err1);
        fs.readFile(f, (err2, buf) -> {
          log.accept("bytes " + buf.length + " hex " + Crypto.hex(buf));
          fs.readFile(f, "utf8", (err3, s) -> {
            log.accept("utf8 " + Json.stringify(s) + " length " + s.length());
            fs.readFile(f, "base64", (err4, s4) -> {
              log.accept("base64 " + s4);
              fs.readFile(f, "latin1", (err5, s5) -> {
                log.accept("latin1 " + Json.stringify(s5));
                fs.readFile(f, "hex", (err6, s6) -> {
                  log.accept("hex " + s6);
                  stats(node, log, fs, d, f, rel);
                });
              });
            });
          });
        });
      });
    });
  }

  private static void stats(NodeRuntime node, Consumer<String> log, NodeFs fs, String d, String f,
      java.util.function.Function<Object, String> rel) {
    fs.stat(f, (err, st) -> {
      log.accept("file isFile " + st.isFile() + " isDirectory " + st.isDirectory() + " isSymbolicLink "
          + st.isSymbolicLink() + " size " + st.size());
      fs.stat(d, (err1, st1) -> {
        log.accept("dir isFile " + st1.isFile() + " isDirectory " + st1.isDirectory());
        fs.mkdir(d + "/a/b/c", true, (err2, first) -> {
          log.accept("mkdir recursive " + err2 + " first " + rel.apply(first));
          fs.mkdir(d + "/a/b/c", true, (err3, first3) -> {
            log.accept("mkdir recursive again " + err3 + " first " + rel.apply(first3));
            fs.mkdir(d + "/a/b/c/d", true, (err4, first4) -> {
              log.accept("mkdir one more " + err4 + " first " + rel.apply(first4));
              fs.mkdir(d + "/t.txt/x", true, (err5, v5) -> {
                SystemError e5 = (SystemError) err5;
                log.accept("mkdir under a file " + e5.code() + " " + e5.syscall() + " " + rel.apply(e5.path()));
                fs.mkdir(d + "/plain", (err6, v6) -> {
                  log.accept("mkdir plain " + err6 + " value " + str(v6));
                  fs.writeFileSync(d + "/a/z.txt", "");
                  fs.readdirWithFileTypes(d + "/a", (err7, ents) -> {
                    List<String> out = new ArrayList<>();
                    for (io.uv4j.DirEntry e : ents) {
                      out.add(e.name() + (e.type() == io.uv4j.DirEntry.Type.DIR ? "/" : "")
                          + (e.type() == io.uv4j.DirEntry.Type.FILE ? " (file)" : ""));
                    }
                    log.accept("readdir " + String.join(", ", out));
                    fs.readdir(d, (err8, names) -> {
                      List<String> sorted = new ArrayList<>(names);
                      sorted.sort(null);
                      log.accept("names " + String.join(",", sorted));
                      fs.rmSync(d, true, false);
                      log.accept("done");
                    });
                  });
                });
              });
            });
          });
        });
      });
    });
  }

  private static void fsPromisesErrors(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    NodeFs.Promises fsp = fs.promises();
    String d = tmpdir(fs);
    java.util.function.Function<String, Consumer<Throwable>> show = label -> err -> {
      SystemError e = err instanceof SystemError s ? s : null;
      log.accept(label + ": " + ((NodeError) err).code() + " " + (e != null ? e.syscall() : "rm") + " | "
          + err.getMessage().replace(d, "<d>"));
    };
    fsp.readFile(d + "/missing", "utf8").catchAccept(show.apply("readFile"))
        .thenCompose(v -> {
          Promise<String> p = fsp.mkdir(d + "/x");
          node.nextTick(() -> log.accept("tick after mkdir started"));
          return p;
        })
        .thenCompose(v -> {
          log.accept("mkdir value " + str(v));
          return fsp.mkdir(d + "/x").catchAccept(show.apply("mkdir again"));
        })
        .thenCompose(v -> fsp.rmdir(d + "/nope").catchAccept(show.apply("rmdir")))
        .thenCompose(v -> fsp.writeFile(d + "/x/a", "A"))
        .thenCompose(v -> fsp.writeFile(d + "/b", "B"))
        .thenCompose(v -> fsp.copyFile(d + "/b", d + "/x/a"))
        .thenCompose(v -> fsp.readFile(d + "/x/a", "utf8"))
        .thenCompose(s -> {
          log.accept("copy over existing: " + s);
          return fsp.rm(d + "/x", false, false).catchAccept(show.apply("rm dir"));
        })
        .thenCompose(v -> fsp.rm(d + "/missing", false, true))
        .thenCompose(v -> {
          log.accept("rm missing with force ok");
          return fsp.rm(d + "/x", true, false);
        })
        .thenCompose(v -> {
          log.accept("rm recursive ok, exists " + fs.existsSync(d + "/x"));
          return fsp.stat(d + "/x").catchAccept(show.apply("stat removed"));
        })
        .thenCompose(v -> fsp.unlink(d + "/b"))
        .thenCompose(v -> fsp.unlink(d + "/b").catchAccept(show.apply("unlink twice")))
        .thenCompose(v -> fsp.rename(d + "/b", d + "/c").catchAccept(show.apply("rename")))
        .thenCompose(v -> fsp.readdir(d))
        .thenCompose(names -> {
          log.accept("left " + names.size());
          return fsp.rmdir(d);
        })
        .thenRun(() -> log.accept("done"));
    log.accept("main");
  }

  private static String bytes(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void fsStreamRanges(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    fs.writeFileSync(d + "/f", "0123456789");
    fs.writeFileSync(d + "/e", "");
    fs.writeFileSync(d + "/u", "a\u00e9\u20acz");
    NodeFs.ReadOptions o = NodeFs.ReadOptions.DEFAULT;
    Object[][] cases = {
      {"start 7", d + "/f", o.withStart(7)},
      {"end 2", d + "/f", o.withEnd(2)},
      {"start=end 4", d + "/f", o.withStart(4).withEnd(4).withHighWaterMark(2)},
      {"past EOF", d + "/f", o.withStart(8).withEnd(100).withHighWaterMark(4)},
      {"start past EOF", d + "/f", o.withStart(20)},
      {"empty", d + "/e", o},
      {"utf8 hwm 1", d + "/u", o.withHighWaterMark(1).withEncoding("utf8")},
      {"hex hwm 3", d + "/u", o.withHighWaterMark(3).withEncoding("hex")},
    };
    List<Step> steps = new ArrayList<>();
    for (Object[] c : cases) {
      String label = (String) c[0];
      steps.add(next -> {
        NodeFs.ReadStream rs = fs.createReadStream((String) c[1], (NodeFs.ReadOptions) c[2]);
        List<String> chunks = new ArrayList<>();
        rs.on("open", () -> log.accept(label + ": open, pending " + rs.pending()));
        rs.on("ready", () -> log.accept(label + ": ready"));
        rs.on("data", args -> chunks.add(args[0] instanceof String str ? Json.stringify(str)
            : "[" + bytes((byte[]) args[0]) + "]"));
        rs.onEnd(() -> log.accept(label + ": end " + String.join(" ", chunks)));
        rs.onClose(() -> {
          log.accept(label + ": close bytesRead " + rs.bytesRead());
          next.run();
        });
        log.accept(label + ": created, pending " + rs.pending());
      });
    }
    sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static String codeOf(Throwable e) {
    return e == null ? "null" : ((NodeError) e).code();
  }

  private static void fsWriteStreamFlags(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    String f = d + "/f";
    fs.writeFileSync(f, "abcdef");
    List<Step> steps = List.of(
        next -> {
          NodeFs.WriteStream ws = fs.createWriteStream(f, NodeFs.WriteOptions.DEFAULT.withFlags("a"));
          log.accept("append pending " + ws.pending());
          ws.on("open", () -> log.accept("append open, pending " + ws.pending()));
          ws.on("ready", () -> log.accept("append ready"));
          ws.write("GH", err -> log.accept("append write cb " + err));
          ws.end(err -> log.accept("append end cb"));
          ws.onFinish(() -> log.accept("append finish"));
          ws.onClose(() -> {
            log.accept("append close " + ws.bytesWritten() + " " + fs.readFileSync(f, "utf8"));
            next.run();
          });
        },
        next -> {
          NodeFs.WriteStream ws = fs.createWriteStream(f, NodeFs.WriteOptions.DEFAULT.withFlags("wx"));
          ws.on("open", () -> log.accept("wx open (never)"));
          ws.onError(e -> log.accept("wx error " + codeOf(e) + " " + ((SystemError) e).syscall()
              + " destroyed " + ws.isDestroyed()));
          ws.onFinish(() -> log.accept("wx finish (never)"));
          ws.onClose(() -> {
            log.accept("wx close");
            next.run();
          });
          ws.write("x", err -> log.accept("wx write cb " + (err == null ? "null" : codeOf(err))));
        },
        next -> {
          NodeFs.WriteStream ws = fs.createWriteStream(f, NodeFs.WriteOptions.DEFAULT.withFlags("r+").withStart(2));
          ws.write("ZZ");
          ws.end("Y", err -> log.accept("in place end cb " + fs.readFileSync(f, "utf8")));
          ws.onClose(() -> {
            log.accept("in place close");
            ws.write("late", err -> log.accept("late write cb " + codeOf(err)));
            ws.onError(e -> log.accept("late error " + codeOf(e) + ": " + e.getMessage()));
            next.run();
          });
        });
    sequence(steps, () -> node.setTimeout(() -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    }, 20));
  }

  // ------------------------------------------------------------------ streams

  private static void watch(Consumer<String> log, String name, NodeStream s) {
    s.onError(e -> log.accept(name + " error " + e.getMessage() + " closed=" + s.isClosed()));
    s.onClose(() -> log.accept(name + " close errored=" + (s.errored() == null ? "null" : s.errored().getMessage())
        + " closed=" + s.isClosed()));
    s.on("end", () -> log.accept(name + " end"));
    s.on("finish", () -> log.accept(name + " finish"));
  }

  static class Stream extends NodeStream {
    Stream(NodeRuntime node, Options o, boolean emitClose, boolean autoDestroy) {
      super(node, o);
      setEmitClose(emitClose);
      setAutoDestroy(autoDestroy);
    }

    @Override
    protected void doRead(int size) {
    }

    @Override
    protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
      cb.accept(null);
    }
  }

  private static void streamDestroyVariants(NodeRuntime node, Consumer<String> log) {
    NodeStream r1 = new Stream(node, NodeStream.Options.readable(), true, true);
    watch(log, "r1", r1);
    r1.destroy();
    log.accept("r1 destroyed=" + r1.isDestroyed() + " closed=" + r1.isClosed());
    NodeStream w1 = new Stream(node, NodeStream.Options.writable(), true, true);
    watch(log, "w1", w1);
    w1.destroy(new RuntimeException("w1 boom"));
    w1.destroy(new RuntimeException("second (ignored)"));
    log.accept("w1 errored=" + w1.errored().getMessage());
    NodeStream d1 = new Stream(node, NodeStream.Options.duplex(), true, true);
    watch(log, "d1", d1);
    d1.destroy(new RuntimeException("d1 boom"));
    NodeStream r2 = new Stream(node, NodeStream.Options.readable(), false, true);
    watch(log, "r2", r2);
    r2.destroy(new RuntimeException("r2 boom"));
    node.nextTick(() -> log.accept("tick after destroys"));
    node.setTimeout(() -> {
      NodeStream r3 = new Stream(node, NodeStream.Options.readable(), true, false);
      watch(log, "r3", r3);
      r3.push("x");
      r3.push((Object) null);
      r3.resume();
      node.setTimeout(() -> {
        log.accept("r3 destroyed=" + r3.isDestroyed() + " readableEnded=" + r3.readableEnded());
        r3.destroy();
        NodeStream w3 = new Stream(node, NodeStream.Options.writable(), true, false);
        watch(log, "w3", w3);
        w3.end("x", err -> {
          log.accept("w3 end cb destroyed=" + w3.isDestroyed() + " finished=" + w3.writableFinished());
          w3.destroy();
        });
      }, 5);
    }, 5);
    log.accept("main");
  }

  private static void streamFromIterable(NodeRuntime node, Consumer<String> log) {
    NodeStream r = NodeStream.from(node, List.of("a", "b", "c"));
    log.accept("objectMode " + r.readableObjectMode() + " hwm " + r.readableHighWaterMark());
    r.onObjectData(c -> {
      log.accept("data " + c);
      node.nextTick(() -> log.accept("tick after " + c));
    });
    r.onEnd(() -> log.accept("end"));
    r.onClose(() -> {
      log.accept("close");
      NodeStream empty = NodeStream.from(node, List.of());
      empty.onObjectData(c -> log.accept("empty data (never)"));
      empty.onEnd(() -> log.accept("empty end"));
      empty.onClose(() -> {
        log.accept("empty close");
        java.util.Iterator<Object> gen = new java.util.Iterator<>() {
          int n;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public Object next() {
            if (n++ == 0) {
              return "x";
            }
            throw new RuntimeException("gen failed");
          }
        };
        NodeStream bad = NodeStream.from(node, gen);
        bad.onObjectData(c -> log.accept("bad data " + c));
        bad.onError(e -> log.accept("bad error " + e.getMessage()));
        bad.onClose(() -> {
          log.accept("bad close");
          List<Object> got = new ArrayList<>();
          NodeStream sink = new NodeStream(node, NodeStream.Options.writable().withObjectMode(true)) {
            @Override
            protected void doWriteObject(Object chunk, Consumer<Throwable> cb) {
              got.add(chunk);
              cb.accept(null);
            }
          };
          NodeStream.pipeline(NodeStream.from(node, List.of("1", "2", "3")), sink,
              err -> log.accept("pipeline " + (err == null ? "undefined" : err) + " "
                  + got.stream().map(String::valueOf).reduce("", String::concat)));
        });
      });
    });
    log.accept("main");
  }

  // ------------------------------------------------------------------ timers, process

  private static void busy(long ms) {
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      Thread.onSpinWait();
    }
  }

  private static void timersArgsDelays(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning " + w.name() + " | " + String.join(" / ", w.getMessage().split("\n"))));
    node.setImmediate((String a) -> {
      log.accept("immediate arg " + a);
      node.setTimeout((String x, String y) -> log.accept("timeout args " + x + " " + y), 20, "x", "y");
      int[] n = {0};
      Timeout[] iv = new Timeout[1];
      iv[0] = node.setInterval((String v) -> {
        log.accept("interval arg " + v + " #" + ++n[0]);
        if (n[0] == 2) {
          node.clearInterval(iv[0]);
        }
      }, 30, "iv");
    }, "imm");
    node.setTimeout(() -> log.accept("delay -5"), -5);
    node.setTimeout(() -> log.accept("delay NaN"), Double.NaN);
    node.setTimeout(() -> log.accept("delay 0"), 0);
    node.setTimeout(() -> log.accept("delay 0.5"), 0.5);
    node.setTimeout(() -> log.accept("delay 2^31"), Math.pow(2, 31));
    node.setTimeout(() -> log.accept("delay Infinity"), Double.POSITIVE_INFINITY);
    node.setTimeout(() -> log.accept("delay 1"), 1);
    node.clearTimeout(null);
    node.clearTimeout(null);
    node.clearInterval(null);
    node.clearImmediate(null);
    Timeout t = node.setTimeout(() -> log.accept("cleared twice (never)"), 1);
    node.clearTimeout(t);
    node.clearTimeout(t);
    Timeout u = node.setTimeout(() -> log.accept("never"), 10);
    log.accept("unref returns same " + (u.unref() == u) + " hasRef " + u.hasRef());
    log.accept("ref returns same " + (u.ref() == u) + " hasRef " + u.hasRef());
    node.clearTimeout(u);
    log.accept("after clear hasRef " + u.hasRef());
    Immediate im = node.setImmediate(() -> { });
    log.accept("immediate hasRef " + im.hasRef() + " unref same " + (im.unref() == im) + " hasRef " + im.hasRef());
    node.nextTick(() -> log.accept("tick"));
    busy(15);
    log.accept("main (blocked 15ms)");
  }

  private static void processWarningsVariants(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept("warning name=" + w.name() + " message=" + Json.stringify(w.getMessage())
        + " code=" + str(w.code()) + " detail=undefined isError=" + (w instanceof RuntimeException)));
    node.emitWarning("plain");
    node.emitWarning("typed", "CustomWarning", null);
    node.emitWarning("typed and coded", "CustomWarning", "CODE1");
    node.emitWarning("with options", "OptWarning", "CODE2");
    node.emitWarning(new NodeWarning("ErrWarning", "from an error", null));
    node.emitWarning("old thing", "DeprecationWarning", "DEP0001");
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  // ------------------------------------------------------------------ net

  private static void netListenEvents(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    List<String> srvLog = new ArrayList<>();
    List<String> cliLog = new ArrayList<>();
    Net.Server server = net.createServer();
    server.on("listening", () -> log.accept("listening listener (before listen)"));
    server.on("connection", args -> {
      Net.Socket s = (Net.Socket) args[0];
      srvLog.add("connection");
      int n = server.connections();
      node.nextTick(() -> srvLog.add("getConnections null " + n));
      s.onData(d -> {
        srvLog.add("data " + bytes(d));
        s.end("pong!");
      });
      s.onEnd(() -> srvLog.add("end"));
      s.onFinish(() -> srvLog.add("finish"));
      s.on("close", cargs -> {
        srvLog.add("close " + cargs[0] + " read " + s.bytesRead() + " written " + s.bytesWritten());
        server.close(err -> {
          log.accept("server: " + String.join(", ", srvLog));
          log.accept("client: " + String.join(", ", cliLog));
          log.accept("server closed, listening " + server.listening());
        });
      });
    });
    server.listen(0, "127.0.0.1", () -> {
      java.net.InetSocketAddress a = server.address();
      log.accept("listen callback: address,family,port " + a.getAddress().getHostAddress() + " "
          + (a.getAddress() instanceof java.net.Inet4Address ? "IPv4" : "IPv6") + " port>0 " + (a.getPort() > 0)
          + " listening " + server.listening());
      Net.Socket c = net.connect(a.getPort(), "127.0.0.1");
      cliLog.add("connecting " + c.connecting());
      c.on("connect", () -> cliLog.add("connect, connecting " + c.connecting() + " remote "
          + c.remoteAddress().getAddress().getHostAddress()));
      c.on("ready", () -> cliLog.add("ready"));
      c.write("ping", err -> cliLog.add("write cb"));
      c.onData(d -> cliLog.add("data " + bytes(d)));
      c.onEnd(() -> cliLog.add("end"));
      c.on("close", cargs -> cliLog.add("close " + cargs[0] + " read " + c.bytesRead() + " written " + c.bytesWritten()));
    });
    server.on("listening", () -> log.accept("listening listener (after listen)"));
    log.accept("listening right after listen() " + server.listening());
  }

  private static void netConnectRefused(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server probe = net.createServer();
    probe.listen(0, "127.0.0.1", () -> {
      int port = probe.address().getPort();
      probe.close(err0 -> {
        Net.Socket c = net.connect(port, "127.0.0.1");
        c.write("early", err -> log.accept("write cb " + (err == null ? "null" : codeOf(err))));
        c.onError(x -> {
          SystemError e = (SystemError) x;
          log.accept("error " + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " address="
              + e.address() + " port=" + (e.port() == port ? "P" : String.valueOf(e.port())) + " | "
              + e.getMessage().replace(String.valueOf(port), "P"));
          log.accept("in error: destroyed " + c.isDestroyed() + " connecting " + c.connecting());
        });
        c.on("close", args -> {
          log.accept("close hadError " + args[0]);
          netConnectRefusedPart2(node, log, net);
        });
        c.onEnd(() -> log.accept("end (never)"));
        log.accept("connecting " + c.connecting());
      });
    });
  }

  private static void netConnectRefusedPart2(NodeRuntime node, Consumer<String> log, Net net) {
    Net.Server[] server = new Net.Server[1];
    server[0] = net.createServer(s -> {
      s.onEnd(() -> log.accept("server socket end"));
      s.onError(e -> log.accept("server socket error " + codeOf(e)));
      s.on("close", args -> {
        log.accept("server socket close " + args[0]);
        server[0].close();
      });
    });
    server[0].listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server[0].address().getPort(), "127.0.0.1", () -> {
        c[0].destroy();
        log.accept("client destroyed " + c[0].isDestroyed());
      });
      c[0].on("close", args -> log.accept("client close " + args[0]));
    });
  }

  private static void show(Consumer<String> log, String label, Throwable e) {
    log.accept(label + ": " + ((NodeError) e).code() + " | " + e.getMessage());
  }

  private static void netMisuseErrors(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    try {
      net.createServer().listen(70000);
    } catch (NodeError e) {
      show(log, "listen 70000", e);
    }
    try {
      net.createServer().listen(-1);
    } catch (NodeError e) {
      show(log, "listen -1", e);
    }
    try {
      net.connect(70000, "127.0.0.1");
    } catch (NodeError e) {
      show(log, "connect 70000", e);
    }
    try {
      net.connect(-2, "127.0.0.1");
    } catch (NodeError e) {
      show(log, "connect -2", e);
    }
    List<String> ips = new ArrayList<>();
    for (String ip : new String[] {"127.0.0.1", "::1", "x", "1.2.3.256", "::ffff:1.2.3.4", ""}) {
      ips.add(String.valueOf(Net.isIP(ip)));
    }
    log.accept("isIP " + String.join(",", ips));
    net.createServer().close(err -> show(log, "close not running", err));
    Net.Server server = net.createServer(s -> {
      s.onData(d -> log.accept("server data " + bytes(d)));
      s.onEnd(() -> {
        log.accept("server end");
        s.end();
      });
    });
    server.listen(0, "127.0.0.1", () -> {
      try {
        server.listen(0, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "listen twice", e);
      }
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server.address().getPort(), "127.0.0.1", () -> {
        c[0].end("last");
        c[0].end();
        c[0].write("after end", err -> show(log, "write cb", err));
        c[0].onError(e -> show(log, "socket error event", e));
        log.accept("writable " + c[0].isWritable() + " writableEnded " + c[0].writableEnded());
      });
      c[0].on("close", args -> {
        log.accept("client close " + args[0]);
        server.close(err -> log.accept("server closed"));
      });
    });
  }

  private static void dgramMisuseErrors(NodeRuntime node, Consumer<String> log) {
    NodeDgram dgram = NodeDgram.of(node);
    try {
      dgram.createSocket("udp5");
    } catch (NodeError e) {
      show(log, "udp5", e);
    }
    NodeDgram.Socket s = dgram.createSocket("udp4");
    try {
      s.address();
    } catch (NodeError e) {
      show(log, "address before bind", e);
    }
    s.on("listening", () -> {
      log.accept("listening");
      try {
        s.bind(0);
      } catch (NodeError e) {
        show(log, "bind twice", e);
      }
      try {
        s.send("x", 70000, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send port 70000", e);
      }
      try {
        s.send("x", 0, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send port 0", e);
      }
      s.close(() -> log.accept("close callback"));
      try {
        s.send("x", 9, "127.0.0.1", null);
      } catch (NodeError e) {
        show(log, "send after close", e);
      }
      try {
        s.close();
      } catch (NodeError e) {
        show(log, "close twice", e);
      }
      try {
        s.address();
      } catch (NodeError e) {
        show(log, "address after close", e);
      }
      node.nextTick(() -> log.accept("tick after close"));
    });
    s.on("close", () -> log.accept("close event"));
    s.bind(0, "127.0.0.1", null);
    log.accept("main");
  }

  // ------------------------------------------------------------------ child_process

  private static void cpKillSignals(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    List<Step> steps = List.of(
        next -> {
          Subprocess c = cp.spawn("sleep", List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
          c.on("spawn", () -> {
            try {
              c.kill("SIGFOO");
            } catch (NodeError e) {
              log.accept("unknown signal: " + e.code() + " | " + e.getMessage());
            }
            log.accept("kill SIGINT returns " + c.kill("SIGINT") + " killed " + c.killed());
          });
          c.on("exit", a -> log.accept("exit " + a[0] + " " + a[1] + " exitCode " + c.exitCode() + " signalCode "
              + c.signalCode()));
          c.on("close", a -> {
            log.accept("close " + a[0] + " " + a[1] + " kill again " + c.kill());
            next.run();
          });
        },
        next -> {
          Subprocess c = cp.spawn("sleep", List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
          c.on("spawn", () -> log.accept("kill 9 returns " + c.kill(9)));
          c.on("exit", a -> log.accept("exit " + a[0] + " " + a[1]));
          c.on("close", a -> next.run());
        },
        next -> {
          Subprocess c = cp.spawn("sh", List.of("-c", "trap \"exit 7\" TERM; echo ready; while :; do sleep 0.01; done"),
              new NodeChildProcess.Options());
          c.stdout().once("data", () -> log.accept("kill returns " + c.kill() + " killed " + c.killed()));
          c.on("exit", a -> log.accept("trapped exit " + a[0] + " " + a[1] + " killed " + c.killed()));
          c.on("close", a -> next.run());
        },
        next -> cp.exec("echo before; kill -USR1 $$; sleep 5", new NodeChildProcess.Options(), (err, out, errOut) -> {
          log.accept("exec error code=" + err.code() + " killed=" + err.killed() + " signal=" + err.signal()
              + " | " + Json.stringify(err.getMessage()) + " stdout=" + Json.stringify(out));
          next.run();
        }));
    sequence(steps, () -> log.accept("done"));
  }

  // ------------------------------------------------------------------ worker_threads

  private static void workerLifecycle(NodeRuntime node, Consumer<String> log) {
    Map<String, Object> data = new java.util.LinkedHashMap<>();
    data.put("n", 1);
    data.put("s", "x");
    List<Step> steps = List.of(
        next -> {
          Worker w = new Worker(node, wnode -> WorkerContext.parentPort().postMessage(
              "got " + Json.stringify(WorkerContext.workerData())), (Object) data);
          w.onMessage(m -> log.accept("message " + m));
          w.onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        },
        next -> {
          Worker w = new Worker(node, wnode -> {
            WorkerContext.parentPort().postMessage("started");
            wnode.setInterval(() -> { }, 1000);
          });
          w.onMessage(m -> {
            log.accept("message " + m);
            Promise<Integer> p = w.terminate();
            p.thenAccept(code -> {
              log.accept("terminate resolved " + code);
              w.terminate().thenAccept(c2 -> {
                log.accept("terminate again resolved " + str(c2));
                next.run();
              });
            });
          });
          w.onExit(code -> log.accept("exit " + code));
        },
        next -> {
          Worker w = new Worker(node, wnode -> {
            MessagePort parentPort = WorkerContext.parentPort();
            parentPort.postMessage("a");
            parentPort.postMessage("b");
            wnode.exit(5);
          });
          w.onMessage(m -> log.accept("message " + m));
          w.onError(e -> log.accept("error (never) " + e));
          w.onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        },
        next -> {
          Worker[] w = new Worker[1];
          w[0] = new Worker(node, wnode -> {
            MessagePort parentPort = WorkerContext.parentPort();
            parentPort.postMessage("a");
            parentPort.postMessage("b");
            parentPort.onMessage(m -> {
              throw new RuntimeException("worker failed");
            });
          });
          w[0].onMessage(m -> {
            log.accept("message " + m);
            if (m.equals("b")) {
              w[0].postMessage("go");
            }
          });
          w[0].onError(e -> log.accept("error " + e.getMessage()));
          w[0].onExit(code -> {
            log.accept("exit " + code);
            next.run();
          });
        });
    sequence(steps, () -> log.accept("done"));
  }

  private static void messagePortClose(NodeRuntime node, Consumer<String> log) {
    MessageChannel ch = new MessageChannel(node);
    MessagePort port1 = ch.port1();
    MessagePort port2 = ch.port2();
    port1.on("close", () -> log.accept("port1 close"));
    port2.on("close", () -> {
      log.accept("port2 close");
      MessageChannel c = new MessageChannel(node);
      c.port1().on("close", () -> log.accept("c.port1 close"));
      c.port2().on("close", () -> log.accept("c.port2 close (it had no message listener)"));
      c.port2().ref();
      log.accept("c.port2 hasRef " + c.port2().hasRef() + " (ref() without a message listener)");
      c.port1().close();
      node.setImmediate(() -> log.accept("immediate queued after c.port1.close()"));
      node.nextTick(() -> log.accept("tick after c.port1.close()"));
    });
    port2.onMessage(m -> {
      log.accept("port2 message " + m);
      node.nextTick(() -> log.accept("tick after " + m));
    });
    EventEmitter.Listener f = args -> { };
    port1.unref();
    port1.on("message", f);
    log.accept("port1 hasRef after unref() then on(message) " + port1.hasRef());
    port1.off("message", f);
    log.accept("port1 hasRef after the last listener went " + port1.hasRef());
    port1.postMessage("one");
    port1.postMessage("two");
    port1.close();
    port1.close();
    port1.postMessage("after close (dropped)");
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void streamPipelineErrors(NodeRuntime node, Consumer<String> log) {
    int[] i = {0};
    NodeStream src = new NodeStream(node, NodeStream.Options.readable()) {
      @Override
      protected void doRead(int size) {
        i[0]++;
        push(i[0] <= 5 ? (Object) ("c" + i[0]) : null);
      }
    };
    NodeTransform t = new NodeTransform(node) {
      @Override
      protected void doTransform(Object chunk, Callback cb) {
        String c = bytes((byte[]) chunk);
        if (c.equals("c2")) {
          cb.call(new RuntimeException("bad chunk c2"), null);
        } else {
          cb.call(null, c.toUpperCase());
        }
      }
    };
    List<String> got = new ArrayList<>();
    NodeStream dst = new NodeStream(node, NodeStream.Options.writable()) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        got.add(bytes(chunk));
        cb.accept(null);
      }
    };
    Object[][] named = {{"src", src}, {"t", t}, {"dst", dst}};
    for (Object[] n : named) {
      NodeStream st = (NodeStream) n[1];
      st.onError(e -> log.accept(n[0] + " error " + e.getMessage()));
      st.onClose(() -> log.accept(n[0] + " close"));
    }
    NodeStream.pipeline(src, t, dst, err -> {
      log.accept("pipeline cb " + err.getMessage() + " got " + String.join(",", got));
      log.accept("destroyed " + src.isDestroyed() + " " + t.isDestroyed() + " " + dst.isDestroyed());
      pipelineErrorsSecond(node, log);
    });
  }

  private static void pipelineErrorsSecond(NodeRuntime node, Consumer<String> log) {
    NodeStream w = new NodeStream(node, NodeStream.Options.writable()) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        cb.accept(new RuntimeException("write failed"));
      }
    };
    NodeStream.finished(w, err -> log.accept("finished w " + err.getMessage()));
    w.onError(e -> log.accept("w error " + e.getMessage()));
    w.write("x", err -> log.accept("w write cb " + err.getMessage()));
    NodeStream ok = new Stream(node, NodeStream.Options.writable(), true, true);
    NodeStream.finished(ok, err -> {
      log.accept("finished ok " + (err == null ? "undefined" : err));
      NodeStream d = new Stream(node, NodeStream.Options.writable(), true, true);
      d.destroy();
      d.write("late", e -> log.accept("write after destroy cb " + codeOf(e) + " | " + e.getMessage()));
      d.onError(e -> log.accept("d error (never) " + codeOf(e)));
      d.end(e -> log.accept("end after destroy cb " + (e == null ? "null" : codeOf(e))));
    });
    ok.end("y");
  }

  // ------------------------------------------------------------------ crypto

  private static void tryIt(Consumer<String> log, String label, Runnable f) {
    try {
      f.run();
      log.accept(label + ": no error");
    } catch (NodeError e) {
      log.accept(label + ": " + e.code() + " | " + e.getMessage());
    }
  }

  private static void cryptoArgErrors(NodeRuntime node, Consumer<String> log) {
    Crypto crypto = Crypto.of(node);
    NodeCallback<byte[]> noop = (err, v) -> { };
    tryIt(log, "pbkdf2 iterations 0", () -> crypto.pbkdf2("p", "s", 0, 8, "sha256", noop));
    tryIt(log, "pbkdf2 keylen -1", () -> crypto.pbkdf2("p", "s", 1, -1, "sha256", noop));
    tryIt(log, "pbkdf2 digest md55", () -> crypto.pbkdf2("p", "s", 1, 8, "md55", noop));
    tryIt(log, "pbkdf2Sync digest nope", () -> Crypto.pbkdf2Sync("p", "s", 1, 8, "nope"));
    tryIt(log, "scrypt keylen -1", () -> crypto.scrypt("p", "s", -1, noop));
    tryIt(log, "scryptSync N=3", () -> Crypto.scryptSync(new byte[] {'p'}, new byte[] {'s'}, 8, 3, 0, 0, 0));
    tryIt(log, "randomBytes -1", () -> crypto.randomBytes(-1, noop));
    crypto.randomBytes(0, (err, b) -> log.accept("randomBytes(0) cb " + err + " " + b.length));
    crypto.pbkdf2("p", "s", 1, 0, "sha1", (err, k) -> log.accept("pbkdf2 keylen 0 cb " + err + " " + k.length));
    node.nextTick(() -> log.accept("tick"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    log.accept("main");
  }

  private static void netPauseEncoding(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    byte[][] chunks = {"ab".getBytes(StandardCharsets.UTF_8), {(byte) 0xc3}, {(byte) 0xa9, (byte) 0xe2, (byte) 0x82},
      {(byte) 0xac, 0x7a}};
    Net.Server server = net.createServer(s -> s.once("data", () -> {
      int[] i = {0};
      Timeout[] iv = new Timeout[1];
      iv[0] = node.setInterval(() -> {
        s.write(chunks[i[0]++]);
        if (i[0] == chunks.length) {
          node.clearInterval(iv[0]);
          s.end();
        }
      }, 15);
    }));
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket[] c = new Net.Socket[1];
      c[0] = net.connect(server.address().getPort(), "127.0.0.1", () -> c[0].write("hello"));
      int[] n = {0};
      c[0].on("data", args -> {
        n[0]++;
        Object d = args[0];
        log.accept("data " + n[0] + " " + (d instanceof String str ? "string " + Json.stringify(str)
            : "buffer " + Crypto.hex((byte[]) d)));
        if (n[0] == 1) {
          c[0].setEncoding("utf8");
          log.accept("readableEncoding " + c[0].readableEncoding());
        }
        if (n[0] == 2) {
          c[0].pause();
          log.accept("paused, isPaused " + c[0].isPaused());
          node.setTimeout(() -> {
            log.accept("resume, readableLength " + c[0].readableLength());
            c[0].resume();
          }, 100);
        }
      });
      c[0].onEnd(() -> log.accept("end"));
      c[0].onClose(() -> {
        log.accept("close");
        server.close();
      });
    });
  }

  private static void uncaughtSources(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    node.onUncaughtExceptionWithOrigin((e, origin) -> log.accept("uncaught "
        + (e instanceof NodeError ne ? ne.code() + " " : "") + e.getMessage() + " / " + origin));
    node.nextTick(() -> log.accept("tick 1"));
    node.nextTick(() -> {
      throw new RuntimeException("tick 2 throws");
    });
    node.nextTick(() -> log.accept("tick 3"));
    Promise.resolve(node, null).thenRun(() -> log.accept("promise"));
    node.setTimeout(() -> fs.stat(".", (err, st) -> {
      log.accept("stat callback throws");
      node.nextTick(() -> log.accept("tick queued before the throw"));
      throw new RuntimeException("from fs callback");
    }), 1);
    node.setTimeout(() -> {
      NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
      r.destroy(new RuntimeException("stream failed"));
      r.onClose(() -> log.accept("stream close"));
    }, 20);
    node.setTimeout(() -> {
      EventEmitter e = new EventEmitter();
      e.emit("error", "just a string");
    }, 30);
    node.setTimeout(() -> {
      EventEmitter e = new EventEmitter();
      e.emit("error");
    }, 40);
    node.setTimeout(() -> {
      node.setImmediate(() -> {
        throw new RuntimeException("immediate 1 throws");
      });
      node.setImmediate(() -> log.accept("immediate 2"));
    }, 50);
    log.accept("main");
  }

  private static Consumer<Throwable> shower(Consumer<String> log, String label) {
    return e -> log.accept(label + ": " + (e == null ? "null"
        : (e instanceof NodeError ne ? ne.code() : "undefined") + " | " + e.getMessage()));
  }

  private static void streamMisuseErrors(NodeRuntime node, Consumer<String> log) {
    List<Step> steps = List.of(
        next -> {
          NodeStream w = new Stream(node, NodeStream.Options.writable(), true, true);
          try {
            w.write((Object) null);
          } catch (NodeError e) {
            shower(log, "write(null) throws").accept(e);
          }
          try {
            w.write((Object) 42);
          } catch (NodeError e) {
            shower(log, "write(42) throws").accept(e);
          }
          next.run();
        },
        next -> {
          NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
          r.onError(shower(log, "push after EOF error"));
          r.onClose(() -> {
            log.accept("r close");
            next.run();
          });
          r.push("a");
          r.push((Object) null);
          r.push("b");
        },
        next -> {
          NodeStream w = new NodeStream(node, NodeStream.Options.writable()) {
            @Override
            protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
              cb.accept(null);
              cb.accept(null);
            }
          };
          w.onError(shower(log, "double callback error"));
          w.onClose(() -> {
            log.accept("w close");
            next.run();
          });
          w.write("x", shower(log, "write cb"));
        },
        next -> {
          NodeStream w = new Stream(node, NodeStream.Options.writable(), true, true);
          w.end("x");
          w.onFinish(() -> {
            log.accept("finish");
            w.end(shower(log, "end after finish cb"));
            w.onError(shower(log, "error event (never)"));
            node.setTimeout(next, 5);
          });
        },
        next -> {
          NodeTransform t = new NodeTransform(node) {
            @Override
            protected void doTransform(Object chunk, Callback cb) {
              cb.call(null, chunk);
            }

            @Override
            protected void doFlush(Callback cb) {
              cb.call(new RuntimeException("flush failed"), null);
            }
          };
          t.onData(d -> log.accept("t data " + bytes(d)));
          t.onEnd(() -> log.accept("t end (never)"));
          t.onFinish(() -> log.accept("t finish (never)"));
          t.onError(shower(log, "t error"));
          t.onClose(() -> {
            log.accept("t close");
            next.run();
          });
          t.end("x");
        });
    sequence(steps, () -> log.accept("done"));
  }

  // ------------------------------------------------------------------ dns

  private static void dnsLookupVariants(NodeRuntime node, Consumer<String> log) {
    NodeDns dns = NodeDns.of(node);
    Consumer<Object[]> showErr = a -> {
      SystemError e = (SystemError) a[1];
      log.accept(a[0] + ": " + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " hostname=" + e.path()
          + " | " + e.getMessage());
    };
    try {
      dns.lookup("localhost", 5, (err, a) -> { });
    } catch (NodeError e) {
      log.accept("family 5: " + e.code() + " | " + e.getMessage());
    }
    dns.lookupAll("10.1.2.3", 0, (err, addrs) -> {
      log.accept("all v4 literal " + addrs);
      dns.lookupAll("fe80::1", 0, (err2, addrs2) -> {
        log.accept("all v6 literal " + addrs2);
        dns.lookup("10.1.2.3", 6, (err3, a3) -> {
          log.accept("v4 literal with family 6: " + (err3 != null ? err3.code() : a3.address() + " " + a3.family()));
          dns.lookup("", (err4, a4) -> {
            log.accept("empty host: " + err4 + " " + a4.address() + " " + a4.family());
            dns.lookupAll("no-such-host.invalid", 0, (err5, addrs5) -> {
              showErr.accept(new Object[] {"all ENOTFOUND", err5});
              log.accept("addrs " + str(addrs5));
              dns.promises().lookup("no-such-host.invalid", 4)
                  .catchAccept(e -> showErr.accept(new Object[] {"promise ENOTFOUND", e}));
            });
          });
        });
      });
    });
    node.nextTick(() -> log.accept("tick"));
    log.accept("main");
  }

  private static void cpSpawnErrors(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    java.util.function.Function<Object, String> rel = x -> String.valueOf(x).replace(d, "<d>");
    fs.writeFileSync(d + "/not-exec", "echo hi\n");
    java.util.function.Function<Subprocess.SpawnError, String> describe = e -> e.code() + " errno=" + e.errno()
        + " syscall=" + rel.apply(e.syscall()) + " path=" + rel.apply(e.path()) + " spawnargs="
        + rel.apply(Json.stringify(e.spawnargs())) + " | " + rel.apply(e.getMessage());
    java.util.function.BiConsumer<Object[], Runnable> watch = (a, next) -> {
      String label = (String) a[0];
      Subprocess c = (Subprocess) a[1];
      c.on("spawn", () -> log.accept(label + " spawn (never)"));
      c.on("exit", () -> log.accept(label + " exit (never)"));
      c.on("error", args -> log.accept(label + " error " + describe.apply((Subprocess.SpawnError) args[0])));
      c.on("close", args -> {
        log.accept(label + " close " + args[0] + " " + args[1] + " exitCode " + c.exitCode());
        next.run();
      });
    };
    List<Step> steps = List.of(
        next -> watch.accept(new Object[] {"bad cwd", cp.spawn("ls", List.of("-l"),
            new NodeChildProcess.Options().cwd(d + "/missing"))}, next),
        next -> watch.accept(new Object[] {"not executable", cp.spawn(d + "/not-exec", List.of(),
            new NodeChildProcess.Options())}, next),
        next -> cp.exec("pwd", new NodeChildProcess.Options().cwd(d + "/missing"), (err, out, errOut) -> {
          log.accept("exec bad cwd " + describe.apply((Subprocess.SpawnError) err.getCause()) + " killed="
              + str(err.killed()) + " cmd=" + err.cmd() + " stdout=" + Json.stringify(out));
          next.run();
        }),
        next -> {
          Subprocess c = cp.spawn("sh", List.of("-c", "echo out; echo err >&2"),
              new NodeChildProcess.Options().stdio("ignore", "pipe", "ignore"));
          log.accept("stdio " + (c.stdin() != null ? "stream" : "null") + "," + (c.stdout() != null ? "stream" : "null")
              + "," + (c.stderr() != null ? "stream" : "null"));
          StringBuilder out = new StringBuilder();
          c.stdout().onData(b -> out.append(bytes(b)));
          c.on("close", args -> {
            log.accept("mixed stdio close " + args[0] + " " + Json.stringify(out.toString()));
            next.run();
          });
        });
    sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static void dgramSelfSend(NodeRuntime node, Consumer<String> log) {
    NodeDgram.Socket s = NodeDgram.of(node).createSocket("udp4");
    int[] got = {0};
    s.on("listening", () -> log.accept("listening"));
    s.on("message", args -> {
      NodeDgram.Rinfo rinfo = (NodeDgram.Rinfo) args[1];
      log.accept("message " + Json.stringify(bytes((byte[]) args[0])) + " size " + rinfo.size() + " family "
          + rinfo.family());
      if (++got[0] == 4) {
        s.close(() -> log.accept("close callback"));
        log.accept("closing");
      }
    });
    s.on("close", () -> log.accept("close event"));
    s.bind(0, "127.0.0.1", () -> {
      int port = s.address().port();
      s.send("one", port, "127.0.0.1", (err, n) -> log.accept("send one cb " + err + " " + n));
      s.send("", port, "127.0.0.1", (err, n) -> log.accept("send empty cb " + err + " " + n));
      s.send("xxthreexx".getBytes(StandardCharsets.UTF_8), 2, 5, port, "127.0.0.1",
          (err, n) -> log.accept("send three cb " + err + " " + n));
      s.send("four".getBytes(StandardCharsets.UTF_8), port, "127.0.0.1", (err, n) -> log.accept("send four cb " + err + " " + n));
      node.nextTick(() -> log.accept("tick after sends"));
    });
    log.accept("main");
  }

  private static void events(Consumer<String> log, String label, NodeStream s) {
    for (String ev : new String[] {"open", "ready", "end", "finish", "close"}) {
      s.on(ev, () -> log.accept(label + " " + ev));
    }
    s.onError(e -> log.accept(label + " error " + codeOf(e)));
  }

  private static void fsStreamDestroyEarly(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    fs.writeFileSync(d + "/f", "x".repeat(100));
    List<Step> steps = List.of(
        next -> {
          NodeFs.ReadStream rs = fs.createReadStream(d + "/f");
          events(log, "rs1", rs);
          rs.onData(c -> log.accept("rs1 data (never)"));
          rs.destroy();
          log.accept("rs1 destroyed, pending " + rs.pending());
          rs.onClose(next);
        },
        next -> {
          NodeFs.ReadStream rs = fs.createReadStream(d + "/f", 10);
          events(log, "rs2", rs);
          int[] n = {0};
          rs.onData(c -> {
            n[0]++;
            log.accept("rs2 data " + c.length);
            rs.destroy();
          });
          rs.onClose(() -> {
            log.accept("rs2 chunks " + n[0] + " bytesRead " + rs.bytesRead());
            next.run();
          });
        },
        next -> {
          NodeFs.ReadStream rs = fs.createReadStream(d + "/f");
          events(log, "rs3", rs);
          rs.close(() -> {
            log.accept("rs3 close cb");
            next.run();
          });
        },
        next -> {
          NodeFs.WriteStream ws = fs.createWriteStream(d + "/w");
          events(log, "ws", ws);
          ws.write("abc", err -> log.accept("ws write cb " + (err == null ? "null" : codeOf(err))));
          ws.destroy();
          ws.onClose(() -> {
            log.accept("ws exists " + fs.existsSync(d + "/w") + " size " + fs.statSync(d + "/w").size());
            next.run();
          });
        });
    sequence(steps, () -> node.setTimeout(() -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    }, 10));
  }

  private static void netLookupTimeout(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Socket c = net.connect(80, "no-such-host.invalid");
    c.on("lookup", a -> log.accept("lookup event err=" + (a[0] == null ? "null" : codeOf((Throwable) a[0]))
        + " address=" + str(a[1])));
    c.onError(x -> {
      SystemError e = (SystemError) x;
      log.accept("error " + e.code() + " syscall=" + e.syscall() + " hostname=" + e.path() + " | " + e.getMessage());
    });
    c.on("close", a -> {
      log.accept("close " + a[0]);
      netLookupTimeoutPart2(node, log, net);
    });
    log.accept("connecting " + c.connecting());
  }

  private static void netLookupTimeoutPart2(NodeRuntime node, Consumer<String> log, Net net) {
    Net.Server server = net.createServer(s -> {
      node.setTimeout(() -> s.write("keepalive"), 40);
      s.onEnd(() -> s.end());
    });
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket client = net.connect(server.address().getPort(), "127.0.0.1");
      long start = System.currentTimeMillis();
      client.setTimeout(80);
      client.onData(d -> log.accept("data " + bytes(d)));
      client.onTimeout(() -> {
        log.accept("timeout after the data (" + (System.currentTimeMillis() - start >= 110 ? "late enough" : "too early") + ")");
        client.end();
      });
      client.onClose(() -> {
        log.accept("client close");
        server.close();
      });
    });
  }

  private static String showChunk(Object v) {
    return v == null ? "null" : v instanceof String str ? Json.stringify(str) : "[" + bytes((byte[]) v) + "]";
  }

  private static void streamReadSizes(NodeRuntime node, Consumer<String> log) {
    NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
    r.push("abcdef");
    log.accept("length " + r.readableLength());
    log.accept("read(2) " + showChunk(r.read(2)) + " length " + r.readableLength());
    log.accept("read(10) " + showChunk(r.read(10)) + " length " + r.readableLength());
    log.accept("read(0) " + showChunk(r.read(0)));
    int[] round = {0};
    r.on("readable", () -> {
      round[0]++;
      log.accept("readable " + round[0] + " length " + r.readableLength() + " ended " + r.readableEnded());
      if (round[0] == 1) {
        log.accept("  read(3) " + showChunk(r.read(3)));
        log.accept("  read(100) " + showChunk(r.read(100)));
        node.setImmediate(() -> {
          r.push("gh");
          r.push((Object) null);
        });
      } else {
        byte[] c;
        while ((c = r.read(100)) != null) {
          log.accept("  read(100) " + showChunk(c));
        }
      }
    });
    r.onEnd(() -> {
      log.accept("end");
      NodeStream s = new Stream(node, NodeStream.Options.readable(), true, true);
      s.setEncoding("utf8");
      s.push("h\u00e9\u20acllo".getBytes(StandardCharsets.UTF_8));
      s.push((Object) null);
      s.once("readable", () -> {
        log.accept("string length " + s.readableLength());
        log.accept("read(2) " + showChunk(s.readString(2)));
        log.accept("read() " + showChunk(s.readString()));
        log.accept("read() again " + showChunk(s.readString()));
      });
      s.onEnd(() -> log.accept("s end"));
    });
  }

  private static String codePoints(String s) {
    List<String> out = new ArrayList<>();
    s.codePoints().forEach(c -> out.add(Integer.toHexString(c)));
    return String.join(" ", out);
  }

  private static void fsDecodeEncodings(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    String f = d + "/b";
    int[] raw = {0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xfe, 0xf4,
      0x90, 0x80, 0x80, 0x64, 0xe2};
    byte[] b = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      b[i] = (byte) raw[i];
    }
    fs.writeFileSync(f, b);
    String[] encs = {"utf8", "ascii", "latin1", "binary", "utf16le", "ucs2", "base64", "base64url", "hex"};
    List<Step> steps = new ArrayList<>();
    for (String enc : encs) {
      steps.add(next -> fs.readFile(f, enc, (err, s) -> {
        log.accept(enc + " (" + s.length() + "): "
            + (List.of("base64", "base64url", "hex").contains(enc) ? s : codePoints(s)));
        next.run();
      }));
    }
    sequence(steps, () -> {
      NodeFs.ReadStream rs = fs.createReadStream(f, NodeFs.ReadOptions.DEFAULT.withEncoding("utf8").withHighWaterMark(4));
      List<String> parts = new ArrayList<>();
      rs.onStringData(c -> parts.add(codePoints(c)));
      rs.onEnd(() -> {
        log.accept("stream utf8 hwm 4: " + String.join(" | ", parts));
        fs.rmSync(d, true, false);
      });
    });
  }

  private static void encodeStrings(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = tmpdir(fs);
    fs.writeFile(d + "/s", "a\ud800b\udc00c\ud83d\ude00", (err, v) -> {
      log.accept("writeFile lone surrogates: " + Crypto.hex(fs.readFileSync(d + "/s")));
      fs.rmSync(d, true, false);
      String[][] cases = {
        {"latin1", "a\u0100\u20ac\u00ff"},
        {"ascii", "a\u0100\u20ac\u00ff"},
        {"hex", "abc"},
        {"hex", "12zz34"},
        {"hex", "ABcd"},
        {"base64", "aGVs bG8="},
        {"base64", "aGVsbG8"},
        {"base64", "aGV*sbG8=="},
        {"base64url", "aGVsbG8_-w"},
        {"utf8", "x\udbff"},
      };
      for (String[] c : cases) {
        NodeStream r = new Stream(node, NodeStream.Options.readable(), true, true);
        r.push(c[1], c[0]);
        r.push((Object) null);
        byte[] chunk = r.read();
        log.accept(c[0] + " " + Json.stringify(c[1]) + " -> " + (chunk == null ? "null" : Crypto.hex(chunk)));
      }
    });
  }

  private static void eeEdgeCases(NodeRuntime node, Consumer<String> log) {
    EventEmitter e = new EventEmitter();
    Runnable a = () -> log.accept("a");
    Runnable c = () -> log.accept("c");
    Runnable b = () -> {
      log.accept("b adds c");
      e.on("x", c);
    };
    e.on("newListener", args -> log.accept("newListener " + args[0] + " count before " + e.listenerCount((String) args[0])));
    e.on("x", a);
    e.once("x", b);
    log.accept("emit 1 -> " + e.emit("x"));
    log.accept("emit 2 -> " + e.emit("x"));
    log.accept("emit y -> " + e.emit("y"));
    e.on("removeListener", args -> log.accept("removeListener " + args[0] + " "
        + (args[1] == a ? "a" : args[1] == c ? "c" : "?")));
    e.removeAllListeners("x");
    log.accept("x count " + e.listenerCount("x"));
    try {
      e.setMaxListeners(-1);
    } catch (NodeError err) {
      log.accept("setMaxListeners(-1): " + err.code() + " | " + err.getMessage());
    }
    log.accept("eventNames " + String.join(",", e.eventNames()));
    e.removeAllListeners();
    log.accept("eventNames after removeAll " + Json.stringify(e.eventNames()));
  }

  private static void workerParentPortClose(NodeRuntime node, Consumer<String> log) {
    Worker w = new Worker(node, wnode -> {
      MessagePort parentPort = WorkerContext.parentPort();
      wnode.setTimeout(() -> {
        parentPort.on("close", () -> parentPort.postMessage("never: closed"));
        parentPort.onMessage(m -> {
          parentPort.postMessage("echo " + m);
          if (m.equals("bye")) {
            parentPort.close();
          }
        });
      }, 20);
    });
    w.postMessage("a");
    w.postMessage("b");
    w.postMessage("bye");
    w.onMessage(m -> log.accept("parent got " + m));
    w.onExit(code -> log.accept("exit " + code));
    log.accept("main");
  }

  private NodeOrderScenarios2() {}
}
