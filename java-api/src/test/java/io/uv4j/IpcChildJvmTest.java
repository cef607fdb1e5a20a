package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Handle passing between processes, the mechanism behind process-based clusters: the parent
 * sends a socket over an IPC pipe (the child's descriptor 3) to a second JVM using uv4j
 * ({@link IpcChild}), which accepts connections on it. Ports of libuv's test-ipc.c
 * {@code ipc_listen_before_write}, {@code ipc_listen_after_write} and {@code ipc_tcp_connection}
 * with a JVM as the helper process.
 */
@ExtendWith(LeakCheck.class)
class IpcChildJvmTest {
  static final int CLIENTS = 4;

  /** What one run saw. */
  static final class Outcome {
    final List<String> answers = new ArrayList<>();
    final StringBuilder childOut = new StringBuilder();
    final StringBuilder channelText = new StringBuilder();
    int childPid;
    long exitStatus = -1;
    int parentAccepts;
  }

  // test-ipc.c: ipc_listen_before_write: the parent listens, sends the listening socket, closes
  // its own handle; every connection is then accepted by the child
  @Test
  void ipc_listen_before_write() throws Exception {
    Outcome o = runListening(true);
    assertAllServedByChild(o);
  }

  // test-ipc.c: ipc_listen_after_write: a bound socket that nobody listens on yet; the child listens
  @Test
  void ipc_listen_after_write() throws Exception {
    Outcome o = runListening(false);
    assertAllServedByChild(o);
  }

  private static void assertAllServedByChild(Outcome o) {
    assertEquals(0, o.exitStatus, "child exit status; its output:\n" + o.childOut);
    assertTrue(o.childOut.toString().contains("OK ipc-child " + o.childPid), o.childOut.toString());
    assertEquals(0, o.parentAccepts, "the parent closed its copy: it accepted nothing");
    assertEquals(CLIENTS, o.answers.size(), o.answers.toString());
    for (String a : o.answers) {
      assertEquals("pid " + o.childPid + "\n", a, "served by the child process");
    }
  }

  private Outcome runListening(boolean listenFirst) throws Exception {
    Outcome o = new Outcome();
    try (Loop loop = Loop.create()) {
      Tcp server = new Tcp(loop);
      server.bind(PipeIpcTest.ANY_LOCAL);
      InetSocketAddress at = server.localAddress();
      if (listenFirst) {
        server.listen(128, (s, e) -> o.parentAccepts++);
      }
      Pipe channel = new Pipe(loop, true);
      ChildProcess child = spawnChild(loop, channel, listenFirst ? "listen-before" : "listen-after", o);
      o.childPid = child.pid();
      channel.write2("S".getBytes(US_ASCII), server, (s, e) -> {
        if (e != null) {
          throw new AssertionError(e);
        }
        server.close(); // the descriptor has gone out: the child's copy stays open
      });
      int[] done = new int[1];
      channel.readStart(new ReadCallback() {
        @Override
        public void onData(Stream s, ByteBuffer data) {
          o.channelText.append(US_ASCII.decode(data));
          if (!o.channelText.toString().startsWith("ready ") || o.channelText.indexOf("\n") < 0) {
            return;
          }
          for (int i = 0; i < CLIENTS; i++) {
            Tcp client = new Tcp(loop);
            StringBuilder answer = new StringBuilder();
            client.connect(at, (c, err) -> {
              if (err != null) {
                throw new AssertionError("connect: " + err);
              }
              c.readStart(TextReader.into(answer, () -> {
                o.answers.add(answer.toString());
                if (++done[0] == CLIENTS) {
                  channel.write("bye".getBytes(US_ASCII));
                }
              }));
            });
          }
        }
      });
      loop.run();
    }
    assertEquals("ready " + o.childPid + "\n", o.channelText.toString());
    return o;
  }

  // test-ipc.c: ipc_tcp_connection: a connected socket goes to the child, which writes on it
  @Test
  void ipc_tcp_connection() throws Exception {
    Outcome o = new Outcome();
    StringBuilder clientRead = new StringBuilder();
    try (Loop loop = Loop.create()) {
      Pipe channel = new Pipe(loop, true);
      ChildProcess child = spawnChild(loop, channel, "connection", o);
      o.childPid = child.pid();
      Tcp server = new Tcp(loop);
      server.bind(PipeIpcTest.ANY_LOCAL);
      server.listen(8, (s, e) -> {
        Tcp conn = new Tcp(loop);
        s.accept(conn);
        channel.write2("C".getBytes(US_ASCII), conn, (w, err) -> {
          if (err != null) {
            throw new AssertionError(err);
          }
        });
        conn.close();
        s.close();
      });
      channel.readStart(TextReader.into(o.channelText, () -> { }));
      Tcp client = new Tcp(loop);
      client.connect(server.localAddress(), (c, e) -> c.readStart(TextReader.into(clientRead,
          () -> channel.write("bye".getBytes(US_ASCII)))));
      loop.run();
    }
    assertEquals(0, o.exitStatus, o.childOut.toString());
    assertEquals("hello from " + o.childPid, clientRead.toString());
    assertEquals("done " + o.childPid + "\n", o.channelText.toString());
    assertTrue(o.childOut.toString().contains("OK ipc-child"), o.childOut.toString());
  }

  /**
   * Spawns {@link IpcChild} with the IPC channel as its descriptor 3 (as Node passes
   * NODE_CHANNEL_FD) and its stdout piped back; a watchdog kills it after 60 s.
   */
  private static ChildProcess spawnChild(Loop loop, Pipe channel, String mode, Outcome o) throws Exception {
    Pipe out = new Pipe(loop, false);
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Timer watchdog = new Timer(loop);
    ChildProcess child = ChildProcess.spawn(loop,
        SpawnOptions.command(java, "-Xcheck:jni", "-cp", System.getProperty("java.class.path"),
                IpcChild.class.getName(), mode)
            .stdin(StdioConfig.ignore())
            .stdout(StdioConfig.pipeFromChild(out))
            .stderr(StdioConfig.inherit(2))
            .stdio(3, StdioConfig.pipe(channel, true, true)),
        (p, status, signal) -> {
          o.exitStatus = signal != 0 ? -signal : status;
          p.close();
          watchdog.close();
          channel.close(); // closing an already closing handle does nothing
        });
    out.readStart(TextReader.into(o.childOut, () -> { }));
    watchdog.start(TimeUnit.SECONDS.toMillis(60), 0, t -> {
      try {
        child.kill(Signal.number("SIGKILL"));
      } catch (UvException e) {
        throw new AssertionError(e);
      }
      throw new AssertionError("child JVM hung; its output:\n" + o.childOut);
    });
    watchdog.unref();
    assertFalse(child.hasExited());
    return child;
  }
}
