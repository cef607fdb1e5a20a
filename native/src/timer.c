/*
 * io.uv4j.Timer on uv_timer_t.
 *
 * A Timer is known to native code by its index in the loop's Java table (Loop.takeSlot, taken by
 * the constructor and released when Java learns the handle closed), never by a JNI global ref:
 * the fire upcall is Loop.onTimer(index) on the loop's peer, and both close paths append a
 * "closed" record to the loop's completion batch. The uv_timer_t lives in the loop's timer slab
 * at the same index (chunks of UVJ_TIMER_CHUNK elements, grown on demand, never moved, freed by
 * loop_close), so creating and closing a timer costs no malloc/free and no global ref.
 */
#include "uv4j.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

/* This file's cache, filled by uvj_timer_load. */
static struct {
  jmethodID Loop_onTimer; /* void onTimer(int index) */
  jmethodID Loop_slot;    /* Object slot(int index) */
} uvj;

/*
 * libuv's timer heap compares and relinks timers by their heap node, timeout and start_id: with a
 * million timers every level of the heap is a cache miss. In a slab element those fields (and
 * the 8 bytes before the node; Windows has an int between node and timeout) share one 64-byte
 * line, where a malloc'd uv_timer_t usually spreads them over two.
 */
#define UVJ_TIMER_HOT_BEGIN (offsetof(uv_timer_t, timeout) - 4 * sizeof(void *))
#define UVJ_TIMER_HOT_END (offsetof(uv_timer_t, start_id) + sizeof(uint64_t))
#define UVJ_TIMER_HEAD 8 /* index + flags, before the pad */
#define UVJ_TIMER_PAD (64 - (UVJ_TIMER_HEAD + UVJ_TIMER_HOT_BEGIN) % 64)

typedef struct uvj_timer {
  _Alignas(64) jint index; /* in the Java Loop's table */
  jint touched;            /* started, stopped or re-armed by Java since set to 0 (flush_before) */
  char pad[UVJ_TIMER_PAD];
  uv_timer_t t;
} uvj_timer;

_Static_assert(UVJ_TIMER_HOT_END - UVJ_TIMER_HOT_BEGIN <= 64, "timer heap fields span > 64 bytes");
_Static_assert((offsetof(uvj_timer, t) + UVJ_TIMER_HOT_BEGIN) % 64 == 0, "timer heap fields misplaced");

/*
 * The slab: the first UVJ_TIMER_SMALL indexes in chunks of UVJ_TIMER_CHUNK elements (a loop with
 * a few timers holds a few KiB), every further one in chunks of one 2 MiB region each. On Linux
 * those are 2 MiB-aligned and advised for transparent huge pages: libuv's timer heap walks
 * parent and child nodes all over the slab, and with a million timers a 4 KiB page per node
 * visit misses the TLB as well as the cache (measured: MillionTimers' loop thread 7% less CPU).
 * Only the advice differs from plain malloc; where the kernel ignores it nothing changes.
 */
#define UVJ_TIMER_CHUNK_SHIFT 8
#define UVJ_TIMER_CHUNK (1 << UVJ_TIMER_CHUNK_SHIFT)
#define UVJ_TIMER_SMALL 4096
#define UVJ_TIMER_BIG_BYTES ((size_t) 2 << 20)
#define UVJ_TIMER_BIG ((int) ((UVJ_TIMER_BIG_BYTES - 63) / sizeof(uvj_timer)))

static uvj_timer *timer_of(uv_timer_t *t) {
  return (uvj_timer *) (void *) ((char *) t - offsetof(uvj_timer, t));
}

/* The elements start at the chunk's first 64-byte boundary (malloc'd chunks have 63 spare bytes). */
static uvj_timer *chunk_base(void *raw) {
  return (uvj_timer *) (((uintptr_t) raw + 63) & ~(uintptr_t) 63);
}

static void *big_chunk(void) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  void *m = aligned_alloc(UVJ_TIMER_BIG_BYTES, UVJ_TIMER_BIG_BYTES);
  if (m != NULL) (void) madvise(m, UVJ_TIMER_BIG_BYTES, MADV_HUGEPAGE); /* a hint: may be refused */
  return m;
#else
  return malloc(UVJ_TIMER_BIG_BYTES);
#endif
}

/* The element for `index`, growing the slab; NULL when out of memory. Loop thread. */
static uvj_timer *timer_slot(uvj_loop *L, jint index) {
  if (index < 0) return NULL;
  int c, at, big = index >= UVJ_TIMER_SMALL;
  if (!big) {
    c = index >> UVJ_TIMER_CHUNK_SHIFT;
    at = index & (UVJ_TIMER_CHUNK - 1);
  } else {
    c = UVJ_TIMER_SMALL / UVJ_TIMER_CHUNK + (index - UVJ_TIMER_SMALL) / UVJ_TIMER_BIG;
    at = (index - UVJ_TIMER_SMALL) % UVJ_TIMER_BIG;
  }
  if (c >= L->timer_nchunks) { /* growth only: the steady state allocates nothing */
    int n = L->timer_nchunks == 0 ? 4 : L->timer_nchunks;
    while (n <= c) n *= 2;
    void **chunks = realloc(L->timer_chunks, (size_t) n * sizeof *chunks);
    if (chunks == NULL) return NULL;
    for (int i = L->timer_nchunks; i < n; i++) chunks[i] = NULL;
    L->timer_chunks = chunks;
    L->timer_nchunks = n;
  }
  if (L->timer_chunks[c] == NULL) {
    L->timer_chunks[c] = big ? big_chunk() : malloc(UVJ_TIMER_CHUNK * sizeof(uvj_timer) + 63);
    if (L->timer_chunks[c] == NULL) return NULL;
  }
  return &chunk_base(L->timer_chunks[c])[at];
}

void uvj_timer_slab_free(uvj_loop *L) {
  for (int i = 0; i < L->timer_nchunks; i++) free(L->timer_chunks[i]);
  free(L->timer_chunks);
  L->timer_chunks = NULL;
  L->timer_nchunks = 0;
}

/* The Java peer of a handle whose `data` is NULL (a Timer), as a local ref (Loop.handles()). */
jobject uvj_handle_peer(JNIEnv *env, uv_handle_t *h) {
  if (h->type != UV_TIMER) return NULL;
  uvj_loop *L = uvj_loop_of(h->loop);
  return (*env)->CallObjectMethod(env, L->self, uvj.Loop_slot, timer_of((uv_timer_t *) h)->index);
}

/*
 * ---- Timer fires in a batch (docs/ARCHITECTURE.md, "Timer fires in a batch") ----
 *
 * Since 1.48 libuv's uv__run_timers first takes every due timer out of the heap (uv_timer_stop,
 * onto a ready queue), then for each in turn re-arms it if it repeats and calls it. Java sees
 * the state of a timer only through Timer's methods, which all come through this file. So the
 * fires of a pass are recorded (UVJ_DONE_TIMER) and handed to Java in one upcall at the pass's
 * last fire, and each callback still sees what it would have seen with one upcall per fire:
 *  - a timer still ahead in the ready queue is stopped: for a one-shot timer that is also what
 *    it is after its fire; a repeating one is re-armed at its fire, so it first has the batch
 *    delivered (flush_before), with itself stopped again until then;
 *  - stopping, starting, re-arming or closing a timer takes it off the ready queue: Java skips
 *    a recorded fire whose Timer an earlier callback of its batch changed so (Timer's
 *    onBatchedFire), and re-arms a one-shot one an earlier callback made repeat, as libuv would.
 * The last fire is found by counting: the pass fires (heap size when uv4j code last ran) minus
 * (heap size at its first fire) timers, plus one if that one repeats (re-armed already); each
 * fire, and each timer taken off the ready queue by Java, counts one down. A pass that cannot
 * be counted (a timer counter that moved behind uv4j's back, FsPoll's internal timers) goes one
 * upcall per fire, as before.
 */
#if !defined(_WIN32) && UV_VERSION_HEX >= 0x013000
#define UVJ_TIMER_BATCH 1
#endif

void uvj_timer_snapshot(uvj_loop *L) {
#ifdef UVJ_TIMER_BATCH
  L->timer_nelts = L->loop.timer_heap.nelts;
  L->timer_counter = L->loop.timer_counter;
#else
  (void) L;
#endif
}

/* One key per loop iteration (loop_count) and per uv_run call (a DEFAULT run starts with timers). */
uint64_t uvj_pass_key(uvj_loop *L) {
#ifdef UVJ_TIMER_BATCH
  uv_metrics_t m;
  if (uv_metrics_info(&L->loop, &m) != 0) return 0;
  return (m.loop_count ^ ((uint64_t) L->run_epoch << 40)) + 1; /* never 0 */
#else
  (void) L;
  return 0;
#endif
}

#ifdef UVJ_TIMER_BATCH

/* Before Java stops, starts, re-arms or closes `t`: a timer due in this pass no longer is. */
static void leaving_ready_queue(uv_timer_t *t) {
  uvj_loop *L = uvj_loop_of(t->loop);
  if (L->pass_left > 0 && !L->pass_direct && !uv_is_active((uv_handle_t *) t) &&
      t->node.queue.next != &t->node.queue) {
    L->pass_left--;
  }
}

/*
 * `e` fires while fires of this pass wait in the batch: their callbacks run first, as they would
 * have with one upcall each, and see `e` as libuv showed them (stopped, not re-armed yet).
 * 0: one of them stopped, started, re-armed or closed `e`, so libuv would not have fired it.
 */
static int flush_before(uvj_loop *L, uvj_timer *e) {
  uv_timer_t *t = &e->t;
  if (uv_is_active((uv_handle_t *) t)) uv_timer_stop(t); /* undo libuv's re-arm for now */
  e->touched = 0;
  if (uvj_batch_deliver(L) == NULL) return 0;
  if (e->touched || uv_is_closing((uv_handle_t *) t)) return 0;
  uv_timer_again(t); /* libuv's re-arm, with the repeat those callbacks left */
  return 1;
}

/* 1: the fire is recorded for the batch (or, per flush_before, not due); 0: one upcall now. */
static int batch_fire(uvj_loop *L, uvj_timer *e) {
  uv_timer_t *t = &e->t;
  uint64_t key = uvj_pass_key(L);
  if (key != L->pass_key) { /* the first fire of a pass */
    /*
     * What waits in the batch now can only be quiet Timer closes (pool completions are delivered
     * as uv__work_done returns): no user code, no timer changed. Room for this pass's fires.
     */
    if (L->done_count != 0 && L->deferred_pending == 0 && uvj_env(L) == NULL) return 0;
    int rearmed = uv_is_active((uv_handle_t *) t);
    long ready = (long) L->timer_nelts - (long) L->loop.timer_heap.nelts + rearmed;
    L->pass_key = key;
    L->pass_direct = key == 0 || L->fs_polls != 0 || ready < 2
        || L->loop.timer_counter != L->timer_counter + (uint64_t) rearmed;
    L->pass_left = L->pass_direct ? 0 : (int) ready;
  }
  if (!L->pass_direct) L->pass_left--;
  if (L->deferred_pending != 0 &&
      (t->repeat != 0 || L->pass_direct || L->done_len + UVJ_DONE_HEADER > L->done_cap)) {
    if (!flush_before(L, e)) return 1;
  }
  if (L->pass_direct) return 0;
  /* room: the batch was delivered if full. Re-armed: libuv (or flush_before) did it already. */
  uvj_done_append(L, e->index, UVJ_DONE_TIMER, t->repeat != 0, 0);
  L->deferred_pending++;
  if (L->pass_left == 0) (void) uvj_batch_deliver(L); /* the pass's last fire: Java runs the batch */
  return 1;
}
#endif

/* A fire: recorded for the pass's batch, else one upcall on the loop's peer (a global ref). */
static void on_timer(uv_timer_t *t) {
  uvj_loop *L = uvj_loop_of(t->loop);
  uvj_timer *e = timer_of(t);
#ifdef UVJ_TIMER_BATCH
  if (L->timer_defer) {
    int recorded = batch_fire(L, e);
    uvj_timer_snapshot(L);
    if (recorded) return;
  }
#endif
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  if (L->ffm_handle != NULL) { /* FFM up-call (JDK 22+): Upcalls finds the Timer at this index */
    L->ffm_handle(L->ffm_id, e->index);
  } else {
    (*env)->CallVoidMethod(env, L->self, uvj.Loop_onTimer, e->index);
    uvj_after_upcall(env, L);
  }
  uvj_timer_snapshot(L);
}

/*
 * Close callback of a Timer closed without a Java close callback: nothing for Java to run now,
 * so no upcall. The Java peer learns it with the loop's next completion batch, which reaches
 * Java before any other callback of the loop and before run() returns: no Java code can observe
 * the difference. libuv is done with the memory: the slab element is reused once Java has
 * released the index (when it reads the record).
 */
static void on_timer_closed_quietly(uv_handle_t *h) {
  uvj_loop *L = uvj_loop_of(h->loop);
  uvj_count(UVJ_COUNT_HANDLES, -1);
  uvj_done_append(L, timer_of((uv_timer_t *) h)->index, UVJ_DONE_CLOSED, 0, 0);
}

/*
 * Close callback of a Timer closed with a Java close callback: the same record, delivered at once
 * (the close callback runs when libuv calls it, like every other handle's). Nothing here touches
 * the handle after the upcall: its close callback may create a Timer that reuses the element.
 */
static void on_timer_closed(uv_handle_t *h) {
  uvj_loop *L = uvj_loop_of(h->loop);
  uvj_count(UVJ_COUNT_HANDLES, -1);
  uvj_done_append(L, timer_of((uv_timer_t *) h)->index, UVJ_DONE_CLOSED, 0, 0);
  (void) uvj_env(L); /* flushes the batch, this record last */
}

static void timer_close(JNIEnv *env, jclass c, jlong address, jboolean upcall) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
#ifdef UVJ_TIMER_BATCH
  leaving_ready_queue(t);
#endif
  uv_close((uv_handle_t *) t, upcall ? on_timer_closed : on_timer_closed_quietly);
  uvj_timer_snapshot(uvj_loop_of(t->loop));
}

/* uv_timer_init on the slab element for the Timer at `index` of the loop's table. */
static jlong timer_init(JNIEnv *env, jclass c, jlong loop, jint index) {
  (void) c;
  uvj_loop *L = uvj_ptr(loop);
  uvj_timer *e = timer_slot(L, index);
  if (e == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a handle");
    return 0;
  }
  memset(&e->t, 0, sizeof e->t);
  e->index = index;
  e->touched = 0;
  int r = uv_timer_init(&L->loop, &e->t); /* data stays NULL: the peer is found by index */
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_timer_init", NULL, NULL);
    return 0;
  }
  uvj_count(UVJ_COUNT_HANDLES, 1);
  return uvj_address(&e->t);
}

/* Java passes only non-negative values; libuv's own arithmetic saturates at UINT64_MAX. */
static jint timer_start(JNIEnv *env, jclass c, jlong address, jlong timeout, jlong repeat) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
#ifdef UVJ_TIMER_BATCH
  leaving_ready_queue(t);
#endif
  int r = uv_timer_start(t, on_timer, (uint64_t) timeout, (uint64_t) repeat);
  timer_of(t)->touched = 1;
  uvj_timer_snapshot(uvj_loop_of(t->loop));
  return r;
}

static jint timer_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
#ifdef UVJ_TIMER_BATCH
  leaving_ready_queue(t);
#endif
  int r = uv_timer_stop(t);
  timer_of(t)->touched = 1;
  uvj_timer_snapshot(uvj_loop_of(t->loop));
  return r;
}

/* uv_timer_again re-arms only a repeating timer; for a one-shot one it changes nothing. */
static jint timer_again(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
  if (uv_timer_get_repeat(t) != 0) {
    timer_of(t)->touched = 1;
#ifdef UVJ_TIMER_BATCH
    leaving_ready_queue(t);
#endif
  }
  int r = uv_timer_again(t);
  uvj_timer_snapshot(uvj_loop_of(t->loop));
  return r;
}

static void timer_set_repeat(JNIEnv *env, jclass c, jlong address, jlong repeat) {
  (void) env; (void) c;
  uv_timer_set_repeat(uvj_ptr(address), (uint64_t) repeat);
}

static jlong saturate(uint64_t v) { return v > INT64_MAX ? INT64_MAX : (jlong) v; }

static jlong timer_get_repeat(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return saturate(uv_timer_get_repeat(uvj_ptr(address)));
}

/* libuv keeps a stopped timer's old due time; Java documents 0 for a stopped timer. */
static jlong timer_get_due_in(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_timer_t *t = uvj_ptr(address);
  if (!uv_is_active((uv_handle_t *) t)) return 0;
  return saturate(uv_timer_get_due_in(t));
}

int uvj_timer_load(JNIEnv *env) {
  uvj.Loop_onTimer = uvj_method_id(env, "io/uv4j/Loop", "onTimer", "(I)V");
  if (uvj.Loop_onTimer == NULL) return -1;
  uvj.Loop_slot = uvj_method_id(env, "io/uv4j/Loop", "slot", "(I)Ljava/lang/Object;");
  if (uvj.Loop_slot == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nInit", "(JI)J", (void *) timer_init },
    { "nStart", "(JJJ)I", (void *) timer_start },
    { "nStop", "(J)I", (void *) timer_stop },
    { "nAgain", "(J)I", (void *) timer_again },
    { "nSetRepeat", "(JJ)V", (void *) timer_set_repeat },
    { "nGetRepeat", "(J)J", (void *) timer_get_repeat },
    { "nGetDueIn", "(J)J", (void *) timer_get_due_in },
    { "nCloseTimer", "(JZ)V", (void *) timer_close },
  };
  return uvj_register(env, "io/uv4j/Timer", methods, UVJ_COUNT_OF(methods));
}

void uvj_timer_unload(JNIEnv *env) {
  (void) env;
  uvj.Loop_onTimer = uvj.Loop_slot = NULL;
}
