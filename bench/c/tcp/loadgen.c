/*
 * Load generator of the TCP comparison: epoll, 127.0.0.1 only; one thread by default, or the
 * connections spread over --threads threads (each with its own epoll set) when one thread
 * cannot keep up with the server (on a machine with cores to spare).
 *
 *   tcp_loadgen --port P --mode pingpong|pump [--conns N] [--size BYTES] [--warmup SEC]
 *               [--duration SEC] [--pid SERVER_PID] [--window BYTES] [--threads N]
 *
 * pingpong: each connection sends --size bytes (default 64), waits for all of them to come
 *           back, and sends again; every round trip's latency goes into a histogram.
 * pump:     each connection writes --size-byte chunks (default 16 KiB) as fast as the socket
 *           takes them, with at most --window bytes (default 1 MiB) sent but not yet echoed
 *           back, and counts the bytes it receives (after the warm-up without copying them:
 *           recv with MSG_TRUNC discards them in the kernel).
 *
 * Connections are opened first; then --warmup seconds run unmeasured (echoed bytes are checked
 * against what was sent here), then --duration seconds are measured. With --pid the server's
 * CPU time (utime+stime from /proc/PID/stat, all its threads, in clock ticks) is read at the
 * start and end of the measured window (cpu_*), and the exact run time of its threads from
 * schedstat as a cross-check (run_*). Prints one line of key=value pairs starting "result"
 * (loadgen_total_ticks: the load generator's own CPU time over its whole run, for the driver's
 * estimate of other load on its core).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE (1 << 20)
#define READ_SIZE (64 * 1024)
#define DISCARD_SIZE (1024 * 1024)
#define MAX_THREADS 64

typedef struct {
  int fd;
  uint64_t sent;     /* bytes written */
  uint64_t received; /* bytes read back */
  uint64_t t_sent;   /* pingpong: when the current message went out (ns) */
  int want_out;      /* pump: EPOLLOUT is registered */
} conn;

/* Latency histogram, ns: exact below 128, then 64 sub-buckets per power of two (~1.6%). */
#define HIST_BUCKETS (128 + 64 * 64)

/* One load generator thread: its own epoll set and a share of the connections. */
typedef struct {
  pthread_t thread;
  int ep;
  conn *conns;
  int n;
  uint64_t round_trips, bytes_in; /* in the measured window */
  uint64_t hist[HIST_BUCKETS];
  unsigned char rbuf[READ_SIZE];
} worker;

enum { WARMUP, MEASURE, DONE };

static int mode_pump;
static size_t size = 0;
static uint64_t window = 1024 * 1024;
static unsigned char pattern[MAX_SIZE];
static _Atomic int phase = WARMUP; /* set by the main thread, which keeps time */

static void die(const char *what) {
  fprintf(stderr, "tcp_loadgen: %s: %s\n", what, errno ? strerror(errno) : "failed");
  exit(1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static int hist_index(uint64_t v) {
  if (v < 128) return (int) v;
  int e = 63 - __builtin_clzll(v); /* >= 7 */
  int sub = (int) (v >> (e - 6));  /* 64..127 */
  int i = 128 + (e - 7) * 64 + (sub - 64);
  return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

static double hist_value(int i) { /* middle of bucket i */
  if (i < 128) return i;
  int e = (i - 128) / 64 + 7;
  uint64_t sub = (uint64_t) ((i - 128) % 64 + 64);
  double lo = (double) (sub << (e - 6));
  return lo + (double) (1ull << (e - 6)) / 2;
}

static double percentile_ns(const uint64_t *hist, uint64_t count, double p) {
  if (count == 0) return 0;
  uint64_t rank = (uint64_t) (p * (double) count + 0.999999);
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < HIST_BUCKETS; i++) {
    seen += hist[i];
    if (seen >= rank) return hist_value(i);
  }
  return hist_value(HIST_BUCKETS - 1);
}

/* utime + stime of a process, all threads, in clock ticks (-1 if unreadable). */
static long long proc_ticks(int pid) {
  if (pid <= 0) return -1;
  char path[64], text[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  FILE *f = fopen(path, "r");
  if (f == NULL) return -1;
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  char *p = strrchr(text, ')'); /* the command name may contain spaces */
  if (p == NULL) return -1;
  long long utime = 0, stime = 0;
  /* after ")": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
  if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &utime, &stime) != 2) return -1;
  return utime + stime;
}

/*
 * The same CPU time measured exactly: the sum of the scheduler's run time (ns) of every thread
 * of the process (/proc/PID/task/TID/schedstat, first field). Tick accounting charges a whole
 * tick to whatever runs when the tick fires, so it is a sample: over a few hundred ticks it is
 * good to a few percent; this is the cross-check. -1 if unreadable.
 */
static long long proc_runtime_ns(int pid) {
  if (pid <= 0) return -1;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR *d = opendir(path);
  if (d == NULL) return -1;
  long long sum = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char file[320];
    snprintf(file, sizeof file, "/proc/%d/task/%s/schedstat", pid, e->d_name);
    FILE *f = fopen(file, "r");
    if (f == NULL) continue; /* the thread just ended */
    long long ns = 0;
    if (fscanf(f, "%lld", &ns) == 1) sum += ns;
    fclose(f);
  }
  closedir(d);
  return sum;
}

static double self_cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double) ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static void set_out(worker *w, conn *c, int on) {
  if (c->want_out == on) return;
  struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
  if (epoll_ctl(w->ep, EPOLL_CTL_MOD, c->fd, &ev) != 0) die("epoll_ctl");
  c->want_out = on;
}

/* pingpong: one message out; on loopback a small write into an empty socket is never short. */
static void ping(conn *c) {
  c->t_sent = now_ns();
  ssize_t n = write(c->fd, pattern, size);
  if (n != (ssize_t) size) die("short write of a ping (size too large?)");
  c->sent += size;
}

/* pump: whole chunks while the window allows and the socket takes them. */
static void pump(worker *w, conn *c) {
  for (;;) {
    size_t off = (size_t) (c->sent % size);
    size_t len = size - off; /* the rest of the current chunk: writes are chunk-sized */
    if (c->sent + len - c->received > window) {
      set_out(w, c, 0); /* reads will reopen the window */
      return;
    }
    ssize_t n = write(c->fd, pattern + off, len);
    if (n > 0) {
      c->sent += (uint64_t) n;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      set_out(w, c, 1);
      return;
    } else {
      die("write");
    }
  }
}

static void on_readable(worker *w, conn *c, int ph) {
  /*
   * The phase is read again before every read, and one event reads at most 64 times: a server
   * that echoes as fast as this loop reads keeps the socket full, and a loop that kept the phase
   * of its first read stayed in the warm-up (checking every byte, counting none) for the whole
   * measured window: a pump measurement of 0 MB/s, or of the part after the loop ended.
   */
  for (int reads = 0; reads < 64; reads++) {
    if (reads > 0) ph = phase;
    if (ph == DONE) return;
    /*
     * Pump, once the warm-up has checked the echo: MSG_TRUNC makes TCP discard the bytes instead
     * of copying them out, so the load generator's side costs less than the server's (on a small
     * machine it would otherwise be the bottleneck).
     */
    int discard = mode_pump && ph != WARMUP;
    ssize_t n = discard ? recv(c->fd, NULL, DISCARD_SIZE, MSG_TRUNC) : read(c->fd, w->rbuf, sizeof w->rbuf);
    if (n == 0) {
      errno = 0;
      die("server closed a connection");
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      die("read");
    }
    /* The echo must be the bytes sent, in order: always in pingpong (64 B), in warm-up in pump. */
    if (!mode_pump || ph == WARMUP) {
      for (ssize_t i = 0; i < n;) {
        size_t off = (size_t) ((c->received + (uint64_t) i) % size);
        size_t k = size - off < (size_t) (n - i) ? size - off : (size_t) (n - i);
        if (memcmp(w->rbuf + i, pattern + off, k) != 0) {
          errno = 0;
          die("echoed bytes differ from the bytes sent");
        }
        i += (ssize_t) k;
      }
    }
    c->received += (uint64_t) n;
    if (c->received > c->sent) {
      errno = 0;
      die("received more bytes than sent");
    }
    if (ph == MEASURE) w->bytes_in += (uint64_t) n;
    if (mode_pump) {
      pump(w, c);
    } else if (c->received == c->sent) { /* the round trip is complete */
      if (ph == MEASURE) {
        w->hist[hist_index(now_ns() - c->t_sent)]++;
        w->round_trips++;
      }
      ping(c);
    }
    if ((size_t) n < (discard ? DISCARD_SIZE : sizeof w->rbuf)) return; /* drained (level-triggered) */
  }
}

static void *run_worker(void *arg) {
  worker *w = arg;
  for (int i = 0; i < w->n; i++) {
    if (mode_pump) pump(w, &w->conns[i]);
    else ping(&w->conns[i]);
  }
  struct epoll_event evs[256];
  for (;;) {
    int ph = phase; /* per batch: a batch is short next to the window */
    if (ph == DONE) break;
    int n = epoll_wait(w->ep, evs, 256, 10);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable(w, c, ph);
      if ((evs[i].events & EPOLLOUT) && c->want_out) pump(w, c);
    }
  }
  return NULL;
}

static void sleep_until(uint64_t t) {
  struct timespec ts = { .tv_sec = (time_t) (t / 1000000000u), .tv_nsec = (long) (t % 1000000000u) };
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
  }
}

int main(int argc, char **argv) {
  int port = 0, conns = 1, pid = 0, threads = 1;
  double warmup = 2, duration = 5;
  const char *mode = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (v == NULL) goto usage;
    if (strcmp(a, "--port") == 0) port = atoi(v);
    else if (strcmp(a, "--mode") == 0) mode = v;
    else if (strcmp(a, "--conns") == 0) conns = atoi(v);
    else if (strcmp(a, "--size") == 0) size = (size_t) atol(v);
    else if (strcmp(a, "--warmup") == 0) warmup = atof(v);
    else if (strcmp(a, "--duration") == 0) duration = atof(v);
    else if (strcmp(a, "--pid") == 0) pid = atoi(v);
    else if (strcmp(a, "--window") == 0) window = (uint64_t) atol(v);
    else if (strcmp(a, "--threads") == 0) threads = atoi(v);
    else goto usage;
    i++;
  }
  if (port <= 0 || mode == NULL || conns <= 0 || duration <= 0 || warmup < 0) goto usage;
  if (threads < 1 || threads > MAX_THREADS) goto usage;
  if (threads > conns) threads = conns;
  if (strcmp(mode, "pump") == 0) mode_pump = 1;
  else if (strcmp(mode, "pingpong") != 0) goto usage;
  if (size == 0) size = mode_pump ? 16 * 1024 : 64;
  if (size > MAX_SIZE || (mode_pump && window < size)) goto usage;
  signal(SIGPIPE, SIG_IGN);
  for (size_t i = 0; i < size; i++) pattern[i] = (unsigned char) (i * 31 + 7 + (i >> 8));

  /* Connect everything first; connection i goes to thread i % threads. */
  worker *ws = calloc((size_t) threads, sizeof *ws);
  conn *cs = calloc((size_t) conns, sizeof *cs);
  if (ws == NULL || cs == NULL) die("calloc");
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int t = 0; t < threads; t++) {
    ws[t].ep = epoll_create1(0);
    if (ws[t].ep < 0) die("epoll_create1");
    ws[t].conns = cs + (size_t) t * (size_t) conns / (size_t) threads;
    ws[t].n = (int) ((size_t) (t + 1) * (size_t) conns / (size_t) threads - (size_t) t * (size_t) conns / (size_t) threads);
  }
  for (int t = 0; t < threads; t++) {
    for (int i = 0; i < ws[t].n; i++) {
      conn *c = &ws[t].conns[i];
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) die("socket");
      if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0) die("connect");
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
      c->fd = fd;
      struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
      if (epoll_ctl(ws[t].ep, EPOLL_CTL_ADD, fd, &ev) != 0) die("epoll_ctl");
    }
  }

  /* The workers drive the load; this thread keeps time and reads the server's CPU at the edges. */
  uint64_t t0 = now_ns();
  for (int t = 0; t < threads; t++) {
    if (pthread_create(&ws[t].thread, NULL, run_worker, &ws[t]) != 0) die("pthread_create");
  }
  sleep_until(t0 + (uint64_t) (warmup * 1e9));
  long long ticks_start = proc_ticks(pid), ns_start = proc_runtime_ns(pid);
  double cpu_start = self_cpu_s();
  uint64_t t_start = now_ns();
  phase = MEASURE;
  sleep_until(t_start + (uint64_t) (duration * 1e9));
  phase = DONE;
  uint64_t t_stop = now_ns();
  long long ticks_stop = proc_ticks(pid), ns_stop = proc_runtime_ns(pid);
  double cpu_stop = self_cpu_s();
  uint64_t round_trips = 0, bytes_in = 0, count = 0;
  static uint64_t hist[HIST_BUCKETS];
  for (int t = 0; t < threads; t++) {
    pthread_join(ws[t].thread, NULL);
    round_trips += ws[t].round_trips;
    bytes_in += ws[t].bytes_in;
    for (int i = 0; i < HIST_BUCKETS; i++) {
      hist[i] += ws[t].hist[i];
      count += ws[t].hist[i];
    }
  }
  for (int i = 0; i < conns; i++) close(cs[i].fd);

  double secs = (double) (t_stop - t_start) / 1e9;
  long hz = sysconf(_SC_CLK_TCK);
  long long ticks = ticks_start >= 0 && ticks_stop >= 0 ? ticks_stop - ticks_start : -1;
  double server_cpu = ticks >= 0 ? (double) ticks / (double) hz : -1;
  double server_run = ns_start >= 0 && ns_stop >= 0 ? (double) (ns_stop - ns_start) / 1e9 : -1;
  printf("result mode=%s conns=%d threads=%d size=%zu secs=%.3f", mode, conns, threads, size, secs);
  if (mode_pump) {
    printf(" window=%llu bytes=%llu mb_per_s=%.2f", (unsigned long long) window,
           (unsigned long long) bytes_in, (double) bytes_in / 1e6 / secs);
    if (ticks >= 0 && bytes_in > 0) printf(" cpu_s_per_gb=%.4f", server_cpu / ((double) bytes_in / 1e9));
    if (server_run >= 0 && bytes_in > 0) printf(" run_s_per_gb=%.4f", server_run / ((double) bytes_in / 1e9));
  } else {
    printf(" round_trips=%llu rt_per_s=%.1f p50_us=%.2f p99_us=%.2f", (unsigned long long) round_trips,
           (double) round_trips / secs, percentile_ns(hist, count, 0.50) / 1e3, percentile_ns(hist, count, 0.99) / 1e3);
    if (ticks >= 0 && round_trips > 0) printf(" cpu_us_per_rt=%.3f", server_cpu * 1e6 / (double) round_trips);
    if (server_run >= 0 && round_trips > 0) printf(" run_us_per_rt=%.3f", server_run * 1e6 / (double) round_trips);
  }
  printf(" server_ticks=%lld clk_tck=%ld server_cpu_util=%.3f loadgen_cpu_util=%.3f loadgen_total_ticks=%lld\n",
         ticks, hz, ticks >= 0 ? server_cpu / secs : -1, (cpu_stop - cpu_start) / secs, proc_ticks(getpid()));
  return 0;

usage:
  fprintf(stderr,
          "usage: %s --port P --mode pingpong|pump [--conns N] [--size BYTES] [--warmup SEC]\n"
          "          [--duration SEC] [--pid SERVER_PID] [--window BYTES] [--threads N]\n", argv[0]);
  return 2;
}
