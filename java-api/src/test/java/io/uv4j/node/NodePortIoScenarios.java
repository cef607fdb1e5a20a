package io.uv4j.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Java twins of the scenarios ported from Node's stream, fs and net event-order tests (see
 * docs/NODE-PORTS.md). The same program as NAME.js, line for line; the synchronous fs calls of
 * the JavaScript (writeFileSync, statSync, rmSync) are java.nio.file here. Registered into
 * {@link NodeScenarios#ALL}.
 */
final class NodePortIoScenarios {
  private NodePortIoScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("next_tick_doesnt_hang", NodePortIoScenarios::nextTickDoesntHang);
    all.put("stream_end_paused", NodePortIoScenarios::streamEndPaused);
    all.put("fs_write_stream_end", NodePortIoScenarios::fsWriteStreamEnd);
    all.put("fs_read_stream_resume", NodePortIoScenarios::fsReadStreamResume);
    all.put("net_socket_close_after_end", NodePortIoScenarios::netSocketCloseAfterEnd);
    all.put("timers_immediate_queue_throw", NodePortIoScenarios::timersImmediateQueueThrow);
    all.put("timers_clear_timeout_interval_equivalent", NodePortIoScenarios::timersClearEquivalent);
    all.put("process_beforeexit_throw_exit", NodePortIoScenarios::processBeforeExitThrowExit);
    all.put("process_exit_from_before_exit", NodePortIoScenarios::processExitFromBeforeExit);
    all.put("timers_refresh_in_callback", NodePortIoScenarios::timersRefreshInCallback);
    all.put("timers_immediate_unref_simple", NodePortIoScenarios::timersImmediateUnrefSimple);
    all.put("timers_immediate_unref_nested_once", NodePortIoScenarios::timersImmediateUnrefNestedOnce);
  }

  private static void timersImmediateUnrefSimple(NodeRuntime node, Consumer<String> log) {
    node.setImmediate(() -> log.accept("never")).unref();
    node.onExit(code -> log.accept("exit"));
    log.accept("main");
  }

  private static void timersImmediateUnrefNestedOnce(NodeRuntime node, Consumer<String> log) {
    node.setImmediate(() -> {
      log.accept("outer immediate");
      node.setImmediate(() -> log.accept("never")).unref();
    });
    node.onExit(code -> log.accept("exit"));
  }

  private static void processExitFromBeforeExit(NodeRuntime node, Consumer<String> log) {
    node.onBeforeExit(code -> {
      log.accept("beforeExit");
      node.setTimeout(() -> log.accept("timeout (never)"), 5);
      node.exit(0);
      log.accept("after exit (never)");
    });
    node.onExit(code -> log.accept("exit " + code));
  }

  private static void timersRefreshInCallback(NodeRuntime node, Consumer<String> log) {
    boolean[] didCall = {false};
    int[] calls = {0};
    // The callback gets its own Timeout (Node's `timer` from the closure).
    node.setTimeout(timer -> {
      calls[0]++;
      log.accept("call " + calls[0]);
      if (!didCall[0]) {
        didCall[0] = true;
        timer.refresh();
      }
    }, 1);
    node.onExit(code -> log.accept("exit after " + calls[0] + " calls"));
  }

  private static void timersImmediateQueueThrow(NodeRuntime node, Consumer<String> log) {
    boolean[] threw = {false};
    int[] stage = {-1};
    int[] runs = {0};
    int queue = 10;
    boolean[] onceDone = {false};
    node.onUncaughtException(err -> {
      if (!onceDone[0]) {
        onceDone[0] = true;
        log.accept("uncaught \"" + err.getMessage() + "\" at stage " + stage[0]);
      }
    });
    @SuppressWarnings("unchecked")
    Consumer<Integer>[] run = new Consumer[1];
    run[0] = callStage -> {
      runs[0]++;
      if (callStage < stage[0]) {
        log.accept("out of order: " + callStage + " after " + stage[0]);
      }
      if (callStage != stage[0]) {
        log.accept("stage " + callStage);
      }
      stage[0] = callStage;
      if (threw[0]) {
        return;
      }
      node.setImmediate(run[0], 2);
    };
    for (int i = 0; i < queue; i++) {
      node.setImmediate(run[0], 0);
    }
    node.setImmediate(() -> {
      threw[0] = true;
      node.nextTick(() -> log.accept("tick after the throw: stage " + stage[0]));
      throw new IllegalStateException("setImmediate Err");
    });
    for (int i = 0; i < queue; i++) {
      node.setImmediate(run[0], 1);
    }
    node.onExit(code -> log.accept("runs " + runs[0]));
  }

  private static void timersClearEquivalent(NodeRuntime node, Consumer<String> log) {
    Timeout interval = node.setInterval(() -> log.accept("interval (never)"), 1);
    node.clearTimeout(interval);
    Timeout timeout = node.setTimeout(() -> log.accept("timeout (never)"), 1);
    node.clearInterval(timeout);
    node.setTimeout(() -> log.accept("a later timer runs"), 5);
    node.onExit(code -> log.accept("exit"));
  }

  private static void processBeforeExitThrowExit(NodeRuntime node, Consumer<String> log) {
    node.onExit(code -> {
      log.accept("exit " + code);
      node.setExitCode(0);
    });
    node.onBeforeExit(code -> {
      log.accept("beforeExit");
      throw new IllegalStateException("from beforeExit");
    });
  }

  private static void nextTickDoesntHang(NodeRuntime node, Consumer<String> log) {
    node.nextTick(() -> log.accept("tick"));
    node.onExit(code -> log.accept("exit"));
  }

  /** new Readable({ read() { this.push(null); } }). */
  private static final class EmptyReadable extends NodeStream {
    int calledRead;

    EmptyReadable(NodeRuntime node) {
      super(node, true, false, DEFAULT_HIGH_WATER_MARK, DEFAULT_HIGH_WATER_MARK);
    }

    @Override
    protected void doRead(int size) {
      calledRead++;
      push(null);
    }
  }

  private static void streamEndPaused(NodeRuntime node, Consumer<String> log) {
    boolean[] gotEnd = {false};
    EmptyReadable stream = new EmptyReadable(node);
    stream.onData(d -> log.accept("data (never)"));
    stream.pause();
    node.setTimeout(() -> {
      stream.onEnd(() -> {
        log.accept("end");
        gotEnd[0] = true;
      });
      stream.resume();
    }, 1);
    node.onExit(code -> log.accept("gotEnd " + gotEnd[0] + " calledRead " + stream.calledRead));
  }

  private static void fsWriteStreamEnd(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    Path dir = Files.createTempDirectory("uv4j-");
    Runnable second = () -> {
      Path file = dir.resolve("write-end-test1.txt");
      NodeFs.WriteStream stream = fs.createWriteStream(file.toString());
      stream.end("a\n");
      stream.onFinish(() -> log.accept("1 finish"));
      stream.onClose(() -> {
        log.accept("1 close, content " + json(read(file)));
        rmrf(dir);
      });
    };
    Path file = dir.resolve("write-end-test0.txt");
    NodeFs.WriteStream stream = fs.createWriteStream(file.toString());
    stream.end();
    stream.onFinish(() -> log.accept("0 finish"));
    stream.onClose(() -> {
      log.accept("0 close, size " + size(file));
      second.run();
    });
  }

  private static void fsReadStreamResume(NodeRuntime node, Consumer<String> log) throws Exception {
    NodeFs fs = NodeFs.of(node);
    Path dir = Files.createTempDirectory("uv4j-");
    Path file = dir.resolve("x.txt");
    Files.writeString(file, "xyz\n");
    StringBuilder data = new StringBuilder();
    boolean[] first = {true};
    NodeFs.ReadStream stream = fs.createReadStream(file.toString());
    stream.onData(chunk -> {
      log.accept("data " + chunk.length);
      data.append(new String(chunk, StandardCharsets.UTF_8));
      if (first[0]) {
        first[0] = false;
        stream.resume();
      }
    });
    stream.onEnd(() -> log.accept("end"));
    node.nextTick(() -> {
      stream.pause();
      log.accept("paused");
      node.setTimeout(() -> {
        log.accept("resume");
        stream.resume();
      }, 100);
    });
    node.onExit(code -> {
      rmrf(dir);
      log.accept("data " + json(data.toString()));
    });
  }

  private static void netSocketCloseAfterEnd(NodeRuntime node, Consumer<String> log) {
    Net net = Net.of(node);
    Net.Server server = net.createServer();
    server.on("connection", args -> {
      Net.Socket socket = (Net.Socket) args[0];
      boolean[] endEmitted = {false};
      socket.once("readable", () -> {
        log.accept("readable");
        node.setTimeout(() -> {
          byte[] b = socket.read();
          log.accept("read " + (b == null ? "null" : new String(b, StandardCharsets.UTF_8)));
        }, 100);
      });
      socket.onEnd(() -> {
        log.accept("end");
        endEmitted[0] = true;
      });
      socket.onClose(() -> {
        log.accept("close, endEmitted " + endEmitted[0]);
        server.close();
      });
      socket.end("foo");
    });
    server.listen(0, "127.0.0.1", () -> {
      Net.Socket[] socket = new Net.Socket[1];
      socket[0] = net.createConnection(server.address().getPort(), "127.0.0.1", () -> socket[0].end("foo"));
    });
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void rmrf(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON.stringify of a string with only printable ASCII and \n. */
  private static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

}
