/*
 * io.uv4j.Poll on uv_poll_t: readiness of a descriptor libuv does not own (the user's). The Java
 * side checks the event mask (libuv asserts on unknown bits), ownership and state first.
 */
#include "uv4j.h"

static jmethodID Poll_onPoll; /* void onPoll(int status, int events) */

/* On the loop thread. status is 0 or UV_EBADF (POLLERR: libuv stopped the handle). */
static void on_poll(uv_poll_t *h, int status, int events) {
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  (*env)->CallVoidMethod(env, (jobject) h->data, Poll_onPoll, (jint) status, (jint) events);
  uvj_after_upcall(env, L);
}

static jlong poll_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint fd) {
  (void) c;
  uv_poll_t *h = uvj_handle_alloc(env, sizeof *h, self);
  if (h == NULL) return 0;
  int r = uv_poll_init(uvj_ptr(loop), h, fd);
  if (r != 0) {
    uvj_handle_free_uninit(env, h);
    uvj_throw_uv(env, r, "uv_poll_init", NULL, NULL);
    return 0;
  }
  return uvj_address(h);
}

/* Java checked the mask; 0 stops, as in libuv. */
static jint poll_start(JNIEnv *env, jclass c, jlong address, jint events) {
  (void) env; (void) c;
  return uv_poll_start(uvj_ptr(address), events, on_poll);
}

static void poll_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_poll_stop(uvj_ptr(address));
}

/* Poll.java has these as compile-time constants (libuv's enum uv_poll_event, the same everywhere). */
_Static_assert(UV_READABLE == 1 && UV_WRITABLE == 2 && UV_DISCONNECT == 4 && UV_PRIORITIZED == 8,
               "Poll.java's event bits");

int uvj_poll_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Poll;I)J", (void *) poll_init },
    { "nStart", "(JI)I", (void *) poll_start },
    { "nStop", "(J)V", (void *) poll_stop },
  };
  Poll_onPoll = uvj_method_id(env, "io/uv4j/Poll", "onPoll", "(II)V");
  if (Poll_onPoll == NULL) return -1;
  return uvj_register(env, "io/uv4j/Poll", methods, UVJ_COUNT_OF(methods));
}

void uvj_poll_unload(JNIEnv *env) {
  (void) env;
  Poll_onPoll = NULL;
}
