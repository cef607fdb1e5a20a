package io.uv4j;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The FFM up-calls of JDK 22+ (see {@link Upcalls}): three upcall stubs, created once per class
 * loader in the global arena (they live as long as the process; each loop gets their
 * addresses). Compiled with {@code --release 22} into {@code META-INF/versions/22} of the jar;
 * {@link Upcalls} finds it by name, so JDK 17 never loads it.
 *
 * <p>An exception leaving an FFM up-call ends the JVM, so every entry point catches every
 * Throwable and hands it to {@link Upcalls#escaped} (which never throws); the Java callbacks
 * below them already route user exceptions to {@code Loop.callbackFailed}.
 */
final class FfmUpcalls {
  private FfmUpcalls() {}

  /** Whether FFM's restricted methods may run without a warning (JDK 22's Module API). */
  static boolean nativeAccessEnabled() {
    return FfmUpcalls.class.getModule().isNativeAccessEnabled();
  }

  /**
   * {@code {handle stub, loop stub, stream stub}}: {@code void(int, int)},
   * {@code void(int, int, int)} and {@code void(int, int, int, int)}.
   */
  @SuppressWarnings("restricted") // Linker.upcallStub; only called with native access enabled
  static long[] stubs() throws ReflectiveOperationException {
    Linker linker = Linker.nativeLinker();
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    MemorySegment handle = linker.upcallStub(
        lookup.findStatic(FfmUpcalls.class, "handle",
            MethodType.methodType(void.class, int.class, int.class)),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Arena.global());
    MemorySegment loop = linker.upcallStub(
        lookup.findStatic(FfmUpcalls.class, "loop",
            MethodType.methodType(void.class, int.class, int.class, int.class)),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
        Arena.global());
    MemorySegment stream = linker.upcallStub(
        lookup.findStatic(FfmUpcalls.class, "stream",
            MethodType.methodType(void.class, int.class, int.class, int.class, int.class)),
        FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT),
        Arena.global());
    return new long[] {handle.address(), loop.address(), stream.address()};
  }

  /** uvj_loop.ffm_handle: the callback of the handle at {@code peer} of loop {@code id}. */
  private static void handle(int id, int peer) {
    try {
      Upcalls.onHandle(id, peer);
    } catch (Throwable t) {
      Upcalls.escaped(id, t);
    }
  }

  /** uvj_loop.ffm_stream: a read or a write's completion of the stream at {@code peer}. */
  private static void stream(int id, int peer, int what, int value) {
    try {
      Upcalls.onStream(id, peer, what, value);
    } catch (Throwable t) {
      Upcalls.escaped(id, t);
    }
  }

  /** uvj_loop.ffm_loop: completions, the execute() wake-up, or pool work. */
  private static void loop(int id, int what, int arg) {
    try {
      Upcalls.onLoop(id, what, arg);
    } catch (Throwable t) {
      Upcalls.escaped(id, t);
    }
  }
}
