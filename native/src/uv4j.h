/*
 * Shared declarations of the uv4j JNI shim.
 *
 * Ownership in one paragraph (details in docs/ARCHITECTURE.md):
 *  - every user handle is a malloc'd libuv handle whose `data` is a JNI global ref to its Java
 *    peer; both are released in the close callback, after the Java peer was told it closed;
 *  - a loop is a malloc'd uvj_loop (uv_loop_t first) whose `data` points to itself; it owns a
 *    global ref to the Java Loop and an internal async handle used by Loop.execute;
 *  - the JNIEnv of the thread inside uv_run is stored in the uvj_loop for the duration of the
 *    run, so callbacks never look it up.
 */
#ifndef UV4J_H
#define UV4J_H

#include <jni.h>
#include <uv.h>
#include <stdint.h>

#define UVJ_JNI_VERSION JNI_VERSION_1_8

/* The native side of a Java Loop. */
typedef struct uvj_loop {
  uv_loop_t loop;          /* must stay first: a uv_loop_t* is a uvj_loop* */
  uv_async_t wakeup;       /* Loop.execute's wake-up; unref'd, internal, never seen by walk() */
  int wakeup_closed;       /* set by the wake-up handle's close callback (Loop.close) */
  jobject self;            /* global ref to the Java Loop, released in Loop.close */
  JNIEnv *env;             /* env of the thread inside uv_run, NULL otherwise */
  jthrowable pending;      /* a Throwable that escaped a Java upcall, rethrown by run() */
  jobject read_buffer;     /* global ref to the loop's direct read ByteBuffer (Java-allocated) */
  char *read_base;         /* its address: every stream read of this loop lands here */
  size_t read_size;
} uvj_loop;

/* Cached classes (global refs) and method IDs, filled once in JNI_OnLoad. */
typedef struct uvj_ids {
  jclass Loop, Handle, Timer, Idle, Prepare, Check, Async, UvException, Object, WorkRequest;
  jmethodID Loop_runTasks;          /* void runTasks() */
  jmethodID Handle_onClosed;        /* void onClosed() */
  jmethodID Timer_onTimer;          /* void onTimer() */
  jmethodID Idle_onIdle;            /* void onIdle() */
  jmethodID Prepare_onPrepare;      /* void onPrepare() */
  jmethodID Check_onCheck;          /* void onCheck() */
  jmethodID Async_onAsync;          /* void onAsync() */
  jmethodID UvException_create;     /* static UvException create(int, String, String, String) */
  jmethodID WorkRequest_runWork;    /* void runWork(), on a pool thread */
  jmethodID WorkRequest_onAfter;    /* void onAfter(int status), on the loop thread */
} uvj_ids;

extern uvj_ids uvj;
extern JavaVM *uvj_vm;

/* ---- leak accounting (atomic, process-wide) ---- */
enum { UVJ_COUNT_HANDLES, UVJ_COUNT_REQUESTS, UVJ_COUNT_GLOBAL_REFS, UVJ_COUNT_LOOPS, UVJ_COUNT_MAX };
void uvj_count(int counter, long delta);
long uvj_counter(int counter);

/* Counted global refs: every per-object global ref goes through these two. */
jobject uvj_new_global(JNIEnv *env, jobject obj);
void uvj_delete_global(JNIEnv *env, jobject ref);

/* ---- exceptions ---- */
/* Throws io.uv4j.UvException(code, syscall, path, dest). path/dest may be NULL. */
void uvj_throw_uv(JNIEnv *env, int code, const char *syscall, const char *path, const char *dest);
void uvj_throw(JNIEnv *env, const char *class_name, const char *message);

/* ---- callbacks ---- */
static inline uvj_loop *uvj_loop_of(uv_loop_t *loop) { return (uvj_loop *) loop; }

/* The env to call Java with from a callback of this loop. */
JNIEnv *uvj_env_slow(uvj_loop *L);
static inline JNIEnv *uvj_env(uvj_loop *L) {
  JNIEnv *env = L->env;
  return env != NULL ? env : uvj_env_slow(L);
}

/*
 * After every upcall: a Throwable still pending here escaped the Java dispatcher (which catches
 * user exceptions itself), e.g. an Error thrown while handling another. Park it in the loop,
 * stop the loop, and let run() rethrow it: never leave an exception pending across JNI calls.
 */
void uvj_upcall_failed(JNIEnv *env, uvj_loop *L);
static inline void uvj_after_upcall(JNIEnv *env, uvj_loop *L) {
  if ((*env)->ExceptionCheck(env)) uvj_upcall_failed(env, L);
}

/* Calls a cached void() method on the handle's Java peer. */
static inline void uvj_call_handle(uv_handle_t *h, jmethodID method) {
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L);
  (*env)->CallVoidMethod(env, (jobject) h->data, method);
  uvj_after_upcall(env, L);
}

/*
 * The env of a libuv pool thread. The first call on a thread attaches it to the JVM, once, as a
 * daemon named "uv4j-pool-<n>", and stays attached until the process exits. NULL if the JVM
 * refuses (out of memory, or shutting down).
 */
JNIEnv *uvj_pool_env(void);

/* ---- the thread pool ---- */
/* Every submission to libuv's pool (work, fs, DNS) calls this first: the size is fixed from then. */
void uvj_pool_mark_used(void);
int uvj_pool_is_used(void);

/* ---- handles ---- */
/* Allocates `size` bytes for a handle owned by Java peer `self`; NULL after throwing OOM. */
void *uvj_handle_alloc(JNIEnv *env, size_t size, jobject self);
/* Undoes uvj_handle_alloc for a handle whose uv_*_init failed. */
void uvj_handle_free_uninit(JNIEnv *env, void *h);

static inline void *uvj_ptr(jlong address) { return (void *) (intptr_t) address; }
static inline jlong uvj_address(void *p) { return (jlong) (intptr_t) p; }

/* The close callback of every user handle (handle.c). */
void uvj_on_close(uv_handle_t *h);
/* The connect callback of Tcp and Pipe (stream.c). */
void uvj_on_connect(uv_connect_t *req, int status);

/* ---- socket addresses: Java passes/gets (address bytes 4|16, port, scope id) ---- */
int uvj_sockaddr_from_java(JNIEnv *env, jbyteArray ip, jint port, jint scope, struct sockaddr_storage *out);
/* byte[] laid out as ip(4|16) + port(2, big endian) [+ scope id (4) for IPv6]; NULL if not IP. */
jbyteArray uvj_sockaddr_to_java(JNIEnv *env, const struct sockaddr *sa);

/* ---- registration, one per C file ---- */
int uvj_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count);
int uvj_register_misc(JNIEnv *env);
int uvj_register_loop(JNIEnv *env);
int uvj_register_handle(JNIEnv *env);
int uvj_register_timer(JNIEnv *env);
int uvj_register_loop_watcher(JNIEnv *env);
int uvj_register_async(JNIEnv *env);
int uvj_register_work(JNIEnv *env);
int uvj_register_fs(JNIEnv *env);
int uvj_register_stream(JNIEnv *env);
int uvj_register_tcp(JNIEnv *env);
int uvj_register_pipe(JNIEnv *env);
int uvj_register_fs_event(JNIEnv *env);
int uvj_register_fs_poll(JNIEnv *env);
int uvj_register_dns(JNIEnv *env);

#define UVJ_COUNT_OF(a) ((int) (sizeof(a) / sizeof((a)[0])))

#endif
