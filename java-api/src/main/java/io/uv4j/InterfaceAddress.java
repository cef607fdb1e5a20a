package io.uv4j;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * One address of a network interface ({@code uv_interface_addresses}): an interface with
 * several addresses appears once per address.
 *
 *
 * <pre>{@code
 * for (InterfaceAddress a : Uv.interfaceAddresses()) {
 *   if (!a.internal()) System.out.println(a.name() + " " + a.address().getHostAddress());
 * }
 * }</pre>
 *
 * @param name the interface name, e.g. {@code "lo"} or {@code "eth0"}
 * @param address the address (an {@link Inet6Address} carries the interface's scope id)
 * @param netmask the netmask, of the same family
 * @param mac the 6-byte hardware address (all zero for loopback and where there is none); a copy
 * @param internal whether it is an internal (loopback) interface
 */
public record InterfaceAddress(String name, InetAddress address, InetAddress netmask, byte[] mac,
    boolean internal) {

  public InterfaceAddress {
    mac = mac.clone();
  }

  /** The 6-byte hardware address; a copy. */
  @Override
  public byte[] mac() {
    return mac.clone();
  }

  /** The number of leading one bits of the netmask (the CIDR prefix length). */
  public int prefixLength() {
    int n = 0;
    for (byte b : netmask.getAddress()) {
      n += Integer.bitCount(b & 0xff);
    }
    return n;
  }

  /** The hardware address as {@code 00:11:22:33:44:55}. */
  public String macString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < mac.length; i++) {
      sb.append(i == 0 ? "" : ":").append(String.format("%02x", mac[i] & 0xff));
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InterfaceAddress a && a.name.equals(name) && a.address.equals(address)
        && a.netmask.equals(netmask) && Arrays.equals(a.mac, mac) && a.internal == internal;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + address.hashCode()) * 31 + Arrays.hashCode(mac);
  }

  @Override
  public String toString() {
    return name + " " + address.getHostAddress() + "/" + prefixLength() + " mac " + macString()
        + (internal ? " internal" : "");
  }
}
