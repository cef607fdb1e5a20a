/* io.uv4j.Uv: version, clocks, the errno table, the leak counters and uv_kill. */
#include "uv4j.h"

static jint version(JNIEnv *env, jclass c) { (void) env; (void) c; return (jint) uv_version(); }

static jstring version_string(JNIEnv *env, jclass c) {
  (void) c;
  return (*env)->NewStringUTF(env, uv_version_string());
}

static jlong hrtime(JNIEnv *env, jclass c) { (void) env; (void) c; return (jlong) uv_hrtime(); }

static jlong counter(JNIEnv *env, jclass c, jint which) {
  (void) env; (void) c;
  return which >= 0 && which < UVJ_COUNT_MAX ? (jlong) uvj_counter(which) : -1;
}

static jstring err_name(JNIEnv *env, jclass c, jint code) {
  (void) c;
  char buf[64];
  return (*env)->NewStringUTF(env, uv_err_name_r(code, buf, sizeof buf));
}

static jstring strerror_(JNIEnv *env, jclass c, jint code) {
  (void) c;
  char buf[256];
  return (*env)->NewStringUTF(env, uv_strerror_r(code, buf, sizeof buf));
}

/* Error numbers differ between platforms, so Java reads them here instead of hard-coding them. */
#define UVJ_ERRNO_NAME(name, _) #name,
#define UVJ_ERRNO_CODE(name, _) UV_##name,
static const char *errno_names[] = { UV_ERRNO_MAP(UVJ_ERRNO_NAME) };
static const jint errno_codes[] = { UV_ERRNO_MAP(UVJ_ERRNO_CODE) };

static jobjectArray errno_names_(JNIEnv *env, jclass c) {
  (void) c;
  jclass string_class = (*env)->FindClass(env, "java/lang/String");
  if (string_class == NULL) return NULL;
  jobjectArray out = (*env)->NewObjectArray(env, UVJ_COUNT_OF(errno_names), string_class, NULL);
  for (int i = 0; out != NULL && i < UVJ_COUNT_OF(errno_names); i++) {
    jstring s = (*env)->NewStringUTF(env, errno_names[i]);
    if (s == NULL) return NULL;
    (*env)->SetObjectArrayElement(env, out, i, s);
    (*env)->DeleteLocalRef(env, s);
  }
  return out;
}

static jintArray errno_codes_(JNIEnv *env, jclass c) {
  (void) c;
  jintArray out = (*env)->NewIntArray(env, UVJ_COUNT_OF(errno_codes));
  if (out != NULL) (*env)->SetIntArrayRegion(env, out, 0, UVJ_COUNT_OF(errno_codes), errno_codes);
  return out;
}

/* uv_kill: 0 or a negative libuv error (Java checked the signal's range). */
static jint kill_(JNIEnv *env, jclass c, jint pid, jint signum) {
  (void) env; (void) c;
#ifndef _WIN32
  int raised;
  if (pid == (jint) uv_os_getpid() && uvj_signal_raise_watched(signum, &raised)) return raised;
#endif
  return uv_kill(pid, signum);
}

int uvj_misc_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nVersion", "()I", (void *) version },
    { "nVersionString", "()Ljava/lang/String;", (void *) version_string },
    { "nHrtime", "()J", (void *) hrtime },
    { "nCounter", "(I)J", (void *) counter },
    { "nErrName", "(I)Ljava/lang/String;", (void *) err_name },
    { "nStrerror", "(I)Ljava/lang/String;", (void *) strerror_ },
    { "nErrnoNames", "()[Ljava/lang/String;", (void *) errno_names_ },
    { "nErrnoCodes", "()[I", (void *) errno_codes_ },
    { "nKill", "(II)I", (void *) kill_ },
  };
  return uvj_register(env, "io/uv4j/Uv", methods, UVJ_COUNT_OF(methods));
}

void uvj_misc_unload(JNIEnv *env) { (void) env; }
