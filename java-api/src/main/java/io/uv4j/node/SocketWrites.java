package io.uv4j.node;

import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * A socket's write as Node's stream_base_commons.js writeGeneric does it: try to write now
 * ({@code uv_try_write}); what is left goes through {@code uv_write}. The callback gets null or
 * Node's {@code write CODE} error.
 */
final class SocketWrites {
  private SocketWrites() {}

  static void writeGeneric(NetSocket s, NodeRuntime node, Tcp handle, byte[] chunk, Consumer<Throwable> cb) {
    int done;
    try {
      done = handle.tryWrite(ByteBuffer.wrap(chunk));
    } catch (UvException e) {
      cb.accept(SystemError.errno(e, "write"));
      return;
    }
    if (done == chunk.length) {
      s.wrote(done);
      cb.accept(null); // written synchronously: the stream defers the user callback a tick
      return;
    }
    int rest = chunk.length - done;
    try {
      handle.write(chunk, done, rest, (h, err) -> node.makeCallback(() -> {
        if (s.isDestroyed()) {
          cb.accept(null);
        } else if (err != null) {
          cb.accept(SystemError.errno(err, "write"));
        } else {
          s.wrote(chunk.length);
          cb.accept(null);
        }
      }));
    } catch (UncheckedIOException e) {
      cb.accept(SystemError.errno((UvException) e.getCause(), "write"));
    }
  }
}
