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
    all.put("fs2_copy_write_options", NodeFsScenarios2::copyWriteOptions);
    all.put("fs2_watch", NodeFsScenarios2::watch);
    all.put("fs2_rm_rmdir", NodeFsScenarios2::rmRmdir);
  }

  private static String str(Object o) {
    return o == null ? "undefined" : String.valueOf(o);
  }

  /** The JS scenarios' {@code show(label, err)}: code, errno, syscall, path, message. */
  private static final class Show {
    final Consumer<String> log;
    final Function<Object, String> rel;
    final boolean dest;

    Show(Consumer<String> log, String d) {
      this(log, d, false);
    }

    Show(Consumer<String> log, String d, boolean dest) {
      this.log = log;
      this.rel = s -> str(s).replace(d, "<d>");
      this.dest = dest;
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
          + (dest ? " dest=" + rel.apply(se != null ? se.dest() : null) : "")
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

  // ------------------------------------------------------------------ copyFile modes, write options

  private static void copyWriteOptions(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    Show s = new Show(log, d, true);
    FsConstants c = NodeFs.constants;
    String src = d + "/src";
    fs.writeFileSync(src, "source");
    fs.mkdirSync(d + "/dir");
    Function<String, String> hex = p -> fs.readFileSync(p, "hex");
    Function<String, String> mode = p -> Integer.toOctalString(fs.statSync(p).permissions() & 0777);
    WriteFileOptions o = WriteFileOptions.DEFAULT;
    List<NodeOrderScenarios2.Step> steps = List.of(
        next -> fs.copyFile(src, d + "/a", (err, v) -> { s.show("copyFile", err); log.accept("a " + hex.apply(d + "/a")); next.run(); }),
        next -> fs.copyFile(src, d + "/a", c.COPYFILE_EXCL, (err, v) -> { s.show("copyFile EXCL existing", err); next.run(); }),
        next -> fs.copyFile(src, d + "/b", c.COPYFILE_EXCL, (err, v) -> { s.show("copyFile EXCL new", err); next.run(); }),
        next -> fs.copyFile(src, d + "/c", c.COPYFILE_FICLONE, (err, v) -> {
          s.show("copyFile FICLONE", err);
          log.accept("c " + hex.apply(d + "/c"));
          next.run();
        }),
        next -> fs.copyFile(src, d + "/e", c.COPYFILE_FICLONE_FORCE, (err, v) -> { s.show("copyFile FICLONE_FORCE", err); next.run(); }),
        next -> fs.copyFile(src, d + "/dir", (err, v) -> { s.show("copyFile onto dir", err); next.run(); }),
        next -> fs.copyFile(d + "/dir", d + "/f", (err, v) -> { s.show("copyFile from dir", err); next.run(); }),
        next -> {
          s.sync("copyFileSync EXCL existing", () -> fs.copyFileSync(src, d + "/a", c.COPYFILE_EXCL));
          s.sync("copyFileSync FICLONE", () -> fs.copyFileSync(src, d + "/g", c.COPYFILE_FICLONE));
          s.sync("copyFileSync mode 8", () -> fs.copyFileSync(src, d + "/g", 8));
          s.sync("copyFile mode -1", () -> fs.copyFile(src, d + "/g", -1, (e, v) -> log.accept("not called")));
          next.run();
        },
        next -> failed(fs.promises().copyFile(src, d + "/b", c.COPYFILE_EXCL), s, "promises.copyFile EXCL", next),
        next -> failed(fs.promises().copyFile(src, d + "/h", 8), s, "promises.copyFile mode 8", next),
        next -> fs.writeFile(d + "/w", "68656c6c6f", o.withEncoding("hex"), (err, v) -> {
          s.show("writeFile hex", err);
          log.accept("w " + fs.readFileSync(d + "/w", "latin1"));
          next.run();
        }),
        next -> fs.writeFile(d + "/w", "aGk=", o.withEncoding("base64"), (err, v) -> { s.show("writeFile base64", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "\u00e9\u20ac", o.withEncoding("latin1"), (err, v) -> { s.show("writeFile latin1", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "\u00e9\u20ac", o.withEncoding("ascii"), (err, v) -> { s.show("writeFile ascii", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "\u00e9\u20ac", o.withEncoding("utf16le"), (err, v) -> { s.show("writeFile utf16le", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "x", o.withFlag("wx"), (err, v) -> { s.show("writeFile wx existing", err); next.run(); }),
        next -> fs.writeFile(d + "/w", "tail", o.withFlag("a"), (err, v) -> { s.show("writeFile flag a", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "XY", o.withFlag("r+"), (err, v) -> { s.show("writeFile flag r+", err); log.accept("w " + hex.apply(d + "/w")); next.run(); }),
        next -> fs.writeFile(d + "/w", "x", o.withFlag("r"), (err, v) -> { s.show("writeFile flag r", err); next.run(); }),
        next -> fs.writeFile(d + "/m", "x", o.withMode(0600), (err, v) -> { s.show("writeFile mode 600", err); log.accept("mode " + mode.apply(d + "/m")); next.run(); }),
        next -> fs.writeFile(d + "/m", "y", o.withMode(0644), (err, v) -> { s.show("writeFile existing mode 644", err); log.accept("mode " + mode.apply(d + "/m")); next.run(); }),
        next -> fs.writeFile(d + "/fl", "flushed", o.withFlush(true), (err, v) -> {
          s.show("writeFile flush", err);
          log.accept("fl " + fs.readFileSync(d + "/fl", "latin1"));
          next.run();
        }),
        next -> fs.appendFile(d + "/p", "one", o.withMode(0640), (err, v) -> { s.show("appendFile mode 640", err); log.accept("mode " + mode.apply(d + "/p")); next.run(); }),
        next -> fs.appendFile(d + "/p", "\u00e9", o.withEncoding("latin1"), (err, v) -> { s.show("appendFile latin1", err); log.accept("p " + hex.apply(d + "/p")); next.run(); }),
        next -> fs.appendFile(d + "/p", "new", o.withFlag("w"), (err, v) -> { s.show("appendFile flag w", err); log.accept("p " + hex.apply(d + "/p")); next.run(); }),
        next -> fs.appendFile(d + "/p", "z", o.withFlag("ax"), (err, v) -> { s.show("appendFile ax existing", err); next.run(); }),
        next -> {
          s.sync("writeFileSync hex", () -> fs.writeFileSync(d + "/s", "cafe", o.withEncoding("hex")));
          log.accept("s " + hex.apply(d + "/s"));
          s.sync("writeFileSync wx", () -> fs.writeFileSync(d + "/s", "x", o.withFlag("wx")));
          s.sync("appendFileSync base64", () -> fs.appendFileSync(d + "/s", "AQI=", o.withEncoding("base64")));
          log.accept("s " + hex.apply(d + "/s"));
          s.sync("appendFileSync flush", () -> fs.appendFileSync(d + "/fl", "!", o.withFlush(true)));
          log.accept("fl " + fs.readFileSync(d + "/fl", "latin1"));
          s.sync("appendFileSync mode 600", () -> fs.appendFileSync(d + "/t", "x", o.withMode(0600)));
          log.accept("mode " + mode.apply(d + "/t"));
          s.sync("writeFileSync bad encoding", () -> fs.writeFileSync(d + "/s", "x", o.withEncoding("nope")));
          s.sync("writeFileSync bad flag", () -> fs.writeFileSync(d + "/s", "x", o.withFlag("q")));
          s.sync("writeFileSync mode -1", () -> fs.writeFileSync(d + "/s", "x", o.withMode(-1)));
          s.sync("writeFile bad flag", () -> fs.writeFile(d + "/s", "x", o.withFlag("q"), (e, v) -> log.accept("not called")));
          next.run();
        },
        next -> done(fs.promises().writeFile(d + "/q", "414243", o.withEncoding("hex").withMode(0600)), s, "promises.writeFile hex", () -> {
          log.accept("q " + fs.readFileSync(d + "/q", "latin1") + " mode " + mode.apply(d + "/q"));
          next.run();
        }),
        next -> failed(fs.promises().writeFile(d + "/q", "x", o.withFlag("wx")), s, "promises.writeFile wx", next),
        next -> done(fs.promises().appendFile(d + "/q", "RA==", o.withEncoding("base64")), s, "promises.appendFile base64", () -> {
          log.accept("q " + fs.readFileSync(d + "/q", "latin1"));
          next.run();
        }),
        next -> failed(fs.promises().appendFile(d + "/q", "x", o.withEncoding("nope")), s, "promises.appendFile bad encoding", next));
    finish(fs, d, log, steps);
  }

  // ------------------------------------------------------------------ watch, watchFile

  private static void watch(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    Function<Object, String> rel = x -> str(x).replace(d, "<d>");
    try {
      fs.watch(d + "/missing");
    } catch (SystemError e) {
      log.accept("watch missing: " + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " path="
          + rel.apply(e.path()) + " | " + rel.apply(e.getMessage()));
    }
    Map<String, Runnable> bad = new java.util.LinkedHashMap<>();
    bad.put("watchFile no listener", () -> fs.watchFile(d + "/x", (StatWatcher.Listener) null));
    bad.put("watchFile interval -1", () -> fs.watchFile(d + "/x", true, -1, (c, p) -> {}));
    bad.forEach((label, fn) -> {
      try {
        fn.run();
        log.accept(label + ": ok");
      } catch (NodeError e) {
        log.accept(label + ": " + e.code() + " | " + e.getMessage());
      }
    });
    fs.unwatchFile(d + "/never");
    log.accept("unwatchFile unknown: ok");
    fs.writeFileSync(d + "/f", "1");
    FSWatcher w = fs.watch(d, (type, name) -> log.accept("listener " + type + " " + name));
    w.once("change", args -> {
      log.accept("first " + args[0] + " " + args[1]);
      w.close();
      w.close();
      log.accept("closed");
    });
    w.on("close", () -> {
      log.accept("close event");
      FSWatcher w2 = fs.watch(d + "/f");
      w2.on("change", args -> {
        log.accept("file " + args[0] + " " + args[1]);
        w2.close();
      });
      w2.on("close", () -> {
        log.accept("close2");
        watchFileStep(fs, d, log);
      });
      fs.appendFileSync(d + "/f", "2");
    });
    fs.writeFileSync(d + "/new", "x");
  }

  private static void watchFileStep(NodeFs fs, String d, Consumer<String> log) {
    String p = d + "/g";
    int[] n = {0};
    StatWatcher.Listener other = (c, pr) -> log.accept("other listener");
    StatWatcher.Listener[] l = new StatWatcher.Listener[1];
    l[0] = (curr, prev) -> {
      n[0]++;
      log.accept("watchFile " + n[0] + " curr size=" + curr.size() + " isFile=" + curr.isFile() + " nlink=" + curr.nlink()
          + " prev size=" + prev.size() + " isFile=" + prev.isFile() + " nlink=" + prev.nlink());
      if (n[0] == 1) {
        fs.unwatchFile(p, other);
        fs.writeFileSync(d + "/g.tmp", "hello");
        fs.renameSync(d + "/g.tmp", p);
      } else {
        fs.unwatchFile(p, l[0]);
        log.accept("unwatched");
      }
    };
    StatWatcher sw = fs.watchFile(p, true, 20, l[0]);
    StatWatcher again = fs.watchFile(p, other);
    log.accept("same watcher " + (sw == again) + " listeners " + sw.listenerCount("change"));
    sw.on("stop", () -> {
      log.accept("stop");
      FSWatcher quiet = fs.watch(d, false, null);
      quiet.on("close", () -> log.accept("never: not closed"));
      fs.rmSync(d, true, false);
      log.accept("done");
    });
  }

  // ------------------------------------------------------------------ rm, rmdir

  private static void rmRmdir(NodeRuntime node, Consumer<String> log) {
    NodeFs fs = NodeFs.of(node);
    String d = NodeOrderScenarios2.tmpdir(fs);
    Show s = new Show(log, d);
    node.onWarning(w -> log.accept("warning " + w.name() + " " + w.code()));
    Consumer<String> tree = p -> {
      fs.mkdirSync(p + "/u/v", true);
      fs.writeFileSync(p + "/u/f", "1");
      fs.writeFileSync(p + "/u/v/g", "2");
    };
    Consumer<String> exists = p -> log.accept("exists " + s.rel.apply(p) + " " + fs.existsSync(p));
    tree.accept(d + "/t");
    fs.writeFileSync(d + "/file", "x");
    List<NodeOrderScenarios2.Step> steps = List.of(
        next -> fs.rm(d + "/t", false, false, (err, v) -> { s.show("rm dir", err); next.run(); }),
        next -> fs.rm(d + "/t", false, true, (err, v) -> { s.show("rm dir force", err); next.run(); }),
        next -> fs.rm(d + "/missing", false, false, (err, v) -> { s.show("rm missing", err); next.run(); }),
        next -> fs.rm(d + "/missing", false, true, (err, v) -> { s.show("rm missing force", err); next.run(); }),
        next -> fs.rm(d + "/missing", true, false, (err, v) -> { s.show("rm missing recursive", err); next.run(); }),
        next -> fs.rm(d + "/t", true, false, (err, v) -> { s.show("rm recursive", err); exists.accept(d + "/t"); next.run(); }),
        next -> fs.rm(d + "/file", true, false, (err, v) -> { s.show("rm file recursive", err); exists.accept(d + "/file"); next.run(); }),
        next -> {
          tree.accept(d + "/t2");
          try {
            Fs.symlinkSync(d + "/t2", d + "/link", 0);
          } catch (UvException e) {
            throw new AssertionError(e);
          }
          fs.rm(d + "/link", false, false, (err, v) -> {
            s.show("rm symlink to dir", err);
            exists.accept(d + "/link");
            exists.accept(d + "/t2/u/f");
            next.run();
          });
        },
        next -> fs.rmdir(d + "/t2", (err, v) -> { s.show("rmdir not empty", err); next.run(); }),
        next -> fs.rmdir(d + "/t2", true, (err, v) -> { s.show("rmdir recursive", err); exists.accept(d + "/t2"); next.run(); }),
        next -> fs.rmdir(d + "/missing", true, (err, v) -> { s.show("rmdir recursive missing", err); next.run(); }),
        next -> {
          fs.writeFileSync(d + "/file2", "x");
          fs.rmdir(d + "/file2", true, (err, v) -> { s.show("rmdir recursive file", err); next.run(); });
        },
        next -> {
          tree.accept(d + "/s");
          s.sync("rmSync dir", () -> fs.rmSync(d + "/s", false, false));
          s.sync("rmSync missing", () -> fs.rmSync(d + "/missing", false, false));
          s.sync("rmSync missing force", () -> fs.rmSync(d + "/missing", false, true));
          s.sync("rmdirSync recursive missing", () -> fs.rmdirSync(d + "/missing", true));
          s.sync("rmdirSync recursive file", () -> fs.rmdirSync(d + "/file2", true));
          s.sync("rmdirSync recursive", () -> fs.rmdirSync(d + "/s", true));
          exists.accept(d + "/s");
          s.sync("rmSync trailing slash", () -> {
            tree.accept(d + "/s2");
            fs.rmSync(d + "/s2/", true, false);
          });
          exists.accept(d + "/s2");
          next.run();
        },
        next -> {
          tree.accept(d + "/p");
          failed(fs.promises().rm(d + "/p", false, false), s, "promises.rm dir", next);
        },
        next -> done(fs.promises().rm(d + "/p", true, false), s, "promises.rm recursive", () -> {
          exists.accept(d + "/p");
          next.run();
        }),
        next -> failed(fs.promises().rmdir(d + "/missing", true), s, "promises.rmdir recursive missing", next));
    finish(fs, d, log, steps);
  }
}
