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

/* This file's cache, filled by uvj_work_load. */
static struct {
  jmethodID WorkRequest_runWork;  /* void runWork(), on a pool thread */
  jmethodID WorkRequest_onAfter;  /* void onAfter(int status), on the loop thread */
} uvj;

/*
 * Process exit. The C exit handlers run after the JVM has shut down (hooks run, Java streams
 * flushed); from then on any thread entering Java, or attaching, is parked for ever. Then libuv's
 * destructor (uv_library_shutdown) joins every pool thread, after they finished the work queued
 * before it: a thread parked in the dead VM, a Java item queued behind a busy thread, or an fs
 * read that never returns would hang the process for ever, deaf to SIGTERM (the JVM's signal
 * thread is gone). So:
 *  - the handler sets `exiting` and then reads `java_work_running`; a pool thread increments
 *    `java_work_running` and then reads `exiting` (all seq_cst: a Dekker pair). Either the thread
 *    sees `exiting` and skips the Java work, or the handler sees the thread and does not return;
 *  - with Java work running or any request still in flight (queued work, fs, DNS), the handler
 *    ends the process at once with its status (_exit: libuv's join is skipped).
 * glibc's on_exit passes the status; elsewhere there is no such handler (docs/ARCHITECTURE.md).
 * The handler cannot be unregistered: library.c pins the library so its code stays mapped, and
 * `exit_armed` makes it do nothing while the library is not loaded.
 */
static atomic_int java_work_running; /* pool threads inside, or about to enter, the JVM */
static atomic_int exiting;           /* set once by the exit handler */
static atomic_int exit_armed;

#ifdef __GLIBC__
static int exit_registered;          /* on_exit is called once per process */

static void on_process_exit(int status, void *unused) {
  (void) unused;
  if (!atomic_load(&exit_armed)) return;
  atomic_store(&exiting, 1);
  if (atomic_load(&java_work_running) > 0 || uvj_counter(UVJ_COUNT_REQUESTS) > 0) _exit(status);
}
#endif

int uvj_exit_handler_arm(void) {
#ifdef __GLIBC__
  if (!exit_registered) {
    if (on_exit(on_process_exit, NULL) != 0) return -1;
    exit_registered = 1;
  }
#endif
  atomic_store(&exit_armed, 1);
  return 0;
}

void uvj_exit_handler_disarm(void) { atomic_store(&exit_armed, 0); }

/* On a pool thread: run the Java work. WorkRequest.runWork catches everything itself. */
static void on_work(uv_work_t *req) {
  uvj_work *w = (uvj_work *) req;
  atomic_fetch_add(&java_work_running, 1);
  if (atomic_load(&exiting)) { /* the process is exiting: the JVM is gone, never enter it */
    w->failed = UV_ECANCELED;
    atomic_fetch_sub(&java_work_running, 1);
    return;
  }
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
  if (env == NULL) return; /* cannot happen inside uv_run; leak the request rather than crash */
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

int uvj_work_load(JNIEnv *env) {
  uvj.WorkRequest_runWork = uvj_method_id(env, "io/uv4j/WorkRequest", "runWork", "()V");
  if (uvj.WorkRequest_runWork == NULL) return -1;
  uvj.WorkRequest_onAfter = uvj_method_id(env, "io/uv4j/WorkRequest", "onAfter", "(I)V");
  if (uvj.WorkRequest_onAfter == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nQueue", "(JLio/uv4j/WorkRequest;)J", (void *) work_queue },
    { "nCancel", "(J)I", (void *) work_cancel },
    { "nPoolSize", "()I", (void *) pool_size },
    { "nSetPoolSize", "(I)I", (void *) set_pool_size },
  };
  return uvj_register(env, "io/uv4j/WorkRequest", methods, UVJ_COUNT_OF(methods));
}

void uvj_work_unload(JNIEnv *env) {
  (void) env;
  uvj.WorkRequest_runWork = uvj.WorkRequest_onAfter = NULL;
}
