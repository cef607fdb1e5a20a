package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The thread utilities of {@link Uv}: ports of libuv's test-thread-affinity, test-thread-name and
 * uv_getrusage_thread, each on a fresh thread and checked against the kernel's view (/proc).
 */
@ExtendWith(LeakCheck.class)
class UvThreadTest {
  /** Runs {@code body} on a fresh thread (its affinity and name changes die with it). */
  private static <T> T onFreshThread(java.util.concurrent.Callable<T> body) throws Exception {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(body);
    Thread t = new Thread(task, "uv4j-fresh");
    t.start();
    t.join();
    try {
      return task.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw new AssertionError(e.getCause());
    }
  }

  // test-thread-affinity.c: the mask, setting it, and the CPU a pinned thread runs on
  @Test
  void threadAffinity() throws Exception {
    if (Uv.version() < UvSystemTest.V1_45) {
      String v = ", this is " + Uv.versionString();
      assertEquals("uv_cpumask_size needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::cpumaskSize).getMessage());
      assertEquals("uv_thread_getaffinity needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentThreadAffinity).getMessage());
      assertEquals("uv_cpumask_size needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, () -> Uv.setCurrentThreadAffinity(new boolean[1])).getMessage());
      assertEquals("uv_thread_getcpu needs libuv >= 1.45.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentCpu).getMessage());
      return;
    }
    int size = Uv.cpumaskSize();
    assertTrue(size >= Runtime.getRuntime().availableProcessors(), "mask size " + size);
    onFreshThread(() -> {
      boolean[] mask = Uv.currentThreadAffinity();
      assertEquals(size, mask.length);
      int allowed = 0;
      int first = -1;
      for (int i = 0; i < mask.length; i++) {
        if (mask[i]) {
          allowed++;
          first = first < 0 ? i : first;
        }
      }
      // uv_available_parallelism counts the same affinity mask.
      assertEquals(Uv.availableParallelism(), allowed);
      int cpu = Uv.currentCpu();
      assertTrue(cpu >= 0 && cpu < size && mask[cpu], "running on CPU " + cpu + ", which the mask allows");

      boolean[] only = new boolean[size];
      only[first] = true;
      boolean[] previous = Uv.setCurrentThreadAffinity(only);
      assertArrayEquals(mask, previous, "answers the previous mask");
      assertArrayEquals(only, Uv.currentThreadAffinity());
      assertEquals(first, Uv.currentCpu(), "pinned to CPU " + first);
      assertArrayEquals(only, Uv.setCurrentThreadAffinity(mask));
      assertArrayEquals(mask, Uv.currentThreadAffinity());
      return null;
    });
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadAffinity(new boolean[size + 1]));
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadAffinity(new boolean[size]));
    assertThrows(NullPointerException.class, () -> Uv.setCurrentThreadAffinity(null));
  }

  // test-thread-name.c: set, read back, and the kernel's view of the same thread
  @Test
  void threadName() throws Exception {
    if (Uv.version() < UvSystemTest.V1_50) {
      String v = ", this is " + Uv.versionString();
      assertEquals("uv_thread_setname needs libuv >= 1.50.0" + v,
          assertThrows(UnsupportedOperationException.class, () -> Uv.setCurrentThreadName("x")).getMessage());
      assertEquals("uv_thread_getname needs libuv >= 1.50.0" + v,
          assertThrows(UnsupportedOperationException.class, Uv::currentThreadName).getMessage());
    } else {
      onFreshThread(() -> {
        assertEquals("uv4j-fresh", Uv.currentThreadName(), "the JVM named the native thread");
        Uv.setCurrentThreadName("uv4j-renamed");
        assertEquals("uv4j-renamed", Uv.currentThreadName());
        assertEquals("uv4j-renamed", Files.readString(Path.of("/proc/thread-self/comm")).trim());
        assertEquals("uv4j-fresh", Thread.currentThread().getName(), "the Java name is not changed");
        Uv.setCurrentThreadName("a-name-longer-than-fifteen-bytes"); // libuv truncates to the OS limit
        assertEquals("a-name-longer-t", Uv.currentThreadName());
        return null;
      });
    }
    assertThrows(IllegalArgumentException.class, () -> Uv.setCurrentThreadName("a\0b"));
    assertThrows(NullPointerException.class, () -> Uv.setCurrentThreadName(null));
  }

  // test-getters-setters / uv_getrusage_thread: one thread's usage, not the process's
  @Test
  void threadResourceUsage() throws Exception {
    if (Uv.version() < UvSystemTest.V1_50) {
      UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
          Uv::threadResourceUsage);
      assertTrue(e.getMessage().contains("needs libuv >= 1.50.0, this is " + Uv.versionString()), e.getMessage());
      return;
    }
    ResourceUsage mine = onFreshThread(() -> {
      ResourceUsage u;
      long spin = 0;
      do { // burn this thread's own CPU until the kernel has accounted some of it
        for (int i = 0; i < 1_000_000; i++) {
          spin += i ^ spin;
        }
        u = Uv.threadResourceUsage();
      } while (u.userTime().plus(u.systemTime()).isZero() && spin != 42);
      return u;
    });
    ResourceUsage process = Uv.resourceUsage();
    assertTrue(mine.userTime().plus(mine.systemTime()).compareTo(process.userTime().plus(process.systemTime())) < 0,
        "a fresh thread used less than the whole JVM: " + mine + " vs " + process);
  }
}
