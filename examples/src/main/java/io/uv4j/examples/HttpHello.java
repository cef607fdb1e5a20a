package io.uv4j.examples;

import io.uv4j.Loop;
import io.uv4j.ReadCallback;
import io.uv4j.Stream;
import io.uv4j.Tcp;
import io.uv4j.Timer;
import io.uv4j.UvException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 server: {@code http-hello [port] [--any] [--idle-timeout=MS]
 * [--header-timeout=MS]} (port 8080, on 127.0.0.1; all interfaces with {@code --any}) answers
 * {@code GET /} with {@code Hello, World!}.
 *
 * <p>Requests are parsed as the bytes arrive, straight from the read buffer: a request may be
 * split across reads, and one read may hold several pipelined requests (answered in order).
 * Connections are kept alive (HTTP/1.1's default; {@code Connection: close} is honoured; HTTP/1.0
 * closes unless it asks for {@code keep-alive}). Other paths get 404, other methods 405, bodies
 * announced by {@code Content-Length} are skipped, chunked request bodies get 501 and malformed
 * requests 400 (those two close the connection). Responses are written with the no-callback
 * {@link Stream#write(byte[])}: sent at once when the socket can take them.
 *
 * <p><b>Slow and hostile clients.</b> Every connection has one timer:
 * <ul>
 *   <li><i>idle timeout</i> (default {@value #DEFAULT_IDLE_TIMEOUT_MS} ms, Node's
 *       {@code keepAliveTimeout}): a connection on which nothing arrives for that long while no
 *       request head is under way (before the first request, between kept-alive requests, while
 *       a body is skipped, while its answers wait for it to read) is closed without an answer;
 *   <li><i>header timeout</i> (default {@value #DEFAULT_HEADER_TIMEOUT_MS} ms): a request head
 *       must be complete within that time of its first byte, however slowly the bytes trickle
 *       in (slowloris); if not, the client gets {@code 408 Request Timeout} and the connection
 *       closes.
 * </ul>
 * Pipelining is bounded: when a response leaves the connection's write queue over
 * {@link Stream#highWaterMark()} (the client sends requests but does not read the answers),
 * the server stops reading, keeps the unparsed rest of the last read (at most one read buffer)
 * and goes on in {@link Stream#onDrain}. A client that never reads its answers is dropped by
 * the idle timeout.
 */
public final class HttpHello {
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 5_000;
  public static final long DEFAULT_HEADER_TIMEOUT_MS = 10_000;
  static final String HELLO = "Hello, World!\n";

  private static final int MAX_LINE = 8192;        // request line or one header line
  private static final int MAX_HEAD = 64 * 1024;   // request line and all headers
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

  private final Loop loop;
  private final Tcp server;
  private final InetSocketAddress address;
  private final long idleTimeoutMs;
  private final long headerTimeoutMs;
  private volatile int connections; // written on the loop thread only
  private volatile int timedOut;    // written on the loop thread only
  private volatile long maxPendingWriteBytes; // written on the loop thread only
  private LoopThread thread;
  private long dateSecond = -1;
  private String date;

  private HttpHello(InetSocketAddress bindTo, long idleTimeoutMs, long headerTimeoutMs)
      throws UvException {
    if (idleTimeoutMs <= 0 || headerTimeoutMs <= 0) {
      throw new IllegalArgumentException("timeouts must be > 0 ms: idle " + idleTimeoutMs
          + ", header " + headerTimeoutMs);
    }
    this.idleTimeoutMs = idleTimeoutMs;
    this.headerTimeoutMs = headerTimeoutMs;
    loop = Loop.create();
    try {
      server = new Tcp(loop);
      server.bind(bindTo);
      server.listen(511, this::onConnection);
      address = server.localAddress(); // the real port when bindTo's port was 0
    } catch (UvException | RuntimeException e) {
      loop.shutdown();
      throw e;
    }
  }

  /** Listens on {@code bindTo} (port 0: any free port) and serves on a new thread. */
  public static HttpHello start(InetSocketAddress bindTo) throws UvException {
    return start(bindTo, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS);
  }

  /**
   * Like {@link #start(InetSocketAddress)} with the idle and header timeouts (both &gt; 0 ms;
   * see the class comment).
   */
  public static HttpHello start(InetSocketAddress bindTo, long idleTimeoutMs, long headerTimeoutMs)
      throws UvException {
    HttpHello s = new HttpHello(bindTo, idleTimeoutMs, headerTimeoutMs);
    s.thread = new LoopThread(s.loop, "http-hello");
    return s;
  }

  private void onConnection(Stream listener, UvException error) {
    if (error != null) {
      System.err.println("http-hello: " + error.getMessage());
      return;
    }
    Tcp client = new Tcp(loop);
    try {
      listener.accept(client);
    } catch (UncheckedIOException e) {
      System.err.println("http-hello: " + e.getCause().getMessage());
      client.close();
      return;
    }
    connections++;
    Connection c = new Connection(client, new Timer(loop));
    client.onDrain(c::onDrain);
    client.readStart(c);
    c.armTimer();
  }

  /** The Date header, formatted once a second. */
  private String date() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      dateSecond = second;
      date = HTTP_DATE.format(Instant.ofEpochSecond(second));
    }
    return date;
  }

  /** One client connection: an incremental request parser and its responses. */
  private final class Connection implements ReadCallback {
    private final Tcp tcp;
    private final Timer timer;
    private final Consumer<Timer> onTimeout = t -> timeout(); // made once: re-arming allocates nothing
    private boolean headerTimerArmed; // the timer runs the header timeout (else the idle one)
    private final byte[] line = new byte[MAX_LINE]; // the line being read, possibly over several reads
    private int lineLength;
    private int headBytes;   // bytes of the current request's head so far
    private long bodyLeft;   // body bytes of the last request still to skip
    private boolean closing; // no more requests: the connection shuts down
    private boolean paused;  // answers are over the high-water mark: not reading until drain
    private byte[] unparsed; // what was read but not parsed when reading paused
    private int unparsedLength;

    // The request being parsed; method is null while a request line is awaited.
    private String method;
    private String target;
    private boolean http10;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private int hosts;
    private long contentLength = -1; // -1: none given
    private boolean transferEncoding;

    Connection(Tcp tcp, Timer timer) {
      this.tcp = tcp;
      this.timer = timer;
    }

    @Override
    public void onData(Stream stream, ByteBuffer data) {
      parse(data);
      armTimer();
    }

    @Override
    public void onError(Stream stream, UvException error) {
      closeNow();
    }

    /**
     * (Re)starts the timer for the connection's state: the header timeout once, at the first
     * byte of a head (trickling bytes do not extend it); otherwise the idle timeout, from now.
     */
    void armTimer() {
      if (tcp.isClosing()) {
        return;
      }
      boolean inHead = !closing && !paused && (method != null || headBytes > 0);
      if (inHead && headerTimerArmed) {
        return;
      }
      headerTimerArmed = inHead;
      timer.start(inHead ? headerTimeoutMs : idleTimeoutMs, 0, onTimeout);
    }

    private void timeout() {
      if (!closing) {
        timedOut++; // counted once per connection, not again for the close that may follow
      }
      if (headerTimerArmed) {
        reject(408, "Request Timeout"); // answers, then closes after the writes
        headerTimerArmed = false;
        armTimer(); // idle timeout for that last write: a client that does not read is dropped
      } else {
        closeNow();
      }
    }

    /** Closes the connection and its timer at once, dropping whatever is queued. */
    private void closeNow() {
      closing = true;
      tcp.close();
      timer.close();
    }

    /** The client read its answers down to the low-water mark: parse what was kept, read again. */
    void onDrain(Stream stream) {
      if (!paused || closing) {
        return;
      }
      paused = false;
      if (unparsedLength > 0) {
        ByteBuffer rest = ByteBuffer.wrap(unparsed, 0, unparsedLength);
        unparsedLength = 0;
        parse(rest); // may pause again, keeping what is still left
      }
      if (!paused && !closing) {
        tcp.readStart(this);
      }
      armTimer();
    }

    /** Parses requests from {@code data}; keeps the rest if answering paused reading. */
    private void parse(ByteBuffer data) {
      while (data.hasRemaining() && !closing) {
        if (paused) {
          int n = data.remaining(); // at most one read buffer
          if (unparsed == null || unparsed.length < n) {
            unparsed = new byte[n];
          }
          data.get(unparsed, 0, n); // data may be unparsed itself: arraycopy handles the overlap
          unparsedLength = n;
          return;
        }
        if (bodyLeft > 0) {
          int skip = (int) Math.min(bodyLeft, data.remaining());
          data.position(data.position() + skip);
          bodyLeft -= skip;
          continue;
        }
        byte b = data.get();
        if (++headBytes > MAX_HEAD) {
          reject(431, "Request Header Fields Too Large");
        } else if (b == '\n') {
          onLine();
          lineLength = 0;
        } else if (lineLength == MAX_LINE) {
          reject(method == null ? 414 : 431,
              method == null ? "URI Too Long" : "Request Header Fields Too Large");
        } else {
          line[lineLength++] = b;
        }
      }
    }

    @Override
    public void onEnd(Stream stream) {
      // The client sent all it will; whatever it asked for is answered: finish the writes, close.
      closeAfterWrites();
      armTimer();
    }

    private void onLine() {
      int n = lineLength;
      if (n > 0 && line[n - 1] == '\r') {
        n--;
      }
      for (int i = 0; i < n; i++) {
        if ((line[i] >= 0 && line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7f) {
          reject(400, "Bad Request");
          return;
        }
      }
      String text = new String(line, 0, n, StandardCharsets.ISO_8859_1);
      if (method == null) {
        if (!text.isEmpty()) { // empty lines before a request are allowed (RFC 9112, 2.2)
          requestLine(text);
        }
      } else if (text.isEmpty()) {
        respond();
      } else {
        header(text);
      }
    }

    private void requestLine(String text) {
      String[] parts = text.split(" ", -1);
      if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
        reject(400, "Bad Request");
        return;
      }
      switch (parts[2]) {
        case "HTTP/1.1":
          http10 = false;
          break;
        case "HTTP/1.0":
          http10 = true;
          break;
        default:
          reject(parts[2].startsWith("HTTP/") ? 505 : 400,
              parts[2].startsWith("HTTP/") ? "HTTP Version Not Supported" : "Bad Request");
          return;
      }
      method = parts[0];
      target = parts[1];
    }

    private void header(String text) {
      int colon = text.indexOf(':');
      // No whitespace is allowed before the colon, and obsolete folded lines start with one.
      if (colon <= 0 || !isToken(text.substring(0, colon))) {
        reject(400, "Bad Request");
        return;
      }
      String name = text.substring(0, colon);
      String value = text.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("Connection")) {
        for (String option : value.split(",")) {
          option = option.trim();
          connectionClose |= option.equalsIgnoreCase("close");
          connectionKeepAlive |= option.equalsIgnoreCase("keep-alive");
        }
      } else if (name.equalsIgnoreCase("Host")) {
        hosts++;
      } else if (name.equalsIgnoreCase("Content-Length")) {
        long length = parseLength(value);
        if (length < 0 || (contentLength >= 0 && contentLength != length)) {
          reject(400, "Bad Request");
          return;
        }
        contentLength = length;
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        transferEncoding = true;
      }
    }

    /** The head is complete: answer, then skip the body if there is one. */
    private void respond() {
      if (!http10 && hosts != 1) {
        reject(400, "Bad Request"); // HTTP/1.1 requires exactly one Host header
        return;
      }
      if (transferEncoding) {
        reject(501, "Not Implemented"); // chunked bodies are not parsed here: stop reading
        return;
      }
      boolean keepAlive = http10 ? connectionKeepAlive && !connectionClose : !connectionClose;
      int query = target.indexOf('?');
      String path = query < 0 ? target : target.substring(0, query);
      boolean head = method.equals("HEAD");
      if (!path.equals("/")) {
        send(404, "Not Found", "Not Found\n", head, keepAlive, "");
      } else if (method.equals("GET") || head) {
        send(200, "OK", HELLO, head, keepAlive, "");
      } else {
        send(405, "Method Not Allowed", "Method Not Allowed\n", false, keepAlive,
            "Allow: GET, HEAD\r\n");
      }
      bodyLeft = Math.max(contentLength, 0);
      method = null;
      target = null;
      connectionClose = false;
      connectionKeepAlive = false;
      hosts = 0;
      contentLength = -1;
      headBytes = 0;
    }

    /** Answers a request that cannot be served and closes the connection. */
    private void reject(int status, String reason) {
      send(status, reason, reason + "\n", false, false, "");
    }

    private void send(int status, String reason, String body, boolean head, boolean keepAlive,
        String extraHeaders) {
      StringBuilder r = new StringBuilder(160)
          .append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n")
          .append("Date: ").append(date()).append("\r\n")
          .append("Content-Type: text/plain; charset=utf-8\r\n")
          .append("Content-Length: ").append(body.length()).append("\r\n")
          .append(extraHeaders);
      if (!keepAlive) {
        r.append("Connection: close\r\n");
      } else if (http10) {
        r.append("Connection: keep-alive\r\n");
      }
      r.append("\r\n");
      if (!head) {
        r.append(body);
      }
      boolean belowMark;
      try {
        belowMark = tcp.write(r.toString().getBytes(StandardCharsets.ISO_8859_1)); // taken now, maybe sent now
      } catch (UncheckedIOException e) {
        closeNow();
        return;
      }
      long pending = tcp.pendingWriteBytes();
      if (pending > maxPendingWriteBytes) {
        maxPendingWriteBytes = pending;
      }
      if (!keepAlive) {
        closeAfterWrites();
      } else if (!belowMark && !paused) {
        paused = true; // the client is not reading its answers: stop taking requests
        tcp.readStop();
      }
    }

    /** Stops serving requests; closes once the responses queued so far are written. */
    private void closeAfterWrites() {
      if (closing) {
        return;
      }
      closing = true;
      try {
        tcp.shutdown((stream, error) -> closeNow()); // runs after the queued writes
      } catch (UncheckedIOException e) {
        closeNow(); // not writable any more (the peer is gone)
      }
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A Content-Length value, or -1 if it is not a plain decimal number. */
  private static long parseLength(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  public InetSocketAddress address() {
    return address;
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections;
  }

  /** Connections whose idle or header timeout fired so far. */
  public int timedOut() {
    return timedOut;
  }

  /** The most bytes one connection had waiting to be written (after any response). */
  long maxPendingWriteBytes() {
    return maxPendingWriteBytes;
  }

  /** Stops serving and closes every connection; throws if a callback failed. */
  public void stop() throws InterruptedException {
    thread.stop();
  }

  public static void main(String[] args) throws Exception {
    int port = DEFAULT_PORT;
    String host = "127.0.0.1";
    long idle = DEFAULT_IDLE_TIMEOUT_MS;
    long header = DEFAULT_HEADER_TIMEOUT_MS;
    for (String arg : args) {
      if (arg.equals("--any")) {
        host = "0.0.0.0";
      } else if (arg.startsWith("--idle-timeout=")) {
        idle = Long.parseLong(arg.substring("--idle-timeout=".length()));
      } else if (arg.startsWith("--header-timeout=")) {
        header = Long.parseLong(arg.substring("--header-timeout=".length()));
      } else {
        port = Integer.parseInt(arg);
      }
    }
    HttpHello server = start(new InetSocketAddress(host, port), idle, header);
    System.out.println("http-hello on http://" + server.address().getHostString() + ":"
        + server.address().getPort() + "/ (Ctrl-C stops it)");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stop();
      } catch (Exception e) {
        System.err.println("http-hello: " + e);
      }
      System.out.println("http-hello: " + server.connections() + " connection(s) served");
    }));
    server.thread.await();
  }
}
