package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NodeOs} against Node's {@code os} module on this machine: Node runs first (when it is
 * installed) and prints its answers as JSON; the Java side must give the same values, except
 * those that move between the two reads (free memory, uptime, load, CPU times), which are
 * checked for units and direction.
 */
@ExtendWith(LeakCheck.class)
class NodeOsTest {
  private static final String SCRIPT = String.join("\n",
      "const os = require('os');",
      "const errors = [];",
      "for (const f of [() => os.setPriority(0, 20), () => os.setPriority(-21),",
      "    () => os.setPriority(99999999, 0), () => os.getPriority(99999999), () => os.getPriority(-1),",
      "    () => os.getPriority(2 ** 31)]) {",
      "  try { f(); errors.push('no error'); } catch (e) { errors.push(e.code + ' ' + e.message); }",
      "}",
      "console.log(JSON.stringify({EOL: os.EOL, devNull: os.devNull, arch: os.arch(),",
      "  platform: os.platform(), type: os.type(), release: os.release(), version: os.version(),",
      "  machine: os.machine(), endianness: os.endianness(), hostname: os.hostname(),",
      "  homedir: os.homedir(), tmpdir: os.tmpdir(), totalmem: os.totalmem(), freemem: os.freemem(),",
      "  availableParallelism: os.availableParallelism(), uptime: os.uptime(), loadavg: os.loadavg(),",
      "  cpus: os.cpus(), networkInterfaces: os.networkInterfaces(), userInfo: os.userInfo(),",
      "  priority: os.getPriority(), constantsPriority: os.constants.priority,",
      "  signals: os.constants.signals, errors}));");

  @Test
  void answersWhatNodeAnswersOnThisMachine() throws Exception {
    Path node = NodeDifferentialTest.findNode();
    Assumptions.assumeTrue(node != null, "node is not installed: no oracle to compare with");
    Process p = new ProcessBuilder(node.toString(), "-e", SCRIPT)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node finished");
    Map<?, ?> n = (Map<?, ?>) Json.parse(out);
    Map<String, Object> j = new LinkedHashMap<>();
    NodeTesting.run(rt -> {
      NodeOs os = NodeOs.of(rt);
      j.put("EOL", NodeOs.EOL);
      j.put("devNull", NodeOs.DEV_NULL);
      j.put("arch", os.arch());
      j.put("platform", os.platform());
      j.put("type", os.type());
      j.put("release", os.release());
      j.put("version", os.version());
      j.put("machine", os.machine());
      j.put("endianness", os.endianness());
      j.put("hostname", os.hostname());
      j.put("homedir", os.homedir());
      j.put("tmpdir", os.tmpdir());
      j.put("totalmem", os.totalmem());
      j.put("availableParallelism", (long) os.availableParallelism());
      j.put("networkInterfaces", interfacesAsNodePrintsThem(os));
      NodeOs.UserInfo u = os.userInfo();
      j.put("userInfo", map("uid", u.uid(), "gid", u.gid(), "username", u.username(),
          "homedir", u.homedir(), "shell", u.shell()));
      j.put("priority", (long) os.getPriority());
      j.put("constantsPriority", longs(NodeOs.PRIORITY));
      j.put("signals", longs(os.signals()));
      j.put("errors", errors(os));
      // Values that move between Node's read and this one: compared below.
      j.put("freemem", os.freemem());
      j.put("uptime", os.uptime());
      j.put("loadavg", os.loadavg());
      j.put("cpus", os.cpus());
    });
    for (String key : List.of("EOL", "devNull", "arch", "platform", "type", "release", "version",
        "machine", "endianness", "hostname", "homedir", "tmpdir", "totalmem", "availableParallelism",
        "networkInterfaces", "userInfo", "priority", "constantsPriority", "signals", "errors")) {
      assertEquals(n.get(key), j.get(key), key);
    }
    long total = (Long) n.get("totalmem");
    long nodeFree = ((Number) n.get("freemem")).longValue();
    long javaFree = (Long) j.get("freemem");
    assertTrue(javaFree > 0 && javaFree <= total, "freemem " + javaFree + " of " + total);
    assertTrue(Math.abs(javaFree - nodeFree) < total / 10, "freemem: node " + nodeFree + ", java " + javaFree);
    double nodeUp = ((Number) n.get("uptime")).doubleValue();
    double javaUp = (Double) j.get("uptime");
    assertTrue(javaUp >= nodeUp && javaUp < nodeUp + 120, "uptime in seconds: node " + nodeUp + ", java " + javaUp);
    assertEquals(3, ((double[]) j.get("loadavg")).length);
    List<?> nodeCpus = (List<?>) n.get("cpus");
    @SuppressWarnings("unchecked")
    List<NodeOs.Cpu> javaCpus = (List<NodeOs.Cpu>) j.get("cpus");
    assertEquals(nodeCpus.size(), javaCpus.size(), "cpus");
    for (int i = 0; i < javaCpus.size(); i++) {
      Map<?, ?> nc = (Map<?, ?>) nodeCpus.get(i);
      NodeOs.Cpu jc = javaCpus.get(i);
      assertEquals(nc.get("model"), jc.model(), "cpu " + i + " model");
      Map<?, ?> nt = (Map<?, ?>) nc.get("times");
      long nodeTotal = sum(nt);
      long javaTotal = jc.times().user() + jc.times().nice() + jc.times().sys() + jc.times().idle() + jc.times().irq();
      // Both in milliseconds since boot, read a moment apart: the later read is not smaller, and
      // not by more than the time between the reads.
      assertTrue(javaTotal >= nodeTotal && javaTotal - nodeTotal < 120_000,
          "cpu " + i + " times in ms: node " + nodeTotal + ", java " + javaTotal);
    }
  }

  @Test
  void priorityOutOfRangeIsNodesRangeError() {
    NodeTesting.run(rt -> {
      NodeOs os = NodeOs.of(rt);
      NodeError e = assertThrows(NodeError.class, () -> os.setPriority(19 + 1));
      assertEquals("ERR_OUT_OF_RANGE", e.code());
      assertEquals("The value of \"priority\" is out of range. It must be >= -20 && <= 19. Received 20", e.getMessage());
      NodeError sys = assertThrows(NodeError.class, () -> os.getPriority(-1));
      assertEquals("ERR_SYSTEM_ERROR", sys.code());
      int own = os.getPriority();
      os.setPriority(own); // the same value: allowed without privileges
      assertEquals(own, os.getPriority());
    });
  }

  @Test
  void ofNullThrows() {
    assertThrows(NullPointerException.class, () -> NodeOs.of(null));
  }

  @Test
  void everyInterfaceAddressHasNodesFields() {
    NodeTesting.run(rt -> {
      Map<String, List<NodeOs.NetworkInterface>> all = NodeOs.of(rt).networkInterfaces();
      assertFalse(all.isEmpty(), "at least the loopback interface");
      for (List<NodeOs.NetworkInterface> list : all.values()) {
        for (NodeOs.NetworkInterface a : list) {
          assertTrue(a.family().equals("IPv4") || a.family().equals("IPv6"), a.toString());
          assertEquals(a.family().equals("IPv6"), a.scopeid() != null, "scopeid only for IPv6: " + a);
          assertTrue(a.mac().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), a.mac());
          assertFalse(a.address().contains("%"), "no scope in the address: " + a);
        }
      }
    });
  }

  private static List<String> errors(NodeOs os) {
    List<Runnable> calls = List.of(() -> os.setPriority(0, 20), () -> os.setPriority(-21),
        () -> os.setPriority(99999999, 0), () -> os.getPriority(99999999), () -> os.getPriority(-1),
        () -> os.getPriority(1L << 31));
    List<String> out = new ArrayList<>();
    for (Runnable r : calls) {
      try {
        r.run();
        out.add("no error");
      } catch (NodeError e) {
        out.add(e.code() + " " + e.getMessage());
      }
    }
    return out;
  }

  /** The Java answer in the shape Json.parse gives Node's: maps, lists, Long, Boolean, String. */
  private static Map<String, Object> interfacesAsNodePrintsThem(NodeOs os) {
    Map<String, Object> out = new LinkedHashMap<>();
    os.networkInterfaces().forEach((name, list) -> {
      List<Object> entries = new ArrayList<>();
      for (NodeOs.NetworkInterface a : list) {
        Map<String, Object> e = map("address", a.address(), "netmask", a.netmask(), "family", a.family(),
            "mac", a.mac(), "internal", a.internal(), "cidr", a.cidr());
        if (a.scopeid() != null) {
          e.put("scopeid", (long) a.scopeid());
        }
        entries.add(e);
      }
      out.put(name, entries);
    });
    return out;
  }

  private static Map<String, Object> longs(Map<String, Integer> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, (long) v));
    return out;
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      Object v = kv[i + 1];
      m.put((String) kv[i], v instanceof Integer x ? (Object) (long) x : v);
    }
    return m;
  }

  private static long sum(Map<?, ?> times) {
    long s = 0;
    for (Object v : times.values()) {
      s += ((Number) v).longValue();
    }
    return s;
  }
}
