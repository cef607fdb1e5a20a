package io.uv4j;

import java.util.Objects;

/**
 * The result of {@link Dns#getnameinfo}: a host name (or the numeric address) and a service name
 * (or the numeric port), as the system resolver reports them.
 *
 * <pre>{@code
 * NameInfo n = Dns.getnameinfoSync(new InetSocketAddress("127.0.0.1", 80), 0);
 * System.out.println(n.host() + ":" + n.service());   // localhost:http
 * }</pre>
 */
public final class NameInfo {
  private final String host;
  private final String service;

  NameInfo(String host, String service) {
    this.host = host;
    this.service = service;
  }

  /** The host name, e.g. {@code "localhost"}, or the address with {@link Dns#NI_NUMERICHOST}. */
  public String host() {
    return host;
  }

  /** The service name, e.g. {@code "http"}, or the port with {@link Dns#NI_NUMERICSERV}. */
  public String service() {
    return service;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NameInfo && host.equals(((NameInfo) o).host)
        && service.equals(((NameInfo) o).service);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, service);
  }

  @Override
  public String toString() {
    return "NameInfo[host=" + host + ", service=" + service + "]";
  }
}
