package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.Tcp;
import io.uv4j.UvException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The checks and socket settings of a TCP connect (Node's lookupAndConnect argument checks,
 * internalConnect's bind before connecting, and the keep-alive as libuv 1.46 applies it).
 */
final class NetConnect {
  private NetConnect() {}

  /** Node's checks of {@code socket.connect(options)}, in Node's order; throws Node's errors. */
  static void check(Net.ConnectOptions options) {
    if (options.localAddress() != null && !options.localAddress().isEmpty() && Net.isIP(options.localAddress()) == 0) {
      throw new NodeError("ERR_INVALID_IP_ADDRESS", "Invalid IP address: " + options.localAddress());
    }
    int port = options.port();
    if (port < 0 || port > 65535) {
      throw new NodeError("ERR_SOCKET_BAD_PORT", "Port should be >= 0 and < 65536. Received type number (" + port + ").");
    }
    if (options.autoSelectFamilyAttemptTimeout() < 1) {
      throw new NodeError("ERR_OUT_OF_RANGE", "The value of \"options.autoSelectFamilyAttemptTimeout\" is out of range. "
          + "It must be >= 1 && <= 2147483647. Received " + options.autoSelectFamilyAttemptTimeout());
    }
    String h = options.host() != null && !options.host().isEmpty() ? options.host() : "localhost";
    int family = options.family();
    boolean useDns = options.lookup() == null;
    if (Net.isIP(h) == 0 && useDns) { // dns.lookup's checks: hints, then family
      if ((options.hints() & ~(io.uv4j.Dns.AI_ADDRCONFIG | io.uv4j.Dns.AI_ALL | io.uv4j.Dns.AI_V4MAPPED)) != 0) {
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The argument 'hints' is invalid. Received " + options.hints());
      }
      if (family != 0 && family != 4 && family != 6) {
        throw new NodeError("ERR_INVALID_ARG_VALUE", "The property 'options.family' must be one of: 0, 4, 6. Received " + family);
      }
    }
  }

  /**
   * Node's bind before connect (internalConnect, internalConnectMultiple): {@code address} of
   * the family {@code type} (another family: EINVAL, as uv_ip4_addr/uv_ip6_addr fail), the port
   * taken as 16 bits as libuv does, then Node's checkBindError (a port other than the one asked
   * for: EADDRINUSE). Null on success.
   */
  static SystemError bindLocal(Tcp h, int type, String address, int port) {
    try {
      InetAddress ip = Net.literal(address);
      if ((ip instanceof java.net.Inet6Address ? 6 : 4) != type) {
        throw new UvException(Errno.EINVAL, "bind");
      }
      h.bind(new InetSocketAddress(ip, port & 0xffff));
      if (port > 0 && h.localAddress().getPort() != port) {
        throw new UvException(Errno.EADDRINUSE, "bind");
      }
      return null;
    } catch (UvException e) {
      return SystemError.withHostPort(e, "bind", address, port);
    }
  }

  /** libuv's keep-alive as Node gets it: a delay under 1 s is the system's idle time; failures ignored. */
  static void keepAlive(Tcp h, boolean enable, int delaySecs) {
    try {
      h.keepAlive(enable, enable && delaySecs < 1 ? systemKeepAliveTime() : delaySecs);
    } catch (UvException | IllegalArgumentException e) {
      // Node ignores the status of setKeepAlive
    }
  }

  private static int systemKeepAliveTime() {
    try {
      return Math.max(1, Integer.parseInt(java.nio.file.Files.readString(
          java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_keepalive_time")).trim()));
    } catch (java.io.IOException | RuntimeException e) {
      return 7200; // Linux's default
    }
  }
}
