package io.uv4j.examples;

import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import io.uv4j.node.NodeCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code cluster-http [threads] [port]}: a hello-world HTTP/1.1 server (keep-alive) with one
 * libuv loop per core, all listening on one port (SO_REUSEPORT, see {@link NodeCluster}); it
 * prints which loop accepted each connection. Defaults: one loop per available processor, port
 * 8080, on 127.0.0.1. Stop it with Ctrl-C.
 *
 * <pre>{@code
 * java -jar examples/target/uv4j-examples.jar cluster-http 2 8080
 * curl -s localhost:8080/ localhost:8080/      # two requests on one kept-alive connection
 * }</pre>
 *
 * <p>The HTTP part is deliberately minimal: requests without a body (GET, HEAD), answered in
 * order; {@code Connection: close} (or HTTP/1.0 without keep-alive) closes after the answer.
 * Pipelining is bounded: when an answer leaves the write queue over
 * {@link Stream#highWaterMark()} (the client does not read), the connection stops reading and
 * answers the rest in {@link Stream#onDrain}.
 */
public final class ClusterHttp {
  private ClusterHttp() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    NodeCluster cluster = start(threads, port, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::stop, "cluster-http-stop"));
    cluster.join();
  }

  /** Starts the server on 127.0.0.1:{@code port} (0: any free port). */
  static NodeCluster start(int threads, int port, PrintStream out) throws UvException {
    NodeCluster cluster = NodeCluster.serve(threads, new InetSocketAddress("127.0.0.1", port),
        (node, index) -> client -> serve(index, client, out));
    out.println("listening on http://127.0.0.1:" + cluster.port() + "/ with " + threads
        + " loops (one thread each)");
    return cluster;
  }

  private static void serve(int index, Tcp client, PrintStream out) {
    String peer;
    try {
      peer = String.valueOf(client.remoteAddress());
    } catch (UvException e) {
      peer = "?";
    }
    out.println("loop " + index + " (" + Thread.currentThread().getName() + ") accepted " + peer);
    byte[] body = ("hello from loop " + index + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    ReadCallback reader = (stream, data) -> {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk); // the view is valid during this callback only
      pending.write(chunk, 0, chunk.length);
      if (!answerCompleteRequests(stream, pending, body)) {
        stream.readStop(); // the client is not reading its answers: take no more requests
      }
    };
    client.onDrain(stream -> {
      // Answer what was kept; read again unless that paused again, closed or shut down.
      if (!stream.isClosing() && answerCompleteRequests(stream, pending, body)
          && !stream.isClosing() && stream.isWritable()) {
        stream.readStart(reader);
      }
    });
    client.readStart(reader);
  }

  /**
   * Answers the complete request heads in {@code pending}, in order, leaving the rest there;
   * false if it stopped because the answers are over the high-water mark (until drain).
   */
  private static boolean answerCompleteRequests(Stream stream, ByteArrayOutputStream pending, byte[] body) {
    String text = pending.toString(StandardCharsets.ISO_8859_1);
    int start = 0;
    boolean belowMark = true;
    while (belowMark && stream.isWritable()) { // not writable once shut down after "Connection: close"
      int end = text.indexOf("\r\n\r\n", start);
      if (end < 0) {
        if (text.length() - start > 64 * 1024) {
          stream.close(); // no request head is this long
          return true;
        }
        break;
      }
      String head = text.substring(start, end);
      start = end + 4;

      String lower = head.toLowerCase(Locale.ROOT);
      boolean http10 = head.lines().findFirst().orElse("").endsWith("HTTP/1.0");
      boolean close = lower.contains("\r\nconnection: close")
          || (http10 && !lower.contains("\r\nconnection: keep-alive"));
      boolean headOnly = head.startsWith("HEAD ");
      String response = "HTTP/1.1 200 OK\r\n"
          + "Content-Type: text/plain\r\n"
          + "Content-Length: " + body.length + "\r\n"
          + (close ? "Connection: close\r\n" : "Connection: keep-alive\r\n")
          + "\r\n";
      belowMark = stream.write(response.getBytes(StandardCharsets.US_ASCII));
      if (!headOnly) {
        belowMark = stream.write(ByteBuffer.wrap(body));
      }
      if (close) {
        stream.shutdown((s, error) -> s.close());
        pending.reset(); // nothing after this request is answered
        return true;
      }
    }
    byte[] rest = text.substring(start).getBytes(StandardCharsets.ISO_8859_1);
    pending.reset();
    pending.write(rest, 0, rest.length);
    return belowMark;
  }
}
