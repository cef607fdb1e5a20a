package io.uv4j;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
  /** Native uvj_dns, set by dns.c once submitted; 0 once the callback ran. */
  long address;
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
    if (address == 0) {
      throw new UvException(Errno.EBUSY, "uv_cancel", subject, null, "the DNS request has completed");
    }
    int r = nCancel(address);
    if (r != 0) {
      throw new UvException(r, "uv_cancel", subject, null,
          r == Errno.EBUSY ? "the lookup is already running" : null);
    }
  }

  /** Whether its callback has run. */
  @Override
  public boolean isDone() {
    return address == 0;
  }

  /** Called by dns.c: on the loop thread (async) or the calling thread (sync), exactly once. */
  void onAddrInfo(int status, Object[] addrs, int[] portsAndScopes) {
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
    address = 0;
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
        + (address == 0 ? ", done]" : ", queued or running]");
  }

  /** Returns 0, or the error of a request libuv refused at once. */
  static native int nGetaddrinfo(long loop, DnsRequest target, byte[] host, byte[] service,
      boolean hasHints, int family, int socktype, int protocol, int flags);

  static native int nGetnameinfo(long loop, DnsRequest target, byte[] address, int port,
      int scope, int flags);

  private static native int nCancel(long address);

  static native int[] nConstants();
}
