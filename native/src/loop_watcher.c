/*
 * io.uv4j.Idle, Prepare and Check: libuv implements the three "loop watchers" with one template
 * (src/unix/loop-watcher.c), so do we.
 */
#include "uv4j.h"

/* This file's cache, filled by uvj_loop_watcher_load. */
static struct { jmethodID Idle_onIdle, Prepare_onPrepare, Check_onCheck; } uvj;

/* A watcher (first: a uv_idle_t* is a uvj_idle*) and its peer index for FFM up-calls, or -1. */
#define UVJ_LOOP_WATCHER(name, Name)                                                          \
  typedef struct uvj_##name { uv_##name##_t h; jint peer; } uvj_##name;                       \
  static void on_##name(uv_##name##_t *h) {                                                   \
    uvj_call_handle_peer((uv_handle_t *) h, ((uvj_##name *) h)->peer, uvj.Name##_on##Name);   \
  }                                                                                           \
  static jlong name##_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint peer) {      \
    (void) c;                                                                                 \
    uvj_##name *w = uvj_handle_alloc(env, sizeof *w, self);                                   \
    if (w == NULL) return 0;                                                                  \
    w->peer = peer;                                                                           \
    uv_##name##_t *h = &w->h;                                                                 \
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
    return uv_##name##_start(uvj_ptr(address), on_##name);                                    \
  }                                                                                           \
  static jint name##_stop(JNIEnv *env, jclass c, jlong address) {                             \
    (void) env; (void) c;                                                                     \
    return uv_##name##_stop(uvj_ptr(address));                                                \
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

UVJ_LOOP_WATCHER(idle, Idle)
UVJ_LOOP_WATCHER(prepare, Prepare)
UVJ_LOOP_WATCHER(check, Check)

int uvj_loop_watcher_load(JNIEnv *env) {
  return register_idle(env) || register_prepare(env) || register_check(env) ? -1 : 0;
}

void uvj_loop_watcher_unload(JNIEnv *env) {
  (void) env;
  uvj.Idle_onIdle = uvj.Prepare_onPrepare = uvj.Check_onCheck = NULL;
}
