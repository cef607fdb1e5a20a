/*
 * The C libuv peer of io.uv4j.bench.MillionTimers: N uv_timer_t handles, timer i due in
 * (i % 1000) ms, each allocated, initialised and started on the loop thread, then uv_run; each
 * callback closes its own handle and the close callback frees it (as uv4j's Timer does).
 *
 * Usage: million_timers [rounds] [warm-up rounds] [N]
 * Prints one line per measured round, then a RESULT line the Java harness parses (medians, ms):
 *   RESULT scheduling_cpu_ms=<m> cpu_ms=<m> wall_ms=<m>
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <uv.h>

static long fired;

static void on_closed(uv_handle_t *h) { free(h); }

static void on_timer(uv_timer_t *t) {
  fired++;
  uv_close((uv_handle_t *) t, on_closed);
}

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  int warmups = argc > 2 ? atoi(argv[2]) : 2;
  long n = argc > 3 ? atol(argv[3]) : 1000000;
  if (rounds < 1 || warmups < 0 || n < 1) {
    fprintf(stderr, "usage: million_timers [rounds] [warm-up rounds] [N]\n");
    return 2;
  }
  double *sched = calloc((size_t) rounds, sizeof *sched);
  double *cpus = calloc((size_t) rounds, sizeof *cpus);
  double *walls = calloc((size_t) rounds, sizeof *walls);
  uv_loop_t loop;
  if (sched == NULL || cpus == NULL || walls == NULL || uv_loop_init(&loop) != 0) return 1;
  for (int i = 0; i < warmups + rounds; i++) {
    fired = 0;
    uv_update_time(&loop);
    uint64_t t0 = uv_hrtime();
    double c0 = cpu_ms();
    for (long k = 0; k < n; k++) {
      uv_timer_t *t = malloc(sizeof *t);
      if (t == NULL || uv_timer_init(&loop, t) != 0 ||
          uv_timer_start(t, on_timer, (uint64_t) (k % 1000), 0) != 0) return 1;
    }
    double c1 = cpu_ms();
    uv_run(&loop, UV_RUN_DEFAULT);
    double wall = (uv_hrtime() - t0) / 1e6;
    double cpu = cpu_ms() - c0;
    if (fired != n) {
      fprintf(stderr, "fired %ld of %ld\n", fired, n);
      return 1;
    }
    if (i >= warmups) {
      sched[i - warmups] = c1 - c0;
      cpus[i - warmups] = cpu;
      walls[i - warmups] = wall;
      printf("C libuv round %d: scheduling %.0f ms CPU, %.0f ms CPU, %.0f ms wall\n",
          i - warmups + 1, c1 - c0, cpu, wall);
    }
  }
  qsort(sched, (size_t) rounds, sizeof *sched, cmp_double);
  qsort(cpus, (size_t) rounds, sizeof *cpus, cmp_double);
  qsort(walls, (size_t) rounds, sizeof *walls, cmp_double);
  printf("RESULT scheduling_cpu_ms=%.1f cpu_ms=%.1f wall_ms=%.1f libuv=%s\n", sched[rounds / 2],
      cpus[rounds / 2], walls[rounds / 2], uv_version_string());
  uv_loop_close(&loop);
  free(sched);
  free(cpus);
  free(walls);
  return 0;
}
