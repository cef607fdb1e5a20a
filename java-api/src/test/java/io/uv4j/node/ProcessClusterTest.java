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
}
