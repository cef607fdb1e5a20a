/*
 * io.uv4j.Udp's sending: uv_udp_send (a direct buffer in place or copied, a byte[] range copied,
 * several buffers as one datagram), uv_udp_try_send / uv_udp_try_send2, the send queue's size
 * and count, and the completion upcall. Binding, connecting, receiving and options are in
 * udp.c.
 *
 * Hot paths (send, send completion) make no JNI lookups and create no Java objects: sends
 * complete in order per handle, so Java keeps each send's buffer and callback in a FIFO
 * (io.uv4j.UdpSendQueue) and on_send passes back only the status.
 */
#include "uv4j.h"
#include "udp_addr.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static struct {
  jmethodID Udp_onSendDone; /* void onSendDone(int status) */
} uvj;

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

int uvj_udp_send_load(JNIEnv *env) {
  uvj.Udp_onSendDone = uvj_method_id(env, "io/uv4j/Udp", "onSendDone", "(I)V");
  if (uvj.Udp_onSendDone == NULL) return -1;
  static const JNINativeMethod methods[] = {
    { "nSendDirect", "(JLjava/nio/ByteBuffer;IIZIJJII)I", (void *) udp_send_direct },
    { "nSendArray", "(J[BIIIJJII)I", (void *) udp_send_array },
    { "nSendv", "(J[Ljava/nio/ByteBuffer;[I[IIJJII)I", (void *) udp_sendv },
    { "nTrySendDirect", "(JLjava/nio/ByteBuffer;IIIJJII)I", (void *) udp_try_send_direct },
    { "nTrySendArray", "(J[BIIIJJII)I", (void *) udp_try_send_array },
    { "nTrySendMany", "(J[Ljava/nio/ByteBuffer;[I[IIJJII)I", (void *) udp_try_send_many },
    { "nSendQueue", "(JZ)J", (void *) udp_send_queue },
  };
  return uvj_register(env, "io/uv4j/Udp", methods, UVJ_COUNT_OF(methods));
}

void uvj_udp_send_unload(JNIEnv *env) {
  (void) env;
  uvj.Udp_onSendDone = NULL;
}
