package io.uv4j.fuzz;

import io.uv4j.node.Crypto;
import io.uv4j.node.MessageChannel;
import io.uv4j.node.MessagePort;
import io.uv4j.node.NodeChildProcess;
import io.uv4j.node.NodeOs;
import io.uv4j.node.NodeProcess;
import io.uv4j.node.Subprocess;
import io.uv4j.node.Worker;
import io.uv4j.node.WorkerContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Node-layer fuzzer's crypto, MessageChannel/MessagePort, Worker, child_process, os and
 * process operations, and its calls from foreign threads (see {@link NodeApiFuzzer}).
 */
final class NodeFuzzMisc {
  final NodeApiFuzzer f;
  final List<MessagePort> ports = new ArrayList<>();
  final List<Worker> workers = new ArrayList<>();
  final List<Subprocess> children = new ArrayList<>();
  final List<Thread> threads = new ArrayList<>();

  NodeFuzzMisc(NodeApiFuzzer f) {
    this.f = f;
    f.cleanups.add(this::cleanup);
  }

  static void sleep(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  // ------------------------------------------------------------------ crypto

  void crypto(Random r) {
    Crypto c = f.node.crypto();
    int what = r.nextInt(6);
    f.log("crypto " + what);
    switch (what) {
      case 0: {
        int size = new int[] {-1, 0, 1, 16, 65536}[r.nextInt(5)];
        f.api("randomBytes", () -> f.expectNext("randomBytes callback").call(o -> c.randomBytes(size, (e, b) -> {
          o.fire();
          f.behave("randomBytes");
        })));
        break;
      }
      case 1: {
        int iterations = new int[] {-1, 0, 1, 100}[r.nextInt(4)];
        int keylen = new int[] {-1, 0, 32}[r.nextInt(3)];
        String digest = new String[] {"sha256", "sha1", "bogus", null, "sha3-256"}[r.nextInt(5)];
        f.api("pbkdf2", () -> f.expectNext("pbkdf2 callback").call(o -> c.pbkdf2("pw", r.nextInt(6) == 0 ? null : "salt", iterations, keylen, digest, (e, k) -> {
          o.fire();
          f.behave("pbkdf2");
        })));
        break;
      }
      case 2: {
        long n = new long[] {16, 3, 0, -1, 1L << 40}[r.nextInt(5)];
        int rr = new int[] {1, 0, -1}[r.nextInt(3)];
        f.api("scrypt", () -> f.expectNext("scrypt callback").call(o -> c.scrypt(new byte[] {1}, new byte[] {2}, new int[] {-1, 0, 16}[r.nextInt(3)], n, rr, 1,
            Crypto.SCRYPT_DEFAULT_MAXMEM, (e, k) -> {
              o.fire();
              f.behave("scrypt");
            })));
        break;
      }
      case 3:
        f.api("timingSafeEqual", () -> Crypto.timingSafeEqual(new byte[r.nextInt(3)], r.nextInt(5) == 0 ? null : new byte[r.nextInt(3)]));
        break;
      case 4:
        f.api("pbkdf2Sync", () -> Crypto.pbkdf2Sync("a", "b", new int[] {-1, 1, 10}[r.nextInt(3)], 16, "sha256"));
        break;
      default:
        f.api("randomBytes sync", () -> Crypto.randomBytes(new int[] {-1, 0, 8}[r.nextInt(3)]));
        break;
    }
  }

  // ------------------------------------------------------------------ MessageChannel

  void port(Random r) {
    int what = r.nextInt(10);
    MessagePort p = ports.isEmpty() ? null : ports.get(r.nextInt(ports.size()));
    f.log("port op " + what);
    switch (what) {
      case 0: case 1:
        if (ports.size() < 20) {
          f.api("new MessageChannel", () -> {
            MessageChannel ch = new MessageChannel(f.node, r.nextBoolean());
            ports.add(ch.port1());
            ports.add(ch.port2());
            if (r.nextBoolean()) {
              ch.port2().onMessage(m -> f.behave("port message"));
            }
          });
        }
        break;
      case 2: case 3: case 4:
        if (p != null) {
          Object msg = new Object[] {"s", 1, null, new byte[3], Map.of("k", List.of(1, 2)), new Thread(() -> { }),
              new Documented.FuzzException("as message")}[r.nextInt(7)];
          f.api("postMessage", () -> p.postMessage(msg));
        }
        break;
      case 5:
        if (p != null) {
          f.api("onMessage", () -> p.onMessage(r.nextInt(5) == 0 ? null : m -> f.behave("port message")));
        }
        break;
      case 6:
        if (p != null) {
          f.api("port close", () -> {
            p.close();
            if (r.nextBoolean()) {
              p.close();
            }
          });
        }
        break;
      case 7:
        if (p != null) {
          ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocateDirect(8) : ByteBuffer.allocate(8);
          f.api("postMessage buffer", () -> {
            p.postMessage(b, r.nextBoolean());
            if (r.nextBoolean()) {
              p.postMessage(b, true); // transferred already
            }
          });
        }
        break;
      case 8:
        if (p != null) {
          f.api("port ref/unref", () -> {
            if (r.nextBoolean()) {
              p.unref();
            } else {
              p.ref();
            }
            p.hasRef();
          });
        }
        break;
      default:
        if (p != null) {
          f.api("onMessageError", () -> p.onMessageError(e -> f.behave("messageerror")));
        }
        break;
    }
  }

  // ------------------------------------------------------------------ Worker

  void worker(Random r) {
    int what = r.nextInt(6);
    Worker w = workers.isEmpty() ? null : workers.get(r.nextInt(workers.size()));
    f.log("worker op " + what);
    switch (what) {
      case 0:
        if (workers.stream().filter(x -> !x.hasExited()).count() < 2) {
          int mode = r.nextInt(4);
          f.api("new Worker", () -> {
            Worker nw = new Worker(f.node, wn -> {
              MessagePort parent = WorkerContext.parentPort();
              parent.onMessage(m -> {
                if ("throw".equals(m)) {
                  throw new Documented.FuzzException("worker throws");
                } else if ("exit".equals(m)) {
                  wn.exit(3);
                } else if ("close".equals(m)) {
                  parent.close();
                } else {
                  parent.postMessage(m);
                }
              });
              if (mode == 0) {
                throw new Documented.FuzzException("worker main throws");
              } else if (mode == 1) {
                wn.setTimeout(() -> parent.close(), 5);
              }
            }, (Object) "data");
            workers.add(nw);
            nw.onMessage(m -> f.behave("worker message"));
            if (r.nextInt(4) != 0) {
              nw.onError(e -> f.behave("worker error"));
            }
            nw.onExit(code -> f.behave("worker exit"));
          });
        }
        break;
      case 1: case 2:
        if (w != null) {
          Object msg = new Object[] {"ping", "throw", "exit", "close", null, new byte[4]}[r.nextInt(6)];
          f.api("worker postMessage", () -> w.postMessage(msg));
        }
        break;
      case 3:
        if (w != null) {
          f.api("worker terminate", () -> f.settles("worker.terminate", w.terminate(), false));
        }
        break;
      case 4:
        if (w != null) {
          f.api("worker ref/unref", () -> {
            if (r.nextBoolean()) {
              w.unref();
            } else {
              w.ref();
            }
            w.threadId();
          });
        }
        break;
      default:
        if (w != null && w.hasExited()) {
          workers.remove(w);
          f.api("worker post after exit", () -> w.postMessage("late"));
          f.api("worker terminate after exit", () -> w.terminate());
        }
        break;
    }
  }

  // ------------------------------------------------------------------ child_process

  void child(Random r) {
    children.removeIf(c -> c.exitCode() != null || c.signalCode() != null);
    int what = r.nextInt(5);
    f.log("child op " + what);
    NodeChildProcess cp = NodeChildProcess.of(f.node);
    switch (what) {
      case 0:
        if (children.size() < 2) {
          f.api("exec", () -> children.add(cp.exec(new String[] {"echo hi", "exit 3", "cat /nonexistent"}[r.nextInt(3)],
              new NodeChildProcess.Options().timeout(new long[] {0, 1, 1000}[r.nextInt(3)]), execCb())));
        }
        break;
      case 1:
        if (children.size() < 2) {
          f.api("spawn", () -> {
            Subprocess c = cp.spawn(new String[] {"/nonexistent/bin", "true", "sleep", null}[r.nextInt(4)],
                r.nextInt(6) == 0 ? null : List.of("0.05"), new NodeChildProcess.Options());
            children.add(c);
            if (r.nextInt(4) != 0) {
              c.on("error", a -> f.behave("spawn error"));
            }
            c.on("exit", a -> f.behave("child exit"));
          });
        }
        break;
      case 2:
        if (!children.isEmpty()) {
          Subprocess c = children.get(r.nextInt(children.size()));
          f.api("kill", () -> c.kill(new String[] {"SIGTERM", "SIGKILL", "SIGBOGUS", "0"}[r.nextInt(4)]));
        }
        break;
      case 3:
        if (!children.isEmpty()) {
          Subprocess c = children.get(r.nextInt(children.size()));
          f.api("kill signum", () -> c.kill(new int[] {-1, 0, 15, 999}[r.nextInt(4)]));
        }
        break;
      default:
        if (!children.isEmpty()) {
          Subprocess c = children.get(r.nextInt(children.size()));
          f.api("child queries", () -> {
            c.pid();
            c.connected();
            c.killed();
            c.stdio();
            if (c.stdin() != null) {
              c.stdin().end();
            }
          });
        }
        break;
    }
  }

  NodeChildProcess.ExecCallback execCb() {
    NodeApiFuzzer.Once o = f.expect("exec callback", true);
    return (e, out, err) -> {
      o.fire();
      f.behave("exec cb");
    };
  }

  // ------------------------------------------------------------------ os, process

  void osProcess(Random r) {
    int what = r.nextInt(8);
    f.log("os/process " + what);
    NodeOs os = NodeOs.of(f.node);
    NodeProcess p = NodeProcess.of(f.node);
    switch (what) {
      case 0: f.api("os info", () -> {
        os.arch();
        os.platform();
        os.release();
        os.hostname();
        os.loadavg();
        os.uptime();
        os.totalmem();
        os.freemem();
      });
        break;
      case 1: f.api("os lists", () -> {
        os.cpus();
        os.networkInterfaces();
        os.userInfo();
        os.signals();
      });
        break;
      case 2: f.api("getPriority", () -> os.getPriority(new long[] {0, -1, 1L << 40, Integer.MAX_VALUE}[r.nextInt(4)])); break;
      case 3: f.api("setPriority", () -> os.setPriority(0, new int[] {-21, 20, 0, 19, 100}[r.nextInt(5)])); break;
      case 4: f.api("hrtime", () -> p.hrtime(new long[][] {null, {0, 0}, {-1, 5}, {1}, {0, 2_000_000_000}}[r.nextInt(5)])); break;
      case 5: f.api("cpuUsage", () -> p.cpuUsage(new NodeProcess.CpuUsage[] {null, new NodeProcess.CpuUsage(-1, 0),
          new NodeProcess.CpuUsage(0, 0)}[r.nextInt(3)]));
        break;
      case 6: f.api("process queries", () -> {
        p.memoryUsage();
        p.resourceUsage();
        p.uptime();
        p.pid();
        p.ppid();
        p.hrtimeBigint();
      });
        break;
      default: f.api("emitWarning", () -> f.node.emitWarning(r.nextBoolean() ? null : "fuzz warning", "FuzzWarning",
          r.nextBoolean() ? null : "FUZZ1"));
        break;
    }
  }

  // ------------------------------------------------------------------ foreign threads

  /** Starts {@code body} on a thread of its own (joined at the end). */
  void onForeignThread(String what, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        f.report("foreign thread " + what, e, false);
      }
    }, "fuzz-foreign-" + threads.size());
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Calls that must refuse a foreign thread with IllegalStateException. */
  void foreign(Random r) {
    int what = r.nextInt(10);
    f.log("foreign thread call " + what);
    Object target = what == 4 && !f.net.sockets.isEmpty() ? f.net.sockets.get(0)
        : what == 5 && !ports.isEmpty() ? ports.get(0)
        : what == 6 && !f.core.signals.isEmpty() ? f.core.signals.get(0) : null;
    Thread t = new Thread(() -> {
      NodeApiFuzzer.Call c;
      switch (what) {
        case 0: c = () -> f.node.setTimeout(() -> { }, 1); break;
        case 1: c = () -> f.node.nextTick(() -> { }); break;
        case 2: c = () -> f.node.fs().readFile(f.dir.resolve("f0").toString(), (e, v) -> { }); break;
        case 3: c = () -> f.node.setImmediate(() -> { }); break;
        case 4: c = target == null ? null : () -> ((io.uv4j.node.Net.Socket) target).write("foreign"); break;
        case 5: c = target == null ? null : () -> ((MessagePort) target).postMessage("foreign"); break;
        case 6: c = target == null ? null : () -> ((io.uv4j.node.AbortSignal) target).throwIfAborted(); break;
        case 7: c = () -> io.uv4j.node.Promise.resolve(f.node, 1); break;
        case 8: c = () -> new MessageChannel(f.node); break;
        default: c = () -> f.node.net().createServer().listen(0); break;
      }
      if (c == null) {
        return;
      }
      try {
        c.run();
        if (what != 5) { // MessagePort.postMessage is documented for any thread
          f.violation("foreign-thread call " + what + " returned normally");
        }
      } catch (IllegalStateException e) {
        // documented: the API is single-threaded like Node's
      } catch (Throwable e) {
        f.report("foreign thread call " + what, e, false);
      }
    }, "fuzz-foreign-call");
    t.start();
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void joinThreads() {
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  void cleanup() {
    for (MessagePort p : ports) {
      f.api("cleanup port close", p::close);
    }
    for (Worker w : workers) {
      f.api("cleanup terminate", () -> w.terminate());
    }
    for (Subprocess c : children) {
      f.api("cleanup kill", () -> c.kill("SIGKILL"));
    }
    ports.clear();
    workers.clear();
    children.clear();
  }
}
