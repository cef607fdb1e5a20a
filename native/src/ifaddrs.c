/*
 * io.uv4j.Uv.interfaceAddresses: uv_interface_addresses, its result freed here on every path
 * (also when building the Java result ran out of memory). Addresses cross as jni_util.c's
 * sockaddr arrays; names and MACs as byte[] through sysinfo.c's helpers.
 */
#include "uv4j.h"

/* ---- interfaces ---- */

/* {byte[][] names, byte[][] macs, byte[][] addresses, byte[][] netmasks, byte[] internal flags}. */
static jobjectArray interfaces(JNIEnv *env, jclass c) {
  (void) c;
  uv_interface_address_t *ifs;
  int n;
  int r = uv_interface_addresses(&ifs, &n);
  if (r != 0) {
    uvj_throw_uv(env, r, "uv_interface_addresses", NULL, NULL);
    return NULL;
  }
  jobjectArray out = NULL;
  jobjectArray parts[4] = { NULL, NULL, NULL, NULL };
  jbyteArray internal = NULL;
  if ((*env)->PushLocalFrame(env, 16) != 0) goto done;
  for (int k = 0; k < 4; k++) {
    if ((parts[k] = uvj_byte_arrays(env, n)) == NULL) goto pop;
  }
  if ((internal = (*env)->NewByteArray(env, n)) == NULL) goto pop;
  for (int i = 0; i < n; i++) {
    jbyteArray e[4];
    e[0] = uvj_bytes(env, ifs[i].name != NULL ? ifs[i].name : "");
    e[1] = e[0] != NULL ? uvj_bytes_n(env, ifs[i].phys_addr, sizeof ifs[i].phys_addr) : NULL;
    /* Families other than IPv4/IPv6 come back as NULL (no exception): left null in the array. */
    e[2] = e[1] != NULL ? uvj_sockaddr_to_java(env, (const struct sockaddr *) &ifs[i].address) : NULL;
    if ((*env)->ExceptionCheck(env)) goto pop;
    e[3] = e[1] != NULL ? uvj_sockaddr_to_java(env, (const struct sockaddr *) &ifs[i].netmask) : NULL;
    if (e[1] == NULL || (*env)->ExceptionCheck(env)) goto pop;
    jbyte flag = (jbyte) (ifs[i].is_internal ? 1 : 0);
    (*env)->SetByteArrayRegion(env, internal, i, 1, &flag);
    for (int k = 0; k < 4; k++) {
      (*env)->SetObjectArrayElement(env, parts[k], i, e[k]);
      if (e[k] != NULL) (*env)->DeleteLocalRef(env, e[k]);
    }
  }
  out = (*env)->NewObjectArray(env, 5, (*env)->FindClass(env, "java/lang/Object"), NULL);
  if (out != NULL) {
    for (int k = 0; k < 4; k++) (*env)->SetObjectArrayElement(env, out, k, parts[k]);
    (*env)->SetObjectArrayElement(env, out, 4, internal);
  }
pop:
  out = (*env)->PopLocalFrame(env, out);
done:
  uv_free_interface_addresses(ifs, n);
  return out;
}

int uvj_ifaddrs_load(JNIEnv *env) {
  static const JNINativeMethod uv[] = {
    { "nInterfaces", "()[Ljava/lang/Object;", (void *) interfaces },
  };
  return uvj_register(env, "io/uv4j/Uv", uv, UVJ_COUNT_OF(uv));
}

void uvj_ifaddrs_unload(JNIEnv *env) {
  (void) env;
}
