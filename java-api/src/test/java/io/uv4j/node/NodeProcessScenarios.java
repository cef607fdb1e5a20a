package io.uv4j.node;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of the child_process scenarios (cp_*.js): the same program as NAME.js, line for
 * line, on {@link NodeChildProcess}. Registered into {@link NodeScenarios#ALL}.
 */
final class NodeProcessScenarios {
  private NodeProcessScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    all.put("cp_spawn_order", NodeProcessScenarios::spawnOrder);
    all.put("cp_exec_order", NodeProcessScenarios::execOrder);
    all.put("cp_fork_order", NodeProcessScenarios::forkOrder);
  }

  private static String q(String s) {
    return Json.stringify(s);
  }

  private static String str(Object bytes) {
    return new String((byte[]) bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Kills a child still running after a minute (never prints: only keeps a broken run from hanging). */
  private static void guard(NodeRuntime node, Subprocess child) {
    node.setTimeout(() -> child.kill("SIGKILL"), 60_000).unref();
  }

  // ------------------------------------------------------------------ cp_spawn_order.js

  private static void spawnOrder(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);

    Consumer<Runnable> badCwd = next -> {
      Subprocess child = cp.spawn("sh", List.of("-c", "exit 0"), new NodeChildProcess.Options().cwd("/uv4j-no-such-dir"));
      child.on("error", a -> {
        Subprocess.SpawnError e = (Subprocess.SpawnError) a[0];
        log.accept("bad cwd error " + e.code() + " " + e.syscall());
      });
      child.on("close", a -> {
        log.accept("bad cwd close " + a[0]);
        next.run();
      });
    };

    Consumer<Runnable> cwdEnv = next -> {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("UV4J_FOO", "bar");
      env.put("PATH", System.getenv("PATH"));
      Subprocess child = cp.spawn("sh", List.of("-c", "echo \"$UV4J_FOO $(pwd)\"; exit 0"),
          new NodeChildProcess.Options().cwd("/").env(env));
      StringBuilder out = new StringBuilder();
      child.stdout().onData(d -> out.append(str(d)));
      child.on("close", a -> {
        log.accept("cwd/env close " + a[0] + " " + q(out.toString()));
        next.run();
      });
    };

    Consumer<Runnable> enoent = next -> {
      Subprocess child = cp.spawn("uv4j-no-such-command", List.of("a", "b"), null);
      log.accept("pid " + (child.pid() == null ? "undefined" : child.pid()));
      child.on("spawn", () -> log.accept("spawn (not expected)"));
      child.on("exit", () -> log.accept("exit (not expected)"));
      child.on("error", a -> {
        Subprocess.SpawnError e = (Subprocess.SpawnError) a[0];
        log.accept("error " + e.getMessage());
        log.accept("  code=" + e.code() + " errno=" + e.errno() + " syscall=" + e.syscall() + " path=" + e.path()
            + " spawnargs=" + Json.stringify(e.spawnargs()));
      });
      child.on("close", a -> {
        log.accept("close " + a[0] + " " + a[1]);
        next.run();
      });
      node.nextTick(() -> log.accept("tick after spawn"));
    };

    Consumer<Runnable> killed = next -> {
      Subprocess child = cp.spawn("sleep", List.of("30"), new NodeChildProcess.Options().stdio("ignore"));
      guard(node, child);
      log.accept("stdout " + child.stdout() + " stdin " + child.stdin());
      child.on("spawn", () -> {
        log.accept("spawn; kill returns " + child.kill());
        log.accept("killed=" + child.killed());
      });
      child.on("exit", a -> log.accept("exit " + a[0] + " " + a[1]));
      child.on("close", a -> {
        log.accept("close " + a[0] + " " + a[1] + " kill again returns " + child.kill());
        next.run();
      });
    };

    Consumer<Runnable> piped = next -> {
      Subprocess child = cp.spawn("sh", List.of("-c", "echo out; echo err 1>&2; read x; echo \"got $x\"; exit 3"), null);
      guard(node, child);
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      child.on("spawn", () -> log.accept("spawn pid>0=" + (child.pid() > 0) + " killed=" + child.killed()));
      child.stdout().onData(d -> out.append(str(d)));
      child.stderr().onData(d -> err.append(str(d)));
      child.on("exit", a -> log.accept("exit " + a[0] + " " + a[1]));
      child.on("close", a -> {
        log.accept("close " + a[0] + " " + a[1]);
        log.accept("stdout " + q(out.toString()) + " stderr " + q(err.toString()));
        log.accept("exitCode " + child.exitCode() + " signalCode " + child.signalCode());
        next.run();
      });
      child.stdin().end("hello\n");
      StringBuilder kinds = new StringBuilder();
      for (PipeSocket s : child.stdio()) {
        kinds.append(kinds.length() > 0 ? "," : "").append(s == null ? "null" : "stream");
      }
      log.accept("spawned: stdio " + kinds);
    };

    piped.accept(() -> killed.accept(() -> enoent.accept(() -> cwdEnv.accept(() -> badCwd.accept(() -> log.accept("done"))))));
    log.accept("main");
  }

  // ------------------------------------------------------------------ cp_exec_order.js

  private static String describe(NodeChildProcess.ExecError err) {
    if (err == null) {
      return "null";
    }
    String killed = err.isCommandFailure() ? String.valueOf(err.killed()) : "undefined";
    String signal = err.isCommandFailure() ? String.valueOf(err.signal()) : "undefined";
    return "code=" + err.code() + " killed=" + killed + " signal=" + signal + " cmd=" + q(err.cmd())
        + " message=" + q(err.getMessage());
  }

  private static void execOrder(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    List<Consumer<Runnable>> steps = Arrays.asList(
        next -> cp.exec("echo hi; echo e 1>&2", null, (err, stdout, stderr) -> {
          log.accept("exec ok: err=" + describe(err) + " stdout=" + q(stdout) + " stderr=" + q(stderr));
          next.run();
        }),
        next -> cp.exec("echo partial; echo oops 1>&2; exit 2", null, (err, stdout, stderr) -> {
          log.accept("exec exit 2: " + describe(err) + " stdout=" + q(stdout));
          next.run();
        }),
        next -> cp.execFile("uv4j-no-such-command", List.of("x", "y"), null, (err, stdout, stderr) -> {
          Subprocess.SpawnError e = (Subprocess.SpawnError) err.getCause();
          log.accept("execFile ENOENT: " + describe(err) + " errno=" + e.errno() + " syscall=" + e.syscall()
              + " path=" + e.path() + " spawnargs=" + Json.stringify(e.spawnargs()) + " stdout=" + q(stdout));
          next.run();
        }),
        next -> cp.execFile("echo", List.of("0123456789"), new NodeChildProcess.Options().maxBuffer(4), (err, stdout, stderr) -> {
          log.accept("maxBuffer: " + describe(err) + " stdout=" + q(stdout));
          next.run();
        }),
        next -> cp.exec("sleep 30", new NodeChildProcess.Options().timeout(50), (err, stdout, stderr) -> {
          log.accept("timeout: " + describe(err));
          next.run();
        }),
        next -> cp.exec("sleep 30", new NodeChildProcess.Options().timeout(50).killSignal("SIGKILL"), (err, stdout, stderr) -> {
          log.accept("timeout SIGKILL: " + describe(err));
          next.run();
        }),
        next -> cp.execFile("sh", List.of("-c", "echo \"$UV4J_X\""), new NodeChildProcess.Options().env(Map.of("UV4J_X", "from env")),
            (err, stdout, stderr) -> {
              log.accept("execFile env: " + describe(err) + " stdout=" + q(stdout));
              next.run();
            }),
        next -> cp.execPromise("echo promised", null).then(r -> {
          log.accept("exec promise: stdout=" + q(r.stdout()) + " stderr=" + q(r.stderr()));
          next.run();
          return null;
        }),
        next -> cp.execFilePromise("sh", List.of("-c", "echo o; echo e 1>&2; exit 1"), null).catchError(t -> {
          NodeChildProcess.ExecError err = (NodeChildProcess.ExecError) t;
          log.accept("execFile promise rejected: " + describe(err) + " stdout=" + q(err.stdout()) + " stderr=" + q(err.stderr()));
          next.run();
          return null;
        }));
    runSteps(steps, 0, log);
  }

  private static void runSteps(List<Consumer<Runnable>> steps, int i, Consumer<String> log) {
    if (i == steps.size()) {
      log.accept("done");
      return;
    }
    boolean[] sync = {true};
    steps.get(i).accept(() -> {
      log.accept("  callback was " + (sync[0] ? "sync" : "async"));
      runSteps(steps, i + 1, log);
    });
    sync[0] = false;
  }

  // ------------------------------------------------------------------ cp_fork_order.js

  private static void forkOrder(NodeRuntime node, Consumer<String> log) {
    NodeChildProcess cp = NodeChildProcess.of(node);
    Subprocess child = cp.fork(ForkChildMain.class.getName(), List.of("child", "x", "y"), null);
    guard(node, child);
    boolean[] disconnected = {false};
    boolean[] exited = {false};
    log.accept("connected " + child.connected());
    child.on("spawn", () -> log.accept("spawn"));
    child.on("message", a -> {
      log.accept("parent got " + Json.stringify(a[0]));
      Object m = a[0];
      if (m instanceof Map && "ready".equals(((Map<?, ?>) m).get("cmd"))) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("list", Arrays.asList(1, 2.5, -3, "two", null, true, false, Map.of("nested", List.of())));
        payload.put("s", "q\"\\\n\u00e9\u2603");
        payload.put("empty", Map.of());
        Map<String, Object> ping = new LinkedHashMap<>();
        ping.put("cmd", "ping");
        ping.put("n", 41);
        ping.put("payload", payload);
        boolean ok = child.send(ping, err -> log.accept("send callback " + err));
        log.accept("send returned " + ok);
      } else if (m instanceof Map && "pong".equals(((Map<?, ?>) m).get("cmd"))) {
        child.send(Map.of("cmd", "bye"));
      }
    });
    child.on("disconnect", () -> {
      disconnected[0] = true;
      log.accept("disconnect connected=" + child.connected());
    });
    child.on("exit", a -> exited[0] = true);
    child.on("close", a -> {
      log.accept("close " + a[0] + " " + a[1] + " disconnected=" + disconnected[0] + " exited=" + exited[0]);
      child.send("late", err -> log.accept("send after close: " + ((NodeError) err).code() + " " + err.getMessage()));
    });
  }
}
