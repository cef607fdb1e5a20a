package io.uv4j;

import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Name resolution through libuv ({@code uv_getaddrinfo}, {@code uv_getnameinfo}), i.e. the
 * system resolver (hosts file, DNS, ...) run on libuv's thread pool, each in three forms: with a
 * callback run on the loop thread (returning a cancellable {@link DnsRequest}), as a
 * {@link CompletableFuture} completed on the loop thread, and synchronous ({@code ...Sync},
 * static, on the calling thread).
 *
 * <p>Errors are {@link UvException}s with libuv's {@code EAI_*} name (e.g. {@code EAI_NONAME} for
 * an unknown host, {@code EAI_AGAIN} when no name server answers), the call
 * ({@code "getaddrinfo"} / {@code "getnameinfo"}) and the host or address as
 * {@link UvException#path()}. In libuv 1.44 DNS requests use at most half of the pool's threads
 * at once, so slow lookups cannot starve file system work. If the answer cannot be turned into
 * Java objects (out of memory), the callback still runs, with {@code ENOMEM}.
 *
 * <pre>{@code
 * Dns dns = new Dns(loop);
 * dns.getaddrinfo("localhost", "http", Dns.Hints.of(Dns.Family.INET), (addrs, error) -> {
 *   System.out.println(addrs);   // [localhost/127.0.0.1:80]
 * });
 * NameInfo n = Dns.getnameinfoSync(new InetSocketAddress("127.0.0.1", 80), 0);
 * }</pre>
 */
public final class Dns {
  static {
    NativeLibrary.load();
  }

  private static final int[] C = DnsRequest.nConstants();

  /** {@link Hints} socket types. */
  public static final int SOCK_STREAM = C[0];
  public static final int SOCK_DGRAM = C[1];
  public static final int SOCK_RAW = C[2];
  /** {@link Hints} protocols. */
  public static final int IPPROTO_TCP = C[3];
  public static final int IPPROTO_UDP = C[4];
  /** {@link Hints} flags ({@code getaddrinfo}'s {@code AI_*}). */
  public static final int AI_PASSIVE = C[5];
  public static final int AI_CANONNAME = C[6];
  public static final int AI_NUMERICHOST = C[7];
  public static final int AI_NUMERICSERV = C[8];
  public static final int AI_V4MAPPED = C[9];
  public static final int AI_ALL = C[10];
  public static final int AI_ADDRCONFIG = C[11];
  /** {@link #getnameinfo} flags ({@code NI_*}). */
  public static final int NI_NUMERICHOST = C[12];
  public static final int NI_NUMERICSERV = C[13];
  public static final int NI_NOFQDN = C[14];
  public static final int NI_NAMEREQD = C[15];
  public static final int NI_DGRAM = C[16];

  /** Address family of {@link Hints}: any, IPv4 only, IPv6 only. */
  public enum Family {
    UNSPEC, INET, INET6
  }

  /**
   * {@code getaddrinfo}'s hints. 0 means "any" for socket type and protocol. Without hints (null)
   * the system's defaults apply (glibc: {@code AI_V4MAPPED | AI_ADDRCONFIG}, every socket type).
   */
  public static final class Hints {
    private final Family family;
    private final int socktype;
    private final int protocol;
    private final int flags;

    /**
     * @param family {@link Family#UNSPEC}, {@link Family#INET} or {@link Family#INET6}
     * @param socktype {@link #SOCK_STREAM}, {@link #SOCK_DGRAM}... or 0
     * @param protocol {@link #IPPROTO_TCP}, {@link #IPPROTO_UDP} or 0
     * @param flags {@code AI_*} flags, or 0
     * @throws IllegalArgumentException for a flag other than this class's {@code AI_*} constants
     *     (libuv 1.44 aborts on some of glibc's answers to others, e.g. {@code AI_IDN})
     * @throws NullPointerException if {@code family} is null
     */
    public Hints(Family family, int socktype, int protocol, int flags) {
      this.family = Objects.requireNonNull(family, "family");
      this.socktype = socktype;
      this.protocol = protocol;
      this.flags = checkFlags(flags, KNOWN_AI, "AI");
    }

    /** Only {@code family}, everything else 0. */
    public static Hints of(Family family) {
      return new Hints(family, 0, 0, 0);
    }

    public Family family() {
      return family;
    }

    public int socktype() {
      return socktype;
    }

    public int protocol() {
      return protocol;
    }

    public int flags() {
      return flags;
    }

    @Override
    public String toString() {
      return "Hints[" + family + ", socktype=" + socktype + ", protocol=" + protocol + ", flags=0x"
          + Integer.toHexString(flags) + "]";
    }
  }

  private final Loop loop;

  /** DNS requests of {@code loop}: callbacks and futures complete on its thread. */
  public Dns(Loop loop) {
    this.loop = Objects.requireNonNull(loop, "loop");
  }

  /** The loop whose thread completes this object's requests. */
  public Loop loop() {
    return loop;
  }

  // ------------------------------------------------------------------ getaddrinfo

  /**
   * {@code uv_getaddrinfo}: resolves {@code host} (a name or a numeric address; null for the
   * local or wildcard address, see {@link #AI_PASSIVE}) and {@code service} (a name such as
   * {@code "http"} or a port number; null for port 0). The result lists every IPv4 and IPv6
   * address the resolver returned, each once, in the resolver's order; the
   * {@link InetAddress}es carry {@code host} as their name, so no reverse lookup ever happens.
   *
   * @param hints null for the system's defaults
   * @return the request, which can be cancelled while it waits for a pool thread
   * @throws IllegalArgumentException if both host and service are null, or one contains NUL
   * @throws NullPointerException if {@code callback} is null
   * @throws UncheckedIOException if libuv refuses the request at once (e.g. {@code EINVAL} for a
   *     host name that cannot be converted to ASCII by IDNA)
   */
  public DnsRequest getaddrinfo(String host, String service, Hints hints,
      DnsCallback<List<InetSocketAddress>> callback) {
    Objects.requireNonNull(callback, "callback");
    byte[] h = name(host, "host");
    byte[] s = name(service, "service");
    checkHostOrService(host, service);
    loop.checkUsable();
    DnsRequest req = new DnsRequest(loop, "getaddrinfo", subject(host, service), host, callback);
    req.takeSlot();
    int r;
    try {
      r = getaddrinfo(loop.address, req, h, s, hints);
    } catch (RuntimeException | Error e) {
      req.releaseSlot();
      throw e;
    }
    if (r != 0) {
      req.releaseSlot();
      throw new UncheckedIOException(new UvException(r, "getaddrinfo", subject(host, service), null));
    }
    loop.requestStarted();
    return req;
  }

  /** {@link #getaddrinfo(String, String, Hints, DnsCallback)} as a future completed on the loop thread. */
  public CompletableFuture<List<InetSocketAddress>> getaddrinfo(String host, String service,
      Hints hints) {
    CompletableFuture<List<InetSocketAddress>> f = new CompletableFuture<>();
    getaddrinfo(host, service, hints, completer(f));
    return f;
  }

  /** {@link #getaddrinfo(String, String, Hints, DnsCallback)} on the calling thread. */
  @SuppressWarnings("unchecked")
  public static List<InetSocketAddress> getaddrinfoSync(String host, String service, Hints hints)
      throws UvException {
    byte[] h = name(host, "host");
    byte[] s = name(service, "service");
    checkHostOrService(host, service);
    DnsRequest req = new DnsRequest(null, "getaddrinfo", subject(host, service), host, null);
    getaddrinfo(0, req, h, s, hints);
    return (List<InetSocketAddress>) req.syncResult();
  }

  private static int getaddrinfo(long loop, DnsRequest req, byte[] h, byte[] s, Hints hints) {
    if (hints == null) {
      return DnsRequest.nGetaddrinfo(loop, req.index, req, h, s, false, 0, 0, 0, 0);
    }
    return DnsRequest.nGetaddrinfo(loop, req.index, req, h, s, true, hints.family.ordinal(), hints.socktype,
        hints.protocol, hints.flags);
  }

  // ------------------------------------------------------------------ getnameinfo

  /**
   * {@code uv_getnameinfo}: the host and service names of {@code address} (the reverse of
   * {@link #getaddrinfo}); {@code flags} are {@code NI_*} flags, or 0.
   *
   * @throws IllegalArgumentException if {@code address} is unresolved (it has no IP address), or
   *     {@code flags} has a bit other than this class's {@code NI_*} constants
   * @throws NullPointerException if {@code address} or {@code callback} is null
   */
  public DnsRequest getnameinfo(InetSocketAddress address, int flags, DnsCallback<NameInfo> callback) {
    Objects.requireNonNull(callback, "callback");
    InetAddress ip = ip(address);
    checkFlags(flags, KNOWN_NI, "NI");
    loop.checkUsable();
    DnsRequest req = new DnsRequest(loop, "getnameinfo", ip.getHostAddress(), null, callback);
    req.takeSlot();
    int r;
    try {
      r = DnsRequest.nGetnameinfo(loop.address, req.index, req, ip.getAddress(), address.getPort(),
          scope(ip), flags);
    } catch (RuntimeException | Error e) {
      req.releaseSlot();
      throw e;
    }
    if (r != 0) {
      req.releaseSlot();
      throw new UncheckedIOException(new UvException(r, "getnameinfo", ip.getHostAddress(), null));
    }
    loop.requestStarted();
    return req;
  }

  /** {@link #getnameinfo(InetSocketAddress, int, DnsCallback)} as a future completed on the loop thread. */
  public CompletableFuture<NameInfo> getnameinfo(InetSocketAddress address, int flags) {
    CompletableFuture<NameInfo> f = new CompletableFuture<>();
    getnameinfo(address, flags, completer(f));
    return f;
  }

  /** {@link #getnameinfo(InetSocketAddress, int, DnsCallback)} on the calling thread. */
  public static NameInfo getnameinfoSync(InetSocketAddress address, int flags) throws UvException {
    InetAddress ip = ip(address);
    checkFlags(flags, KNOWN_NI, "NI");
    DnsRequest req = new DnsRequest(null, "getnameinfo", ip.getHostAddress(), null, null);
    DnsRequest.nGetnameinfo(0, -1, req, ip.getAddress(), address.getPort(), scope(ip), flags);
    return (NameInfo) req.syncResult();
  }

  // ------------------------------------------------------------------ plumbing

  private static <T> DnsCallback<T> completer(CompletableFuture<T> f) {
    return (value, error) -> {
      if (error != null) {
        f.completeExceptionally(error);
      } else {
        f.complete(value);
      }
    };
  }

  private static byte[] name(String s, String what) {
    if (s == null) {
      return null;
    }
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains a NUL character: " + s.replace('\0', '?'));
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * libuv 1.44 aborts the process on an {@code EAI_*} code it does not know, and glibc returns
   * one ({@code EAI_IDN_ENCODE}) for some IDN flags: only the flags listed in this class pass.
   */
  private static int checkFlags(int flags, int known, String what) {
    if ((flags & ~known) != 0) {
      throw new IllegalArgumentException(what + " flags 0x" + Integer.toHexString(flags & ~known)
          + " are not supported (use the " + what + "_* constants of Dns)");
    }
    return flags;
  }

  private static final int KNOWN_AI = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV
      | AI_V4MAPPED | AI_ALL | AI_ADDRCONFIG;
  private static final int KNOWN_NI = NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD
      | NI_DGRAM;

  private static void checkHostOrService(String host, String service) {
    if (host == null && service == null) {
      throw new IllegalArgumentException("getaddrinfo needs a host or a service (libuv: EINVAL)");
    }
  }

  private static String subject(String host, String service) {
    return host != null ? host : service;
  }

  private static InetAddress ip(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    InetAddress ip = address.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("unresolved address: " + address);
    }
    return ip;
  }

  private static int scope(InetAddress ip) {
    return ip instanceof Inet6Address ? ((Inet6Address) ip).getScopeId() : 0;
  }
}
