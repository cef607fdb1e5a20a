package io.uv4j;

import java.nio.ByteBuffer;

/**
 * What a reading {@link Stream} reports, on the loop thread.
 *
 * <p>{@link #onData} gets a {@link ByteBuffer} view of exactly the bytes read (position 0, limit
 * = count), in memory owned by the loop: it is valid only during the call and is reused by the
 * next read (copy what you keep; writing it back with {@link Stream#write(ByteBuffer)} copies
 * what cannot be sent at once, with {@link Stream#write(ByteBuffer, StreamCallback)} it is
 * copied). End of stream and errors are separate signals; by default both close the stream.
 *
 * <pre>{@code
 * client.readStart((stream, data) -> stream.write(data));   // echo
 * }</pre>
 */
@FunctionalInterface
public interface ReadCallback {
  /** Bytes arrived. */
  void onData(Stream stream, ByteBuffer data);

  /** The peer finished sending (EOF). Default: close the stream. */
  default void onEnd(Stream stream) {
    stream.close();
  }

  /** Reading failed (e.g. ECONNRESET), or a write without callback failed. Default: close. */
  default void onError(Stream stream, UvException error) {
    stream.close();
  }
}
