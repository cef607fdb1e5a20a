/*
 * io.uv4j.Udp's addresses as primitives, shared by udp.c (bind, connect, receive) and udp_send.c:
 * family (4 or 6, 0 for none), the address bytes big-endian in two longs (IPv4: the low 32 bits
 * of `lo`), port and IPv6 scope id. Static inline: the send and receive paths pay no call.
 */
#ifndef UVJ_UDP_ADDR_H
#define UVJ_UDP_ADDR_H

#include "uv4j.h"

#include <stdint.h>
#include <string.h>

/* ---- addresses as primitives ---- */

static inline void put_be(unsigned char *p, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; i--) {
    p[i] = (unsigned char) (v & 0xff);
    v >>= 8;
  }
}

static inline uint64_t get_be(const unsigned char *p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; i++) v = (v << 8) | p[i];
  return v;
}

/* family 4 or 6 into *out; NULL (no address) for family 0; UV_EINVAL otherwise. */
static inline int addr_from(int family, jlong hi, jlong lo, jint port, jint scope,
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

#endif
