package io.uv4j.node;

import java.util.Iterator;
import java.util.function.Consumer;

/**
 * {@code Readable.from(iterable)} (lib/internal/streams/from.js, a synchronous iterator of
 * values): each {@code _read} pulls items and pushes them until push returns false; the end of
 * the iterator pushes null. Destroying it settles like Node's async {@code close()}: a microtask,
 * then a tick, then the destroy callback.
 */
final class IterableReadable extends NodeStream {
  private final Iterator<?> iterator;
  private boolean reading;

  IterableReadable(NodeRuntime node, Options options, Iterator<?> iterator) {
    super(node, options);
    this.iterator = iterator;
  }

  @Override
  protected void doRead(int size) {
    if (!reading) {
      reading = true;
      next();
    }
  }

  private void next() {
    for (;;) {
      try {
        if (!iterator.hasNext()) {
          push(null);
          return;
        }
        Object value = iterator.next();
        if (value == null) {
          reading = false;
          throw new NodeError("ERR_STREAM_NULL_VALUES", "May not write null values to stream");
        }
        if (push(value)) {
          continue;
        }
        reading = false;
      } catch (RuntimeException e) {
        destroy(e);
      }
      break;
    }
  }

  @Override
  protected void doDestroy(Throwable err, Consumer<Throwable> cb) {
    Promise.resolve(node, null).thenRun(() -> node.nextTick(() -> cb.accept(err)));
  }
}
