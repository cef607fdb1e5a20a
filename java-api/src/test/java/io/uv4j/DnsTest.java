package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * libuv's DNS tests (test-getaddrinfo.c, test-getnameinfo.c, the DNS cases of
 * test-threadpool-cancel.c, v1.44.2) and the Java API around them. This machine has no external
 * network: names are "localhost" and numeric addresses, and the failing name is under the
 * reserved .invalid TLD, whose resolution fails with some EAI_* error.
 */
@ExtendWith(LeakCheck.class)
class DnsTest {
  private static final String INVALID = "example.invalid."; // a FQDN, as libuv's test uses

  private Loop loop;
  private Dns dns;

  @BeforeEach
  void createLoop() throws UvException {
    loop = Loop.create();
    dns = new Dns(loop);
  }

  /** Only does something after a failed test, so one failure does not cascade into leak reports. */
  @AfterEach
  void cleanUp() throws UvException {
    if (!loop.isClosed() && !loop.isRunning()) {
      loop.shutdown();
    }
  }

  private static InetSocketAddress loopback4(int port) throws Exception {
    return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
  }

  private static boolean hasLoopback4(List<InetSocketAddress> addrs) {
    return addrs.stream().anyMatch(a -> a.getAddress() instanceof Inet4Address
        && a.getAddress().isLoopbackAddress());
  }

  // test-getaddrinfo.c: getaddrinfo_basic
  @Test
  void getaddrinfo_basic() throws Exception {
    int[] calls = {0};
    List<List<InetSocketAddress>> results = new ArrayList<>();
    Thread[] callbackThread = new Thread[1];
    DnsRequest req = dns.getaddrinfo("localhost", null, null, (addrs, error) -> {
      calls[0]++;
      assertNull(error);
      callbackThread[0] = Thread.currentThread();
      results.add(addrs);
    });
    assertFalse(req.isDone());
    loop.run();
    assertTrue(req.isDone());
    assertEquals(1, calls[0]);
    assertSame(Thread.currentThread(), callbackThread[0]);
    List<InetSocketAddress> addrs = results.get(0);
    assertTrue(hasLoopback4(addrs), addrs.toString());
    // Each address once, although the resolver returns one entry per socket type.
    assertEquals(new HashSet<>(addrs).size(), addrs.size(), addrs.toString());
    // Named after the host looked up: no reverse lookup behind getHostString().
    assertEquals("localhost", addrs.get(0).getHostString());
    assertEquals(0, addrs.get(0).getPort());
    loop.close();
  }

  // test-getaddrinfo.c: getaddrinfo_basic_sync
  @Test
  void getaddrinfo_basic_sync() throws Exception {
    List<InetSocketAddress> addrs = Dns.getaddrinfoSync("localhost", null, null);
    assertTrue(hasLoopback4(addrs), addrs.toString());
    loop.close();
  }

  // test-getaddrinfo.c: getaddrinfo_fail
  @Test
  void getaddrinfo_fail() throws Exception {
    // libuv: EINVAL without host and service.
    assertThrows(IllegalArgumentException.class, () -> dns.getaddrinfo(null, null, null, (a, e) -> { }));
    int[] calls = {0};
    dns.getaddrinfo(INVALID, null, null, (addrs, error) -> {
      assertEquals(0, calls[0]++);
      assertNull(addrs);
      assertNotNull(error);
      assertTrue(error.code() < 0);
      assertTrue(error.errorName().startsWith("EAI_"), error.errorName());
      assertEquals("getaddrinfo", error.syscall());
      assertEquals(INVALID, error.path());
      assertTrue(error.getMessage().contains(INVALID), error.getMessage());
    });
    assertEquals(0, loop.run());
    assertEquals(1, calls[0]);
    loop.close();
  }

  // test-getaddrinfo.c: getaddrinfo_fail_sync
  @Test
  void getaddrinfo_fail_sync() throws Exception {
    UvException e = assertThrows(UvException.class, () -> Dns.getaddrinfoSync(INVALID, null, null));
    assertTrue(e.errorName().startsWith("EAI_"), e.errorName());
    assertEquals("getaddrinfo", e.syscall());
    assertEquals(INVALID, e.path());
    assertThrows(IllegalArgumentException.class, () -> Dns.getaddrinfoSync(null, null, null));
    loop.close();
  }

  // test-getaddrinfo.c: getaddrinfo_concurrent
  @Test
  void getaddrinfo_concurrent() throws Exception {
    int n = 10;
    int[] calls = new int[n];
    DnsRequest[] reqs = new DnsRequest[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      reqs[i] = dns.getaddrinfo("localhost", null, null, (addrs, error) -> {
        assertNull(error);
        assertTrue(hasLoopback4(addrs));
        calls[index]++;
      });
    }
    loop.run();
    for (int i = 0; i < n; i++) {
      assertEquals(1, calls[i], "request " + i);
      assertTrue(reqs[i].isDone());
    }
    loop.close();
  }

  // test-getnameinfo.c: getnameinfo_basic_ip4
  @Test
  void getnameinfo_basic_ip4() throws Exception {
    int[] calls = {0};
    NameInfo[] result = new NameInfo[1];
    Thread[] callbackThread = new Thread[1];
    dns.getnameinfo(loopback4(80), 0, (info, error) -> {
      calls[0]++;
      assertNull(error);
      callbackThread[0] = Thread.currentThread();
      result[0] = info;
    });
    loop.run();
    assertEquals(1, calls[0]);
    assertSame(Thread.currentThread(), callbackThread[0]);
    assertFalse(result[0].host().isEmpty());
    assertFalse(result[0].service().isEmpty());
    loop.close();
  }

  // test-getnameinfo.c: getnameinfo_basic_ip4_sync, plus numeric flags with exact answers
  @Test
  void getnameinfo_basic_ip4_sync() throws Exception {
    NameInfo info = Dns.getnameinfoSync(loopback4(80), 0);
    assertFalse(info.host().isEmpty());
    assertFalse(info.service().isEmpty());
    NameInfo numeric = Dns.getnameinfoSync(loopback4(80), Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV);
    assertEquals("127.0.0.1", numeric.host());
    assertEquals("80", numeric.service());
    loop.close();
  }

  // test-getnameinfo.c: getnameinfo_basic_ip6 (numeric, so the answer is exact)
  @Test
  void getnameinfo_basic_ip6() throws Exception {
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 8080);
    CompletableFuture<NameInfo> f = dns.getnameinfo(v6, Dns.NI_NUMERICHOST | Dns.NI_NUMERICSERV);
    loop.run(); // completes it
    NameInfo info = f.getNow(null);
    assertEquals("::1", info.host());
    assertEquals("8080", info.service());
    loop.close();
  }

  @Test
  void getnameinfoServiceName() throws Exception {
    NameInfo info = Dns.getnameinfoSync(loopback4(80), Dns.NI_NUMERICHOST);
    assertEquals(new NameInfo("127.0.0.1", "http"), info);
    loop.close();
  }

  @Test
  void getnameinfoRejectsUnresolvedAddresses() throws Exception {
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("localhost", 80);
    assertThrows(IllegalArgumentException.class, () -> dns.getnameinfo(unresolved, 0, (i, e) -> { }));
    assertThrows(IllegalArgumentException.class, () -> Dns.getnameinfoSync(unresolved, 0));
    assertThrows(NullPointerException.class, () -> Dns.getnameinfoSync(null, 0));
    loop.close();
  }

  /**
   * The pool's every thread blocked, so the DNS requests wait in libuv's queue where uv_cancel
   * can take them out.
   */
  private List<WorkRequest> blockThePool(CountDownLatch release) throws InterruptedException {
    int size = Uv.threadPoolSize();
    CountDownLatch allRunning = new CountDownLatch(size);
    List<WorkRequest> blockers = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      blockers.add(loop.queueWork(() -> {
        allRunning.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, error -> assertNull(error)));
    }
    assertTrue(allRunning.await(30, TimeUnit.SECONDS), "the pool threads did not all start");
    return blockers;
  }

  // test-threadpool-cancel.c: threadpool_cancel_getaddrinfo
  @Test
  void threadpool_cancel_getaddrinfo() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      blockThePool(release);
      int[] cancelled = {0};
      DnsCallback<List<InetSocketAddress>> cb = (addrs, error) -> {
        assertNull(addrs);
        assertEquals(Errno.EAI_CANCELED, error.code());
        assertEquals("EAI_CANCELED", error.errorName());
        cancelled[0]++;
      };
      List<DnsRequest> reqs = List.of(
          dns.getaddrinfo("fail", null, null, cb),
          dns.getaddrinfo(null, "fail", null, cb),
          dns.getaddrinfo("fail", "fail", null, cb),
          dns.getaddrinfo("fail", null, Dns.Hints.of(Dns.Family.UNSPEC), cb));
      int[] timerCalls = {0};
      new Timer(loop).start(10, t -> {
        for (DnsRequest r : reqs) {
          try {
            r.cancel();
          } catch (UvException e) {
            throw new AssertionError(e);
          }
        }
        t.close();
        release.countDown();
        timerCalls[0]++;
      });
      assertEquals(0, loop.run());
      assertEquals(1, timerCalls[0]);
      assertEquals(4, cancelled[0]);
      for (DnsRequest r : reqs) {
        assertTrue(r.isDone());
        assertEquals(Errno.EBUSY, assertThrows(UvException.class, r::cancel).code());
      }
    } finally {
      release.countDown();
    }
    loop.close();
  }

  // test-threadpool-cancel.c: threadpool_cancel_getnameinfo
  @Test
  void threadpool_cancel_getnameinfo() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try {
      blockThePool(release);
      int[] cancelled = {0};
      List<DnsRequest> reqs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        reqs.add(dns.getnameinfo(loopback4(80), 0, (info, error) -> {
          assertNull(info);
          assertEquals(Errno.EAI_CANCELED, error.code());
          cancelled[0]++;
        }));
      }
      for (DnsRequest r : reqs) {
        r.cancel();
      }
      release.countDown();
      assertEquals(0, loop.run());
      assertEquals(4, cancelled[0]);
    } finally {
      release.countDown();
    }
    loop.close();
  }

  /** A request that ran to completion cannot be cancelled. */
  @Test
  void cancelAfterCompletionIsEbusy() throws Exception {
    DnsRequest req = dns.getaddrinfo("127.0.0.1", null, null, (a, e) -> assertNull(e));
    loop.run();
    assertTrue(req.isDone());
    UvException e = assertThrows(UvException.class, req::cancel);
    assertEquals(Errno.EBUSY, e.code());
    loop.close();
  }

  @Test
  void ipv6LoopbackWithFamilyInet6() throws Exception {
    CompletableFuture<List<InetSocketAddress>> f =
        dns.getaddrinfo("::1", null, Dns.Hints.of(Dns.Family.INET6));
    loop.run();
    List<InetSocketAddress> addrs = f.getNow(null);
    assertFalse(addrs.isEmpty());
    for (InetSocketAddress a : addrs) {
      assertInstanceOf(Inet6Address.class, a.getAddress());
      assertTrue(a.getAddress().isLoopbackAddress());
    }
    assertEquals(InetAddress.getByName("::1"), addrs.get(0).getAddress());
    loop.close();
  }

  @Test
  void familyInetReturnsOnlyIpv4() throws Exception {
    List<InetSocketAddress> addrs = Dns.getaddrinfoSync("localhost", null, Dns.Hints.of(Dns.Family.INET));
    assertFalse(addrs.isEmpty());
    for (InetSocketAddress a : addrs) {
      assertInstanceOf(Inet4Address.class, a.getAddress());
    }
    loop.close();
  }

  @Test
  void numericHosts() throws Exception {
    Dns.Hints numeric = new Dns.Hints(Dns.Family.UNSPEC, Dns.SOCK_STREAM, 0, Dns.AI_NUMERICHOST);
    assertEquals(List.of(loopback4(0)), Dns.getaddrinfoSync("127.0.0.1", null, numeric));
    List<InetSocketAddress> v6 = Dns.getaddrinfoSync("::1", null, numeric);
    assertEquals(List.of(new InetSocketAddress(InetAddress.getByName("::1"), 0)), v6);
    // AI_NUMERICHOST never asks a resolver: a name is refused.
    UvException e = assertThrows(UvException.class, () -> Dns.getaddrinfoSync("localhost", null, numeric));
    assertEquals(Errno.EAI_NONAME, e.code());
    loop.close();
  }

  @Test
  void serviceNamesAndPorts() throws Exception {
    Dns.Hints tcp4 = new Dns.Hints(Dns.Family.INET, Dns.SOCK_STREAM, Dns.IPPROTO_TCP, 0);
    assertEquals(List.of(loopback4(80)), Dns.getaddrinfoSync("127.0.0.1", "http", tcp4));
    CompletableFuture<List<InetSocketAddress>> f = dns.getaddrinfo("127.0.0.1", "8080", tcp4);
    loop.run();
    assertEquals(List.of(loopback4(8080)), f.getNow(null));
    // Service only: without AI_PASSIVE the host is the loopback address.
    assertEquals(List.of(loopback4(443)), Dns.getaddrinfoSync(null, "443", tcp4));
    Dns.Hints passive = new Dns.Hints(Dns.Family.INET, Dns.SOCK_STREAM, 0, Dns.AI_PASSIVE);
    List<InetSocketAddress> wildcard = Dns.getaddrinfoSync(null, "80", passive);
    assertTrue(wildcard.get(0).getAddress().isAnyLocalAddress(), wildcard.toString());
    UvException e = assertThrows(UvException.class,
        () -> Dns.getaddrinfoSync("127.0.0.1", "no-such-service-uv4j", tcp4));
    assertTrue(e.errorName().startsWith("EAI_"), e.errorName());
    loop.close();
  }

  @Test
  void futuresCompleteOnTheLoopThread() throws Exception {
    Thread[] completedOn = new Thread[2];
    CompletableFuture<List<InetSocketAddress>> ok = dns.getaddrinfo("localhost", "http", null);
    ok.whenComplete((v, e) -> completedOn[0] = Thread.currentThread());
    CompletableFuture<List<InetSocketAddress>> bad = dns.getaddrinfo(INVALID, null, null);
    bad.whenComplete((v, e) -> completedOn[1] = Thread.currentThread());
    assertFalse(ok.isDone());
    loop.run();
    assertSame(Thread.currentThread(), completedOn[0]);
    assertSame(Thread.currentThread(), completedOn[1]);
    assertTrue(ok.get().stream().allMatch(a -> a.getPort() == 80));
    ExecutionException e = assertThrows(ExecutionException.class, bad::get);
    UvException cause = assertInstanceOf(UvException.class, e.getCause());
    assertTrue(cause.errorName().startsWith("EAI_"), cause.errorName());
    loop.close();
  }

  /** A request in flight keeps the loop from closing, like every request. */
  @Test
  void requestsInFlightKeepTheLoopOpen() throws Exception {
    int[] calls = {0};
    dns.getaddrinfo("localhost", null, null, (a, e) -> calls[0]++);
    UvException busy = assertThrows(UvException.class, loop::close);
    assertEquals(Errno.EBUSY, busy.code());
    assertTrue(loop.alive());
    loop.run();
    assertEquals(1, calls[0]);
    loop.close();
  }

  @Test
  void syncFormsWorkFromAnyThreadWhileTheLoopRuns() throws Exception {
    // The synchronous forms use no loop: other threads may call them at any time.
    List<Throwable> failures = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        try {
          for (int j = 0; j < 20; j++) {
            assertTrue(hasLoopback4(Dns.getaddrinfoSync("localhost", null, null)));
            assertEquals("127.0.0.1", Dns.getnameinfoSync(loopback4(80), Dns.NI_NUMERICHOST).host());
          }
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
    loop.close();
  }

  @Test
  void misuse() throws Exception {
    assertThrows(NullPointerException.class, () -> new Dns(null));
    assertThrows(NullPointerException.class, () -> dns.getaddrinfo("localhost", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> dns.getaddrinfo("local\0host", null, null, (a, e) -> { }));
    assertThrows(NullPointerException.class, () -> new Dns.Hints(null, 0, 0, 0));
    // A callback that throws stops the loop and run() rethrows it.
    dns.getaddrinfo("localhost", null, null, (a, e) -> {
      throw new IllegalStateException("boom");
    });
    assertEquals("boom", assertThrows(IllegalStateException.class, loop::run).getMessage());
    loop.close();
    assertThrows(IllegalStateException.class, () -> dns.getaddrinfo("localhost", null, null, (a, e) -> { }));
  }
}
