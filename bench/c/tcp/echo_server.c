/*
 * The C ceiling of the TCP comparison: an echo server on libuv, one loop, one thread.
 *
 *   tcp_echo_server PORT [try|write]
 *
 * try   (default) does what uv4j's Stream.write(ByteBuffer) does: reads land in one 64 KiB
 *       buffer owned by the loop; each read is sent back with uv_try_write, and whatever the
 *       socket did not take is copied once into a uv_write request.
 * write the classic libuv echo: each read gets a malloc'ed 64 KiB buffer, handed to uv_write
 *       and freed in the write callback.
 *
 * Listens on 127.0.0.1:PORT, TCP_NODELAY on every connection, prints one "listening" line
 * (with libuv's version) when ready, runs until killed.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define READ_SIZE (64 * 1024)

static uv_loop_t *loop;
static int try_mode = 1;
static char shared_buf[READ_SIZE]; /* try mode: every read lands here (one thread) */

typedef struct {
  uv_write_t req; /* first */
  char *owned;    /* write mode: the read buffer, freed when the write is done */
  char data[];    /* try mode: the copied rest */
} write_req;

static void on_close(uv_handle_t *h) {
  free(h);
}

static void on_write(uv_write_t *req, int status) {
  write_req *w = (write_req *) req;
  (void) status; /* an error shows up as a read error too; the read side closes */
  free(w->owned);
  free(w);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void) h; (void) suggested;
  if (try_mode) {
    *buf = uv_buf_init(shared_buf, READ_SIZE);
  } else {
    char *p = malloc(READ_SIZE);
    *buf = uv_buf_init(p, p == NULL ? 0 : READ_SIZE);
  }
}

static void close_stream(uv_stream_t *s) {
  if (!uv_is_closing((uv_handle_t *) s)) uv_close((uv_handle_t *) s, on_close);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  if (nread <= 0) {
    if (!try_mode) free(buf->base);
    if (nread < 0) close_stream(s); /* EOF or error */
    return;
  }
  if (try_mode) {
    uv_buf_t b = uv_buf_init(buf->base, (unsigned int) nread);
    int done = uv_try_write(s, &b, 1);
    if (done == UV_EAGAIN) done = 0;
    if (done < 0) {
      close_stream(s);
      return;
    }
    if (done < nread) {
      size_t rest = (size_t) (nread - done);
      write_req *w = malloc(sizeof *w + rest);
      if (w == NULL) abort();
      w->owned = NULL;
      memcpy(w->data, buf->base + done, rest);
      uv_buf_t r = uv_buf_init(w->data, (unsigned int) rest);
      if (uv_write(&w->req, s, &r, 1, on_write) != 0) {
        free(w);
        close_stream(s);
      }
    }
  } else {
    write_req *w = malloc(sizeof *w);
    if (w == NULL) abort();
    w->owned = buf->base;
    uv_buf_t b = uv_buf_init(buf->base, (unsigned int) nread);
    if (uv_write(&w->req, s, &b, 1, on_write) != 0) {
      free(w->owned);
      free(w);
      close_stream(s);
    }
  }
}

static void on_connection(uv_stream_t *server, int status) {
  if (status < 0) return;
  uv_tcp_t *client = malloc(sizeof *client);
  if (client == NULL) abort();
  uv_tcp_init(loop, client);
  if (uv_accept(server, (uv_stream_t *) client) != 0) {
    uv_close((uv_handle_t *) client, on_close);
    return;
  }
  uv_tcp_nodelay(client, 1);
  uv_read_start((uv_stream_t *) client, on_alloc, on_read);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "try") != 0 && strcmp(argv[2], "write") != 0)) {
    fprintf(stderr, "usage: %s PORT [try|write]\n", argv[0]);
    return 2;
  }
  try_mode = argc < 3 || strcmp(argv[2], "try") == 0;
  signal(SIGPIPE, SIG_IGN); /* a write to a connection the peer closed is an error, not a kill */
  loop = uv_default_loop();
  uv_tcp_t server;
  struct sockaddr_in addr;
  uv_ip4_addr("127.0.0.1", atoi(argv[1]), &addr);
  uv_tcp_init(loop, &server);
  int r = uv_tcp_bind(&server, (const struct sockaddr *) &addr, 0);
  if (r == 0) r = uv_listen((uv_stream_t *) &server, 1024, on_connection);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", uv_strerror(r));
    return 1;
  }
  printf("listening port=%s impl=c-libuv mode=%s libuv=%s\n", argv[1], try_mode ? "try" : "write",
         uv_version_string());
  fflush(stdout);
  return uv_run(loop, UV_RUN_DEFAULT);
}
