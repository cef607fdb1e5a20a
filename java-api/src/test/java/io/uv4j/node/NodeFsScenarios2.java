package io.uv4j.node;

import io.uv4j.Fs;
import io.uv4j.Stat;
import io.uv4j.UvException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Java twins of the fs gap scenarios (branch node6): access, truncate, copyFile modes,
 * writeFile/appendFile options, watch, watchFile, rm/rmdir. Each is NAME.js line for line.
 * Registered into {@link NodeScenarios#ALL}.
 */
final class NodeFsScenarios2 {
  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("fs2_access_truncate", NodeFsScenarios2::accessTruncate);
  }

  private static String str(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  /** The JS scenarios' {@code show(label, err)}: code, errno, syscall, path, message. */
  private static final class Show {
    final Consumer<String> log;
    final Function<Object, String> rel;

    Show(Consumer<String> log, String d) {
      this.log = log;
      this.rel = s -> str(s).replace(d, "<d>");
    }

    void show(String label, Throwable t) {
      if (t == null) {
        log.accept(label + ": ok");
        return;
      }
      NodeError err = (NodeError) t;
      SystemError se = err instanceof SystemError s ? s : null;
      log.accept(label + ": " + err.code() + " errno=" + (se != null ? se.errno() : "undefined")
          + " syscall=" + (se != null ? str(se.syscall()) : "undefined") + " path=" + rel.apply(se != null ? se.path() : null)
          + " | " + rel.apply(err.getMessage()));
    }

    void sync(String label, Runnable r) {
      try {
        r.run();
        show(label, null);
      } catch (NodeError e) {
        show(label, e);
      }
    }
  }

  private static <T> Promise<T> done(Promise<T> p, Show s, String label, Runnable next) {
    return p.then(v -> {
      s.show(label, null);
      next.run();
      return v;
    });
  }

  private static <T> void failed(Promise<T> p, Show s, String label, Runnable next) {
    p.then(v -> {
      s.log.accept(label + ": resolved");
      return v;
    }, e -> {
      s.show(label, e);
      next.run();
      return null;
    });
  }

  private static void finish(NodeFs fs, String d, Consumer<String> log, List<NodeOrderScenarios2.Step> steps) {
    NodeOrderScenarios2.sequence(steps, () -> {
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  // ------------------------------------------------------------------ access, truncate

  private static void accessTruncate(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    Show s = new Show(log, d);
    String f = d + "/f";
    fs.writeFileSync(f, "hello");
    try {
      Fs.chmodSync(f, 0644);
    } catch (UvException e) {
      throw new AssertionError(e);
    }
    fs.mkdirSync(d + "/dir");
    FsConstants c = NodeFs.constants;
    List<NodeOrderScenarios2.Step> steps = List.of(
        next -> fs.access(f, (err, v) -> { s.show("access F_OK default", err); next.run(); }),
        next -> fs.access(f, c.R_OK, (err, v) -> { s.show("access R_OK", err); next.run(); }),
        next -> fs.access(f, c.W_OK, (err, v) -> { s.show("access W_OK", err); next.run(); }),
        next -> fs.access(f, c.X_OK, (err, v) -> { s.show("access X_OK", err); next.run(); }),
        next -> fs.access(f, c.R_OK | c.W_OK, (err, v) -> { s.show("access R_OK|W_OK", err); next.run(); }),
        next -> fs.access(d + "/missing", (err, v) -> { s.show("access missing", err); next.run(); }),
        next -> fs.access(d + "/dir", c.X_OK, (err, v) -> { s.show("access dir X_OK", err); next.run(); }),
        next -> {
          s.sync("accessSync F_OK", () -> fs.accessSync(f));
          s.sync("accessSync X_OK", () -> fs.accessSync(f, c.X_OK));
          s.sync("accessSync missing", () -> fs.accessSync(d + "/missing", c.R_OK));
          s.sync("accessSync mode 8", () -> fs.accessSync(f, 8));
          s.sync("access mode -1", () -> fs.access(f, -1, (err, v) -> log.accept("not called")));
          next.run();
        },
        next -> done(fs.promises().access(f, c.W_OK), s, "promises.access W_OK", next),
        next -> failed(fs.promises().access(d + "/missing"), s, "promises.access missing", next),
        next -> failed(fs.promises().access(f, 9), s, "promises.access mode 9", next),
        next -> fs.truncate(f, 2, (err, v) -> {
          s.show("truncate 2", err);
          log.accept("content " + fs.readFileSync(f, "latin1"));
          next.run();
        }),
        next -> fs.truncate(f, 4, (err, v) -> {
          s.show("truncate 4", err);
          log.accept("hex " + fs.readFileSync(f, "hex"));
          next.run();
        }),
        next -> fs.truncate(f, (err, v) -> {
          s.show("truncate default", err);
          log.accept("size " + fs.statSync(f).size());
          next.run();
        }),
        next -> fs.truncate(d + "/missing", 1, (err, v) -> { s.show("truncate missing", err); next.run(); }),
        next -> fs.truncate(d + "/dir", (err, v) -> { s.show("truncate dir", err); next.run(); }),
        next -> {
          fs.writeFileSync(f, "abcdef");
          s.sync("truncateSync 3", () -> fs.truncateSync(f, 3));
          log.accept("content " + fs.readFileSync(f, "latin1"));
          s.sync("truncateSync -5", () -> fs.truncateSync(f, -5));
          log.accept("size " + fs.statSync(f).size());
          s.sync("truncateSync missing", () -> fs.truncateSync(d + "/missing"));
          s.sync("truncateSync 2**53", () -> fs.truncateSync(f, 1L << 53));
          next.run();
        },
        next -> {
          fs.writeFileSync(f, "abcdef");
          int fd = fs.openSync(f, "r+");
          fs.ftruncate(fd, 1, (err, v) -> {
            s.show("ftruncate 1", err);
            s.sync("ftruncateSync 0", () -> fs.ftruncateSync(fd));
            log.accept("size " + fs.fstatSync(fd).size());
            fs.closeSync(fd);
            int ro = fs.openSync(f, "r");
            fs.ftruncate(ro, 3, (err2, v2) -> {
              s.show("ftruncate read-only", err2);
              fs.closeSync(ro);
              s.sync("ftruncateSync bad fd", () -> fs.ftruncateSync(999999, 1));
              s.sync("ftruncate fd -1", () -> fs.ftruncate(-1, 1, (e3, v3) -> log.accept("not called")));
              next.run();
            });
          });
        },
        next -> done(fs.promises().truncate(f, 7), s, "promises.truncate 7", () -> {
          log.accept("hex " + fs.readFileSync(f, "hex"));
          next.run();
        }),
        next -> failed(fs.promises().truncate(d + "/missing"), s, "promises.truncate missing", next));
    finish(fs, d, log, steps);
  }
}
