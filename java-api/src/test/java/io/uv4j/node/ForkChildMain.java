package io.uv4j.node;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forked child of the cp_fork_order scenario's Java twin: the same program as the 'child'
 * branch of cp_fork_order.js, on {@link ParentProcess}.
 */
public final class ForkChildMain {
  private ForkChildMain() {}

  public static void main(String[] args) throws Exception {
    int code = NodeRuntime.run(node -> {
      ParentProcess parent = ParentProcess.of(node);
      parent.on("message", a -> {
        Map<?, ?> m = (Map<?, ?>) a[0];
        if ("ping".equals(m.get("cmd"))) {
          Map<String, Object> reply = new LinkedHashMap<>();
          reply.put("cmd", "pong");
          reply.put("n", ((Number) m.get("n")).longValue() + 1);
          reply.put("echo", m.get("payload"));
          parent.send(reply);
        } else if ("bye".equals(m.get("cmd"))) {
          parent.send("bye from child", e -> parent.disconnect());
        }
      });
      Map<String, Object> ready = new LinkedHashMap<>();
      ready.put("cmd", "ready");
      ready.put("args", Arrays.asList(args).subList(1, args.length));
      ready.put("connected", parent.connected());
      parent.send(ready);
    });
    System.exit(code);
  }

  static List<Object> list(Object... items) {
    return Arrays.asList(items);
  }
}
