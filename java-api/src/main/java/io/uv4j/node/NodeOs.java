package io.uv4j.node;

import io.uv4j.CpuInfo;
import io.uv4j.InterfaceAddress;
import io.uv4j.Passwd;
import io.uv4j.Signal;
import io.uv4j.Uname;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Node's {@code os} module, on the same libuv calls Node makes ({@code uv_cpu_info},
 * {@code uv_interface_addresses}, {@code uv_os_uname}, {@code uv_os_get_passwd},
 * {@code uv_get_free_memory}, ...), so on one machine it answers what Node answers. Values keep
 * Node's units: memory in bytes, {@link #uptime()} in seconds, CPU times in milliseconds, CPU
 * speed in MHz. Failures are Node's: {@code ERR_SYSTEM_ERROR} ({@link NodeError}, with the
 * libuv call and error in its message) where the operating system refuses, and
 * {@code ERR_OUT_OF_RANGE} for a priority outside -20..19.
 *
 * <pre>{@code
 * NodeOs os = NodeOs.of(node);
 * System.out.println(os.hostname() + " " + os.platform() + "/" + os.arch() + ", "
 *     + os.cpus().size() + " CPUs, " + os.freemem() / (1 << 20) + " MiB free");
 * os.networkInterfaces().forEach((name, addrs) ->
 *     addrs.forEach(a -> System.out.println(name + " " + a.cidr())));
 * }</pre>
 *
 * Unlike the rest of the Node layer these methods touch no loop, so any thread may call them.
 * Not provided: {@code os.constants.errno} and {@code dlopen} (Node lists the C library's
 * values, which libuv does not expose), and {@code userInfo({encoding: 'buffer'})}.
 */
public final class NodeOs {
  /** Node's {@code os.EOL}: {@code "\n"}, or {@code "\r\n"} on Windows. */
  public static final String EOL = isWindows() ? "\r\n" : "\n";

  /** Node's {@code os.devNull}. */
  public static final String DEV_NULL = isWindows() ? "\\\\.\\nul" : "/dev/null";

  /** One logical CPU, as an element of {@code os.cpus()}. */
  public record Cpu(String model, long speed, Times times) {}

  /** A CPU's times in milliseconds since boot ({@code cpus()[i].times}). */
  public record Times(long user, long nice, long sys, long idle, long irq) {}

  /**
   * One address of an interface ({@code os.networkInterfaces()[name][i]}): {@code family} is
   * {@code "IPv4"} or {@code "IPv6"}, {@code mac} like {@code 00:11:22:33:44:55}, {@code cidr}
   * like {@code 192.168.1.2/24} (null when the netmask is not contiguous), {@code scopeid} only
   * for IPv6 (null for IPv4).
   */
  public record NetworkInterface(String address, String netmask, String family, String mac,
      boolean internal, String cidr, Integer scopeid) {}

  /** {@code os.userInfo()}: the effective user's entry. {@code shell} may be null. */
  public record UserInfo(long uid, long gid, String username, String homedir, String shell) {}

  /** Node's {@code os.constants.priority}. */
  public static final Map<String, Integer> PRIORITY = priorities();

  private NodeOs() {}

  /**
   * The module; {@code node} is only checked (the functions need no loop).
   *
   * @throws NullPointerException if {@code node} is null
   */
  public static NodeOs of(NodeRuntime node) {
    Objects.requireNonNull(node, "node");
    return new NodeOs();
  }

  /** {@code os.arch()}: Node's name for the CPU architecture ({@code x64}, {@code arm64}, ...). */
  public String arch() {
    String a = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (a) {
      case "amd64", "x86_64" -> "x64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i486", "i586", "i686" -> "ia32";
      case "ppc64le", "ppc64" -> "ppc64";
      case "loongarch64" -> "loong64";
      default -> a.startsWith("arm") ? "arm" : a;
    };
  }

  /** {@code os.platform()}: {@code linux}, {@code darwin}, {@code win32}, {@code freebsd}, ... */
  public String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.startsWith("windows")) {
      return "win32";
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return "darwin";
    }
    if (os.startsWith("sunos") || os.startsWith("solaris")) {
      return "sunos";
    }
    return os.replace(" ", "");
  }

  /** {@code os.type()}: the kernel's name, {@code uname -s} ({@code Linux}, {@code Darwin}). */
  public String type() {
    return uname().sysname();
  }

  /** {@code os.release()}: {@code uname -r}. */
  public String release() {
    return uname().release();
  }

  /** {@code os.version()}: {@code uname -v}. */
  public String version() {
    return uname().version();
  }

  /** {@code os.machine()}: {@code uname -m} ({@code x86_64}, {@code aarch64}). */
  public String machine() {
    return uname().machine();
  }

  /** {@code os.endianness()}: {@code "LE"} or {@code "BE"}. */
  public String endianness() {
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "LE" : "BE";
  }

  /** {@code os.hostname()}. */
  public String hostname() {
    return call(Uv::hostname, "uv_os_gethostname");
  }

  /** {@code os.homedir()}: {@code $HOME}, else the user's entry. */
  public String homedir() {
    return call(() -> Uv.homeDir().toString(), "uv_os_homedir");
  }

  /**
   * {@code os.tmpdir()}: {@code $TMPDIR}, {@code $TMP} or {@code $TEMP} (the first that is set
   * and not empty) without a trailing slash, else {@code /tmp} (Node 20's rules; Windows: libuv's
   * answer).
   */
  public String tmpdir() {
    if (isWindows()) {
      return call(() -> Uv.tmpDir().toString(), "uv_os_tmpdir");
    }
    for (String name : new String[] {"TMPDIR", "TMP", "TEMP"}) {
      String v = System.getenv(name);
      if (v != null && !v.isEmpty()) {
        return v.length() > 1 && v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
      }
    }
    return "/tmp";
  }

  /** {@code os.totalmem()}: bytes. */
  public long totalmem() {
    return Uv.totalMemory();
  }

  /** {@code os.freemem()}: bytes (on Linux the kernel's MemAvailable, as libuv reads it). */
  public long freemem() {
    return Uv.freeMemory();
  }

  /** {@code os.availableParallelism()}. */
  public int availableParallelism() {
    return Uv.availableParallelism();
  }

  /** {@code os.uptime()}: seconds since boot (with a fraction where the system gives one). */
  public double uptime() {
    return call(() -> Uv.uptime().toNanos() / 1e9, "uv_uptime");
  }

  /** {@code os.loadavg()}: the 1, 5 and 15 minute load averages ({@code [0, 0, 0]} on Windows). */
  public double[] loadavg() {
    return Uv.loadAverage();
  }

  /** {@code os.cpus()}: one entry per logical CPU (empty if the system does not say). */
  public List<Cpu> cpus() {
    List<CpuInfo> infos = call(Uv::cpuInfo, "uv_cpu_info");
    List<Cpu> out = new ArrayList<>(infos.size());
    for (CpuInfo c : infos) {
      out.add(new Cpu(c.model(), c.speedMhz(), new Times(c.userMillis(), c.niceMillis(),
          c.sysMillis(), c.idleMillis(), c.irqMillis())));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * {@code os.networkInterfaces()}: the addresses of each interface, interfaces in the order the
   * system lists them.
   */
  public Map<String, List<NetworkInterface>> networkInterfaces() {
    Map<String, List<NetworkInterface>> out = new LinkedHashMap<>();
    for (InterfaceAddress a : call(Uv::interfaceAddresses, "uv_interface_addresses")) {
      boolean v6 = a.address() instanceof Inet6Address;
      String address = text(a.address());
      String netmask = text(a.netmask());
      Integer scope = v6 ? ((Inet6Address) a.address()).getScopeId() : null;
      out.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(new NetworkInterface(address,
          netmask, v6 ? "IPv6" : "IPv4", a.macString(), a.internal(),
          contiguous(a.netmask()) ? address + "/" + a.prefixLength() : null, scope));
    }
    out.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(out);
  }

  /** {@code os.userInfo()}. */
  public UserInfo userInfo() {
    Passwd p = call(Uv::passwd, "uv_os_get_passwd");
    return new UserInfo(p.uid(), p.gid(), p.username(), p.homeDir(), p.shell());
  }

  /** {@code os.getPriority()}: this process's (on Linux: this thread's) nice value. */
  public int getPriority() {
    return getPriority(0);
  }

  /**
   * {@code os.getPriority(pid)}.
   *
   * @throws NodeError {@code ERR_SYSTEM_ERROR} (e.g. {@code ESRCH}) if the system refuses
   */
  public int getPriority(long pid) {
    checkPid(pid);
    if (pid < 0) {
      throw systemError("uv_os_getpriority", "ESRCH", "no such process", null);
    }
    return call(() -> Uv.priority(pid), "uv_os_getpriority");
  }

  /** {@code os.setPriority(priority)} for this process (on Linux: this thread). */
  public void setPriority(int priority) {
    setPriority(0, priority);
  }

  /**
   * {@code os.setPriority(pid, priority)}.
   *
   * @throws NodeError {@code ERR_OUT_OF_RANGE} if {@code priority} is outside -20..19;
   *     {@code ERR_SYSTEM_ERROR} if the system refuses ({@code EACCES} to raise it without the
   *     privilege, {@code ESRCH}, {@code EPERM})
   */
  public void setPriority(long pid, int priority) {
    checkPid(pid);
    if (priority < -20 || priority > 19) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"priority\" is out of range. It must be"
          + " >= -20 && <= 19. Received " + priority);
    }
    if (pid < 0) {
      throw systemError("uv_os_setpriority", "ESRCH", "no such process", null);
    }
    call(() -> {
      Uv.setPriority(pid, priority);
      return null;
    }, "uv_os_setpriority");
  }

  /**
   * {@code os.constants.signals}: this platform's signal numbers by name, in Node's order, for
   * the names Node lists that the platform has.
   */
  public Map<String, Integer> signals() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String name : SIGNAL_NAMES) {
      try {
        out.put(name, Signal.number(name));
      } catch (IllegalArgumentException absent) {
        // not on this platform: Node leaves it out too
      }
    }
    return Collections.unmodifiableMap(out);
  }

  // ------------------------------------------------------------------ helpers

  /** Node's list (src/node_constants.cc), in its order; each present only where the platform has it. */
  private static final String[] SIGNAL_NAMES = {"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL",
      "SIGTRAP", "SIGABRT", "SIGIOT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
      "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGSTKFLT", "SIGCONT", "SIGSTOP",
      "SIGTSTP", "SIGBREAK", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
      "SIGPROF", "SIGWINCH", "SIGIO", "SIGPOLL", "SIGLOST", "SIGPWR", "SIGINFO", "SIGSYS",
      "SIGUNUSED"};

  private static Map<String, Integer> priorities() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("PRIORITY_LOW", 19);
    m.put("PRIORITY_BELOW_NORMAL", 10);
    m.put("PRIORITY_NORMAL", 0);
    m.put("PRIORITY_ABOVE_NORMAL", -7);
    m.put("PRIORITY_HIGH", -14);
    m.put("PRIORITY_HIGHEST", -20);
    return Collections.unmodifiableMap(m);
  }

  /** Node's validateInt32 of a pid. */
  private static void checkPid(long pid) {
    if (pid < Integer.MIN_VALUE || pid > Integer.MAX_VALUE) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"pid\" is out of range. It must be"
          + " >= -2147483648 && <= 2147483647. Received " + pid);
    }
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").startsWith("Windows");
  }

  private static Uname uname() {
    return call(Uv::uname, "uv_os_uname");
  }

  /** An address as Node prints it here: IPv6 compressed (RFC 5952), without the scope. */
  private static String text(InetAddress a) {
    try {
      return NetAddresses.format(InetAddress.getByAddress(a.getAddress()));
    } catch (java.net.UnknownHostException impossible) { // 4 or 16 bytes from an InetAddress
      throw new AssertionError(impossible);
    }
  }

  /** Whether the netmask's one bits all come first (Node's getCIDR gives null otherwise). */
  private static boolean contiguous(InetAddress netmask) {
    boolean zero = false;
    for (byte b : netmask.getAddress()) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = (b >> bit & 1) != 0;
        if (one && zero) {
          return false;
        }
        zero |= !one;
      }
    }
    return true;
  }

  @FunctionalInterface
  private interface Call<T> {
    T get() throws UvException;
  }

  /** Runs a libuv query; its failure becomes Node's ERR_SYSTEM_ERROR. */
  private static <T> T call(Call<T> call, String syscall) {
    try {
      return call.get();
    } catch (UvException e) {
      throw systemError(syscall, e.errorName(), e.description(), e);
    }
  }

  /** Node's ERR_SYSTEM_ERROR: "A system error occurred: uv_x returned CODE (description)". */
  private static NodeError systemError(String syscall, String code, String description, Throwable cause) {
    return new NodeError("ERR_SYSTEM_ERROR", "A system error occurred: " + syscall + " returned "
        + code + " (" + description + ")", cause);
  }
}
