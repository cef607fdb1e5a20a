package io.uv4j;

import java.time.Duration;

/**
 * {@code uv_getrusage}: resources the process (or, with {@link Uv#threadResourceUsage()}, the
 * calling thread) has used, as {@code getrusage(2)} reports them. Fields a platform does not keep
 * are 0 (on Linux: the shared/unshared memory integrals, swaps and IPC messages).
 *
 *
 * <pre>{@code
 * ResourceUsage u = Uv.resourceUsage();
 * System.out.println("CPU " + u.userTime().plus(u.systemTime()) + ", max RSS " + u.maxRss() + " kB");
 * }</pre>
 *
 * @param userTime CPU time in user mode
 * @param systemTime CPU time in kernel mode
 * @param maxRss the largest resident set size, in kilobytes
 * @param ixrss integral shared memory size
 * @param idrss integral unshared data size
 * @param isrss integral unshared stack size
 * @param minorFaults page reclaims (soft page faults)
 * @param majorFaults page faults needing I/O
 * @param swaps swaps
 * @param inBlocks block input operations
 * @param outBlocks block output operations
 * @param messagesSent IPC messages sent
 * @param messagesReceived IPC messages received
 * @param signals signals received
 * @param voluntaryContextSwitches voluntary context switches
 * @param involuntaryContextSwitches involuntary context switches
 */
public record ResourceUsage(Duration userTime, Duration systemTime, long maxRss, long ixrss,
    long idrss, long isrss, long minorFaults, long majorFaults, long swaps, long inBlocks,
    long outBlocks, long messagesSent, long messagesReceived, long signals,
    long voluntaryContextSwitches, long involuntaryContextSwitches) {

  static ResourceUsage of(long[] v) {
    return new ResourceUsage(Duration.ofNanos(v[0] * 1000), Duration.ofNanos(v[1] * 1000), v[2],
        v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15]);
  }
}
