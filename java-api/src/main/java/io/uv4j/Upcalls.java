package io.uv4j;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * How the native shim calls Java: JNI's {@code CallVoidMethod} everywhere, or, on JDK 22+, FFM
 * upcall stubs ({@code java.lang.foreign}) on the hot paths. The FFM code is
 * {@code io.uv4j.FfmUpcalls}, which only exists in the jar's {@code META-INF/versions/22}
 * (a multi-release jar): JDK 17-21 never see it and keep JNI.
 *
 * <p>FFM is used when all of these hold: the runtime is JDK 22 or later, the jar was built with
 * JDK 22+ (so the versioned class is there), native access is enabled for uv4j's module
 * ({@code --enable-native-access=io.uv4j} on the module path, {@code ALL-UNNAMED} on the class
 * path, or {@code Enable-Native-Access: ALL-UNNAMED} in an executable jar's manifest: without
 * it FFM would print a restricted-method warning on JDK 22/23, so uv4j keeps JNI there; on JDK
 * 24+ JNI's own {@code System.load} warns once without it, after which the JVM counts the
 * module as enabled and FFM adds no warning), and the system
 * property {@code uv4j.backend} is not {@code jni}. See {@link Uv#backend()}.
 *
 * <p>The FFM paths: the callbacks of {@link Idle}, {@link Prepare}, {@link Check} and
 * {@link Timer} (handles that get a peer index in their loop's table), a {@link Stream}'s reads
 * and write completions (streams get a peer index too), the loop's batch of
 * pool completions, the {@link Loop#execute} wake-up, and the Java work of
 * {@link Loop#queueWork} on pool threads. Every other callback uses JNI.
 */
final class Upcalls {
  /** {@code uv4j.backend=jni} forces JNI (for comparison); anything else lets FFM in where it can. */
  static final String PROPERTY = "uv4j.backend";

  /** Values of {@code what} in {@link #onLoop}; the same as UVJ_FFM_* in uv4j.h. */
  static final int LOOP_COMPLETIONS = 0;
  static final int LOOP_RUN_TASKS = 1;
  static final int LOOP_RUN_WORK = 2;

  /** Values of {@code what} in {@link #onStream}; the same as UVJ_FFM_STREAM_* in uv4j.h. */
  static final int STREAM_READ = 0;
  static final int STREAM_WRITE_DONE = 1;

  /** True when FFM stubs are installed in every new loop. */
  static final boolean ACTIVE;
  private static final long HANDLE_FN;
  private static final long LOOP_FN;
  private static final long STREAM_FN;
  private static final String BACKEND;
  /** Why FFM is not used (null when it is). */
  private static final String REASON;

  /** Loops by id (copy on write: the loop and pool threads read it without a lock). */
  private static volatile Loop[] loops = new Loop[8];

  static {
    NativeLibrary.load();
    long[] fns = null;
    String why;
    if ("jni".equals(System.getProperty(PROPERTY))) {
      why = "-D" + PROPERTY + "=jni";
    } else if (Runtime.version().feature() < 22) {
      why = "JDK " + Runtime.version().feature() + " has no FFM up-calls";
    } else {
      try {
        Class<?> ffm = Class.forName("io.uv4j.FfmUpcalls");
        Method enabled = ffm.getDeclaredMethod("nativeAccessEnabled");
        if (!(Boolean) enabled.invoke(null)) {
          why = "native access is not enabled for " + describeModule();
        } else {
          fns = (long[]) ffm.getDeclaredMethod("stubs").invoke(null);
          why = null;
        }
      } catch (ClassNotFoundException e) {
        why = "this jar was built without the JDK 22 classes";
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        why = "FFM setup failed: " + e;
      }
    }
    ACTIVE = fns != null;
    HANDLE_FN = ACTIVE ? fns[0] : 0;
    LOOP_FN = ACTIVE ? fns[1] : 0;
    STREAM_FN = ACTIVE ? fns[2] : 0;
    BACKEND = ACTIVE ? "ffm" : "jni";
    REASON = why;
  }

  private Upcalls() {}

  static String backend() {
    return BACKEND;
  }

  static String reason() {
    return REASON;
  }

  private static String describeModule() {
    Module m = Upcalls.class.getModule();
    return m.isNamed() ? "module " + m.getName() + " (--enable-native-access=" + m.getName() + ")"
        : "the class path (--enable-native-access=ALL-UNNAMED)";
  }

  /** Gives a new loop the FFM stubs (before any of its callbacks can run). */
  static void attach(Loop loop) {
    if (!ACTIVE) {
      return;
    }
    int id = register(loop);
    loop.upcallId = id;
    nAttach(loop.address, id, HANDLE_FN, LOOP_FN, STREAM_FN);
  }

  /** Forgets a closed loop (its native side is gone, so no up-call names it any more). */
  static void detach(Loop loop) {
    if (loop.upcallId > 0) {
      unregister(loop.upcallId);
      loop.upcallId = 0;
    }
  }

  /** Ids start at 1: 0 means "not attached". */
  private static synchronized int register(Loop loop) {
    Loop[] a = loops;
    int id = 1;
    while (id < a.length && a[id] != null) {
      id++;
    }
    Loop[] b = Arrays.copyOf(a, id < a.length ? a.length : a.length * 2);
    b[id] = loop;
    loops = b;
    return id;
  }

  private static synchronized void unregister(int id) {
    Loop[] b = loops.clone();
    b[id] = null;
    loops = b;
  }

  /** The loop with this id, for the FFM stubs. */
  static Loop loop(int id) {
    return loops[id];
  }

  /** The handle at {@code peer} of loop {@code id} runs its callback (loop thread). */
  static void onHandle(int id, int peer) {
    ((Handle) loops[id].slot(peer)).onUpcall();
  }

  /** A read ({@code value}: the byte count or an error) or a write's completion of the stream at {@code peer}. */
  static void onStream(int id, int peer, int what, int value) {
    Stream s = (Stream) loops[id].slot(peer);
    if (what == STREAM_READ) {
      s.onRead(value);
    } else {
      s.onWriteDone(value);
    }
  }

  /** A loop-level up-call: see LOOP_*. */
  static void onLoop(int id, int what, int arg) {
    Loop loop = loops[id];
    if (what == LOOP_COMPLETIONS) {
      loop.onCompletions(arg);
    } else if (what == LOOP_RUN_TASKS) {
      loop.runTasks();
    } else {
      loop.runWork(arg); // a pool thread; WorkRequest.runWork catches what the work throws
    }
  }

  /**
   * A Throwable escaped the Java side of an FFM up-call (the dispatchers catch user exceptions
   * themselves, so this is an Error thrown while handling one, or a bug). Where JNI parks it in
   * the loop, stops the loop and lets run() rethrow it, this does the same from Java; on a pool
   * thread (work) it is printed, as the JNI path does. Never throws: an exception leaving an FFM
   * up-call ends the JVM.
   */
  static void escaped(int id, Throwable t) {
    try {
      Loop loop = loops[id];
      if (loop != null && loop.isRunningOn(Thread.currentThread())) {
        loop.upcallEscaped(t);
      } else {
        t.printStackTrace();
      }
    } catch (Throwable ignored) {
      // nothing else can be done without risking the process
    }
  }

  private static native void nAttach(long loop, int id, long handleFn, long loopFn, long streamFn);
}
