package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(NoLeaks.class)
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // fail, do not hang
class HttpHelloTest {
  private static final String GET = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

  private HttpHello server;
  private int port;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpHello.start(new InetSocketAddress("127.0.0.1", 0));
    port = server.address().getPort();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.stop(); // throws if a server callback failed
  }

  // ---------------------------------------------------------------- with real clients

  @Test
  void httpClientKeepsOneConnectionForSeveralRequests() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertEquals("Hello, World!\n", r.body());
      assertEquals("14", r.headers().firstValue("content-length").orElseThrow());
    }
    assertEquals(1, server.connections(), "the client reused its kept-alive connection");
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/missing?x=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(404, r.statusCode());
    assertEquals("Not Found\n", r.body());
    // The query is not part of the path.
    r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/?x=1")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
  }

  @Test
  void curlGetsTheGreetingTwiceOverOneConnection() throws Exception {
    String curl = onPath("curl");
    assumeTrue(curl != null, "curl is not installed");
    String url = "http://127.0.0.1:" + port + "/";
    Process p = new ProcessBuilder(curl, "-s", "--noproxy", "*", url, url)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("Hello, World!\nHello, World!\n", out);
    assertEquals(1, server.connections(), "curl reused the connection");
  }

  // ---------------------------------------------------------------- raw sockets

  @Test
  void pipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
    try (Socket s = connect()) {
      send(s, GET + "GET /other HTTP/1.1\r\nHost: test\r\n\r\n" + GET);
      InputStream in = s.getInputStream();
      Response first = Response.read(in, false);
      Response second = Response.read(in, false);
      Response third = Response.read(in, false);
      assertEquals("HTTP/1.1 200 OK", first.status);
      assertEquals("Hello, World!\n", first.body);
      assertEquals("HTTP/1.1 404 Not Found", second.status);
      assertEquals("HTTP/1.1 200 OK", third.status);
      assertNull(third.headers.get("connection"));
      // Still open: one more request is answered.
      send(s, GET);
      assertEquals("Hello, World!\n", Response.read(in, false).body);
    }
    assertEquals(1, server.connections());
  }

  @Test
  void requestSplitIntoOneByteWritesIsParsed() throws Exception {
    try (Socket s = connect()) {
      s.setTcpNoDelay(true); // each byte its own segment
      OutputStream out = s.getOutputStream();
      String request = "GET / HTTP/1.1\r\nHost: test\r\nAccept: */*\r\n\r\n";
      for (byte b : request.getBytes(StandardCharsets.US_ASCII)) {
        out.write(b);
        out.flush();
      }
      Response r = Response.read(s.getInputStream(), false);
      assertEquals("HTTP/1.1 200 OK", r.status);
      assertEquals("Hello, World!\n", r.body);
    }
  }

  @Test
  void connectionCloseIsHonoured() throws Exception {
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
      InputStream in = s.getInputStream();
      Response r = Response.read(in, false);
      assertEquals("HTTP/1.1 200 OK", r.status);
      assertEquals("Hello, World!\n", r.body);
      assertEquals("close", r.headers.get("connection"));
      assertEquals(-1, in.read(), "the server closed the connection");
    }
  }

  @Test
  void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.0\r\n\r\n");
      InputStream in = s.getInputStream();
      Response r = Response.read(in, false);
      assertEquals("Hello, World!\n", r.body);
      assertEquals("close", r.headers.get("connection"));
      assertEquals(-1, in.read());
    }
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
      InputStream in = s.getInputStream();
      Response r = Response.read(in, false);
      assertEquals("keep-alive", r.headers.get("connection"));
      send(s, "GET / HTTP/1.0\r\n\r\n"); // the same connection serves a second request
      assertEquals("Hello, World!\n", Response.read(in, false).body);
      assertEquals(-1, in.read());
    }
  }

  @Test
  void garbageGets400AndTheConnectionCloses() throws Exception {
    try (Socket s = connect()) {
      send(s, "this is not http\r\n\r\n");
      InputStream in = s.getInputStream();
      assertEquals("HTTP/1.1 400 Bad Request", Response.read(in, false).status);
      assertEquals(-1, in.read());
    }
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.1\r\n\r\n"); // HTTP/1.1 without Host
      InputStream in = s.getInputStream();
      assertEquals("HTTP/1.1 400 Bad Request", Response.read(in, false).status);
      assertEquals(-1, in.read());
    }
    try (Socket s = connect()) {
      send(s, "GET / HTTP/1.1\r\nHost: test\r\nBad Header: x\r\n\r\n");
      InputStream in = s.getInputStream();
      assertEquals("HTTP/1.1 400 Bad Request", Response.read(in, false).status);
      assertEquals(-1, in.read());
    }
  }

  @Test
  void bodiesAreSkippedAndOtherMethodsRefused() throws Exception {
    try (Socket s = connect()) {
      // A POST with a 12-byte body that looks like a request, then a GET, in one write.
      send(s, "POST / HTTP/1.1\r\nHost: test\r\nContent-Length: 12\r\n\r\nGET /x HTTP/" + GET);
      InputStream in = s.getInputStream();
      Response post = Response.read(in, false);
      assertEquals("HTTP/1.1 405 Method Not Allowed", post.status);
      assertEquals("GET, HEAD", post.headers.get("allow"));
      Response get = Response.read(in, false);
      assertEquals("HTTP/1.1 200 OK", get.status);
      assertEquals("Hello, World!\n", get.body);
    }
  }

  @Test
  void headGetsTheHeadersWithoutTheBody() throws Exception {
    try (Socket s = connect()) {
      send(s, "HEAD / HTTP/1.1\r\nHost: test\r\n\r\n" + GET);
      InputStream in = s.getInputStream();
      Response head = Response.read(in, true);
      assertEquals("HTTP/1.1 200 OK", head.status);
      assertEquals("14", head.headers.get("content-length"));
      // The next bytes are the GET's response, not a body of the HEAD's.
      assertEquals("Hello, World!\n", Response.read(in, false).body);
    }
  }

  @Test
  void clientHalfCloseStillGetsItsAnswers() throws Exception {
    try (Socket s = connect()) {
      send(s, GET + GET);
      s.shutdownOutput(); // EOF right behind the requests
      InputStream in = s.getInputStream();
      assertEquals("Hello, World!\n", Response.read(in, false).body);
      assertEquals("Hello, World!\n", Response.read(in, false).body);
      assertEquals(-1, in.read());
    }
  }

  // ---------------------------------------------------------------- helpers

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** One HTTP/1.1 response read strictly: CRLF lines, a Content-Length body. */
  private static final class Response {
    String status;
    final Map<String, String> headers = new HashMap<>();
    String body;

    static Response read(InputStream in, boolean head) throws IOException {
      Response r = new Response();
      r.status = line(in);
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        assertTrue(colon > 0, "header line: " + h);
        r.headers.put(h.substring(0, colon).toLowerCase(), h.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(r.headers.get("content-length"));
      byte[] body = head ? new byte[0] : in.readNBytes(length);
      assertEquals(head ? 0 : length, body.length, "body cut short");
      r.body = new String(body, StandardCharsets.UTF_8);
      return r;
    }

    private static String line(InputStream in) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != '\n') {
        assertTrue(c >= 0, "connection closed inside a response: " + b);
        b.write(c);
      }
      String s = b.toString(StandardCharsets.ISO_8859_1);
      assertTrue(s.endsWith("\r"), "line not ended by CRLF: " + s);
      return s.substring(0, s.length() - 1);
    }
  }
}
