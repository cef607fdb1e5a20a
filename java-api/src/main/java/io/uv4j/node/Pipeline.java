package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node's lib/internal/streams/end-of-stream.js ({@code finished}) and pipeline.js
 * ({@code pipeline}) for {@link NodeStream}s, with the same listeners, checks and ticks.
 */
final class Pipeline {
  private Pipeline() {}

  /** A callback that runs at most once (Node: once()); {@code off()} turns it into a no-op. */
  private static final class Once implements Consumer<Throwable> {
    Consumer<Throwable> cb;

    Once(Consumer<Throwable> cb) {
      this.cb = cb;
    }

    @Override
    public void accept(Throwable err) {
      Consumer<Throwable> c = cb;
      if (c != null) {
        cb = null;
        c.accept(err);
      }
    }
  }

  static NodeError prematureClose() {
    return new NodeError("ERR_STREAM_PREMATURE_CLOSE", "Premature close");
  }

  /** eos(stream, {readable, writable}, callback); returns the cleanup. */
  static Runnable eos(NodeStream stream, boolean readable, boolean writable, Consumer<Throwable> callback) {
    Once cb = new Once(callback);
    boolean[] willEmitClose = {stream.willEmitCloseState()
        && stream.hasReadableSide() == readable && stream.hasWritableSide() == writable};
    boolean[] writableFinished = {stream.hasWritableSide() && stream.writableFinishedState(false)};
    boolean[] readableFinished = {stream.hasReadableSide() && stream.readableFinishedState(false)};
    Runnable onfinish = () -> {
      writableFinished[0] = true;
      if (stream.isDestroyed()) {
        willEmitClose[0] = false;
      }
      if (willEmitClose[0] && (!stream.isReadable() || readable)) {
        return;
      }
      if (!readable || readableFinished[0]) {
        cb.accept(null);
      }
    };
    Runnable onend = () -> {
      readableFinished[0] = true;
      if (stream.isDestroyed()) {
        willEmitClose[0] = false;
      }
      if (willEmitClose[0] && (!stream.isWritable() || writable)) {
        return;
      }
      if (!writable || writableFinished[0]) {
        cb.accept(null);
      }
    };
    EventEmitter.Listener onerror = args -> cb.accept((Throwable) args[0]);
    Runnable onclose = () -> {
      Throwable errored = stream.errored();
      if (errored != null) {
        cb.accept(errored);
        return;
      }
      if (readable && !readableFinished[0] && stream.hasReadableSide() && !stream.readableFinishedState(false)) {
        cb.accept(prematureClose());
        return;
      }
      if (writable && !writableFinished[0] && stream.hasWritableSide() && !stream.writableFinishedState(false)) {
        cb.accept(prematureClose());
        return;
      }
      cb.accept(null);
    };
    stream.on("end", onend);
    stream.on("finish", onfinish);
    stream.on("error", onerror);
    stream.on("close", onclose);
    NodeRuntime node = stream.node;
    if (stream.isClosed()) {
      node.nextTick(onclose);
    } else if (stream.errorEmittedState()) {
      if (!willEmitClose[0]) {
        node.nextTick(onclose);
      }
    } else if (!readable && (!willEmitClose[0] || stream.isReadable())
        && (writableFinished[0] || !stream.isWritable())) {
      node.nextTick(onclose);
    } else if (!writable && (!willEmitClose[0] || stream.isWritable())
        && (readableFinished[0] || !stream.isReadable())) {
      node.nextTick(onclose);
    }
    return () -> {
      cb.cb = null;
      stream.off("finish", onfinish);
      stream.off("end", onend);
      stream.off("error", onerror);
      stream.off("close", onclose);
    };
  }

  /** destroyer(): destroys the stream unless it already finished without error. */
  private static Consumer<Throwable> destroyer(NodeStream stream, boolean reading, boolean writing,
      List<Runnable> cleanups) {
    boolean[] finished = {false};
    stream.on("close", () -> finished[0] = true);
    Runnable cleanup = eos(stream, reading, writing, err -> finished[0] = err == null);
    if (cleanups != null) {
      cleanups.add(cleanup);
    }
    return err -> {
      if (finished[0]) {
        return;
      }
      finished[0] = true;
      stream.destroy(err != null ? err
          : new NodeError("ERR_STREAM_DESTROYED", "Cannot call pipe after a stream was destroyed"));
    };
  }

  static NodeStream pipeline(List<? extends NodeStream> streams, Consumer<Throwable> callback) {
    Objects.requireNonNull(streams, "streams");
    Objects.requireNonNull(callback, "callback");
    if (streams.size() < 2) {
      throw new NodeError("ERR_MISSING_ARGS", "The \"streams\" argument must be specified");
    }
    for (NodeStream s : streams) {
      Objects.requireNonNull(s, "stream");
    }
    NodeRuntime node = streams.get(0).node;
    node.checkThread();
    Once done = new Once(callback);
    State st = new State(node, done);
    NodeStream ret = null;
    for (int i = 0; i < streams.size(); i++) {
      NodeStream stream = streams.get(i);
      boolean reading = i < streams.size() - 1;
      boolean writing = i > 0;
      boolean isLast = i == streams.size() - 1;
      st.destroys.add(destroyer(stream, reading, writing, isLast && stream.isReadable() ? st.lastCleanup : null));
      EventEmitter.Listener onError = args -> {
        Throwable err = (Throwable) args[0];
        if (err != null && !(err instanceof NodeError && "ERR_STREAM_PREMATURE_CLOSE".equals(((NodeError) err).code()))) {
          st.finish(err);
        }
      };
      stream.on("error", onError);
      if (isLast && stream.isReadable()) {
        st.lastCleanup.add(() -> stream.off("error", onError));
      }
      if (i == 0) {
        if (!stream.hasReadableSide()) {
          throw new NodeError("ERR_INVALID_ARG_TYPE", "the source must be readable");
        }
      } else {
        if (!ret.hasReadableSide() || !stream.hasWritableSide()) {
          throw new NodeError("ERR_INVALID_ARG_TYPE", "stream " + i + " must be writable"
              + (reading ? " and readable" : ""));
        }
        st.finishCount += 2;
        Runnable cleanup = pipe(ret, stream, st);
        if (isLast && stream.isReadable()) {
          st.lastCleanup.add(cleanup);
        }
      }
      ret = stream;
    }
    return ret;
  }

  private static final class State {
    final NodeRuntime node;
    final Once callback;
    final List<Consumer<Throwable>> destroys = new ArrayList<>();
    final List<Runnable> lastCleanup = new ArrayList<>();
    int finishCount;
    Throwable error;

    State(NodeRuntime node, Once callback) {
      this.node = node;
      this.callback = callback;
    }

    void finish(Throwable err) {
      finishImpl(err, --finishCount == 0);
    }

    void finishImpl(Throwable err, boolean last) {
      if (err != null && (error == null || isPremature(error))) {
        error = err;
      }
      if (error == null && !last) {
        return;
      }
      while (!destroys.isEmpty()) {
        destroys.remove(0).accept(error);
      }
      if (last) {
        if (error == null) {
          lastCleanup.forEach(Runnable::run);
        }
        Throwable e = error;
        node.nextTick(() -> callback.accept(e));
      }
    }

    private static boolean isPremature(Throwable t) {
      return t instanceof NodeError && "ERR_STREAM_PREMATURE_CLOSE".equals(((NodeError) t).code());
    }
  }

  /** Node 20's pipe() inside pipeline: src.pipe(dst, {end: false}) and an explicit end. */
  private static Runnable pipe(NodeStream src, NodeStream dst, State st) {
    boolean[] ended = {false};
    dst.on("close", () -> {
      if (!ended[0]) {
        st.finish(prematureClose());
      }
    });
    src.pipe(dst, false);
    Runnable endFn = () -> {
      ended[0] = true;
      dst.end();
    };
    if (src.readableFinishedState(false)) {
      st.node.nextTick(endFn);
    } else {
      src.once("end", endFn);
    }
    eos(src, true, false, err -> {
      if (err instanceof NodeError && "ERR_STREAM_PREMATURE_CLOSE".equals(((NodeError) err).code())
          && src.readableEndedState() && src.errored() == null && !src.errorEmittedState()) {
        src.once("end", () -> st.finish(null));
        src.once("error", args -> st.finish((Throwable) args[0]));
      } else {
        st.finish(err);
      }
    });
    return eos(dst, false, true, st::finish);
  }
}
