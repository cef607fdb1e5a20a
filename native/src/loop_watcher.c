/*
 * io.uv4j.Idle, Prepare and Check: libuv implements the three "loop watchers" with one template
 * (src/unix/loop-watcher.c), so do we.
 *
 * Calls in a batch (docs/ARCHITECTURE.md, "Timer fires in a batch"): libuv's uv__run_<kind>
 * moves the kind's active handles to a local queue and calls them one by one; a handle called or
 * still to come stays active, and a callback changes what comes after it only by stopping or
 * closing a handle still in the queue (libuv takes it off). So the calls of one phase with two or
 * more handles are recorded (UVJ_DONE_CALL) and handed to Java at the phase's last call, and
 * Java skips a recorded call whose handle an earlier callback of the batch stopped or closed
 * (Handle.onBatchedCall). The phase is counted: it calls the kind's active handles (counted
 * here, at every start, stop and close), one down per call and per handle Java takes off the
 * queue. With batches off (libuv < 1.48, Windows, -Duv4j.timerBatch=false) one upcall per call.
 */
#include "uv4j.h"

/* This file's cache, filled by uvj_loop_watcher_load. */
static struct { jmethodID Idle_onIdle, Prepare_onPrepare, Check_onCheck; } uvj;

/* What the three kinds share after their libuv struct. */
typedef struct uvj_watch {
  jint peer;          /* the Java handle's index in the loop's table, or -1 */
  int kind;           /* UVJ_WATCH_* */
  int touched;        /* stopped or closed by Java since set to 0 (batch_call) */
  uint64_t called;    /* the phase (uvj_pass_key) that last called it */
} uvj_watch;

/* 1: recorded for the phase's batch (or, once the batch ran, not due any more); 0: call now. */
static int batch_call(uvj_loop *L, uv_handle_t *h, uvj_watch *w) {
  int k = w->kind;
  uint64_t key = uvj_pass_key(L);
  if (key != L->watch_key[k]) { /* the first call of a phase: no Java ran since it began */
    L->watch_key[k] = key;
    L->watch_left[k] = L->watch_active[k];
    L->watch_direct[k] = key == 0 || w->peer < 0 || L->watch_active[k] < 2 || L->deferred_pending != 0;
  }
  w->called = key;
  if (L->watch_direct[k]) return 0;
  L->watch_left[k]--;
  if (L->done_len + UVJ_DONE_HEADER > L->done_cap) { /* full: the calls before this one first */
    w->touched = 0;
    if (uvj_batch_deliver(L) == NULL) return 1;
    /* One of them stopped (maybe restarted) or closed it: libuv would have skipped it. */
    if (w->touched || !uv_is_active(h)) return 1;
  }
  uvj_done_append(L, w->peer, UVJ_DONE_CALL, 0, 0);
  L->deferred_pending++;
  if (L->watch_left[k] == 0) (void) uvj_batch_deliver(L); /* the phase's last call */
  return 1;
}

/* Before Java stops or closes an active handle of the kind: one less, and maybe one less to call. */
static void leaving(uvj_loop *L, uv_handle_t *h, uvj_watch *w) {
  w->touched = 1;
  if (!uv_is_active(h)) return;
  int k = w->kind;
  L->watch_active[k]--;
  if (L->watch_left[k] > 0 && !L->watch_direct[k] && w->called != L->watch_key[k]) L->watch_left[k]--;
}


/* A watcher: the libuv struct first (a uv_idle_t* is a uvj_idle*), then its uvj_watch. */
#define UVJ_LOOP_WATCHER(name, Name, KIND)                                                    \
  typedef struct uvj_##name { uv_##name##_t h; uvj_watch w; } uvj_##name;                     \
  static void on_##name(uv_##name##_t *h) {                                                   \
    uvj_loop *L = uvj_loop_of(h->loop);                                                       \
    uvj_##name *x = (uvj_##name *) h;                                                         \
    if (L->timer_defer && batch_call(L, (uv_handle_t *) h, &x->w)) return;                   \
    uvj_call_handle_peer((uv_handle_t *) h, x->w.peer, uvj.Name##_on##Name);                  \
  }                                                                                           \
  static jlong name##_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint peer) {      \
    (void) c;                                                                                 \
    uvj_##name *x = uvj_handle_alloc(env, sizeof *x, self);                                   \
    if (x == NULL) return 0;                                                                  \
    x->w.peer = peer;                                                                         \
    x->w.kind = KIND;                                                                         \
    x->w.called = 0;                                                                          \
    x->w.touched = 0;                                                                         \
    uv_##name##_t *h = &x->h;                                                                 \
    int r = uv_##name##_init(uvj_ptr(loop), h);                                               \
    if (r != 0) {                                                                             \
      uvj_handle_free_uninit(env, h);                                                         \
      uvj_throw_uv(env, r, "uv_" #name "_init", NULL, NULL);                                  \
      return 0;                                                                               \
    }                                                                                         \
    return uvj_address(h);                                                                    \
  }                                                                                           \
  static jint name##_start(JNIEnv *env, jclass c, jlong address) {                            \
    (void) env; (void) c;                                                                     \
    uvj_##name *x = uvj_ptr(address);                                                         \
    uvj_loop *L = uvj_loop_of(x->h.loop);                                                     \
    int was = uv_is_active((uv_handle_t *) &x->h);                                            \
    int r = uv_##name##_start(&x->h, on_##name);                                              \
    if (r == 0 && !was) {                                                                     \
      L->watch_active[KIND]++;                                                                \
      x->w.called = L->watch_key[KIND]; /* not in a phase under way: libuv queued it after */ \
    }                                                                                         \
    return r;                                                                                 \
  }                                                                                           \
  static jint name##_stop(JNIEnv *env, jclass c, jlong address) {                             \
    (void) env; (void) c;                                                                     \
    uvj_##name *x = uvj_ptr(address);                                                         \
    leaving(uvj_loop_of(x->h.loop), (uv_handle_t *) &x->h, &x->w);                            \
    return uv_##name##_stop(&x->h);                                                           \
  }                                                                                           \
  static int register_##name(JNIEnv *env) {                                                   \
    uvj.Name##_on##Name = uvj_method_id(env, "io/uv4j/" #Name, "on" #Name, "()V");            \
    if (uvj.Name##_on##Name == NULL) return -1;                                               \
    static const JNINativeMethod methods[] = {                                                \
      { "nInit", "(JLio/uv4j/" #Name ";I)J", (void *) name##_init },                          \
      { "nStart", "(J)I", (void *) name##_start },                                            \
      { "nStop", "(J)I", (void *) name##_stop },                                              \
    };                                                                                        \
    return uvj_register(env, "io/uv4j/" #Name, methods, UVJ_COUNT_OF(methods));               \
  }

UVJ_LOOP_WATCHER(idle, Idle, UVJ_WATCH_IDLE)
UVJ_LOOP_WATCHER(prepare, Prepare, UVJ_WATCH_PREPARE)
UVJ_LOOP_WATCHER(check, Check, UVJ_WATCH_CHECK)

void uvj_watcher_closing(uv_handle_t *h) {
  uvj_loop *L = uvj_loop_of(h->loop);
  switch (h->type) {
    case UV_IDLE: leaving(L, h, &((uvj_idle *) h)->w); break;
    case UV_PREPARE: leaving(L, h, &((uvj_prepare *) h)->w); break;
    case UV_CHECK: leaving(L, h, &((uvj_check *) h)->w); break;
    default: break;
  }
}

int uvj_loop_watcher_load(JNIEnv *env) {
  return register_idle(env) || register_prepare(env) || register_check(env) ? -1 : 0;
}

void uvj_loop_watcher_unload(JNIEnv *env) {
  (void) env;
  uvj.Idle_onIdle = uvj.Prepare_onPrepare = uvj.Check_onCheck = NULL;
}
