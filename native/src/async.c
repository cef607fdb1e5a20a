/* io.uv4j.Async on uv_async_t: the one handle other threads may poke. */
#include "uv4j.h"

/* This file's cache, filled by uvj_async_load. */
static struct { jmethodID Async_onAsync; } uvj;

static void on_async(uv_async_t *h) { uvj_call_handle((uv_handle_t *) h, uvj.Async_onAsync); }

static jlong async_init(JNIEnv *env, jclass c, jlong loop, jobject self) {
  (void) c;
  uv_async_t *h = uvj_handle_alloc(env, sizeof *h, self);
  if (h == NULL) return 0;
  int r = uv_async_init(uvj_ptr(loop), h, on_async);
  if (r != 0) {
    uvj_handle_free_uninit(env, h);
    uvj_throw_uv(env, r, "uv_async_init", NULL, NULL);
    return 0;
  }
  return uvj_address(h);
}

/* Any thread. Java guarantees the handle is not closed (nor freed) while this runs. */
static jint async_send(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_async_send(uvj_ptr(address));
}

int uvj_async_load(JNIEnv *env) {
  uvj.Async_onAsync = uvj_method_id(env, "io/uv4j/Async", "onAsync", "()V");
  if (uvj.Async_onAsync == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Async;)J", (void *) async_init },
    { "nSend", "(J)I", (void *) async_send },
  };
  return uvj_register(env, "io/uv4j/Async", methods, UVJ_COUNT_OF(methods));
}

void uvj_async_unload(JNIEnv *env) { (void) env; uvj.Async_onAsync = NULL; }
