package io.uv4j.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.uv4j.LeakCheck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@code --unhandled-rejections} option outside the differential scenarios (which compare each
 * mode with node): flag values, the exit code a mode leaves, and workers sharing the mode.
 */
@ExtendWith(LeakCheck.class)
class UnhandledRejectionsTest {
  @Test
  void flagValuesAsNodeSpellsThem() {
    assertEquals(UnhandledRejections.WARN_WITH_ERROR_CODE, UnhandledRejections.of("warn-with-error-code"));
    assertEquals(UnhandledRejections.STRICT, UnhandledRejections.of(" STRICT "));
    assertEquals("none", UnhandledRejections.NONE.flag());
    assertThrows(IllegalArgumentException.class, () -> UnhandledRejections.of("sometimes"));
    assertThrows(NullPointerException.class, () -> new RuntimeOptions(null));
  }

  @Test
  void theExitCodeEachModeLeavesForOneUnhandledRejection() throws Exception {
    for (UnhandledRejections mode : UnhandledRejections.values()) {
      int code = NodeRuntime.run(RuntimeOptions.defaults().withUnhandledRejections(mode),
          node -> Promise.reject(node, new IllegalStateException("nobody handles this")));
      int expected = mode == UnhandledRejections.WARN || mode == UnhandledRejections.NONE ? 0 : 1;
      assertEquals(expected, code, mode.flag());
    }
  }

  @Test
  void aWorkerRunsWithItsParentsMode() throws Exception {
    List<Integer> codes = Collections.synchronizedList(new ArrayList<>());
    NodeRuntime.run(RuntimeOptions.defaults().withUnhandledRejections(UnhandledRejections.NONE), node -> {
      Worker w = new Worker(node, wnode -> Promise.reject(wnode, new IllegalStateException("in the worker")));
      w.onExit(codes::add);
    });
    assertEquals(List.of(0), codes, "under 'none' the worker's rejection is not fatal");
  }
}
