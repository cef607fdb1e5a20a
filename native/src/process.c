/*
 * io.uv4j.ChildProcess on uv_process_t / uv_spawn.
 *
 * Java checks every precondition of libuv 1.44's uv_spawn (file present, flags, stdio kinds,
 * CREATE_PIPE only on a new Pipe of the same loop, strings without NUL) before calling here.
 * The argv/env/cwd/file copies are built here on entry and freed before returning: uv_spawn
 * forks and execs (or fails) inside the call and keeps no pointer to them.
 *
 * uv_spawn initialises the handle (uv__handle_init) before anything that can fail, so a failed
 * spawn still leaves a handle on the loop's list: Java closes it (uv_close) and the close callback
 * frees it like any other handle.
 */
#include "uv4j.h"

#ifndef _WIN32
#include <fcntl.h>
#endif

#include <stdlib.h>
#include <string.h>

static jmethodID ChildProcess_onExit; /* void onExit(long exitStatus, int termSignal) */

static void on_exit_cb(uv_process_t *p, int64_t exit_status, int term_signal) {
  uvj_loop *L = uvj_loop_of(p->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  (*env)->CallVoidMethod(env, (jobject) p->data, ChildProcess_onExit, (jlong) exit_status,
                         (jint) term_signal);
  uvj_after_upcall(env, L);
}

static jlong process_alloc(JNIEnv *env, jclass c, jobject self) {
  (void) c;
  uv_process_t *p = uvj_handle_alloc(env, sizeof *p, self);
  return p == NULL ? 0 : uvj_address(p);
}

/* A NUL-terminated malloc'd copy of a byte[]; NULL (after throwing OOM) on failure. */
static char *copy_bytes(JNIEnv *env, jbyteArray a) {
  jsize n = (*env)->GetArrayLength(env, a);
  char *s = malloc((size_t) n + 1);
  if (s == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: spawn arguments");
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *) s);
  s[n] = '\0';
  return s;
}

static void free_list(char **list) {
  if (list == NULL) return;
  for (char **p = list; *p != NULL; p++) free(*p);
  free(list);
}

/* A NULL-terminated copy of a byte[][]; NULL with an exception pending on failure. */
static char **copy_list(JNIEnv *env, jobjectArray a) {
  jsize n = (*env)->GetArrayLength(env, a);
  char **list = calloc((size_t) n + 1, sizeof *list);
  if (list == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: spawn arguments");
    return NULL;
  }
  for (jsize i = 0; i < n; i++) {
    jbyteArray e = (*env)->GetObjectArrayElement(env, a, i);
    list[i] = copy_bytes(env, e);
    (*env)->DeleteLocalRef(env, e);
    if (list[i] == NULL) {
      free_list(list);
      return NULL;
    }
  }
  return list;
}

/*
 * Returns uv_spawn's result (0, or a negative errno: Java then closes the handle). When a copy
 * fails before uv_spawn ran, the handle (never initialised by libuv) is freed here and the call
 * returns with an exception pending.
 */
static jint process_spawn(JNIEnv *env, jclass c, jlong loop, jlong address, jbyteArray file,
                          jobjectArray args, jobjectArray envs, jbyteArray cwd, jint flags,
                          jint uid, jint gid, jintArray stdio_flags, jintArray stdio_fds,
                          jlongArray stdio_streams) {
  (void) c;
  jint result = 1;
  char *file_c = NULL, *cwd_c = NULL;
  char **args_c = NULL, **env_c = NULL;
  uv_stdio_container_t *stdio = NULL;
  jint *sf = NULL, *sd = NULL;
  jlong *ss = NULL;
  jsize count = (*env)->GetArrayLength(env, stdio_flags);

  if ((file_c = copy_bytes(env, file)) == NULL) goto done;
  if ((args_c = copy_list(env, args)) == NULL) goto done;
  if (envs != NULL && (env_c = copy_list(env, envs)) == NULL) goto done;
  if (cwd != NULL && (cwd_c = copy_bytes(env, cwd)) == NULL) goto done;
  stdio = calloc(count > 0 ? (size_t) count : 1, sizeof *stdio);
  sf = malloc((count > 0 ? (size_t) count : 1) * sizeof *sf);
  sd = malloc((count > 0 ? (size_t) count : 1) * sizeof *sd);
  ss = malloc((count > 0 ? (size_t) count : 1) * sizeof *ss);
  if (stdio == NULL || sf == NULL || sd == NULL || ss == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: spawn stdio");
    goto done;
  }
  (*env)->GetIntArrayRegion(env, stdio_flags, 0, count, sf);
  (*env)->GetIntArrayRegion(env, stdio_fds, 0, count, sd);
  (*env)->GetLongArrayRegion(env, stdio_streams, 0, count, ss);
  for (jsize i = 0; i < count; i++) {
    stdio[i].flags = (uv_stdio_flags) sf[i];
    if (sf[i] & (UV_CREATE_PIPE | UV_INHERIT_STREAM)) {
      stdio[i].data.stream = uvj_ptr(ss[i]);
    } else {
      stdio[i].data.fd = sd[i];
    }
  }

  uv_process_options_t o;
  memset(&o, 0, sizeof o);
  o.exit_cb = on_exit_cb;
  o.file = file_c;
  o.args = args_c;
  o.env = env_c;
  o.cwd = cwd_c;
  o.flags = (unsigned int) flags;
  o.stdio_count = (int) count;
  o.stdio = stdio;
  o.uid = (uv_uid_t) uid;
  o.gid = (uv_gid_t) gid;
  result = uv_spawn(uvj_ptr(loop), uvj_ptr(address), &o);

done:
  if (result == 1) uvj_handle_free_uninit(env, uvj_ptr(address));
  free(file_c);
  free(cwd_c);
  free_list(args_c);
  free_list(env_c);
  free(stdio);
  free(sf);
  free(sd);
  free(ss);
  return result;
}

static jint process_pid(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return ((uv_process_t *) uvj_ptr(address))->pid;
}

static jint process_kill(JNIEnv *env, jclass c, jlong address, jint signum) {
  (void) env; (void) c;
  return uv_process_kill(uvj_ptr(address), signum);
}

/* The flag values Java passes through, from uv.h. */
/*
 * libuv's child makes an inherited descriptor 0-2 blocking, and the flag lives in the open file
 * description it shares with this process: a loop here would then block in accept/read/write on
 * its own handle. ChildProcess.spawn makes such descriptors non-blocking again after uv_spawn
 * (which returns once the child has exec'd, so after the child's change).
 */
static void process_set_nonblocking(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
#ifndef _WIN32
  int flags = fcntl(fd, F_GETFL);
  if (flags != -1 && !(flags & O_NONBLOCK)) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
#else
  (void) fd;
#endif
}

static jintArray process_constants(JNIEnv *env, jclass c) {
  (void) c;
  jint v[] = { UV_IGNORE, UV_CREATE_PIPE, UV_INHERIT_FD, UV_INHERIT_STREAM, UV_READABLE_PIPE,
               UV_WRITABLE_PIPE, UV_PROCESS_SETUID, UV_PROCESS_SETGID, UV_PROCESS_DETACHED };
  jintArray a = (*env)->NewIntArray(env, UVJ_COUNT_OF(v));
  if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, UVJ_COUNT_OF(v), v);
  return a;
}

int uvj_process_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nAlloc", "(Lio/uv4j/ChildProcess;)J", (void *) process_alloc },
    { "nSpawn", "(JJ[B[[B[[B[BIII[I[I[J)I", (void *) process_spawn },
    { "nPid", "(J)I", (void *) process_pid },
    { "nKill", "(JI)I", (void *) process_kill },
    { "nConstants", "()[I", (void *) process_constants },
    { "nSetNonblocking", "(I)V", (void *) process_set_nonblocking },
  };
  ChildProcess_onExit = uvj_method_id(env, "io/uv4j/ChildProcess", "onExit", "(JI)V");
  if (ChildProcess_onExit == NULL) return -1;
  return uvj_register(env, "io/uv4j/ChildProcess", methods, UVJ_COUNT_OF(methods));
}

void uvj_process_unload(JNIEnv *env) {
  (void) env;
  ChildProcess_onExit = NULL;
}
