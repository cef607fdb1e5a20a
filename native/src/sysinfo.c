/*
 * io.uv4j.Uv's system utilities: CPUs, memory, load, uptime, resource usage, random bytes
 * (synchronous and as a pool request: io.uv4j.RandomRequest), uv_guess_handle, loop metrics, and the functions of libuv releases newer than the
 * one compiled against (each compiled in under `#if UV_VERSION_HEX >= ...`, else it throws
 * UnsupportedOperationException naming the version it needs). Host, user, process and
 * environment facts are in os.c, network interfaces in ifaddrs.c; both use the byte[] helpers
 * below (declared in uv4j.h).
 *
 * Text crosses as byte[] (UTF-8 decoded in Java): environment values, host names and paths are
 * arbitrary bytes, which NewStringUTF's modified UTF-8 cannot take. Every uv_free_* result is
 * freed here before returning, on the error paths too.
 */
#include "uv4j.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
  jclass byte_array;               /* byte[] (arrays of names) */
  jmethodID RandomRequest_onDone;  /* void onDone(int status), loop thread */
} uvj;

/* ---- helpers (declared in uv4j.h, shared with os.c and ifaddrs.c) ---- */

jbyteArray uvj_bytes_n(JNIEnv *env, const char *s, size_t n) {
  jbyteArray a = (*env)->NewByteArray(env, (jsize) n);
  if (a != NULL && n > 0) (*env)->SetByteArrayRegion(env, a, 0, (jsize) n, (const jbyte *) s);
  return a;
}

jbyteArray uvj_bytes(JNIEnv *env, const char *s) {
  return s == NULL ? NULL : uvj_bytes_n(env, s, strlen(s));
}

char *uvj_cstr(JNIEnv *env, jbyteArray a) {
  jsize n = (*env)->GetArrayLength(env, a);
  char *s = malloc((size_t) n + 1);
  if (s == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a string");
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *) s);
  s[n] = '\0';
  return s;
}

void uvj_unsupported(JNIEnv *env, const char *function, const char *needed) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s needs libuv >= %s, this is %s", function, needed, uv_version_string());
  uvj_throw(env, "java/lang/UnsupportedOperationException", msg);
}

jobjectArray uvj_byte_arrays(JNIEnv *env, jsize n) {
  return (*env)->NewObjectArray(env, n, uvj.byte_array, NULL);
}

/* ---- CPUs, memory, load, uptime ---- */

/* {byte[][] models, long[] (speed, user, nice, sys, idle, irq) per CPU}: one uv_cpu_info call. */
static jobjectArray cpu_info(JNIEnv *env, jclass c) {
  (void) c;
  uv_cpu_info_t *cpus;
  int n;
  int r = uv_cpu_info(&cpus, &n);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_cpu_info", NULL, NULL);
    return NULL;
  }
  jobjectArray out = NULL;
  if ((*env)->PushLocalFrame(env, 8) != 0) goto done;
  jobjectArray models = (*env)->NewObjectArray(env, n, uvj.byte_array, NULL);
  jlongArray times = models != NULL ? (*env)->NewLongArray(env, 6 * n) : NULL;
  for (int i = 0; times != NULL && i < n; i++) {
    jbyteArray m = uvj_bytes(env, cpus[i].model != NULL ? cpus[i].model : "");
    if (m == NULL) {
      times = NULL;
      break;
    }
    (*env)->SetObjectArrayElement(env, models, i, m);
    (*env)->DeleteLocalRef(env, m);
    jlong t[6] = { cpus[i].speed, (jlong) cpus[i].cpu_times.user, (jlong) cpus[i].cpu_times.nice,
                   (jlong) cpus[i].cpu_times.sys, (jlong) cpus[i].cpu_times.idle,
                   (jlong) cpus[i].cpu_times.irq };
    (*env)->SetLongArrayRegion(env, times, 6 * i, 6, t);
  }
  jclass object = times != NULL ? (*env)->FindClass(env, "java/lang/Object") : NULL;
  out = object != NULL ? (*env)->NewObjectArray(env, 2, object, NULL) : NULL;
  if (out != NULL) {
    (*env)->SetObjectArrayElement(env, out, 0, models);
    (*env)->SetObjectArrayElement(env, out, 1, times);
  }
  out = (*env)->PopLocalFrame(env, out);
done:
  uv_free_cpu_info(cpus, n);
  return out;
}

static jlongArray memory(JNIEnv *env, jclass c) {
  (void) c;
  jlong m[4] = { (jlong) uv_get_free_memory(), (jlong) uv_get_total_memory(),
                 (jlong) uv_get_constrained_memory(), -1 };
#if UV_VERSION_HEX >= 0x012d00
  m[3] = (jlong) uv_get_available_memory();
#endif
  jlongArray out = (*env)->NewLongArray(env, 4);
  if (out != NULL) (*env)->SetLongArrayRegion(env, out, 0, 4, m);
  return out;
}

static jdoubleArray loadavg(JNIEnv *env, jclass c) {
  (void) c;
  double avg[3];
  uv_loadavg(avg);
  jdoubleArray out = (*env)->NewDoubleArray(env, 3);
  if (out != NULL) (*env)->SetDoubleArrayRegion(env, out, 0, 3, avg);
  return out;
}

static jdouble uptime(JNIEnv *env, jclass c) {
  (void) c;
  double up;
  int r = uv_uptime(&up);
  if (r != 0) uvj_throw_uv(env, r, "uv_uptime", NULL, NULL);
  return up;
}

static jlong rss(JNIEnv *env, jclass c) {
  (void) c;
  size_t n;
  int r = uv_resident_set_memory(&n);
  if (r != 0) uvj_throw_uv(env, r, "uv_resident_set_memory", NULL, NULL);
  return (jlong) n;
}

static jint available_parallelism(JNIEnv *env, jclass c) {
  (void) env; (void) c;
  return (jint) uv_available_parallelism();
}


/* ---- resource usage ---- */

static jlongArray rusage_to_java(JNIEnv *env, const uv_rusage_t *u) {
  jlong v[16] = {
    (jlong) u->ru_utime.tv_sec * 1000000 + u->ru_utime.tv_usec,
    (jlong) u->ru_stime.tv_sec * 1000000 + u->ru_stime.tv_usec,
    (jlong) u->ru_maxrss, (jlong) u->ru_ixrss, (jlong) u->ru_idrss, (jlong) u->ru_isrss,
    (jlong) u->ru_minflt, (jlong) u->ru_majflt, (jlong) u->ru_nswap, (jlong) u->ru_inblock,
    (jlong) u->ru_oublock, (jlong) u->ru_msgsnd, (jlong) u->ru_msgrcv, (jlong) u->ru_nsignals,
    (jlong) u->ru_nvcsw, (jlong) u->ru_nivcsw,
  };
  jlongArray out = (*env)->NewLongArray(env, 16);
  if (out != NULL) (*env)->SetLongArrayRegion(env, out, 0, 16, v);
  return out;
}

static jlongArray rusage(JNIEnv *env, jclass c, jboolean thread) {
  (void) c;
  uv_rusage_t u;
  if (thread) {
#if UV_VERSION_HEX >= 0x013200
    int r = uv_getrusage_thread(&u);
    if (r != 0) {
      uvj_throw_uv(env, r, "uv_getrusage_thread", NULL, NULL);
      return NULL;
    }
    return rusage_to_java(env, &u);
#else
    uvj_unsupported(env, "uv_getrusage_thread", "1.50.0");
    return NULL;
#endif
  }
  int r = uv_getrusage(&u);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_getrusage", NULL, NULL);
    return NULL;
  }
  return rusage_to_java(env, &u);
}

/* ---- handles ---- */

/* The ordinal of Uv.HandleType: UNKNOWN, FILE, TTY, NAMED_PIPE, TCP, UDP. */
jint uvj_handle_type_ordinal(uv_handle_type type) {
  switch (type) {
    case UV_FILE: return 1;
    case UV_TTY: return 2;
    case UV_NAMED_PIPE: return 3;
    case UV_TCP: return 4;
    case UV_UDP: return 5;
    default: return 0;
  }
}

static jint guess_handle(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
  return uvj_handle_type_ordinal(uv_guess_handle((uv_file) fd));
}

/* ---- random ---- */

/* Fills a byte[] range on this thread, through a bounded scratch buffer. */
static jint random_array(JNIEnv *env, jclass c, jbyteArray a, jint off, jint len) {
  (void) c;
  char scratch[4096];
  while (len > 0) {
    jint n = len < (jint) sizeof scratch ? len : (jint) sizeof scratch;
    int r = uv_random(NULL, NULL, scratch, (size_t) n, 0, NULL);
    if (r != 0) return r;
    (*env)->SetByteArrayRegion(env, a, off, n, (const jbyte *) scratch);
    off += n;
    len -= n;
  }
  return 0;
}

/* Fills [pos, pos+len) of a direct buffer in place, on this thread. */
static jint random_direct(JNIEnv *env, jclass c, jobject buffer, jint pos, jint len) {
  (void) c;
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) return UV_EINVAL;
  return uv_random(NULL, NULL, base + pos, (size_t) len, 0, NULL);
}

typedef struct uvj_random {
  uv_random_t req; /* first */
  jobject self;    /* global ref to the Java RandomRequest (which keeps the buffer reachable) */
  char data[];     /* the bytes, when the target is not a direct buffer */
} uvj_random;

static void on_random(uv_random_t *req, int status, void *buf, size_t len) {
  (void) buf; (void) len;
  uvj_random *q = (uvj_random *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return; /* cannot happen inside uv_run; leak rather than crash */
  (*env)->CallVoidMethod(env, q->self, uvj.RandomRequest_onDone, (jint) status);
  uvj_after_upcall(env, L);
  uvj_delete_global(env, q->self);
  free(q);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
}

/*
 * Queues uv_random on the pool: into a direct buffer's [pos, pos+len) in place (buffer non-null),
 * else into native memory that RandomRequest copies out with nCopyOut during onDone. Returns the
 * request's address; 0 after throwing.
 */
static jlong random_queue(JNIEnv *env, jclass c, jlong loop, jobject self, jobject buffer,
                          jint pos, jint len) {
  (void) c;
  char *target = NULL;
  if (buffer != NULL && (target = (*env)->GetDirectBufferAddress(env, buffer)) == NULL) {
    uvj_throw(env, "java/lang/IllegalArgumentException", "not a direct buffer");
    return 0;
  }
  uvj_random *q = calloc(1, sizeof *q + (buffer != NULL ? 0 : (size_t) len));
  if (q == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a random request");
    return 0;
  }
  if ((q->self = uvj_new_global(env, self)) == NULL) {
    free(q);
    return 0;
  }
  uvj_pool_mark_used();
  int r = uv_random(uvj_ptr(loop), &q->req, buffer != NULL ? target + pos : q->data, (size_t) len,
                    0, on_random);
  if (r != 0) {
    uvj_delete_global(env, q->self);
    free(q);
    uvj_throw_uv(env, r, "uv_random", NULL, NULL);
    return 0;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return uvj_address(q);
}

/* During onDone: copies the request's bytes into a byte[] range. */
static void random_copy_out(JNIEnv *env, jclass c, jlong address, jbyteArray a, jint off, jint len) {
  (void) c;
  uvj_random *q = uvj_ptr(address);
  (*env)->SetByteArrayRegion(env, a, off, len, (const jbyte *) q->data);
}

static jint random_cancel(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_cancel((uv_req_t *) uvj_ptr(address));
}

/* ---- loop metrics ---- */

static jlongArray metrics_info(JNIEnv *env, jclass c, jlong loop) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  uv_metrics_t m;
  int r = uv_metrics_info(uvj_ptr(loop), &m);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_metrics_info", NULL, NULL);
    return NULL;
  }
  jlong v[4] = { (jlong) m.loop_count, (jlong) m.events, (jlong) m.events_waiting,
                 (jlong) uv_metrics_idle_time(uvj_ptr(loop)) };
  jlongArray out = (*env)->NewLongArray(env, 4);
  if (out != NULL) (*env)->SetLongArrayRegion(env, out, 0, 4, v);
  return out;
#else
  (void) loop;
  uvj_unsupported(env, "uv_metrics_info", "1.45.0");
  return NULL;
#endif
}

/* ---- newer than 1.44: clocks, available memory, threads ---- */

/* {seconds, nanoseconds}; clock 0 monotonic, 1 realtime. */
static jlongArray clock_gettime_(JNIEnv *env, jclass c, jint clock) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  uv_timespec64_t ts;
  int r = uv_clock_gettime(clock == 0 ? UV_CLOCK_MONOTONIC : UV_CLOCK_REALTIME, &ts);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_clock_gettime", NULL, NULL);
    return NULL;
  }
  jlong v[2] = { (jlong) ts.tv_sec, (jlong) ts.tv_nsec };
  jlongArray out = (*env)->NewLongArray(env, 2);
  if (out != NULL) (*env)->SetLongArrayRegion(env, out, 0, 2, v);
  return out;
#else
  (void) clock;
  uvj_unsupported(env, "uv_clock_gettime", "1.45.0");
  return NULL;
#endif
}

static jint available_memory_supported(JNIEnv *env, jclass c) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  (void) env;
  return 1;
#else
  uvj_unsupported(env, "uv_get_available_memory", "1.45.0");
  return 0;
#endif
}

static jint cpumask_size(JNIEnv *env, jclass c) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  int r = uv_cpumask_size();
  if (r < 0) uvj_throw_uv(env, r, "uv_cpumask_size", NULL, NULL);
  return r;
#else
  uvj_unsupported(env, "uv_cpumask_size", "1.45.0");
  return 0;
#endif
}

/* The calling thread's affinity mask as booleans (one byte per CPU). */
static jbyteArray thread_getaffinity(JNIEnv *env, jclass c) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  int size = uv_cpumask_size();
  if (size < 0) {
    uvj_throw_uv(env, size, "uv_cpumask_size", NULL, NULL);
    return NULL;
  }
  char *mask = calloc((size_t) size + 1, 1);
  if (mask == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a CPU mask");
    return NULL;
  }
  uv_thread_t self = uv_thread_self();
  int r = uv_thread_getaffinity(&self, mask, (size_t) size);
  jbyteArray out = NULL;
  if (r != 0) uvj_throw_uv(env, r, "uv_thread_getaffinity", NULL, NULL);
  else out = uvj_bytes_n(env, mask, (size_t) size);
  free(mask);
  return out;
#else
  uvj_unsupported(env, "uv_thread_getaffinity", "1.45.0");
  return NULL;
#endif
}

/* Sets the calling thread's mask (Java checked the length is uv_cpumask_size); answers the old one. */
static jbyteArray thread_setaffinity(JNIEnv *env, jclass c, jbyteArray jmask) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  jsize size = (*env)->GetArrayLength(env, jmask);
  char *mask = calloc((size_t) size + 1, 2);
  if (mask == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a CPU mask");
    return NULL;
  }
  char *old = mask + size + 1;
  (*env)->GetByteArrayRegion(env, jmask, 0, size, (jbyte *) mask);
  uv_thread_t self = uv_thread_self();
  int r = uv_thread_setaffinity(&self, mask, old, (size_t) size);
  jbyteArray out = NULL;
  if (r != 0) uvj_throw_uv(env, r, "uv_thread_setaffinity", NULL, NULL);
  else out = uvj_bytes_n(env, old, (size_t) size);
  free(mask);
  return out;
#else
  (void) jmask;
  uvj_unsupported(env, "uv_thread_setaffinity", "1.45.0");
  return NULL;
#endif
}

static jint thread_getcpu(JNIEnv *env, jclass c) {
  (void) c;
#if UV_VERSION_HEX >= 0x012d00
  int r = uv_thread_getcpu();
  if (r < 0) uvj_throw_uv(env, r, "uv_thread_getcpu", NULL, NULL);
  return r;
#else
  uvj_unsupported(env, "uv_thread_getcpu", "1.45.0");
  return 0;
#endif
}

static void thread_setname(JNIEnv *env, jclass c, jbyteArray jname) {
  (void) c;
#if UV_VERSION_HEX >= 0x013200
  char *name = uvj_cstr(env, jname);
  if (name == NULL) return;
  int r = uv_thread_setname(name);
  if (r != 0) uvj_throw_uv(env, r, "uv_thread_setname", name, NULL);
  free(name);
#else
  (void) jname;
  uvj_unsupported(env, "uv_thread_setname", "1.50.0");
#endif
}

static jbyteArray thread_getname(JNIEnv *env, jclass c) {
  (void) c;
#if UV_VERSION_HEX >= 0x013200
  char name[256];
  uv_thread_t self = uv_thread_self();
  int r = uv_thread_getname(&self, name, sizeof name);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_thread_getname", NULL, NULL);
    return NULL;
  }
  return uvj_bytes(env, name);
#else
  uvj_unsupported(env, "uv_thread_getname", "1.50.0");
  return NULL;
#endif
}

int uvj_sysinfo_load(JNIEnv *env) {
  if ((uvj.byte_array = uvj_class_ref(env, "[B")) == NULL) return -1;
  uvj.RandomRequest_onDone = uvj_method_id(env, "io/uv4j/RandomRequest", "onDone", "(I)V");
  if (uvj.RandomRequest_onDone == NULL) return -1;
  static const JNINativeMethod uv[] = {
    { "nCpuInfo", "()[Ljava/lang/Object;", (void *) cpu_info },
    { "nMemory", "()[J", (void *) memory },
    { "nLoadavg", "()[D", (void *) loadavg },
    { "nUptime", "()D", (void *) uptime },
    { "nRss", "()J", (void *) rss },
    { "nAvailableParallelism", "()I", (void *) available_parallelism },
    { "nRusage", "(Z)[J", (void *) rusage },
    { "nGuessHandle", "(I)I", (void *) guess_handle },
    { "nRandomArray", "([BII)I", (void *) random_array },
    { "nRandomDirect", "(Ljava/nio/ByteBuffer;II)I", (void *) random_direct },
    { "nMetricsInfo", "(J)[J", (void *) metrics_info },
    { "nClockGettime", "(I)[J", (void *) clock_gettime_ },
    { "nAvailableMemorySupported", "()I", (void *) available_memory_supported },
    { "nCpumaskSize", "()I", (void *) cpumask_size },
    { "nThreadGetAffinity", "()[B", (void *) thread_getaffinity },
    { "nThreadSetAffinity", "([B)[B", (void *) thread_setaffinity },
    { "nThreadGetCpu", "()I", (void *) thread_getcpu },
    { "nThreadSetName", "([B)V", (void *) thread_setname },
    { "nThreadGetName", "()[B", (void *) thread_getname },
  };
  static const JNINativeMethod rq[] = {
    { "nQueue", "(JLio/uv4j/RandomRequest;Ljava/nio/ByteBuffer;II)J", (void *) random_queue },
    { "nCopyOut", "(J[BII)V", (void *) random_copy_out },
    { "nCancel", "(J)I", (void *) random_cancel },
  };
  if (uvj_register(env, "io/uv4j/Uv", uv, UVJ_COUNT_OF(uv)) != 0) return -1;
  return uvj_register(env, "io/uv4j/RandomRequest", rq, UVJ_COUNT_OF(rq));
}

void uvj_sysinfo_unload(JNIEnv *env) {
  uvj_class_unref(env, &uvj.byte_array);
  uvj.RandomRequest_onDone = NULL;
}
