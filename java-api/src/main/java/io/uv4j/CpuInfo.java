package io.uv4j;

import java.time.Duration;

/**
 * One logical CPU as {@code uv_cpu_info} reports it (on Linux from {@code /proc/cpuinfo} and
 * {@code /proc/stat}): model name, speed in MHz (0 where unknown) and the time it spent in each
 * mode since boot, in milliseconds.
 *
 *
 * <pre>{@code
 * for (CpuInfo cpu : Uv.cpuInfo()) {
 *   System.out.println(cpu.model() + " @ " + cpu.speedMhz() + " MHz, idle " + cpu.idleMillis() + " ms");
 * }
 * }</pre>
 *
 * @param model the model name ("" where the system does not say)
 * @param speedMhz the clock speed in MHz, 0 where unknown
 * @param userMillis time in user mode
 * @param niceMillis time in user mode at low priority
 * @param sysMillis time in kernel mode
 * @param idleMillis time idle
 * @param irqMillis time serving interrupts
 */
public record CpuInfo(String model, int speedMhz, long userMillis, long niceMillis, long sysMillis,
    long idleMillis, long irqMillis) {

  /** The sum of every mode's time. */
  public Duration total() {
    return Duration.ofMillis(userMillis + niceMillis + sysMillis + idleMillis + irqMillis);
  }
}
