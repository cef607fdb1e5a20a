package io.uv4j.node;

import io.uv4j.Fs;
import io.uv4j.UvException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The Java twins of the scenarios in src/test/resources/node-scenarios/*.js: the same program,
 * line for line, written with io.uv4j.node. {@code log} stands for console.log.
 */
final class NodeScenarios {
  interface Scenario {
    void main(NodeRuntime node, Consumer<String> log) throws Exception;
  }

  static final Map<String, Scenario> ALL = new LinkedHashMap<>();

  static {
    ALL.put("tick_order", (node, log) -> {
      node.nextTick(() -> {
        log.accept("tick 1");
        node.nextTick(() -> log.accept("tick 1.1"));
        node.nextTick(() -> {
          log.accept("tick 1.2");
          node.nextTick(() -> log.accept("tick 1.2.1"));
        });
      });
      node.nextTick(() -> log.accept("tick 2"));
      log.accept("main");
    });

    ALL.put("tick_before_promise", (node, log) -> {
      Promise.resolve(node, null).then(v -> say(log, "promise 1"));
      node.nextTick(() -> log.accept("tick 1"));
      Promise.resolve(node, null).then(v -> {
        log.accept("promise 2");
        node.nextTick(() -> log.accept("tick from promise"));
        return null;
      });
      node.nextTick(() -> {
        log.accept("tick 2");
        Promise.resolve(node, null).then(v -> say(log, "promise from tick"));
      });
      log.accept("main");
    });

    ALL.put("ticks_after_each_timer", (node, log) -> {
      for (int n : new int[] {1, 2, 3}) {
        node.setTimeout(() -> {
          log.accept("timeout " + n);
          node.nextTick(() -> log.accept("tick " + n));
          Promise.resolve(node, null).then(v -> say(log, "promise " + n));
        }, 5);
      }
    });

    ALL.put("ticks_after_each_immediate", (node, log) -> {
      for (int n : new int[] {1, 2, 3}) {
        node.setImmediate(() -> {
          log.accept("immediate " + n);
          Promise.resolve(node, null).then(v -> say(log, "promise " + n));
          node.nextTick(() -> log.accept("tick " + n));
        });
      }
    });

    ALL.put("microtask_fifo", (node, log) -> {
      node.queueMicrotask(() -> log.accept("micro 1"));
      Promise.resolve(node, null).then(v -> say(log, "promise 1")).then(v -> say(log, "promise 1.1"));
      node.queueMicrotask(() -> {
        log.accept("micro 2");
        node.queueMicrotask(() -> log.accept("micro 2.1"));
      });
      Promise.resolve(node, null).then(v -> say(log, "promise 2"));
      Promise.resolve(node, null).thenCompose(v -> Promise.resolve(node, "adopted"))
          .then(v -> say(log, "promise 3 " + v));
      Promise.resolve(node, null).then(v -> say(log, "p4")).then(v -> say(log, "p4.1"))
          .then(v -> say(log, "p4.2")).then(v -> say(log, "p4.3"));
      Promise.resolve(node, "f").whenDone(() -> log.accept("finally"))
          .then(v -> say(log, "after finally " + v));
    });

    ALL.put("immediate_during_immediate", (node, log) -> {
      node.setImmediate(() -> {
        log.accept("immediate 1");
        node.setImmediate(() -> log.accept("immediate 4 (added by 1)"));
        node.nextTick(() -> log.accept("tick in 1"));
      });
      node.setImmediate(() -> {
        log.accept("immediate 2");
        node.setImmediate(() -> log.accept("immediate 5 (added by 2)"));
      });
      node.setImmediate(() -> log.accept("immediate 3"));
    });

    ALL.put("clear_immediate", (node, log) -> {
      Immediate a = node.setImmediate(() -> log.accept("A (cleared)"));
      Immediate[] c = new Immediate[1];
      Immediate[] e = new Immediate[1];
      node.setImmediate(() -> {
        log.accept("B");
        node.clearImmediate(c[0]);
      });
      c[0] = node.setImmediate(() -> log.accept("C (cleared by B)"));
      node.setImmediate(() -> {
        log.accept("D");
        node.nextTick(() -> node.clearImmediate(e[0]));
      });
      e[0] = node.setImmediate(() -> log.accept("E (cleared by a tick)"));
      node.setImmediate(() -> log.accept("F"));
      node.clearImmediate(a);
      node.clearImmediate(null);
    });

    ALL.put("unref", (node, log) -> {
      Timeout t = node.setTimeout(() -> log.accept("unref timeout (never)"), 1000);
      t.unref();
      log.accept("timeout hasRef " + t.hasRef());
      Immediate i = node.setImmediate(() -> log.accept("unref immediate still runs in the check phase"));
      i.unref();
      log.accept("immediate hasRef " + i.hasRef());
      node.setTimeout(() -> {
        log.accept("ref timeout");
        Timeout t2 = node.setTimeout(() -> log.accept("re-refed timeout"), 5);
        t2.unref();
        t2.ref();
      }, 200);
    });

    ALL.put("timeout_chain", (node, log) -> {
      int[] n = {0};
      Runnable[] step = new Runnable[1];
      step[0] = () -> {
        log.accept("step " + n[0]);
        if (++n[0] < 6) {
          node.setTimeout(step[0], 1);
        }
      };
      node.setTimeout(step[0], 1);
    });

    ALL.put("nested_same_duration", (node, log) -> {
      node.setTimeout(() -> log.accept("coerced -1 => 1"), -1);
      node.setTimeout(() -> log.accept("coerced NaN => 1"), Double.NaN);
      node.setTimeout(() -> log.accept("coerced 2^31 => 1"), Math.pow(2, 31));
      node.setTimeout(() -> log.accept("long 300 (created before the 100s)"), 300);
      node.setTimeout(() -> {
        log.accept("A");
        node.setTimeout(() -> log.accept("C (added by A)"), 100);
      }, 100);
      node.setTimeout(() -> log.accept("B"), 100);
    });

    ALL.put("interval_until_cleared", (node, log) -> {
      int[] n = {0};
      Timeout[] iv = new Timeout[1];
      iv[0] = node.setInterval(() -> {
        log.accept("interval " + ++n[0]);
        int k = n[0];
        node.nextTick(() -> log.accept("tick " + k));
        if (n[0] == 5) {
          node.clearInterval(iv[0]);
        }
      }, 0);
    });

    ALL.put("io_timeout_vs_immediate", (node, log) -> {
      Fs fs = new Fs(node.loop());
      int[] round = {0};
      Runnable[] next = new Runnable[1];
      next[0] = () -> fs.stat(".", (st, err) -> node.makeCallback(() -> {
        int r = ++round[0];
        int[] pending = {2};
        Runnable both = () -> {
          if (--pending[0] == 0 && r < 5) {
            next[0].run();
          }
        };
        node.setTimeout(() -> {
          log.accept("timeout " + r);
          both.run();
        }, 0);
        node.setImmediate(() -> {
          log.accept("immediate " + r);
          both.run();
        });
      }));
      next[0].run();
    });

    ALL.put("throwing_timer_sibling", (node, log) -> {
      node.onUncaughtException(e -> log.accept("caught " + e.getMessage()));
      node.setTimeout(() -> {
        log.accept("A");
        throw new RuntimeException("boom");
      }, 5);
      node.setTimeout(() -> {
        log.accept("B (same due time, still runs)");
        node.setImmediate(() -> {
          log.accept("immediate");
          throw new RuntimeException("bang");
        });
        node.setImmediate(() -> log.accept("next immediate still runs"));
        node.nextTick(() -> log.accept("tick after B"));
      }, 5);
    });

    ALL.put("before_exit_revival", (node, log) -> {
      int[] revived = {0};
      node.onBeforeExit(code -> {
        log.accept("beforeExit " + code);
        if (revived[0]++ < 2) {
          node.setTimeout(() -> log.accept("revived " + revived[0]), 1);
        }
      });
      node.onExit(code -> log.accept("exit " + code));
      log.accept("main");
    });

    ALL.put("exit_code", (node, log) -> {
      node.onExit(code -> log.accept("exit " + code));
      node.setTimeout(() -> {
        log.accept("timer");
        node.setExitCode(3);
        node.nextTick(() -> {
          log.accept("tick then exit(4)");
          node.exit(4);
          log.accept("never");
        });
        node.setImmediate(() -> log.accept("immediate (never)"));
      }, 1);
    });

    ALL.put("fs_callback_order", (node, log) -> {
      Fs fs = new Fs(node.loop());
      String dir = Fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-XXXXXX");
      String file = dir + "/f.txt";
      log.accept("start");
      fs.open(file, Fs.O_WRONLY | Fs.O_CREAT | Fs.O_TRUNC, 0644, (fd, err) -> node.makeCallback(() -> {
        log.accept("open " + (err != null ? err.errorName() : "ok"));
        node.nextTick(() -> log.accept("tick after open"));
        ByteBuffer hello = ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8));
        fs.write(fd, hello, -1, (n, err2) -> node.makeCallback(() -> {
          log.accept("write " + n);
          fs.close(fd, (v, err3) -> node.makeCallback(() -> {
            log.accept("close");
            fs.stat(file, (st, err4) -> node.makeCallback(() -> {
              log.accept("stat size " + st.size());
              fs.unlink(file, (v2, err5) -> node.makeCallback(() -> {
                log.accept("unlink");
                fs.stat(file, (st2, err6) -> node.makeCallback(() -> {
                  log.accept("stat after unlink " + err6.errorName());
                  try {
                    Fs.rmdirSync(dir);
                  } catch (UvException e) {
                    throw new IllegalStateException(e);
                  }
                }));
              }));
            }));
          }));
        }));
        Promise.resolve(node, null).then(v -> say(log, "promise after open"));
      }));
      log.accept("end");
    });

    ALL.put("thread_pool_four", NodeScenarios::threadPoolFour);

    ALL.put("dns_lookup", (node, log) -> {
      NodeDns dns = NodeDns.of(node);
      dns.lookup("127.0.0.1", (err, a) -> {
        log.accept("literal " + a.address() + " " + a.family());
        dns.lookup("localhost", 4, (err2, b) -> {
          log.accept("localhost " + b.address() + " " + b.family());
          dns.lookupAll("::1", 0, (err3, all) -> {
            log.accept("all " + all);
            dns.lookup("no-such-host.invalid", (err4, c) -> log.accept("error " + err4.code() + " "
                + ((SystemError) err4).syscall() + " / " + err4.getMessage()));
            node.nextTick(() -> log.accept("tick after starting a real lookup"));
          });
        });
      });
      node.nextTick(() -> log.accept("tick queued after the literal lookup"));
    });

    NodeModuleScenarios.register(ALL);
    NodeDivergenceScenarios.register(ALL);
    NodePortScenarios.register(ALL);
    NodePortScenarios2.register(ALL);
    NodePortIoScenarios.register(ALL);
    NodeProcessScenarios.register(ALL);
    NodeDgramScenarios.register(ALL);
    NodeApiScenarios.register(ALL);
    NodeClusterScenarios.register(ALL);
    NodeStreamModeScenarios.register(ALL);
    NodeRejectionModeScenarios.register(ALL);
    NodeOrderScenarios.register(ALL);
    NodeCombinatorScenarios.register(ALL);
    NodeOrderScenarios2.register(ALL);
    NodeFsOrderScenarios.register(ALL);
    NodeStreamOrderScenarios.register(ALL);
    NodeNetOrderScenarios.register(ALL);
    NodeEventOrderScenarios.register(ALL);
    NodeAbortScenarios.register(ALL);
    NodeFsScenarios2.register(ALL);
    NodeNetScenarios2.register(ALL);
    NodeScenarios9.register(ALL);
  }

  /** See thread_pool_four.js: eight FIFO opens block the pool; /proc shows four at a time. */
  private static void threadPoolFour(NodeRuntime node, Consumer<String> log) throws Exception {
    String openat = System.getProperty("os.arch").equals("aarch64") ? "56" : "257";
    Fs fs = new Fs(node.loop());
    String dir = Fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-fifo-XXXXXX");
    List<String> fifos = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      fifos.add(dir + "/f" + i);
      Process p = new ProcessBuilder("mkfifo", fifos.get(i)).start();
      if (p.waitFor() != 0) {
        throw new IOException("mkfifo failed");
      }
    }
    int[] done = {0};
    Set<Integer> released = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      fs.open(fifos.get(i), Fs.O_RDONLY, 0, (fd, err) -> node.makeCallback(() -> {
        closeQuietly(fd);
        if (++done[0] == 8) {
          log.accept("all 8 opens done");
          try {
            for (String f : fifos) {
              Fs.unlinkSync(f);
            }
            Fs.rmdirSync(dir);
          } catch (UvException e) {
            throw new IllegalStateException(e);
          }
        }
      }));
    }
    Consumer<Integer>[] waitForBatch = newConsumerArray();
    waitForBatch[0] = batch -> {
      int blocked = threadsIn(openat);
      if (blocked < 4 && released.size() + blocked < 8) {
        node.setTimeout(() -> waitForBatch[0].accept(batch), 2);
        return;
      }
      List<Integer> now = new ArrayList<>();
      for (int i = 0; i < 8 && now.size() < blocked; i++) {
        if (released.contains(i)) {
          continue;
        }
        try {
          Fs.closeSync(Fs.openSync(fifos.get(i), Fs.O_WRONLY | Fs.O_NONBLOCK, 0));
          released.add(i);
          now.add(i);
        } catch (UvException e) {
          if (!e.errorName().equals("ENXIO")) {
            throw new IllegalStateException(e);
          }
        }
      }
      log.accept("batch " + batch + ": " + blocked + " opens blocked on the pool; released "
          + now.stream().map(String::valueOf).collect(Collectors.joining(",")));
      if (released.size() < 8) {
        node.setTimeout(() -> waitForBatch[0].accept(batch + 1), 2);
      }
    };
    node.setTimeout(() -> waitForBatch[0].accept(1), 2);
  }

  private static int threadsIn(String syscall) {
    int n = 0;
    try (var tasks = Files.list(Paths.get("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String s = Files.readString(task.resolve("syscall"));
          if (s.split(" ")[0].equals(syscall)) {
            n++;
          }
        } catch (IOException ended) {
          // the thread ended
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return n;
  }

  private static void closeQuietly(int fd) {
    try {
      Fs.closeSync(fd);
    } catch (UvException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Consumer<T>[] newConsumerArray() {
    return (Consumer<T>[]) new Consumer<?>[1];
  }

  private static Object say(Consumer<String> log, String line) {
    log.accept(line);
    return null;
  }

  private NodeScenarios() {}
}
