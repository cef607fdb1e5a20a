package io.uv4j.node;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Java twins of promise_unhandled_mode_*.js: one program run under each
 * {@code --unhandled-rejections} mode (the scenario's first line names the node flag, the harness
 * gives the runtime the matching {@link RuntimeOptions}). Registered into {@link NodeScenarios#ALL}.
 */
final class NodeRejectionModeScenarios {
  private NodeRejectionModeScenarios() {}

  static void register(Map<String, NodeScenarios.Scenario> all) {
    for (UnhandledRejections mode : UnhandledRejections.values()) {
      all.put("promise_unhandled_mode_" + mode.flag().replace('-', '_'), NodeRejectionModeScenarios::unhandledMode);
    }
    all.put("promise_unhandled_warn_node_error", NodeRejectionModeScenarios::warnNodeError);
  }

  private static void warnNodeError(NodeRuntime node, Consumer<String> log) {
    node.onWarning(w -> log.accept(w.name() + ": " + w.getMessage().split("\n")[0]));
    Promise.resolve(node, null).then(v -> new EventEmitter().setMaxListeners(-1));
    log.accept("main");
  }

  private static void unhandledMode(NodeRuntime node, Consumer<String> log) {
    node.onUncaughtExceptionWithOrigin((e, origin) -> log.accept("uncaught " + e.getMessage() + " " + origin));
    node.onWarning(w -> log.accept("warning " + w.name() + ": " + w.getMessage().split("\n")[0]));
    // process.exitCode is undefined until set; an int here.
    node.onExit(code -> log.accept("exit " + code + " exitCode " + (node.exitCode() == 0 ? "undefined" : node.exitCode())));
    Promise.reject(node, new Error("boom"));
    node.setTimeout(() -> {
      log.accept("timeout");
      node.onUnhandledRejection((r, p) -> log.accept("unhandledRejection " + r.getMessage()));
      Promise.reject(node, new Error("second"));
      node.nextTick(() -> log.accept("tick"));
    }, 1);
    log.accept("main");
  }
}
