/* io.uv4j.Tcp on uv_tcp_t. */
#include "uv4j.h"

#include <stdlib.h>
#ifndef _WIN32
#include <sys/socket.h>
#include <unistd.h>
#endif

static jlong tcp_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint family) {
  (void) c;
  uv_tcp_t *t = uvj_handle_alloc(env, UVJ_STREAM_SIZE(uv_tcp_t), self);
  if (t == NULL) return 0;
  uvj_stream_peer_init(t, sizeof *t);
  int r = family == 0 ? uv_tcp_init(uvj_ptr(loop), t)
                      : uv_tcp_init_ex(uvj_ptr(loop), t, family == 6 ? AF_INET6 : AF_INET);
  if (r != 0) {
    uvj_handle_free_uninit(env, t);
    uvj_throw_uv(env, r, "uv_tcp_init", NULL, NULL);
    return 0;
  }
  return uvj_address(t);
}

static jint tcp_open(JNIEnv *env, jclass c, jlong h, jlong fd) {
  (void) env; (void) c;
  return uv_tcp_open(uvj_ptr(h), (uv_os_sock_t) fd);
}

#if UV_VERSION_HEX < 0x013100
/*
 * libuv 1.44 has no UV_TCP_REUSEPORT (1.49 added it): set SO_REUSEPORT on the socket before
 * binding, creating the socket first if the handle has none yet. From 1.49 the flag does it.
 */
static int set_reuseport(uv_tcp_t *t, int family) {
#if defined(SO_REUSEPORT) && !defined(_WIN32)
  uv_os_fd_t fd;
  if (uv_fileno((uv_handle_t *) t, &fd) != 0) {
    int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) return uv_translate_sys_error(errno);
    int r = uv_tcp_open(t, s);
    if (r != 0) {
      close(s);
      return r;
    }
    fd = s;
  }
  int on = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    return uv_translate_sys_error(errno);
  }
  return 0;
#else
  (void) t; (void) family;
  return UV_ENOTSUP;
#endif
}
#endif

static jint tcp_bind(JNIEnv *env, jclass c, jlong h, jbyteArray ip, jint port, jint scope,
                     jboolean ipv6_only, jboolean reuse_port) {
  (void) c;
  struct sockaddr_storage ss;
  int r = uvj_sockaddr_from_java(env, ip, port, scope, &ss);
  unsigned int flags = ipv6_only ? UV_TCP_IPV6ONLY : 0;
#if UV_VERSION_HEX >= 0x013100
  if (reuse_port) flags |= UV_TCP_REUSEPORT;
#else
  if (r == 0 && reuse_port) r = set_reuseport(uvj_ptr(h), ss.ss_family);
#endif
  if (r == 0) r = uv_tcp_bind(uvj_ptr(h), (struct sockaddr *) &ss, flags);
  return r;
}

static jint tcp_connect(JNIEnv *env, jclass c, jlong h, jbyteArray ip, jint port, jint scope) {
  (void) c;
  struct sockaddr_storage ss;
  int r = uvj_sockaddr_from_java(env, ip, port, scope, &ss);
  if (r != 0) return r;
  uv_connect_t *req = malloc(sizeof *req);
  if (req == NULL) return UV_ENOMEM;
  r = uv_tcp_connect(req, uvj_ptr(h), (struct sockaddr *) &ss, uvj_on_connect);
  if (r != 0) {
    free(req);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

static jint tcp_nodelay(JNIEnv *env, jclass c, jlong h, jboolean on) {
  (void) env; (void) c;
  return uv_tcp_nodelay(uvj_ptr(h), on);
}

static jint tcp_keepalive(JNIEnv *env, jclass c, jlong h, jboolean on, jint delay) {
  (void) env; (void) c;
  return uv_tcp_keepalive(uvj_ptr(h), on, (unsigned int) delay);
}

static jint tcp_simultaneous_accepts(JNIEnv *env, jclass c, jlong h, jboolean on) {
  (void) env; (void) c;
  return uv_tcp_simultaneous_accepts(uvj_ptr(h), on);
}

static jobject tcp_name(JNIEnv *env, jclass c, jlong h, jboolean peer) {
  (void) c;
  struct sockaddr_storage ss;
  int len = sizeof ss;
  int r = peer ? uv_tcp_getpeername(uvj_ptr(h), (struct sockaddr *) &ss, &len)
               : uv_tcp_getsockname(uvj_ptr(h), (struct sockaddr *) &ss, &len);
  if (r != 0) {
    uvj_throw_uv(env, r, peer ? "uv_tcp_getpeername" : "uv_tcp_getsockname", NULL, NULL);
    return NULL;
  }
  return uvj_sockaddr_to_java(env, (struct sockaddr *) &ss);
}

static jint tcp_close_reset(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_tcp_close_reset(uvj_ptr(h), uvj_on_close);
}

int uvj_tcp_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Tcp;I)J", (void *) tcp_init },
    { "nOpen", "(JJ)I", (void *) tcp_open },
    { "nBind", "(J[BIIZZ)I", (void *) tcp_bind },
    { "nConnect", "(J[BII)I", (void *) tcp_connect },
    { "nNodelay", "(JZ)I", (void *) tcp_nodelay },
    { "nKeepalive", "(JZI)I", (void *) tcp_keepalive },
    { "nSimultaneousAccepts", "(JZ)I", (void *) tcp_simultaneous_accepts },
    { "nName", "(JZ)[B", (void *) tcp_name },
    { "nCloseReset", "(J)I", (void *) tcp_close_reset },
  };
  return uvj_register(env, "io/uv4j/Tcp", methods, UVJ_COUNT_OF(methods));
}

void uvj_tcp_unload(JNIEnv *env) { (void) env; }
