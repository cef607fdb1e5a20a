package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uv4j.Uv;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** After each test: no loop, handle, request or JNI global ref is left (java-api's LeakCheck). */
public final class NoLeaks implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    String test = context.getDisplayName();
    assertEquals(0, Uv.liveLoops(), "loops left open by " + test);
    assertEquals(0, Uv.liveHandles(), "handles left by " + test);
    assertEquals(0, Uv.liveRequests(), "requests left by " + test);
    assertEquals(0, Uv.liveGlobalRefs(), "JNI global refs left by " + test);
  }
}
