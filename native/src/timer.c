/* io.uv4j.Timer on uv_timer_t. */
#include "uv4j.h"

#include <stdint.h>
#include <stdlib.h>

/* This file's cache, filled by uvj_timer_load. */
static struct { jmethodID Timer_onTimer; } uvj;

/* A timer handle (first: a uv_timer_t* is a uvj_timer*) and what a quiet close needs. */
typedef struct uvj_timer {
  uv_timer_t t;
  jint close_index; /* the Timer's index in the loop's table while closing without a callback */
  jint peer;        /* the Timer's index in the loop's table for FFM up-calls, or -1 */
} uvj_timer;

static void on_timer(uv_timer_t *t) {
  uvj_call_handle_peer((uv_handle_t *) t, ((uvj_timer *) t)->peer, uvj.Timer_onTimer);
}

/*
 * Close callback of a Timer closed without a Java close callback: nothing for Java to run now,
 * so no upcall. The Java peer learns it with the loop's next completion batch, which reaches
 * Java before any other callback of the loop and before run() returns: no Java code can observe
 * the difference. Frees like uvj_on_close.
 */
static void on_timer_closed_quietly(uv_handle_t *h) {
  uvj_loop *L = uvj_loop_of(h->loop);
  jint index = ((uvj_timer *) h)->close_index;
  JNIEnv *env = L->env != NULL ? L->env : uvj_env(L);
  if (env != NULL) uvj_delete_global(env, (jobject) h->data);
  free(h);
  uvj_count(UVJ_COUNT_HANDLES, -1);
  uvj_done_append(L, index, UVJ_DONE_CLOSED, 0, 0);
}

static void timer_close_quietly(JNIEnv *env, jclass c, jlong address, jint index) {
  (void) env; (void) c;
  uvj_timer *t = uvj_ptr(address);
  t->close_index = index;
  uv_close((uv_handle_t *) &t->t, on_timer_closed_quietly);
}

static jlong timer_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint peer) {
  (void) c;
  uv_timer_t *t = uvj_handle_alloc(env, sizeof(uvj_timer), self);
  if (t == NULL) return 0;
  ((uvj_timer *) t)->peer = peer;
  int r = uv_timer_init(uvj_ptr(loop), t);
  if (r != 0) {
    uvj_handle_free_uninit(env, t);
    uvj_throw_uv(env, r, "uv_timer_init", NULL, NULL);
    return 0;
  }
  return uvj_address(t);
}

/* Java passes only non-negative values; libuv's own arithmetic saturates at UINT64_MAX. */
static jint timer_start(JNIEnv *env, jclass c, jlong address, jlong timeout, jlong repeat) {
  (void) env; (void) c;
  return uv_timer_start(uvj_ptr(address), on_timer, (uint64_t) timeout, (uint64_t) repeat);
}

static jint timer_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_timer_stop(uvj_ptr(address));
}

static jint timer_again(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_timer_again(uvj_ptr(address));
}

static void timer_set_repeat(JNIEnv *env, jclass c, jlong address, jlong repeat) {
  (void) env; (void) c;
  uv_timer_set_repeat(uvj_ptr(address), (uint64_t) repeat);
}

static jlong saturate(uint64_t v) { return v > INT64_MAX ? INT64_MAX : (jlong) v; }

static jlong timer_get_repeat(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return saturate(uv_timer_get_repeat(uvj_ptr(address)));
}

/* libuv keeps a stopped timer's old due time; Java documents 0 for a stopped timer. */
static jlong timer_get_due_in(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
  if (!uv_is_active((uv_handle_t *) t)) return 0;
  return saturate(uv_timer_get_due_in(t));
}

int uvj_timer_load(JNIEnv *env) {
  uvj.Timer_onTimer = uvj_method_id(env, "io/uv4j/Timer", "onTimer", "()V");
  if (uvj.Timer_onTimer == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Timer;I)J", (void *) timer_init },
    { "nStart", "(JJJ)I", (void *) timer_start },
    { "nStop", "(J)I", (void *) timer_stop },
    { "nAgain", "(J)I", (void *) timer_again },
    { "nSetRepeat", "(JJ)V", (void *) timer_set_repeat },
    { "nGetRepeat", "(J)J", (void *) timer_get_repeat },
    { "nGetDueIn", "(J)J", (void *) timer_get_due_in },
    { "nCloseQuietly", "(JI)V", (void *) timer_close_quietly },
  };
  return uvj_register(env, "io/uv4j/Timer", methods, UVJ_COUNT_OF(methods));
}

void uvj_timer_unload(JNIEnv *env) { (void) env; uvj.Timer_onTimer = NULL; }
