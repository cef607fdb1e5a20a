/*
 * Fs.copyfile on POSIX: libuv's uv_fs_copyfile steps, with one difference. libuv copies the
 * source's st_size bytes in a sendfile loop that never ends when the source has fewer (truncated
 * while it copies, or a /sys file that reports 4096 bytes and holds 50): sendfile returns 0 and
 * the pool thread spins for ever (1.44 to at least 1.50; `node -e 'fs.copyFile("/sys/...")'`
 * hangs the same way). Here the copy stops at end of file. Asynchronous requests run as a uv_work_t
 * in the request's slab entry (so cancel works as for any queued request) and complete as a
 * UV_FS_COPYFILE uv_fs_t, through fs.c's ordinary completion. Windows keeps uv_fs_copyfile
 * (CopyFileW has no such loop).
 */
#include "uv4j.h"

#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/fs.h>
#include <sys/vfs.h>
#endif

/* fchmod on CIFS/SMB shares fails with EPERM unless mounted "noperm"; libuv ignores that there. */
static int on_cifs_or_smb(int fd) {
#ifdef __linux__
  struct statfs s;
  if (fstatfs(fd, &s) != 0) return 0;
  unsigned long t = (unsigned long) s.f_type;
  return t == 0xFF534D42UL /* CIFS */ || t == 0xFE534D42UL /* SMB2 */ || t == 0x517BUL /* SMB */;
#else
  (void) fd;
  return 0;
#endif
}

static int open_file(const char *path, int flags, int mode) {
  uv_fs_t t;
  int fd = uv_fs_open(NULL, &t, path, flags, mode, NULL);
  uv_fs_req_cleanup(&t);
  return fd;
}

static int close_file(int fd) {
  uv_fs_t t;
  int r = uv_fs_close(NULL, &t, fd, NULL);
  uv_fs_req_cleanup(&t);
  return r;
}

/* The copy itself, on the calling thread: 0 or a libuv error. */
int uvj_copyfile_run(const char *src, const char *dst, int flags) {
  if (flags & ~(UV_FS_COPYFILE_EXCL | UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE)) {
    return UV_EINVAL;
  }
  int err = 0;
  int dstfd = -1;
  int srcfd = open_file(src, O_RDONLY, 0);
  if (srcfd < 0) return srcfd;
  struct stat s, d;
  if (fstat(srcfd, &s) != 0) {
    err = -errno;
    goto out;
  }
  dstfd = open_file(dst, O_WRONLY | O_CREAT | ((flags & UV_FS_COPYFILE_EXCL) ? O_EXCL : 0),
                    (int) s.st_mode);
  if (dstfd < 0) {
    err = dstfd;
    goto out;
  }
  if (!(flags & UV_FS_COPYFILE_EXCL)) {
    if (fstat(dstfd, &d) != 0) {
      err = -errno;
      goto out;
    }
    if (s.st_dev == d.st_dev && s.st_ino == d.st_ino) goto out; /* the same file: nothing to do */
    /* ftruncate on ceph-fuse fails with EACCES for a new read-only file: harmless when empty */
    if (ftruncate(dstfd, 0) != 0 && (errno != EACCES || d.st_size > 0)) {
      err = -errno;
      goto out;
    }
  }
#if defined(__APPLE__)
  struct timespec times[2] = { s.st_atimespec, s.st_mtimespec };
#else
  struct timespec times[2] = { s.st_atim, s.st_mtim };
#endif
  if (futimens(dstfd, times) != 0) {
    err = -errno;
    goto out;
  }
  if (fchown(dstfd, s.st_uid, s.st_gid) != 0) { /* like cp -p: ownership is best effort */ }
  if (fchmod(dstfd, s.st_mode) != 0 && !(errno == EPERM && on_cifs_or_smb(dstfd))) {
    err = -errno;
    goto out;
  }
  if (flags & (UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE)) {
#ifdef FICLONE
    if (ioctl(dstfd, FICLONE, srcfd) == 0) goto out;
    if (flags & UV_FS_COPYFILE_FICLONE_FORCE) {
      err = -errno;
      goto out;
    }
#else
    if (flags & UV_FS_COPYFILE_FICLONE_FORCE) {
      err = UV_ENOSYS;
      goto out;
    }
#endif
  }
  int64_t left = (int64_t) s.st_size, offset = 0;
  while (left > 0) {
    size_t chunk = left < (int64_t) SSIZE_MAX ? (size_t) left : (size_t) SSIZE_MAX;
    uv_fs_t t;
    uv_fs_sendfile(NULL, &t, dstfd, srcfd, offset, chunk, NULL); /* copy_file_range, else sendfile, else read/write */
    int64_t n = (int64_t) t.result;
    uv_fs_req_cleanup(&t);
    if (n < 0) {
      err = (int) n;
      break;
    }
    if (n == 0) break; /* end of file before st_size: copy what there is (libuv spins here) */
    left -= n;
    offset += n;
  }
out:;
  int result = err;
  int r = close_file(srcfd);
  if (r != 0 && result == 0) result = r;
  if (dstfd >= 0) {
    r = close_file(dstfd);
    if (r != 0 && result == 0) result = r;
    if (result != 0) { /* no half copy is left behind */
      uv_fs_t t;
      uv_fs_unlink(NULL, &t, dst, NULL);
      uv_fs_req_cleanup(&t);
    }
  }
  return result;
}

typedef struct {
  char *src, *dst; /* one allocation: dst points into it */
  int flags;
  int result;
  void (*done)(uv_fs_t *);
} copy_job;

static void copy_work(uv_work_t *w) {
  copy_job *job = w->data;
  job->result = uvj_copyfile_run(job->src, job->dst, job->flags);
}

/* On the loop thread: the slab entry becomes the UV_FS_COPYFILE uv_fs_t fs.c completes. */
static void copy_done(uv_work_t *w, int status) {
  copy_job *job = w->data;
  uvj_req *f = (uvj_req *) w;
  uv_loop_t *loop = w->loop;
  int result = status == UV_ECANCELED ? UV_ECANCELED : job->result;
  void (*done)(uv_fs_t *) = job->done;
  free(job);
  memset(&f->u.fs, 0, sizeof f->u.fs); /* libuv is done with the uv_work_t */
  f->u.fs.type = UV_FS;
  f->u.fs.fs_type = UV_FS_COPYFILE;
  f->u.fs.loop = loop;
  f->u.fs.result = result;
  done(&f->u.fs);
}

/* Queues the copy on libuv's pool in f; 0, or a libuv error with nothing queued. */
int uvj_copyfile_queue(uv_loop_t *loop, uvj_req *f, const char *src, const char *dst, int flags,
                       void (*done)(uv_fs_t *)) {
  memset(&f->u.fs, 0, sizeof f->u.fs); /* what fs.c cleans up when nothing is queued */
  if (flags & ~(UV_FS_COPYFILE_EXCL | UV_FS_COPYFILE_FICLONE | UV_FS_COPYFILE_FICLONE_FORCE)) {
    return UV_EINVAL;
  }
  size_t a = strlen(src) + 1, b = strlen(dst) + 1;
  copy_job *job = malloc(sizeof *job + a + b);
  if (job == NULL) return UV_ENOMEM;
  job->src = (char *) (job + 1);
  job->dst = job->src + a;
  memcpy(job->src, src, a);
  memcpy(job->dst, dst, b);
  job->flags = flags;
  job->result = 0;
  job->done = done;
  memset(&f->u.work, 0, sizeof f->u.work);
  f->u.work.data = job;
  int r = uv_queue_work(loop, &f->u.work, copy_work, copy_done);
  if (r != 0) {
    free(job);
    memset(&f->u.fs, 0, sizeof f->u.fs);
  }
  return r;
}
#else
typedef int uvj_fs_copyfile_is_posix_only; /* not an empty translation unit */
#endif
