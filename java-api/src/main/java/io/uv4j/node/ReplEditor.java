package io.uv4j.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;

/** A small line editor over raw terminal input (ANSI/VT100 sequences). Loop thread only. */
final class ReplEditor {
  private final Repl repl;
  private final StringBuilder buf = new StringBuilder();
  private int pos;
  private String prompt = "> ";
  private boolean busy = true;
  private final ArrayDeque<byte[]> queued = new ArrayDeque<>();
  private final List<String> history = new ArrayList<>();
  private final Path historyPath;
  private int historyIndex;
  private String stash = "";
  private boolean sawSigint;
  private int esc; // 0 none, 1 after ESC, 2 inside CSI
  private final StringBuilder csi = new StringBuilder();
  private final byte[] utf8 = new byte[4];
  private int utf8Len;
  private int utf8Need;

  ReplEditor(Repl repl, Path historyPath) {
    this.repl = repl;
    this.historyPath = historyPath;
    if (historyPath != null) {
      try {
        if (Files.isRegularFile(historyPath)) {
          List<String> lines = Files.readAllLines(historyPath, StandardCharsets.UTF_8);
          history.addAll(lines.subList(Math.max(0, lines.size() - 1000), lines.size()));
        }
      } catch (IOException | RuntimeException e) {
        // no history then
      }
    }
    historyIndex = history.size();
  }

  void resume(String nextPrompt) {
    if (repl.closed) {
      return;
    }
    repl.snapshot();
    prompt = repl.editorMode ? "" : nextPrompt.isEmpty() ? (repl.multiLine ? "... " : "> ") : nextPrompt;
    busy = false;
    buf.setLength(0);
    pos = 0;
    historyIndex = history.size();
    repl.out.print(prompt);
    repl.out.flush();
    while (!busy && !repl.closed && !queued.isEmpty()) {
      process(queued.poll());
    }
  }

  void feed(byte[] data) {
    if (busy) {
      queued.add(data);
    } else {
      process(data);
    }
  }

  private void process(byte[] data) {
    for (int i = 0; i < data.length; i++) {
      if (busy || repl.closed) {
        queued.addFirst(java.util.Arrays.copyOfRange(data, i, data.length));
        return;
      }
      key(data[i] & 0xff);
    }
    repl.out.flush();
  }

  private void key(int b) {
    if (esc == 1) {
      esc = b == '[' || b == 'O' ? 2 : 0;
      csi.setLength(0);
      return;
    }
    if (esc == 2) {
      if (b >= 0x40 && b <= 0x7e) {
        esc = 0;
        sequence(csi.toString() + (char) b);
      } else {
        csi.append((char) b);
      }
      return;
    }
    if (utf8Need > 0) {
      utf8[utf8Len++] = (byte) b;
      if (utf8Len == utf8Need) {
        insert(new String(utf8, 0, utf8Len, StandardCharsets.UTF_8));
        utf8Need = 0;
      }
      return;
    }
    if (b != 3) {
      sawSigint = false;
    }
    switch (b) {
      case 0x1b: esc = 1; return;
      case 1: pos = 0; redraw(); return; // Ctrl-A
      case 5: pos = buf.length(); redraw(); return; // Ctrl-E
      case 2: left(); return; // Ctrl-B
      case 6: right(); return; // Ctrl-F
      case 0x0b: buf.setLength(pos); redraw(); return; // Ctrl-K
      case 0x15: buf.delete(0, pos); pos = 0; redraw(); return; // Ctrl-U
      case 0x17: { // Ctrl-W
        int p = pos;
        while (p > 0 && buf.charAt(p - 1) == ' ') {
          p--;
        }
        while (p > 0 && buf.charAt(p - 1) != ' ') {
          p--;
        }
        buf.delete(p, pos);
        pos = p;
        redraw();
        return;
      }
      case 0x0c: repl.out.print("\033[H\033[2J"); redraw(); return; // Ctrl-L
      case 0x10: up(); return; // Ctrl-P
      case 0x0e: down(); return; // Ctrl-N
      case 0x7f:
      case 8:
        if (pos > 0) {
          buf.deleteCharAt(--pos);
          redraw();
        }
        return;
      case '\r':
      case '\n':
        enter();
        return;
      case '\t':
        tab();
        return;
      case 3:
        ctrlC();
        return;
      case 4:
        ctrlD();
        return;
      default:
        if (b < 0x20) {
          return;
        }
        if (b >= 0x80) {
          utf8Need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
          utf8Len = 0;
          if (utf8Need > 0) {
            utf8[utf8Len++] = (byte) b;
          }
          return;
        }
        insert(String.valueOf((char) b));
    }
  }

  private void sequence(String s) {
    switch (s) {
      case "A": up(); break;
      case "B": down(); break;
      case "C": right(); break;
      case "D": left(); break;
      case "H": case "1~": case "7~": pos = 0; redraw(); break;
      case "F": case "4~": case "8~": pos = buf.length(); redraw(); break;
      case "3~":
        if (pos < buf.length()) {
          buf.deleteCharAt(pos);
          redraw();
        }
        break;
      default:
        break;
    }
  }

  private void insert(String s) {
    buf.insert(pos, s);
    pos += s.length();
    if (pos == buf.length()) {
      repl.out.print(s);
    } else {
      redraw();
    }
  }

  private void left() {
    if (pos > 0) {
      pos--;
      repl.out.print("\033[D");
    }
  }

  private void right() {
    if (pos < buf.length()) {
      pos++;
      repl.out.print("\033[C");
    }
  }

  private void up() {
    if (historyIndex == 0) {
      return;
    }
    if (historyIndex == history.size()) {
      stash = buf.toString();
    }
    historyIndex--;
    replace(history.get(historyIndex));
  }

  private void down() {
    if (historyIndex >= history.size()) {
      return;
    }
    historyIndex++;
    replace(historyIndex == history.size() ? stash : history.get(historyIndex));
  }

  private void replace(String s) {
    buf.setLength(0);
    buf.append(s);
    pos = buf.length();
    redraw();
  }

  void redraw() {
    repl.out.print("\r" + prompt + buf + "\033[K");
    int back = buf.length() - pos;
    if (back > 0) {
      repl.out.print("\033[" + back + "D");
    }
    repl.out.flush();
  }

  private void enter() {
    repl.out.print("\r\n");
    repl.out.flush();
    String line = buf.toString();
    if (!line.isBlank() && !repl.editorMode && (history.isEmpty() || !history.get(history.size() - 1).equals(line))) {
      history.add(line);
      if (historyPath != null) {
        try {
          Files.writeString(historyPath, line + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
          // history is best effort
        }
      }
    }
    busy = true;
    buf.setLength(0);
    pos = 0;
    submit(() -> repl.handleLine(line));
  }

  private void submit(java.util.function.Supplier<String> work) {
    busy = true;
    try {
      repl.evalThread.execute(() -> {
        String p;
        try {
          p = work.get();
        } catch (RuntimeException e) {
          repl.out.println("Uncaught " + e);
          p = "> ";
        }
        String next = p;
        repl.out.flush();
        repl.toLoop(() -> resume(next));
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  private void ctrlC() {
    if (repl.editorMode) {
      repl.out.print("\r\n");
      submit(() -> repl.finishEditor(true));
      return;
    }
    if (buf.length() > 0 || repl.multiLine) {
      repl.out.print("\r\n");
      sawSigint = false;
      submit(() -> {
        repl.pending.setLength(0);
        return "> ";
      });
      return;
    }
    if (sawSigint) {
      repl.out.print("\r\n");
      repl.out.flush();
      repl.close();
      return;
    }
    sawSigint = true;
    repl.out.print("\r\n(To exit, press Ctrl+C again or Ctrl+D or type .exit)\r\n");
    redraw();
  }

  private void ctrlD() {
    if (repl.editorMode) {
      repl.out.print("\r\n");
      String rest = buf.toString();
      submit(() -> {
        if (!rest.isEmpty() && repl.editorBuffer != null) {
          repl.editorBuffer.append(rest).append('\n');
        }
        return repl.finishEditor(false);
      });
      return;
    }
    if (buf.length() == 0) {
      repl.out.print("\r\n");
      repl.out.flush();
      repl.close();
      return;
    }
    if (pos < buf.length()) {
      buf.deleteCharAt(pos);
      redraw();
    }
  }

  private void tab() {
    String line = buf.toString();
    int cursor = pos;
    if (line.startsWith(".") && !repl.multiLine) {
      List<String> c = new ArrayList<>();
      for (String cmd : ReplText.COMMANDS) {
        if (cmd.startsWith(line.substring(0, cursor))) {
          c.add(cmd.substring(cursor));
        }
      }
      applyCompletion(c, "");
      return;
    }
    busy = true;
    try {
      repl.evalThread.execute(() -> {
        List<String> conts = new ArrayList<>();
        String typed = "";
        try {
          int[] anchor = new int[1];
          List<SourceCodeAnalysis.Suggestion> s = repl.shell.sourceCodeAnalysis()
              .completionSuggestions(line, cursor, anchor);
          typed = line.substring(anchor[0], cursor);
          LinkedHashSet<String> set = new LinkedHashSet<>();
          for (SourceCodeAnalysis.Suggestion x : s) {
            set.add(x.continuation());
          }
          for (String x : set) {
            if (x.startsWith(typed)) {
              conts.add(x.substring(typed.length()));
            }
          }
        } catch (RuntimeException e) {
          // no completion then
        }
        String t = typed;
        repl.toLoop(() -> {
          busy = false;
          applyCompletion(conts, t);
          while (!busy && !repl.closed && !queued.isEmpty()) {
            process(queued.poll());
          }
        });
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed
    }
  }

  /** {@code rests}: what each candidate adds after the cursor. */
  private void applyCompletion(List<String> rests, String typed) {
    if (rests.isEmpty()) {
      return;
    }
    String common = rests.get(0);
    for (String r : rests) {
      int i = 0;
      while (i < common.length() && i < r.length() && common.charAt(i) == r.charAt(i)) {
        i++;
      }
      common = common.substring(0, i);
    }
    if (!common.isEmpty()) {
      insert(common);
      repl.out.flush();
      return;
    }
    if (rests.size() > 1) {
      StringBuilder sb = new StringBuilder("\r\n");
      int col = 0;
      for (String r : rests) {
        String item = typed + r;
        if (col > 0 && col + item.length() + 2 > 78) {
          sb.append("\r\n");
          col = 0;
        }
        sb.append(item).append("  ");
        col += item.length() + 2;
      }
      sb.append("\r\n");
      repl.out.print(sb);
      redraw();
    }
  }
}
