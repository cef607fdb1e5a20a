package io.uv4j.fuzz;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The child's line protocol on stdout, written unbuffered (one write per line) so that a crash
 * loses nothing already logged. The parent ({@link FuzzRunner}) reads it:
 * <ul>
 *   <li>{@code OP <index> <description>}: logged before the operation runs;
 *   <li>{@code CB <description>}: a callback doing something other than nothing;
 *   <li>{@code UNDOC <index> <where> :: <exception>} then {@code   |<stack line>} lines;
 *   <li>{@code FUZZBUG ...}: an exception raised by the fuzzer's own code (not the API's);
 *   <li>{@code LEAK loops=.. handles=.. requests=.. globalRefs=..};
 *   <li>{@code DONE ops=<n> undocumented=<n>} at the end.
 * </ul>
 */
final class FuzzOut {
  private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

  private FuzzOut() {}

  static synchronized void line(String s) {
    byte[] b = (clean(s) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      OUT.write(b);
    } catch (IOException e) {
      // the parent went away: nothing useful left to do with the output
    }
  }

  /** Several lines in one write, so they stay together when threads interleave. */
  static synchronized void block(String first, Throwable t) {
    StringBuilder sb = new StringBuilder(clean(first)).append('\n');
    appendTrace(sb, t, "", 0);
    try {
      OUT.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // as above
    }
  }

  /** One line, no control characters (paths with NUL are part of the fuzzing). */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 ? '@' : c);
    }
    return sb.toString();
  }

  private static void appendTrace(StringBuilder sb, Throwable t, String prefix, int depth) {
    if (t == null || depth > 4) {
      return;
    }
    sb.append("  |").append(prefix).append(clean(String.valueOf(t))).append('\n');
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < st.length && i < 30; i++) {
      sb.append("  |    at ").append(st[i]).append('\n');
    }
    for (Throwable s : t.getSuppressed()) {
      appendTrace(sb, s, "Suppressed: ", depth + 1);
    }
    if (t.getCause() != null && t.getCause() != t) {
      appendTrace(sb, t.getCause(), "Caused by: ", depth + 1);
    }
  }
}
