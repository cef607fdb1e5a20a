/*
 * io.uv4j.Stream on uv_stream_t: listen/accept, reads into the loop's buffer, writes, shutdown,
 * and the connect completion shared by Tcp and Pipe.
 *
 * Hot paths (read, write, write completion) make no JNI lookups and create no Java objects: a read
 * hands Java only the byte count (the data is already in the loop's direct ByteBuffer), and
 * writes complete in order per stream, so Java keeps each write's buffer and callback in a FIFO
 * and the native side passes back only the status.
 */
#include "uv4j.h"

#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#endif

static jmethodID Stream_onConnection; /* void onConnection(int status) */
static jmethodID Stream_onRead;       /* void onRead(int nread) */
static jmethodID Stream_onWriteDone;  /* void onWriteDone(int status) */
static jmethodID Stream_onShutdown;   /* void onShutdown(int status) */
static jmethodID Stream_onConnect;    /* void onConnect(int status) */

static void call_int(uv_handle_t *h, jmethodID m, int value) {
  uvj_loop *L = uvj_loop_of(h->loop);
  JNIEnv *env = uvj_env(L);
  (*env)->CallVoidMethod(env, (jobject) h->data, m, (jint) value);
  uvj_after_upcall(env, L);
}

/*
 * The hot up-calls (a read, a write's completion): through the loop's FFM stub when FFM is on
 * and the stream has a peer index (Stream.initialized), else JNI.
 */
static void call_stream(uv_stream_t *s, int what, jmethodID m, int value) {
  uvj_loop *L = uvj_loop_of(s->loop);
  JNIEnv *env = uvj_env(L); /* flushes earlier completions first, whichever way they go */
  if (env == NULL) return;
  if (L->ffm_stream != NULL) {
    jint peer = *uvj_stream_peer(s);
    if (peer >= 0) {
      L->ffm_stream(L->ffm_id, peer, what, value);
      return;
    }
  }
  (*env)->CallVoidMethod(env, (jobject) s->data, m, (jint) value);
  uvj_after_upcall(env, L);
}

/* Stream.initialized on the FFM path: the stream's index in its loop's table. */
static void stream_set_peer(JNIEnv *env, jclass c, jlong h, jint peer) {
  (void) env; (void) c;
  *uvj_stream_peer(uvj_ptr(h)) = peer;
}

/* ---- listen / accept ---- */

static void on_connection(uv_stream_t *server, int status) {
  call_int((uv_handle_t *) server, Stream_onConnection, status);
}

static jint stream_listen(JNIEnv *env, jclass c, jlong h, jint backlog) {
  (void) env; (void) c;
  return uv_listen(uvj_ptr(h), backlog, on_connection);
}

static jint stream_accept(JNIEnv *env, jclass c, jlong server, jlong client) {
  (void) env; (void) c;
  return uv_accept(uvj_ptr(server), uvj_ptr(client));
}

/* ---- reading ---- */

/* Every read of a loop lands in that loop's buffer: callbacks run one at a time on its thread. */
static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void) suggested;
  uvj_loop *L = uvj_loop_of(h->loop);
  *buf = uv_buf_init(L->read_base, (unsigned int) L->read_size);
}

/*
 * Whether an IPC pipe still holds unread bytes. libuv reports EOF when POLLHUP comes with a read
 * that did not fill the buffer, taking the short read for "drained"; but on an IPC pipe recvmsg
 * stops after each message that carries descriptors, so messages (and handles) may still wait.
 */
static int ipc_unread(uv_stream_t *s) {
#ifndef _WIN32
  if (s->type != UV_NAMED_PIPE || !((uv_pipe_t *) s)->ipc) return 0;
  uv_os_fd_t fd;
  int n = 0;
  return uv_fileno((uv_handle_t *) s, &fd) == 0 && ioctl(fd, FIONREAD, &n) == 0 && n > 0;
#else
  (void) s; /* Windows pipes report EOF only after the data */
  return 0;
#endif
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void) buf;
  if (nread == 0) return; /* EAGAIN: nothing happened */
  if (nread == UV_EOF && ipc_unread(s) && uv_read_start(s, on_alloc, on_read) == 0) {
    return; /* read on: the EOF comes again once the queued messages are read */
  }
  call_stream(s, UVJ_FFM_STREAM_READ, Stream_onRead, (int) nread);
}

static jint stream_read_start(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  uv_stream_t *s = uvj_ptr(h);
  if (uvj_loop_of(s->loop)->read_base == NULL) return UV_EINVAL; /* Java sets it up first */
  return uv_read_start(s, on_alloc, on_read);
}

static jint stream_read_stop(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_read_stop(uvj_ptr(h));
}

/* ---- writing ---- */

typedef struct uvj_write {
  uv_write_t req; /* first */
  char data[];    /* the copied bytes, when the write copies */
} uvj_write;

static void on_write(uv_write_t *req, int status) {
  uv_stream_t *s = req->handle;
  free(req);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  call_stream(s, UVJ_FFM_STREAM_WRITE_DONE, Stream_onWriteDone, status);
}

static int queue_write(uv_stream_t *s, uvj_write *w, const uv_buf_t *bufs, unsigned int n) {
  int r = uv_write(&w->req, s, bufs, n, on_write);
  if (r != 0) {
    free(w);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/*
 * Whether [p, p+len) overlaps the loop's read buffer: a view handed to ReadCallback.onData. The
 * next read of any stream of the loop overwrites it, so such bytes are always copied.
 */
static int in_read_buffer(uv_stream_t *s, const char *p, size_t len) {
  uvj_loop *L = uvj_loop_of(s->loop);
  return L->read_base != NULL && len > 0 && p < L->read_base + L->read_size && p + len > L->read_base;
}

/* A direct buffer's bytes [pos, pos+len): in place (Java keeps the buffer alive), or copied. */
static jint stream_write_direct(JNIEnv *env, jclass c, jlong h, jobject buffer, jint pos,
                                jint len, jboolean copy) {
  (void) c;
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) return UV_EINVAL;
  if (!copy && in_read_buffer(uvj_ptr(h), base + pos, (size_t) len)) copy = JNI_TRUE;
  uvj_write *w = malloc(sizeof *w + (copy ? (size_t) len : 0));
  if (w == NULL) return UV_ENOMEM;
  uv_buf_t buf;
  if (copy) {
    memcpy(w->data, base + pos, (size_t) len);
    buf = uv_buf_init(w->data, (unsigned int) len);
  } else {
    buf = uv_buf_init(base + pos, (unsigned int) len);
  }
  return queue_write(uvj_ptr(h), w, &buf, 1);
}

/* A byte[] range copied once into the request, with a handle's descriptor (Pipe.write2). */
int uvj_stream_write_bytes(JNIEnv *env, uv_stream_t *s, jbyteArray array, jint off, jint len,
                           uv_stream_t *send) {
  uvj_write *w = malloc(sizeof *w + (size_t) len);
  if (w == NULL) return UV_ENOMEM;
  (*env)->GetByteArrayRegion(env, array, off, len, (jbyte *) w->data);
  uv_buf_t buf = uv_buf_init(w->data, (unsigned int) len);
  int r = uv_write2(&w->req, s, &buf, 1, send, on_write);
  if (r != 0) {
    free(w);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

/* A byte[] range, copied once into the request. */
static jint stream_write_array(JNIEnv *env, jclass c, jlong h, jbyteArray array, jint off, jint len) {
  (void) c;
  uvj_write *w = malloc(sizeof *w + (size_t) len);
  if (w == NULL) return UV_ENOMEM;
  (*env)->GetByteArrayRegion(env, array, off, len, (jbyte *) w->data);
  uv_buf_t buf = uv_buf_init(w->data, (unsigned int) len);
  return queue_write(uvj_ptr(h), w, &buf, 1);
}

/* Several direct buffers in one request, in place (pieces of the loop's read buffer copied). */
static jint stream_writev(JNIEnv *env, jclass c, jlong h, jobjectArray buffers, jintArray jpos,
                          jintArray jlen) {
  (void) c;
  uv_stream_t *s = uvj_ptr(h);
  jsize n = (*env)->GetArrayLength(env, buffers);
  if (n <= 0) return UV_EINVAL;
  uv_buf_t small[16];
  uv_buf_t *bufs = n <= 16 ? small : malloc(sizeof *bufs * (size_t) n);
  uvj_write *w = NULL;
  jint *pos = (*env)->GetIntArrayElements(env, jpos, NULL);
  jint *len = (*env)->GetIntArrayElements(env, jlen, NULL);
  int r = 0;
  size_t copied = 0; /* bytes of pieces that lie in the read buffer */
  if (bufs == NULL || pos == NULL || len == NULL) r = UV_ENOMEM;
  for (jsize i = 0; r == 0 && i < n; i++) {
    jobject b = (*env)->GetObjectArrayElement(env, buffers, i);
    char *base = (*env)->GetDirectBufferAddress(env, b);
    (*env)->DeleteLocalRef(env, b);
    if (base == NULL) {
      r = UV_EINVAL;
    } else {
      bufs[i] = uv_buf_init(base + pos[i], (unsigned int) len[i]);
      if (in_read_buffer(s, bufs[i].base, bufs[i].len)) copied += bufs[i].len;
    }
  }
  if (pos != NULL) (*env)->ReleaseIntArrayElements(env, jpos, pos, JNI_ABORT);
  if (len != NULL) (*env)->ReleaseIntArrayElements(env, jlen, len, JNI_ABORT);
  if (r == 0) {
    w = malloc(sizeof *w + copied);
    if (w == NULL) r = UV_ENOMEM;
  }
  if (r == 0) {
    char *dst = w->data;
    for (jsize i = 0; i < n; i++) {
      if (in_read_buffer(s, bufs[i].base, bufs[i].len)) {
        memcpy(dst, bufs[i].base, bufs[i].len);
        bufs[i].base = dst;
        dst += bufs[i].len;
      }
    }
    r = queue_write(s, w, bufs, (unsigned int) n); /* libuv copies the descriptors; frees w on error */
  }
  if (bufs != small) free(bufs);
  return r;
}

/*
 * Writes of the loop's read buffer (the view ReadCallback.onData gets, echoed back): Java passes
 * the address itself (Loop.readBase + position), so the call carries no object (no local handle,
 * no GetDirectBufferAddress, which in HotSpot is an IsInstanceOf and a field read). Java checks
 * that [address, address+len) lies in the read buffer before calling.
 */
static jint stream_try_write_read_buffer(JNIEnv *env, jclass c, jlong h, jlong address, jint len) {
  (void) env; (void) c;
  uv_buf_t buf = uv_buf_init(uvj_ptr(address), (unsigned int) len);
  int r = uv_try_write(uvj_ptr(h), &buf, 1);
  return r == UV_EAGAIN ? 0 : r;
}

/* The rest of such a write, copied (the next read overwrites the read buffer). */
static jint stream_write_read_buffer(JNIEnv *env, jclass c, jlong h, jlong address, jint len) {
  (void) env; (void) c;
  uvj_write *w = malloc(sizeof *w + (size_t) len);
  if (w == NULL) return UV_ENOMEM;
  memcpy(w->data, uvj_ptr(address), (size_t) len);
  uv_buf_t buf = uv_buf_init(w->data, (unsigned int) len);
  return queue_write(uvj_ptr(h), w, &buf, 1);
}

/* The address of a direct buffer (Loop.readBase, once per loop). */
static jlong direct_address(JNIEnv *env, jclass c, jobject buffer) {
  (void) c;
  return uvj_address((*env)->GetDirectBufferAddress(env, buffer));
}

/* uv_try_write: bytes written now (0 when it would block), or a negative error. */
static jint stream_try_write_direct(JNIEnv *env, jclass c, jlong h, jobject buffer, jint pos, jint len) {
  (void) c;
  char *base = (*env)->GetDirectBufferAddress(env, buffer);
  if (base == NULL) return UV_EINVAL;
  uv_buf_t buf = uv_buf_init(base + pos, (unsigned int) len);
  int r = uv_try_write(uvj_ptr(h), &buf, 1);
  return r == UV_EAGAIN ? 0 : r;
}

static jint stream_try_write_array(JNIEnv *env, jclass c, jlong h, jbyteArray array, jint off, jint len) {
  (void) c;
  char *base = (*env)->GetPrimitiveArrayCritical(env, array, NULL); /* released before returning */
  if (base == NULL) return UV_ENOMEM;
  uv_buf_t buf = uv_buf_init(base + off, (unsigned int) len);
  int r = uv_try_write(uvj_ptr(h), &buf, 1);
  (*env)->ReleasePrimitiveArrayCritical(env, array, base, JNI_ABORT);
  return r == UV_EAGAIN ? 0 : r;
}

/* ---- shutdown / connect completion ---- */

static void on_shutdown(uv_shutdown_t *req, int status) {
  uv_handle_t *h = (uv_handle_t *) req->handle;
  free(req);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  call_int(h, Stream_onShutdown, status);
}

static jint stream_shutdown(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  uv_shutdown_t *req = malloc(sizeof *req);
  if (req == NULL) return UV_ENOMEM;
  int r = uv_shutdown(req, uvj_ptr(h), on_shutdown);
  if (r != 0) {
    free(req);
    return r;
  }
  uvj_count(UVJ_COUNT_REQUESTS, 1);
  return 0;
}

void uvj_on_connect(uv_connect_t *req, int status) {
  uv_handle_t *h = (uv_handle_t *) req->handle;
  free(req);
  uvj_count(UVJ_COUNT_REQUESTS, -1);
  call_int(h, Stream_onConnect, status);
}

static jboolean stream_is_readable(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_is_readable(uvj_ptr(h)) ? JNI_TRUE : JNI_FALSE;
}

static jboolean stream_is_writable(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return uv_is_writable(uvj_ptr(h)) ? JNI_TRUE : JNI_FALSE;
}

static jlong stream_write_queue_size(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  return (jlong) uv_stream_get_write_queue_size(uvj_ptr(h));
}

static jint handle_fileno(JNIEnv *env, jclass c, jlong h) {
  (void) env; (void) c;
  uv_os_fd_t fd;
  int r = uv_fileno(uvj_ptr(h), &fd);
  return r != 0 ? r : (jint) (intptr_t) fd;
}

/*
 * What a descriptor is, for Tcp.open / Pipe.open (Stream.FD_* in Java). libuv adopts any
 * descriptor and then abort()s when epoll refuses a regular file or /dev/null, so Java checks
 * the kind first. 0 where the platform cannot tell.
 */
static jint fd_kind(JNIEnv *env, jclass c, jint fd) {
  (void) env; (void) c;
#ifdef _WIN32
  (void) fd;
  return 0;
#else
  struct stat st;
  if (fstat(fd, &st) != 0) return uv_translate_sys_error(errno);
  if (S_ISFIFO(st.st_mode)) return 1;
  if (S_ISREG(st.st_mode)) return 5;
  if (S_ISCHR(st.st_mode)) return 6;
  if (S_ISDIR(st.st_mode)) return 7;
  if (!S_ISSOCK(st.st_mode)) return 8;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int type = 0;
  socklen_t tlen = sizeof type;
  if (getsockname(fd, (struct sockaddr *) &ss, &len) != 0 ||
      getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0) {
    return 4;
  }
  int kind;
  if (ss.ss_family == AF_UNIX) kind = 2;
  else if ((ss.ss_family == AF_INET || ss.ss_family == AF_INET6) && type == SOCK_STREAM) kind = 3;
  else return 4;
  int listening = 0;
  socklen_t llen = sizeof listening;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &llen) == 0 && listening) {
    kind |= 0x200;
  } else {
    len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *) &ss, &len) == 0) kind |= 0x100;
  }
  return kind;
#endif
}

static jint buffer_size(JNIEnv *env, jclass c, jlong h, jboolean send, jint value) {
  (void) env; (void) c;
  int v = value;
  int r = send ? uv_send_buffer_size(uvj_ptr(h), &v) : uv_recv_buffer_size(uvj_ptr(h), &v);
  return r != 0 ? r : v;
}

int uvj_stream_load(JNIEnv *env) {
  static const JNINativeMethod methods[] = {
    { "nListen", "(JI)I", (void *) stream_listen },
    { "nAccept", "(JJ)I", (void *) stream_accept },
    { "nReadStart", "(J)I", (void *) stream_read_start },
    { "nReadStop", "(J)I", (void *) stream_read_stop },
    { "nWriteDirect", "(JLjava/nio/ByteBuffer;IIZ)I", (void *) stream_write_direct },
    { "nWriteArray", "(J[BII)I", (void *) stream_write_array },
    { "nWritev", "(J[Ljava/nio/ByteBuffer;[I[I)I", (void *) stream_writev },
    { "nTryWriteDirect", "(JLjava/nio/ByteBuffer;II)I", (void *) stream_try_write_direct },
    { "nTryWriteArray", "(J[BII)I", (void *) stream_try_write_array },
    { "nTryWriteReadBuffer", "(JJI)I", (void *) stream_try_write_read_buffer },
    { "nWriteReadBuffer", "(JJI)I", (void *) stream_write_read_buffer },
    { "nDirectAddress", "(Ljava/nio/ByteBuffer;)J", (void *) direct_address },
    { "nSetPeer", "(JI)V", (void *) stream_set_peer },
    { "nShutdown", "(J)I", (void *) stream_shutdown },
    { "nIsReadable", "(J)Z", (void *) stream_is_readable },
    { "nIsWritable", "(J)Z", (void *) stream_is_writable },
    { "nWriteQueueSize", "(J)J", (void *) stream_write_queue_size },
    { "nFileno", "(J)I", (void *) handle_fileno },
    { "nBufferSize", "(JZI)I", (void *) buffer_size },
    { "nFdKind", "(I)I", (void *) fd_kind },
  };
  jclass s = (*env)->FindClass(env, "io/uv4j/Stream");
  if (s == NULL) return -1;
  Stream_onConnection = (*env)->GetMethodID(env, s, "onConnection", "(I)V");
  Stream_onRead = (*env)->GetMethodID(env, s, "onRead", "(I)V");
  Stream_onWriteDone = (*env)->GetMethodID(env, s, "onWriteDone", "(I)V");
  Stream_onShutdown = (*env)->GetMethodID(env, s, "onShutdown", "(I)V");
  Stream_onConnect = (*env)->GetMethodID(env, s, "onConnect", "(I)V");
  (*env)->DeleteLocalRef(env, s);
  if (!Stream_onConnection || !Stream_onRead || !Stream_onWriteDone || !Stream_onShutdown ||
      !Stream_onConnect) {
    return -1;
  }
  return uvj_register(env, "io/uv4j/Stream", methods, UVJ_COUNT_OF(methods));
}

void uvj_stream_unload(JNIEnv *env) {
  (void) env;
  Stream_onConnection = Stream_onRead = Stream_onWriteDone = Stream_onShutdown = Stream_onConnect = NULL;
}
