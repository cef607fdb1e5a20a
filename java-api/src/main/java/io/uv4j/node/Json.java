package io.uv4j.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and parser for the values IPC messages carry (Node's default
 * {@code 'json'} serialization of {@code child_process} channels): {@code null},
 * {@link Boolean}, {@link Number}, {@link String}, {@link List} (also arrays of objects) and
 * {@link Map} with string keys. {@link #stringify} writes what {@code JSON.stringify} writes for
 * the same value (key order kept, integral numbers without a fraction, non-ASCII characters
 * unescaped); {@link #parse} reads RFC 8259 JSON into {@code null}, {@link Boolean},
 * {@link Long} (integers that fit) or {@link Double}, {@link String}, {@link ArrayList} and
 * {@link LinkedHashMap}.
 *
 * <pre>{@code
 * String text = Json.stringify(Map.of("n", 1, "list", List.of("a", true)));
 * Map<?, ?> back = (Map<?, ?>) Json.parse("{\"n\":1,\"list\":[\"a\",true]}");
 * long n = (Long) back.get("n"); // 1
 * }</pre>
 */
public final class Json {
  private Json() {}

  /**
   * {@code JSON.stringify(value)}.
   *
   * @throws IllegalArgumentException for a value that is not JSON-serialisable (another type,
   *     a map key that is not a string, a cycle)
   */
  public static String stringify(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int depth) {
    if (depth > 1000) {
      throw new IllegalArgumentException("value too deep (a cycle?)");
    }
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Number) {
      writeNumber(sb, (Number) v);
    } else if (v instanceof CharSequence || v instanceof Character) {
      writeString(sb, v.toString());
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("JSON object keys are strings: " + e.getKey());
        }
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, (String) e.getKey());
        sb.append(':');
        write(sb, e.getValue(), depth + 1);
      }
      sb.append('}');
    } else if (v instanceof Iterable) {
      sb.append('[');
      boolean first = true;
      for (Object o : (Iterable<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, o, depth + 1);
      }
      sb.append(']');
    } else if (v instanceof Object[]) {
      write(sb, java.util.Arrays.asList((Object[]) v), depth);
    } else {
      throw new IllegalArgumentException("not JSON-serialisable: " + v.getClass().getName());
    }
  }

  private static void writeNumber(StringBuilder sb, Number n) {
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null"); // as JSON.stringify
      } else if (d == Math.rint(d) && Math.abs(d) < 1e21) {
        if (d == 0) {
          sb.append('0');
        } else {
          sb.append(new java.math.BigDecimal(d).toBigInteger());
        }
      } else {
        String s = Double.toString(d);
        // Java writes 1.0E-7 where JavaScript writes 1e-7
        int e = s.indexOf('E');
        if (e >= 0) {
          String mant = s.substring(0, e);
          if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
          }
          String exp = s.substring(e + 1);
          s = mant + "e" + (exp.startsWith("-") ? exp : "+" + exp);
        }
        sb.append(s);
      }
    } else {
      sb.append(n);
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          if (c < 0x20 || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /**
   * {@code JSON.parse(text)}.
   *
   * @throws IllegalArgumentException naming the position of the first syntax error
   */
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.ws();
    Object v = p.value(0);
    p.ws();
    if (p.i != text.length()) {
      throw p.error("unexpected data after the value");
    }
    return v;
  }

  private static final class Parser {
    final String s;
    int i;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("JSON: " + what + " at position " + i);
    }

    void ws() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          i++;
        } else {
          break;
        }
      }
    }

    Object value(int depth) {
      if (depth > 1000) {
        throw error("nesting too deep");
      }
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{': {
          i++;
          Map<String, Object> m = new LinkedHashMap<>();
          ws();
          if (peek('}')) {
            i++;
            return m;
          }
          while (true) {
            ws();
            if (!peek('"')) {
              throw error("expected a string key");
            }
            String k = string();
            ws();
            expect(':');
            ws();
            m.put(k, value(depth + 1));
            ws();
            if (peek(',')) {
              i++;
            } else {
              expect('}');
              return m;
            }
          }
        }
        case '[': {
          i++;
          List<Object> l = new ArrayList<>();
          ws();
          if (peek(']')) {
            i++;
            return l;
          }
          while (true) {
            ws();
            l.add(value(depth + 1));
            ws();
            if (peek(',')) {
              i++;
            } else {
              expect(']');
              return l;
            }
          }
        }
        case '"':
          return string();
        case 't':
          word("true");
          return Boolean.TRUE;
        case 'f':
          word("false");
          return Boolean.FALSE;
        case 'n':
          word("null");
          return null;
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw error("unexpected character '" + c + "'");
      }
    }

    boolean peek(char c) {
      return i < s.length() && s.charAt(i) == c;
    }

    void expect(char c) {
      if (!peek(c)) {
        throw error("expected '" + c + "'");
      }
      i++;
    }

    void word(String w) {
      if (!s.startsWith(w, i)) {
        throw error("expected " + w);
      }
      i += w.length();
    }

    Object number() {
      int start = i;
      if (peek('-')) {
        i++;
      }
      if (peek('0')) {
        i++;
      } else if (i < s.length() && s.charAt(i) >= '1' && s.charAt(i) <= '9') {
        digits();
      } else {
        throw error("bad number");
      }
      boolean integral = true;
      if (peek('.')) {
        integral = false;
        i++;
        if (digits() == 0) {
          throw error("bad number");
        }
      }
      if (peek('e') || peek('E')) {
        integral = false;
        i++;
        if (peek('+') || peek('-')) {
          i++;
        }
        if (digits() == 0) {
          throw error("bad number");
        }
      }
      String t = s.substring(start, i);
      if (integral && t.length() < 19) {
        return Long.parseLong(t);
      }
      return Double.parseDouble(t);
    }

    int digits() {
      int n = 0;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
        n++;
      }
      return n;
    }

    String string() {
      i++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw error("control character in string");
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"': sb.append('"'); break;
          case '\\': sb.append('\\'); break;
          case '/': sb.append('/'); break;
          case 'b': sb.append('\b'); break;
          case 'f': sb.append('\f'); break;
          case 'n': sb.append('\n'); break;
          case 'r': sb.append('\r'); break;
          case 't': sb.append('\t'); break;
          case 'u':
            if (i + 4 > s.length()) {
              throw error("bad \\u escape");
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException x) {
              throw error("bad \\u escape");
            }
            i += 4;
            break;
          default:
            throw error("bad escape \\" + e);
        }
      }
    }
  }
}
