/*
 * io.uv4j.Udp on uv_udp_t.
 *
 * Hot paths (receive, send, send completion) make no JNI lookups and create no Java objects:
 * a datagram lands in the loop's read buffer (the one streams read into) and Java gets its
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
  jmethodID Udp_onSendDone; /* void onSendDone(int status) */
} uvj;

/* ---- addresses as primitives ---- */

static void put_be(unsigned char *p, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; i--) {
    p[i] = (unsigned char) (v & 0xff);
    v >>= 8;
  }
}

static uint64_t get_be(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

/* family 4 or 6 into *out; NULL (no address) for family 0; UV_EINVAL otherwise. */
static int addr_from(int family, jlong hi, jlong lo, jint port, jint scope,
                     struct sockaddr_storage *out, const struct sockaddr **sa) {
  memset(out, 0, sizeof *out);
  *sa = NULL;
  if (family == 0) return 0;
  if (port < 0 || port > 65535) return UV_EINVAL;
  if (family == 4) {
    struct sockaddr_in *a = (struct sockaddr_in *) out;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t) port);
    put_be((unsigned char *) &a->sin_addr, (uint64_t) lo & 0xffffffffu, 4);
  } else if (family == 6) {
    struct sockaddr_in6 *a = (struct sockaddr_in6 *) out;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t) port);
    a->sin6_scope_id = (uint32_t) scope;
    put_be((unsigned char *) &a->sin6_addr, (uint64_t) hi, 8);
    put_be((unsigned char *) &a->sin6_addr + 8, (uint64_t) lo, 8);
  } else {
    return UV_EINVAL;
  }
  *sa = (const struct sockaddr *) out;
  return 0;
}

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

/* ---- sending ---- */

typedef struct uvj_send {
  uv_udp_send_t req; /* first */
  char data[];       /* the copied bytes, when the send copies */
} uvj_send;

static void on_send(uv_udp_send_t *req, int status) {
  uv_udp_t *u = req->handle;
  free(req);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  uvj_loop *L = uvj_loop_of(u->loop);
  JNIEnv *env = uvj_env(L);
  if (env == NULL) return;
  (*env)->CallVoidMethod(env, (jobject) u->data, uvj.Udp_onSendDone, (jint) status);
  uvj_after_upcall(env, L);
}

static int queue_send(uv_udp_t *u, uvj_send *s, const uv_buf_t *bufs, unsigned int n,
                      const struct sockaddr *sa) {
  int r = uv_udp_send(&s->req, u, bufs, n, sa, on_send);
  if (r != 0) {
    free(s);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/* Whether [p, p+len) overlaps the loop's read buffer (a view a receive callback got): copied. */
static int in_read_buffer(uv_udp_t *u, const char *p, size_t len) {
  uvj_loop *L = uvj_loop_of(u->loop);
  return L->read_base != NULL && len > 0 && p < L->read_base + L->read_size && p + len > L->read_base;
}

static jint udp_send_direct(JNIEnv *env, jclass c, jlong h, jobject buffer, jint pos, jint len,
                            jboolean copy, jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  uv_udp_t *u = uvj_ptr(h);
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) return UV_EINVAL;
  if (!copy && in_read_buffer(u, base + pos, (size_t) len)) copy = JNI_TRUE;
  uvj_send *s = malloc(sizeof *s + (copy ? (size_t) len : 0));
  if (s == NULL) return UV_ENOMEM;
  uv_buf_t buf;
  if (copy) {
    memcpy(s->data, base + pos, (size_t) len);
    buf = uv_buf_init(s->data, (unsigned int) len);
  } else {
    buf = uv_buf_init(base + pos, (unsigned int) len);
  }
  return queue_send(u, s, &buf, 1, sa);
}

static jint udp_send_array(JNIEnv *env, jclass c, jlong h, jbyteArray array, jint off, jint len,
                           jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  uvj_send *s = malloc(sizeof *s + (size_t) len);
  if (s == NULL) return UV_ENOMEM;
  (*env)->GetByteArrayRegion(env, array, off, len, (jbyte *) s->data);
  uv_buf_t buf = uv_buf_init(s->data, (unsigned int) len);
  return queue_send(uvj_ptr(h), s, &buf, 1, sa);
}

/* Several direct buffers as one datagram, in place (pieces of the loop's read buffer copied). */
static jint udp_sendv(JNIEnv *env, jclass c, jlong h, jobjectArray buffers, jintArray jpos,
                      jintArray jlen, jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  uv_udp_t *u = uvj_ptr(h);
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  jsize n = (*env)->GetArrayLength(env, buffers);
  if (n <= 0) return UV_EINVAL; /* libuv asserts nbufs > 0 */
  uv_buf_t small[16];
  uv_buf_t *bufs = n <= 16 ? small : malloc(sizeof *bufs * (size_t) n);
  uvj_send *s = NULL;
  jint *pos = (*env)->GetIntArrayElements(env, jpos, NULL);
  jint *len = (*env)->GetIntArrayElements(env, jlen, NULL);
  size_t copied = 0;
  if (bufs == NULL || pos == NULL || len == NULL) r = UV_ENOMEM;
  for (jsize i = 0; r == 0 && i < n; i++) {
    jobject b = (*env)->GetObjectArrayElement(env, buffers, i);
    char *base = (*env)->GetDirectBufferAddress(env, b);
    (*env)->DeleteLocalRef(env, b);
    if (base == NULL) {
      r = UV_EINVAL;
    } else {
      bufs[i] = uv_buf_init(base + pos[i], (unsigned int) len[i]);
      if (in_read_buffer(u, bufs[i].base, bufs[i].len)) copied += bufs[i].len;
    }
  }
  if (pos != NULL) (*env)->ReleaseIntArrayElements(env, jpos, pos, JNI_ABORT);
  if (len != NULL) (*env)->ReleaseIntArrayElements(env, jlen, len, JNI_ABORT);
  if (r == 0) {
    s = malloc(sizeof *s + copied);
    if (s == NULL) r = UV_ENOMEM;
  }
  if (r == 0) {
    char *dst = s->data;
    for (jsize i = 0; i < n; i++) {
      if (in_read_buffer(u, bufs[i].base, bufs[i].len)) {
        memcpy(dst, bufs[i].base, bufs[i].len);
        bufs[i].base = dst;
        dst += bufs[i].len;
      }
    }
    r = queue_send(u, s, bufs, (unsigned int) n, sa); /* libuv copies the descriptors; frees s on error */
  }
  if (bufs != small) free(bufs);
  return r;
}

/* uv_udp_try_send: bytes sent, or a negative error (UV_EAGAIN included: Java decides). */
static jint udp_try_send_direct(JNIEnv *env, jclass c, jlong h, jobject buffer, jint pos, jint len,
                                jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) return UV_EINVAL;
  uv_buf_t buf = uv_buf_init(base + pos, (unsigned int) len);
  return uv_udp_try_send(uvj_ptr(h), &buf, 1, sa);
}

static jint udp_try_send_array(JNIEnv *env, jclass c, jlong h, jbyteArray array, jint off, jint len,
                               jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  char *base = (*env)->GetPrimitiveArrayCritical(env, array, NULL); /* released before returning */
  if (base == NULL) return UV_ENOMEM;
  uv_buf_t buf = uv_buf_init(base + off, (unsigned int) len);
  r = uv_udp_try_send(uvj_ptr(h), &buf, 1, sa);
  (*env)->ReleasePrimitiveArrayCritical(env, array, base, JNI_ABORT);
  return r;
}

/*
 * uv_udp_try_send2 (libuv 1.50): several datagrams, all to sa (NULL when connected), in as few
 * system calls as the platform allows (sendmmsg on Linux). Answers how many were sent (a prefix)
 * or, when none was, the error (UV_EAGAIN included). On 1.44, and on a handle with no socket yet
 * (uv_udp_try_send2 refuses it; uv_udp_try_send binds it first), one uv_udp_try_send each.
 */
static jint udp_try_send_many(JNIEnv *env, jclass c, jlong h, jobjectArray buffers, jintArray jpos,
                              jintArray jlen, jint family, jlong hi, jlong lo, jint port, jint scope) {
  (void) c;
  struct sockaddr_storage ss;
  const struct sockaddr *sa;
  int r = addr_from(family, hi, lo, port, scope, &ss, &sa);
  if (r != 0) return r;
  uv_udp_t *u = uvj_ptr(h);
  jsize n = (*env)->GetArrayLength(env, buffers);
  enum { SMALL = 32 };
  uv_buf_t small_bufs[SMALL];
  uv_buf_t *small_ptrs[SMALL];
  unsigned int small_nbufs[SMALL];
  struct sockaddr *small_addrs[SMALL];
  uv_buf_t *bufs = small_bufs;
  uv_buf_t **ptrs = small_ptrs;
  unsigned int *nbufs = small_nbufs;
  struct sockaddr **addrs = small_addrs;
  if (n > SMALL) {
    bufs = malloc(sizeof *bufs * (size_t) n);
    ptrs = malloc(sizeof *ptrs * (size_t) n);
    nbufs = malloc(sizeof *nbufs * (size_t) n);
    addrs = malloc(sizeof *addrs * (size_t) n);
    if (bufs == NULL || ptrs == NULL || nbufs == NULL || addrs == NULL) {
      r = UV_ENOMEM;
      goto done;
    }
  }
  jint pos[SMALL], len[SMALL];
  jint *ppos = pos, *plen = len;
  if (n > SMALL) {
    ppos = malloc(sizeof *ppos * (size_t) n);
    plen = malloc(sizeof *plen * (size_t) n);
    if (ppos == NULL || plen == NULL) {
      if (ppos != pos) free(ppos);
      if (plen != len) free(plen);
      ppos = pos;
      plen = len;
      r = UV_ENOMEM;
      goto done;
    }
  }
  (*env)->GetIntArrayRegion(env, jpos, 0, n, ppos);
  (*env)->GetIntArrayRegion(env, jlen, 0, n, plen);
  for (jsize i = 0; i < n; i++) {
    jobject b = (*env)->GetObjectArrayElement(env, buffers, i);
    char *base = b == NULL ? NULL : (*env)->GetDirectBufferAddress(env, b);
    if (b != NULL) (*env)->DeleteLocalRef(env, b);
    if (base == NULL) {
      r = UV_EINVAL;
      goto done_ints;
    }
    bufs[i] = uv_buf_init(base + ppos[i], (unsigned int) plen[i]);
    ptrs[i] = &bufs[i];
    nbufs[i] = 1;
    addrs[i] = (struct sockaddr *) sa;
  }
  {
    uv_os_fd_t fd;
#if UV_VERSION_HEX >= 0x013200
    if (uv_fileno((const uv_handle_t *) u, &fd) == 0) {
      r = uv_udp_try_send2(u, (unsigned int) n, ptrs, nbufs, addrs, 0);
      goto done_ints;
    }
#else
    (void) fd;
#endif
    jint sent = 0;
    for (jsize i = 0; i < n; i++) {
      r = uv_udp_try_send(u, &bufs[i], 1, sa);
      if (r < 0) break;
      sent++;
    }
    if (sent > 0) r = sent;
  }
done_ints:
  if (ppos != pos) free(ppos);
  if (plen != len) free(plen);
done:
  if (bufs != small_bufs) free(bufs);
  if (ptrs != small_ptrs) free(ptrs);
  if (nbufs != small_nbufs) free(nbufs);
  if (addrs != small_addrs) free(addrs);
  return r;
}

static jlong udp_send_queue(JNIEnv *env, jclass c, jlong h, jboolean count) {
  (void) env; (void) c;
  uv_udp_t *u = uvj_ptr(h);
  return (jlong) (count ? uv_udp_get_send_queue_count(u) : uv_udp_get_send_queue_size(u));
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
  uvj.Udp_onSendDone = uvj_method_id(env, "io/uv4j/Udp", "onSendDone", "(I)V");
  if (uvj.Udp_onSendDone == NULL) return -1;
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
    { "nSendDirect", "(JLjava/nio/ByteBuffer;IIZIJJII)I", (void *) udp_send_direct },
    { "nSendArray", "(J[BIIIJJII)I", (void *) udp_send_array },
    { "nSendv", "(J[Ljava/nio/ByteBuffer;[I[IIJJII)I", (void *) udp_sendv },
    { "nTrySendDirect", "(JLjava/nio/ByteBuffer;IIIJJII)I", (void *) udp_try_send_direct },
    { "nTrySendArray", "(J[BIIIJJII)I", (void *) udp_try_send_array },
    { "nTrySendMany", "(J[Ljava/nio/ByteBuffer;[I[IIJJII)I", (void *) udp_try_send_many },
    { "nSendQueue", "(JZ)J", (void *) udp_send_queue },
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
  uvj.Udp_onSendDone = NULL;
}
