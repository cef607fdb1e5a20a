/*
 * The library's lifecycle: JNI_OnLoad and JNI_OnUnload, the only exported symbols.
 *
 * JNI_OnLoad runs each C file's uvj_<area>_load in the order of UVJ_AREAS (uv4j.h), then pins
 * the library in memory and arms the process-exit handler (work.c). When a step fails, the
 * unloads of the areas already started run in reverse order, every bound native is unbound and
 * the exit handler is disarmed, so the JVM can unmap the library with nothing left pointing into
 * it, and the caller gets an UnsatisfiedLinkError naming the step. JNI_OnUnload (run when the
 * class loader that loaded the library is collected) undoes a successful load the same way.
 *
 * Test only: the system property uv4j.test.failLoadAt=<step> makes step <step> (1-based, listed
 * in `steps` below) fail after it did its work, to test the rollback.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr */
#endif
#include "uv4j.h"

#include <stdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <dlfcn.h>
#endif

typedef struct area {
  const char *name;
  int (*load)(JNIEnv *env);
  void (*unload)(JNIEnv *env);
} area;

#define UVJ_AREA_ENTRY(a) { #a, uvj_##a##_load, uvj_##a##_unload },
static const area areas[] = { UVJ_AREAS(UVJ_AREA_ENTRY) };
#undef UVJ_AREA_ENTRY

#define STEP_PIN (UVJ_COUNT_OF(areas) + 1)
#define STEP_EXIT_HANDLER (UVJ_COUNT_OF(areas) + 2)

/*
 * The exit handler cannot be unregistered, so its code must outlive any unload: mark the library
 * RTLD_NODELETE (dlclose then leaves it mapped). Only needed where the handler exists (glibc).
 */
static int pin_library(void) {
#ifdef __GLIBC__
  Dl_info info;
  if (dladdr((void *) pin_library, &info) == 0 || info.dli_fname == NULL) return -1;
  return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) != NULL ? 0 : -1;
#else
  return 0;
#endif
}

/* The value of the test-only property uv4j.test.failLoadAt, 0 when unset. */
static int test_fail_step(JNIEnv *env) {
  int step = 0;
  jclass system = (*env)->FindClass(env, "java/lang/System");
  jmethodID get = system == NULL ? NULL : (*env)->GetStaticMethodID(env, system, "getProperty",
      "(Ljava/lang/String;)Ljava/lang/String;");
  jstring key = get == NULL ? NULL : (*env)->NewStringUTF(env, "uv4j.test.failLoadAt");
  jstring value = key == NULL ? NULL : (*env)->CallStaticObjectMethod(env, system, get, key);
  if (value != NULL && !(*env)->ExceptionCheck(env)) {
    const char *chars = (*env)->GetStringUTFChars(env, value, NULL);
    if (chars != NULL) {
      step = atoi(chars);
      (*env)->ReleaseStringUTFChars(env, value, chars);
    }
  }
  (*env)->ExceptionClear(env); /* e.g. a SecurityException: then no test failure is injected */
  (*env)->DeleteLocalRef(env, value);
  (*env)->DeleteLocalRef(env, key);
  (*env)->DeleteLocalRef(env, system);
  return step;
}

static const char *step_name(int step) {
  if (step >= 1 && step <= UVJ_COUNT_OF(areas)) return areas[step - 1].name;
  return step == STEP_PIN ? "pin" : "exit handler";
}

/* Undoes the first `started` areas, last first, and unbinds every native; keeps no exception. */
static void unload_areas(JNIEnv *env, int started) {
  (*env)->ExceptionClear(env);
  uvj_exit_handler_disarm();
  for (int i = started - 1; i >= 0; i--) {
    areas[i].unload(env);
    (*env)->ExceptionClear(env);
  }
  uvj_unregister_all(env);
}

/* Throws UnsatisfiedLinkError naming the failed step, caused by `cause` when not NULL. */
static void throw_load_failure(JNIEnv *env, int step, int injected, jthrowable cause) {
  char msg[256];
  snprintf(msg, sizeof msg,
           "uv4j: the native library failed to initialise at step %d (%s)%s; everything it had set "
           "up was undone (library refs left: %ld, classes with natives bound: %d)",
           step, step_name(step), injected ? ", injected by uv4j.test.failLoadAt" : "",
           uvj_counter(UVJ_COUNT_LIBRARY_REFS), uvj_registered_count());
  jclass c = (*env)->FindClass(env, "java/lang/UnsatisfiedLinkError");
  jmethodID init = c == NULL ? NULL : (*env)->GetMethodID(env, c, "<init>", "(Ljava/lang/String;)V");
  jmethodID init_cause = c == NULL ? NULL : (*env)->GetMethodID(env, c, "initCause",
      "(Ljava/lang/Throwable;)Ljava/lang/Throwable;");
  jstring jmsg = init == NULL ? NULL : (*env)->NewStringUTF(env, msg);
  jobject e = jmsg == NULL ? NULL : (*env)->NewObject(env, c, init, jmsg);
  if (e != NULL && cause != NULL && init_cause != NULL) {
    jobject self = (*env)->CallObjectMethod(env, e, init_cause, cause);
    (*env)->ExceptionClear(env);
    (*env)->DeleteLocalRef(env, self);
  }
  /* Without the object (no memory) the pending OutOfMemoryError still fails the load. */
  if (e != NULL) (*env)->Throw(env, (jthrowable) e);
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
  (void) reserved;
  JNIEnv *env;
  uvj_vm = vm;
  if ((*vm)->GetEnv(vm, (void **) &env, UVJ_JNI_VERSION) != JNI_OK) return JNI_ERR;
  int fail_at = test_fail_step(env);
  int started = 0, step = 0, failed = 0;
  while (!failed && step < STEP_EXIT_HANDLER) {
    step++;
    if (step <= UVJ_COUNT_OF(areas)) {
      started = step; /* a load that fails half-way is unloaded too */
      failed = areas[step - 1].load(env) != 0;
    } else if (step == STEP_PIN) {
      failed = pin_library() != 0;
    } else {
      failed = uvj_exit_handler_arm() != 0;
    }
    if (step == fail_at) failed = 1;
  }
  if (!failed) return UVJ_JNI_VERSION;
  jthrowable cause = (*env)->ExceptionOccurred(env);
  unload_areas(env, started);
  throw_load_failure(env, step, step == fail_at, cause);
  (*env)->DeleteLocalRef(env, cause);
  return JNI_ERR;
}

/*
 * The class loader that loaded the library was collected: its classes and objects are gone (no
 * loop, handle or request can be live), so release the caches. Natives died with their classes.
 * The library stays mapped where it was pinned; the exit handler is disarmed.
 */
JNIEXPORT void JNICALL JNI_OnUnload(JavaVM *vm, void *reserved) {
  (void) reserved;
  JNIEnv *env;
  if ((*vm)->GetEnv(vm, (void **) &env, UVJ_JNI_VERSION) != JNI_OK) return;
  uvj_exit_handler_disarm();
  for (int i = UVJ_COUNT_OF(areas) - 1; i >= 0; i--) {
    areas[i].unload(env);
    (*env)->ExceptionClear(env);
  }
  /* FindClass here would search another loader, whose natives must stay bound. */
  uvj_registered_forget();
}
