package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The user, environment and priority utilities of {@link Uv}, each checked against a source that
 * does not go through libuv (getent, /proc, the JDK): ports of libuv's test-get-passwd,
 * test-homedir, test-tmpdir, test-env-vars and test-process-priority, with the errors of an
 * unprivileged process and another user's password entry.
 */
@ExtendWith(LeakCheck.class)
class UvUserEnvTest {
  // test-get-passwd.c, against getent
  @Test
  void get_passwd() throws Exception {
    Passwd pw = Uv.passwd();
    String[] f = UvSystemTest.sh("getent", "passwd", pw.username()).split(":");
    assertEquals(f[0], pw.username());
    assertEquals(Long.parseLong(f[2]), pw.uid());
    assertEquals(Long.parseLong(f[3]), pw.gid());
    assertEquals(f[5], pw.homeDir());
    assertEquals(f[6], pw.shell());
    assertEquals(UvSystemTest.sh("id", "-u"), Long.toString(pw.uid()));
    // The JVM's user.home also comes from the password database.
    assertEquals(System.getProperty("user.home"), pw.homeDir());
    if (Uv.version() < 0x012d00) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Uv.passwd(0));
      assertEquals("uv_os_get_passwd2 needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Uv.passwd(-1));
  }

  // test-homedir.c, test-tmpdir.c: HOME and TMPDIR from the native environment
  @Test
  void homedirAndTmpdirFollowTheNativeEnvironment() throws Exception {
    String home = Uv.getenv("HOME");
    String tmp = Uv.getenv("TMPDIR");
    try {
      Uv.setenv("HOME", "/nowhere/home");
      assertEquals(Path.of("/nowhere/home"), Uv.homeDir());
      Uv.unsetenv("HOME"); // libuv falls back to the password database
      assertEquals(Path.of(Uv.passwd().homeDir()), Uv.homeDir());
      Uv.setenv("TMPDIR", "/nowhere/tmp/"); // a trailing slash is dropped
      assertEquals(Path.of("/nowhere/tmp"), Uv.tmpDir());
      String longDir = "/" + "d".repeat(3000); // longer than the first buffer: ENOBUFS, then retried
      Uv.setenv("TMPDIR", longDir);
      assertEquals(longDir, Uv.tmpDir().toString());
      Uv.unsetenv("TMPDIR");
      if (Uv.getenv("TMP") == null && Uv.getenv("TEMP") == null && Uv.getenv("TEMPDIR") == null) {
        assertEquals(Path.of("/tmp"), Uv.tmpDir());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), Uv.tmpDir());
      }
      // The JVM's copies never change.
      assertEquals(System.getenv("HOME"), home);
    } finally {
      restore("HOME", home);
      restore("TMPDIR", tmp);
    }
  }

  private static void restore(String name, String value) throws UvException {
    if (value == null) {
      Uv.unsetenv(name);
    } else {
      Uv.setenv(name, value);
    }
  }

  // test-env-vars.c: env_vars
  @Test
  void env_vars() throws Exception {
    String name = "UV4J_TEST_ENV_" + ProcessHandle.current().pid();
    // The JDK copies the environment the first time it is asked: make sure that happened.
    assertNull(System.getenv(name));
    assertNull(Uv.getenv(name));
    Uv.setenv(name, "foo");
    assertEquals("foo", Uv.getenv(name));
    Uv.setenv(name, "");
    assertEquals("", Uv.getenv(name));
    String big = "v".repeat(10_000); // over the 256-byte first buffer
    Uv.setenv(name, big);
    assertEquals(big, Uv.getenv(name));
    String utf = "caf\u00e9 \u2603";
    Uv.setenv(name, utf);
    assertEquals(utf, Uv.getenv(name));
    Map<String, String> env = Uv.environ();
    assertEquals(utf, env.get(name));
    assertThrows(UnsupportedOperationException.class, () -> env.put("x", "y"));
    assertNull(System.getenv(name), "System.getenv answers from the JDK's copy");
    Uv.unsetenv(name);
    assertNull(Uv.getenv(name));
    assertFalse(Uv.environ().containsKey(name));
    Uv.unsetenv(name); // not set: nothing happens
    // The JVM's environment at start-up is a subset of the native one (unchanged variables).
    Map<String, String> now = Uv.environ();
    assertEquals(System.getenv("PATH"), now.get("PATH"));
  }

  @Test
  void envPreconditions() {
    assertThrows(NullPointerException.class, () -> Uv.getenv(null));
    assertThrows(IllegalArgumentException.class, () -> Uv.getenv(""));
    assertThrows(IllegalArgumentException.class, () -> Uv.getenv("A=B"));
    assertThrows(IllegalArgumentException.class, () -> Uv.setenv("A\0B", "x"));
    assertThrows(IllegalArgumentException.class, () -> Uv.setenv("UV4J_X", "a\0b"));
    assertThrows(NullPointerException.class, () -> Uv.setenv("UV4J_X", null));
    assertThrows(IllegalArgumentException.class, () -> Uv.unsetenv("=x"));
  }

  // test-get-currentexe.c's neighbour test-process-priority.c: uv_os_getpriority/setpriority
  @Test
  void process_priority() throws Exception {
    // Against the kernel's own number: field 19 of /proc/<pid>/stat is the nice value of the main thread.
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertEquals(Integer.parseInt(f[16]), Uv.priority(Uv.pid()));
    // Lowering the priority needs no privilege. On Linux pid 0 is the calling thread only: use a
    // thread of its own, so the test JVM's main thread keeps its priority.
    int[] seen = new int[2];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        int before = Uv.priority(0);
        int target = Math.min(Uv.PRIORITY_LOW, before + 1);
        Uv.setPriority(0, target);
        seen[0] = target;
        seen[1] = Uv.priority(0);
      } catch (Throwable e) {
        failure[0] = e;
      }
    });
    t.start();
    t.join();
    assertNull(failure[0]);
    assertEquals(seen[0], seen[1]);
    assertThrows(IllegalArgumentException.class, () -> Uv.setPriority(0, Uv.PRIORITY_HIGHEST - 1));
    assertThrows(IllegalArgumentException.class, () -> Uv.setPriority(0, Uv.PRIORITY_LOW + 1));
    assertThrows(IllegalArgumentException.class, () -> Uv.priority(-1));
    assertThrows(IllegalArgumentException.class, () -> Uv.priority(1L << 33));
    // A process that does not exist: pid_max is at most 2^22 on Linux.
    UvException e = assertThrows(UvException.class, () -> Uv.priority(Integer.MAX_VALUE));
    assertEquals(Errno.code("ESRCH"), e.code());
    if (!UvSystemTest.sh("id", "-u").equals("0")) {
      UvException denied = assertThrows(UvException.class, () -> Uv.setPriority(Uv.pid(), Uv.PRIORITY_HIGHEST));
      assertEquals(Errno.EACCES, denied.code());
    }
  }

  /**
   * EACCES and EPERM from an unprivileged process: as root (the CI container) the test runs a
   * child JVM as user nobody through util-linux {@code setpriv}; otherwise in this JVM.
   */
  @Test
  void priorityErrorsOfAnUnprivilegedProcess() throws Exception {
    String out;
    if (!UvSystemTest.sh("id", "-u").equals("0")) {
      out = Unprivileged.run();
    } else {
      assertTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "util-linux setpriv is needed to drop root");
      String cp = Path.of(Uv.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + java.io.File.pathSeparator
          + Path.of(UvUserEnvTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xcheck:jni",
          "-Djava.io.tmpdir=/tmp", "-cp", cp, Unprivileged.class.getName())
          .directory(new java.io.File("/tmp")).redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
    }
    assertTrue(out.contains("raise: EACCES uv_os_setpriority"), out);
    assertTrue(out.contains("other user's: EPERM") || out.contains("other user's: not tried"), out);
    assertTrue(out.contains("read pid 1: ok"), out);
  }

  /** Runs without privileges: raising its own priority and renicing pid 1 must both be refused. */
  public static final class Unprivileged {
    public static void main(String[] args) throws Exception {
      System.out.println(run());
    }

    static String run() throws Exception {
      StringBuilder sb = new StringBuilder();
      try {
        Uv.setPriority(Uv.pid(), Uv.PRIORITY_HIGHEST);
        sb.append("raise: allowed\n");
      } catch (UvException e) {
        sb.append("raise: ").append(e.errorName()).append(' ').append(e.syscall()).append('\n');
      }
      int pid1Owner = (Integer) Files.getAttribute(Path.of("/proc/1"), "unix:uid");
      if (pid1Owner == Uv.passwd().uid()) {
        sb.append("other user's: not tried, pid 1 is ours\n"); // never renice our own init
      } else {
        try {
          Uv.setPriority(1, Uv.PRIORITY_LOW);
          sb.append("other user's: allowed\n");
        } catch (UvException e) {
          sb.append("other user's: ").append(e.errorName()).append('\n');
        }
      }
      Uv.priority(1);
      sb.append("read pid 1: ok\n");
      return sb.toString();
    }
  }

  // uv_os_get_passwd2: another user's entry, by uid
  @Test
  void passwdOfAnotherUid() throws Exception {
    if (Uv.version() < UvSystemTest.V1_45) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Uv.passwd(0));
      assertEquals("uv_os_get_passwd2 needs libuv >= 1.45.0, this is " + Uv.versionString(), e.getMessage());
      return;
    }
    Passwd root = Uv.passwd(0);
    String[] f = UvSystemTest.sh("getent", "passwd", "0").split(":");
    assertEquals(f[0], root.username());
    assertEquals(0, root.uid());
    assertEquals(Long.parseLong(f[3]), root.gid());
    assertEquals(f[5], root.homeDir());
    assertEquals(f[6], root.shell());
    assertEquals(Uv.passwd().username(), Uv.passwd(Uv.passwd().uid()).username());
    UvException e = assertThrows(UvException.class, () -> Uv.passwd(2_000_000_000L));
    assertEquals("ENOENT", e.errorName());
  }
}
