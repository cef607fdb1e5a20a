package io.uv4j;

/**
 * {@link Udp}'s sends in flight, in submission order (libuv completes a handle's sends in that
 * order): per send, the callback and what must stay reachable until it runs (a direct buffer, the
 * direct copies of a gather send, or null). A ring of power-of-two arrays that doubles when full,
 * so a steady stream of sends allocates nothing. Loop thread only.
 */
final class UdpSendQueue {
  private Object[] buffers = new Object[8];
  private UdpSendCallback[] callbacks = new UdpSendCallback[8];
  private int head;
  private int count;

  void push(Object buffer, UdpSendCallback callback) {
    if (count == callbacks.length) {
      int n = callbacks.length;
      Object[] b = new Object[n * 2];
      UdpSendCallback[] c = new UdpSendCallback[n * 2];
      for (int k = 0; k < n; k++) {
        b[k] = buffers[(head + k) & (n - 1)];
        c[k] = callbacks[(head + k) & (n - 1)];
      }
      buffers = b;
      callbacks = c;
      head = 0;
    }
    int tail = (head + count) & (callbacks.length - 1);
    buffers[tail] = buffer;
    callbacks[tail] = callback;
    count++;
  }

  /** The oldest send's callback, removed with its buffer (which may go now). */
  UdpSendCallback poll() {
    int i = head;
    UdpSendCallback cb = callbacks[i];
    buffers[i] = null;
    callbacks[i] = null;
    head = (i + 1) & (callbacks.length - 1);
    count--;
    return cb;
  }
}
