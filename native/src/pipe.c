/* io.uv4j.Pipe on uv_pipe_t: Unix domain sockets (named pipes on Windows). Names are bytes. */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#endif

static jlong pipe_init(JNIEnv *env, jclass c, jlong loop, jobject self, jboolean ipc) {
  (void) c;
  uv_pipe_t *p = uvj_handle_alloc(env, UVJ_STREAM_SIZE(uv_pipe_t), self);
  if (p == NULL) return 0;
  uvj_stream_peer_init(p, sizeof *p);
  int r = uv_pipe_init(uvj_ptr(loop), p, ipc);
  if (r != 0) {
    uvj_handle_free_uninit(env, p);
    uvj_throw_uv(env, r, "uv_pipe_init", NULL, NULL);
    return 0;
  }
  return uvj_address(p);
}

static char *name_dup(JNIEnv *env, jbyteArray name) {
  jsize n = (*env)->GetArrayLength(env, name);
  char *s = malloc((size_t) n + 1);
  if (s == NULL) return NULL;
  (*env)->GetByteArrayRegion(env, name, 0, n, (jbyte *) s);
  s[n] = '\0';
  return s;
}

/*
 * libuv 1.44 silently cuts a name that does not fit sockaddr_un's sun_path (108 bytes on Linux,
 * 104 on macOS) and binds or connects to that other path; refuse it as libuv 1.46 does.
 */
static int name_too_long(const char *s) {
#ifndef _WIN32
  return strlen(s) >= sizeof(((struct sockaddr_un *) 0)->sun_path);
#else
  (void) s;
  return 0;
#endif
}

/*
 * A Linux abstract socket name (leading NUL, Node's convention): libuv 1.46 takes it with its
 * length (uv_pipe_bind2/uv_pipe_connect2); it needs no terminating NUL, so it may fill sun_path.
 * 1.44 has no way to pass it: UV_ENOTSUP (Java checks the version first).
 */
static int abstract_name(const char *s, jsize n) {
  return n > 0 && s[0] == '\0';
}

static int abstract_too_long(jsize n) {
#ifndef _WIN32
  return (size_t) n > sizeof(((struct sockaddr_un *) 0)->sun_path);
#else
  (void) n;
  return 0;
#endif
}

static jint pipe_open(JNIEnv *env, jclass c, jlong h, jint fd) {
  (void) env; (void) c;
  return uv_pipe_open(uvj_ptr(h), (uv_file) fd);
}

static jint pipe_bind(JNIEnv *env, jclass c, jlong h, jbyteArray name) {
  (void) c;
  jsize n = (*env)->GetArrayLength(env, name);
  char *s = name_dup(env, name);
  if (s == NULL) return UV_ENOMEM;
  int abstract = abstract_name(s, n);
  if (abstract ? abstract_too_long(n) : name_too_long(s)) {
    free(s);
    return UV_ENAMETOOLONG;
  }
#if UV_VERSION_HEX >= 0x012e00
  int r = uv_pipe_bind2(uvj_ptr(h), s, (size_t) n, 0);
#else
  int r = abstract ? UV_ENOTSUP : uv_pipe_bind(uvj_ptr(h), s);
#endif
  free(s);
  return r;
}

static jint pipe_connect(JNIEnv *env, jclass c, jlong h, jbyteArray name) {
  (void) c;
  jsize n = (*env)->GetArrayLength(env, name);
  char *s = name_dup(env, name);
  uv_connect_t *req = malloc(sizeof *req);
  if (s == NULL || req == NULL) {
    free(s);
    free(req);
    return UV_ENOMEM;
  }
  int abstract = abstract_name(s, n);
  if (abstract ? abstract_too_long(n) : name_too_long(s)) {
    free(s);
    free(req);
    return UV_ENAMETOOLONG;
  }
  if (abstract) {
#if UV_VERSION_HEX >= 0x012e00
    int r = uv_pipe_connect2(req, uvj_ptr(h), s, (size_t) n, 0, uvj_on_connect);
#else
    int r = UV_ENOTSUP;
#endif
    free(s);
    if (r != 0) { /* refused before any request started: no callback will come */
      free(req);
      return r;
    }
    uvj_count(UVJ_COUNT_REQUESTS, 1);
    return 0;
  }
  uv_pipe_connect(req, uvj_ptr(h), s, uvj_on_connect); /* errors arrive in the callback */
  free(s);
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

static jint pipe_chmod(JNIEnv *env, jclass c, jlong h, jint flags) {
  (void) env; (void) c;
  return uv_pipe_chmod(uvj_ptr(h), flags);
}

static void pipe_pending_instances(JNIEnv *env, jclass c, jlong h, jint count) {
  (void) env; (void) c;
  uv_pipe_pending_instances(uvj_ptr(h), count);
}

static jbyteArray pipe_name(JNIEnv *env, jclass c, jlong h, jboolean peer) {
  (void) c;
  char buf[1024];
  size_t len = sizeof buf;
  int r = peer ? uv_pipe_getpeername(uvj_ptr(h), buf, &len) : uv_pipe_getsockname(uvj_ptr(h), buf, &len);
  if (r != 0) {
    uvj_throw_uv(env, r, peer ? "uv_pipe_getpeername" : "uv_pipe_getsockname", NULL, NULL);
    return NULL;
  }
  jbyteArray out = (*env)->NewByteArray(env, (jsize) len);
  if (out != NULL) (*env)->SetByteArrayRegion(env, out, 0, (jsize) len, (const jbyte *) buf);
  return out;
}

/* ---- IPC: handle passing (Pipe checks every precondition first) ---- */

static jint pipe_write2(JNIEnv *env, jclass c, jlong h, jbyteArray data, jint off, jint len, jlong send) {
  (void) c;
  return uvj_stream_write_bytes(env, uvj_ptr(h), data, off, len, uvj_ptr(send));
}

static jint pipe_pending_count(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_pipe_pending_count(uvj_ptr(h));
}

static jint pipe_pending_type(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uvj_handle_type_ordinal(uv_pipe_pending_type(uvj_ptr(h)));
}

#ifndef _WIN32
/* libuv's private queue of received descriptors after the first (src/unix/internal.h,
 * uv__stream_queued_fds_t): the same layout in 1.44 and 1.50. */
struct uvj_queued_fds {
  unsigned int size;
  unsigned int offset;
  int fds[1];
};
#endif

/*
 * The descriptors received on an IPC pipe and not yet accepted, in the order uv_accept takes
 * them: libuv keeps the first in accepted_fd and the others in its queue (uv_pipe_pending_count
 * counts the same). For OwnedFds: closing one before it is accepted makes the accepting handle's
 * first epoll_ctl fail, and libuv aborts.
 */
static jintArray pipe_pending_fds(JNIEnv *env, jclass c, jlong h) {
  (void) c;
  uv_pipe_t *p = uvj_ptr(h);
#ifndef _WIN32
  int n = uv_pipe_pending_count(p);
  jintArray a = (*env)->NewIntArray(env, n);
  if (a == NULL || n == 0) return a;
  jint first = p->accepted_fd;
  (*env)->SetIntArrayRegion(env, a, 0, 1, &first);
  const struct uvj_queued_fds *q = p->queued_fds;
  for (int i = 1; i < n; i++) {
    jint fd = q->fds[i - 1];
    (*env)->SetIntArrayRegion(env, a, i, 1, &fd);
  }
  return a;
#else
  (void) p;
  return (*env)->NewIntArray(env, 0); /* Windows passes handles, not descriptors */
#endif
}

static jint pipe_accept_pending(JNIEnv *env, jclass c, jlong h, jlong client) {
  (void) env; (void) c;
  return uv_accept(uvj_ptr(h), uvj_ptr(client));
}

/* ---- uv_pipe / uv_socketpair: descriptors for the caller ---- */

static jintArray fd_pair(JNIEnv *env, int r, const int fds[2], const char *syscall) {
  if (r != 0) {
    uvj_throw_uv(env, r, syscall, NULL, NULL);
    return NULL;
  }
  jintArray out = (*env)->NewIntArray(env, 2);
  if (out == NULL) { /* OutOfMemoryError pending: do not leak the pair */
#ifndef _WIN32
    close(fds[0]);
    close(fds[1]);
#endif
    return NULL;
  }
  jint v[2] = { fds[0], fds[1] };
  (*env)->SetIntArrayRegion(env, out, 0, 2, v);
  return out;
}

static jintArray pipe_fds(JNIEnv *env, jclass c, jboolean nb_read, jboolean nb_write) {
  (void) c;
  uv_file fds[2] = { -1, -1 };
  int r = uv_pipe(fds, nb_read ? UV_NONBLOCK_PIPE : 0, nb_write ? UV_NONBLOCK_PIPE : 0);
  return fd_pair(env, r, fds, "uv_pipe");
}

static jintArray pipe_socketpair(JNIEnv *env, jclass c, jboolean datagram, jboolean nb0, jboolean nb1) {
  (void) c;
  uv_os_sock_t fds[2] = { -1, -1 };
  int r = uv_socketpair(datagram ? SOCK_DGRAM : SOCK_STREAM, 0, fds, nb0 ? UV_NONBLOCK_PIPE : 0,
                        nb1 ? UV_NONBLOCK_PIPE : 0);
  int ints[2] = { (int) fds[0], (int) fds[1] };
  return fd_pair(env, r, ints, "uv_socketpair");
}

static void pipe_close_fd(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
#ifndef _WIN32
  close(fd);
#else
  (void) fd;
#endif
}

int uvj_pipe_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Pipe;Z)J", (void *) pipe_init },
    { "nOpen", "(JI)I", (void *) pipe_open },
    { "nBind", "(J[B)I", (void *) pipe_bind },
    { "nConnect", "(J[B)I", (void *) pipe_connect },
    { "nChmod", "(JI)I", (void *) pipe_chmod },
    { "nPendingInstances", "(JI)V", (void *) pipe_pending_instances },
    { "nName", "(JZ)[B", (void *) pipe_name },
    { "nWrite2", "(J[BIIJ)I", (void *) pipe_write2 },
    { "nPendingCount", "(J)I", (void *) pipe_pending_count },
    { "nPendingFds", "(J)[I", (void *) pipe_pending_fds },
    { "nPendingType", "(J)I", (void *) pipe_pending_type },
    { "nAcceptPending", "(JJ)I", (void *) pipe_accept_pending },
    { "nPipeFds", "(ZZ)[I", (void *) pipe_fds },
    { "nSocketpair", "(ZZZ)[I", (void *) pipe_socketpair },
    { "nCloseFd", "(I)V", (void *) pipe_close_fd },
  };
  return uvj_register(env, "io/uv4j/Pipe", methods, UVJ_COUNT_OF(methods));
}

void uvj_pipe_unload(JNIEnv *env) { (void) env; }
