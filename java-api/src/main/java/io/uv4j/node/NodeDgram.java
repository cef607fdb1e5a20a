package io.uv4j.node;

import io.uv4j.Errno;
import io.uv4j.Udp;
import io.uv4j.UdpAddress;
import io.uv4j.UdpRecvCallback;
import io.uv4j.UvException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's {@code dgram} module on a {@link NodeRuntime}: {@link #createSocket} gives a
 * {@link Socket} over a libuv {@link Udp} handle, with Node 20's event order (lib/dgram.js):
 * {@code 'listening'} on the tick after {@code bind} (Node resolves the address first), send
 * callbacks on a later tick, {@code 'message'} {@code (byte[] msg, Rinfo rinfo)} as datagrams
 * arrive, {@code 'connect'} after {@link Socket#connect}, {@code 'close'} on the tick after
 * {@link Socket#close}, and {@code 'error'}. Host names (also "localhost") are looked up with
 * {@code dns.lookup}, as Node does for bind, send and connect.
 *
 * <pre>{@code
 * NodeDgram.Socket server = NodeDgram.of(node).createSocket("udp4", a -> {
 *   NodeDgram.Rinfo from = (NodeDgram.Rinfo) a[1];
 *   System.out.println(new String((byte[]) a[0], StandardCharsets.UTF_8) + " from " + from.address());
 * });
 * server.bind(41234, "127.0.0.1", () -> {
 *   NodeDgram.Socket client = NodeDgram.of(node).createSocket("udp4");
 *   client.send("hi".getBytes(StandardCharsets.UTF_8), 41234, "localhost", (err, n) -> client.close());
 * });
 * }</pre>
 */
public final class NodeDgram {
  private final NodeRuntime node;

  private NodeDgram(NodeRuntime node) {
    this.node = node;
  }

  /** The module for {@code node}. */
  public static NodeDgram of(NodeRuntime node) {
    return new NodeDgram(Objects.requireNonNull(node, "node"));
  }

  /**
   * {@code dgram.createSocket(type)}: {@code "udp4"} or {@code "udp6"}.
   *
   * @throws NodeError ERR_SOCKET_BAD_TYPE for another type
   */
  public Socket createSocket(String type) {
    return createSocket(type, null);
  }

  /** {@code dgram.createSocket(type, listener)}: {@code listener} is added for 'message'. */
  public Socket createSocket(String type, EventEmitter.Listener onMessage) {
    node.checkThread();
    if (!"udp4".equals(type) && !"udp6".equals(type)) {
      throw new NodeError("ERR_SOCKET_BAD_TYPE", "Bad socket type specified. Valid types are: udp4, udp6");
    }
    Socket s = new Socket(node, type.equals("udp6"));
    if (onMessage != null) {
      s.on("message", onMessage);
    }
    return s;
  }

  /** A datagram's sender, Node's {@code rinfo}. */
  public record Rinfo(String address, String family, int port, int size) {}

  /** A socket address as Node's {@code socket.address()} gives it. */
  public record AddressInfo(String address, String family, int port) {}

  /** What {@link Socket#send} calls: {@code (error, bytes)}; error null on success. */
  @FunctionalInterface
  public interface SendCallback {
    void done(Throwable error, int bytes);
  }

  /** {@code dgram.Socket}. All methods run on the runtime's thread. */
  public static final class Socket extends EventEmitter {
    private static final int UNBOUND = 0;
    private static final int BINDING = 1;
    private static final int BOUND = 2;
    private static final int DISCONNECTED = 0;
    private static final int CONNECTING = 1;
    private static final int CONNECTED = 2;

    private final NodeRuntime node;
    private final boolean ipv6;
    private Udp handle;
    private int bindState = UNBOUND;
    private int connectState = DISCONNECTED;
    private List<Runnable> queue;
    private boolean receiving;
    /** Node's handle gets its socket at the first bind attempt; before it, getsockname is EBADF. */
    private boolean bindAttempted;

    Socket(NodeRuntime node, boolean ipv6) {
      this.node = node;
      this.ipv6 = ipv6;
      this.handle = new Udp(node.loop(), ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
    }

    private void healthCheck() {
      if (handle == null) {
        throw new NodeError("ERR_SOCKET_DGRAM_NOT_RUNNING", "Not running");
      }
    }

    private String family() {
      return ipv6 ? "IPv6" : "IPv4";
    }

    /** The answer of {@link #lookup}: an address, or the lookup's error. */
    private interface Resolved {
      void done(NodeError err, InetAddress ip);
    }

    /**
     * Node's lookup4/lookup6: {@code dns.lookup(address, family)}, answered on a later tick
     * (names, "localhost" included, through getaddrinfo; an empty or null address is the
     * loopback address of the socket's family). An IP literal of the other family
     * is answered as it is: binding or sending to it then fails with EINVAL, as in Node.
     */
    private void lookup(String address, Resolved cb) {
      // Node's lookup4/lookup6: lookup(address || '127.0.0.1' / '::1', ...): dns.lookup would
      // answer a null address for an empty or missing one
      String name = address == null || address.isEmpty() ? (ipv6 ? "::1" : "127.0.0.1") : address;
      NodeDns.of(node).lookup(name, ipv6 ? 6 : 4, (err, a) -> {
        if (err != null) {
          cb.done(err, null);
        } else {
          cb.done(null, Net.literal(a.address()));
        }
      });
    }

    /** EINVAL, libuv's answer to an address of the other family (uv_ip4_addr failing). */
    private boolean wrongFamily(InetAddress ip) {
      return (ip instanceof Inet6Address) != ipv6;
    }

    private static void checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new NodeError("ERR_SOCKET_BAD_PORT", "Port should be > 0 and < 65536. Received type number (" + port + ").");
      }
    }

    // ---------------------------------------------------------------- bind

    /** {@code bind()}: any address, an ephemeral port. */
    public Socket bind() {
      return bind(0, null, null);
    }

    /** {@code bind(port)}. */
    public Socket bind(int port) {
      return bind(port, null, null);
    }

    /**
     * {@code bind(port, address, callback)}: {@code callback} (may be null) is added as a
     * once-listener of 'listening'. {@code address} (null or empty: any address) goes through
     * {@code dns.lookup} for the socket's family; lookup and bind failures (ENOTFOUND,
     * EADDRINUSE, EINVAL for an address of the other family...) are 'error' events. Like
     * Node 20, the port is not checked: it is taken modulo 65536.
     *
     * @throws NodeError ERR_SOCKET_ALREADY_BOUND, ERR_SOCKET_DGRAM_NOT_RUNNING
     */
    public Socket bind(int port, String address, Runnable callback) {
      healthCheck();
      if (bindState != UNBOUND) {
        throw new NodeError("ERR_SOCKET_ALREADY_BOUND", "Socket is already bound");
      }
      bindState = BINDING;
      if (callback != null) {
        once("listening", callback);
      }
      int p = port & 0xffff; // Node hands the number to a uint16_t
      String addr = address == null || address.isEmpty() ? (ipv6 ? "::" : "0.0.0.0") : address;
      lookup(addr, (err, ip) -> {
        if (handle == null) {
          return;
        }
        if (err != null) {
          bindState = UNBOUND;
          emit("error", err);
          return;
        }
        bindAttempted = true;
        try {
          if (wrongFamily(ip)) {
            throw new UvException(Errno.EINVAL, "bind");
          }
          handle.bind(new InetSocketAddress(ip, p), 0);
        } catch (UvException e) {
          bindState = UNBOUND;
          emit("error", SystemError.withHostPort(e, "bind", NetAddresses.format(ip), p));
          return;
        }
        startListening();
      });
      return this;
    }

    private void startListening() {
      handle.recvStart(receiver);
      receiving = true;
      bindState = BOUND;
      emit("listening");
      List<Runnable> q = queue;
      queue = null;
      if (q != null) {
        for (Runnable r : q) {
          r.run();
        }
      }
    }

    private void bindImplicitly() {
      if (bindState == UNBOUND) {
        bind(0, null, null);
      }
    }

    private void enqueue(Runnable r) {
      if (queue == null) {
        queue = new ArrayList<>();
        once("error", a -> queue = null);
      }
      queue.add(r);
    }

    private final UdpRecvCallback receiver = new UdpRecvCallback() {
      @Override
      public void onDatagram(Udp udp, ByteBuffer data, UdpAddress sender, boolean partial) {
        byte[] msg = new byte[data.remaining()];
        data.get(msg);
        InetSocketAddress from = sender == null ? null : sender.toInetSocketAddress();
        node.makeCallback(() -> {
          Rinfo r = new Rinfo(from == null ? null : NetAddresses.format(from.getAddress()),
              from == null ? null : from.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4",
              from == null ? 0 : from.getPort(), msg.length);
          emit("message", msg, r);
        });
      }

      @Override
      public void onError(Udp udp, UvException error) {
        node.makeCallback(() -> emit("error", SystemError.errno(error, "recvmsg")));
      }
    };

    // ---------------------------------------------------------------- send

    /** {@code send(msg, port, address, callback)} (UTF-8 text). */
    public void send(String msg, int port, String address, SendCallback callback) {
      send(Encodings.utf8Bytes(msg), port, address, callback);
    }

    /** {@code send(msg, port, address, callback)}; {@code address} null is localhost. */
    public void send(byte[] msg, int port, String address, SendCallback callback) {
      send(msg, 0, msg.length, port, address, callback);
    }

    /** {@code send(msg, callback)} on a connected socket (UTF-8 text). */
    public void send(String msg, SendCallback callback) {
      send(Encodings.utf8Bytes(msg), callback);
    }

    /** {@code send(msg, callback)} on a connected socket. */
    public void send(byte[] msg, SendCallback callback) {
      Objects.requireNonNull(msg, "msg");
      sendInternal(msg.clone(), 0, null, callback, true);
    }

    /**
     * {@code send(msg, offset, length, callback)} on a connected socket: one datagram of
     * {@code msg[offset, offset+length)}.
     *
     * @throws NodeError ERR_BUFFER_OUT_OF_BOUNDS (Node's checks), ERR_SOCKET_DGRAM_NOT_CONNECTED
     */
    public void send(byte[] msg, int offset, int length, SendCallback callback) {
      sendInternal(DgramBuffers.slice(msg, offset, length), 0, null, callback, true);
    }

    /**
     * {@code send([buf1, buf2...], port, address, callback)}: the buffers, concatenated, as ONE
     * datagram (Node hands the list to a single sendmsg); an empty list sends an empty datagram.
     * {@code address} null is localhost.
     *
     * @throws NodeError ERR_SOCKET_DGRAM_IS_CONNECTED on a connected socket, ERR_SOCKET_BAD_PORT,
     *     ERR_SOCKET_DGRAM_NOT_RUNNING after close
     * @throws NullPointerException if {@code msgs} or one of its buffers is null
     */
    public void send(java.util.List<byte[]> msgs, int port, String address, SendCallback callback) {
      byte[] all = DgramBuffers.concat(msgs);
      if (connectState == CONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
      }
      checkPort(port);
      sendInternal(all, port, address == null ? (ipv6 ? "::1" : "127.0.0.1") : address, callback, false);
    }

    /** {@code send([buf1, buf2...], callback)} on a connected socket: one datagram, concatenated. */
    public void send(java.util.List<byte[]> msgs, SendCallback callback) {
      sendInternal(DgramBuffers.concat(msgs), 0, null, callback, true);
    }

    /**
     * {@code send(msg, offset, length, port, address, callback)}: one datagram of
     * {@code msg[offset, offset+length)}; binds the socket first if needed (then the datagram
     * waits for 'listening'). {@code callback} (may be null) gets {@code (null, bytes)} or the
     * error on a later tick; without callback, errors are 'error' events.
     *
     * @throws NodeError ERR_SOCKET_DGRAM_NOT_RUNNING after close, ERR_SOCKET_DGRAM_IS_CONNECTED
     *     with an address on a connected socket, ERR_SOCKET_BAD_PORT, ERR_BUFFER_OUT_OF_BOUNDS
     *     (Node's checks, {@code offset} and {@code length} taken as unsigned)
     */
    public void send(byte[] msg, int offset, int length, int port, String address, SendCallback callback) {
      byte[] copy = DgramBuffers.slice(msg, offset, length);
      if (connectState == CONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
      }
      checkPort(port);
      sendInternal(copy, port, address == null ? (ipv6 ? "::1" : "127.0.0.1") : address, callback, false);
    }

    private void sendInternal(byte[] data, int port, String address, SendCallback callback, boolean connectedForm) {
      healthCheck();
      if (connectedForm && connectState != CONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
      }
      bindImplicitly();
      if (bindState != BOUND) {
        enqueue(() -> sendInternal(data, port, address, callback, connectedForm));
        return;
      }
      if (connectedForm) {
        doSend(null, data, null, 0, callback);
      } else {
        lookup(address, (err, ip) -> {
          if (handle == null) {
            return;
          }
          if (err != null) { // Node: to the callback, else an 'error' event, on the next tick
            node.nextTick(() -> {
              if (callback != null) {
                callback.done(err, 0);
              } else {
                emit("error", err);
              }
            });
            return;
          }
          doSend(ip, data, address, port, callback);
        });
      }
    }

    private void doSend(InetAddress ip, byte[] data, String address, int port, SendCallback callback) {
      if (handle != null) {
        DgramSend.send(node, handle, ip != null && wrongFamily(ip), ip, data, address, port, callback);
      }
    }

    // ---------------------------------------------------------------- connect

    /**
     * {@code connect(port, address, callback)}: later sends go to that peer only, and only its
     * datagrams are received. {@code callback} (may be null) gets null once connected (it is a
     * once-listener of 'connect'), or the error; without callback errors are 'error' events.
     *
     * @throws NodeError ERR_SOCKET_DGRAM_IS_CONNECTED, ERR_SOCKET_BAD_PORT
     */
    public void connect(int port, String address, Consumer<Throwable> callback) {
      checkPort(port);
      if (connectState != DISCONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_IS_CONNECTED", "Already connected");
      }
      healthCheck();
      connectState = CONNECTING;
      bindImplicitly();
      if (bindState != BOUND) {
        enqueue(() -> doConnectLater(port, address, callback));
        return;
      }
      doConnectLater(port, address, callback);
    }

    private void doConnectLater(int port, String address, Consumer<Throwable> callback) {
      Runnable onConnect = callback == null ? null : () -> callback.accept(null);
      if (onConnect != null) {
        once("connect", onConnect);
      }
      String addr = address == null ? (ipv6 ? "::1" : "127.0.0.1") : address;
      lookup(addr, (lookupErr, ip) -> {
        if (handle == null) {
          return;
        }
        NodeError ex = lookupErr;
        if (ex == null) {
          try {
            if (wrongFamily(ip)) {
              throw new UvException(Errno.EINVAL, "connect");
            }
            handle.connect(new InetSocketAddress(ip, port));
          } catch (UvException e) {
            ex = SystemError.withHostPort(e, "connect", addr, port);
          }
        }
        if (ex != null) {
          connectState = DISCONNECTED;
          NodeError err = ex;
          node.nextTick(() -> {
            if (callback != null) {
              off("connect", onConnect);
              callback.accept(err);
            } else {
              emit("error", err);
            }
          });
          return;
        }
        connectState = CONNECTED;
        node.nextTick(() -> emit("connect"));
      });
    }

    /**
     * {@code disconnect()}.
     *
     * @throws NodeError ERR_SOCKET_DGRAM_NOT_CONNECTED, ERR_SOCKET_DGRAM_NOT_RUNNING
     */
    public void disconnect() {
      healthCheck();
      if (connectState != CONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
      }
      try {
        handle.disconnect();
      } catch (UvException e) {
        throw SystemError.errno(e, "connect");
      }
      connectState = DISCONNECTED;
    }

    /** {@code remoteAddress()}: the connected peer. @throws NodeError ERR_SOCKET_DGRAM_NOT_CONNECTED */
    public AddressInfo remoteAddress() {
      healthCheck();
      if (connectState != CONNECTED) {
        throw new NodeError("ERR_SOCKET_DGRAM_NOT_CONNECTED", "Not connected");
      }
      try {
        return info(handle.remoteAddress());
      } catch (UvException e) {
        throw SystemError.errno(e, "getpeername");
      }
    }

    /** {@code address()}: the bound address. @throws SystemError EBADF before binding */
    public AddressInfo address() {
      healthCheck();
      if (!bindAttempted) {
        // Node's UDP handle (uv_udp_init, no family) has no socket until bind; ours is made with
        // its family at once and would answer 0.0.0.0:0.
        throw SystemError.errno(new UvException(Errno.EBADF, "uv_udp_getsockname"), "getsockname");
      }
      try {
        return info(handle.localAddress());
      } catch (UvException e) {
        throw SystemError.errno(e, "getsockname");
      }
    }

    private static AddressInfo info(InetSocketAddress a) {
      return new AddressInfo(NetAddresses.format(a.getAddress()), a.getAddress() instanceof Inet6Address ? "IPv6" : "IPv4", a.getPort());
    }

    // ---------------------------------------------------------------- options

    private void option(String syscall, DgramOptions.Opt o) {
      healthCheck();
      DgramOptions.apply(syscall, o);
    }

    /** {@code setBroadcast(flag)}. @throws SystemError from the socket option */
    public void setBroadcast(boolean flag) {
      option("setBroadcast", () -> handle.broadcast(flag));
    }

    /** {@code setTTL(ttl)}: 1..255. @throws SystemError EINVAL outside */
    public int setTTL(int ttl) {
      option("setTTL", () -> handle.ttl(ttl));
      return ttl;
    }

    /** {@code setMulticastTTL(ttl)}: 0..255. @throws SystemError EINVAL outside */
    public int setMulticastTTL(int ttl) {
      option("setMulticastTTL", () -> handle.multicastTtl(ttl));
      return ttl;
    }

    /** {@code setMulticastLoopback(flag)}. */
    public boolean setMulticastLoopback(boolean flag) {
      option("setMulticastLoopback", () -> handle.multicastLoop(flag));
      return flag;
    }

    /** {@code setMulticastInterface(interfaceAddress)}. */
    public void setMulticastInterface(String interfaceAddress) {
      option("setMulticastInterface", () -> handle.multicastInterface(interfaceAddress));
    }

    /** {@code addMembership(group)}: any interface. */
    public void addMembership(String multicastAddress) {
      addMembership(multicastAddress, null);
    }

    /** {@code addMembership(group, interfaceAddress)}. @throws SystemError EINVAL for a non-multicast group... */
    public void addMembership(String multicastAddress, String interfaceAddress) {
      DgramOptions.checkMulticastAddress(multicastAddress);
      option("addMembership", () -> handle.joinGroup(multicastAddress, interfaceAddress));
    }

    /** {@code dropMembership(group)}. */
    public void dropMembership(String multicastAddress) {
      dropMembership(multicastAddress, null);
    }

    /** {@code dropMembership(group, interfaceAddress)}. @throws SystemError EADDRNOTAVAIL if not a member */
    public void dropMembership(String multicastAddress, String interfaceAddress) {
      DgramOptions.checkMulticastAddress(multicastAddress);
      option("dropMembership", () -> handle.leaveGroup(multicastAddress, interfaceAddress));
    }

    /** {@code ref()}. */
    public Socket ref() {
      if (handle != null) {
        handle.ref();
      }
      return this;
    }

    /** {@code unref()}: the socket does not keep the loop alive. */
    public Socket unref() {
      if (handle != null) {
        handle.unref();
      }
      return this;
    }

    // ---------------------------------------------------------------- close

    /** {@code close()}. */
    public Socket close() {
      return close(null);
    }

    /**
     * {@code close(callback)}: 'close' follows on the next tick ({@code callback}, may be null, is
     * a listener of it). Waits for a pending bind first.
     *
     * @throws NodeError ERR_SOCKET_DGRAM_NOT_RUNNING if already closed
     */
    public Socket close(Runnable callback) {
      if (callback != null) {
        on("close", callback);
      }
      if (queue != null) {
        queue.add(() -> close(null));
        return this;
      }
      healthCheck();
      if (receiving) {
        handle.recvStop();
        receiving = false;
      }
      handle.close();
      handle = null;
      node.nextTick(() -> emit("close"));
      return this;
    }
  }
}
