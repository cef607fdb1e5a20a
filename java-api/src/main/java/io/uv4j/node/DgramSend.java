package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.Udp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The sending half of a {@link NodeDgram.Socket} once its address is resolved (Node's
 * {@code doSend} and the send request's {@code afterSend} in lib/dgram.js): a synchronous
 * {@code uv_udp_try_send} first, then {@code uv_udp_send}; the callback always comes on a later
 * tick.
 */
final class DgramSend {
  private DgramSend() {}

  /**
   * Sends {@code data} to {@code ip:port} (null {@code ip}: the connected peer).
   * {@code wrongFamily}: the address is of the other family (libuv's EINVAL).
   */
  static void send(NodeRuntime node, Udp handle, boolean wrongFamily, InetAddress ip, byte[] data,
      String address, int port, NodeDgram.SendCallback callback) {
    InetSocketAddress to = ip == null ? null : new InetSocketAddress(ip, port);
    try {
      if (wrongFamily) {
        throw new UvException(Errno.EINVAL, "send");
      }
      int n = handle.trySend(ByteBuffer.wrap(data), to);
      if (n >= 0) { // a synchronous finish
        if (callback != null) {
          node.nextTick(() -> callback.done(null, n));
        }
        return;
      }
    } catch (UvException e) {
      failed(node, e, address, port, callback);
      return;
    }
    try {
      handle.send(ByteBuffer.wrap(data), to, (u, err) -> node.makeCallback(() -> {
        if (callback != null) {
          callback.done(err == null ? null : SystemError.withHostPort(err, "send", address, port), err == null ? data.length : 0);
        }
      }));
    } catch (UncheckedIOException e) {
      failed(node, (UvException) e.getCause(), address, port, callback);
    }
  }

  private static void failed(NodeRuntime node, UvException e, String address, int port,
      NodeDgram.SendCallback callback) {
    SystemError ex = SystemError.withHostPort(e, "send", address, port);
    if (callback != null) {
      node.nextTick(() -> callback.done(ex, 0));
    } // Node drops the error of a send without callback (dgram_legacy compatibility)
  }
}
