package io.uv4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.uv4j.Signal;
import io.uv4j.Uv;
import io.uv4j.UvException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalDemoTest {
  static final int PID = (int) ProcessHandle.current().pid();

  static void kill(String name) {
    try {
      Uv.kill(PID, Signal.number(name));
    } catch (UvException e) {
      throw new AssertionError(e);
    }
  }

  /** The test sends SIGWINCH, then SIGUSR1 once the demo printed the first, then a second SIGUSR1. */
  @Test
  void printsEachSignalAndEndsAfterTheLastSigusr1() throws Exception {
    Output o = new Output();
    int[] usr1Sent = {0};
    SignalDemo.run(o.out, 2, () -> kill("SIGWINCH"), signum -> {
      if (usr1Sent[0] < 2) {
        usr1Sent[0]++;
        kill("SIGUSR1");
      }
    });
    assertEquals(List.of("SIGWINCH: the terminal was resized", "SIGUSR1 #1", "SIGUSR1 #2", "bye"),
        o.lines(), o.text());
    Output.assertNothingLeaked();
  }
}
