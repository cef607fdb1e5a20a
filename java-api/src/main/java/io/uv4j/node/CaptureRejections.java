package io.uv4j.node;

/**
 * Node's {@code captureRejections} (lib/events.js addCatch and emitUnhandledRejectionOrErr): the
 * promise an {@link EventEmitter#onAsync} listener returns gets a rejection reaction; its reason
 * goes, on the tick after, to the emitter's rejection handler or to {@code 'error'} (emitted with
 * the capture turned off, so that an async 'error' listener cannot loop).
 */
final class CaptureRejections {
  private CaptureRejections() {}

  static void call(EventEmitter ee, String event, EventEmitter.AsyncListener listener, Object[] args) {
    Promise<?> p = listener.call(args);
    if (p == null || !ee.captureRejections) {
      return;
    }
    NodeRuntime node = NodeRuntime.current();
    p.catchAccept(err -> node.nextTick(() -> emitRejectionOrError(ee, err, event, args)));
  }

  private static void emitRejectionOrError(EventEmitter ee, Throwable err, String event, Object[] args) {
    EventEmitter.RejectionHandler h = ee.rejectionHandler();
    if (h != null) {
      h.onRejection(err, event, args);
      return;
    }
    boolean prev = ee.captureRejections;
    try {
      ee.captureRejections = false;
      ee.emit("error", err);
    } finally {
      ee.captureRejections = prev;
    }
  }
}
