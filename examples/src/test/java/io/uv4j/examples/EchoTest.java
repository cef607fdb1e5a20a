package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uv4j.Errno;
import io.uv4j.UvException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
class EchoTest {
  private EchoServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = EchoServer.start(new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop(); // throws if a server callback failed
  }

  @Test
  void clientVerifiesManySmallMessages() throws Exception {
    EchoClient.run(server.address(), 2000, 100);
    assertEquals(1, server.connections());
  }

  @Test
  void oneByteMessages() throws Exception {
    EchoClient.run(server.address(), 500, 1);
  }

  @Test
  void messagesLargerThanOneReadComeBackWhole() throws Exception {
    // 1 MiB + 7 spans many 64 KiB reads on both sides; the server's writes of the read buffer
    // are partly queued (copied) when the socket is full.
    EchoClient.run(server.address(), 5, (1 << 20) + 7);
  }

  @Test
  void severalClientsAtOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Long>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(pool.submit(() -> EchoClient.run(server.address(), 300, 5000)));
      }
      for (Future<Long> run : runs) {
        run.get(); // rethrows a client's failure
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(4, server.connections());
  }

  @Test
  void serverClosesWhenTheClientFinishes() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("ping".getBytes(StandardCharsets.US_ASCII));
      assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), in.readNBytes(4));
      s.shutdownOutput(); // EOF to the server: it closes its side
      assertEquals(-1, in.read());
    }
  }

  @Test
  void clientReportsRefusedConnection() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort(); // free, and nothing listens once it is closed
    }
    UvException e = assertThrows(UvException.class,
        () -> EchoClient.run(new InetSocketAddress("127.0.0.1", port), 1, 1));
    assertEquals(Errno.ECONNREFUSED, e.code());
  }

  @Test
  void clientDetectsACorruptedEcho() throws Exception {
    // A bad echo server flips one bit of the 1000th byte: the last byte of the first message.
    IOException e = assertThrows(IOException.class, () -> withJavaEcho(999, Long.MAX_VALUE,
        port -> EchoClient.run(new InetSocketAddress("127.0.0.1", port), 4, 1000)));
    assertTrue(e.getMessage().contains("echo mismatch in message 1 at byte 999"), e.getMessage());
  }

  @Test
  void clientDetectsAServerThatHangsUp() throws Exception {
    // Echoes the first message and half of the second, then closes.
    EOFException e = assertThrows(EOFException.class, () -> withJavaEcho(-1, 150,
        port -> EchoClient.run(new InetSocketAddress("127.0.0.1", port), 3, 100)));
    assertTrue(e.getMessage().contains("after 1 of 3 echoes (and 50 bytes"), e.getMessage());
  }

  interface ClientRun {
    void run(int port) throws Exception;
  }

  /**
   * Runs {@code client} against a plain java.net echo server for one connection, which flips a
   * bit of byte {@code corruptAt} and closes after echoing {@code hangUpAfter} bytes.
   */
  private static void withJavaEcho(long corruptAt, long hangUpAfter, ClientRun client)
      throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = listener.accept()) {
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          byte[] buf = new byte[8192];
          long total = 0;
          int n;
          while (total < hangUpAfter && (n = in.read(buf)) > 0) {
            n = (int) Math.min(n, hangUpAfter - total);
            if (corruptAt >= total && corruptAt < total + n) {
              buf[(int) (corruptAt - total)] ^= 0x10;
            }
            out.write(buf, 0, n);
            total += n;
          }
        } catch (IOException ignored) {
          // the client hung up first: the test checks what the client saw
        }
      }, "java-echo");
      t.start();
      try {
        client.run(listener.getLocalPort());
      } finally {
        t.join();
      }
    }
  }
}
