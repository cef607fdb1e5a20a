/* io.uv4j.WorkRequest on uv_work_t: Java code run on libuv's own thread pool. */
#include "uv4j.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* This file's cache, filled by uvj_work_load. */
static struct {
  jmethodID Loop_runWork;        /* void runWork(int index), on a pool thread */
  jmethodID Loop_onCompletions;  /* void onCompletions(int count), on the loop thread */
} uvj;

/* ---- the per-loop request slab ---- */

#define UVJ_CHUNK_SHIFT 8
#define UVJ_CHUNK (1 << UVJ_CHUNK_SHIFT)

uvj_req *uvj_req_find(uvj_loop *L, jint index) {
  if (index < 0) return NULL;
  int c = index >> UVJ_CHUNK_SHIFT;
  if (c >= L->req_nchunks || L->req_chunks[c] == NULL) return NULL;
  return &L->req_chunks[c][index & (UVJ_CHUNK - 1)];
}

uvj_req *uvj_req_slot(JNIEnv *env, uvj_loop *L, jint index) {
  uvj_req *r = uvj_req_find(L, index);
  if (r == NULL && index >= 0) { /* growth only: the steady state allocates nothing */
    int c = index >> UVJ_CHUNK_SHIFT;
    if (c >= L->req_nchunks) {
      int n = L->req_nchunks == 0 ? 4 : L->req_nchunks;
      while (n <= c) n *= 2;
      uvj_req **chunks = realloc(L->req_chunks, (size_t) n * sizeof *chunks);
      if (chunks == NULL) goto oom;
      for (int i = L->req_nchunks; i < n; i++) chunks[i] = NULL;
      L->req_chunks = chunks;
      L->req_nchunks = n;
    }
    if ((L->req_chunks[c] = calloc(UVJ_CHUNK, sizeof(uvj_req))) == NULL) goto oom;
    r = &L->req_chunks[c][index & (UVJ_CHUNK - 1)];
  }
  if (r == NULL) goto oom;
  /* libuv initialises its part on submission (uv_queue_work, the uv_fs_* INIT): reset ours only */
  r->index = index;
  r->failed = 0;
  r->completed = 0;
  r->dirents = NULL;
  return r;
oom:
  uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a request");
  return NULL;
}

void uvj_req_slab_free(uvj_loop *L) {
  for (int i = 0; i < L->req_nchunks; i++) free(L->req_chunks[i]);
  free(L->req_chunks);
  L->req_chunks = NULL;
  L->req_nchunks = 0;
}

/* ---- completion batches ---- */

/*
 * Hands every record to Java in one upcall. The records stay where they are until Java has read
 * them; a flush cannot nest (no libuv callback runs while Java code of this loop runs).
 */
void uvj_flush_completions(JNIEnv *env, uvj_loop *L) {
  int count = L->done_count;
  if (count == 0 || L->flushing) return;
  if (L->deferred_pending != 0 && !L->batch_flush) { /* a miscount in timer.c/loop_watcher.c */
    uvj_count(UVJ_COUNT_LATE_TIMER_FIRES, L->deferred_pending);
  }
  L->flushing = 1;
  if (L->ffm_loop != NULL) {
    L->ffm_loop(L->ffm_id, UVJ_FFM_COMPLETIONS, (jint) count); /* catches everything itself */
  } else {
    (*env)->CallVoidMethod(env, L->self, uvj.Loop_onCompletions, (jint) count);
  }
  L->flushing = 0;
  L->done_count = 0;
  L->done_len = 0;
  L->deferred_pending = 0;
  uvj_after_upcall(env, L);
}

JNIEnv *uvj_batch_deliver(uvj_loop *L) {
  L->batch_flush = 1;
  JNIEnv *env = uvj_env(L);
  L->batch_flush = 0;
  return env;
}

/*
 * libuv's uv__work_done calls the done callback of every pool request that finished, in order;
 * ours only record them. When it returns, Java gets them all, before libuv looks at anything
 * else (the next async handle, the next poll event), so no decision libuv makes afterwards can
 * be based on a state Java has not caught up with.
 */
static void on_work_done(uv_async_t *async) {
  uvj_loop *L = uvj_loop_of(async->loop);
  L->in_work_done = 1;
  L->work_done(async);
  L->in_work_done = 0;
  if (L->done_count != 0) (void) uvj_env(L); /* flushes */
}

void uvj_wrap_work_done(uvj_loop *L) {
  L->work_done = L->loop.wq_async.async_cb;
  L->loop.wq_async.async_cb = on_work_done;
}

int64_t *uvj_done_append(uvj_loop *L, jint index, jint kind, jlong result, int extra_longs) {
  size_t need = UVJ_DONE_HEADER + (size_t) extra_longs * 8;
  if (L->done_len + need > L->done_cap) {
    JNIEnv *env = uvj_env(L); /* flushes */
    if (env == NULL) return NULL;
  }
  unsigned char *p = L->done_base + L->done_len;
  int32_t head[2] = { (int32_t) index, (int32_t) kind };
  int64_t res = (int64_t) result;
  memcpy(p, head, 8);
  memcpy(p + 8, &res, 8);
  L->done_len += need;
  L->done_count++;
  return (int64_t *) (p + UVJ_DONE_HEADER); /* 8-byte aligned: every record is a multiple of 8 */
}

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

/* On a pool thread: run the Java work. Loop.runWork catches everything itself. */
static void on_work(uv_work_t *req) {
  uvj_req *w = (uvj_req *) req;
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
  /* The loop's peer is fixed for the loop's life; the table entry was written before queueing.
   * The thread is attached above in both cases, so an FFM up-call never attaches it itself. */
  uvj_loop *L = uvj_loop_of(req->loop);
  if (L->ffm_loop != NULL) {
    L->ffm_loop(L->ffm_id, UVJ_FFM_RUN_WORK, (jint) w->index); /* catches everything itself */
  } else {
    (*env)->CallVoidMethod(env, L->self, uvj.Loop_runWork, (jint) w->index);
  }
  if ((*env)->ExceptionCheck(env)) {
    /* Only an Error escaping the catch-all can land here; the request still completes. */
    (*env)->ExceptionDescribe(env);
    (*env)->ExceptionClear(env);
  }
  atomic_fetch_sub(&java_work_running, 1);
}

/*
 * On the loop thread, inside uv__work_done: status is 0 or UV_ECANCELED. Only recorded here;
 * Java gets it with the batch when uv__work_done returns (on_work_done).
 */
static void on_after(uv_work_t *req, int status) {
  uvj_req *w = (uvj_req *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  w->completed = 1;
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  uvj_done_append(L, w->index, UVJ_DONE_WORK, (jlong) (status != 0 ? status : w->failed), 0);
  if (!L->in_work_done) (void) uvj_env(L); /* not from uv__work_done (never seen): deliver now */
}

/* Queues the work whose WorkRequest is at `index` of the loop's request table. 0 or throws. */
static jint work_queue(JNIEnv *env, jclass c, jlong loop, jint index) {
  (void) c;
  uvj_loop *L = uvj_ptr(loop);
  uvj_req *w = uvj_req_slot(env, L, index);
  if (w == NULL) return -1;
  uvj_pool_mark_used();
  int r = uv_queue_work(&L->loop, &w->u.work, on_work, on_after);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_queue_work", NULL, NULL);
    return -1;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/*
 * 0: cancelled, on_after follows with UV_ECANCELED; UV_EBUSY: running or done (also when libuv
 * reported it and Java has not been told yet: never hand libuv a finished request). Loop thread.
 */
static jint req_cancel(JNIEnv *env, jclass c, jlong loop, jint index) {
  (void) env; (void) c;
  uvj_req *w = uvj_req_find(uvj_ptr(loop), index);
  if (w == NULL || w->completed) return UV_EBUSY;
  return uv_cancel(&w->u.req);
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
  uvj.Loop_runWork = uvj_method_id(env, "io/uv4j/Loop", "runWork", "(I)V");
  if (uvj.Loop_runWork == NULL) return -1;
  uvj.Loop_onCompletions = uvj_method_id(env, "io/uv4j/Loop", "onCompletions", "(I)V");
  if (uvj.Loop_onCompletions == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nQueue", "(JI)I", (void *) work_queue },
    { "nCancel", "(JI)I", (void *) req_cancel },
    { "nPoolSize", "()I", (void *) pool_size },
    { "nSetPoolSize", "(I)I", (void *) set_pool_size },
  };
  return uvj_register(env, "io/uv4j/WorkRequest", methods, UVJ_COUNT_OF(methods));
}

void uvj_work_unload(JNIEnv *env) {
  (void) env;
  uvj.Loop_runWork = uvj.Loop_onCompletions = NULL;
}
