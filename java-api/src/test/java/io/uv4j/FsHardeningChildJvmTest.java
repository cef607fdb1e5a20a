package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's fs scenarios that took the whole JVM down before the fix (SIGSEGV, abort), or that
 * only show in a JVM's own output (-Xcheck:jni warnings), each run in a child JVM with
 * {@code -Xcheck:jni}: its exit status and output are the evidence.
 */
class FsHardeningChildJvmTest {
  @TempDir
  Path tmp;

  @Test
  void asyncRenameCopyfileLinkSymlinkWithANullSecondPathThrowInsteadOfCrashing() throws Exception {
    // Before: the asynchronous form reached libuv's strlen(NULL) (SIGSEGV, exit 134); the
    // synchronous one reached link(2)/rename(2) with NULL (EFAULT).
    Child c = run("null-second-path", tmp.toString());
    assertEquals(0, c.exit, c.toString());
    assertTrue(c.out.contains("rename:NPE(to) copyfile:NPE(to) link:NPE(newPath) symlink:NPE(path) "
        + "renameSync:NPE(to) linkSync:NPE(newPath) queued=0 alive=false"), c.toString());
  }

  @Test
  void closingTheLoopsBackendOrWakeUpDescriptorIsRefusedAndTheLoopRunsOn() throws Exception {
    // Before: closeSync succeeded and the next run aborted in epoll_wait/eventfd (SIGABRT).
    Child c = run("close-backend", tmp.toString());
    assertEquals(0, c.exit, c.toString());
    assertTrue(c.out.contains("refused=" + "true,true,true ran=2 registered-after-close=0"), c.toString());
  }

  @Test
  void twentyThousandScandirAndReaddirCallbacksInOneRunLeakNoLocalRefs() throws Exception {
    // Before: every result's name and type arrays stayed as local refs of the loop thread's one
    // native frame until run() returned, and -Xcheck:jni warned about them thousands of times.
    Child c = run("local-refs", tmp.toString());
    assertEquals(0, c.exit, c.toString());
    assertTrue(c.out.contains("scandir=10000 readdir=10000"), c.toString());
    assertFalse(c.out.contains("JNI local refs") || c.err.contains("JNI local refs"),
        "-Xcheck:jni warned:\n" + head(c));
  }

  private static String head(Child c) {
    String all = c.toString();
    return all.length() > 4000 ? all.substring(0, 4000) + "..." : all;
  }

  // ------------------------------------------------------------------ the child

  public static void main(String[] args) throws Exception {
    String dir = args[1];
    switch (args[0]) {
      case "null-second-path":
        nullSecondPath(dir);
        break;
      case "close-backend":
        closeBackend(dir);
        break;
      case "local-refs":
        localRefs(dir);
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
    System.out.flush();
  }

  private static String npe(Runnable call) {
    try {
      call.run();
      return "returned";
    } catch (NullPointerException e) {
      return "NPE(" + e.getMessage() + ")";
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private interface SyncCall {
    void run() throws Exception;
  }

  private static String npeSync(SyncCall call) {
    return npe(() -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void nullSecondPath(String dir) throws Exception {
    String a = dir + "/a";
    Files.writeString(Paths.get(a), "x");
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      FsCallback<Void> cb = (v, e) -> System.out.println("callback " + e);
      StringBuilder sb = new StringBuilder();
      sb.append("rename:").append(npe(() -> fs.rename(a, null, cb)));
      sb.append(" copyfile:").append(npe(() -> fs.copyfile(a, null, 0, cb)));
      sb.append(" link:").append(npe(() -> fs.link(a, null, cb)));
      sb.append(" symlink:").append(npe(() -> fs.symlink(a, null, 0, cb)));
      sb.append(" renameSync:").append(npeSync(() -> Fs.renameSync(a, null)));
      sb.append(" linkSync:").append(npeSync(() -> Fs.linkSync(a, null)));
      sb.append(" queued=").append(Uv.liveRequests());
      sb.append(" alive=").append(loop.alive());
      loop.run();
      System.out.println(sb);
    }
  }

  private static void closeBackend(String dir) throws Exception {
    Loop loop = Loop.create();
    int[] internal = FsRequest.nLoopFds(loop.address);
    Fs fs = new Fs(loop);
    StringBuilder refused = new StringBuilder();
    refused.append(refused(() -> Fs.closeSync(loop.backendFd())));
    refused.append(',').append(refused(() -> Fs.closeSync(internal[1]))); // the async eventfd
    refused.append(',').append(refused(() -> fs.close(loop.backendFd(), (v, e) -> { })));
    int[] ran = {0};
    fs.stat(dir, (s, e) -> ran[0]++); // completes through the wake-up eventfd and epoll
    new Timer(loop).start(5, 0, t -> {
      ran[0]++;
      t.close();
    });
    loop.run();
    loop.close();
    int left = 0;
    for (int fd : internal) {
      left += OwnedFds.owner(fd) != null ? 1 : 0;
    }
    System.out.println("refused=" + refused + " ran=" + ran[0] + " registered-after-close=" + left);
  }

  private static boolean refused(SyncCall call) {
    try {
      call.run();
      return false;
    } catch (IllegalArgumentException e) {
      return e.getMessage().contains("close the loop instead");
    } catch (Exception e) {
      return false;
    }
  }

  private static void localRefs(String dir) throws Exception {
    for (int i = 0; i < 3; i++) {
      Files.createFile(Paths.get(dir, "f" + i));
    }
    int[] counts = {0, 0};
    try (Loop loop = Loop.create()) {
      Fs fs = new Fs(loop);
      // two chains in one run(): 10000 scandirs; opendir / readdir (1 entry each) / closedir
      // over and over until 10000 readdir callbacks
      new Object() {
        void scan() {
          fs.scandir(dir, (entries, e) -> {
            check(e);
            if (++counts[0] < 10000) {
              scan();
            }
          });
        }

        void open() {
          fs.opendir(dir, (d, e) -> {
            check(e);
            read(d);
          });
        }

        void read(Dir d) {
          fs.readdir(d, 1, (entries, e) -> {
            check(e);
            boolean more = ++counts[1] < 10000;
            if (more && !entries.isEmpty()) {
              read(d);
              return;
            }
            fs.closedir(d, (v, e2) -> {
              check(e2);
              if (more) {
                open();
              }
            });
          });
        }

        void start() {
          scan();
          open();
        }
      }.start();
      loop.run();
    }
    System.out.println("scandir=" + counts[0] + " readdir=" + counts[1]);
  }

  private static void check(UvException e) {
    if (e != null) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------ running it

  private static final class Child {
    final int exit;
    final String out;
    final String err;

    Child(int exit, String out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Child run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xcheck:jni");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(FsHardeningChildJvmTest.class.getName());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp.getParent(), "child-out", ".txt");
    Path err = Files.createTempFile(tmp.getParent(), "child-err", ".txt");
    try {
      // to files, not pipes: thousands of warnings would fill a pipe and stall the child
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("child JVM did not finish in 120 s: " + cmd);
      }
      return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
