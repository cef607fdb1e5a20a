/* io.uv4j.WorkRequest on uv_work_t: Java code run on libuv's own thread pool. */
#include "uv4j.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct uvj_work {
  uv_work_t req;   /* first: a uv_work_t* is a uvj_work* */
  jobject self;    /* global ref to the Java WorkRequest, released in on_after */
  int failed;      /* UV_ENOMEM when the pool thread could not be attached to the JVM */
} uvj_work;

/* Pool threads inside (or entering) the JVM right now. */
static atomic_int java_work_running;

/*
 * At process exit, libuv's destructor (uv_library_shutdown) joins every pool thread. A pool
 * thread that was running Java when the JVM exited is parked by the dead VM forever, so that join
 * would hang the process. This on_exit handler runs before the library destructors and gets the
 * exit status: with Java work in flight it ends the process right there. The VM has already shut
 * down (hooks run, Java streams flushed) when the C exit handlers run.
 */
static void exit_with_java_work_running(int status, void *unused) {
  (void) unused;
  if (atomic_load(&java_work_running) > 0) _exit(status);
}

/* On a pool thread: run the Java work. WorkRequest.runWork catches everything itself. */
static void on_work(uv_work_t *req) {
  uvj_work *w = (uvj_work *) req;
  atomic_fetch_add(&java_work_running, 1);
  JNIEnv *env = uvj_pool_env();
  if (env == NULL) { /* no JVM to run Java in: the request completes with an error */
    w->failed = UV_ENOMEM;
    atomic_fetch_sub(&java_work_running, 1);
    return;
  }
  (*env)->CallVoidMethod(env, w->self, uvj.WorkRequest_runWork);
  if ((*env)->ExceptionCheck(env)) {
    /* Only an Error escaping the catch-all can land here; the request still completes. */
    (*env)->ExceptionDescribe(env);
    (*env)->ExceptionClear(env);
  }
  atomic_fetch_sub(&java_work_running, 1);
}

/* On the loop thread: status is 0 or UV_ECANCELED. The request is freed after Java saw it. */
static void on_after(uv_work_t *req, int status) {
  uvj_work *w = (uvj_work *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  JNIEnv *env = uvj_env(L);
  (*env)->CallVoidMethod(env, w->self, uvj.WorkRequest_onAfter, (jint) (status != 0 ? status : w->failed));
  uvj_after_upcall(env, L);
  uvj_delete_global(env, w->self);
  free(w);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
}

static jlong work_queue(JNIEnv *env, jclass c, jlong loop, jobject self) {
  (void) c;
  uvj_work *w = calloc(1, sizeof *w);
  if (w == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a work request");
    return 0;
  }
  if ((w->self = uvj_new_global(env, self)) == NULL) {
    free(w);
    return 0;
  }
  uvj_pool_mark_used();
  int r = uv_queue_work(uvj_ptr(loop), &w->req, on_work, on_after);
  if (r != 0) {
    uvj_delete_global(env, w->self);
    free(w);
    uvj_throw_uv(env, r, "uv_queue_work", NULL, NULL);
    return 0;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return uvj_address(w);
}

/* 0: cancelled, on_after follows with UV_ECANCELED; UV_EBUSY: running or done. Loop thread. */
static jint work_cancel(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_cancel((uv_req_t *) uvj_ptr(address));
}

/* UV_THREADPOOL_SIZE as libuv 1.44 reads it: default 4; 0 means 1; at most 1024. */
static jint pool_size(JNIEnv *env, jclass c) {
  (void) env; (void) c;
  const char *v = getenv("UV_THREADPOOL_SIZE");
  if (v == NULL) return 4;
  unsigned int n = (unsigned int) atoi(v); /* libuv keeps it unsigned: negative means huge */
  if (n == 0) n = 1;
  return (jint) (n > 1024 ? 1024 : n);
}

/* libuv reads the variable once, at the pool's first use: refuse once that may have happened. */
static jint set_pool_size(JNIEnv *env, jclass c, jint n) {
  (void) env; (void) c;
  if (uvj_pool_is_used()) return UV_EBUSY;
  char buf[16];
  snprintf(buf, sizeof buf, "%d", (int) n);
#ifdef _WIN32
  return _putenv_s("UV_THREADPOOL_SIZE", buf) == 0 ? 0 : UV_EINVAL;
#else
  return setenv("UV_THREADPOOL_SIZE", buf, 1) == 0 ? 0 : UV_EINVAL;
#endif
}

int uvj_register_work(JNIEnv *env) {
#ifdef __GLIBC__
  if (on_exit(exit_with_java_work_running, NULL) != 0) return -1;
#endif
  static const JNINativeMethod methods[] = {
    { "nQueue", "(JLio/uv4j/WorkRequest;)J", (void *) work_queue },
    { "nCancel", "(J)I", (void *) work_cancel },
    { "nPoolSize", "()I", (void *) pool_size },
    { "nSetPoolSize", "(I)I", (void *) set_pool_size },
  };
  return uvj_register(env, "io/uv4j/WorkRequest", methods, UVJ_COUNT_OF(methods));
}
