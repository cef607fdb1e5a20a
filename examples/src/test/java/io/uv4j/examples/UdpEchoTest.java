package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fail, do not hang
class UdpEchoTest {
  private UdpEcho.Server server;

  @BeforeEach
  void startServer() throws Exception {
    server = UdpEcho.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop(); // throws if a server callback failed
  }

  @Test
  void clientVerifiesManyDatagrams() throws Exception {
    UdpEcho.runClient(server.address(), 2000, 100);
    assertTrue(server.datagrams() >= 2000, "server saw " + server.datagrams());
  }

  @Test
  void emptyAndLargeDatagrams() throws Exception {
    UdpEcho.runClient(server.address(), 10, 0);
    UdpEcho.runClient(server.address(), 10, 60_000); // under the loop's 64 KiB read buffer
  }

  @Test
  void severalClientsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> UdpEcho.runClient(server.address(), 300, 500)));
      }
      for (Future<Long> run : runs) {
        run.get(); // rethrows a client's failure
      }
    } finally {
      pool.shutdown();
    }
    assertTrue(server.datagrams() >= 1200, "server saw " + server.datagrams());
  }

  @Test
  void clientModeOfMain() throws Exception {
    String out = Captured.stdout(() -> UdpEcho.main(new String[] {"client", "127.0.0.1",
        Integer.toString(server.address().getPort()), "50", "8"}));
    assertTrue(out.contains("50 datagrams of 8 bytes echoed and verified"), out);
  }
}
