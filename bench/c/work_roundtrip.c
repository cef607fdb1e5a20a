/*
 * The C libuv peer of io.uv4j.bench.WorkRoundTrip: N no-op work items through libuv's thread
 * pool (uv_queue_work), WINDOW of them in flight; each after-callback on the loop thread
 * resubmits its request until N have been submitted. One round = N round trips.
 *
 * With a 5th argument, a path, each round trip is a uv_fs_stat of that path instead (the peer of
 * `WorkRoundTrip -Dop=stat`).
 *
 * Usage: work_roundtrip [rounds] [warm-up rounds] [N] [window] [stat path]
 * Prints one line per measured round, then a RESULT line the Java harness parses:
 *   RESULT roundtrips_per_s=<median> cpu_ns_per_roundtrip=<median>
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <uv.h>

static long total;
static long submitted;
static long completed;

static void work_cb(uv_work_t *req) { (void) req; }

static void after_cb(uv_work_t *req, int status) {
  if (status != 0) {
    fprintf(stderr, "after_cb: %s\n", uv_strerror(status));
    exit(1);
  }
  completed++;
  if (submitted < total) {
    submitted++;
    int r = uv_queue_work(req->loop, req, work_cb, after_cb);
    if (r != 0) {
      fprintf(stderr, "uv_queue_work: %s\n", uv_strerror(r));
      exit(1);
    }
  }
}

static const char *stat_path; /* NULL: work round trips */

static void stat_cb(uv_fs_t *req) {
  if (req->result < 0) {
    fprintf(stderr, "stat_cb: %s\n", uv_strerror((int) req->result));
    exit(1);
  }
  uv_fs_req_cleanup(req);
  completed++;
  if (submitted < total) {
    submitted++;
    int r = uv_fs_stat(req->loop, req, stat_path, stat_cb);
    if (r != 0) {
      fprintf(stderr, "uv_fs_stat: %s\n", uv_strerror(r));
      exit(1);
    }
  }
}

static long cpu_ns(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000L
      + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000L;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 5;
  int warmups = argc > 2 ? atoi(argv[2]) : 2;
  total = argc > 3 ? atol(argv[3]) : 100000;
  long window = argc > 4 ? atol(argv[4]) : 64;
  stat_path = argc > 5 ? argv[5] : NULL;
  if (rounds < 1 || warmups < 0 || total < 1 || window < 1) {
    fprintf(stderr, "usage: work_roundtrip [rounds] [warm-up rounds] [N] [window]\n");
    return 2;
  }
  uv_work_t *reqs = calloc((size_t) window, sizeof *reqs);
  uv_fs_t *fs_reqs = calloc((size_t) window, sizeof *fs_reqs);
  double *rates = calloc((size_t) rounds, sizeof *rates);
  double *cpus = calloc((size_t) rounds, sizeof *cpus);
  uv_loop_t loop;
  if (reqs == NULL || fs_reqs == NULL || rates == NULL || cpus == NULL || uv_loop_init(&loop) != 0) return 1;

  for (int i = 0; i < warmups + rounds; i++) {
    submitted = 0;
    completed = 0;
    uint64_t t0 = uv_hrtime();
    long c0 = cpu_ns();
    for (long k = 0; k < window && submitted < total; k++) {
      submitted++;
      int r = stat_path != NULL ? uv_fs_stat(&loop, &fs_reqs[k], stat_path, stat_cb)
                                : uv_queue_work(&loop, &reqs[k], work_cb, after_cb);
      if (r != 0) return 1;
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    double seconds = (uv_hrtime() - t0) / 1e9;
    long cpu = cpu_ns() - c0;
    if (completed != total) {
      fprintf(stderr, "completed %ld of %ld\n", completed, total);
      return 1;
    }
    if (i >= warmups) {
      rates[i - warmups] = total / seconds;
      cpus[i - warmups] = (double) cpu / total;
      printf("C libuv round %d: %.0f round trips/s, %.0f ns CPU per round trip\n", i - warmups + 1,
          total / seconds, (double) cpu / total);
    }
  }
  qsort(rates, (size_t) rounds, sizeof *rates, cmp_double);
  qsort(cpus, (size_t) rounds, sizeof *cpus, cmp_double);
  printf("RESULT roundtrips_per_s=%.0f cpu_ns_per_roundtrip=%.0f libuv=%s\n", rates[rounds / 2],
      cpus[rounds / 2], uv_version_string());
  uv_loop_close(&loop);
  free(reqs);
  free(fs_reqs);
  free(rates);
  free(cpus);
  return 0;
}
