package io.uv4j.node;

import java.util.List;
import jdk.jshell.EvalException;
import jdk.jshell.UnresolvedReferenceException;

/** The REPL's texts: help, commands, the prelude of every session, and how values and errors print. */
final class ReplText {
  private ReplText() {}

  static final String HELP = String.join("\n",
      ".break    Sometimes you get stuck, this gets you out",
      ".clear    Break, and also clear the local context",
      ".editor   Enter editor mode",
      ".exit     Exit the REPL",
      ".help     Print this help message",
      ".load     Load Java snippets from a file into the REPL session",
      ".save     Save all evaluated commands in this REPL session to a file",
      "",
      "Press Ctrl+C to abort current expression, Ctrl+D to exit the REPL");

  static final List<String> COMMANDS =
      List.of(".break", ".clear", ".editor", ".exit", ".help", ".load", ".save");

  static final String PRELUDE = String.join("\n",
      "import io.uv4j.node.*;",
      "import java.util.*;",
      "import java.util.function.*;",
      "NodeRuntime node = NodeRuntime.current();",
      "Net net = Net.of(node);",
      "NodeFs fs = NodeFs.of(node);",
      "NodeDns dns = NodeDns.of(node);",
      "NodeChildProcess child_process = NodeChildProcess.of(node);",
      "NodeDgram dgram = NodeDgram.of(node);",
      "Crypto crypto = Crypto.of(node);",
      "Timeout setTimeout(Runnable f, double ms) { return node.setTimeout(f, ms); }",
      "Timeout setInterval(Runnable f, double ms) { return node.setInterval(f, ms); }",
      "Immediate setImmediate(Runnable f) { return node.setImmediate(f); }",
      "void clearTimeout(Timeout t) { node.clearTimeout(t); }",
      "void clearInterval(Timeout t) { node.clearInterval(t); }",
      "void nextTick(Runnable f) { node.nextTick(f); }",
      "void log(Object o) { Repl.log(o); }");

  static String describe(jdk.jshell.JShellException ex) {
    if (ex instanceof EvalException) {
      EvalException ee = (EvalException) ex;
      return ee.getExceptionClassName() + (ee.getMessage() != null ? ": " + ee.getMessage() : "");
    }
    if (ex instanceof UnresolvedReferenceException) {
      return "ReferenceError: " + ((UnresolvedReferenceException) ex).getSnippet().toString();
    }
    return ex.toString();
  }

  /** JShell's value text, Node-style: strings and chars in single quotes. */
  static String format(String value, String type) {
    if (value == null) {
      return "undefined";
    }
    if (("String".equals(type) || "java.lang.String".equals(type) || "char".equals(type)
        || "Character".equals(type)) && value.length() >= 2
        && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
      return "'" + value.substring(1, value.length() - 1) + "'";
    }
    return value;
  }

  /** Replaces each {@code _} token outside literals and comments by the last result's variable. */
  static String rewriteUnderscore(String src, String lastVar) {
    if (lastVar == null || src.indexOf('_') < 0) {
      return src;
    }
    StringBuilder sb = new StringBuilder(src.length());
    int n = src.length();
    int i = 0;
    while (i < n) {
      char c = src.charAt(i);
      if (c == '"' || c == '\'') {
        int j = i + 1;
        if (c == '"' && src.startsWith("\"\"\"", i)) {
          int end = src.indexOf("\"\"\"", i + 3);
          j = end < 0 ? n : end + 3;
        } else {
          while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
            j += src.charAt(j) == '\\' ? 2 : 1;
          }
          j = Math.min(n, j + 1);
        }
        sb.append(src, i, j);
        i = j;
      } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
        int end = src.indexOf('\n', i);
        end = end < 0 ? n : end;
        sb.append(src, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
        int end = src.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        sb.append(src, i, end);
        i = end;
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(src.charAt(j))) {
          j++;
        }
        String word = src.substring(i, j);
        sb.append(word.equals("_") ? lastVar : word);
        i = j;
      } else {
        sb.append(c);
        i++;
      }
    }
    return sb.toString();
  }
}
