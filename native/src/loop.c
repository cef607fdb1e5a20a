/* io.uv4j.Loop: a uv_loop_t with its Java peer, run/stop/close, and Loop.execute's wake-up. */
#include "uv4j.h"

#include <signal.h>
#include <stdlib.h>

/* This file's cache, filled by uvj_loop_load. */
static struct {
  jclass Handle;            /* the element type of Loop.handles()' array */
  jmethodID Loop_runTasks;  /* void runTasks() */
} uvj;

/* Runs on the loop thread when Loop.execute woke the loop: drain the task queue in Java. */
static void on_wakeup(uv_async_t *async) {
  uvj_loop *L = uvj_loop_of(async->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  if (L->ffm_loop != NULL) {
    L->ffm_loop(L->ffm_id, UVJ_FFM_RUN_TASKS, 0);
    return;
  }
  (*env)->CallVoidMethod(env, L->self, uvj.Loop_runTasks);
  uvj_after_upcall(env, L);
}

static int wakeup_init(uvj_loop *L) {
  int r = uv_async_init(&L->loop, &L->wakeup, on_wakeup);
  if (r == 0) uv_unref((uv_handle_t *) &L->wakeup); /* execute() alone never keeps a loop alive */
  return r;
}

/*
 * The completion buffer (work.c) is the loop's own memory: allocated here, freed by loop_close.
 * Java reads it through a view (nDoneBuffer) only inside onCompletions, which cannot run once the
 * loop is closed. A Java direct buffer would hold its 256 KiB until a GC found the closed Loop:
 * a program that creates and closes loops often kept tens of MiB that way, and with the default
 * direct-memory limit made the JDK force full GCs.
 */
#define UVJ_DONE_CAPACITY (256 * 1024)

static jlong loop_init(JNIEnv *env, jclass c, jobject self) {
  (void) c;
  uvj_loop *L = calloc(1, sizeof *L);
  unsigned char *done_base = malloc(UVJ_DONE_CAPACITY); /* 16-aligned: records are 8-aligned */
  if (L == NULL || done_base == NULL) {
    free(L);
    free(done_base);
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a loop");
    return 0;
  }
  L->done_base = done_base;
  L->done_cap = UVJ_DONE_CAPACITY;
  int r = uvj_loop_init_tracked(&L->loop, &L->ring_fd);
  if (r != 0) {
    free(done_base);
    free(L);
    uvj_throw_uv(env, r, "uv_loop_init", NULL, NULL);
    return 0;
  }
  if ((r = wakeup_init(L)) != 0) {
    uv_loop_close(&L->loop);
    uvj_loop_closed_tracked(L->ring_fd);
    free(done_base);
    free(L);
    uvj_throw_uv(env, r, "uv_async_init", NULL, NULL);
    return 0;
  }
  uvj_wrap_work_done(L);
  /* Timer fires in a batch (timer.c) rely on the ready queue of libuv 1.48's uv__run_timers. */
  L->timer_defer = uv_version() >= 0x013000;
  uvj_timer_snapshot(L);
  L->loop.data = L;
  L->self = uvj_new_global(env, self);
  uvj_count(UVJ_COUNT_LOOPS, 1);
  return uvj_address(L);
}

/* Java's view of the completion buffer; NULL with an exception pending if the JVM cannot make one. */
static jobject loop_done_buffer(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  uvj_loop *L = uvj_ptr(address);
  jobject b = (*env)->NewDirectByteBuffer(env, L->done_base, (jlong) L->done_cap);
  if (b == NULL && !(*env)->ExceptionCheck(env)) {
    uvj_throw(env, "java/lang/UnsupportedOperationException", "uv4j: this JVM has no JNI direct buffers");
  }
  return b;
}

static void on_wakeup_closed(uv_handle_t *h) {
  uvj_loop_of(h->loop)->wakeup_closed = 1;
}


/*
 * Java has already checked that no user handle or request is left. Close the internal wake-up
 * handle, let its close complete, then close the loop. On failure the wake-up handle is
 * re-created, so the loop stays fully usable and the caller gets the error.
 *
 * A uv_stop() flag left by a stop() outside run() (or by a task run in close()) makes the next
 * uv_run return before it does anything, which would leave the wake-up handle half-closed and
 * the loop EBUSY for ever (and a second close would abort in libuv): uv_run again until the
 * close callback really ran. Each uv_run clears the flag, so the second one does the work.
 */
static jint loop_close(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  uvj_loop *L = uvj_ptr(address);
  L->env = env;
  if (!uv_is_closing((uv_handle_t *) &L->wakeup)) {
    L->wakeup_closed = 0;
    uv_close((uv_handle_t *) &L->wakeup, on_wakeup_closed);
  }
  for (int i = 0; i < 4 && !L->wakeup_closed; i++) uv_run(&L->loop, UV_RUN_NOWAIT);
  uvj_flush_completions(env, L); /* nothing is in flight (Java checked); kept for safety */
  L->env = NULL;
  if (!L->wakeup_closed) return UV_EBUSY; /* cannot happen; never re-init a closing handle */
  int r = uv_loop_close(&L->loop);
  if (r != 0) {
    int r2 = wakeup_init(L);
    return r2 != 0 ? r2 : r;
  }
  uvj_loop_closed_tracked(L->ring_fd);
  uvj_req_slab_free(L);
  uvj_timer_slab_free(L);
  if (L->pending != NULL) uvj_delete_global(env, L->pending);
  if (L->read_buffer != NULL) uvj_delete_global(env, L->read_buffer);
  uvj_delete_global(env, L->self);
  free(L->done_base);
  free(L);
  uvj_count(UVJ_COUNT_LOOPS, -1);
  return 0;
}

static jint loop_run(JNIEnv *env, jclass c, jlong address, jint mode) {
  (void) c;
  uvj_loop *L = uvj_ptr(address);
  JNIEnv *outer = L->env;
  L->env = env;
  L->run_epoch++;          /* a new pass key: uv_run(DEFAULT) may start with a timers pass */
  uvj_timer_snapshot(L);
  int r = uv_run(&L->loop, (uv_run_mode) mode);
  /* Pool completions are delivered as uv__work_done returns; a Timer's quiet close may be left
   * (closing phase): never return to Java with a record undelivered. (A timer or loop-watcher
   * batch never is: its pass or phase delivered it. The flush counts one as late.) */
  uvj_flush_completions(env, L);
  L->env = outer;
  if (L->pending != NULL) {
    jthrowable t = L->pending;
    L->pending = NULL;
    (*env)->Throw(env, t);
    uvj_delete_global(env, t);
  }
  return r;
}

/* Tests compare the two ways a pass of timers reaches Java; off, every fire is its own upcall. */
static void loop_timer_batch(JNIEnv *env, jclass c, jlong address, jboolean on) {
  (void) env; (void) c;
  uvj_loop *L = uvj_ptr(address);
  L->timer_defer = on && uv_version() >= 0x013000;
}

/* Tests: a smaller completion buffer (at least 256 bytes: the largest fixed record is 176). */
static void loop_limit_batch(JNIEnv *env, jclass c, jlong address, jint bytes) {
  (void) env; (void) c;
  uvj_loop *L = uvj_ptr(address);
  if (bytes >= 256 && (size_t) bytes < L->done_cap && L->done_len == 0) L->done_cap = (size_t) bytes;
}

static void loop_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_stop(uvj_ptr(address));
}

static jboolean loop_alive(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_loop_alive(uvj_ptr(address)) ? JNI_TRUE : JNI_FALSE;
}

static jlong loop_now(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return (jlong) uv_now(uvj_ptr(address));
}

static void loop_update_time(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_update_time(uvj_ptr(address));
}

static jint loop_backend_timeout(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_backend_timeout(uvj_ptr(address));
}

static jint loop_backend_fd(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_backend_fd(uvj_ptr(address));
}

/* option 0: block SIGPROF while polling; option 1: collect idle-time metrics. */
static jint loop_configure(JNIEnv *env, jclass c, jlong address, jint option) {
  (void) env; (void) c;
  uv_loop_t *loop = uvj_ptr(address);
  switch (option) {
#ifdef SIGPROF
    case 0: return uv_loop_configure(loop, UV_LOOP_BLOCK_SIGNAL, SIGPROF);
#endif
    case 1: return uv_loop_configure(loop, UV_METRICS_IDLE_TIME);
    default: return UV_EINVAL;
  }
}

static jlong loop_idle_time(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return (jlong) uv_metrics_idle_time(uvj_ptr(address));
}

static jint loop_wakeup(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uvj_loop *L = uvj_ptr(address);
  return uv_async_send(&L->wakeup);
}

/* While a backlog of execute() tasks remains, the wake-up handle keeps the loop alive. */
static void loop_wakeup_ref(JNIEnv *env, jclass c, jlong address, jboolean ref) {
  (void) env; (void) c;
  uvj_loop *L = uvj_ptr(address);
  if (ref) uv_ref((uv_handle_t *) &L->wakeup);
  else uv_unref((uv_handle_t *) &L->wakeup);
}

/* The loop's read buffer: a Java direct ByteBuffer (so a view kept past a callback can never
 * point at freed memory); native code keeps it reachable and reads into it. */
static jint loop_set_read_buffer(JNIEnv *env, jclass c, jlong address, jobject buffer) {
  (void) c;
  uvj_loop *L = uvj_ptr(address);
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  jlong size = (*env)->GetDirectBufferCapacity(env, buffer);
  if (base == NULL || size <= 0) return UV_EINVAL;
  jobject ref = uvj_new_global(env, buffer);
  if (ref == NULL) return UV_ENOMEM;
  if (L->read_buffer != NULL) uvj_delete_global(env, L->read_buffer);
  L->read_buffer = ref;
  L->read_base = base;
  L->read_size = (size_t) size;
  return 0;
}

struct walk_state { JNIEnv *env; uvj_loop *L; jobjectArray out; int n; int failed; };

static void count_handle(uv_handle_t *h, void *arg) {
  struct walk_state *s = arg;
  if (h != (uv_handle_t *) &s->L->wakeup) s->n++;
}

static void collect_handle(uv_handle_t *h, void *arg) {
  struct walk_state *s = arg;
  if (h == (uv_handle_t *) &s->L->wakeup || s->out == NULL || s->failed) return;
  if (h->data != NULL) {
    (*s->env)->SetObjectArrayElement(s->env, s->out, s->n++, (jobject) h->data);
    return;
  }
  jobject peer = uvj_handle_peer(s->env, h); /* a Timer: known by its table index */
  if ((*s->env)->ExceptionCheck(s->env)) { /* cannot happen (an array read); never continue */
    s->failed = 1;
    return;
  }
  (*s->env)->SetObjectArrayElement(s->env, s->out, s->n++, peer);
  if (peer != NULL) (*s->env)->DeleteLocalRef(s->env, peer);
}

/* The Java peers of every user handle of the loop, closing ones included (like uv_walk). */
static jobjectArray loop_handles(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  struct walk_state s = { env, uvj_ptr(address), NULL, 0, 0 };
  uv_walk(&s.L->loop, count_handle, &s);
  s.out = (*env)->NewObjectArray(env, s.n, uvj.Handle, NULL);
  s.n = 0;
  uv_walk(&s.L->loop, collect_handle, &s);
  return s.failed ? NULL : s.out;
}

int uvj_loop_load(JNIEnv *env) {
  if ((uvj.Handle = uvj_class_ref(env, "io/uv4j/Handle")) == NULL) return -1;
  uvj.Loop_runTasks = uvj_method_id(env, "io/uv4j/Loop", "runTasks", "()V");
  if (uvj.Loop_runTasks == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nInit", "(Lio/uv4j/Loop;)J", (void *) loop_init },
    { "nDoneBuffer", "(J)Ljava/nio/ByteBuffer;", (void *) loop_done_buffer },
    { "nClose", "(J)I", (void *) loop_close },
    { "nRun", "(JI)I", (void *) loop_run },
    { "nStop", "(J)V", (void *) loop_stop },
    { "nTimerBatch", "(JZ)V", (void *) loop_timer_batch },
    { "nLimitBatch", "(JI)V", (void *) loop_limit_batch },
    { "nAlive", "(J)Z", (void *) loop_alive },
    { "nNow", "(J)J", (void *) loop_now },
    { "nUpdateTime", "(J)V", (void *) loop_update_time },
    { "nBackendTimeout", "(J)I", (void *) loop_backend_timeout },
    { "nBackendFd", "(J)I", (void *) loop_backend_fd },
    { "nConfigure", "(JI)I", (void *) loop_configure },
    { "nIdleTime", "(J)J", (void *) loop_idle_time },
    { "nWakeup", "(J)I", (void *) loop_wakeup },
    { "nWakeupRef", "(JZ)V", (void *) loop_wakeup_ref },
    { "nSetReadBuffer", "(JLjava/nio/ByteBuffer;)I", (void *) loop_set_read_buffer },
    { "nHandles", "(J)[Lio/uv4j/Handle;", (void *) loop_handles },
  };
  return uvj_register(env, "io/uv4j/Loop", methods, UVJ_COUNT_OF(methods));
}

void uvj_loop_unload(JNIEnv *env) {
  uvj_class_unref(env, &uvj.Handle);
  uvj.Loop_runTasks = NULL;
}
