package io.uv4j.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the stream scenarios of the divergence hunts: destroy variants, Readable.from,
 * pipeline errors, misuse errors and read sizes (branch node5); custom backpressure, write
 * callbacks and write after end, Transform flush, 'readable', flowing start, destroy mid-pipe and
 * write errors in a pipe (branch node3). Each is NAME.js line for line. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeStreamOrderScenarios {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("stream_destroy_variants", NodeStreamOrderScenarios::streamDestroyVariants);
    all.put("stream_from_iterable", NodeStreamOrderScenarios::streamFromIterable);
    all.put("stream_pipeline_errors", NodeStreamOrderScenarios::streamPipelineErrors);
    all.put("stream_misuse_errors", NodeStreamOrderScenarios::streamMisuseErrors);
    all.put("stream_read_sizes", NodeStreamOrderScenarios::streamReadSizes);
    all.put("stream_custom_backpressure", NodeStreamOrderScenarios::streamCustomBackpressure);
    all.put("stream_writable_callbacks", (node, log) -> writableCallbacks(node, log, false));
    all.put("stream_write_after_end", (node, log) -> writableCallbacks(node, log, true));
    all.put("stream_transform_flush", NodeStreamOrderScenarios::streamTransformFlush);
    all.put("stream_readable_event", NodeStreamOrderScenarios::streamReadableEvent);
    all.put("stream_flowing_start", NodeStreamOrderScenarios::streamFlowingStart);
    all.put("stream_destroy_mid_pipe", NodeStreamOrderScenarios::streamDestroyMidPipe);
    all.put("stream_write_error_pipe", NodeStreamOrderScenarios::streamWriteErrorPipe);
  }

  private static void watch(Consumer<String> log, String name, NodeStream s) {
    s.onError(e -> log.accept(name + " error " + e.getMessage() + " closed=" + s.isClosed()));
    s.onClose(() -> log.accept(name + " close errored=" + (s.errored() == null ? "null" : s.errored().getMessage())
        + " closed=" + s.isClosed()));
    s.on("end", () -> log.accept(name + " end"));
    s.on("finish", () -> log.accept(name + " finish"));
  }

  private static void streamDestroyVariants(NodeRuntime node, Consumer<String> log) {
    NodeStream r1 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), true, true);
    watch(log, "r1", r1);
    r1.destroy();
    log.accept("r1 destroyed=" + r1.isDestroyed() + " closed=" + r1.isClosed());
    NodeStream w1 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, true);
    watch(log, "w1", w1);
    w1.destroy(new RuntimeException("w1 boom"));
    w1.destroy(new RuntimeException("second (ignored)"));
    log.accept("w1 errored=" + w1.errored().getMessage());
    NodeStream d1 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.duplex(), true, true);
    watch(log, "d1", d1);
    d1.destroy(new RuntimeException("d1 boom"));
    NodeStream r2 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), false, true);
    watch(log, "r2", r2);
    r2.destroy(new RuntimeException("r2 boom"));
    node.nextTick(() -> log.accept("tick after destroys"));
    node.setTimeout(() -> {
      NodeStream r3 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), true, false);
      watch(log, "r3", r3);
      r3.push("x");
      r3.push((Object) null);
      r3.resume();
      node.setTimeout(() -> {
        log.accept("r3 destroyed=" + r3.isDestroyed() + " readableEnded=" + r3.readableEnded());
        r3.destroy();
        NodeStream w3 = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, false);
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
        String c = NodeOrderScenarios2.bytes((byte[]) chunk);
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
        got.add(NodeOrderScenarios2.bytes(chunk));
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
    NodeStream ok = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, true);
    NodeStream.finished(ok, err -> {
      log.accept("finished ok " + (err == null ? "undefined" : err));
      NodeStream d = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, true);
      d.destroy();
      d.write("late", e -> log.accept("write after destroy cb " + NodeOrderScenarios2.codeOf(e) + " | " + e.getMessage()));
      d.onError(e -> log.accept("d error (never) " + NodeOrderScenarios2.codeOf(e)));
      d.end(e -> log.accept("end after destroy cb " + (e == null ? "null" : NodeOrderScenarios2.codeOf(e))));
    });
    ok.end("y");
  }

  private static Consumer<Throwable> shower(Consumer<String> log, String label) {
    return e -> log.accept(label + ": " + (e == null ? "null"
        : (e instanceof NodeError ne ? ne.code() : "undefined") + " | " + e.getMessage()));
  }

  private static void streamMisuseErrors(NodeRuntime node, Consumer<String> log) {
    List<NodeOrderScenarios2.Step> steps = List.of(
        next -> {
          NodeStream w = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, true);
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
          NodeStream r = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), true, true);
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
          NodeStream w = new NodeOrderScenarios2.Stream(node, NodeStream.Options.writable(), true, true);
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
          t.onData(d -> log.accept("t data " + NodeOrderScenarios2.bytes(d)));
          t.onEnd(() -> log.accept("t end (never)"));
          t.onFinish(() -> log.accept("t finish (never)"));
          t.onError(shower(log, "t error"));
          t.onClose(() -> {
            log.accept("t close");
            next.run();
          });
          t.end("x");
        });
    NodeOrderScenarios2.sequence(steps, () -> log.accept("done"));
  }

  private static String showChunk(Object v) {
    return v == null ? "null" : v instanceof String str ? Json.stringify(str) : "[" + NodeOrderScenarios2.bytes((byte[]) v) + "]";
  }

  private static void streamReadSizes(NodeRuntime node, Consumer<String> log) {
    NodeStream r = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), true, true);
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
      NodeStream s = new NodeOrderScenarios2.Stream(node, NodeStream.Options.readable(), true, true);
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

  private static void streamCustomBackpressure(NodeRuntime node, Consumer<String> log) {
    int[] i = {0};
    NodeStream src = new NodeStream(node, NodeStream.Options.readable().withObjectMode(true).withHighWaterMark(2)) {
      @Override
      protected void doRead(int size) {
        i[0]++;
        log.accept("read " + i[0]);
        push(i[0] <= 4 ? (Object) ("c" + i[0]) : null);
      }
    };
    NodeStream dst = new NodeStream(node, NodeStream.Options.writable().withObjectMode(true).withHighWaterMark(1)) {
      @Override
      protected void doWriteObject(Object chunk, Consumer<Throwable> cb) {
        log.accept("write " + chunk);
        node.setImmediate(() -> {
          log.accept("done " + chunk);
          cb.accept(null);
        });
      }

      @Override
      protected boolean hasFinal() {
        return true;
      }

      @Override
      protected void doFinal(Consumer<Throwable> cb) {
        log.accept("final");
        cb.accept(null);
      }
    };
    src.onEnd(() -> log.accept("src end"));
    src.onClose(() -> log.accept("src close"));
    dst.onDrain(() -> log.accept("dst drain"));
    dst.onFinish(() -> log.accept("dst finish"));
    dst.onClose(() -> log.accept("dst close"));
    src.pipe(dst);
    log.accept("main");
  }

  private static void writableCallbacks(NodeRuntime node, Consumer<String> log, boolean writeAfterEnd) {
    NodeStream w = new NodeStream(node, false, true, 0, NodeStream.DEFAULT_HIGH_WATER_MARK) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        log.accept("_write " + new String(chunk, StandardCharsets.UTF_8));
        cb.accept(null);
      }

      @Override
      protected boolean hasFinal() {
        return true;
      }

      @Override
      protected void doFinal(Consumer<Throwable> cb) {
        log.accept("_final");
        node.nextTick(() -> cb.accept(null));
      }
    };
    w.onFinish(() -> log.accept("finish"));
    w.onClose(() -> log.accept("close"));
    w.onError(e -> log.accept("error " + NodeOrderScenarios.code(e)));
    log.accept("write a returned " + w.write("a", err -> log.accept("cb a")));
    log.accept("write b returned " + w.write("b", err -> log.accept("cb b")));
    node.nextTick(() -> log.accept("tick between"));
    w.end("c", err -> log.accept("end cb " + NodeOrderScenarios.code(err)));
    if (writeAfterEnd) {
      w.write("d", err -> log.accept("cb d " + NodeOrderScenarios.code(err)));
    }
    log.accept("main");
  }

  private static void streamTransformFlush(NodeRuntime node, Consumer<String> log) {
    NodeTransform t = new NodeTransform(node) {
      @Override
      protected void doTransform(Object chunk, Callback cb) {
        String s = new String((byte[]) chunk, StandardCharsets.UTF_8);
        log.accept("transform " + s);
        cb.call(null, s.toUpperCase());
      }

      @Override
      protected void doFlush(Callback cb) {
        log.accept("flush");
        push("!");
        node.nextTick(() -> cb.call(null, null));
      }
    };
    t.onData(d -> log.accept("data " + new String(d, StandardCharsets.UTF_8)));
    t.onFinish(() -> log.accept("finish"));
    t.onEnd(() -> log.accept("end"));
    t.onClose(() -> log.accept("close"));
    t.write("a");
    t.write("b", err -> log.accept("write b cb"));
    t.end("c", err -> log.accept("end cb"));
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static void streamReadableEvent(NodeRuntime node, Consumer<String> log) {
    NodeStream r = new NodeStream(node, true, false, NodeStream.DEFAULT_HIGH_WATER_MARK, 0) {
      @Override
      protected void doRead(int size) {
      }
    };
    r.on("readable", () -> {
      log.accept("readable, length " + r.readableLength());
      byte[] chunk;
      while ((chunk = r.read()) != null) {
        log.accept("read " + new String(chunk, StandardCharsets.UTF_8));
      }
    });
    r.onEnd(() -> log.accept("end"));
    r.onClose(() -> log.accept("close"));
    r.push("one");
    r.push("two");
    log.accept("pushed two");
    node.setImmediate(() -> {
      r.push("three");
      r.push((Object) null);
      log.accept("pushed three and EOF");
    });
    node.nextTick(() -> log.accept("tick from main"));
    log.accept("main");
  }

  private static NodeStream readable(NodeRuntime node, Consumer<NodeStream> read) {
    return new NodeStream(node, true, false, NodeStream.DEFAULT_HIGH_WATER_MARK, 0) {
      @Override
      protected void doRead(int size) {
        read.accept(this);
      }
    };
  }

  private static NodeStream writable(NodeRuntime node, java.util.function.BiConsumer<String, Consumer<Throwable>> write) {
    return new NodeStream(node, false, true, 0, NodeStream.DEFAULT_HIGH_WATER_MARK) {
      @Override
      protected void doWrite(byte[] chunk, Consumer<Throwable> cb) {
        write.accept(new String(chunk, StandardCharsets.UTF_8), cb);
      }
    };
  }

  private static void streamFlowingStart(NodeRuntime node, Consumer<String> log) {
    NodeStream r = readable(node, self -> { });
    r.push("a");
    node.nextTick(() -> log.accept("tick queued before on(data)"));
    r.onData(bytes -> {
      String d = new String(bytes, StandardCharsets.UTF_8);
      log.accept("data " + d);
      if (d.equals("b")) {
        r.pause();
        log.accept("paused, isPaused " + r.isPaused());
        r.push("c");
        node.setImmediate(() -> {
          log.accept("immediate resumes");
          r.resume();
          r.push((Object) null);
        });
      }
    });
    r.on("pause", () -> log.accept("pause event"));
    r.on("resume", () -> log.accept("resume event"));
    r.onEnd(() -> log.accept("end"));
    r.onClose(() -> log.accept("close"));
    r.push("b");
    log.accept("flowing " + r.readableFlowing());
    node.nextTick(() -> log.accept("tick queued after on(data), flowing " + r.readableFlowing()));
    log.accept("main");
  }

  private static void streamDestroyMidPipe(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    NodeStream src = readable(node, self -> {
      n[0]++;
      if (n[0] <= 3) {
        self.push("c" + n[0]);
      }
    });
    NodeStream[] srcRef = {src};
    NodeStream dst = writable(node, (chunk, cb) -> {
      log.accept("write " + chunk);
      if (chunk.equals("c2")) {
        srcRef[0].destroy();
        log.accept("src destroyed");
      }
      cb.accept(null);
    });
    src.onEnd(() -> log.accept("src end (never)"));
    src.onClose(() -> log.accept("src close"));
    dst.on("unpipe", () -> log.accept("dst unpipe (never)"));
    dst.onFinish(() -> log.accept("dst finish (never)"));
    dst.onClose(() -> log.accept("dst close (never)"));
    src.pipe(dst);
    node.setTimeout(() -> log.accept("later: dst writable " + dst.isWritable() + ", src destroyed "
        + src.isDestroyed()), 5);
  }

  private static void streamWriteErrorPipe(NodeRuntime node, Consumer<String> log) {
    int[] n = {0};
    NodeStream src = readable(node, self -> {
      n[0]++;
      self.push(n[0] <= 5 ? (Object) ("c" + n[0]) : null);
    });
    NodeStream dst = writable(node, (chunk, cb) -> {
      log.accept("write " + chunk);
      cb.accept(chunk.equals("c2") ? new RuntimeException("disk full") : null);
    });
    src.onClose(() -> log.accept("src close (never)"));
    dst.on("unpipe", () -> log.accept("dst unpipe"));
    dst.onError(e -> log.accept("dst error " + e.getMessage()));
    dst.onClose(() -> log.accept("dst close"));
    src.pipe(dst);
    node.setTimeout(() -> log.accept("later: src destroyed " + src.isDestroyed() + ", flowing "
        + src.readableFlowing()), 5);
  }

  private NodeStreamOrderScenarios() {}
}
