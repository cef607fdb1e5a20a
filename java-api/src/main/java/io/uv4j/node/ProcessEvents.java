package io.uv4j.node;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/** The listeners of {@code process}'s events on one {@link NodeRuntime}, and warning output. */
final class ProcessEvents {
  final List<IntConsumer> beforeExit = new ArrayList<>();
  final List<IntConsumer> exit = new ArrayList<>();
  final Listeners<BiConsumer<Throwable, String>> uncaughtException = new Listeners<>();
  final Listeners<BiConsumer<Throwable, Promise<?>>> unhandledRejection = new Listeners<>();
  final Listeners<Consumer<Promise<?>>> rejectionHandled = new Listeners<>();
  final Listeners<Consumer<NodeWarning>> warning = new Listeners<>();
  private boolean warnedOnce;

  /** process.emit('warning'): Node's printer is the first listener (pre_execution's setupWarningHandler). */
  void emitWarning(NodeWarning warning) {
    printWarning(warning);
    for (java.util.function.Consumer<NodeWarning> l : this.warning.snapshot()) {
      l.accept(warning);
    }
  }

  /** Node's emitWarning(message, {type, code, detail}) checks and warning object. */
  static NodeWarning warning(String message, NodeWarning.Options options) {
    java.util.Objects.requireNonNull(options, "options");
    if (message == null) {
      throw new NodeError("ERR_INVALID_ARG_TYPE",
          "The \"warning\" argument must be of type string or an instance of Error. Received undefined");
    }
    return new NodeWarning(options.type() != null ? options.type() : "Warning", message, options.code(), options.detail());
  }

  void printWarning(NodeWarning w) {
    StringBuilder b = new StringBuilder("(uv4j:").append(ProcessHandle.current().pid()).append(") ")
        .append(w).append('\n');
    if (w.detail() != null) { // Node: the detail on the line after the warning
      b.append(w.detail()).append('\n');
    }
    if (!warnedOnce) {
      warnedOnce = true;
      b.append("(the warning comes from the program; NodeWarning carries its stack trace)\n");
    }
    System.err.print(b);
  }

  /** Listeners removable by the object the user gave (which may differ from what is called). */
  static final class Listeners<L> {
    private final List<Object> keys = new ArrayList<>();
    private final List<L> calls = new ArrayList<>();

    void add(Object key, L call) {
      keys.add(key);
      calls.add(call);
    }

    /** Removes the most recently added registration of {@code key}, like Node's removeListener. */
    void remove(Object key) {
      for (int i = keys.size() - 1; i >= 0; i--) {
        if (keys.get(i) == key) {
          keys.remove(i);
          calls.remove(i);
          return;
        }
      }
    }

    boolean isEmpty() {
      return calls.isEmpty();
    }

    List<L> snapshot() {
      return new ArrayList<>(calls);
    }
  }
}
