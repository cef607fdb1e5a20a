package io.uv4j;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * {@link Uv}'s system information (sysinfo.c, os.c): CPUs and CPU affinity, network interfaces,
 * the host, users; the native answers (arrays of bytes and longs) turned into uv4j's records.
 * The natives stay declared on {@code Uv}, whose table {@code RegisterNatives} fills.
 */
final class UvSystem {
  private UvSystem() {}

  /** {@link Uv#cpuInfo()}. */
  static List<CpuInfo> cpuInfo() throws UvException {
    Object[] r = Uv.nCpuInfo();
    byte[][] models = (byte[][]) r[0];
    long[] t = (long[]) r[1];
    List<CpuInfo> out = new ArrayList<>(models.length);
    for (int i = 0; i < models.length; i++) {
      out.add(new CpuInfo(utf8(models[i]), (int) t[6 * i], t[6 * i + 1], t[6 * i + 2], t[6 * i + 3],
          t[6 * i + 4], t[6 * i + 5]));
    }
    return Collections.unmodifiableList(out);
  }

  /** {@link Uv#interfaceAddresses()}: IPv4 and IPv6 entries only. */
  static List<InterfaceAddress> interfaceAddresses() throws UvException {
    Object[] r = Uv.nInterfaces();
    byte[][] names = (byte[][]) r[0];
    byte[][] macs = (byte[][]) r[1];
    byte[][] addrs = (byte[][]) r[2];
    byte[][] masks = (byte[][]) r[3];
    byte[] internal = (byte[]) r[4];
    List<InterfaceAddress> out = new ArrayList<>(names.length);
    for (int i = 0; i < names.length; i++) {
      if (addrs[i] == null || masks[i] == null) {
        continue;
      }
      String name = utf8(names[i]);
      out.add(new InterfaceAddress(name, inet(addrs[i]), inet(masks[i]), macs[i], internal[i] != 0));
    }
    return Collections.unmodifiableList(out);
  }

  /** Address bytes as uvj_sockaddr_to_java lays them out: ip(4|16) + port(2) [+ scope(4)]. */
  private static InetAddress inet(byte[] b) {
    try {
      if (b.length == 6) {
        return InetAddress.getByAddress(Arrays.copyOf(b, 4));
      }
      byte[] ip = Arrays.copyOf(b, 16);
      int scope = ((b[18] & 0xff) << 24) | ((b[19] & 0xff) << 16) | ((b[20] & 0xff) << 8) | (b[21] & 0xff);
      return scope != 0 ? Inet6Address.getByAddress(null, ip, scope) : InetAddress.getByAddress(ip);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** {@link Uv#uname()}. */
  static Uname uname() throws UvException {
    byte[][] f = Uv.nUname();
    return new Uname(utf8(f[0]), utf8(f[1]), utf8(f[2]), utf8(f[3]));
  }

  /** {@link Uv#passwd(long)}: checks the uid. */
  static Passwd passwd(long uid) throws UvException {
    if (uid < 0 || uid > 0xffffffffL) {
      throw new IllegalArgumentException("uid must be 0..2^32-1: " + uid);
    }
    return passwd(Uv.nPasswd2(uid));
  }

  /** A password entry as the natives answer it: name, {uid, gid}, shell (or null), home. */
  static Passwd passwd(Object[] r) {
    long[] ids = (long[]) r[1];
    return new Passwd(utf8((byte[]) r[0]), ids[0], ids[1], r[2] == null ? null : utf8((byte[]) r[2]),
        utf8((byte[]) r[3]));
  }

  /** {@link Uv#setCurrentThreadAffinity}: checks the mask, answers the previous one. */
  static boolean[] setCurrentThreadAffinity(boolean[] mask) throws UvException {
    Objects.requireNonNull(mask, "mask");
    int size = Uv.nCpumaskSize(); // throws UnsupportedOperationException first on an old libuv
    if (mask.length != size) {
      throw new IllegalArgumentException("the mask needs " + size + " entries, not " + mask.length);
    }
    byte[] b = new byte[size];
    boolean any = false;
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (mask[i] ? 1 : 0);
      any |= mask[i];
    }
    if (!any) {
      throw new IllegalArgumentException("the mask selects no CPU");
    }
    return booleans(Uv.nThreadSetAffinity(b));
  }

  static boolean[] booleans(byte[] b) {
    boolean[] out = new boolean[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] != 0;
    }
    return out;
  }

  /** Strings from the system are UTF-8; bytes that are not become U+FFFD. */
  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
