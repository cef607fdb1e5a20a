/*
 * Shared declarations of the uv4j JNI shim.
 *
 * Ownership in one paragraph (details in docs/ARCHITECTURE.md):
 *  - every user handle is a malloc'd libuv handle whose `data` is a JNI global ref to its Java
 *    peer; both are released in the close callback, after the Java peer was told it closed.
 *    Except Timers: an element of the loop's timer slab with `data` NULL, known to Java by its
 *    index in the loop's table (timer.c);
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
  int ring_fd;              /* libuv >= 1.45 on Linux: its io_uring ring (loop_fds.c), else -1 */
  uv_async_t wakeup;       /* Loop.execute's wake-up; unref'd, internal, never seen by walk() */
  int wakeup_closed;       /* set by the wake-up handle's close callback (Loop.close) */
  jobject self;            /* global ref to the Java Loop, released in Loop.close */
  JNIEnv *env;             /* env of the thread inside uv_run, NULL otherwise */
  jthrowable pending;      /* a Throwable that escaped a Java upcall, rethrown by run() */
  jobject read_buffer;     /* global ref to the loop's direct read ByteBuffer (Java-allocated) */
  char *read_base;         /* its address: every stream read of this loop lands here */
  size_t read_size;
  /*
   * Batched completions (work.c): work and fs completions that libuv reports from its pool
   * (uv__work_done, the callback of the loop's internal wq_async, which uv4j wraps) are appended
   * here as records and handed to Java in one upcall (Loop.onCompletions) when uv__work_done
   * returns, before libuv decides anything else. The buffer is a Java direct ByteBuffer the Java
   * Loop keeps reachable. Also flushed before any other upcall of the loop (uvj_env), and when
   * uv_run returns.
   */
  unsigned char *done_base;
  size_t done_cap;
  size_t done_len;         /* bytes of records not yet delivered */
  int done_count;          /* records not yet delivered */
  int flushing;            /* inside Loop.onCompletions */
  int in_work_done;        /* inside libuv's uv__work_done (through uvj_on_work_done) */
  uv_async_cb work_done;   /* libuv's own wq_async callback (uv__work_done) */
  /* The loop's request slab: request structs by Java table index, in chunks (never moved). */
  struct uvj_req **req_chunks;
  int req_nchunks;
  /* The loop's timer slab (timer.c): Timer handles by Java table index, in chunks (never moved). */
  void **timer_chunks;
  int timer_nchunks;
  /*
   * FFM up-calls (upcall.c; JDK 22+, io.uv4j.Upcalls): function pointers of upcall stubs that
   * Java handed over for this loop, called instead of JNI's CallVoidMethod on the hot paths
   * (idle/prepare/check/timer callbacks of handles with a peer index, a stream's reads and
   * write completions (stream.c), the completion batch,
   * Loop.execute's wake-up, pool work). NULL on JDK 17-21 or with -Duv4j.backend=jni. The
   * stubs catch every Throwable themselves (one escaping an FFM up-call ends the JVM).
   */
  void (*ffm_handle)(jint loop_id, jint peer);            /* Handle.onUpcall() of the peer */
  void (*ffm_loop)(jint loop_id, jint what, jint arg);    /* UVJ_FFM_* below */
  void (*ffm_stream)(jint loop_id, jint peer, jint what, jint value); /* UVJ_FFM_STREAM_* */
  jint ffm_id;             /* the Loop's id in Upcalls' registry */
  /*
   * Deferred timer fires (timer.c, "Timer fires in a batch" in docs/ARCHITECTURE.md): a pass of
   * libuv's uv__run_timers that fires several one-shot Timers hands them to Java in one upcall,
   * at its last fire, instead of one upcall each. Counting the pass needs libuv's heap size and
   * timer counter as they were when uv4j code last ran before the pass.
   */
  int timer_defer;         /* allowed on this loop (libuv >= 1.48, POSIX, not switched off) */
  int fs_polls;            /* FsPoll handles alive: their internal libuv timers are not ours */
  unsigned timer_nelts;    /* libuv's timer heap size when uv4j code last ran */
  uint64_t timer_counter;  /* libuv's timer_counter then */
  uint64_t pass_key;       /* which pass the last fire belonged to (iteration, run call) */
  uint32_t run_epoch;      /* uv_run calls so far */
  int pass_left;           /* fires of the current pass still to come */
  int pass_direct;         /* this pass fires by direct upcalls from now on */
  int deferred_pending;    /* deferred fire/call records in the batch, not yet delivered */
  int batch_flush;         /* a batch's own delivery in progress (any other one is late) */
  /* Idle/prepare/check phases in a batch (loop_watcher.c), by UVJ_WATCH_* */
  int watch_active[3];     /* active handles of the kind */
  uint64_t watch_key[3];   /* the phase the last call belonged to */
  int watch_left[3];       /* calls of that phase still to come */
  int watch_direct[3];     /* that phase calls Java once per handle */
} uvj_loop;

enum { UVJ_WATCH_IDLE = 0, UVJ_WATCH_PREPARE = 1, UVJ_WATCH_CHECK = 2 };

/* Notes libuv's timer heap as uv4j code leaves it (timer.c); after anything that may change it. */
void uvj_timer_snapshot(uvj_loop *L);
/* Which pass of timers or phase of idle/prepare/check a callback belongs to; 0: no batches. */
uint64_t uvj_pass_key(uvj_loop *L);
/* Delivers the batch as a pass or phase ends (work.c); any other delivery of such records is late. */
JNIEnv *uvj_batch_deliver(uvj_loop *L);
/* Before uv_close of any handle: an idle/prepare/check handle leaves its kind's count. */
void uvj_watcher_closing(uv_handle_t *h);

/* `what` of uvj_loop.ffm_loop (Upcalls.LOOP_*). */
enum { UVJ_FFM_COMPLETIONS = 0, UVJ_FFM_RUN_TASKS = 1, UVJ_FFM_RUN_WORK = 2 };

/* `what` of uvj_loop.ffm_stream (Upcalls.STREAM_*): Stream.onRead(value), onWriteDone(value). */
enum { UVJ_FFM_STREAM_READ = 0, UVJ_FFM_STREAM_WRITE_DONE = 1 };

/*
 * Streams (tcp.c, pipe.c, tty.c) are allocated with their FFM peer index right after the libuv
 * struct (-1: none, the JNI path): UVJ_STREAM_SIZE(uv_tcp_t), then uvj_stream_peer_init.
 */
#define UVJ_STREAM_SIZE(type) (sizeof(type) + sizeof(jint))
static inline void uvj_stream_peer_init(void *h, size_t size) { *(jint *) ((char *) h + size) = -1; }
static inline jint *uvj_stream_peer(uv_stream_t *s) {
  return (jint *) ((char *) s + uv_handle_size(s->type));
}

/*
 * Class and method IDs: every C file caches what it uses in file-local statics, filled by its
 * uvj_<area>_load and cleared by its uvj_<area>_unload (library.c calls them; see "Library
 * lifecycle" in docs/ARCHITECTURE.md). Files whose code says `uvj.X` keep them in a file-local
 * `static struct { ... } uvj`.
 */
extern JavaVM *uvj_vm;

/* ---- leak accounting (atomic, process-wide) ---- */
/*
 * LATE_TIMER_FIRES: records of a timer or loop-watcher batch delivered after their pass or phase
 * (a miscount in timer.c/loop_watcher.c; tests assert none).
 * GLOBAL_REFS: per-object refs (handle peers, loops, requests, buffers), zero when nothing is open.
 * LIBRARY_REFS: the class cache's refs, held from JNI_OnLoad to JNI_OnUnload (or a failed load's
 * rollback): constant while the library is loaded.
 */
enum { UVJ_COUNT_HANDLES, UVJ_COUNT_REQUESTS, UVJ_COUNT_GLOBAL_REFS, UVJ_COUNT_LOOPS,
       UVJ_COUNT_LIBRARY_REFS, UVJ_COUNT_LATE_TIMER_FIRES, UVJ_COUNT_MAX };
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

/*
 * The env to call Java with from a callback of this loop. Callbacks run inside uv_run, which a
 * Java thread entered, so L->env is set; the slow path covers a thread the JVM does not know and
 * answers NULL (after a message on stderr) when the JVM refuses it: the caller skips the upcall.
 */
JNIEnv *uvj_env_slow(uvj_loop *L);
void uvj_flush_completions(JNIEnv *env, uvj_loop *L);
static inline JNIEnv *uvj_env(uvj_loop *L) {
  JNIEnv *env = L->env;
  if (env == NULL) env = uvj_env_slow(L);
  /* Completions libuv reported earlier reach Java before anything that happened after them. */
  if (L->done_count != 0 && env != NULL && !L->flushing) uvj_flush_completions(env, L);
  return env;
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
  if (env == NULL) return;
  (*env)->CallVoidMethod(env, (jobject) h->data, method);
  uvj_after_upcall(env, L);
}

/*
 * The same for a handle whose Java peer has an index in its loop's table (`peer` >= 0, given
 * only when FFM up-calls are on): the FFM stub of the loop, else JNI as above.
 */
static inline void uvj_call_handle_peer(uv_handle_t *h, jint peer, jmethodID method) {
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L); /* flushes earlier completions first, whichever way they go */
  if (env == NULL) return;
  if (peer >= 0 && L->ffm_handle != NULL) {
    L->ffm_handle(L->ffm_id, peer);
    return;
  }
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

/* ---- the per-loop request slab and completion batches (work.c) ---- */
/*
 * A request of the pool (work or fs), identified by its index in the Java Loop's request table;
 * the struct at that index is reused by the next request that gets the index. Never moved.
 */
typedef struct uvj_req {
  union { uv_req_t req; uv_work_t work; uv_fs_t fs; } u; /* first: a uv_req_t* is a uvj_req* */
  int index;         /* in the Java Loop's request table */
  int failed;        /* work: UV_ENOMEM/UV_ECANCELED when the Java work could not run */
  int completed;     /* libuv reported it; cancel answers UV_EBUSY without touching libuv */
  uv_dirent_t *dirents; /* fs readdir's entry array, owned here until completion */
  void *ext;         /* DNS: the malloc'd libuv request (dns.c), NULL once it completed */
} uvj_req;

/* The struct for `index`, growing the slab; NULL after throwing OutOfMemoryError. Loop thread. */
uvj_req *uvj_req_slot(JNIEnv *env, uvj_loop *L, jint index);
/* The struct for an index the slab already has (cancel), NULL if out of range. */
uvj_req *uvj_req_find(uvj_loop *L, jint index);
/* Frees the slab (loop close: no request is in flight). */
void uvj_req_slab_free(uvj_loop *L);
/*
 * Replaces libuv's wq_async callback (uv__work_done) of a freshly initialised loop with one that
 * calls it, then delivers the batch it produced (loop.c calls this after uv_loop_init).
 */
void uvj_wrap_work_done(uvj_loop *L);

/* fs_copyfile.c (POSIX): Fs.copyfile without libuv's endless loop on a short source. */
int uvj_copyfile_run(const char *src, const char *dst, int flags);
int uvj_copyfile_queue(uv_loop_t *loop, uvj_req *f, const char *src, const char *dst, int flags,
                       void (*done)(uv_fs_t *));

/* Record kinds of the completion buffer (Loop.onCompletions reads them). */
enum { UVJ_DONE_WORK = 0, UVJ_DONE_FS = 1, UVJ_DONE_FS_STAT = 2, UVJ_DONE_CLOSED = 3,
       UVJ_DONE_ADDRINFO = 4, UVJ_DONE_NAMEINFO = 5, UVJ_DONE_TIMER = 6, UVJ_DONE_CALL = 7 };
#define UVJ_DONE_HEADER 16   /* int index, int kind, long result */
#define UVJ_DONE_STAT_LONGS 20
/*
 * Room for a record of `extra_longs` longs after the header: flushes first if the buffer is
 * full. Returns where to write the longs (after the header, which this fills), or NULL when no
 * env is available (cannot happen inside uv_run). Loop thread, inside a libuv callback.
 */
int64_t *uvj_done_append(uvj_loop *L, jint index, jint kind, jlong result, int extra_longs);

/* ---- handles ---- */
/* Allocates `size` bytes for a handle owned by Java peer `self`; NULL after throwing OOM. */
void *uvj_handle_alloc(JNIEnv *env, size_t size, jobject self);
/* Undoes uvj_handle_alloc for a handle whose uv_*_init failed. */
void uvj_handle_free_uninit(JNIEnv *env, void *h);

static inline void *uvj_ptr(jlong address) { return (void *) (intptr_t) address; }
static inline jlong uvj_address(void *p) { return (jlong) (intptr_t) p; }

/* Frees the loop's timer slab (loop close: no Timer is left). timer.c */
void uvj_timer_slab_free(uvj_loop *L);
/*
 * The Java peer (a local ref) of a user handle known by its table index instead of a global ref
 * in `data` (data == NULL: a Timer). timer.c
 */
jobject uvj_handle_peer(JNIEnv *env, uv_handle_t *h);

/* The close callback of every user handle (handle.c). */
void uvj_on_close(uv_handle_t *h);
/* The connect callback of Tcp and Pipe (stream.c). */
void uvj_on_connect(uv_connect_t *req, int status);
/* stream.c: uv_write2 of a copy of array[off, off+len), sending send's descriptor (may be NULL). */
int uvj_stream_write_bytes(JNIEnv *env, uv_stream_t *s, jbyteArray array, jint off, jint len,
                           uv_stream_t *send);
/* sysinfo.c: the ordinal of io.uv4j.Uv.HandleType for a libuv handle type. */
jint uvj_handle_type_ordinal(uv_handle_type type);

/* ---- socket addresses: Java passes/gets (address bytes 4|16, port, scope id) ---- */
int uvj_sockaddr_from_java(JNIEnv *env, jbyteArray ip, jint port, jint scope, struct sockaddr_storage *out);
/* byte[] laid out as ip(4|16) + port(2, big endian) [+ scope id (4) for IPv6]; NULL if not IP. */
jbyteArray uvj_sockaddr_to_java(JNIEnv *env, const struct sockaddr *sa);

/* ---- the class cache (helpers for the load functions) ---- */
/*
 * A counted (LIBRARY_REFS) weak global ref to a class; NULL with an exception pending. Weak, so
 * the cache never keeps the class loader alive (which would stop JNI_OnUnload from ever running):
 * the classes are reachable whenever native code runs for them, so the refs are never cleared
 * while used.
 */
jclass uvj_class_ref(JNIEnv *env, const char *name);
/* Releases a ref from uvj_class_ref and clears *ref; does nothing for NULL. */
void uvj_class_unref(JNIEnv *env, jclass *ref);
/* An instance method ID of a class, looked up by name; NULL with an exception pending. */
jmethodID uvj_method_id(JNIEnv *env, const char *class_name, const char *name, const char *sig);

/* ---- natives: each load function binds its class's natives through this ---- */
int uvj_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, int count);
/* Unbinds every class bound by uvj_register (a failed load's rollback); keeps a pending exception. */
void uvj_unregister_all(JNIEnv *env);
/* How many classes have natives bound by uvj_register. */
int uvj_registered_count(void);
/* Empties the list without unbinding: JNI_OnUnload, whose classes died with their loader. */
void uvj_registered_forget(void);

/* ---- load/unload, one pair per C file, called by library.c in this order (unload reversed) ---- */
/*
 * A load function caches its IDs and binds its natives; 0 or -1 (usually with an exception
 * pending). An unload function clears what its load set, also after a load that failed half-way.
 */
#define UVJ_AREAS(X) \
  X(util) X(misc) X(loop_fds) X(loop) X(handle) X(timer) X(loop_watcher) X(async) X(work) X(fs) X(stream) \
  X(tcp) X(pipe) X(udp) X(udp_send) X(fs_event) X(fs_poll) X(dns) X(sysinfo) X(os) X(ifaddrs) \
  X(tty) X(signal) X(poll) X(process) X(upcall)
#define UVJ_DECLARE_AREA(area) int uvj_##area##_load(JNIEnv *env); void uvj_##area##_unload(JNIEnv *env);
UVJ_AREAS(UVJ_DECLARE_AREA)
#undef UVJ_DECLARE_AREA

/* ---- byte[] text and version gates (sysinfo.c; used by os.c and ifaddrs.c too) ---- */
/* A byte[] of n bytes of s; NULL after throwing OOM. */
jbyteArray uvj_bytes_n(JNIEnv *env, const char *s, size_t n);
/* The bytes of a NUL-terminated string; NULL (no exception) for a NULL string. */
jbyteArray uvj_bytes(JNIEnv *env, const char *s);
/* A NUL-terminated malloc'd copy of a byte[] (Java refuses NUL inside); NULL after throwing OOM. */
char *uvj_cstr(JNIEnv *env, jbyteArray a);
/* A byte[][] of length n (sysinfo.c's cached class); NULL after throwing. */
jobjectArray uvj_byte_arrays(JNIEnv *env, jsize n);
/* Throws UnsupportedOperationException for a function of libuv `needed` (newer than this one). */
void uvj_unsupported(JNIEnv *env, const char *function, const char *needed);

/* ---- descriptors libuv opens for itself (loop_fds.c; io.uv4j.OwnedFds refuses them) ---- */
/* uv_loop_init, noting the io_uring ring it opened (libuv >= 1.45 on Linux; else -1) and, the
 * first time in the process, libuv's signal lock pipe. */
int uvj_loop_init_tracked(uv_loop_t *loop, int *ring_fd);
/* After uv_loop_close of a loop uvj_loop_init_tracked opened: its ring number is free again. */
void uvj_loop_closed_tracked(int ring_fd);
/* The loop's descriptors (backend, async, signal pipe, EMFILE reserve, inotify, ring) into out[9]. */
int uvj_loop_fds(uv_loop_t *loop, int ring_fd, int *out);
/* The shim's own loops, which Java never sees: their descriptors are answered by nLibraryFd. */
enum { UVJ_LIBRARY_SYNC, UVJ_LIBRARY_ANCHOR, UVJ_LIBRARY_LOOPS };
/* Records (loop != NULL) or forgets (NULL) the descriptors of one of the shim's own loops. */
void uvj_library_loop(int which, uv_loop_t *loop, int ring_fd);

/* signal.c: Uv.kill of this very process with a signal a uv4j Signal watches is raised on the
 * calling thread; returns 1 (and libuv's result in *result) when it did so, 0 to use uv_kill. */
int uvj_signal_raise_watched(int signum, int *result);

/* ---- process exit (work.c) ---- */
/*
 * Registers the process-exit handler (glibc on_exit), once per process, and arms it; 0 or -1.
 * Its code must stay mapped: library.c pins the library first.
 */
int uvj_exit_handler_arm(void);
/* Makes the handler do nothing (the library is being unloaded, or its load failed). */
void uvj_exit_handler_disarm(void);

#define UVJ_COUNT_OF(a) ((int) (sizeof(a) / sizeof((a)[0])))

#endif
