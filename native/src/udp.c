/*
 * io.uv4j.Udp on uv_udp_t: init, open, bind, connect, receiving, options and membership.
 * Sending is in udp_send.c, the address conversions both use in udp_addr.h.
 *
 * Hot paths (receive here; send and send completion in udp_send.c) make no JNI lookups and
 * create no Java objects: a datagram lands in the loop's read buffer (the one streams read into) and Java gets its
 * length, its offset in that buffer (recvmmsg delivers several datagrams, one per 64 KiB chunk),
 * the flags and the sender's address as primitives; sends complete in order per handle, so Java
 * keeps each send's buffer and callback in a FIFO and the native side passes back only the
 * status. Addresses travel as primitives too: family (4 or 6, 0 for none), the address bytes
 * big-endian in two longs (IPv4: the low 32 bits of `lo`), port and IPv6 scope id.
 */
#include "uv4j.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

static struct {
  jmethodID Udp_onRecv;     /* void onRecv(int nread, int offset, int flags, int family, int port, long hi, long lo, int scope) */
} uvj;

#include "udp_addr.h"

/* ---- init / open / bind / connect ---- */

static jlong udp_init(JNIEnv *env, jclass c, jlong loop, jobject self, jint family, jboolean mmsg) {
  (void) c;
  uv_udp_t *u = uvj_handle_alloc(env, sizeof *u, self);
  if (u == NULL) return 0;
  unsigned int flags = family == 4 ? AF_INET : family == 6 ? AF_INET6 : AF_UNSPEC;
  if (mmsg) flags |= UV_UDP_RECVMMSG;
  int r = uv_udp_init_ex(uvj_ptr(loop), u, flags);
  if (r != 0) {
    uvj_handle_free_uninit(env, u);
    uvj_throw_uv(env, r, "uv_udp_init_ex", NULL, NULL);
    return 0;
  }
  return uvj_address(u);
}

/*
 * What a descriptor is, for Udp.open: 1 an IPv4/IPv6 datagram socket, 2 another kind of socket,
 * 3 not a socket; plus 0x100 when connected, 0x200 when bound. Negative errno if fstat fails; 0 where the platform
 * cannot tell. libuv adopts any descriptor (and epoll later refuses a regular file with an
 * abort()), so Java checks first.
 */
static jint udp_fd_kind(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
#ifdef _WIN32
  (void) fd;
  return 0;
#else
  struct stat st;
  if (fstat(fd, &st) != 0) return uv_translate_sys_error(errno);
  if (!S_ISSOCK(st.st_mode)) return 3;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int type = 0;
  socklen_t tlen = sizeof type;
  if (getsockname(fd, (struct sockaddr *) &ss, &len) != 0 ||
      getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0) {
    return 2;
  }
  if ((ss.ss_family != AF_INET && ss.ss_family != AF_INET6) || type != SOCK_DGRAM) return 2;
  int kind = 1;
  uint16_t port = ss.ss_family == AF_INET ? ((struct sockaddr_in *) &ss)->sin_port
                                          : ((struct sockaddr_in6 *) &ss)->sin6_port;
  if (port != 0) kind |= 0x200;
  len = sizeof ss;
  if (getpeername(fd, (struct sockaddr *) &ss, &len) == 0) kind |= 0x100;
  return kind;
#endif
}

static jint udp_open(JNIEnv *env, jclass c, jlong h, jint fd) {
  (void) env; (void) c;
  return uv_udp_open(uvj_ptr(h), (uv_os_sock_t) fd);
}

#if UV_VERSION_HEX < 0x013100
/*
 * libuv 1.44 has no UV_UDP_REUSEPORT (1.49 added it; from then the flag does this): set SO_REUSEPORT on the socket before
 * binding, creating the socket first if the handle has none yet. uv_udp_open sets SO_REUSEADDR
 * on what it adopts: undone here unless the caller asked for it too.
 */
static int set_reuseport(uv_udp_t *u, int family, int reuseaddr) {
#if defined(SO_REUSEPORT) && !defined(_WIN32)
  uv_os_fd_t fd;
  int off = 0, on = 1;
  if (uv_fileno((uv_handle_t *) u, &fd) != 0) {
    int s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (s < 0) return uv_translate_sys_error(errno);
    int r = uv_udp_open(u, s);
    if (r != 0) {
      close(s);
      return r;
    }
    fd = s;
    if (!reuseaddr && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof off) != 0) {
      return uv_translate_sys_error(errno);
    }
  }
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
    return uv_translate_sys_error(errno);
  }
  return 0;
#else
  (void) u; (void) family; (void) reuseaddr;
  return UV_ENOTSUP;
#endif
}
#endif

static jint udp_bind(JNIEnv *env, jclass c, jlong h, jint family, jlong hi, jlong lo, jint port,
                     jint scope, jint flags, jboolean reuse_port) {
  (void) env; (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r == 0 && sa == NULL) r = UV_EINVAL;
#if UV_VERSION_HEX >= 0x013100
  if (reuse_port) flags |= UV_UDP_REUSEPORT;
#else
  if (r == 0 && reuse_port) r = set_reuseport(uvj_ptr(h), ss.ss_family, flags & UV_UDP_REUSEADDR);
#endif
  if (r == 0) r = uv_udp_bind(uvj_ptr(h), sa, (unsigned int) flags);
  return r;
}

static jint udp_connect(JNIEnv *env, jclass c, jlong h, jint family, jlong hi, jlong lo, jint port,
                        jint scope) {
  (void) env; (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  return uv_udp_connect(uvj_ptr(h), sa); /* NULL: disconnect */
}

static jobject udp_name(JNIEnv *env, jclass c, jlong h, jboolean peer) {
  (void) c;
  struct sockaddr_storage ss;
  int len = sizeof ss;
  int r = peer ? uv_udp_getpeername(uvj_ptr(h), (struct sockaddr *) &ss, &len)
               : uv_udp_getsockname(uvj_ptr(h), (struct sockaddr *) &ss, &len);
  if (r != 0) {
    uvj_throw_uv(env, r, peer ? "uv_udp_getpeername" : "uv_udp_getsockname", NULL, NULL);
    return NULL;
  }
  return uvj_sockaddr_to_java(env, (struct sockaddr *) &ss);
}

/* ---- receiving ---- */

/* Every datagram of a loop lands in that loop's buffer: callbacks run one at a time on its thread. */
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void) suggested;
  uvj_loop *L = uvj_loop_of(h->loop);
  *buf = uv_buf_init(L->read_base, (unsigned int) L->read_size);
}

/*
 * libuv before 1.49 (issue libuv#4319): when epoll reports POLLIN and POLLOUT together and the
 * receive callback closes the handle, uv__udp_io goes on to its POLLOUT branch, tries the queued
 * sends on the closed socket and feeds the watcher back into the loop's pending queue; the
 * handle is freed in this iteration's close phase and the next iteration's pending phase uses it
 * (use after free). Cancelling the queued sends right after a receive callback closed the handle
 * (what uv__udp_finish_close would do a moment later) leaves that branch nothing to send. The
 * queues are libuv 1.44's `void *[2]` lists (next, prev); 1.47 changed their type, hence the bound.
 */
#if !defined(_WIN32) && UV_VERSION_HEX < 0x012F00
static void cancel_queued_sends(uv_udp_t *u) {
  void **head = u->write_queue;
  void **done = u->write_completed_queue;
  while (head[0] != (void *) head) {
    void **q = head[0];
    uv_udp_send_t *req = (uv_udp_send_t *) ((char *) q - offsetof(uv_udp_send_t, queue));
    ((void **) q[1])[0] = q[0]; /* unlink */
    ((void **) q[0])[1] = q[1];
    req->status = UV_ECANCELED;
    q[0] = done; /* append to the completed list */
    q[1] = done[1];
    ((void **) done[1])[0] = q;
    done[1] = q;
  }
}
#define UVJ_UDP_CANCEL_AFTER_CLOSE 1
#endif

static void on_recv(uv_udp_t *u, ssize_t nread, const uv_buf_t *buf, const struct sockaddr *addr,
                    unsigned flags) {
  /* Nothing read (EAGAIN), or recvmmsg's "buffer no longer used" call: not the user's business. */
  if (nread == 0 && addr == NULL) return;
  uvj_loop *L = uvj_loop_of(u->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  jint family = 0, port = 0, scope = 0, offset = 0;
  jlong hi = 0, lo = 0;
  if (nread > 0 || addr != NULL) {
    offset = (jint) (buf->base - L->read_base);
    if (addr != NULL && addr->sa_family == AF_INET) {
      const struct sockaddr_in *a = (const struct sockaddr_in *) addr;
      family = 4;
      port = ntohs(a->sin_port);
      lo = (jlong) get_be((const unsigned char *) &a->sin_addr, 4);
    } else if (addr != NULL && addr->sa_family == AF_INET6) {
      const struct sockaddr_in6 *a = (const struct sockaddr_in6 *) addr;
      family = 6;
      port = ntohs(a->sin6_port);
      scope = (jint) a->sin6_scope_id;
      hi = (jlong) get_be((const unsigned char *) &a->sin6_addr, 8);
      lo = (jlong) get_be((const unsigned char *) &a->sin6_addr + 8, 8);
    }
  }
  (*env)->CallVoidMethod(env, (jobject) u->data, uvj.Udp_onRecv, (jint) nread, offset,
                         (jint) flags, family, port, hi, lo, scope);
  uvj_after_upcall(env, L);
#ifdef UVJ_UDP_CANCEL_AFTER_CLOSE
  if (uv_is_closing((uv_handle_t *) u)) cancel_queued_sends(u);
#endif
}

static jint udp_recv_start(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  uv_udp_t *u = uvj_ptr(h);
  uvj_loop *L = uvj_loop_of(u->loop);
  if (L->read_base == NULL) return UV_EINVAL; /* Java sets it up first */
  /* recvmmsg with less than one 64 KiB chunk would spin in libuv 1.44: Java refuses it too. */
  if (uv_udp_using_recvmmsg(u) && L->read_size < 64 * 1024) return UV_ENOBUFS;
  return uv_udp_recv_start(u, on_alloc, on_recv);
}

static jint udp_recv_stop(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_udp_recv_stop(uvj_ptr(h));
}

static jboolean udp_using_recvmmsg(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_udp_using_recvmmsg(uvj_ptr(h)) ? JNI_TRUE : JNI_FALSE;
}

/* ---- options ---- */

enum { OPT_BROADCAST, OPT_TTL, OPT_MULTICAST_TTL, OPT_MULTICAST_LOOP, OPT_SNDBUF, OPT_RCVBUF };

/* Sets an option; the buffer sizes answer the size (value 0 reads it). */
static jint udp_option(JNIEnv *env, jclass c, jlong h, jint which, jint value) {
  (void) env; (void) c;
  uv_udp_t *u = uvj_ptr(h);
  int v = value;
  int r;
  switch (which) {
    case OPT_BROADCAST: return uv_udp_set_broadcast(u, value);
    case OPT_TTL: return uv_udp_set_ttl(u, value);
    case OPT_MULTICAST_TTL: return uv_udp_set_multicast_ttl(u, value);
    case OPT_MULTICAST_LOOP: return uv_udp_set_multicast_loop(u, value);
    case OPT_SNDBUF:
      r = uv_send_buffer_size((uv_handle_t *) u, &v);
      return r != 0 ? r : v;
    case OPT_RCVBUF:
      r = uv_recv_buffer_size((uv_handle_t *) u, &v);
      return r != 0 ? r : v;
    default: return UV_EINVAL;
  }
}

static jint udp_multicast_interface(JNIEnv *env, jclass c, jlong h, jstring iface) {
  (void) c;
  const char *s = iface == NULL ? NULL : (*env)->GetStringUTFChars(env, iface, NULL);
  if (iface != NULL && s == NULL) return UV_ENOMEM;
  int r = uv_udp_set_multicast_interface(uvj_ptr(h), s);
  if (s != NULL) (*env)->ReleaseStringUTFChars(env, iface, s);
  return r;
}

/* uv_udp_set_membership, or uv_udp_set_source_membership when source is not null. */
static jint udp_membership(JNIEnv *env, jclass c, jlong h, jstring group, jstring iface,
                           jstring source, jboolean join) {
  (void) c;
  const char *g = (*env)->GetStringUTFChars(env, group, NULL);
  const char *i = iface == NULL ? NULL : (*env)->GetStringUTFChars(env, iface, NULL);
  const char *s = source == NULL ? NULL : (*env)->GetStringUTFChars(env, source, NULL);
  int r;
  if (g == NULL || (iface != NULL && i == NULL) || (source != NULL && s == NULL)) {
    r = UV_ENOMEM;
  } else {
    uv_membership m = join ? UV_JOIN_GROUP : UV_LEAVE_GROUP;
    r = s == NULL ? uv_udp_set_membership(uvj_ptr(h), g, i, m)
                  : uv_udp_set_source_membership(uvj_ptr(h), g, i, s, m);
  }
  if (g != NULL) (*env)->ReleaseStringUTFChars(env, group, g);
  if (i != NULL) (*env)->ReleaseStringUTFChars(env, iface, i);
  if (s != NULL) (*env)->ReleaseStringUTFChars(env, source, s);
  return r;
}

static jint udp_fileno(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  uv_os_fd_t fd;
  int r = uv_fileno(uvj_ptr(h), &fd);
  return r != 0 ? r : (jint) (intptr_t) fd;
}

int uvj_udp_load(JNIEnv *env) {
  uvj.Udp_onRecv = uvj_method_id(env, "io/uv4j/Udp", "onRecv", "(IIIIIJJI)V");
  if (uvj.Udp_onRecv == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nInit", "(JLio/uv4j/Udp;IZ)J", (void *) udp_init },
    { "nFdKind", "(I)I", (void *) udp_fd_kind },
    { "nOpen", "(JI)I", (void *) udp_open },
    { "nBind", "(JIJJIIIZ)I", (void *) udp_bind },
    { "nConnect", "(JIJJII)I", (void *) udp_connect },
    { "nName", "(JZ)[B", (void *) udp_name },
    { "nRecvStart", "(J)I", (void *) udp_recv_start },
    { "nRecvStop", "(J)I", (void *) udp_recv_stop },
    { "nUsingRecvmmsg", "(J)Z", (void *) udp_using_recvmmsg },
    { "nOption", "(JII)I", (void *) udp_option },
    { "nMulticastInterface", "(JLjava/lang/String;)I", (void *) udp_multicast_interface },
    { "nMembership", "(JLjava/lang/String;Ljava/lang/String;Ljava/lang/String;Z)I", (void *) udp_membership },
    { "nFileno", "(J)I", (void *) udp_fileno },
  };
  return uvj_register(env, "io/uv4j/Udp", methods, UVJ_COUNT_OF(methods));
}

void uvj_udp_unload(JNIEnv *env) {
  (void) env;
  uvj.Udp_onRecv = NULL;
}
