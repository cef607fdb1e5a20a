/* io.uv4j.Handle: what every handle shares (close, ref counting, state). */
#include "uv4j.h"

#include <stdlib.h>

/* This file's cache, filled by uvj_handle_load. */
static struct { jmethodID Handle_onClosed; } uvj;

/*
 * The one place a user handle's memory is released: tell the Java peer first (it runs the
 * user's close callback and forgets the address), then drop the global ref and free. Java answers
 * false while a queued Pipe.write2 still sends this handle: libuv's write request points at it
 * (uv__try_write reads its flags, finds it closed and fails the write with EBADF), so the memory
 * is freed by handle_free_closed once that write has completed.
 */
void uvj_on_close(uv_handle_t *h) {
  uvj_loop *L = uvj_loop_of(h->loop);
  if (h->type == UV_FS_POLL) { /* its internal timer is closed too: timer batches may count again */
    L->fs_polls--;
    uvj_timer_snapshot(L);
  }
  JNIEnv *env = uvj_env(L);
  jboolean free_now = (*env)->CallBooleanMethod(env, (jobject) h->data, uvj.Handle_onClosed);
  uvj_after_upcall(env, L);
  uvj_delete_global(env, (jobject) h->data);
  if (free_now) {
    free(h);
    uvj_count(UVJ_COUNT_HANDLES, -1);
  }
}

static void handle_free_closed(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  free(uvj_ptr(address));
  uvj_count(UVJ_COUNT_HANDLES, -1);
}

static void handle_close(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_handle_t *h = uvj_ptr(address);
  uvj_watcher_closing(h);
  uv_close(h, uvj_on_close);
  uvj_timer_snapshot(uvj_loop_of(h->loop)); /* closing an FsPoll stops its internal timer */
}

static void handle_ref(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_ref(uvj_ptr(address));
}

static void handle_unref(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_unref(uvj_ptr(address));
}

static jboolean handle_has_ref(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_has_ref(uvj_ptr(address)) ? JNI_TRUE : JNI_FALSE;
}

static jboolean handle_is_active(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_is_active(uvj_ptr(address)) ? JNI_TRUE : JNI_FALSE;
}

int uvj_handle_load(JNIEnv *env) {
  uvj.Handle_onClosed = uvj_method_id(env, "io/uv4j/Handle", "onClosed", "()Z");
  if (uvj.Handle_onClosed == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nClose", "(J)V", (void *) handle_close },
    { "nRef", "(J)V", (void *) handle_ref },
    { "nUnref", "(J)V", (void *) handle_unref },
    { "nHasRef", "(J)Z", (void *) handle_has_ref },
    { "nIsActive", "(J)Z", (void *) handle_is_active },
    { "nFreeClosed", "(J)V", (void *) handle_free_closed },
  };
  return uvj_register(env, "io/uv4j/Handle", methods, UVJ_COUNT_OF(methods));
}

void uvj_handle_unload(JNIEnv *env) { (void) env; uvj.Handle_onClosed = NULL; }
