package io.uv4j;

import java.time.Duration;

/**
 * {@code uv_metrics_info} (libuv 1.45 and later): counters of a loop.
 *
 *
 * <pre>{@code
 * LoopMetrics m = Uv.metrics(loop);   // libuv 1.45+: UnsupportedOperationException before
 * System.out.println(m.loopCount() + " iterations, " + m.events() + " events");
 * }</pre>
 *
 * @param loopCount iterations of the loop
 * @param events events the loop processed
 * @param eventsWaiting events that were waiting when the poll returned
 * @param idleTime {@code uv_metrics_idle_time}: time blocked in the poll, if enabled
 */
public record LoopMetrics(long loopCount, long events, long eventsWaiting, Duration idleTime) {}
