/*
 * io.uv4j.FsPoll on uv_fs_poll_t: libuv stats the path every interval (on the thread pool) and
 * reports differences. Stats cross as the 20-long array of fs.c's fs_extra (order: Stat.java).
 */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>

static jmethodID FsPoll_onPoll; /* void onPoll(int status, long[] prev, long[] curr) */

/* Same layout as fs.c's fs_extra for UV_FS_STAT. */
static jlongArray stat_array(JNIEnv *env, const uv_stat_t *s) {
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

/*
 * On the loop thread. libuv passes zeroed stats for a side where stat failed. The arrays live in
 * a local frame of their own (the loop thread stays in one native frame for the whole run). If
 * they cannot be built (out of memory), the callback still runs, with null arrays (Java reports
 * zeroed stats) and status UV_ENOMEM.
 */
static void on_fs_poll(uv_fs_poll_t *h, int status, const uv_stat_t *prev, const uv_stat_t *curr) {
  uvj_loop *L = uvj_loop_of(h->loop);
  void *ctx = h->poll_ctx;
  JNIEnv *env = uvj_env(L);
  /*
   * libuv reports the poll's stat from uv__work_done, where the completions before it are still
   * batched (work.c): uvj_env just delivered them. If one of their callbacks stopped or closed
   * this handle, libuv would not have called back (its poll_cb checks the same): neither do we.
   */
  if (!uv_is_active((uv_handle_t *) h) || uv_is_closing((uv_handle_t *) h) || h->poll_ctx != ctx) return;
  int framed = (*env)->PushLocalFrame(env, 4) == 0;
  jlongArray p = framed ? stat_array(env, prev) : NULL;
  jlongArray c = p != NULL ? stat_array(env, curr) : NULL;
  if ((*env)->ExceptionCheck(env)) { /* OOM pushing the frame or building the stats */
    (*env)->ExceptionClear(env);
    p = c = NULL;
    status = UV_ENOMEM;
  }
  (*env)->CallVoidMethod(env, (jobject) h->data, FsPoll_onPoll, (jint) status, p, c);
  uvj_after_upcall(env, L);
  if (framed) (*env)->PopLocalFrame(env, NULL);
}

static jlong fs_poll_init(JNIEnv *env, jclass c, jlong loop, jobject self) {
  (void) c;
  uv_fs_poll_t *h = uvj_handle_alloc(env, sizeof *h, self);
  if (h == NULL) return 0;
  int r = uv_fs_poll_init(uvj_ptr(loop), h);
  if (r != 0) {
    uvj_handle_free_uninit(env, h);
    uvj_throw_uv(env, r, "uv_fs_poll_init", NULL, NULL);
    return 0;
  }
  uvj_loop_of(h->loop)->fs_polls++; /* its internal libuv timer is not a Timer (timer.c) */
  return uvj_address(h);
}

/* Returns libuv's result; the path is a UTF-8 byte array without NUL (Java checked). */
static jint fs_poll_start(JNIEnv *env, jclass c, jlong address, jbyteArray jpath, jlong interval) {
  (void) c;
  /*
   * A stopped poller's previous context lives on until its stat or timer is done. Restarting
   * over it makes libuv 1.44 re-arm the old context when its stat completes, and the timer
   * callback then asserts (fs-poll.c, parent_handle->poll_ctx == ctx): refuse until it is gone.
   */
  if (((uv_fs_poll_t *) uvj_ptr(address))->poll_ctx != NULL) return UV_EBUSY;
  jsize n = (*env)->GetArrayLength(env, jpath);
  char *path = malloc((size_t) n + 1);
  if (path == NULL) return UV_ENOMEM;
  (*env)->GetByteArrayRegion(env, jpath, 0, n, (jbyte *) path);
  path[n] = '\0';
  uvj_pool_mark_used(); /* every poll is a uv_fs_stat on the pool */
  uv_fs_poll_t *h = uvj_ptr(address);
  int r = uv_fs_poll_start(h, on_fs_poll, path, (unsigned int) interval);
  free(path); /* libuv keeps its own copy */
  uvj_timer_snapshot(uvj_loop_of(h->loop));
  return r;
}

static jint fs_poll_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_fs_poll_t *h = uvj_ptr(address);
  int r = uv_fs_poll_stop(h);
  uvj_timer_snapshot(uvj_loop_of(h->loop)); /* its internal timer left libuv's heap */
  return r;
}

/* The polled path as given to start, or null when the handle is not started (libuv: EINVAL). */
static jbyteArray fs_poll_getpath(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  char small[256];
  char *buf = small;
  size_t len = sizeof small;
  int r = uv_fs_poll_getpath(uvj_ptr(address), buf, &len);
  if (r == UV_ENOBUFS) { /* len is now the size needed, NUL included */
    if ((buf = malloc(len)) == NULL) {
      uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a path");
      return NULL;
    }
    r = uv_fs_poll_getpath(uvj_ptr(address), buf, &len);
  }
  jbyteArray out = NULL;
  if (r == 0) {
    out = (*env)->NewByteArray(env, (jsize) len);
    if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, (jsize) len, (const jbyte *) buf);
  } else if (r != UV_EINVAL) {
    uvj_throw_uv(env, r, "uv_fs_poll_getpath", NULL, NULL);
  }
  if (buf != small) free(buf);
  return out;
}

int uvj_fs_poll_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/FsPoll;)J", (void *) fs_poll_init },
    { "nStart", "(J[BJ)I", (void *) fs_poll_start },
    { "nStop", "(J)I", (void *) fs_poll_stop },
    { "nGetPath", "(J)[B", (void *) fs_poll_getpath },
  };
  jclass cls = (*env)->FindClass(env, "io/uv4j/FsPoll");
  if (cls == NULL) return -1;
  FsPoll_onPoll = (*env)->GetMethodID(env, cls, "onPoll", "(I[J[J)V");
  (*env)->DeleteLocalRef(env, cls);
  if (FsPoll_onPoll == NULL) return -1;
  return uvj_register(env, "io/uv4j/FsPoll", methods, UVJ_COUNT_OF(methods));
}

void uvj_fs_poll_unload(JNIEnv *env) {
  (void) env;
  FsPoll_onPoll = NULL;
}
