/*
 * io.uv4j.Fs on uv_fs_t: every uv_fs_* operation, asynchronous (completion on the loop thread)
 * or synchronous (on the calling thread), through one dispatcher.
 *
 * Paths cross the boundary as UTF-8 byte arrays, never as JNI "modified UTF-8" strings, so file
 * names outside the BMP survive; names coming back are byte arrays too, decoded in Java.
 * Buffers are direct ByteBuffers, kept reachable by the Java FsRequest until completion.
 * Asynchronous requests live in the loop's request slab (work.c) at their Java table index; their
 * completions go into the loop's batch unless their result needs Java objects built at once.
 */
#include "uv4j.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <unistd.h>
#endif

/* This file's cache, filled by uvj_fs_load. */
static struct { jclass Object; } uvj;
static jmethodID FsRequest_onComplete; /* void onComplete(long result, Object extra) */
static jmethodID Loop_completeFs;      /* void completeFs(int index, long result, Object extra) */
static jclass byte_array_class;
static uv_loop_t sync_loop; /* only stored in synchronous requests: libuv needs a loop pointer */
static int sync_loop_ready;
static int sync_ring_fd = -1; /* its io_uring ring (loop_fds.c), or -1 */

/*
 * An fs request is a uvj_req (uv4j.h): asynchronous ones live in the loop's slab at their Java
 * table index, synchronous ones on the caller's stack. `u.fs` is its uv_fs_t.
 */
typedef uvj_req uvj_fs;

static jbyteArray to_bytes(JNIEnv *env, const char *s) {
  if (s == NULL) return NULL;
  jsize n = (jsize) strlen(s);
  jbyteArray a = (*env)->NewByteArray(env, n);
  if (a != NULL) (*env)->SetByteArrayRegion(env, a, 0, n, (const jbyte *) s);
  return a;
}

/*
 * A NUL-terminated copy of a Java byte[] path, in `small` when it fits (libuv copies the path
 * into the request itself), else malloc'd; NULL for a null array. Release with path_free.
 */
#define UVJ_SMALL_PATH 512
static char *path_dup(JNIEnv *env, jbyteArray path, char *small, int *oom) {
  if (path == NULL) return NULL;
  jsize n = (*env)->GetArrayLength(env, path);
  char *s = n < UVJ_SMALL_PATH ? small : malloc((size_t) n + 1);
  if (s == NULL) {
    *oom = 1;
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, path, 0, n, (jbyte *) s);
  s[n] = '\0';
  return s;
}

static void path_free(char *p, char *small) {
  if (p != small) free(p);
}

static jobject dirents_to_java(JNIEnv *env, uv_dirent_t *ents, int count) {
  jobjectArray names = (*env)->NewObjectArray(env, count, byte_array_class, NULL);
  jintArray types = (*env)->NewIntArray(env, count);
  if (names == NULL || types == NULL) return NULL;
  for (int i = 0; i < count; i++) {
    jbyteArray name = to_bytes(env, ents[i].name);
    if (name == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, names, i, name);
    (*env)->DeleteLocalRef(env, name);
    jint type = (jint) ents[i].type;
    (*env)->SetIntArrayRegion(env, types, i, 1, &type);
  }
  jobjectArray pair = (*env)->NewObjectArray(env, 2, uvj.Object, NULL);
  if (pair == NULL) return NULL;
  (*env)->SetObjectArrayElement(env, pair, 0, names);
  (*env)->SetObjectArrayElement(env, pair, 1, types);
  return pair;
}

/* The result beyond req->result, as Java objects, read before uv_fs_req_cleanup frees it. */
static jobject fs_extra(JNIEnv *env, uvj_fs *f) {
  uv_fs_t *req = &f->u.fs;
  if (req->result < 0) return NULL;
  switch (req->fs_type) {
    case UV_FS_STAT:
    case UV_FS_LSTAT:
    case UV_FS_FSTAT: {
      const uv_stat_t *s = &req->statbuf;
      jlong v[20] = {
        (jlong) s->st_dev, (jlong) s->st_mode, (jlong) s->st_nlink, (jlong) s->st_uid,
        (jlong) s->st_gid, (jlong) s->st_rdev, (jlong) s->st_ino, (jlong) s->st_size,
        (jlong) s->st_blksize, (jlong) s->st_blocks, (jlong) s->st_flags, (jlong) s->st_gen,
        s->st_atim.tv_sec, s->st_atim.tv_nsec, s->st_mtim.tv_sec, s->st_mtim.tv_nsec,
        s->st_ctim.tv_sec, s->st_ctim.tv_nsec, s->st_birthtim.tv_sec, s->st_birthtim.tv_nsec };
      jlongArray a = (*env)->NewLongArray(env, 20);
      if (a != NULL) (*env)->SetLongArrayRegion(env, a, 0, 20, v);
      return a;
    }
    case UV_FS_STATFS: {
      const uv_statfs_t *s = req->ptr;
      jlong v[7] = { (jlong) s->f_type, (jlong) s->f_bsize, (jlong) s->f_blocks,
                     (jlong) s->f_bfree, (jlong) s->f_bavail, (jlong) s->f_files,
                     (jlong) s->f_ffree };
      jlongArray a = (*env)->NewLongArray(env, 7);
      if (a != NULL) (*env)->SetLongArrayRegion(env, a, 0, 7, v);
      return a;
    }
    case UV_FS_READLINK:
    case UV_FS_REALPATH:
      return to_bytes(env, req->ptr);
    case UV_FS_MKDTEMP:
    case UV_FS_MKSTEMP:
      return to_bytes(env, req->path); /* libuv filled in the template's XXXXXX */
    case UV_FS_OPENDIR: {
      jlong dir = uvj_address(req->ptr);
      jlongArray a = (*env)->NewLongArray(env, 1);
      if (a != NULL) (*env)->SetLongArrayRegion(env, a, 0, 1, &dir);
      return a;
    }
    case UV_FS_SCANDIR: {
      /* uv_fs_scandir_next frees the previous entry, name included: keep copies of the names. */
      int n = (int) req->result, count = 0, oom = 0;
      uv_dirent_t *ents = calloc(n > 0 ? (size_t) n : 1, sizeof *ents);
      uv_dirent_t ent;
      while (ents != NULL && count < n && uv_fs_scandir_next(req, &ent) == 0) {
        ents[count].type = ent.type;
        if ((ents[count].name = strdup(ent.name)) == NULL) {
          oom = 1;
          break;
        }
        count++;
      }
      jobject r = NULL;
      if (ents == NULL || oom) {
        uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for directory entries");
      } else {
        r = dirents_to_java(env, ents, count);
      }
      for (int i = 0; ents != NULL && i < count; i++) free((char *) ents[i].name);
      free(ents);
      return r;
    }
    case UV_FS_READDIR:
      return dirents_to_java(env, f->dirents, (int) req->result);
    default:
      return NULL;
  }
}

/*
 * libuv's part of a finished request, run once the result has been copied out and before Java
 * sees it: a callback may start the next request at once, and e.g. a readdir's cleanup frees the
 * names in whatever dirents array its uv_dir_t points to by then, the next readdir's.
 */
static void fs_cleanup(uvj_fs *f) {
  /*
   * A cancelled closedir never ran, but uv_fs_req_cleanup (libuv 1.44 up to at least 1.52) frees
   * req->ptr, the uv_dir_t, all the same, leaving its DIR open: keep the directory intact, so the
   * Java Dir stays open and usable, as a cancelled request should leave it.
   */
  if (f->u.fs.fs_type == UV_FS_CLOSEDIR && f->u.fs.result == UV_ECANCELED) f->u.fs.ptr = NULL;
  uv_fs_req_cleanup(&f->u.fs);
}

/* Our part, after Java saw the result. */
static void fs_free(uvj_fs *f) {
  free(f->dirents);
  f->dirents = NULL;
}

/* Test hook (FsRequest.nFailNextResults): the next `count` results of fs type `op` fail to build. */
static atomic_int fail_op, fail_count;

static void fs_fail_next_results(JNIEnv *env, jclass c, jint op, jint count) {
  (void) env; (void) c;
  atomic_store(&fail_op, op);
  atomic_store(&fail_count, count);
}

static jobject fs_extra_or_fail(JNIEnv *env, uvj_fs *f) {
  if (atomic_load(&fail_count) > 0 && atomic_load(&fail_op) == (int) f->u.fs.fs_type &&
      atomic_fetch_sub(&fail_count, 1) > 0) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j test hook: building the fs result failed");
    return NULL;
  }
  return fs_extra(env, f);
}

/*
 * The result could not be handed to Java, so nobody will release what it holds: close the
 * directory opendir opened, remove the file or directory mkstemp/mkdtemp created.
 */
static void fs_release_result(uvj_fs *f) {
  uv_fs_t *req = &f->u.fs;
  uv_fs_t t; /* synchronous requests on the caller's stack */
  if (req->result < 0) return;
  if (req->fs_type == UV_FS_OPENDIR && req->ptr != NULL) {
    uv_fs_closedir(&sync_loop, &t, req->ptr, NULL); /* frees the uv_dir_t */
    uv_fs_req_cleanup(&t);
    req->ptr = NULL;
  } else if (req->fs_type == UV_FS_MKSTEMP && req->path != NULL) {
    uv_fs_close(&sync_loop, &t, (uv_file) req->result, NULL);
    uv_fs_req_cleanup(&t);
    uv_fs_unlink(&sync_loop, &t, req->path, NULL);
    uv_fs_req_cleanup(&t);
  } else if (req->fs_type == UV_FS_MKDTEMP && req->path != NULL) {
    uv_fs_rmdir(&sync_loop, &t, req->path, NULL);
    uv_fs_req_cleanup(&t);
  }
}

/*
 * Builds the Java result and calls target.onComplete(result, extra). If building fails (out of
 * memory, or a local frame could not be pushed: an exception is pending), the request completes
 * with UV_ENOMEM and the Throwable as extra (Java makes it the error's cause): the callback
 * always runs, so a Dir never stays in its reading state.
 */
static void fs_deliver(JNIEnv *env, uvj_fs *f, jobject target, uvj_loop *L) {
  jlong result = (jlong) f->u.fs.result;
  jobject extra = NULL;
  if (!(*env)->ExceptionCheck(env)) extra = fs_extra_or_fail(env, f);
  if ((*env)->ExceptionCheck(env)) {
    extra = (*env)->ExceptionOccurred(env);
    (*env)->ExceptionClear(env);
    fs_release_result(f);
    result = UV_ENOMEM;
  }
  fs_cleanup(f);
  /* Before Java: its callback may reuse this request's slab entry at once. */
  fs_free(f);
  if (L != NULL) {
    (*env)->CallVoidMethod(env, L->self, Loop_completeFs, (jint) f->index, result, extra);
  } else {
    (*env)->CallVoidMethod(env, target, FsRequest_onComplete, result, extra);
  }
}

/* Whether a completion goes into the loop's batch: its result is a number, or a stat. */
static int fs_batchable(uvj_fs *f) {
  if (atomic_load(&fail_count) > 0) return 0; /* the test hook builds results the direct way */
  if (f->u.fs.result < 0) return f->u.fs.fs_type != UV_FS_CLOSEDIR; /* closedir: see fs_cleanup */
  switch (f->u.fs.fs_type) {
    case UV_FS_STAT: case UV_FS_LSTAT: case UV_FS_FSTAT:
      return 2;
    case UV_FS_STATFS: case UV_FS_READLINK: case UV_FS_REALPATH: case UV_FS_MKDTEMP:
    case UV_FS_MKSTEMP: case UV_FS_OPENDIR: case UV_FS_SCANDIR: case UV_FS_READDIR:
      return 0;
    default:
      return 1;
  }
}

/*
 * Completion on the loop thread: hand result and extra to Java, then free everything. The loop
 * thread stays inside one native frame (uv_run) for the whole run, so the result's local refs
 * live in a frame of their own, popped here.
 */
static void on_fs(uv_fs_t *req) {
  uvj_fs *f = (uvj_fs *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  f->completed = 1;
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  /* Batched only inside uv__work_done, which delivers the batch when it returns; completions
   * from elsewhere (1.45+'s io_uring) go to Java at once, in the poll phase as libuv reports them. */
  int kind = L->in_work_done ? fs_batchable(f) : 0;
  if (kind != 0) { /* the common case: a record in the loop's batch, no Java object */
    int stat = kind == 2;
    int64_t *v = uvj_done_append(L, f->index, stat ? UVJ_DONE_FS_STAT : UVJ_DONE_FS,
                                 (jlong) req->result, stat ? UVJ_DONE_STAT_LONGS : 0);
    if (v != NULL && stat) {
      const uv_stat_t *s = &req->statbuf;
      int64_t w[UVJ_DONE_STAT_LONGS] = {
        (int64_t) s->st_dev, (int64_t) s->st_mode, (int64_t) s->st_nlink, (int64_t) s->st_uid,
        (int64_t) s->st_gid, (int64_t) s->st_rdev, (int64_t) s->st_ino, (int64_t) s->st_size,
        (int64_t) s->st_blksize, (int64_t) s->st_blocks, (int64_t) s->st_flags, (int64_t) s->st_gen,
        s->st_atim.tv_sec, s->st_atim.tv_nsec, s->st_mtim.tv_sec, s->st_mtim.tv_nsec,
        s->st_ctim.tv_sec, s->st_ctim.tv_nsec, s->st_birthtim.tv_sec, s->st_birthtim.tv_nsec };
      memcpy(v, w, sizeof w);
    }
    fs_cleanup(f);
    fs_free(f);
    return;
  }
  JNIEnv *env = uvj_env(L); /* flushes the batch first: order is kept */
  int framed = (*env)->PushLocalFrame(env, 8) == 0; /* on failure an OOM is pending: see fs_deliver */
  fs_deliver(env, f, NULL, L); /* f may belong to another request from here on */
  uvj_after_upcall(env, L);
  if (framed) (*env)->PopLocalFrame(env, NULL);
}

/* The request: the loop's slab entry `index` for async, the caller's stack struct for sync. */
static uvj_fs *fs_begin(JNIEnv *env, jboolean async, jlong loop, jint index, uvj_fs *sync) {
  if (!async) {
    memset(sync, 0, sizeof *sync);
    return sync;
  }
  return uvj_req_slot(env, uvj_ptr(loop), index);
}

/*
 * After uv_fs_*: for async, r is 0 (queued: returns the request's address, for cancel) or a
 * submission error (nothing queued: free, return r); for sync, the operation is done: report
 * through the same Java callback, on this thread.
 */
static jlong fs_end(JNIEnv *env, jboolean async, jobject sync_target, uvj_fs *f, int r) {
  if (async) {
    if (r < 0) {
      f->u.fs.result = r;
      uv_fs_req_cleanup(&f->u.fs);
      fs_free(f);
      return r;
    }
    uvj_count(UVJ_COUNT_REQUESTS, 1);
    return 0;
  }
  /* Arguments libuv refuses up front (e.g. copyfile's flags) come back in r only. */
  if (r < 0) f->u.fs.result = r;
  fs_deliver(env, f, sync_target, NULL); /* an exception it leaves pending goes to the caller */
  fs_free(f);
  return r < 0 ? r : 0;
}

/* How many paths an operation takes (fs_op). */
static int op_paths(int op) {
  switch (op) {
    case UV_FS_RENAME: case UV_FS_LINK: case UV_FS_SYMLINK: case UV_FS_COPYFILE:
      return 2;
    case UV_FS_OPEN: case UV_FS_STAT: case UV_FS_LSTAT: case UV_FS_UTIME: case UV_FS_LUTIME:
    case UV_FS_ACCESS: case UV_FS_CHMOD: case UV_FS_UNLINK: case UV_FS_RMDIR: case UV_FS_MKDIR:
    case UV_FS_MKDTEMP: case UV_FS_MKSTEMP: case UV_FS_SCANDIR: case UV_FS_READLINK:
    case UV_FS_REALPATH: case UV_FS_CHOWN: case UV_FS_LCHOWN: case UV_FS_OPENDIR: case UV_FS_STATFS:
      return 1;
    default:
      return 0;
  }
}

/*
 * Every operation but read/write/readdir. `async` selects the form; `target` is the Java
 * FsRequest either way. Arguments not used by an operation are ignored.
 */
static jlong fs_op(JNIEnv *env, jclass c, jint op, jlong loop, jboolean async, jobject target,
                   jint index, jbyteArray jpath, jbyteArray jpath2, jlong a, jlong b, jlong d, jlong e,
                   jdouble t1, jdouble t2) {
  (void) c;
  uvj_fs sync_req;
  uv_loop_t *lp = async ? uvj_ptr(loop) : &sync_loop;
  uv_fs_cb cb = async ? on_fs : NULL;
  int oom = 0;
  char small1[UVJ_SMALL_PATH], small2[UVJ_SMALL_PATH];
  char *path = path_dup(env, jpath, small1, &oom);
  char *path2 = path_dup(env, jpath2, small2, &oom);
  if (oom || (path == NULL && op_paths(op) >= 1) || (path2 == NULL && op_paths(op) == 2)) {
    path_free(path, small1);
    path_free(path2, small2);
    /* Java checks every path first; a null one reaching libuv would crash it in strlen/assert */
    uvj_throw(env, oom ? "java/lang/OutOfMemoryError" : "java/lang/NullPointerException",
              oom ? "uv4j: no native memory for a path" : "uv4j: a path of this fs operation is null");
    return 0;
  }
  uvj_fs *f = fs_begin(env, async, loop, index, &sync_req);
  if (f == NULL) {
    path_free(path, small1);
    path_free(path2, small2);
    return 0;
  }
  uv_fs_t *req = &f->u.fs;
  uv_file fd = (uv_file) a;
  int r;
  if (async) uvj_pool_mark_used();
  switch (op) {
    case UV_FS_OPEN: r = uv_fs_open(lp, req, path, (int) a, (int) b, cb); break;
    case UV_FS_CLOSE: r = uv_fs_close(lp, req, fd, cb); break;
    case UV_FS_SENDFILE: r = uv_fs_sendfile(lp, req, fd, (uv_file) b, (int64_t) d, (size_t) e, cb); break;
    case UV_FS_STAT: r = uv_fs_stat(lp, req, path, cb); break;
    case UV_FS_LSTAT: r = uv_fs_lstat(lp, req, path, cb); break;
    case UV_FS_FSTAT: r = uv_fs_fstat(lp, req, fd, cb); break;
    case UV_FS_FTRUNCATE: r = uv_fs_ftruncate(lp, req, fd, (int64_t) b, cb); break;
    case UV_FS_UTIME: r = uv_fs_utime(lp, req, path, t1, t2, cb); break;
    case UV_FS_FUTIME: r = uv_fs_futime(lp, req, fd, t1, t2, cb); break;
    case UV_FS_LUTIME: r = uv_fs_lutime(lp, req, path, t1, t2, cb); break;
    case UV_FS_ACCESS: r = uv_fs_access(lp, req, path, (int) a, cb); break;
    case UV_FS_CHMOD: r = uv_fs_chmod(lp, req, path, (int) a, cb); break;
    case UV_FS_FCHMOD: r = uv_fs_fchmod(lp, req, fd, (int) b, cb); break;
    case UV_FS_FSYNC: r = uv_fs_fsync(lp, req, fd, cb); break;
    case UV_FS_FDATASYNC: r = uv_fs_fdatasync(lp, req, fd, cb); break;
    case UV_FS_UNLINK: r = uv_fs_unlink(lp, req, path, cb); break;
    case UV_FS_RMDIR: r = uv_fs_rmdir(lp, req, path, cb); break;
    case UV_FS_MKDIR: r = uv_fs_mkdir(lp, req, path, (int) a, cb); break;
    case UV_FS_MKDTEMP: r = uv_fs_mkdtemp(lp, req, path, cb); break;
    case UV_FS_MKSTEMP: r = uv_fs_mkstemp(lp, req, path, cb); break;
    case UV_FS_RENAME: r = uv_fs_rename(lp, req, path, path2, cb); break;
    case UV_FS_SCANDIR: r = uv_fs_scandir(lp, req, path, (int) a, cb); break;
    case UV_FS_LINK: r = uv_fs_link(lp, req, path, path2, cb); break;
    case UV_FS_SYMLINK: r = uv_fs_symlink(lp, req, path, path2, (int) a, cb); break;
    case UV_FS_READLINK: r = uv_fs_readlink(lp, req, path, cb); break;
    case UV_FS_REALPATH: r = uv_fs_realpath(lp, req, path, cb); break;
#ifndef _WIN32
    case UV_FS_COPYFILE: /* fs_copyfile.c: libuv's copy never ends on a file shorter than its size */
      if (async) {
        r = uvj_copyfile_queue(lp, f, path, path2, (int) a, on_fs);
      } else {
        memset(req, 0, sizeof *req);
        req->type = UV_FS;
        req->fs_type = UV_FS_COPYFILE;
        req->result = r = uvj_copyfile_run(path, path2, (int) a);
      }
      break;
#else
    case UV_FS_COPYFILE: r = uv_fs_copyfile(lp, req, path, path2, (int) a, cb); break;
#endif
    case UV_FS_CHOWN: r = uv_fs_chown(lp, req, path, (uv_uid_t) a, (uv_gid_t) b, cb); break;
    case UV_FS_LCHOWN: r = uv_fs_lchown(lp, req, path, (uv_uid_t) a, (uv_gid_t) b, cb); break;
    case UV_FS_FCHOWN: r = uv_fs_fchown(lp, req, fd, (uv_uid_t) b, (uv_gid_t) d, cb); break;
    case UV_FS_OPENDIR: r = uv_fs_opendir(lp, req, path, cb); break;
    case UV_FS_CLOSEDIR: r = uv_fs_closedir(lp, req, uvj_ptr(a), cb); break;
    case UV_FS_STATFS: r = uv_fs_statfs(lp, req, path, cb); break;
    default: memset(req, 0, sizeof *req); r = UV_EINVAL; break; /* no INIT ran: cleanup-safe */
  }
  path_free(path, small1);
  path_free(path2, small2);
  return fs_end(env, async, target, f, r);
}

/*
 * A StatRequest's stat/lstat/fstat (op): the path is the first `len` bytes of a byte[] the
 * request reuses, so neither side allocates per call. Always async; 0 once queued, else the
 * submission error (nothing queued).
 */
static jint fs_stat_req(JNIEnv *env, jclass c, jint op, jlong loop, jint index, jbyteArray jpath,
                        jint len, jint fd) {
  (void) c;
  char small[UVJ_SMALL_PATH];
  char *path = NULL;
  if (op != UV_FS_FSTAT) {
    /* Java encodes into an array of at least len bytes and checks for NULs and null */
    if (jpath == NULL || len < 0 || len > (*env)->GetArrayLength(env, jpath)) {
      uvj_throw(env, "java/lang/IllegalArgumentException", "uv4j: bad path length for a stat");
      return 0;
    }
    path = len < UVJ_SMALL_PATH ? small : malloc((size_t) len + 1);
    if (path == NULL) {
      uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a path");
      return 0;
    }
    (*env)->GetByteArrayRegion(env, jpath, 0, len, (jbyte *) path);
    path[len] = '\0';
  }
  uvj_fs *f = fs_begin(env, JNI_TRUE, loop, index, NULL);
  if (f == NULL) {
    path_free(path, small);
    return 0;
  }
  uv_loop_t *lp = uvj_ptr(loop);
  uv_fs_t *req = &f->u.fs;
  int r;
  uvj_pool_mark_used();
  switch (op) {
    case UV_FS_STAT: r = uv_fs_stat(lp, req, path, on_fs); break;
    case UV_FS_LSTAT: r = uv_fs_lstat(lp, req, path, on_fs); break;
    case UV_FS_FSTAT: r = uv_fs_fstat(lp, req, (uv_file) fd, on_fs); break;
    default: memset(req, 0, sizeof *req); r = UV_EINVAL; break; /* no INIT ran: cleanup-safe */
  }
  if (path != NULL) path_free(path, small);
  return (jint) fs_end(env, JNI_TRUE, NULL, f, r);
}

/*
 * uv_fs_read / uv_fs_write over direct buffers: bufs[i] from positions[i], lengths[i] bytes.
 * offset -1 means the file position.
 */
static jlong fs_rw(JNIEnv *env, jclass c, jint op, jlong loop, jboolean async, jobject target,
                   jint index, jlong fd, jobjectArray jbufs, jintArray jpositions, jintArray jlengths,
                   jlong offset) {
  (void) c;
  uvj_fs sync_req;
  /* Java passes matching, non-empty arrays; refuse anything else rather than read past them */
  jsize n = jbufs != NULL ? (*env)->GetArrayLength(env, jbufs) : 0;
  if (n == 0 || jpositions == NULL || jlengths == NULL ||
      (*env)->GetArrayLength(env, jpositions) < n || (*env)->GetArrayLength(env, jlengths) < n) {
    uvj_throw(env, "java/lang/IllegalArgumentException", "uv4j: bad buffer arrays");
    return 0;
  }
  /* libuv copies the descriptors into the request: small arrays live on this stack frame */
  uv_buf_t small_bufs[8];
  jint small_pos[8], small_len[8];
  int heap = n > 8;
  uv_buf_t *bufs = heap ? calloc((size_t) n, sizeof *bufs) : small_bufs;
  jint *positions = heap ? calloc((size_t) n, sizeof *positions) : small_pos;
  jint *lengths = heap ? calloc((size_t) n, sizeof *lengths) : small_len;
  int r = 0;
  if (bufs == NULL || positions == NULL || lengths == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for buffers");
    goto out;
  }
  (*env)->GetIntArrayRegion(env, jpositions, 0, n, positions);
  (*env)->GetIntArrayRegion(env, jlengths, 0, n, lengths);
  for (jsize i = 0; i < n; i++) {
    jobject b = (*env)->GetObjectArrayElement(env, jbufs, i);
    char *base = b != NULL ? (*env)->GetDirectBufferAddress(env, b) : NULL;
    jlong cap = b != NULL ? (*env)->GetDirectBufferCapacity(env, b) : -1;
    if (b != NULL) (*env)->DeleteLocalRef(env, b);
    if (base == NULL || positions[i] < 0 || lengths[i] < 0 ||
        (jlong) positions[i] + lengths[i] > cap) { /* Java only passes direct buffers and ranges inside them */
      uvj_throw(env, "java/lang/IllegalArgumentException", "uv4j: not a direct buffer, or a range outside it");
      goto out;
    }
    bufs[i] = uv_buf_init(base + positions[i], (unsigned int) lengths[i]);
  }
  uvj_fs *f = fs_begin(env, async, loop, index, &sync_req);
  if (f == NULL) goto out;
  uv_loop_t *lp = async ? uvj_ptr(loop) : &sync_loop;
  uv_fs_cb cb = async ? on_fs : NULL;
  if (async) uvj_pool_mark_used();
  r = op == UV_FS_READ
      ? uv_fs_read(lp, &f->u.fs, (uv_file) fd, bufs, (unsigned int) n, (int64_t) offset, cb)
      : uv_fs_write(lp, &f->u.fs, (uv_file) fd, bufs, (unsigned int) n, (int64_t) offset, cb);
  if (heap) {
    free(bufs);
    free(positions);
    free(lengths);
  }
  return fs_end(env, async, target, f, r);
out:
  if (heap) {
    free(bufs);
    free(positions);
    free(lengths);
  }
  return 0;
}

/* uv_fs_readdir: up to `max` entries of an opened directory. */
static jlong fs_readdir(JNIEnv *env, jclass c, jlong loop, jboolean async, jobject target,
                        jint index, jlong dir_address, jint max) {
  (void) c;
  uvj_fs sync_req;
  uv_dir_t *dir = uvj_ptr(dir_address);
  if (dir == NULL || max < 1) { /* Java checks both (Dir's state, maxEntries) */
    uvj_throw(env, "java/lang/IllegalArgumentException", "uv4j: no directory, or maxEntries < 1");
    return 0;
  }
  uvj_fs *f = fs_begin(env, async, loop, index, &sync_req);
  if (f == NULL) return 0;
  f->dirents = calloc(max > 0 ? (size_t) max : 1, sizeof *f->dirents);
  if (f->dirents == NULL) {
    f->u.fs.result = UV_ENOMEM; /* reported like any failure of the operation */
    return fs_end(env, async, target, f, UV_ENOMEM);
  }
  dir->dirents = f->dirents;
  dir->nentries = (size_t) max;
  if (async) uvj_pool_mark_used();
  int r = uv_fs_readdir(async ? uvj_ptr(loop) : &sync_loop, &f->u.fs, dir, async ? on_fs : NULL);
  return fs_end(env, async, target, f, r);
}

/*
 * uv_cancel on a queued request: 0 (on_fs follows with UV_ECANCELED) or UV_EBUSY (a pool thread
 * runs it, or it is done and waits for on_fs). Loop thread; Java only calls it before on_fs.
 */
static jint fs_cancel(JNIEnv *env, jclass c, jlong loop, jint index) {
  (void) env; (void) c;
  uvj_fs *f = uvj_req_find(uvj_ptr(loop), index);
  if (f == NULL || f->completed) return UV_EBUSY; /* reported, Java not told yet: never re-cancel */
  return uv_cancel(&f->u.req);
}

/* Open flags and friends differ between platforms: Java reads them here (order: Fs.java). */
static jintArray fs_constants(JNIEnv *env, jclass c) {
  (void) c;
  const jint v[] = {
    UV_FS_O_RDONLY, UV_FS_O_WRONLY, UV_FS_O_RDWR, UV_FS_O_CREAT, UV_FS_O_EXCL, UV_FS_O_TRUNC,
    UV_FS_O_APPEND, UV_FS_O_SYNC, UV_FS_O_DSYNC, UV_FS_O_DIRECTORY, UV_FS_O_NOFOLLOW,
    UV_FS_O_NOATIME, UV_FS_O_DIRECT, UV_FS_O_NONBLOCK, UV_FS_O_NOCTTY,
    F_OK, R_OK, W_OK, X_OK,
    UV_FS_COPYFILE_EXCL, UV_FS_COPYFILE_FICLONE, UV_FS_COPYFILE_FICLONE_FORCE,
    UV_FS_SYMLINK_DIR, UV_FS_SYMLINK_JUNCTION };
  jintArray a = (*env)->NewIntArray(env, UVJ_COUNT_OF(v));
  if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, UVJ_COUNT_OF(v), v);
  return a;
}

int uvj_fs_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nOp", "(IJZLio/uv4j/FsRequest;I[B[BJJJJDD)J", (void *) fs_op },
    { "nReadWrite", "(IJZLio/uv4j/FsRequest;IJ[Ljava/nio/ByteBuffer;[I[IJ)J", (void *) fs_rw },
    { "nReaddir", "(JZLio/uv4j/FsRequest;IJI)J", (void *) fs_readdir },
    { "nCancel", "(JI)I", (void *) fs_cancel },
    { "nStat", "(IJI[BII)I", (void *) fs_stat_req },
    { "nConstants", "()[I", (void *) fs_constants },
    { "nFailNextResults", "(II)V", (void *) fs_fail_next_results },
  };
  FsRequest_onComplete = uvj_method_id(env, "io/uv4j/FsRequest", "onComplete", "(JLjava/lang/Object;)V");
  if (FsRequest_onComplete == NULL) return -1;
  Loop_completeFs = uvj_method_id(env, "io/uv4j/Loop", "completeFs", "(IJLjava/lang/Object;)V");
  if (Loop_completeFs == NULL) return -1;
  if ((uvj.Object = uvj_class_ref(env, "java/lang/Object")) == NULL) return -1;
  if ((byte_array_class = uvj_class_ref(env, "[B")) == NULL) return -1;
  int ring_fd;
  if (uvj_loop_init_tracked(&sync_loop, &ring_fd) != 0) return -1;
  sync_loop_ready = 1;
  uvj_library_loop(UVJ_LIBRARY_SYNC, &sync_loop, ring_fd);
  sync_ring_fd = ring_fd;
  return uvj_register(env, "io/uv4j/FsRequest", methods, UVJ_COUNT_OF(methods));
}

void uvj_fs_unload(JNIEnv *env) {
  FsRequest_onComplete = Loop_completeFs = NULL;
  uvj_class_unref(env, &uvj.Object);
  uvj_class_unref(env, &byte_array_class);
  uvj_library_loop(UVJ_LIBRARY_SYNC, NULL, -1);
  if (sync_loop_ready && uv_loop_close(&sync_loop) == 0) uvj_loop_closed_tracked(sync_ring_fd); /* no handles: closes */
  sync_loop_ready = 0;
}
