package io.uv4j.fuzz;

import io.uv4j.node.FSWatcher;
import io.uv4j.node.FsPromises;
import io.uv4j.node.FsReadStream;
import io.uv4j.node.FsWriteStream;
import io.uv4j.node.NodeCallback;
import io.uv4j.node.NodeFs;
import io.uv4j.node.NodeStream;
import io.uv4j.node.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The Node-layer fuzzer's fs operations: callback, promise and sync forms, read/write streams
 * and watchers, on files of its own work directory (see {@link NodeApiFuzzer}).
 *
 * <p>Descriptors: it uses only descriptors it opened and has not closed, or numbers that cannot
 * be open (-1, -7, 2^20, Integer.MAX_VALUE); a closed descriptor's number may be reused at once
 * by the loop or a socket, so "bad fd" never means a stale one (closing or writing a number
 * another part of the process owns is not the library's bug).
 */
final class NodeFuzzFs {
  final NodeApiFuzzer f;
  /** Descriptors opened and not yet closed (closing one is done once, through the list). */
  final List<Integer> fds = new ArrayList<>();
  final List<NodeStream> streams = new ArrayList<>();
  final List<FSWatcher> watchers = new ArrayList<>();
  final List<String> watchedFiles = new ArrayList<>();
  static final int[] BAD_FDS = {-1, -7, 1 << 20, Integer.MAX_VALUE};
  static final String[] FLAGS = {"r", "r+", "w", "a", "wx", "rs+", "bogus", "", null, "w+", "ax"};

  NodeFuzzFs(NodeApiFuzzer f) {
    this.f = f;
    f.cleanups.add(this::cleanup);
  }

  NodeFs fs() {
    return f.node.fs();
  }

  void init() {
    for (int i = 0; i < 4; i++) {
      String p = f.dir.resolve("f" + i).toString();
      f.api("init writeFileSync", () -> fs().writeFileSync(p, "initial contents of " + p + "\n"));
    }
  }

  String path(Random r) {
    int k = r.nextInt(20);
    if (k < 9) {
      return f.dir.resolve("f" + r.nextInt(6)).toString();
    } else if (k < 12) {
      return f.dir.resolve("d" + r.nextInt(3)).toString();
    } else if (k < 14) {
      return f.dir.resolve("d" + r.nextInt(3)).resolve("f" + r.nextInt(2)).toString();
    } else if (k == 14) {
      return f.dir.resolve("missing").resolve("x").toString();
    } else if (k == 15) {
      return "";
    } else if (k == 16) {
      return null;
    } else if (k == 17) {
      return f.dir + "/nul\0byte";
    } else if (k == 18) {
      return f.dir.resolve("x".repeat(300)).toString();
    }
    return f.dir.toString();
  }

  int fd(Random r) {
    if (!fds.isEmpty() && r.nextInt(4) != 0) {
      return fds.get(r.nextInt(fds.size()));
    }
    return BAD_FDS[r.nextInt(BAD_FDS.length)];
  }

  static byte[] data(Random r) {
    int n = new int[] {0, 1, 17, 4096, 70_000}[r.nextInt(5)];
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /**
   * A length or a position to write at: small, negative or absurd, never a size that makes a
   * file of gigabytes (copyFile then writes it all out, readFile of a partial copy runs out of
   * the child's heap: the environment's limits, not the library's).
   */
  static long size(Random r) {
    return new long[] {-1, 0, 3, 4096, -5, Long.MAX_VALUE}[r.nextInt(6)];
  }

  /** A position to read at: reading far beyond the end is harmless. */
  static long position(Random r) {
    // (1 << 31) + 1: a sparse file just over 2 GiB (ERR_FS_FILE_TOO_LARGE); not 1 TiB, which
    // copyFile or a read stream would copy or read for hours (in Node too)
    return new long[] {-1, 0, 3, (1L << 31) + 1, -5, Long.MAX_VALUE}[r.nextInt(6)];
  }

  <T> NodeCallback<T> cb(String what) {
    NodeApiFuzzer.Once o = f.expect("fs." + what + " callback", true);
    return (err, v) -> {
      o.fire();
      f.behave("fs." + what);
    };
  }

  /** A descriptor opened by a callback: kept unless the callback came after the finish. */
  NodeCallback<Integer> openCb(String what) {
    NodeApiFuzzer.Once o = f.expect("fs." + what + " callback", true);
    return (err, fd) -> {
      o.fire();
      if (fd != null) {
        if (f.finishing) {
          f.api("close late fd", () -> fs().closeSync(fd));
        } else {
          fds.add(fd);
        }
      }
      f.behave("fs." + what);
    };
  }

  void closeFd(int fd, boolean sync) {
    if (!fds.remove((Integer) fd)) {
      return;
    }
    if (sync) {
      f.api("closeSync", () -> fs().closeSync(fd));
    } else {
      f.api("close", () -> fs().close(fd, cb("close")));
    }
  }

  // ------------------------------------------------------------------ callback form

  void callbackForm(Random r) {
    int what = r.nextInt(20);
    String p = path(r);
    String q = path(r);
    f.log("fs cb " + what + " " + p);
    switch (what) {
      case 0: f.api("readFile", () -> fs().readFile(p, cb("readFile"))); break;
      case 1: f.api("readFile enc", () -> fs().readFile(p, r.nextBoolean() ? "utf8" : "bogus-enc", cb("readFile"))); break;
      case 2: f.api("writeFile", () -> fs().writeFile(p, data(r), cb("writeFile"))); break;
      case 3: f.api("appendFile", () -> fs().appendFile(p, "more\n", cb("appendFile"))); break;
      case 4: f.api("stat", () -> {
        if (r.nextBoolean()) {
          fs().stat(p, cb("stat"));
        } else {
          fs().lstat(p, cb("lstat"));
        }
      });
        break;
      case 5: f.api("readdir", () -> fs().readdir(p, cb("readdir"))); break;
      case 6: f.api("mkdir", () -> fs().mkdir(p, r.nextBoolean(), cb("mkdir"))); break;
      case 7: f.api("rm", () -> fs().rm(p, r.nextBoolean(), r.nextBoolean(), cb("rm"))); break;
      case 8: f.api("rename", () -> fs().rename(p, q, cb("rename"))); break;
      case 9: f.api("unlink", () -> fs().unlink(p, cb("unlink"))); break;
      case 10: f.api("copyFile", () -> fs().copyFile(p, q, r.nextInt(8) - 1, cb("copyFile"))); break;
      case 11: f.api("access", () -> fs().access(p, r.nextInt(10) - 1, cb("access"))); break;
      case 12: f.api("truncate", () -> fs().truncate(p, size(r), cb("truncate"))); break;
      case 13: f.api("open", () -> fs().open(p, FLAGS[r.nextInt(FLAGS.length)], openCb("open"))); break;
      case 14: {
        int fd = fd(r);
        byte[] buf = new byte[r.nextInt(3) == 0 ? 0 : 64];
        int off = r.nextInt(8) == 0 ? -1 : r.nextInt(4) == 0 ? 80 : 0;
        int len = r.nextInt(8) == 0 ? -3 : r.nextInt(4) == 0 ? 100 : buf.length - Math.max(0, Math.min(off, buf.length));
        long pos = position(r);
        f.api("read", () -> fs().read(fd, buf, off, len, pos, cb("read")));
        break;
      }
      case 15: {
        int fd = fd(r);
        byte[] buf = data(r);
        int off = r.nextInt(8) == 0 ? -1 : 0;
        int len = r.nextInt(8) == 0 ? buf.length + 5 : buf.length;
        long pos = size(r);
        f.api("write", () -> fs().write(fd, buf, off, len, pos, cb("write")));
        break;
      }
      case 16: {
        int fd = fd(r);
        if (fds.contains(fd) && r.nextBoolean()) {
          closeFd(fd, false);
        } else if (!fds.contains(fd)) {
          f.api("close bad fd", () -> fs().close(fd, cb("close bad fd")));
        }
        break;
      }
      case 17: {
        int fd = fd(r);
        f.api("fstat/ftruncate", () -> {
          if (r.nextBoolean()) {
            fs().fstat(fd, cb("fstat"));
          } else {
            fs().ftruncate(fd, size(r), cb("ftruncate"));
          }
        });
        break;
      }
      case 18: f.api("mkdtemp", () -> fs().mkdtemp(r.nextInt(4) == 0 ? null : f.dir.resolve("tmp-").toString(), cb("mkdtemp"))); break;
      default: f.api("rmdir", () -> fs().rmdir(p, r.nextBoolean(), cb("rmdir"))); break;
    }
  }

  // ------------------------------------------------------------------ promise form

  void promiseForm(Random r) {
    FsPromises fp = fs().promises();
    int what = r.nextInt(12);
    String p = path(r);
    String q = path(r);
    f.log("fs promise " + what + " " + p);
    Promise<?>[] out = new Promise<?>[1];
    switch (what) {
      case 0: f.api("p.readFile", () -> out[0] = fp.readFile(p)); break;
      case 1: f.api("p.writeFile", () -> out[0] = fp.writeFile(p, data(r))); break;
      case 2: f.api("p.stat", () -> out[0] = fp.stat(p)); break;
      case 3: f.api("p.readdir", () -> out[0] = fp.readdir(p)); break;
      case 4: f.api("p.mkdir", () -> out[0] = fp.mkdir(p, r.nextBoolean())); break;
      case 5: f.api("p.rm", () -> out[0] = fp.rm(p, r.nextBoolean(), r.nextBoolean())); break;
      case 6: f.api("p.rename", () -> out[0] = fp.rename(p, q)); break;
      case 7: f.api("p.copyFile", () -> out[0] = fp.copyFile(p, q)); break;
      case 8: {
        f.api("p.open", () -> {
          Promise<Integer> po = fp.open(p, FLAGS[r.nextInt(FLAGS.length)]);
          NodeApiFuzzer.Once o = f.expect("fs.promises.open", true);
          po.then(fd -> {
            o.fire();
            if (f.finishing) {
              f.api("close late fd", () -> fs().closeSync(fd));
            } else {
              fds.add(fd);
            }
            return fd;
          }, e -> {
            o.fire();
            return null;
          });
        });
        break;
      }
      case 9: {
        int fd = fd(r);
        byte[] buf = new byte[32];
        f.api("p.read", () -> out[0] = fp.read(fd, buf, r.nextInt(6) == 0 ? 40 : 0, r.nextInt(6) == 0 ? -1 : 32, position(r)));
        break;
      }
      case 10: {
        int fd = fd(r);
        f.api("p.fstat/ftruncate", () -> out[0] = r.nextBoolean() ? fp.fstat(fd) : fp.ftruncate(fd, size(r)));
        break;
      }
      default: f.api("p.access/truncate", () -> out[0] = r.nextBoolean() ? fp.access(p, r.nextInt(10) - 1) : fp.truncate(p, size(r))); break;
    }
    f.settles("fs.promises op " + what, out[0], true);
  }

  // ------------------------------------------------------------------ sync form

  void syncForm(Random r) {
    int what = r.nextInt(14);
    String p = path(r);
    String q = path(r);
    f.log("fs sync " + what + " " + p);
    switch (what) {
      case 0: f.api("readFileSync", () -> fs().readFileSync(p, r.nextBoolean() ? "utf8" : r.nextBoolean() ? "latin1" : "nope")); break;
      case 1: f.api("writeFileSync", () -> fs().writeFileSync(p, data(r))); break;
      case 2: f.api("openSync", () -> {
        int fd = fs().openSync(p, FLAGS[r.nextInt(FLAGS.length)]);
        fds.add(fd);
      });
        break;
      case 3: {
        int fd = fd(r);
        if (fds.contains(fd)) {
          closeFd(fd, true);
        } else {
          f.api("closeSync bad fd", () -> fs().closeSync(fd));
        }
        break;
      }
      case 4: {
        int fd = fd(r);
        byte[] buf = new byte[16];
        int off = r.nextInt(6) == 0 ? 17 : 0;
        int len = r.nextInt(6) == 0 ? -1 : 16 - off;
        f.api("readSync", () -> fs().readSync(fd, buf, off, len, position(r)));
        break;
      }
      case 5: {
        int fd = fd(r);
        f.api("writeSync", () -> {
          if (r.nextBoolean()) {
            fs().writeSync(fd, "text");
          } else {
            byte[] d = data(r);
            fs().writeSync(fd, d, 0, d.length, size(r));
          }
        });
        break;
      }
      case 6: f.api("statSync", () -> fs().statSync(p)); break;
      case 7: f.api("existsSync", () -> fs().existsSync(p)); break;
      case 8: f.api("mkdirSync", () -> fs().mkdirSync(p, r.nextBoolean())); break;
      case 9: f.api("rmSync", () -> fs().rmSync(p, r.nextBoolean(), r.nextBoolean())); break;
      case 10: f.api("renameSync", () -> fs().renameSync(p, q)); break;
      case 11: f.api("readdirSync", () -> fs().readdirSync(p)); break;
      case 12: {
        int fd = fd(r);
        f.api("fstatSync/ftruncateSync", () -> {
          if (r.nextBoolean()) {
            fs().fstatSync(fd);
          } else {
            fs().ftruncateSync(fd, size(r));
          }
        });
        break;
      }
      default: f.api("accessSync/truncateSync", () -> {
        if (r.nextBoolean()) {
          fs().accessSync(p, r.nextInt(10) - 1);
        } else {
          fs().truncateSync(p, size(r));
        }
      });
        break;
    }
    while (fds.size() > 16) {
      closeFd(fds.get(0), true);
    }
  }

  // ------------------------------------------------------------------ streams and watchers

  void stream(Random r) {
    int what = r.nextInt(12);
    String p = path(r);
    NodeStream s = streams.isEmpty() ? null : streams.get(r.nextInt(streams.size()));
    NodeStream w0 = pick(r, FsWriteStream.class);
    NodeStream rs0 = pick(r, FsReadStream.class);
    f.log("fs stream " + what + " " + p);
    switch (what) {
      case 0: case 1: f.api("createReadStream", () -> {
        NodeStream rs = r.nextBoolean() ? fs().createReadStream(p)
            : fs().createReadStream(p, new int[] {-1, 0, 1, 16, 65536}[r.nextInt(5)], position(r), position(r));
        streams.add(rs);
        rs.on("data", a -> f.behave("rs data"));
        if (r.nextInt(4) != 0) {
          rs.on("error", a -> f.behave("rs error"));
        }
      });
        break;
      case 2: case 3: f.api("createWriteStream", () -> {
        // half of them write to a sink no stream reads: only those are piped into (a cycle of
        // pipes between two files grows them without end, in Node too)
        String wp = r.nextBoolean() ? f.dir + "/sink" + r.nextInt(3) : p;
        NodeStream ws = r.nextBoolean() ? fs().createWriteStream(wp)
            : fs().createWriteStream(wp, FLAGS[r.nextInt(FLAGS.length)], new int[] {-1, 0, 1, 16384}[r.nextInt(4)]);
        streams.add(ws);
        if (r.nextInt(4) != 0) {
          ws.on("error", a -> f.behave("ws error"));
        }
      });
        break;
      case 4:
        if (w0 != null) { // write/end/pipe/pipeline only into a stream with a writable side (Node: no write() else)
          f.api("stream write", () -> w0.write(data(r), e -> f.behave("stream write cb")));
        }
        break;
      case 5:
        if (w0 != null) {
          f.api("stream end", () -> w0.end(r.nextBoolean() ? null : "tail", e -> f.behave("stream end cb")));
        }
        break;
      case 6:
        if (s != null) {
          f.api("stream destroy", () -> s.destroy(r.nextBoolean() ? null : new Documented.FuzzException("destroyed")));
        }
        break;
      case 7:
        if (rs0 != null && w0 != null && !samePath(rs0, w0)) { // a file piped into itself grows without end (in Node too)
          f.api("pipe", () -> rs0.pipe(w0, r.nextBoolean()));
        }
        break;
      case 8:
        if (rs0 != null) { // readable-side calls: on a read stream (Node's WriteStream has none)
          NodeStream s1 = rs0;
          f.api("pause/resume/encoding", () -> {
            int k = r.nextInt(4);
            if (k == 0) {
              s1.pause();
            } else if (k == 1) {
              s1.resume();
            } else if (k == 2) {
              s1.setEncoding(r.nextBoolean() ? "hex" : "bogus");
            } else {
              s1.unpipe();
            }
          });
        }
        break;
      case 9:
        if (rs0 != null && w0 != null && !samePath(rs0, w0)) {
          f.api("pipeline", () -> NodeStream.pipeline(rs0, w0, e -> f.behave("pipeline cb")));
        } else if (s != null && r.nextInt(4) == 0) {
          f.api("pipeline of one", () -> NodeStream.pipeline(List.of(s), e -> f.behave("pipeline cb")));
        }
        break;
      case 10:
        f.api("fs.watch", () -> {
          FSWatcher w = fs().watch(p, r.nextBoolean(), (type, name) -> f.behave("watch"));
          watchers.add(w);
          w.on("error", a -> { });
        });
        break;
      default:
        if (!watchers.isEmpty() && r.nextBoolean()) {
          FSWatcher w = watchers.remove(r.nextInt(watchers.size()));
          f.api("watcher close twice", () -> {
            w.close();
            w.close();
          });
        } else if (r.nextBoolean()) {
          f.api("watchFile", () -> {
            fs().watchFile(p, r.nextBoolean(), new long[] {-1, 0, 1, 20}[r.nextInt(4)], (c, prev) -> f.behave("watchFile"));
            watchedFiles.add(p);
          });
        } else {
          f.api("unwatchFile", () -> fs().unwatchFile(p));
        }
        break;
    }
    if (streams.size() > 20) {
      NodeStream old = streams.remove(0);
      f.api("destroy old stream", () -> old.destroy());
    }
  }

  /** Whether piping {@code a} into {@code b} could feed a file back into itself (b is not a sink). */
  static boolean samePath(NodeStream a, NodeStream b) {
    String to = ((FsWriteStream) b).path();
    return to == null || !to.contains("/sink") || to.equals(((FsReadStream) a).path());
  }

  NodeStream pick(Random r, Class<?> type) {
    List<NodeStream> l = new ArrayList<>();
    for (NodeStream x : streams) {
      if (type.isInstance(x)) {
        l.add(x);
      }
    }
    return l.isEmpty() ? null : l.get(r.nextInt(l.size()));
  }

  void cleanup() {
    for (NodeStream s : streams) {
      f.api("cleanup destroy stream", () -> s.destroy());
    }
    for (FSWatcher w : watchers) {
      f.api("cleanup close watcher", w::close);
    }
    for (String p : watchedFiles) {
      f.api("cleanup unwatchFile", () -> fs().unwatchFile(p));
    }
    for (Integer fd : new ArrayList<>(fds)) {
      closeFd(fd, true);
    }
    streams.clear();
    watchers.clear();
    watchedFiles.clear();
  }
}
