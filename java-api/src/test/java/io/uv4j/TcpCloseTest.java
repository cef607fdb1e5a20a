package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's TCP close tests (v1.44.2: test-tcp-close-while-connecting.c, test-tcp-close.c,
 * test-tcp-close-reset.c), ported: a pending connect cancelled by close, pending writes called back
 * before the close callback, a reset sent by closeReset before and after a shutdown. The echo
 * server runs on the same loop, on an ephemeral port.
 */
@ExtendWith(LeakCheck.class)
class TcpCloseTest {
  // test-tcp-close-while-connecting.c. libuv connects to 1.2.3.4 hoping no route answers; that
  // is not deterministic (here 1.2.3.4 accepts). A loopback connect is still pending when the
  // first iteration's timers run (the loop has not polled), so closing then must cancel it.
  @Test
  void tcp_close_while_connecting() throws Exception {
    try (Loop loop = Loop.create()) {
      Tcp server = Net.listen(loop, (s, e) -> { });
      int[] connectCb = {0};
      int[] timer1Cb = {0};
      int[] closeCb = {0};
      Tcp tcp = new Tcp(loop);
      Timer timer1 = new Timer(loop);
      Timer timer2 = new Timer(loop);
      tcp.connect(server.localAddress(), (s, e) -> {
        assertNotNull(e);
        assertEquals(Errno.ECANCELED, e.code(), e.getMessage());
        timer2.stop();
        connectCb[0]++;
      });
      timer1.start(0, 0, t -> {
        t.close(() -> closeCb[0]++);
        tcp.close(() -> closeCb[0]++);
        server.close();
        timer1Cb[0]++;
      });
      timer2.start(86_400_000, 0, t -> fail("should not be called"));
      assertEquals(0, loop.run());
      assertEquals(1, connectCb[0]);
      assertEquals(1, timer1Cb[0]);
      assertEquals(2, closeCb[0]);
      timer2.close();
      loop.run();
    }
  }

  // test-tcp-close.c: tcp_close. Pending writes get their callbacks before the close callback.
  @Test
  void tcp_close() throws Exception {
    final int numWriteReqs = 32;
    try (Loop loop = Loop.create()) {
      // Never accepts: libuv's echo server would not handle ECONNRESET.
      Tcp server = Net.listen(loop, (s, e) -> assertNull(e));
      server.unref();
      int[] writeCb = {0};
      int[] closeCb = {0};
      Tcp tcp = new Tcp(loop);
      tcp.connect(server.localAddress(), (s, e) -> {
        assertNull(e);
        byte[] ping = "PING".getBytes(US_ASCII);
        for (int i = 0; i < numWriteReqs; i++) {
          tcp.write(ping, 0, ping.length, (st, err) -> {
            assertEquals(0, closeCb[0], "write callbacks run before the close callback");
            assertSame(tcp, st);
            writeCb[0]++;
          });
        }
        tcp.close(() -> closeCb[0]++);
      });
      assertEquals(0, writeCb[0]);
      assertEquals(0, closeCb[0]);
      assertEquals(0, loop.run());
      assertEquals(numWriteReqs, writeCb[0]);
      assertEquals(1, closeCb[0]);
      server.close();
      loop.run();
    }
  }

  /**
   * test-tcp-close-reset.c's client side: 4 writes, then closeReset (RST). libuv resets right
   * after writing and closes its server in the client's connect callback, racing the accept;
   * here the client resets once the accepted side has read the 16 bytes. Then the peer sees
   * ECONNRESET: were bytes still unread when the RST came, libuv 1.44 would report EOF for the
   * hang-up after that partial read (uv__stream_io's POLLHUP shortcut).
   */
  private static void closeResetClient(boolean shutdownBeforeClose) throws Exception {
    try (Loop loop = Loop.create()) {
      int[] writeCb = {0};
      int[] closeCb = {0};
      int[] shutdownCb = {0};
      int[] readSize = {0};
      UvException[] acceptedError = {null};
      boolean[] acceptedEof = {false};
      Tcp client = new Tcp(loop);
      Tcp[] server = new Tcp[1];
      Runnable doClose = () -> {
        try {
          if (shutdownBeforeClose) {
            client.shutdown((s, e) -> {
              assertSame(client, s);
              shutdownCb[0]++;
            });
            UvException e = assertThrows(UvException.class, () -> client.closeReset(() -> closeCb[0]++));
            assertEquals(Errno.EINVAL, e.code());
          } else {
            client.closeReset(() -> closeCb[0]++);
            assertTrue(client.isClosing());
            // libuv: uv_shutdown after uv_tcp_close_reset is ENOTCONN; uv4j refuses a closing handle.
            assertThrows(IllegalStateException.class, () -> client.shutdown((s, e) -> { }));
          }
        } catch (UvException e) {
          throw new UncheckedIOException(e);
        }
        server[0].close();
      };
      server[0] = Net.listen(loop, (srv, e) -> {
        assertNull(e);
        Tcp accepted = new Tcp(loop);
        srv.accept(accepted);
        accepted.readStart(new ReadCallback() {
          @Override
          public void onData(Stream stream, ByteBuffer data) {
            readSize[0] += data.remaining();
            if (readSize[0] == 16) {
              doClose.run();
            }
          }

          @Override
          public void onEnd(Stream stream) {
            acceptedEof[0] = true;
            stream.close();
          }

          @Override
          public void onError(Stream stream, UvException error) {
            acceptedError[0] = error;
            stream.close();
          }
        });
      });
      client.connect(server[0].localAddress(), (s, e) -> {
        assertNull(e);
        s.readStart(new ReadCallback() {
          @Override
          public void onData(Stream stream, ByteBuffer data) {
            fail("the server sends nothing");
          }

          @Override
          public void onEnd(Stream stream) {
            stream.close();
          }
        });
        for (int i = 0; i < 4; i++) {
          client.write(ByteBuffer.wrap("PING".getBytes(US_ASCII)), (st, err) -> {
            assertEquals(0, closeCb[0], "write callbacks run before the close callback");
            assertSame(client, st);
            writeCb[0]++;
          });
        }
      });
      assertEquals(0, writeCb[0]);
      assertEquals(0, closeCb[0]);
      assertEquals(0, shutdownCb[0]);
      assertEquals(0, loop.run());
      assertEquals(4, writeCb[0]);
      assertEquals(16, readSize[0]);
      if (shutdownBeforeClose) {
        assertEquals(0, closeCb[0]);
        assertEquals(1, shutdownCb[0]);
        assertTrue(acceptedEof[0], "the peer of a shut down stream reads EOF");
        assertNull(acceptedError[0]);
      } else {
        assertEquals(1, closeCb[0]);
        assertEquals(0, shutdownCb[0]);
        assertNotNull(acceptedError[0], "the peer of a reset stream gets an error, not EOF");
        assertEquals(Errno.ECONNRESET, acceptedError[0].code());
        assertEquals("ECONNRESET", acceptedError[0].errorName());
        assertEquals("uv_read", acceptedError[0].syscall());
        assertFalse(acceptedEof[0]);
      }
    }
  }

  // test-tcp-close-reset.c: tcp_close_reset_client
  @Test
  void tcp_close_reset_client() throws Exception {
    closeResetClient(false);
  }

  // test-tcp-close-reset.c: tcp_close_reset_client_after_shutdown
  @Test
  void tcp_close_reset_client_after_shutdown() throws Exception {
    closeResetClient(true);
  }
}
