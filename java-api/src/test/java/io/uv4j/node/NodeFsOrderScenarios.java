package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the fs scenarios of the divergence hunts: error messages and codes, encodings of
 * stat and paths, fs.promises errors, read/write stream ranges, flags, early destroy and decoding
 * (branch node5); events of a pipe read and written through fs streams and the ticks of a
 * fs.promises chain (branch node3). Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeFsOrderScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("fs_error_messages", NodeFsOrderScenarios::fsErrorMessages);
    all.put("fs_encodings_stat", NodeFsOrderScenarios::fsEncodingsStat);
    all.put("fs_promises_errors", NodeFsOrderScenarios::fsPromisesErrors);
    all.put("fs_stream_ranges", NodeFsOrderScenarios::fsStreamRanges);
    all.put("fs_write_stream_flags", NodeFsOrderScenarios::fsWriteStreamFlags);
    all.put("fs_stream_destroy_early", NodeFsOrderScenarios::fsStreamDestroyEarly);
    all.put("fs_decode_encodings", NodeFsOrderScenarios::fsDecodeEncodings);
    all.put("fs_pipe_events", NodeFsOrderScenarios::fsPipeEvents);
    all.put("fs_promises_chain_ticks", NodeFsOrderScenarios::fsPromisesChainTicks);
  }

  private static void fsErrorMessages(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    java.util.function.Function<Object, String> rel = s -> NodeOrderScenarios2.str(s).replace(d, "<d>");
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
    List<NodeOrderScenarios2.Step> steps = List.of(
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
    NodeOrderScenarios2.sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static void fsEncodingsStat(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    java.util.function.Function<Object, String> rel = s -> NodeOrderScenarios2.str(s).replace(d, "<d>");
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
                  log.accept("mkdir plain " + err6 + " value " + NodeOrderScenarios2.str(v6));
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
    String d = NodeOrderScenarios2.tmpdir(fs);
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
          log.accept("mkdir value " + NodeOrderScenarios2.str(v));
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

  private static void fsStreamRanges(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
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
    List<NodeOrderScenarios2.Step> steps = new ArrayList<>();
    for (Object[] c : cases) {
      String label = (String) c[0];
      steps.add(next -> {
        NodeFs.ReadStream rs = fs.createReadStream((String) c[1], (NodeFs.ReadOptions) c[2]);
        List<String> chunks = new ArrayList<>();
        rs.on("open", () -> log.accept(label + ": open, pending " + rs.pending()));
        rs.on("ready", () -> log.accept(label + ": ready"));
        rs.on("data", args -> chunks.add(args[0] instanceof String str ? Json.stringify(str)
            : "[" + NodeOrderScenarios2.bytes((byte[]) args[0]) + "]"));
        rs.onEnd(() -> log.accept(label + ": end " + String.join(" ", chunks)));
        rs.onClose(() -> {
          log.accept(label + ": close bytesRead " + rs.bytesRead());
          next.run();
        });
        log.accept(label + ": created, pending " + rs.pending());
      });
    }
    NodeOrderScenarios2.sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  private static void fsWriteStreamFlags(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    String f = d + "/f";
    fs.writeFileSync(f, "abcdef");
    List<NodeOrderScenarios2.Step> steps = List.of(
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
          ws.onError(e -> log.accept("wx error " + NodeOrderScenarios2.codeOf(e) + " " + ((SystemError) e).syscall()
              + " destroyed " + ws.isDestroyed()));
          ws.onFinish(() -> log.accept("wx finish (never)"));
          ws.onClose(() -> {
            log.accept("wx close");
            next.run();
          });
          ws.write("x", err -> log.accept("wx write cb " + (err == null ? "null" : NodeOrderScenarios2.codeOf(err))));
        },
        next -> {
          NodeFs.WriteStream ws = fs.createWriteStream(f, NodeFs.WriteOptions.DEFAULT.withFlags("r+").withStart(2));
          ws.write("ZZ");
          ws.end("Y", err -> log.accept("in place end cb " + fs.readFileSync(f, "utf8")));
          ws.onClose(() -> {
            log.accept("in place close");
            ws.write("late", err -> log.accept("late write cb " + NodeOrderScenarios2.codeOf(err)));
            ws.onError(e -> log.accept("late error " + NodeOrderScenarios2.codeOf(e) + ": " + e.getMessage()));
            next.run();
          });
        });
    NodeOrderScenarios2.sequence(steps, () -> node.setTimeout(() -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    }, 20));
  }

  private static void events(Consumer<String> log, String label, NodeStream s) {
    for (String ev : new String[] {"open", "ready", "end", "finish", "close"}) {
      s.on(ev, () -> log.accept(label + " " + ev));
    }
    s.onError(e -> log.accept(label + " error " + NodeOrderScenarios2.codeOf(e)));
  }

  private static void fsStreamDestroyEarly(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    fs.writeFileSync(d + "/f", "x".repeat(100));
    List<NodeOrderScenarios2.Step> steps = List.of(
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
          ws.write("abc", err -> log.accept("ws write cb " + (err == null ? "null" : NodeOrderScenarios2.codeOf(err))));
          ws.destroy();
          ws.onClose(() -> {
            log.accept("ws exists " + fs.existsSync(d + "/w") + " size " + fs.statSync(d + "/w").size());
            next.run();
          });
        });
    NodeOrderScenarios2.sequence(steps, () -> node.setTimeout(() -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    }, 10));
  }

  private static String codePoints(String s) {
    List<String> out = new ArrayList<>();
    s.codePoints().forEach(c -> out.add(Integer.toHexString(c)));
    return String.join(" ", out);
  }

  private static void fsDecodeEncodings(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    String f = d + "/b";
    int[] raw = {0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xfe, 0xf4,
      0x90, 0x80, 0x80, 0x64, 0xe2};
    byte[] b = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      b[i] = (byte) raw[i];
    }
    fs.writeFileSync(f, b);
    String[] encs = {"utf8", "ascii", "latin1", "binary", "utf16le", "ucs2", "base64", "base64url", "hex"};
    List<NodeOrderScenarios2.Step> steps = new ArrayList<>();
    for (String enc : encs) {
      steps.add(next -> fs.readFile(f, enc, (err, s) -> {
        log.accept(enc + " (" + s.length() + "): "
            + (List.of("base64", "base64url", "hex").contains(enc) ? s : codePoints(s)));
        next.run();
      }));
    }
    NodeOrderScenarios2.sequence(steps, () -> {
      NodeFs.ReadStream rs = fs.createReadStream(f, NodeFs.ReadOptions.DEFAULT.withEncoding("utf8").withHighWaterMark(4));
      List<String> parts = new ArrayList<>();
      rs.onStringData(c -> parts.add(codePoints(c)));
      rs.onEnd(() -> {
        log.accept("stream utf8 hwm 4: " + String.join(" | ", parts));
        fs.rmSync(d, true, false);
      });
    });
  }

  private static void fsPipeEvents(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String dir = fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
    fs.writeFileSync(dir + "/in", "x".repeat(100));
    NodeFs.ReadStream rs = fs.createReadStream(dir + "/in", 64);
    NodeFs.WriteStream ws = fs.createWriteStream(dir + "/out");
    int[] chunks = {0};
    rs.onData(d -> chunks[0]++);
    rs.onEnd(() -> log.accept("rs end after " + chunks[0] + " chunks"));
    boolean[] rsClosed = {false};
    rs.onClose(() -> rsClosed[0] = true);
    ws.on("pipe", () -> log.accept("ws pipe"));
    ws.on("unpipe", () -> log.accept("ws unpipe"));
    ws.onFinish(() -> log.accept("ws finish"));
    ws.onClose(() -> {
      log.accept("ws close " + fs.readFileSync(dir + "/out", "utf8").length());
      fs.rmSync(dir, true, false);
    });
    node.onExit(code -> log.accept("rs closed " + rsClosed[0]));
    rs.pipe(ws);
    log.accept("main");
  }

  private static void fsPromisesChainTicks(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    NodeFs.Promises p = fs.promises();
    String dir = fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-");
    String file = dir + "/f.txt";
    p.writeFile(file, "hello")
        .thenCompose(v -> {
          log.accept("written");
          node.nextTick(() -> log.accept("tick after written"));
          node.queueMicrotask(() -> log.accept("micro after written"));
          return p.readFile(file, "utf8");
        })
        .then(text -> {
          log.accept("read " + text);
          fs.stat(file, (err, st) -> {
            log.accept("callback stat size " + st.size());
            node.nextTick(() -> log.accept("tick from stat callback"));
            p.stat(dir + "/missing")
                .then(x -> NodeOrderScenarios.say(log, "never"))
                .catch_(e -> {
                  log.accept("missing " + ((SystemError) e).code() + " " + ((SystemError) e).syscall());
                  return p.rm(dir, true, false);
                })
                .thenRun(() -> log.accept("removed"));
            Promise.resolve(node, null).thenRun(() -> log.accept("promise from stat callback"));
          });
          return "chain value";
        })
        .thenAccept(v -> log.accept("then " + v));
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private NodeFsOrderScenarios() {}
}
