package io.uv4j.examples;

import io.uv4j.Async;
import io.uv4j.Check;
import io.uv4j.Idle;
import io.uv4j.Loop;
import io.uv4j.Prepare;
import io.uv4j.Timer;
import io.uv4j.Uv;

/**
 * A tour of one libuv loop iteration, phase by phase, with real handles:
 *
 * <pre>
 *   timers -> pending -> idle -> prepare -> poll (I/O) -> check -> close callbacks
 * </pre>
 *
 * A timer fires, an idle and a prepare handle run, a message from another thread arrives through
 * an async handle in the poll phase, a check handle runs right after the poll, and the close
 * callbacks of handles closed during the iteration run last (last closed first). The second
 * iteration shows that the loop blocks in the poll until the next timer is due.
 */
public final class EventLoopTour {
  private static int iteration;

  public static void main(String[] args) throws Exception {
    System.out.println("uv4j event-loop tour on libuv " + Uv.versionString());
    try (Loop loop = Loop.create()) {
      Timer first = new Timer(loop);
      Timer second = new Timer(loop);
      Idle idle = new Idle(loop);
      Prepare prepare = new Prepare(loop);
      Check check = new Check(loop);
      Async mailbox = new Async(loop, a -> {
        say("poll", "async message from thread 'worker' delivered by the I/O poll");
        a.close(() -> say("close", "async handle closed (closed last, so its callback runs first)"));
      });

      // Another thread posts to the loop before it even runs: the wake-up is pending in the poll.
      Thread worker = new Thread(mailbox::send, "worker");
      worker.start();
      worker.join();

      // Timers are due relative to the loop's cached time: refresh it, so that the time spent
      // above (thread start, class loading) does not make the 300 ms timer due at once.
      loop.updateTime();
      long start = loop.now();
      first.start(0, t -> {
        say("timers", "timer due at 0 ms fired");
        t.close(() -> say("close", "timer handle closed"));
      });
      second.start(300, t -> {
        say("timers", "timer due at 300 ms fired at " + (loop.now() - start)
            + " ms; the loop slept in the poll until it was due");
        prepare.close();
        check.close();
        t.close(() -> say("close", "everything closed: run() returns"));
      });
      idle.start(i -> {
        say("idle", "idle handle runs (while it is active the poll does not block)");
        i.close(() -> say("close", "idle handle closed"));
      });
      prepare.start(p -> {
        iteration++;
        say("prepare", "about to poll for I/O (iteration " + iteration + " begins its poll)");
      });
      check.start(c -> say("check", "the poll is over (setImmediate would run here)"));

      iteration = 0;
      int result = loop.run();
      System.out.println("run() returned " + result + " after " + iteration + " iterations");
    }
  }

  private static void say(String phase, String what) {
    System.out.printf("  %-8s| %s%n", phase, what);
  }

  private EventLoopTour() {}
}
