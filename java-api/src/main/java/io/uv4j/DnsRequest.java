package io.uv4j;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A DNS request in flight ({@code uv_getaddrinfo_t} or {@code uv_getnameinfo_t}), returned by the
 * callback forms of {@link Dns}. It runs on libuv's thread pool; its callback runs exactly once
 * on the loop thread.
 *
 * <pre>{@code
 * DnsRequest r = dns.getaddrinfo("example.com", "https", null, (addrs, error) -> { ... });
 * r.cancel();   // if still queued: the callback gets EAI_CANCELED
 * }</pre>
 */
public final class DnsRequest extends Request {
  private final Loop loop; // null for the synchronous form
  private final String syscall;
  /** The host (or service) or address the request is about: the error's path. */
  private final String subject;
  /** The host name given to getaddrinfo, kept as the name of the resulting InetAddresses. */
  private final String host;
  /**
   * The index in the loop's request table while queued or running (how native code knows this
   * request: dns.c, and its completion record); -1 before submission and once completed.
   */
  int index = -1;
  private DnsCallback<?> callback;

  Object value;
  UvException error;

  DnsRequest(Loop loop, String syscall, String subject, String host, DnsCallback<?> callback) {
    this.loop = loop;
    this.syscall = syscall;
    this.subject = subject;
    this.host = host;
    this.callback = callback;
  }

  /**
   * {@code uv_cancel}: a request still waiting in the pool's queue is cancelled and its callback
   * gets {@code EAI_CANCELED} (libuv's code for a cancelled DNS request).
   *
   * @throws UvException {@code EBUSY} if the lookup is running or has completed
   */
  @Override
  public void cancel() throws UvException {
    loop.checkUsable();
    if (index < 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", subject, null, "the DNS request has completed");
    }
    int r = nCancel(loop.address, index);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", subject, null,
          r == Errno.EBUSY ? "the lookup is already running" : null);
    }
  }

  /** Whether its callback has run. */
  @Override
  public boolean isDone() {
    return index < 0;
  }

  /** Called by dns.c: on the loop thread (async) or the calling thread (sync), exactly once. */
  /** Takes this request's index in the loop's table, before submission. Loop thread. */
  void takeSlot() {
    index = loop.takeSlot(this);
  }

  /** Gives the index back: libuv refused the request at once, or the submission threw. */
  void releaseSlot() {
    if (index >= 0) {
      loop.releaseSlot(index);
      index = -1;
    }
  }

  /**
   * A completion record of the loop's batch (Loop.onCompletions, which released the index):
   * getaddrinfo's entries (count, then per entry a long {@code length | port << 8 | scope << 32}
   * and 16 address bytes) or getnameinfo's names (host length | service length << 32, then
   * their UTF-8 bytes).
   */
  void onRecord(boolean addrInfo, int status, ByteBuffer b, int at) {
    index = -1;
    Object result = null;
    Throwable failure = null;
    if (status == 0) {
      try {
        result = addrInfo ? addresses(host, b, at) : names(b, at);
      } catch (Throwable t) { // out of memory: the callback still runs, with ENOMEM (cause: t)
        failure = t;
      }
    }
    complete(status, result, failure);
  }

  /** The record's length after its header, in bytes (Loop.onCompletions skips it). */
  static int recordLength(boolean addrInfo, ByteBuffer b, int at) {
    long first = b.getLong(at);
    if (addrInfo) {
      return 8 * (1 + 3 * (int) first);
    }
    int bytes = (int) first + (int) (first >>> 32);
    return 8 * (1 + (bytes + 7) / 8);
  }

  private static List<InetSocketAddress> addresses(String host, ByteBuffer b, int at) {
    int n = (int) b.getLong(at);
    Object[] addrs = new Object[n];
    int[] meta = new int[2 * n];
    for (int i = 0; i < n; i++) {
      int e = at + 8 + 24 * i;
      long m = b.getLong(e);
      byte[] a = new byte[(int) (m & 0xff)];
      b.get(e + 8, a);
      addrs[i] = a;
      meta[2 * i] = (int) ((m >>> 8) & 0xffff);
      meta[2 * i + 1] = (int) (m >>> 32);
    }
    return addresses(host, addrs, meta);
  }

  private static NameInfo names(ByteBuffer b, int at) {
    long m = b.getLong(at);
    byte[] h = new byte[(int) m];
    byte[] s = new byte[(int) (m >>> 32)];
    b.get(at + 8, h);
    b.get(at + 8 + h.length, s);
    return new NameInfo(utf8(h), utf8(s));
  }

  /** The synchronous form's outcome, and an asynchronous one too large for a record. */
  void onAddrInfo(int status, Object[] addrs, int[] portsAndScopes) {
    releaseSlot();
    Object result = null;
    Throwable failure = null;
    if (status == 0) {
      try {
        result = addresses(host, addrs, portsAndScopes);
      } catch (Throwable t) { // out of memory: the callback still runs, with ENOMEM (cause: t)
        failure = t;
      }
    }
    complete(status, result, failure);
  }

  /** Called by dns.c, like onAddrInfo. */
  /** The synchronous form's outcome. */
  void onNameInfo(int status, byte[] hostName, byte[] service) {
    Object result = null;
    Throwable failure = null;
    if (status == 0) {
      try {
        result = new NameInfo(utf8(hostName), utf8(service));
      } catch (Throwable t) {
        failure = t;
      }
    }
    complete(status, result, failure);
  }

  private void complete(int status, Object result, Throwable failure) {
    if (failure != null) {
      error = new UvException(failure instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EINVAL,
          syscall, subject, null, "the result could not be built: " + failure);
      error.initCause(failure);
    } else if (status < 0) {
      error = new UvException(status, syscall, subject, null);
    } else {
      value = result;
    }
    if (loop == null) {
      return;
    }
    loop.requestDone();
    @SuppressWarnings("unchecked")
    DnsCallback<Object> cb = (DnsCallback<Object>) callback;
    callback = null;
    try {
      cb.done(value, error);
    } catch (Throwable t) {
      loop.callbackFailed(this, t);
    }
  }

  /** After a synchronous call: the value, or the error thrown. */
  Object syncResult() throws UvException {
    if (error != null) {
      throw error;
    }
    return value;
  }

  /** The resolver's IPv4/IPv6 entries, each address once, in the resolver's order. */
  private static List<InetSocketAddress> addresses(String host, Object[] addrs, int[] meta) {
    Set<InetSocketAddress> out = new LinkedHashSet<>();
    for (int i = 0; i < addrs.length; i++) {
      byte[] a = (byte[]) addrs[i];
      int port = meta[2 * i];
      int scope = meta[2 * i + 1];
      try {
        // Named after the host looked up, so getHostName() never triggers a reverse lookup.
        InetAddress ia = a.length == 16
            ? Inet6Address.getByAddress(host, a, scope != 0 ? scope : -1)
            : InetAddress.getByAddress(host, a);
        out.add(new InetSocketAddress(ia, port));
      } catch (UnknownHostException impossible) { // only for a length other than 4 or 16
        throw new IllegalStateException(impossible);
      }
    }
    return Collections.unmodifiableList(new ArrayList<>(out));
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "DnsRequest[" + syscall + (subject != null ? " '" + subject + "'" : "")
        + (index < 0 ? ", done]" : ", queued or running]");
  }

  /** Returns 0, or the error of a request libuv refused at once. */
  /** loop 0: the synchronous form (index -1), delivered to target.onAddrInfo before the return. */
  static native int nGetaddrinfo(long loop, int index, DnsRequest target, byte[] host,
      byte[] service, boolean hasHints, int family, int socktype, int protocol, int flags);

  /** loop 0: the synchronous form (index -1), delivered to target.onNameInfo before the return. */
  static native int nGetnameinfo(long loop, int index, DnsRequest target, byte[] address, int port,
      int scope, int flags);

  private static native int nCancel(long loop, int index);

  static native int[] nConstants();
}
