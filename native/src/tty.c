/* io.uv4j.Tty on uv_tty_t: a terminal as a stream, its modes and window size. */
#include "uv4j.h"

#include <stdio.h>

static jlong tty_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint fd) {
  (void) c;
  uv_tty_t *t = uvj_handle_alloc(env, UVJ_STREAM_SIZE(uv_tty_t), self);
  if (t == NULL) return 0;
  uvj_stream_peer_init(t, sizeof *t);
  int r = uv_tty_init(uvj_ptr(loop), t, (uv_file) fd, 0);
  if (r != 0) {
    uvj_handle_free_uninit(env, t);
    char what[32];
    snprintf(what, sizeof what, "fd %d", (int) fd);
    uvj_throw_uv(env, r, "uv_tty_init", what, NULL);
    return 0;
  }
  return uvj_address(t);
}

/* mode: 0 normal, 1 raw, 2 io (Java's enum checked it). */
static jint tty_set_mode(JNIEnv *env, jclass c, jlong h, jint mode) {
  (void) env; (void) c;
  return uv_tty_set_mode(uvj_ptr(h), (uv_tty_mode_t) mode);
}

static jint tty_reset_mode(JNIEnv *env, jclass c) {
  (void) env; (void) c;
  return uv_tty_reset_mode();
}

/* {width, height}, or null after throwing. */
static jintArray tty_winsize(JNIEnv *env, jclass c, jlong h) {
  (void) c;
  int wh[2];
  int r = uv_tty_get_winsize(uvj_ptr(h), &wh[0], &wh[1]);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_tty_get_winsize", NULL, NULL);
    return NULL;
  }
  jintArray out = (*env)->NewIntArray(env, 2);
  if (out != NULL) (*env)->SetIntArrayRegion(env, out, 0, 2, (const jint *) wh);
  return out;
}

static void tty_set_vterm_state(JNIEnv *env, jclass c, jboolean supported) {
  (void) env; (void) c;
  uv_tty_set_vterm_state(supported ? UV_TTY_SUPPORTED : UV_TTY_UNSUPPORTED);
}

/* 1 supported, 0 unsupported, or a negative error (ENOTSUP outside Windows). */
static jint tty_get_vterm_state(JNIEnv *env, jclass c) {
  (void) env; (void) c;
  uv_tty_vtermstate_t state;
  int r = uv_tty_get_vterm_state(&state);
  return r != 0 ? r : (state == UV_TTY_SUPPORTED ? 1 : 0);
}

int uvj_tty_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Tty;I)J", (void *) tty_init },
    { "nSetMode", "(JI)I", (void *) tty_set_mode },
    { "nResetMode", "()I", (void *) tty_reset_mode },
    { "nWinsize", "(J)[I", (void *) tty_winsize },
    { "nSetVtermState", "(Z)V", (void *) tty_set_vterm_state },
    { "nGetVtermState", "()I", (void *) tty_get_vterm_state },
  };
  return uvj_register(env, "io/uv4j/Tty", methods, UVJ_COUNT_OF(methods));
}

void uvj_tty_unload(JNIEnv *env) { (void) env; }
