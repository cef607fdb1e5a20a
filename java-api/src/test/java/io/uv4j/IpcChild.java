package io.uv4j;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link IpcChildJvmTest}: its IPC channel to the parent is descriptor 3. It
 * takes the handle the parent sends and either listens on it (modes {@code listen-before},
 * {@code listen-after}), answering each connection with its pid, or writes its pid on it (mode
 * {@code connection}). It prints {@code OK ipc-child} when its loop ended with every native
 * counter back at zero.
 */
final class IpcChild {
  private IpcChild() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String pid = Long.toString(Uv.pid());
    try (Loop loop = Loop.create()) {
      Pipe channel = new Pipe(loop, true);
      channel.open(3);
      List<Handle> handles = new ArrayList<>();
      Runnable closeAll = () -> {
        handles.forEach(Handle::close);
        channel.close();
      };
      channel.readStart(new ReadCallback() {
        @Override
        public void onData(Stream s, ByteBuffer data) {
          String text = US_ASCII.decode(data).toString();
          while (channel.pendingCount() > 0) {
            Tcp got = new Tcp(loop);
            channel.acceptPending(got);
            handles.add(got);
            if (mode.equals("connection")) {
              got.write(("hello from " + pid).getBytes(US_ASCII));
              got.shutdown((g, e) -> g.close());
              channel.write(("done " + pid + "\n").getBytes(US_ASCII));
              continue;
            }
            try {
              got.listen(128, (srv, e) -> {
                Tcp conn = new Tcp(loop);
                srv.accept(conn);
                conn.write(("pid " + pid + "\n").getBytes(US_ASCII));
                conn.shutdown((c, err) -> c.close());
              });
            } catch (UvException e) {
              throw new java.io.UncheckedIOException(e);
            }
            channel.write(("ready " + pid + "\n").getBytes(US_ASCII));
          }
          if (text.contains("bye")) {
            closeAll.run();
          }
        }

        @Override
        public void onEnd(Stream s) {
          closeAll.run(); // the parent went away
        }
      });
      loop.run();
    }
    long leaks = Uv.liveLoops() + Uv.liveHandles() + Uv.liveRequests() + Uv.liveGlobalRefs();
    if (leaks != 0) {
      throw new AssertionError("leaks: handles " + Uv.liveHandles() + " requests " + Uv.liveRequests());
    }
    System.out.println("OK ipc-child " + pid);
  }
}
