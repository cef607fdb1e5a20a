package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.LeakCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ProcessCluster} with real worker JVMs ({@link ClusterWorkerMain}), and handles carried by
 * IPC messages ({@link Subprocess#send(Object, Object, java.util.function.Consumer)}). Every
 * child JVM is killed after each test whatever happened.
 */
@ExtendWith(LeakCheck.class)
class ProcessClusterTest {
  private final List<Integer> pids = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void killLeftovers() {
    for (int pid : new ArrayList<>(pids)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** One connection to 127.0.0.1:port: the line the server answers (null if it closed without one). */
  static String ask(int port) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(30_000);
      BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      return r.readLine();
    }
  }

  @Test
  void handlesTravelWithTheirMessagesInSendOrder() {
    List<String> events = new ArrayList<>();
    NodeTesting.run(node -> {
      Net net = Net.of(node);
      Subprocess child = NodeChildProcess.of(node).fork(ClusterWorkerMain.class.getName(), List.of("handles"), null);
      pids.add(child.pid());
      int[] sharedPort = {0};
      Net.Server shared = net.createServer(s -> s.end("parent\n"));
      Net.Server forSocket = net.createServer();
      shared.listen(0, "127.0.0.1", () -> forSocket.listen(0, "127.0.0.1", () -> {
        sharedPort[0] = shared.address().getPort();
        child.send("one");
        child.send("two", shared, err -> events.add("server sent " + err + " still listening here " + shared.listening()));
        child.send("three");
        Net.Socket client = net.connect(forSocket.address().getPort(), "127.0.0.1");
        StringBuilder fromChild = new StringBuilder();
        client.on("data", a -> fromChild.append(new String((byte[]) a[0], StandardCharsets.US_ASCII)));
        client.on("end", () -> {
          events.add("client read " + fromChild.toString().trim().replaceAll("\\d+", "PID"));
          child.send("report");
        });
      }));
      forSocket.on("connection", a -> {
        Net.Socket accepted = (Net.Socket) a[0];
        child.send("four", accepted, err -> {
          events.add("socket sent " + err + " destroyed here " + accepted.isDestroyed());
          forSocket.close();
        });
      });
      child.on("message", a -> {
        Map<?, ?> m = (Map<?, ?>) a[0];
        events.add("child got " + m.get("got"));
        String childPid = String.valueOf(m.get("pid"));
        // The parent stops listening: a connection can only be accepted by the child's copy.
        shared.close(err -> {
          Net.Socket c = net.connect(sharedPort[0], "127.0.0.1");
          StringBuilder sb = new StringBuilder();
          c.on("data", d -> sb.append(new String((byte[]) d[0], StandardCharsets.US_ASCII)));
          c.on("end", () -> {
            events.add("shared server answered by the child: " + sb.toString().trim().equals("child " + childPid));
            child.send("bye");
          });
        });
      });
      child.on("exit", a -> events.add("exit " + a[0]));
    });
    assertEquals(List.of(
        "server sent null still listening here true",
        "socket sent null destroyed here true",
        "client read socket from child PID",
        "child got [one:none, two:Server, three:none, four:Socket, report:none]",
        "shared server answered by the child: true",
        "exit 0"), events);
  }

  /** Records the cluster's events as "event id" (and the worker messages) in {@code order}. */
  private static void record(ProcessCluster cluster, List<String> order) {
    cluster.on("fork", a -> order.add("fork " + ((ProcessCluster.Worker) a[0]).id()));
    cluster.on("online", a -> order.add("online " + ((ProcessCluster.Worker) a[0]).id()));
    cluster.on("listening", a -> order.add("listening " + ((ProcessCluster.Worker) a[0]).id()));
    cluster.on("message", a -> order.add("message " + ((ProcessCluster.Worker) a[0]).id()
        + " " + ((Map<?, ?>) a[1]).get("cmd")));
    cluster.on("exit", a -> order.add("exit " + ((ProcessCluster.Worker) a[0]).id() + " " + a[1] + " " + a[2]));
  }

  /** The events of worker {@code id}, in order. */
  private static List<String> of(List<String> order, int id) {
    List<String> r = new ArrayList<>();
    for (String e : order) {
      String[] w = e.split(" ");
      if (Integer.parseInt(w[1]) == id) {
        r.add(e);
      }
    }
    return r;
  }

  private static Set<String> set(String... items) {
    return new LinkedHashSet<>(java.util.Arrays.asList(items));
  }

  /** Runs {@code task} on the runtime's thread (from a client thread). */
  private static void onLoop(NodeRuntime node, Runnable task) {
    node.loop().execute(() -> node.makeCallback(task));
  }

  /** Kills every live worker hard: the loop then ends (a guard against a broken run). */
  private static void killAll(ProcessCluster cluster) {
    for (ProcessCluster.Worker w : cluster.workers().values()) {
      w.process().kill("SIGKILL");
    }
  }

  @Test
  void roundRobinSpreadsConnectionsAndACrashedWorkerIsReplacedWithoutLosingOne() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, String> pidOf = new java.util.concurrent.ConcurrentHashMap<>();
    Set<String> phaseA = Collections.synchronizedSet(new LinkedHashSet<>());
    Set<String> phaseC = Collections.synchronizedSet(new LinkedHashSet<>());
    int[] duringReplacement = {0};
    int[] firstTwo = {0};
    int[] port = {0};
    CountDownLatch killed = new CountDownLatch(1);
    CountDownLatch replacementListening = new CountDownLatch(1);
    NodeTesting.run(node -> {
      ProcessCluster cluster = ProcessCluster.of(node);
      assertTrue(cluster.isPrimary());
      cluster.setupPrimary(new ProcessCluster.Settings(ClusterWorkerMain.class.getName())
          .args(List.of("worker")).schedulingPolicy(ProcessCluster.SCHED_RR));
      record(cluster, order);
      node.setTimeout(() -> {
        failures.add("timed out");
        killAll(cluster);
      }, 120_000).unref();
      Runnable client = () -> {
        try {
          for (int i = 0; i < 10; i++) {
            phaseA.add(ask(port[0]));
          }
          onLoop(node, () -> {
            cluster.workers().get(1).process().kill("SIGKILL"); // a crash: SIGKILL, from outside
            killed.countDown();
          });
          killed.await();
          // While worker 1 is dead and its replacement starts, every connection is answered.
          while (replacementListening.getCount() > 0) {
            String got = ask(port[0]);
            if (got == null || !got.startsWith("pid ")) {
              failures.add("connection " + duringReplacement[0] + " during the replacement got " + got);
            }
            duringReplacement[0]++;
          }
          for (int i = 0; i < 10; i++) {
            phaseC.add(ask(port[0]));
          }
        } catch (IOException | InterruptedException | RuntimeException e) {
          failures.add("client: " + e);
        } finally {
          onLoop(node, () -> cluster.workers().values().forEach(ProcessCluster.Worker::kill));
        }
      };
      cluster.on("online", a -> pidOf.put(((ProcessCluster.Worker) a[0]).id(),
          "pid " + ((ProcessCluster.Worker) a[0]).process().pid()));
      cluster.on("listening", a -> {
        ProcessCluster.Worker w = (ProcessCluster.Worker) a[0];
        int p = ((Number) ((Map<?, ?>) a[1]).get("port")).intValue();
        if (port[0] != 0 && p != port[0]) {
          failures.add("worker " + w.id() + " listens on " + p + ", not " + port[0]);
        }
        port[0] = p;
        if (w.id() <= 2 && ++firstTwo[0] == 2) { // both listening: the client starts
          new Thread(client, "cluster-client").start();
        } else if (w.id() == 3) {
          replacementListening.countDown();
        }
      });
      cluster.on("exit", a -> {
        ProcessCluster.Worker w = (ProcessCluster.Worker) a[0];
        if (w.id() == 1 && failures.isEmpty()) { // not after the guard's kill
          cluster.fork(); // restart on crash
        }
      });
      for (ProcessCluster.Worker w : List.of(cluster.fork(), cluster.fork())) {
        pids.add(w.process().pid());
      }
      cluster.on("fork", a -> pids.add(((ProcessCluster.Worker) a[0]).process().pid()));
    });
    assertEquals(List.of(), failures, order::toString);
    assertEquals(set(pidOf.get(1), pidOf.get(2)), phaseA, () -> "round robin: both workers answered " + pidOf + order);
    assertTrue(duringReplacement[0] > 0, "connections were made while the replacement started");
    assertEquals(set(pidOf.get(2), pidOf.get(3)), phaseC, () -> "the replacement takes its turn " + pidOf + order);
    assertEquals(List.of("fork 1", "online 1", "message 1 listening", "listening 1", "exit 1 null SIGKILL"), of(order, 1));
    assertEquals(List.of("fork 3", "online 3", "message 3 listening", "listening 3"), of(order, 3).subList(0, 4));
    assertEquals(List.of("fork 2", "online 2", "message 2 listening", "listening 2"), of(order, 2).subList(0, 4));
  }

  @Test
  void schedNoneWorkersAcceptOnTheListeningSocketThePrimarySent() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, String> pidOf = new java.util.concurrent.ConcurrentHashMap<>();
    int[] port = {0};
    int[] listening = {0};
    CountDownLatch firstGone = new CountDownLatch(1);
    NodeTesting.run(node -> {
      ProcessCluster cluster = ProcessCluster.of(node);
      cluster.setupPrimary(new ProcessCluster.Settings(ClusterWorkerMain.class.getName())
          .args(List.of("worker")).schedulingPolicy(ProcessCluster.SCHED_NONE));
      assertEquals(ProcessCluster.SCHED_NONE, cluster.schedulingPolicy());
      record(cluster, order);
      node.setTimeout(() -> {
        failures.add("timed out");
        killAll(cluster);
      }, 120_000).unref();
      Runnable client = () -> {
        try {
          String first = ask(port[0]);
          answers.add(first);
          onLoop(node, () -> {
            for (ProcessCluster.Worker w : cluster.workers().values()) {
              if (pidOf.get(w.id()).equals(first)) {
                w.process().kill("SIGKILL");
                w.once("exit", firstGone::countDown);
              }
            }
          });
          firstGone.await();
          answers.add(ask(port[0])); // only the other worker can accept it now
        } catch (IOException | InterruptedException | RuntimeException e) {
          failures.add("client: " + e);
        } finally {
          onLoop(node, () -> cluster.workers().values().forEach(ProcessCluster.Worker::kill));
        }
      };
      cluster.on("online", a -> pidOf.put(((ProcessCluster.Worker) a[0]).id(),
          "pid " + ((ProcessCluster.Worker) a[0]).process().pid()));
      cluster.on("listening", a -> {
        port[0] = ((Number) ((Map<?, ?>) a[1]).get("port")).intValue();
        if (++listening[0] == 2) {
          new Thread(client, "cluster-client").start();
        }
      });
      pids.add(cluster.fork().process().pid());
      pids.add(cluster.fork().process().pid());
    });
    assertEquals(List.of(), failures, order::toString);
    assertEquals(2, answers.size(), answers.toString());
    assertEquals(set(pidOf.get(1), pidOf.get(2)), new LinkedHashSet<>(answers), () -> "each worker accepted one " + pidOf + order);
    for (int id = 1; id <= 2; id++) {
      assertEquals(List.of("fork " + id, "online " + id, "message " + id + " listening", "listening " + id),
          of(order, id).subList(0, 4));
    }
  }

  @Test
  void aConnectionHandedToAWorkerThatDiesBeforeAcceptingGoesToTheNextWorker() {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> answers = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, String> pidOf = new java.util.concurrent.ConcurrentHashMap<>();
    int[] port = {0};
    NodeTesting.run(node -> {
      ProcessCluster cluster = ProcessCluster.of(node);
      cluster.setupPrimary(new ProcessCluster.Settings(ClusterWorkerMain.class.getName())
          .args(List.of("worker")).schedulingPolicy(ProcessCluster.SCHED_RR));
      record(cluster, order);
      node.setTimeout(() -> {
        failures.add("timed out");
        killAll(cluster);
      }, 120_000).unref();
      cluster.on("online", a -> pidOf.put(((ProcessCluster.Worker) a[0]).id(),
          "pid " + ((ProcessCluster.Worker) a[0]).process().pid()));
      cluster.on("listening", a -> {
        ProcessCluster.Worker w = (ProcessCluster.Worker) a[0];
        port[0] = ((Number) ((Map<?, ?>) a[1]).get("port")).intValue();
        if (w.id() == 1) {
          // Worker 1 is first in the primary's free queue: the first connection goes to it.
          pids.add(cluster.fork().process().pid());
          return;
        }
        new Thread(() -> {
          try {
            answers.add(ask(port[0]));
          } catch (IOException | RuntimeException e) {
            failures.add("client: " + e);
          } finally {
            onLoop(node, () -> cluster.workers().values().forEach(ProcessCluster.Worker::kill));
          }
        }, "cluster-client").start();
      });
      pids.add(cluster.fork(Map.of("UV4J_HALT_ON_CONNECTION", "1")).process().pid());
    });
    assertEquals(List.of(), failures, order::toString);
    assertEquals(List.of(pidOf.get(2)), answers, () -> "answered by worker 2 " + pidOf + order);
    assertTrue(order.contains("exit 1 7 null"), order::toString);
  }
}
