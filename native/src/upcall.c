/*
 * io.uv4j.Upcalls: FFM up-calls on JDK 22+. Java creates upcall stubs (java.lang.foreign) once
 * per class loader and hands their addresses to each loop it creates; the shim stays the only
 * code that calls libuv and calls those stubs instead of JNI's CallVoidMethod where they are
 * set (uv4j.h: uvj_loop.ffm_*, uvj_call_handle_peer). Per loop, not global: the library's
 * statics outlive a class loader (the library is pinned), a loop does not.
 */
#include "uv4j.h"

/* Loop thread (or the thread creating the loop), before any callback of the loop can run. */
static void upcall_attach(JNIEnv *env, jclass c, jlong loop, jint id, jlong handle_fn, jlong loop_fn,
                          jlong stream_fn) {
  (void) env; (void) c;
  uvj_loop *L = uvj_ptr(loop);
  L->ffm_id = id;
  L->ffm_handle = (void (*)(jint, jint)) uvj_ptr(handle_fn);
  L->ffm_loop = (void (*)(jint, jint, jint)) uvj_ptr(loop_fn);
  L->ffm_stream = (void (*)(jint, jint, jint, jint)) uvj_ptr(stream_fn);
}

int uvj_upcall_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nAttach", "(JIJJJ)V", (void *) upcall_attach },
  };
  return uvj_register(env, "io/uv4j/Upcalls", methods, UVJ_COUNT_OF(methods));
}

void uvj_upcall_unload(JNIEnv *env) { (void) env; }
