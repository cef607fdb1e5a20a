package io.uv4j.node;

import io.uv4j.node.EventEmitter.Listener;
import java.util.List;

/** The listeners one pipe(src, dest) installs (Node's closures in Readable.prototype.pipe). */
final class ReadablePipe {
  private final ReadableSide state;
  final NodeStream src;
  final NodeStream dest;
  Runnable endFn;
  Runnable ondrain;
  boolean cleanedUp;

  final Listener onunpipe;
  final Listener ondata;
  final Listener onerror;
  final Runnable onclose;
  final Runnable onfinish;

  ReadablePipe(ReadableSide state, NodeStream src, NodeStream dest) {
    this.state = state;
    this.src = src;
    this.dest = dest;
    this.onunpipe = this::onunpipe;
    this.ondata = this::ondata;
    this.onerror = this::onerror;
    this.onclose = this::onclose;
    this.onfinish = this::onfinish;
  }

  private void onunpipe(Object... args) {
    if (args.length > 0 && args[0] == src) {
      boolean[] info = args.length > 1 ? (boolean[]) args[1] : null;
      if (info != null && !info[0]) {
        info[0] = true;
        cleanup();
      }
    }
  }

  private void ondata(Object... args) {
    Object chunk = args[0];
    boolean ret = chunk instanceof byte[] ? dest.write((byte[]) chunk) : dest.write(chunk, null);
    if (!ret) {
      pause();
    }
  }

  private void onerror(Object... args) {
    unpipe();
    dest.off("error", this.onerror);
    if (dest.listenerCount("error") == 0) {
      Throwable er = args.length > 0 && args[0] instanceof Throwable ? (Throwable) args[0] : null;
      if (!dest.errorEmitted) {
        dest.errorOrDestroy(er, false);
      } else {
        dest.emit("error", er);
      }
    }
  }

  private void onclose() {
    dest.off("finish", this.onfinish);
    unpipe();
  }

  private void onfinish() {
    dest.off("close", this.onclose);
    unpipe();
  }

  void unpipe() {
    src.unpipe(dest);
  }

  void cleanup() {
    dest.off("close", onclose);
    dest.off("finish", onfinish);
    if (ondrain != null) {
      dest.off("drain", ondrain);
    }
    dest.off("error", onerror);
    dest.off("unpipe", onunpipe);
    src.off("end", endFn);
    src.off("data", ondata);
    cleanedUp = true;
    if (ondrain != null && state.awaitDrainWriters != null && dest.needDrain) {
      ondrain.run();
    }
  }

  @SuppressWarnings("unchecked")
  void pause() {
    if (!cleanedUp) {
      if (state.pipes.size() == 1 && state.pipes.get(0) == dest) {
        state.awaitDrainWriters = dest;
        state.multiAwaitDrain = false;
      } else if (state.pipes.size() > 1 && state.pipes.contains(dest)) {
        List<NodeStream> set = (List<NodeStream>) state.awaitDrainWriters;
        if (!set.contains(dest)) {
          set.add(dest);
        }
      }
      src.pause();
    }
    if (ondrain == null) {
      ondrain = () -> {
        if (state.awaitDrainWriters == dest) {
          state.awaitDrainWriters = null;
        } else if (state.multiAwaitDrain) {
          ((List<NodeStream>) state.awaitDrainWriters).remove(dest);
        }
        boolean none = state.awaitDrainWriters == null
            || (state.multiAwaitDrain && ((List<NodeStream>) state.awaitDrainWriters).isEmpty());
        if (none && src.listenerCount("data") > 0) {
          src.resume();
        }
      };
      dest.on("drain", ondrain);
    }
  }
}
