/*
 * The descriptors libuv opens for itself, for io.uv4j.OwnedFds: Fs.close, Fs.read/write and the
 * handles' open(fd) refuse them, because libuv aborts the process when one of them is closed or
 * reused under it (epoll_ctl, io_uring_enter and its signal lock all end in abort() on failure).
 *
 * Most are fields of uv_loop_t (uvj_loop_fds). Two kinds are not:
 * - the io_uring ring libuv >= 1.45 opens in every uv_loop_init on Linux, kept in a private
 *   struct; found just above the epoll descriptor (probe_ring), else by listing the process's
 *   descriptors (uvj_loop_init_tracked); not looked for where no ring can exist (ring_possible);
 * - libuv's process-wide signal lock, a pipe opened by the first uv_loop_init of the process
 *   (sync_loop's, in JNI_OnLoad); found the same way: the new pipe whose two ends share an inode
 *   and which holds the one byte of the released lock.
 * The shim's own loops (fs.c's sync_loop, signal.c's anchor loop) are never seen by Java, so their
 * descriptors are kept here too and answered by nLibraryFd. Inits are serialized by a mutex, so
 * two loops created at once on two threads each find their own ring.
 */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <dirent.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <errno.h>
#include <sys/syscall.h>
#endif

#define LOOP_FDS_MAX 9

static uv_mutex_t fds_lock;
static int fds_lock_ready;
/* libuv's signal lock pipe: found once per process; the library is pinned, so libuv's pipe and
 * these statics outlive an unload and a reload. */
static int lock_pipe[2] = { -1, -1 };
#ifndef _WIN32
static int lock_pipe_searched;
#endif
static int library_fds[UVJ_LIBRARY_LOOPS][LOOP_FDS_MAX];
static int library_nfds[UVJ_LIBRARY_LOOPS];
/* The rings of the loops alive now (under fds_lock): a probe must not take another loop's. */
static int *rings;
static int nrings, caprings;

#ifndef _WIN32
static int ring_known(int fd) {
  for (int i = 0; i < nrings; i++) {
    if (rings[i] == fd) return 1;
  }
  return 0;
}

static void ring_add(int fd) {
  if (nrings == caprings) {
    int cap = caprings ? 2 * caprings : 16;
    int *v = realloc(rings, (size_t) cap * sizeof *v);
    if (v == NULL) return; /* not remembered: a later probe may take it (then refused twice) */
    rings = v;
    caprings = cap;
  }
  rings[nrings++] = fd;
}
#endif

int uvj_loop_fds(uv_loop_t *loop, int ring_fd, int *out) {
  int v[LOOP_FDS_MAX];
  int n = 0;
  v[n++] = uv_backend_fd(loop);
#ifndef _WIN32
  v[n++] = loop->async_io_watcher.fd;
  v[n++] = loop->async_wfd;
  v[n++] = loop->signal_pipefd[0];
  v[n++] = loop->signal_pipefd[1];
  v[n++] = loop->emfile_fd;
#endif
#if defined(__linux__)
  v[n++] = loop->inotify_fd;
#endif
  v[n++] = ring_fd;
  int m = 0;
  for (int i = 0; i < n; i++) {
    if (v[i] >= 0) out[m++] = v[i];
  }
  return m;
}

#ifndef _WIN32
typedef struct { int *v; int n; } fd_list;

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* The open descriptors, sorted; 0, or -1 if they cannot be listed (then nothing is tracked). */
static int fd_snapshot(fd_list *out) {
  out->v = NULL;
  out->n = 0;
#if defined(__linux__)
  DIR *d = opendir("/proc/self/fd");
#else
  DIR *d = opendir("/dev/fd");
#endif
  if (d == NULL) return -1;
  int cap = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    int fd = atoi(e->d_name);
    if (fd == dirfd(d)) continue;
    if (out->n == cap) {
      int *v = realloc(out->v, (size_t) (cap = cap ? 2 * cap : 256) * sizeof *v);
      if (v == NULL) {
        closedir(d);
        free(out->v);
        out->v = NULL;
        return -1;
      }
      out->v = v;
    }
    out->v[out->n++] = fd;
  }
  closedir(d);
  qsort(out->v, (size_t) out->n, sizeof *out->v, cmp_int);
  return 0;
}

static int fd_listed(const fd_list *l, int fd) {
  return l->n > 0 && bsearch(&fd, l->v, (size_t) l->n, sizeof *l->v, cmp_int) != NULL;
}

static int is_io_uring(int fd) {
#if defined(__linux__)
  char path[40], link[32];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, link, sizeof link - 1);
  if (n < 0) return 0;
  link[n] = '\0';
  return strcmp(link, "anon_inode:[io_uring]") == 0;
#else
  (void) fd;
  return 0;
#endif
}

/*
 * Whether libuv can have a ring here at all. Where io_uring_setup is refused (Docker's default
 * seccomp profile, kernel.io_uring_disabled, kernels before 5.1) or the kernel lacks what libuv
 * requires of a ring (it closes one without these features, i.e. before 5.13), no loop ever gets
 * one: without this answer every Loop.create would miss the probe and list /proc/self/fd, which
 * costs ~1.3 us per open descriptor. Asked once, by setting up (and closing) a ring of one entry;
 * a failure that may be transient (EMFILE, ENOMEM) is not remembered.
 */
static int ring_possible(void) {
#if defined(__linux__) && defined(__NR_io_uring_setup)
  static int known; /* 1 possible, -1 not, 0 not asked yet; read and written under fds_lock */
  if (known == 0) {
    uint32_t params[30]; /* struct io_uring_params, 120 bytes; features at [5] */
    memset(params, 0, sizeof params);
    int fd = (int) syscall(__NR_io_uring_setup, 1, params);
    if (fd >= 0) {
      const uint32_t needed = (1u << 0) | (1u << 1) | (1u << 10); /* SINGLE_MMAP, NODROP, RSRC_TAGS */
      known = (params[5] & needed) == needed ? 1 : -1;
      close(fd);
    } else if (errno == ENOSYS || errno == EPERM || errno == EACCES) {
      known = -1;
    } else {
      return 1; /* maybe: look for the ring as usual */
    }
  }
  return known > 0;
#else
  return 1;
#endif
}

/*
 * The ring uv_loop_init just opened: libuv opens it right after the epoll descriptor, so it is
 * normally the first free number above it. Probing there costs a few readlinks whatever the
 * number of open descriptors (two listings of /proc/self/fd took 13 ms with 10,000 open).
 */
static int probe_ring(int backend_fd) {
  for (int fd = backend_fd + 1; backend_fd >= 0 && fd <= backend_fd + 32; fd++) {
    if (!ring_known(fd) && is_io_uring(fd)) return fd;
  }
  return -1;
}

/* Among the descriptors uv_loop_init added: the pipe whose ends share an inode, one byte in it. */
static void find_lock_pipe(const fd_list *before, const fd_list *after) {
  for (int i = 0; i < after->n; i++) {
    int a = after->v[i];
    struct stat sa;
    if (fd_listed(before, a) || fstat(a, &sa) != 0 || !S_ISFIFO(sa.st_mode)) continue;
    for (int j = i + 1; j < after->n; j++) {
      int b = after->v[j];
      struct stat sb;
      if (fd_listed(before, b) || fstat(b, &sb) != 0 || sb.st_ino != sa.st_ino || sb.st_dev != sa.st_dev) {
        continue;
      }
      int na = 0, nb = 0;
      if ((ioctl(a, FIONREAD, &na) == 0 && na == 1) || (ioctl(b, FIONREAD, &nb) == 0 && nb == 1)) {
        lock_pipe[0] = a;
        lock_pipe[1] = b;
        return;
      }
    }
  }
}
#endif

int uvj_loop_init_tracked(uv_loop_t *loop, int *ring_fd) {
  *ring_fd = -1;
#ifdef _WIN32
  return uv_loop_init(loop);
#else
#if defined(__linux__)
  int want_ring = uv_version() >= 0x012d00; /* 1.45: a ring per loop */
#else
  int want_ring = 0;
#endif
  if (fds_lock_ready) uv_mutex_lock(&fds_lock);
  want_ring = want_ring && ring_possible(); /* before the listing: its test ring is closed again */
  int want_lock = !lock_pipe_searched;
  fd_list before = { NULL, 0 }, after = { NULL, 0 };
  /* Listings only the first time (the lock pipe); later the ring is probed for. */
  int tracked = want_lock && fd_snapshot(&before) == 0;
  int r = uv_loop_init(loop);
  if (r == 0 && want_ring) *ring_fd = probe_ring(uv_backend_fd(loop));
  if (r == 0 && (tracked || (want_ring && *ring_fd < 0)) && fd_snapshot(&after) == 0) {
    if (tracked) find_lock_pipe(&before, &after);
    /* The probe missed (a lower number freed meanwhile): any new ring nobody has. */
    for (int i = 0; want_ring && *ring_fd < 0 && i < after.n; i++) {
      int fd = after.v[i];
      if ((!tracked || !fd_listed(&before, fd)) && !ring_known(fd) && is_io_uring(fd)) *ring_fd = fd;
    }
  }
  if (*ring_fd >= 0) ring_add(*ring_fd);
  if (r == 0 && want_lock) lock_pipe_searched = 1;
  free(before.v);
  free(after.v);
  if (fds_lock_ready) uv_mutex_unlock(&fds_lock);
  return r;
#endif
}

void uvj_loop_closed_tracked(int ring_fd) {
#ifndef _WIN32
  if (ring_fd < 0) return;
  if (fds_lock_ready) uv_mutex_lock(&fds_lock);
  for (int i = 0; i < nrings; i++) {
    if (rings[i] == ring_fd) {
      rings[i] = rings[--nrings];
      break;
    }
  }
  if (fds_lock_ready) uv_mutex_unlock(&fds_lock);
#else
  (void) ring_fd;
#endif
}

void uvj_library_loop(int which, uv_loop_t *loop, int ring_fd) {
  if (fds_lock_ready) uv_mutex_lock(&fds_lock);
  library_nfds[which] = loop == NULL ? 0 : uvj_loop_fds(loop, ring_fd, library_fds[which]);
  if (fds_lock_ready) uv_mutex_unlock(&fds_lock);
}

/* FsRequest.nLoopFds: a Java loop's descriptors (its ring included). */
static jintArray loop_fds(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  uvj_loop *L = uvj_ptr(address);
  jint v[LOOP_FDS_MAX];
  int fds[LOOP_FDS_MAX];
  int n = uvj_loop_fds(&L->loop, L->ring_fd, fds);
  for (int i = 0; i < n; i++) v[i] = fds[i];
  jintArray a = (*env)->NewIntArray(env, n);
  if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, n, v);
  return a;
}

/* FsRequest.nLibraryFd: whether fd is libuv's signal lock or a descriptor of the shim's own loops. */
static jboolean library_fd(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
  if (fd < 0) return JNI_FALSE;
  jboolean found = fd == lock_pipe[0] || fd == lock_pipe[1];
  if (fds_lock_ready) uv_mutex_lock(&fds_lock);
  for (int w = 0; w < UVJ_LIBRARY_LOOPS && !found; w++) {
    for (int i = 0; i < library_nfds[w]; i++) {
      if (library_fds[w][i] == fd) found = JNI_TRUE;
    }
  }
  if (fds_lock_ready) uv_mutex_unlock(&fds_lock);
  return found;
}

int uvj_loop_fds_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nLoopFds", "(J)[I", (void *) loop_fds },
    { "nLibraryFd", "(I)Z", (void *) library_fd },
  };
  if (uv_mutex_init(&fds_lock) != 0) return -1;
  fds_lock_ready = 1;
  return uvj_register(env, "io/uv4j/FsRequest", methods, UVJ_COUNT_OF(methods));
}

void uvj_loop_fds_unload(JNIEnv *env) {
  (void) env;
  if (fds_lock_ready) {
    uv_mutex_destroy(&fds_lock);
    fds_lock_ready = 0;
  }
  memset(library_nfds, 0, sizeof library_nfds);
  free(rings); /* every loop is closed by now (Java loops before unload; sync, anchor above) */
  rings = NULL;
  nrings = caprings = 0;
}
