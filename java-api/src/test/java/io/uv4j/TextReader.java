package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;

/** A read callback for tests: appends what it reads (as ASCII) to a builder; at EOF closes the stream, then runs a step. */
final class TextReader implements ReadCallback {
  private final StringBuilder text;
  private final Runnable atEnd;

  private TextReader(StringBuilder text, Runnable atEnd) {
    this.text = text;
    this.atEnd = atEnd;
  }

  /** Reads into {@code text}; at EOF closes the stream and runs {@code atEnd}. */
  static ReadCallback into(StringBuilder text, Runnable atEnd) {
    return new TextReader(text, atEnd);
  }

  @Override
  public void onData(Stream stream, ByteBuffer data) {
    text.append(US_ASCII.decode(data));
  }

  @Override
  public void onEnd(Stream stream) {
    stream.close();
    atEnd.run();
  }
}
