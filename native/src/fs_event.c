/*
 * io.uv4j.FsEvent on uv_fs_event_t: change notifications from the OS (inotify, FSEvents,
 * ReadDirectoryChangesW...). Paths and names cross as UTF-8 byte arrays, as in fs.c.
 */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>

static jmethodID FsEvent_onEvent; /* void onEvent(byte[] filename, int events, int status) */

static jbyteArray to_bytes(JNIEnv *env, const char *s, size_t n) {
  jbyteArray a = (*env)->NewByteArray(env, (jsize) n);
  if (a != NULL) (*env)->SetByteArrayRegion(env, a, 0, (jsize) n, (const jbyte *) s);
  return a;
}

/*
 * On the loop thread. filename is NULL where the platform does not say which entry changed. The
 * name's local ref lives in a frame of its own: the loop thread stays in one native frame (uv_run)
 * for the whole run. If the name cannot be built (out of memory), the callback still runs, with
 * no name and status UV_ENOMEM.
 */
static void on_fs_event(uv_fs_event_t *h, const char *filename, int events, int status) {
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L);
  int framed = (*env)->PushLocalFrame(env, 4) == 0;
  jbyteArray name = NULL;
  if (framed && filename != NULL) name = to_bytes(env, filename, strlen(filename));
  if ((*env)->ExceptionCheck(env)) { /* OOM pushing the frame or building the name */
    (*env)->ExceptionClear(env);
    name = NULL;
    status = UV_ENOMEM;
  }
  (*env)->CallVoidMethod(env, (jobject) h->data, FsEvent_onEvent, name, (jint) events,
                         (jint) status);
  uvj_after_upcall(env, L);
  if (framed) (*env)->PopLocalFrame(env, NULL);
}

static jlong fs_event_init(JNIEnv *env, jclass c, jlong loop, jobject self) {
  (void) c;
  uv_fs_event_t *h = uvj_handle_alloc(env, sizeof *h, self);
  if (h == NULL) return 0;
  int r = uv_fs_event_init(uvj_ptr(loop), h);
  if (r != 0) {
    uvj_handle_free_uninit(env, h);
    uvj_throw_uv(env, r, "uv_fs_event_init", NULL, NULL);
    return 0;
  }
  return uvj_address(h);
}

/* Returns libuv's result; the path is a UTF-8 byte array without NUL (Java checked). */
static jint fs_event_start(JNIEnv *env, jclass c, jlong address, jbyteArray jpath, jint flags) {
  (void) c;
  jsize n = (*env)->GetArrayLength(env, jpath);
  char *path = malloc((size_t) n + 1);
  if (path == NULL) return UV_ENOMEM;
  (*env)->GetByteArrayRegion(env, jpath, 0, n, (jbyte *) path);
  path[n] = '\0';
  int r = uv_fs_event_start(uvj_ptr(address), on_fs_event, path, (unsigned int) flags);
  free(path); /* libuv keeps its own copy */
  return r;
}

static jint fs_event_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_fs_event_stop(uvj_ptr(address));
}

/* The watched path as given to start, or null when the handle is not started (libuv: EINVAL). */
static jbyteArray fs_event_getpath(JNIEnv *env, jclass c, jlong address) {
  (void) c;
  char small[256];
  char *buf = small;
  size_t len = sizeof small;
  int r = uv_fs_event_getpath(uvj_ptr(address), buf, &len);
  if (r == UV_ENOBUFS) { /* len is now the size needed, NUL included */
    if ((buf = malloc(len)) == NULL) {
      uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a path");
      return NULL;
    }
    r = uv_fs_event_getpath(uvj_ptr(address), buf, &len);
  }
  jbyteArray out = NULL;
  if (r == 0) out = to_bytes(env, buf, len);
  else if (r != UV_EINVAL) uvj_throw_uv(env, r, "uv_fs_event_getpath", NULL, NULL);
  if (buf != small) free(buf);
  return out;
}

int uvj_fs_event_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/FsEvent;)J", (void *) fs_event_init },
    { "nStart", "(J[BI)I", (void *) fs_event_start },
    { "nStop", "(J)I", (void *) fs_event_stop },
    { "nGetPath", "(J)[B", (void *) fs_event_getpath },
  };
  jclass cls = (*env)->FindClass(env, "io/uv4j/FsEvent");
  if (cls == NULL) return -1;
  FsEvent_onEvent = (*env)->GetMethodID(env, cls, "onEvent", "([BII)V");
  (*env)->DeleteLocalRef(env, cls);
  if (FsEvent_onEvent == NULL) return -1;
  return uvj_register(env, "io/uv4j/FsEvent", methods, UVJ_COUNT_OF(methods));
}

void uvj_fs_event_unload(JNIEnv *env) {
  (void) env;
  FsEvent_onEvent = NULL;
}
