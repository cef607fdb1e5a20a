/* Shared JNI plumbing: counters, the class-cache helpers, native binding, exceptions, envs. */
#include "uv4j.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* This file's cache: UvException.create, used by uvj_throw_uv. */
static struct {
  jclass UvException;
  jmethodID UvException_create; /* static UvException create(int, String, String, String) */
} uvj;

JavaVM *uvj_vm;

static atomic_long counters[UVJ_COUNT_MAX];

void uvj_count(int counter, long delta) { atomic_fetch_add(&counters[counter], delta); }
long uvj_counter(int counter) { return atomic_load(&counters[counter]); }

jobject uvj_new_global(JNIEnv *env, jobject obj) {
  jobject ref = (*env)->NewGlobalRef(env, obj);
  if (ref != NULL) uvj_count(UVJ_COUNT_GLOBAL_REFS, 1);
  return ref;
}

void uvj_delete_global(JNIEnv *env, jobject ref) {
  if (ref == NULL) return;
  (*env)->DeleteGlobalRef(env, ref);
  uvj_count(UVJ_COUNT_GLOBAL_REFS, -1);
}

void uvj_throw(JNIEnv *env, const char *class_name, const char *message) {
  if ((*env)->ExceptionCheck(env)) return; /* keep the first one */
  jclass c = (*env)->FindClass(env, class_name);
  if (c != NULL) (*env)->ThrowNew(env, c, message);
}

static jstring to_jstring(JNIEnv *env, const char *s) {
  return s == NULL ? NULL : (*env)->NewStringUTF(env, s);
}

void uvj_throw_uv(JNIEnv *env, int code, const char *syscall, const char *path, const char *dest) {
  if ((*env)->ExceptionCheck(env)) return;
  jstring jsyscall = to_jstring(env, syscall);
  jstring jpath = to_jstring(env, path);
  jstring jdest = to_jstring(env, dest);
  if ((*env)->ExceptionCheck(env)) return; /* OutOfMemoryError from NewStringUTF */
  jobject e = (*env)->CallStaticObjectMethod(env, uvj.UvException, uvj.UvException_create,
                                             (jint) code, jsyscall, jpath, jdest);
  if (e != NULL && !(*env)->ExceptionCheck(env)) (*env)->Throw(env, (jthrowable) e);
}

JNIEnv *uvj_env_slow(uvj_loop *L) {
  (void) L;
  JNIEnv *env = NULL;
  if ((*uvj_vm)->GetEnv(uvj_vm, (void **) &env, UVJ_JNI_VERSION) == JNI_OK) return env;
  /* Only reachable from a thread the JVM does not know; attach it as a named daemon. */
  JavaVMAttachArgs args = { UVJ_JNI_VERSION, "uv4j-native", NULL };
  if ((*uvj_vm)->AttachCurrentThreadAsDaemon(uvj_vm, (void **) &env, &args) != JNI_OK) {
    /* Out of memory or shutting down: no Java can run on this thread, so the upcall is skipped. */
    fprintf(stderr, "uv4j: the JVM refused to attach a native thread; a callback was skipped\n");
    return NULL;
  }
  return env;
}

static atomic_int pool_thread_count;
static _Thread_local JNIEnv *pool_env;

/*
 * Pool threads are attached once and never detached. libuv's pool threads only end when the
 * process exits (libuv's destructor uv_library_shutdown joins them after the JVM is gone), and a
 * DetachCurrentThread at that moment blocks forever in the exited VM: a thread-exit destructor
 * that detaches turns every JVM exit into a hang.
 */
JNIEnv *uvj_pool_env(void) {
  if (pool_env != NULL) return pool_env;
  JNIEnv *env = NULL;
  if ((*uvj_vm)->GetEnv(uvj_vm, (void **) &env, UVJ_JNI_VERSION) != JNI_OK) {
    char name[32];
    snprintf(name, sizeof name, "uv4j-pool-%d", atomic_fetch_add(&pool_thread_count, 1) + 1);
    JavaVMAttachArgs args = { UVJ_JNI_VERSION, name, NULL };
    /* Fails when the JVM is out of memory or shutting down: the caller skips the Java work. */
    if ((*uvj_vm)->AttachCurrentThreadAsDaemon(uvj_vm, (void **) &env, &args) != JNI_OK) return NULL;
  }
  pool_env = env;
  return env;
}

static atomic_int pool_used;

void uvj_pool_mark_used(void) { atomic_store(&pool_used, 1); }
int uvj_pool_is_used(void) { return atomic_load(&pool_used); }

void uvj_upcall_failed(JNIEnv *env, uvj_loop *L) {
  jthrowable t = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  if (L->pending == NULL) L->pending = (jthrowable) uvj_new_global(env, t);
  (*env)->DeleteLocalRef(env, t);
  uv_stop(&L->loop);
}

void *uvj_handle_alloc(JNIEnv *env, size_t size, jobject self) {
  uv_handle_t *h = calloc(1, size);
  if (h == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a handle");
    return NULL;
  }
  h->data = uvj_new_global(env, self);
  if (h->data == NULL) {
    free(h);
    return NULL;
  }
  uvj_count(UVJ_COUNT_HANDLES, 1);
  return h;
}

void uvj_handle_free_uninit(JNIEnv *env, void *p) {
  uv_handle_t *h = p;
  uvj_delete_global(env, (jobject) h->data);
  free(h);
  uvj_count(UVJ_COUNT_HANDLES, -1);
}

int uvj_sockaddr_from_java(JNIEnv *env, jbyteArray ip, jint port, jint scope,
                           struct sockaddr_storage *out) {
  memset(out, 0, sizeof *out);
  if (ip == NULL || port < 0 || port > 65535) return UV_EINVAL;
  jsize n = (*env)->GetArrayLength(env, ip);
  if (n == 4) {
    struct sockaddr_in *a = (struct sockaddr_in *) out;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t) port);
    (*env)->GetByteArrayRegion(env, ip, 0, 4, (jbyte *) &a->sin_addr);
    return 0;
  }
  if (n == 16) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *) out;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t) port);
    a->sin6_scope_id = (uint32_t) scope;
    (*env)->GetByteArrayRegion(env, ip, 0, 16, (jbyte *) &a->sin6_addr);
    return 0;
  }
  return UV_EINVAL;
}

jbyteArray uvj_sockaddr_to_java(JNIEnv *env, const struct sockaddr *sa) {
  unsigned char buf[22];
  jsize n;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *) sa;
    memcpy(buf, &a->sin_addr, 4);
    memcpy(buf + 4, &a->sin_port, 2); /* network order = big endian */
    n = 6;
  } else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *) sa;
    uint32_t scope = htonl(a->sin6_scope_id);
    memcpy(buf, &a->sin6_addr, 16);
    memcpy(buf + 16, &a->sin6_port, 2);
    memcpy(buf + 18, &scope, 4);
    n = 22;
  } else {
    return NULL;
  }
  jbyteArray out = (*env)->NewByteArray(env, n);
  if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *) buf);
  return out;
}

/*
 * Classes whose natives are bound, so a JNI_OnLoad failing half-way can unbind them: natives left
 * bound to a library the JVM then unmaps would crash on their first call instead of throwing
 * UnsatisfiedLinkError.
 */
static const char *registered[64];
static int registered_count;

int uvj_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count) {
  if (registered_count == UVJ_COUNT_OF(registered)) return -1;
  jclass c = (*env)->FindClass(env, class_name);
  if (c == NULL) return -1;
  int r = (*env)->RegisterNatives(env, c, methods, count);
  (*env)->DeleteLocalRef(env, c);
  if (r == 0) registered[registered_count++] = class_name;
  return r == 0 ? 0 : -1;
}

int uvj_registered_count(void) { return registered_count; }

void uvj_registered_forget(void) { registered_count = 0; }

void uvj_unregister_all(JNIEnv *env) {
  jthrowable pending = (*env)->ExceptionOccurred(env);
  (*env)->ExceptionClear(env);
  for (int i = 0; i < registered_count; i++) {
    jclass c = (*env)->FindClass(env, registered[i]);
    if (c != NULL) {
      (*env)->UnregisterNatives(env, c);
      (*env)->DeleteLocalRef(env, c);
    }
    (*env)->ExceptionClear(env);
  }
  registered_count = 0;
  if (pending != NULL) {
    (*env)->Throw(env, pending);
    (*env)->DeleteLocalRef(env, pending);
  }
}

jclass uvj_class_ref(JNIEnv *env, const char *name) {
  jclass local = (*env)->FindClass(env, name);
  if (local == NULL) return NULL;
  jclass ref = (jclass) (*env)->NewWeakGlobalRef(env, local);
  (*env)->DeleteLocalRef(env, local);
  if (ref == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no memory for a JNI reference");
    return NULL;
  }
  uvj_count(UVJ_COUNT_LIBRARY_REFS, 1);
  return ref;
}

void uvj_class_unref(JNIEnv *env, jclass *ref) {
  if (*ref == NULL) return;
  (*env)->DeleteWeakGlobalRef(env, (jweak) *ref);
  *ref = NULL;
  uvj_count(UVJ_COUNT_LIBRARY_REFS, -1);
}

jmethodID uvj_method_id(JNIEnv *env, const char *class_name, const char *name, const char *sig) {
  jclass c = (*env)->FindClass(env, class_name);
  if (c == NULL) return NULL;
  jmethodID m = (*env)->GetMethodID(env, c, name, sig);
  (*env)->DeleteLocalRef(env, c);
  return m;
}

int uvj_util_load(JNIEnv *env) {
  if ((uvj.UvException = uvj_class_ref(env, "io/uv4j/UvException")) == NULL) return -1;
  uvj.UvException_create = (*env)->GetStaticMethodID(env, uvj.UvException, "create",
      "(ILjava/lang/String;Ljava/lang/String;Ljava/lang/String;)Lio/uv4j/UvException;");
  return uvj.UvException_create != NULL ? 0 : -1;
}

void uvj_util_unload(JNIEnv *env) {
  uvj_class_unref(env, &uvj.UvException);
  uvj.UvException_create = NULL;
}
