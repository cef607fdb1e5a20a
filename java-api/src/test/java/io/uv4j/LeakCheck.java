package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Asserts, after every test, that the native leak counters are back to zero: no loop, handle,
 * request or JNI global ref outlives the test. Use with {@code @ExtendWith(LeakCheck.class)} on
 * every test class that creates loops.
 */
public final class LeakCheck implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    String test = context.getDisplayName();
    assertEquals(0, Uv.liveLoops(), "loops left open by " + test);
    assertEquals(0, Uv.liveHandles(), "handles left by " + test);
    assertEquals(0, Uv.liveRequests(), "requests left by " + test);
    assertEquals(0, Uv.liveGlobalRefs(), "JNI global refs left by " + test);
    assertEquals(0, Uv.lateTimerFires(), "timer fires delivered after their pass, by " + test);
  }
}
