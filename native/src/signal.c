/*
 * io.uv4j.Signal on uv_signal_t.
 *
 * libuv installs its own sigaction for a signal when the first watcher (of any loop) starts and
 * sets SIG_DFL when the last one stops; it never saves what was there. Inside a JVM "what was
 * there" matters (the JVM's SIGTERM/SIGINT/SIGHUP handlers that run the shutdown hooks, SIG_IGN
 * for SIGPIPE...), so this file counts the uv4j watchers of each signal, saves the disposition
 * before the first one starts and puts it back, with no SIG_DFL in between, when the last one
 * stops (see "Anchors" below).
 *
 * One-shot watchers are built on uv_signal_start, stopped here before their callback runs, rather
 * than on uv_signal_start_oneshot: libuv 1.44's one-shot registers with SA_RESETHAND (a second
 * signal arriving before the loop dispatches the first gets SIG_DFL: SIGUSR1 and SIGTERM kill the
 * process) and never clears UV_SIGNAL_ONE_SHOT from the handle (a later uv_signal_start on it
 * is one-shot too).
 */
#include "uv4j.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#ifndef _WIN32
#include <pthread.h>
#endif

#ifndef NSIG
#define NSIG 65
#endif

typedef struct {
  uv_signal_t handle; /* must stay first */
  int signum;         /* the signal this watcher is counted for, 0 when stopped */
  int oneshot;
} uvj_signal;

static jmethodID Signal_onSignal; /* void onSignal(int signum, boolean stopped) */

/* Guards the counts and saved dispositions; watchers of several loops start and stop concurrently. */
static uv_mutex_t lock;
static int lock_ready;
static int watchers[NSIG];
#ifndef _WIN32
static struct sigaction saved[NSIG];
#endif

#ifndef _WIN32
/*
 * Anchors. When a signal had a handler or SIG_IGN before uv4j's first watcher (the JVM's SIGTERM,
 * SIGINT, SIGHUP, SIGPIPE, SIGXFSZ handlers, a sun.misc.Signal handler...), letting libuv set
 * SIG_DFL at the last stop and reinstalling the saved disposition right after leaves a window in
 * which a delivery to another thread gets the default action (SIGPIPE, SIGTERM: the process dies,
 * without shutdown hooks). So the first time such a signal is watched, a private watcher of a
 * private loop that never runs (the anchor) is started too and never stopped: libuv's tree never
 * empties for that signal and libuv never touches its disposition again; this file swaps between
 * libuv's handler (captured when the anchor started) and the saved disposition with one
 * sigaction each way. libuv's handler writes a message to the anchor loop's pipe for each
 * delivery while installed; the pipe is drained at each last stop (a full one only makes libuv
 * skip that message: EAGAIN). Signals whose saved disposition is SIG_DFL need no anchor: libuv's
 * SIG_DFL at the last stop is exactly what was there.
 */
static uv_loop_t anchor_loop;
static int anchor_loop_ready;
static int anchor_ring_fd = -1;
static uv_signal_t anchor[NSIG];
static int anchored[NSIG];
static struct sigaction libuv_action[NSIG]; /* libuv's handler, as installed for the anchor */

static void on_anchor(uv_signal_t *h, int signum) { (void) h; (void) signum; }

static int is_default(const struct sigaction *a) {
  return !(a->sa_flags & SA_SIGINFO) && a->sa_handler == SIG_DFL;
}

/* With the lock held, before the first watcher of signum starts; saved[signum] is filled. */
static int anchor_if_needed(int signum) {
  if (anchored[signum] || is_default(&saved[signum])) return 0;
  if (!anchor_loop_ready) {
    int r = uvj_loop_init_tracked(&anchor_loop, &anchor_ring_fd);
    if (r != 0) return r;
    anchor_loop_ready = 1;
  }
  int r = uv_signal_init(&anchor_loop, &anchor[signum]);
  if (r != 0) return r;
  r = uv_signal_start(&anchor[signum], on_anchor, signum);
  if (r != 0) {
    uv_close((uv_handle_t *) &anchor[signum], NULL);
    uv_run(&anchor_loop, UV_RUN_NOWAIT);
    return r;
  }
  sigaction(signum, NULL, &libuv_action[signum]);
  anchored[signum] = 1;
  /* Its signal pipe is open now: Fs.close must refuse it like a Java loop's (loop_fds.c). */
  uvj_library_loop(UVJ_LIBRARY_ANCHOR, &anchor_loop, anchor_ring_fd);
  return 0;
}
#endif

/* With the lock held. */
static void stop_locked(uvj_signal *s) {
  int signum = s->signum;
  if (signum == 0) return;
  s->signum = 0;
  if (--watchers[signum] == 0) {
#ifndef _WIN32
    if (anchored[signum]) {
      /* one swap, no SIG_DFL in between; the anchor keeps libuv from unregistering */
      sigaction(signum, &saved[signum], NULL);
      uv_signal_stop(&s->handle);
      uv_run(&anchor_loop, UV_RUN_NOWAIT); /* drain the anchor's messages */
      return;
    }
#endif
  }
  /*
   * Not anchored: if this was the last watcher libuv sets SIG_DFL, which is what was there (an
   * internal libuv watcher, e.g. uv_spawn's SIGCHLD one, keeps libuv's handler installed).
   */
  uv_signal_stop(&s->handle);
}

/* On the loop thread: a one-shot watcher is stopped before its callback runs. */
static void on_signal(uv_signal_t *h, int signum) {
  uvj_signal *s = (uvj_signal *) h;
  jboolean stopped = JNI_FALSE;
  if (s->oneshot) {
    uv_mutex_lock(&lock);
    stop_locked(s);
    uv_mutex_unlock(&lock);
    stopped = JNI_TRUE;
  }
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  (*env)->CallVoidMethod(env, (jobject) h->data, Signal_onSignal, (jint) signum, stopped);
  uvj_after_upcall(env, L);
}

static jlong signal_init(JNIEnv *env, jclass c, jlong loop, jobject self) {
  (void) c;
  uvj_signal *s = uvj_handle_alloc(env, sizeof *s, self);
  if (s == NULL) return 0;
  int r = uv_signal_init(uvj_ptr(loop), &s->handle);
  if (r != 0) {
    uvj_handle_free_uninit(env, s);
    uvj_throw_uv(env, r, "uv_signal_init", NULL, NULL);
    return 0;
  }
  s->signum = 0;
  s->oneshot = 0;
  return uvj_address(s);
}

/* Java checked the number (1..NSIG-1, not one the JVM needs). Returns libuv's result. */
static jint signal_start(JNIEnv *env, jclass c, jlong address, jint signum, jboolean oneshot) {
  (void) env; (void) c;
  uvj_signal *s = uvj_ptr(address);
  if (signum <= 0 || signum >= NSIG) return UV_EINVAL;
  int r = 0;
  uv_mutex_lock(&lock);
  if (s->signum == signum) { /* already watching it: only the mode changes, no signal is lost */
    s->oneshot = oneshot == JNI_TRUE;
  } else {
    stop_locked(s);
#ifndef _WIN32
    if (watchers[signum] == 0) {
      if (sigaction(signum, NULL, &saved[signum]) != 0) r = UV_EINVAL;
      if (r == 0) r = anchor_if_needed(signum);
      /* anchored: libuv registers nothing for a second watcher of the tree, so install its handler */
      if (r == 0 && anchored[signum]) sigaction(signum, &libuv_action[signum], NULL);
    }
#endif
    if (r == 0) r = uv_signal_start(&s->handle, on_signal, signum);
#ifndef _WIN32
    if (r != 0 && watchers[signum] == 0 && anchored[signum]) sigaction(signum, &saved[signum], NULL);
#endif
    if (r == 0) {
      watchers[signum]++;
      s->signum = signum;
      s->oneshot = oneshot == JNI_TRUE;
    }
  }
  uv_mutex_unlock(&lock);
  return r;
}

static void signal_stop(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  uv_mutex_lock(&lock);
  stop_locked(uvj_ptr(address));
  uv_mutex_unlock(&lock);
}

static jint signal_signum(JNIEnv *env, jclass c, jlong address) {
  (void) env; (void) c;
  return ((uvj_signal *) uvj_ptr(address))->signum;
}

/*
 * kill(2) of this very process hands the signal to any thread that does not block it, and Linux
 * prefers the process's first thread: in a JVM that is the launcher's primordial thread, parked
 * in pthread_join, which takes it when the scheduler next runs it. A watcher stopped meanwhile
 * (the last one sets SIG_DFL) turns that late delivery into the default action: SIGUSR1 killed
 * the process. A single-threaded C program, or Node's main thread, gets the signal before kill
 * returns; raise(3) gives the JVM the same: the handler runs on the calling thread before it
 * returns. Only for signals a uv4j watcher watches (libuv's handler is installed, so nothing the
 * JVM handles runs on an odd thread) and only when the calling thread does not block it. Holding
 * the lock keeps every watcher of the signal started until the handler has run.
 */
int uvj_signal_raise_watched(int signum, int *result) {
#ifndef _WIN32
  if (signum <= 0 || signum >= NSIG || !lock_ready) return 0;
  sigset_t blocked;
  if (pthread_sigmask(SIG_BLOCK, NULL, &blocked) != 0 || sigismember(&blocked, signum)) return 0;
  uv_mutex_lock(&lock);
  int watched = watchers[signum] > 0;
  if (watched) *result = raise(signum) == 0 ? 0 : -errno;
  uv_mutex_unlock(&lock);
  return watched;
#else
  (void) signum; (void) result;
  return 0;
#endif
}

/* The platform's signal numbers by name; the Java side refuses the ones the JVM needs. */
static const struct { const char *name; int number; } names[] = {
#define S(n) { #n, n },
  /* Each one only where it exists: Windows (signal.h plus libuv's uv/win.h) has SIGHUP, SIGINT,
   * SIGQUIT, SIGILL, SIGABRT, SIGFPE, SIGKILL, SIGSEGV, SIGTERM and SIGWINCH. */
#ifdef SIGHUP
  S(SIGHUP)
#endif
#ifdef SIGINT
  S(SIGINT)
#endif
#ifdef SIGQUIT
  S(SIGQUIT)
#endif
#ifdef SIGILL
  S(SIGILL)
#endif
#ifdef SIGTRAP
  S(SIGTRAP)
#endif
#ifdef SIGABRT
  S(SIGABRT)
#endif
#ifdef SIGFPE
  S(SIGFPE)
#endif
#ifdef SIGKILL
  S(SIGKILL)
#endif
#ifdef SIGBUS
  S(SIGBUS)
#endif
#ifdef SIGSEGV
  S(SIGSEGV)
#endif
#ifdef SIGSYS
  S(SIGSYS)
#endif
#ifdef SIGPIPE
  S(SIGPIPE)
#endif
#ifdef SIGALRM
  S(SIGALRM)
#endif
#ifdef SIGTERM
  S(SIGTERM)
#endif
#ifdef SIGUSR1
  S(SIGUSR1)
#endif
#ifdef SIGUSR2
  S(SIGUSR2)
#endif
#ifdef SIGCHLD
  S(SIGCHLD)
#endif
#ifdef SIGCONT
  S(SIGCONT)
#endif
#ifdef SIGSTOP
  S(SIGSTOP)
#endif
#ifdef SIGTSTP
  S(SIGTSTP)
#endif
#ifdef SIGTTIN
  S(SIGTTIN)
#endif
#ifdef SIGTTOU
  S(SIGTTOU)
#endif
#ifdef SIGURG
  S(SIGURG)
#endif
#ifdef SIGXCPU
  S(SIGXCPU)
#endif
#ifdef SIGXFSZ
  S(SIGXFSZ)
#endif
#ifdef SIGVTALRM
  S(SIGVTALRM)
#endif
#ifdef SIGPROF
  S(SIGPROF)
#endif
#ifdef SIGWINCH
  S(SIGWINCH)
#endif
#ifdef SIGIO
  S(SIGIO)
#endif
#ifdef SIGPWR
  S(SIGPWR)
#endif
#ifdef SIGSTKFLT
  S(SIGSTKFLT)
#endif
#ifdef SIGINFO
  S(SIGINFO)
#endif
#ifdef SIGEMT
  S(SIGEMT)
#endif
  /* Other names of signals above, last so that signal_name answers the usual one. */
#ifdef SIGIOT
  S(SIGIOT)
#endif
#ifdef SIGPOLL
  S(SIGPOLL)
#endif
#undef S
};

static jint signal_number(JNIEnv *env, jclass c, jstring jname) {
  (void) c;
  const char *name = (*env)->GetStringUTFChars(env, jname, NULL);
  if (name == NULL) return -1;
  jint out = 0;
  for (int i = 0; i < UVJ_COUNT_OF(names); i++) {
    if (strcmp(names[i].name, name) == 0) {
      out = names[i].number;
      break;
    }
  }
  (*env)->ReleaseStringUTFChars(env, jname, name);
  return out;
}

static jstring signal_name(JNIEnv *env, jclass c, jint number) {
  (void) c;
  for (int i = 0; i < UVJ_COUNT_OF(names); i++) {
    if (names[i].number == number) return (*env)->NewStringUTF(env, names[i].name);
  }
  return NULL;
}

/* Signals Windows does not have (defined after the names table, which leaves them out): -1,
 * which no signal number equals. */
#ifndef SIGSTOP
#define SIGSTOP (-1)
#endif
#ifndef SIGBUS
#define SIGBUS (-1)
#endif
#ifndef SIGUSR2
#define SIGUSR2 (-1)
#endif

/* NSIG, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGINT, SIGTERM, SIGHUP, SIGUSR2 */
static jintArray signal_constants(JNIEnv *env, jclass c) {
  (void) c;
  jint v[] = { NSIG, SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT, SIGINT, SIGTERM,
               SIGHUP, SIGUSR2 };
  jintArray a = (*env)->NewIntArray(env, UVJ_COUNT_OF(v));
  if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, UVJ_COUNT_OF(v), v);
  return a;
}

/* The disposition now installed: 0 default, 1 ignore, 2 a handler. For tests and diagnostics. */
static jint signal_disposition(JNIEnv *env, jclass c, jint signum) {
  (void) env; (void) c;
#ifndef _WIN32
  struct sigaction now;
  if (signum <= 0 || signum >= NSIG || sigaction(signum, NULL, &now) != 0) return -1;
  if (now.sa_flags & SA_SIGINFO) return 2;
  return now.sa_handler == SIG_DFL ? 0 : now.sa_handler == SIG_IGN ? 1 : 2;
#else
  (void) signum;
  return -1;
#endif
}

int uvj_signal_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Signal;)J", (void *) signal_init },
    { "nStart", "(JIZ)I", (void *) signal_start },
    { "nStop", "(J)V", (void *) signal_stop },
    { "nSignum", "(J)I", (void *) signal_signum },
  };
  static const JNINativeMethod numbers[] = {
    { "nNumber", "(Ljava/lang/String;)I", (void *) signal_number },
    { "nName", "(I)Ljava/lang/String;", (void *) signal_name },
    { "nConstants", "()[I", (void *) signal_constants },
    { "nDisposition", "(I)I", (void *) signal_disposition },
  };
  Signal_onSignal = uvj_method_id(env, "io/uv4j/Signal", "onSignal", "(IZ)V");
  if (Signal_onSignal == NULL) return -1;
  if (!lock_ready) {
    if (uv_mutex_init(&lock) != 0) {
      uvj_throw(env, "java/lang/IllegalStateException", "uv4j: uv_mutex_init failed");
      return -1;
    }
    lock_ready = 1;
  }
  if (uvj_register(env, "io/uv4j/Signal", methods, UVJ_COUNT_OF(methods)) != 0) return -1;
  return uvj_register(env, "io/uv4j/SignalNumbers", numbers, UVJ_COUNT_OF(numbers));
}

void uvj_signal_unload(JNIEnv *env) {
  (void) env;
  Signal_onSignal = NULL;
#ifndef _WIN32
  /* No uv4j watcher is left: close the anchors without letting libuv set SIG_DFL for good. */
  for (int i = 1; i < NSIG; i++) {
    if (!anchored[i]) continue;
    struct sigaction now;
    sigaction(i, NULL, &now);
    uv_close((uv_handle_t *) &anchor[i], NULL);
    uv_run(&anchor_loop, UV_RUN_NOWAIT);
    sigaction(i, &now, NULL);
    anchored[i] = 0;
  }
  if (anchor_loop_ready) {
    uvj_library_loop(UVJ_LIBRARY_ANCHOR, NULL, -1);
    uv_run(&anchor_loop, UV_RUN_NOWAIT);
    if (uv_loop_close(&anchor_loop) == 0) uvj_loop_closed_tracked(anchor_ring_fd);
    anchor_loop_ready = 0;
  }
#endif
  if (lock_ready) {
    uv_mutex_destroy(&lock);
    lock_ready = 0;
  }
}
