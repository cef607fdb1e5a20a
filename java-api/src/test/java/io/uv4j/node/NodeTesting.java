package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uv4j.Fs;
import io.uv4j.UvException;

/** Runs a test body as a Node main module and fails the test if anything ended it abnormally. */
final class NodeTesting {
  interface Main {
    void run(NodeRuntime node) throws Exception;
  }

  private NodeTesting() {}

  /** Runs {@code main} and the loop to completion; an uncaught exception fails the test with it. */
  static void run(Main main) {
    NodeRuntime[] rt = new NodeRuntime[1];
    int code;
    try {
      code = NodeRuntime.run(node -> {
        rt[0] = node;
        try {
          main.run(node);
        } catch (RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    } catch (UvException e) {
      throw new AssertionError(e);
    }
    Throwable fatal = rt[0].fatalException();
    if (fatal instanceof Error) {
      throw (Error) fatal;
    }
    if (fatal != null) {
      throw new AssertionError("uncaught exception", fatal);
    }
    assertEquals(0, code, "exit code");
  }

  static String tmpdir() throws UvException {
    return Fs.mkdtempSync(System.getProperty("java.io.tmpdir") + "/uv4j-test-XXXXXX");
  }

  /** rm -rf with the synchronous core API (test cleanup). */
  static void removeTree(String path) throws UvException {
    io.uv4j.Stat st;
    try {
      st = Fs.lstatSync(path);
    } catch (UvException e) {
      return;
    }
    if (st.isDirectory()) {
      for (io.uv4j.DirEntry d : Fs.scandirSync(path)) {
        removeTree(path + "/" + d.name());
      }
      Fs.rmdirSync(path);
    } else {
      Fs.unlinkSync(path);
    }
  }

  /** Deterministic test bytes. */
  static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 9));
    }
    return b;
  }
}
