/*
 * The C libuv peer of io.uv4j.bench.CallbackBench: the same loops with a C callback that
 * increments a counter, so the time per callback is libuv's own (and the kernel's) with no
 * language transition at all. The loop is set up as uv4j's and JNA's: an unreferenced
 * uv_async_t whose eventfd makes libuv call epoll_wait on each iteration.
 *
 *   idle N : N idle handles run the loop for 100,000 callbacks, the one reaching the count
 *            calls uv_stop (CallbackBench.*Idle, handles=N);
 *   timers : 1,000 one-shot timers started with timeout 0, then one uv_run (CallbackBench.*Timers).
 *
 * Usage: callback_loop idle|timers [N handles] [seconds per sample] [samples]
 * Prints one line per sample (wall and thread-CPU ns per callback) and then the medians:
 *   RESULT ns_per_callback=<wall median> min=<min> max=<max> cpu_ns_per_callback=<cpu median>
 * (CPU time: CLOCK_THREAD_CPUTIME_ID, user + system, which a loaded machine does not inflate
 * by descheduling the way it inflates wall time.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#define IDLE_CALLS 100000
#define TIMERS 1000

static uv_loop_t loop;
static long count;

static void on_idle(uv_idle_t *h) {
  (void) h;
  if (++count == IDLE_CALLS) uv_stop(&loop);
}

static void on_timer(uv_timer_t *t) { (void) t; count++; }
static void on_async(uv_async_t *a) { (void) a; }

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "idle") != 0 && strcmp(argv[1], "timers") != 0)) {
    fprintf(stderr, "usage: callback_loop idle|timers [handles] [seconds per sample] [samples]\n");
    return 2;
  }
  int idle = strcmp(argv[1], "idle") == 0;
  int handles = argc > 2 ? atoi(argv[2]) : 1;
  double seconds = argc > 3 ? atof(argv[3]) : 1.0;
  int samples = argc > 4 ? atoi(argv[4]) : 10;
  if (handles < 1 || samples < 1 || seconds <= 0) return 2;
  uv_async_t async;
  if (uv_loop_init(&loop) != 0 || uv_async_init(&loop, &async, on_async) != 0) return 1;
  uv_unref((uv_handle_t *) &async);
  uv_idle_t *idles = calloc((size_t) handles, sizeof *idles);
  uv_timer_t *timers = calloc(TIMERS, sizeof *timers);
  double *ns = calloc((size_t) samples, sizeof *ns);
  double *cpu = calloc((size_t) samples, sizeof *cpu);
  if (idles == NULL || timers == NULL || ns == NULL || cpu == NULL) return 1;
  if (idle) {
    for (int i = 0; i < handles; i++) {
      if (uv_idle_init(&loop, &idles[i]) != 0 || uv_idle_start(&idles[i], on_idle) != 0) return 1;
    }
  } else {
    for (int i = 0; i < TIMERS; i++) {
      if (uv_timer_init(&loop, &timers[i]) != 0) return 1;
    }
  }
  for (int s = -2; s < samples; s++) { /* two warm-up samples */
    long calls = 0;
    uint64_t t0 = uv_hrtime(), t1, c0 = cpu_ns();
    do {
      count = 0;
      if (idle) {
        uv_run(&loop, UV_RUN_DEFAULT);
        if (count != IDLE_CALLS) return 3;
      } else {
        for (int i = 0; i < TIMERS; i++) uv_timer_start(&timers[i], on_timer, 0, 0);
        uv_run(&loop, UV_RUN_DEFAULT);
        if (count != TIMERS) return 3;
      }
      calls += count;
      t1 = uv_hrtime();
    } while ((double) (t1 - t0) < seconds * 1e9);
    if (s >= 0) {
      ns[s] = (double) (t1 - t0) / (double) calls;
      cpu[s] = (double) (cpu_ns() - c0) / (double) calls;
      printf("sample %d: %.1f ns per callback, %.1f ns CPU\n", s + 1, ns[s], cpu[s]);
    }
  }
  qsort(ns, (size_t) samples, sizeof *ns, cmp_double);
  qsort(cpu, (size_t) samples, sizeof *cpu, cmp_double);
  printf("RESULT ns_per_callback=%.1f min=%.1f max=%.1f cpu_ns_per_callback=%.1f\n", ns[samples / 2],
         ns[0], ns[samples - 1], cpu[samples / 2]);
  return 0;
}
