/*
 * io.uv4j.Uv's facts about the host, the user and the process: host name, uname, home and temp
 * directories, passwd entries, pids, priorities, and the environment (libuv's uv_os_* group).
 *
 * Text crosses as byte[] (UTF-8 decoded in Java) through sysinfo.c's helpers: environment values,
 * host names and paths are arbitrary bytes, which NewStringUTF's modified UTF-8 cannot take.
 * Every uv_os_free_* result is freed here before returning, on the error paths too.
 */
#include "uv4j.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- host, user, process ---- */

static jbyteArray hostname(JNIEnv *env, jclass c) {
  (void) c;
  char buf[UV_MAXHOSTNAMESIZE];
  size_t size = sizeof buf;
  int r = uv_os_gethostname(buf, &size);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_os_gethostname", NULL, NULL);
    return NULL;
  }
  return uvj_bytes_n(env, buf, size);
}

static jobjectArray uname_(JNIEnv *env, jclass c) {
  (void) c;
  uv_utsname_t u;
  int r = uv_os_uname(&u);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_os_uname", NULL, NULL);
    return NULL;
  }
  const char *f[4] = { u.sysname, u.release, u.version, u.machine };
  jobjectArray out = uvj_byte_arrays(env, 4);
  for (int i = 0; out != NULL && i < 4; i++) {
    jbyteArray b = uvj_bytes(env, f[i]);
    if (b == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, out, i, b);
    (*env)->DeleteLocalRef(env, b);
  }
  return out;
}

/* uv_os_homedir (which == 0) or uv_os_tmpdir (1), growing the buffer on ENOBUFS. */
static jbyteArray dir(JNIEnv *env, jclass c, jint which) {
  (void) c;
  char small[1024];
  char *buf = small;
  size_t size = sizeof small;
  const char *name = which == 0 ? "uv_os_homedir" : "uv_os_tmpdir";
  int r = which == 0 ? uv_os_homedir(buf, &size) : uv_os_tmpdir(buf, &size);
  if (r == UV_ENOBUFS) { /* size now holds the length needed, NUL included */
    buf = malloc(size);
    if (buf == NULL) {
      uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a path");
      return NULL;
    }
    r = which == 0 ? uv_os_homedir(buf, &size) : uv_os_tmpdir(buf, &size);
  }
  jbyteArray out = NULL;
  if (r != 0) uvj_throw_uv(env, r, name, NULL, NULL);
  else out = uvj_bytes_n(env, buf, size);
  if (buf != small) free(buf);
  return out;
}

/* {byte[] username, long[] {uid, gid}, byte[] shell or null, byte[] homedir}. */
static jobjectArray passwd_to_java(JNIEnv *env, uv_passwd_t *pw) {
  jobjectArray out = NULL;
  if ((*env)->PushLocalFrame(env, 8) != 0) return NULL;
  /* username and homedir are never NULL in libuv; "" keeps a surprise from becoming an NPE. */
  jbyteArray user = uvj_bytes(env, pw->username != NULL ? pw->username : "");
  jbyteArray shell = user != NULL ? uvj_bytes(env, pw->shell) : NULL; /* NULL on Windows */
  jbyteArray home = user != NULL && !(*env)->ExceptionCheck(env)
      ? uvj_bytes(env, pw->homedir != NULL ? pw->homedir : "") : NULL;
  jlongArray ids = home != NULL ? (*env)->NewLongArray(env, 2) : NULL;
  if (ids != NULL) {
    /* uid/gid are unsigned long; -1 (Windows) stays -1. */
    jlong v[2] = { (jlong) (long) pw->uid, (jlong) (long) pw->gid };
    (*env)->SetLongArrayRegion(env, ids, 0, 2, v);
    out = (*env)->NewObjectArray(env, 4, (*env)->FindClass(env, "java/lang/Object"), NULL);
  }
  if (out != NULL) {
    (*env)->SetObjectArrayElement(env, out, 0, user);
    (*env)->SetObjectArrayElement(env, out, 1, ids);
    (*env)->SetObjectArrayElement(env, out, 2, shell);
    (*env)->SetObjectArrayElement(env, out, 3, home);
  }
  return (*env)->PopLocalFrame(env, out);
}

static jobjectArray passwd(JNIEnv *env, jclass c) {
  (void) c;
  uv_passwd_t pw;
  int r = uv_os_get_passwd(&pw);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_os_get_passwd", NULL, NULL);
    return NULL;
  }
  jobjectArray out = passwd_to_java(env, &pw);
  uv_os_free_passwd(&pw);
  return out;
}

static jobjectArray passwd2(JNIEnv *env, jclass c, jlong uid) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  uv_passwd_t pw;
  int r = uv_os_get_passwd2(&pw, (uv_uid_t) uid);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_os_get_passwd2", NULL, NULL);
    return NULL;
  }
  jobjectArray out = passwd_to_java(env, &pw);
  uv_os_free_passwd(&pw);
  return out;
#else
  (void) uid;
  uvj_unsupported(env, "uv_os_get_passwd2", "1.45.0");
  return NULL;
#endif
}

static jlong getpid_(JNIEnv *env, jclass c) { (void) env; (void) c; return (jlong) uv_os_getpid(); }
static jlong getppid_(JNIEnv *env, jclass c) { (void) env; (void) c; return (jlong) uv_os_getppid(); }

static jint getpriority_(JNIEnv *env, jclass c, jint pid) {
  (void) c;
  int prio = 0;
  int r = uv_os_getpriority((uv_pid_t) pid, &prio);
  if (r != 0) {
    char what[32];
    snprintf(what, sizeof what, "pid %d", (int) pid);
    uvj_throw_uv(env, r, "uv_os_getpriority", what, NULL);
  }
  return prio;
}

static void setpriority_(JNIEnv *env, jclass c, jint pid, jint prio) {
  (void) c;
  int r = uv_os_setpriority((uv_pid_t) pid, prio);
  if (r != 0) {
    char what[32];
    snprintf(what, sizeof what, "pid %d", (int) pid);
    uvj_throw_uv(env, r, "uv_os_setpriority", what, NULL);
  }
}

/* ---- environment ---- */

/* null when unset. */
static jbyteArray env_get(JNIEnv *env, jclass c, jbyteArray jname) {
  (void) c;
  char *name = uvj_cstr(env, jname);
  if (name == NULL) return NULL;
  char small[256];
  char *buf = small;
  size_t size = sizeof small;
  int r = uv_os_getenv(name, buf, &size);
  /* The value may grow between the two calls (another thread's setenv): retry while it does. */
  for (int tries = 0; r == UV_ENOBUFS && tries < 8; tries++) {
    if (buf != small) free(buf);
    buf = malloc(size);
    if (buf == NULL) {
      free(name);
      uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a value");
      return NULL;
    }
    r = uv_os_getenv(name, buf, &size);
  }
  jbyteArray out = NULL;
  if (r == 0) out = uvj_bytes_n(env, buf, size);
  else if (r != UV_ENOENT) uvj_throw_uv(env, r, "uv_os_getenv", name, NULL);
  if (buf != small) free(buf);
  free(name);
  return out;
}

/* value NULL: unset. */
static void env_set(JNIEnv *env, jclass c, jbyteArray jname, jbyteArray jvalue) {
  (void) c;
  char *name = uvj_cstr(env, jname);
  if (name == NULL) return;
  char *value = jvalue != NULL ? uvj_cstr(env, jvalue) : NULL;
  if (jvalue != NULL && value == NULL) {
    free(name);
    return;
  }
  int r = value != NULL ? uv_os_setenv(name, value) : uv_os_unsetenv(name);
  if (r != 0) uvj_throw_uv(env, r, value != NULL ? "uv_os_setenv" : "uv_os_unsetenv", name, NULL);
  free(value);
  free(name);
}

/* byte[][] name0, value0, name1, value1... */
static jobjectArray environ_(JNIEnv *env, jclass c) {
  (void) c;
  uv_env_item_t *items;
  int n;
  int r = uv_os_environ(&items, &n);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_os_environ", NULL, NULL);
    return NULL;
  }
  jobjectArray out = uvj_byte_arrays(env, 2 * n);
  for (int i = 0; out != NULL && i < 2 * n; i++) {
    jbyteArray b = uvj_bytes(env, i % 2 == 0 ? items[i / 2].name : items[i / 2].value);
    if (b == NULL) {
      (*env)->DeleteLocalRef(env, out);
      out = NULL;
      break;
    }
    (*env)->SetObjectArrayElement(env, out, i, b);
    (*env)->DeleteLocalRef(env, b);
  }
  uv_os_free_environ(items, n);
  return out;
}

int uvj_os_load(JNIEnv *env) {
  static const JNINativeMethod uv[] = {
    { "nHostname", "()[B", (void *) hostname },
    { "nUname", "()[[B", (void *) uname_ },
    { "nDir", "(I)[B", (void *) dir },
    { "nPasswd", "()[Ljava/lang/Object;", (void *) passwd },
    { "nPasswd2", "(J)[Ljava/lang/Object;", (void *) passwd2 },
    { "nGetpid", "()J", (void *) getpid_ },
    { "nGetppid", "()J", (void *) getppid_ },
    { "nGetPriority", "(I)I", (void *) getpriority_ },
    { "nSetPriority", "(II)V", (void *) setpriority_ },
    { "nEnvGet", "([B)[B", (void *) env_get },
    { "nEnvSet", "([B[B)V", (void *) env_set },
    { "nEnviron", "()[[B", (void *) environ_ },
  };
  return uvj_register(env, "io/uv4j/Uv", uv, UVJ_COUNT_OF(uv));
}

void uvj_os_unload(JNIEnv *env) {
  (void) env;
}
