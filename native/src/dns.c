/*
 * io.uv4j.Dns on uv_getaddrinfo_t and uv_getnameinfo_t: name resolution on libuv's thread pool
 * (asynchronous, completed on the loop thread) or on the calling thread (synchronous).
 *
 * Addresses cross the boundary as 4 or 16 address bytes plus port and IPv6 scope id, never as
 * strings; host and service names as UTF-8 byte arrays.
 */
/*
 * The asynchronous form is a request of the loop's Java table (Loop.takeSlot), like work and fs:
 * no global ref. Its completion is appended to the loop's completion batch (work.c) as a record
 * carrying the result itself (the addresses, or the host and service names), delivered with the
 * batch in libuv's order; the libuv request is malloc'd and freed in its callback, and the slab
 * entry at the index says whether it completed (cancel answers EBUSY without touching libuv).
 * Only a getaddrinfo answer too large for one record is delivered at once, after the batch.
 */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

static jmethodID DnsRequest_onAddrInfo; /* void onAddrInfo(int status, Object[] addrs, int[] portsAndScopes) */
static jmethodID DnsRequest_onNameInfo; /* void onNameInfo(int status, byte[] host, byte[] service) */
static jmethodID Loop_slot;             /* Object slot(int index) */
static jclass byte_array_class;

typedef struct uvj_dns {
  union {
    uv_req_t req;
    uv_getaddrinfo_t gai;
    uv_getnameinfo_t gni;
  } u;            /* first: the libuv request's address is the uvj_dns's */
  jint index;     /* the DnsRequest's index in the loop's table (and request slab) */
} uvj_dns;

static jbyteArray to_bytes(JNIEnv *env, const char *s) {
  jsize n = (jsize) strlen(s);
  jbyteArray a = (*env)->NewByteArray(env, n);
  if (a != NULL) (*env)->SetByteArrayRegion(env, a, 0, n, (const jbyte *) s);
  return a;
}

/* A NUL-terminated malloc'd copy of a byte[]; NULL for null (and *oom = 1 if malloc failed). */
static char *bytes_dup(JNIEnv *env, jbyteArray a, int *oom) {
  if (a == NULL) return NULL;
  jsize n = (*env)->GetArrayLength(env, a);
  char *s = malloc((size_t) n + 1);
  if (s == NULL) {
    *oom = 1;
    return NULL;
  }
  (*env)->GetByteArrayRegion(env, a, 0, n, (jbyte *) s);
  s[n] = '\0';
  return s;
}

/*
 * A request for the DnsRequest at `index`: its slab entry points at the malloc'd libuv request.
 * NULL after throwing OutOfMemoryError.
 */
static uvj_dns *dns_alloc(JNIEnv *env, uvj_loop *L, jint index) {
  uvj_req *slot = uvj_req_slot(env, L, index);
  if (slot == NULL) return NULL;
  uvj_dns *d = calloc(1, sizeof *d);
  if (d == NULL) {
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a DNS request");
    return NULL;
  }
  d->index = index;
  slot->ext = d;
  return d;
}

/* Releases a request; `submitted` says whether it was counted (and completes). */
static void dns_free(uvj_loop *L, uvj_dns *d, int submitted) {
  uvj_req *slot = uvj_req_find(L, d->index);
  if (slot != NULL) {
    slot->ext = NULL;
    slot->completed = 1;
  }
  free(d);
  if (submitted) uvj_count(UVJ_COUNT_REQUESTS, -1);
}

/* The IPv4 and IPv6 entries of `res` as byte[][] and {port, scope id} pairs. 0, or -1 on OOM. */
static int addrinfo_to_java(JNIEnv *env, const struct addrinfo *res, jobjectArray *addrs_out,
                            jintArray *meta_out) {
  jsize n = 0;
  for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6) n++;
  }
  jobjectArray addrs = (*env)->NewObjectArray(env, n, byte_array_class, NULL);
  jintArray meta = addrs != NULL ? (*env)->NewIntArray(env, 2 * n) : NULL;
  if (meta == NULL) goto oom;
  jsize i = 0;
  for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    const void *bytes;
    jsize len;
    jint pm[2];
    if (ai->ai_family == AF_INET) {
      const struct sockaddr_in *sa = (const struct sockaddr_in *) ai->ai_addr;
      bytes = &sa->sin_addr;
      len = 4;
      pm[0] = ntohs(sa->sin_port);
      pm[1] = 0;
    } else if (ai->ai_family == AF_INET6) {
      const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *) ai->ai_addr;
      bytes = &sa->sin6_addr;
      len = 16;
      pm[0] = ntohs(sa->sin6_port);
      pm[1] = (jint) sa->sin6_scope_id;
    } else {
      continue;
    }
    jbyteArray b = (*env)->NewByteArray(env, len);
    if (b == NULL) goto oom;
    (*env)->SetByteArrayRegion(env, b, 0, len, (const jbyte *) bytes);
    (*env)->SetObjectArrayElement(env, addrs, i, b);
    (*env)->DeleteLocalRef(env, b);
    (*env)->SetIntArrayRegion(env, meta, 2 * i, 2, pm);
    i++;
  }
  *addrs_out = addrs;
  *meta_out = meta;
  return 0;
oom:
  if (addrs != NULL) (*env)->DeleteLocalRef(env, addrs);
  if (meta != NULL) (*env)->DeleteLocalRef(env, meta);
  return -1;
}

/*
 * Hands a getaddrinfo outcome to the Java request. L is the loop for the asynchronous form, NULL
 * for the synchronous one (where an OutOfMemoryError simply propagates to the caller).
 */
static void deliver_addrinfo(JNIEnv *env, uvj_loop *L, jobject target, int status,
                             const struct addrinfo *res) {
  jobjectArray addrs = NULL;
  jintArray meta = NULL;
  if (status == 0 && addrinfo_to_java(env, res, &addrs, &meta) != 0) {
    if (L == NULL) return;
    uvj_upcall_failed(env, L); /* parks the OOM for run(); the request still completes */
    status = UV_ENOMEM;
  }
  (*env)->CallVoidMethod(env, target, DnsRequest_onAddrInfo, (jint) status, addrs, meta);
  if (L != NULL) uvj_after_upcall(env, L);
  if (addrs != NULL) (*env)->DeleteLocalRef(env, addrs);
  if (meta != NULL) (*env)->DeleteLocalRef(env, meta);
}

static void deliver_nameinfo(JNIEnv *env, uvj_loop *L, jobject target, int status,
                             const char *host, const char *service) {
  jbyteArray h = NULL, s = NULL;
  if (status == 0) {
    h = to_bytes(env, host);
    s = h != NULL ? to_bytes(env, service) : NULL;
    if (s == NULL) {
      if (h != NULL) (*env)->DeleteLocalRef(env, h);
      h = NULL;
      if (L == NULL) return;
      uvj_upcall_failed(env, L);
      status = UV_ENOMEM;
    }
  }
  (*env)->CallVoidMethod(env, target, DnsRequest_onNameInfo, (jint) status, h, s);
  if (L != NULL) uvj_after_upcall(env, L);
  if (h != NULL) (*env)->DeleteLocalRef(env, h);
  if (s != NULL) (*env)->DeleteLocalRef(env, s);
}

/*
 * A local frame for one completion: the loop thread stays in one native frame (uv_run) for the
 * whole run, so local refs made here would pile up until run() returns. 0 if none could be
 * pushed: the OutOfMemoryError is parked for run() and the request completes with UV_ENOMEM.
 */
static int dns_push_frame(JNIEnv *env, uvj_loop *L, int *status) {
  if ((*env)->PushLocalFrame(env, 8) == 0) return 1;
  uvj_upcall_failed(env, L);
  if (*status == 0) *status = UV_ENOMEM;
  return 0;
}

static int ip_entries(const struct addrinfo *res) {
  int n = 0;
  for (const struct addrinfo *ai = res; ai != NULL; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET || ai->ai_family == AF_INET6) n++;
  }
  return n;
}

/*
 * Completion on the loop thread; status is UV_EAI_CANCELED for a cancelled request. The record:
 * the number of entries, then per entry a long (address length | port << 8 | scope id << 32)
 * and 16 address bytes (an IPv4 address in the first 4).
 */
static void on_getaddrinfo(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
  uvj_dns *d = (uvj_dns *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  jint index = d->index;
  dns_free(L, d, 1);
  int n = status == 0 ? ip_entries(res) : 0;
  int longs = 1 + 3 * n;
  if (UVJ_DONE_HEADER + (size_t) longs * 8 <= L->done_cap) {
    int64_t *v = uvj_done_append(L, index, UVJ_DONE_ADDRINFO, (jlong) status, longs);
    if (v != NULL) {
      v[0] = n;
      int64_t *e = v + 1;
      for (const struct addrinfo *ai = status == 0 ? res : NULL; ai != NULL; ai = ai->ai_next) {
        uint64_t len, port, scope = 0;
        const void *bytes;
        if (ai->ai_family == AF_INET) {
          const struct sockaddr_in *sa = (const struct sockaddr_in *) ai->ai_addr;
          bytes = &sa->sin_addr;
          len = 4;
          port = ntohs(sa->sin_port);
        } else if (ai->ai_family == AF_INET6) {
          const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *) ai->ai_addr;
          bytes = &sa->sin6_addr;
          len = 16;
          port = ntohs(sa->sin6_port);
          scope = sa->sin6_scope_id;
        } else {
          continue;
        }
        e[0] = (int64_t) (len | port << 8 | scope << 32);
        memset(&e[1], 0, 16);
        memcpy(&e[1], bytes, (size_t) len);
        e += 3;
      }
    }
    uv_freeaddrinfo(res);
    if (!L->in_work_done) (void) uvj_env(L); /* not from uv__work_done (never seen): deliver now */
    return;
  }
  /* Too many addresses for one record: deliver at once, after the batch (order kept). */
  JNIEnv *env = uvj_env(L);
  if (env != NULL) {
    int framed = dns_push_frame(env, L, &status);
    jobject target = (*env)->CallObjectMethod(env, L->self, Loop_slot, index);
    uvj_after_upcall(env, L);
    if (target != NULL) deliver_addrinfo(env, L, target, status, res); /* releases the index */
    if (framed) (*env)->PopLocalFrame(env, NULL);
  }
  uv_freeaddrinfo(res);
}

/* The record: host length | service length << 32, then the host's and the service's bytes. */
static void on_getnameinfo(uv_getnameinfo_t *req, int status, const char *host,
                           const char *service) {
  uvj_dns *d = (uvj_dns *) req;
  uvj_loop *L = uvj_loop_of(req->loop);
  size_t hl = status == 0 && host != NULL ? strlen(host) : 0;
  size_t sl = status == 0 && service != NULL ? strlen(service) : 0;
  /* at most NI_MAXHOST + NI_MAXSERV bytes: always fits (the buffer holds at least 4 KiB) */
  int longs = 1 + (int) ((hl + sl + 7) / 8);
  int64_t *v = uvj_done_append(L, d->index, UVJ_DONE_NAMEINFO, (jlong) status, longs);
  if (v != NULL) {
    v[0] = (int64_t) ((uint64_t) hl | (uint64_t) sl << 32);
    /* host and service live in the request: copy before freeing it. On failure both may be
     * NULL, and memcpy from NULL is undefined even for 0 bytes. */
    if (hl > 0) memcpy(&v[1], host, hl);
    if (sl > 0) memcpy((char *) &v[1] + hl, service, sl);
  }
  dns_free(L, d, 1);
  if (!L->in_work_done) (void) uvj_env(L);
}

/*
 * uv_getaddrinfo. loop 0 selects the synchronous form: the outcome reaches target.onAddrInfo on
 * this thread before the return. Returns 0, or the error of a request libuv refused at once (the
 * asynchronous form then calls nothing back). family: 0 unspec, 1 inet, 2 inet6.
 */
static jint dns_getaddrinfo(JNIEnv *env, jclass c, jlong loop, jint index, jobject target, jbyteArray jhost,
                            jbyteArray jservice, jboolean has_hints, jint family, jint socktype,
                            jint protocol, jint flags) {
  (void) c;
  int oom = 0;
  char *host = bytes_dup(env, jhost, &oom);
  char *service = bytes_dup(env, jservice, &oom);
  if (oom) {
    free(host);
    free(service);
    uvj_throw(env, "java/lang/OutOfMemoryError", "uv4j: no native memory for a host name");
    return 0;
  }
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = family == 1 ? AF_INET : family == 2 ? AF_INET6 : AF_UNSPEC;
  hints.ai_socktype = socktype;
  hints.ai_protocol = protocol;
  hints.ai_flags = flags;
  const struct addrinfo *hp = has_hints ? &hints : NULL;
  int r;
  if (loop == 0) {
    /*
     * libuv's synchronous form touches its loop only to count the request in and out
     * (uv__req_register/unregister). A zeroed loop of our own per call keeps concurrent callers
     * from racing on a shared counter.
     */
    uv_loop_t counter_only;
    uv_getaddrinfo_t req;
    memset(&counter_only, 0, sizeof counter_only);
    memset(&req, 0, sizeof req);
    r = uv_getaddrinfo(&counter_only, &req, NULL, host, service, hp);
    free(host);
    free(service);
    deliver_addrinfo(env, NULL, target, r, r == 0 ? req.addrinfo : NULL);
    uv_freeaddrinfo(req.addrinfo);
    return 0;
  }
  uvj_loop *L = uvj_ptr(loop);
  uvj_dns *d = dns_alloc(env, L, index);
  if (d == NULL) {
    free(host);
    free(service);
    return 0;
  }
  uvj_pool_mark_used();
  r = uv_getaddrinfo(&L->loop, &d->u.gai, on_getaddrinfo, host, service, hp);
  free(host); /* libuv copied host, service and hints */
  free(service);
  if (r != 0) {
    dns_free(L, d, 0);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/* uv_getnameinfo for 4 or 16 address bytes; loop 0 selects the synchronous form, as above. */
static jint dns_getnameinfo(JNIEnv *env, jclass c, jlong loop, jint index, jobject target, jbyteArray jaddr,
                            jint port, jint scope, jint flags) {
  (void) c;
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  jsize n = jaddr != NULL ? (*env)->GetArrayLength(env, jaddr) : 0; /* Java never passes null */
  if (n == 4) {
    struct sockaddr_in *sa = (struct sockaddr_in *) &ss;
    sa->sin_family = AF_INET;
    sa->sin_port = htons((unsigned short) port);
    (*env)->GetByteArrayRegion(env, jaddr, 0, 4, (jbyte *) &sa->sin_addr);
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
    sa->sin_len = sizeof *sa;
#endif
  } else if (n == 16) {
    struct sockaddr_in6 *sa = (struct sockaddr_in6 *) &ss;
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons((unsigned short) port);
    sa->sin6_scope_id = (unsigned int) scope;
    (*env)->GetByteArrayRegion(env, jaddr, 0, 16, (jbyte *) &sa->sin6_addr);
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
    sa->sin6_len = sizeof *sa;
#endif
  } else {
    return UV_EINVAL;
  }
  int r;
  if (loop == 0) {
    uv_loop_t counter_only; /* see dns_getaddrinfo */
    uv_getnameinfo_t req;
    memset(&counter_only, 0, sizeof counter_only);
    memset(&req, 0, sizeof req);
    r = uv_getnameinfo(&counter_only, &req, NULL, (const struct sockaddr *) &ss, (int) flags);
    deliver_nameinfo(env, NULL, target, r, req.host, req.service);
    return 0;
  }
  uvj_loop *L = uvj_ptr(loop);
  uvj_dns *d = dns_alloc(env, L, index);
  if (d == NULL) return 0;
  uvj_pool_mark_used();
  r = uv_getnameinfo(&L->loop, &d->u.gni, on_getnameinfo, (const struct sockaddr *) &ss,
                     (int) flags);
  if (r != 0) {
    dns_free(L, d, 0);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/*
 * 0: cancelled, the callback follows with UV_EAI_CANCELED; UV_EBUSY: running or done (also when
 * libuv reported it and Java has not been told yet: the libuv request is gone then).
 */
static jint dns_cancel(JNIEnv *env, jclass c, jlong loop, jint index) {
  (void) env; (void) c;
  uvj_req *slot = uvj_req_find(uvj_ptr(loop), index);
  if (slot == NULL || slot->completed || slot->ext == NULL) return UV_EBUSY;
  return uv_cancel(&((uvj_dns *) slot->ext)->u.req);
}

/* Socket and resolver constants differ between platforms (order: DnsRequest.java). */
static jintArray dns_constants(JNIEnv *env, jclass c) {
  (void) c;
  const jint v[] = {
    SOCK_STREAM, SOCK_DGRAM, SOCK_RAW, IPPROTO_TCP, IPPROTO_UDP,
    AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG,
    NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD, NI_DGRAM };
  jintArray a = (*env)->NewIntArray(env, UVJ_COUNT_OF(v));
  if (a != NULL) (*env)->SetIntArrayRegion(env, a, 0, UVJ_COUNT_OF(v), v);
  return a;
}

int uvj_dns_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nGetaddrinfo", "(JILio/uv4j/DnsRequest;[B[BZIIII)I", (void *) dns_getaddrinfo },
    { "nGetnameinfo", "(JILio/uv4j/DnsRequest;[BIII)I", (void *) dns_getnameinfo },
    { "nCancel", "(JI)I", (void *) dns_cancel },
    { "nConstants", "()[I", (void *) dns_constants },
  };
  jclass cls = (*env)->FindClass(env, "io/uv4j/DnsRequest");
  if (cls == NULL) return -1;
  DnsRequest_onAddrInfo = (*env)->GetMethodID(env, cls, "onAddrInfo", "(I[Ljava/lang/Object;[I)V");
  DnsRequest_onNameInfo = (*env)->GetMethodID(env, cls, "onNameInfo", "(I[B[B)V");
  (*env)->DeleteLocalRef(env, cls);
  if (DnsRequest_onAddrInfo == NULL || DnsRequest_onNameInfo == NULL) return -1;
  Loop_slot = uvj_method_id(env, "io/uv4j/Loop", "slot", "(I)Ljava/lang/Object;");
  if (Loop_slot == NULL) return -1;
  if ((byte_array_class = uvj_class_ref(env, "[B")) == NULL) return -1;
  return uvj_register(env, "io/uv4j/DnsRequest", methods, UVJ_COUNT_OF(methods));
}

void uvj_dns_unload(JNIEnv *env) {
  DnsRequest_onAddrInfo = DnsRequest_onNameInfo = NULL;
  Loop_slot = NULL;
  uvj_class_unref(env, &byte_array_class);
}
