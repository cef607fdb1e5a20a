/*
 * The floor under any JNI callback: n calls of an empty static Java method from C through
 * CallStaticVoidMethod, the call every uv4j upcall on JDK 17-21 makes (io.uv4j.bench.JniFloor).
 * No libuv: what remains of a uv4j callback's cost over C's is this plus uv4j's own Java code.
 */
#include <jni.h>

JNIEXPORT void JNICALL Java_io_uv4j_bench_JniFloor_calls(JNIEnv *env, jclass c, jint n) {
  jmethodID empty = (*env)->GetStaticMethodID(env, c, "empty", "(I)V");
  if (empty == NULL) return;
  for (jint i = 0; i < n; i++) {
    (*env)->CallStaticVoidMethod(env, c, empty, i);
    if ((*env)->ExceptionCheck(env)) return;
  }
}
