package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Unix domain sockets: libuv's pipe_ping_pong (test-ping-pong.c) and the Pipe API. */
@ExtendWith(LeakCheck.class)
class PipeTest {
  @TempDir
  Path dir;

  /** A pipe echo server at {@code path}: echoes, shuts down at EOF, then closes. */
  private static Pipe echoServer(Loop loop, String path) throws UvException {
    Pipe server = new Pipe(loop, false);
    server.bind(path);
    server.listen(16, (srv, e) -> {
      assertNull(e);
      Pipe conn = new Pipe(loop, false);
      srv.accept(conn);
      conn.readStart(Net.echo());
    });
    return server;
  }

  // test-ping-pong.c: pipe_ping_pong (the uv_pipe() half needs OS pipes, not in uv4j)
  @Test
  void pipe_ping_pong() throws Exception {
    pipePingPong(false);
  }

  // test-ping-pong.c: pipe_ping_pong_vec
  @Test
  void pipe_ping_pong_vec() throws Exception {
    pipePingPong(true);
  }

  private void pipePingPong(boolean vectored) throws Exception {
    String path = dir.resolve("pingpong.sock").toString();
    try (Loop loop = Loop.create()) {
      Pipe server = echoServer(loop, path);
      Pipe client = new Pipe(loop, false);
      TcpTest.Pinger pinger = new TcpTest.Pinger(client, vectored);
      client.connect(path, (s, e) -> pinger.onConnect(s, e, server::close));
      assertEquals(0, pinger.connectCalls, "synchronous connect callbacks are not allowed");
      assertEquals(0, loop.run());
      assertTrue(pinger.closed);
      assertEquals(TcpTest.NUM_PINGS, pinger.pongs);
      assertEquals(1, pinger.connectCalls);
    }
  }

  @Test
  void namesOfBoundAndConnectedPipes() throws Exception {
    String path = dir.resolve("names.sock").toString();
    try (Loop loop = Loop.create()) {
      String[] accepted = new String[2];
      Pipe server = new Pipe(loop, false);
      server.bind(path);
      assertEquals(path, server.localName());
      assertTrue(Files.exists(Path.of(path)), "bind creates the socket file");
      server.listen(4, (srv, e) -> {
        Pipe conn = new Pipe(loop, false);
        srv.accept(conn);
        try {
          accepted[0] = conn.localName();
          accepted[1] = conn.peerName();
        } catch (UvException ex) {
          fail(ex);
        }
        conn.close();
        srv.close();
      });
      Pipe client = new Pipe(loop, false);
      String[] clientNames = new String[2];
      client.connect(path, (s, e) -> {
        assertNull(e);
        try {
          clientNames[0] = client.localName();
          clientNames[1] = client.peerName();
        } catch (UvException ex) {
          fail(ex);
        }
        s.close();
      });
      loop.run();
      assertEquals("", clientNames[0], "an unbound client has no name");
      assertEquals(path, clientNames[1]);
      assertEquals(path, accepted[0]);
      assertEquals("", accepted[1]);
    }
  }

  // test-pipe-getsockname.c, pipe_getsockname_abstract (libuv 1.46's uv_pipe_bind2 and
  // uv_pipe_connect2 with a length): a Linux abstract name binds, is connected to, and is named
  // back exactly, with no file anywhere; libuv 1.44 cannot pass such a name at all.
  @Test
  void abstractSocketName() throws Exception {
    String name = "\0uv4j-abstract-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (Loop loop = Loop.create()) {
      Pipe server = new Pipe(loop, false);
      Pipe client = new Pipe(loop, false);
      if (Uv.version() < 0x012e00) {
        String need = "abstract socket names need libuv >= 1.46.0 (uv_pipe_bind2), this is " + Uv.versionString();
        assertEquals(need, assertThrows(UnsupportedOperationException.class, () -> server.bind(name)).getMessage());
        assertEquals(need, assertThrows(UnsupportedOperationException.class,
            () -> client.connect(name, (s, e) -> fail("never connects"))).getMessage());
        server.close();
        client.close();
        loop.run();
        return;
      }
      server.bind(name);
      assertEquals(name, server.localName());
      String[] accepted = new String[1];
      server.listen(4, (srv, e) -> {
        assertNull(e);
        Pipe conn = new Pipe(loop, false);
        srv.accept(conn);
        try {
          accepted[0] = conn.localName();
        } catch (UvException ex) {
          fail(ex);
        }
        conn.close();
        srv.close();
      });
      String[] peer = new String[1];
      client.connect(name, (s, e) -> {
        assertNull(e);
        try {
          peer[0] = client.peerName();
        } catch (UvException ex) {
          fail(ex);
        }
        s.close();
      });
      loop.run();
      assertEquals(name, peer[0]);
      assertEquals(name, accepted[0]);
      Pipe nobody = new Pipe(loop, false);
      UvException[] refused = new UvException[1];
      nobody.connect("\0uv4j-nobody-listens-" + System.nanoTime(), (s, e) -> {
        refused[0] = e;
        s.close();
      });
      loop.run();
      assertNotNull(refused[0]);
      assertEquals("ECONNREFUSED", refused[0].errorName());
    }
    assertThrows(IllegalArgumentException.class, () -> {
      try (Loop loop = Loop.create()) {
        Pipe p = new Pipe(loop, false);
        try {
          p.bind("\0a\0b");
        } finally {
          p.close();
          loop.run();
        }
      }
    });
  }

  @Test
  void peerNameOfAnUnconnectedPipeIsAnError() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe server = new Pipe(loop, false);
      server.bind(dir.resolve("lonely.sock").toString());
      UvException e = assertThrows(UvException.class, server::peerName);
      assertEquals(Errno.ENOTCONN, e.code());
      assertEquals("uv_pipe_getpeername", e.syscall());
      server.close();
      loop.run();
    }
  }

  @Test
  void chmodMakesTheSocketReadableAndWritableByAll() throws Exception {
    Path path = dir.resolve("chmod.sock");
    try (Loop loop = Loop.create()) {
      Pipe server = new Pipe(loop, false);
      server.bind(path.toString());
      Files.setPosixFilePermissions(path, Set.of(PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE));
      server.chmod(Pipe.READABLE);
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
      assertTrue(p.containsAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ)), p.toString());
      assertTrue(!p.contains(PosixFilePermission.OTHERS_WRITE), p.toString());
      server.chmod(Pipe.READABLE | Pipe.WRITABLE);
      p = Files.getPosixFilePermissions(path);
      assertTrue(p.containsAll(Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ)), p.toString());
      UvException bad = assertThrows(UvException.class, () -> server.chmod(0));
      assertEquals(Errno.EINVAL, bad.code());
      assertEquals("uv_pipe_chmod", bad.syscall());
      server.close();
      loop.run();
    }
  }

  @Test
  void chmodOfAnUnboundPipeIsEbadf() throws Exception {
    try (Loop loop = Loop.create()) {
      Pipe pipe = new Pipe(loop, false);
      UvException e = assertThrows(UvException.class, () -> pipe.chmod(Pipe.READABLE));
      assertEquals(Errno.EBADF, e.code());
      pipe.close();
      loop.run();
    }
  }

  @Test
  void connectToAMissingPathFailsWithEnoentInTheCallback() throws Exception {
    String path = dir.resolve("nobody-here.sock").toString();
    try (Loop loop = Loop.create()) {
      Pipe client = new Pipe(loop, false);
      UvException[] error = {null};
      int[] calls = {0};
      client.connect(path, (s, e) -> {
        calls[0]++;
        error[0] = e;
        s.close();
      });
      assertEquals(0, calls[0], "the error comes in the callback, not from connect");
      loop.run();
      assertEquals(1, calls[0]);
      assertNotNull(error[0]);
      assertEquals(Errno.ENOENT, error[0].code());
      assertEquals("ENOENT", error[0].errorName());
      assertEquals("uv_pipe_connect", error[0].syscall());
      assertEquals(path, error[0].path());
      assertTrue(error[0].getMessage().contains(path), error[0].getMessage());
    }
  }

  @Test
  void connectToAPathNobodyListensOnIsEconnrefused() throws Exception {
    String path = dir.resolve("bound-only.sock").toString();
    try (Loop loop = Loop.create()) {
      Pipe bound = new Pipe(loop, false);
      bound.bind(path); // bound, not listening
      Pipe client = new Pipe(loop, false);
      UvException[] error = {null};
      client.connect(path, (s, e) -> {
        error[0] = e;
        s.close();
        bound.close();
      });
      loop.run();
      assertNotNull(error[0]);
      assertEquals(Errno.ECONNREFUSED, error[0].code());
      assertEquals(path, error[0].path());
    }
  }

  @Test
  void bindingAnExistingPathIsEaddrinuseNamingThePath() throws Exception {
    String path = dir.resolve("twice.sock").toString();
    try (Loop loop = Loop.create()) {
      Pipe first = new Pipe(loop, false);
      first.bind(path);
      Pipe second = new Pipe(loop, false);
      UvException e = assertThrows(UvException.class, () -> second.bind(path));
      assertEquals(Errno.EADDRINUSE, e.code());
      assertEquals("uv_pipe_bind", e.syscall());
      assertEquals(path, e.path());
      first.close();
      second.close();
      loop.run();
    }
  }

  @Test
  void bytesFlowBothWaysAndEofArrives() throws Exception {
    String path = dir.resolve("flow.sock").toString();
    byte[] message = "over a unix socket".getBytes(US_ASCII);
    try (Loop loop = Loop.create()) {
      Pipe server = echoServer(loop, path);
      Pipe client = new Pipe(loop, false);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      boolean[] eof = {false};
      client.connect(path, (s, e) -> {
        assertNull(e);
        s.readStart(new ReadCallback() {
          @Override
          public void onData(Stream st, ByteBuffer data) {
            got.write(Net.bytes(data), 0, data.remaining());
          }

          @Override
          public void onEnd(Stream st) {
            eof[0] = true;
            st.close();
            server.close();
          }
        });
        s.write(message);
        s.shutdown((st, err) -> assertNull(err)); // the echo server answers EOF with EOF
      });
      loop.run();
      assertTrue(eof[0]);
      assertArrayEquals(message, got.toByteArray());
    }
  }
  @Test
  void aNameLongerThanASocketPathIsRefusedNotTruncated() throws Exception {
    // sockaddr_un holds 108 bytes on Linux (104 on macOS); libuv 1.44 would cut the name short
    // and bind or connect to another path.
    String path = dir.resolve("x".repeat(200) + ".sock").toString();
    try (Loop loop = Loop.create()) {
      Pipe server = new Pipe(loop, false);
      UvException e = assertThrows(UvException.class, () -> server.bind(path));
      assertEquals(Errno.code("ENAMETOOLONG"), e.code());
      assertEquals(path, e.path());
      try (java.util.stream.Stream<Path> files = Files.list(dir)) {
        assertEquals(0, files.count(), "no truncated socket file was created");
      }
      Pipe client = new Pipe(loop, false);
      java.io.UncheckedIOException c = assertThrows(java.io.UncheckedIOException.class,
          () -> client.connect(path, (s, err) -> fail("no callback for a refused connect")));
      assertEquals(Errno.code("ENAMETOOLONG"), ((UvException) c.getCause()).code());
      server.close();
      client.close();
      loop.run();
    }
  }
}
