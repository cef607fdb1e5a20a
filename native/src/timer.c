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
  jint unused;
  char pad[UVJ_TIMER_PAD];
  uv_timer_t t;
} uvj_timer;

_Static_assert(UVJ_TIMER_HOT_END - UVJ_TIMER_HOT_BEGIN <= 64, "timer heap fields span > 64 bytes");
_Static_assert((offsetof(uvj_timer, t) + UVJ_TIMER_HOT_BEGIN) % 64 == 0, "timer heap fields misplaced");

#define UVJ_TIMER_CHUNK_SHIFT 8
#define UVJ_TIMER_CHUNK (1 << UVJ_TIMER_CHUNK_SHIFT)

static uvj_timer *timer_of(uv_timer_t *t) {
  return (uvj_timer *) (void *) ((char *) t - offsetof(uvj_timer, t));
}

/* The chunks are malloc'd with 63 spare bytes: the elements start at the next 64-byte boundary. */
static uvj_timer *chunk_base(void *raw) {
  return (uvj_timer *) (((uintptr_t) raw + 63) & ~(uintptr_t) 63);
}

/* The element for `index`, growing the slab; NULL when out of memory. Loop thread. */
static uvj_timer *timer_slot(uvj_loop *L, jint index) {
  if (index < 0) return NULL;
  int c = index >> UVJ_TIMER_CHUNK_SHIFT;
  if (c >= L->timer_nchunks) { /* growth only: the steady state allocates nothing */
    int n = L->timer_nchunks == 0 ? 4 : L->timer_nchunks;
    while (n <= c) n *= 2;
    void **chunks = realloc(L->timer_chunks, (size_t) n * sizeof *chunks);
    if (chunks == NULL) return NULL;
    for (int i = L->timer_nchunks; i < n; i++) chunks[i] = NULL;
    L->timer_chunks = chunks;
    L->timer_nchunks = n;
  }
  if (L->timer_chunks[c] == NULL &&
      (L->timer_chunks[c] = malloc(UVJ_TIMER_CHUNK * sizeof(uvj_timer) + 63)) == NULL) {
    return NULL;
  }
  return &chunk_base(L->timer_chunks[c])[index & (UVJ_TIMER_CHUNK - 1)];
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

/* One upcall per fire, on the loop's peer (a global ref held for the loop's life). */
static void on_timer(uv_timer_t *t) {
  uvj_loop *L = uvj_loop_of(t->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  if (L->ffm_handle != NULL) { /* FFM up-call (JDK 22+): Upcalls finds the Timer at this index */
    L->ffm_handle(L->ffm_id, timer_of(t)->index);
    return;
  }
  (*env)->CallVoidMethod(env, L->self, uvj.Loop_onTimer, timer_of(t)->index);
  uvj_after_upcall(env, L);
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
  uv_close(uvj_ptr(address), upcall ? on_timer_closed : on_timer_closed_quietly);
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
  return uv_timer_start(uvj_ptr(address), on_timer, (uint64_t) timeout, (uint64_t) repeat);
}

static jint timer_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_timer_stop(uvj_ptr(address));
}

static jint timer_again(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return uv_timer_again(uvj_ptr(address));
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
