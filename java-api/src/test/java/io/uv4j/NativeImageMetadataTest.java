package io.uv4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * GraalVM native-image metadata ({@code META-INF/native-image/io.uv4j/uv4j/jni-config.json})
 * cannot drift from the C shim: the test reads every class, method and field the C sources reach
 * through JNI (uvj_register tables, uvj_class_ref, uvj_method_id, FindClass with
 * GetMethodID/GetStaticMethodID/GetFieldID, and the exception classes uvj_throw raises) and
 * requires the metadata to list exactly those; and each entry must exist in the Java classes.
 */
class NativeImageMetadataTest {
  private static final Path SOURCES = Path.of("..", "native", "src");
  private static final String METADATA = "/META-INF/native-image/io.uv4j/uv4j/jni-config.json";
  private static final String RESOURCES = "/META-INF/native-image/io.uv4j/uv4j/resource-config.json";

  /** One entry per class, member or constructor: "C", "C#field", "C.method(paramTypes)". */
  static TreeSet<String> fromSources() throws Exception {
    TreeSet<String> out = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(SOURCES)) {
      files = s.filter(p -> p.toString().endsWith(".c")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "C sources under " + SOURCES.toAbsolutePath());
    Pattern classLiteral = Pattern.compile(
        "(?:uvj_register|uvj_class_ref|\\(\\*env\\)->FindClass)\\(env,\\s*\"([^\"]+)\"");
    // uvj_throw(env, "C", ...) or uvj_throw(env, cond ? "C1" : "C2", ...)
    Pattern throwCall = Pattern.compile(
        "uvj_throw\\(env,\\s*(?:\\w+\\s*\\?\\s*)?\"([^\"]+)\"(?:\\s*:\\s*\"([^\"]+)\")?");
    Pattern methodId = Pattern.compile("uvj_method_id\\(env,\\s*\"([^\"]+)\",\\s*\"([^\"]+)\",\\s*\"([^\"]+)\"\\)");
    Pattern classAssign = Pattern.compile(
        "([A-Za-z_][\\w.]*)\\s*=\\s*(?:\\([^;()]*\\)\\s*)?(?:[^;=]*\\?\\s*)?(?:\\(\\*env\\)->FindClass|uvj_class_ref)\\(env,\\s*\"([^\"]+)\"\\)");
    Pattern memberId = Pattern.compile(
        "\\(\\*env\\)->Get(Static)?(Method|Field)ID\\(env,\\s*([A-Za-z_][\\w.]*),\\s*\"([^\"]+)\",\\s*\"([^\"]+)\"");
    for (Path f : files) {
      String text = expandMacros(Files.readString(f));
      Matcher m = classLiteral.matcher(text);
      while (m.find()) {
        out.add(javaName(m.group(1)));
      }
      int throwsSeen = 0;
      m = throwCall.matcher(text);
      while (m.find()) {
        throwsSeen++; // FindClass, then ThrowNew, which uses the (String) constructor
        for (int g = 1; g <= 2; g++) {
          if (m.group(g) != null) {
            out.add(javaName(m.group(g)));
            out.add(javaName(m.group(g)) + ".<init>(java.lang.String)");
          }
        }
      }
      int throwCalls = text.split("uvj_throw\\(env,", -1).length - 1;
      assertEquals(throwCalls, throwsSeen, f.getFileName() + ": a uvj_throw call whose class this test cannot read");
      m = methodId.matcher(text);
      while (m.find()) {
        out.add(javaName(m.group(1)));
        out.add(javaName(m.group(1)) + "." + m.group(2) + "(" + params(m.group(3)) + ")");
      }
      // FindClass/uvj_class_ref results by variable, then the member IDs taken from them.
      List<int[]> at = new ArrayList<>();
      List<String[]> vars = new ArrayList<>();
      m = classAssign.matcher(text);
      while (m.find()) {
        at.add(new int[] {m.start()});
        vars.add(new String[] {m.group(1), m.group(2)});
      }
      m = memberId.matcher(text);
      while (m.find()) {
        String cls = null;
        for (int i = 0; i < vars.size(); i++) {
          if (at.get(i)[0] < m.start() && vars.get(i)[0].equals(m.group(3))) {
            cls = vars.get(i)[1];
          }
        }
        assertNotNull(cls, f.getFileName() + ": cannot tell which class '" + m.group(3) + "' is in " + m.group());
        String c = javaName(cls);
        out.add(c);
        out.add(m.group(2).equals("Field") ? c + "#" + m.group(4) : c + "." + m.group(4) + "(" + params(m.group(5)) + ")");
      }
    }
    return out;
  }

  /** Expands the file's function-like macros at their invocations (the loop watchers' table). */
  static String expandMacros(String text) {
    String joined = text.replace("\\\n", " ");
    Pattern define = Pattern.compile("(?m)^#define\\s+(\\w+)\\(([^)]*)\\)(.*)$");
    Matcher d = define.matcher(joined);
    StringBuilder extra = new StringBuilder();
    String stripped = joined;
    while (d.find()) {
      String name = d.group(1);
      String[] params = d.group(2).split("\\s*,\\s*");
      String body = d.group(3);
      stripped = stripped.replace(d.group(), "");
      Matcher call = Pattern.compile("(?m)^" + name + "\\(([^)]*)\\)").matcher(joined);
      while (call.find()) {
        String[] args = call.group(1).split("\\s*,\\s*");
        String b = body;
        for (int i = 0; i < params.length; i++) {
          b = b.replaceAll("#\\s*" + Pattern.quote(params[i].trim()) + "\\b", "\"" + args[i].trim() + "\"");
          b = b.replaceAll("\\b" + Pattern.quote(params[i].trim()) + "\\b", args[i].trim());
        }
        extra.append(b.replaceAll("\"\\s*\"", "")).append('\n');
      }
    }
    return stripped + "\n" + extra;
  }

  static String javaName(String jni) {
    return jni.startsWith("[") ? jni : jni.replace('/', '.');
  }

  /** JNI signature "(I[BLjava/lang/String;)V" to "int,byte[],java.lang.String". */
  static String params(String sig) {
    List<String> out = new ArrayList<>();
    int i = 1;
    while (sig.charAt(i) != ')') {
      int dims = 0;
      while (sig.charAt(i) == '[') {
        dims++;
        i++;
      }
      String t;
      char c = sig.charAt(i);
      if (c == 'L') {
        int end = sig.indexOf(';', i);
        t = sig.substring(i + 1, end).replace('/', '.');
        i = end + 1;
      } else {
        t = switch (c) {
          case 'Z' -> "boolean";
          case 'B' -> "byte";
          case 'C' -> "char";
          case 'S' -> "short";
          case 'I' -> "int";
          case 'J' -> "long";
          case 'F' -> "float";
          case 'D' -> "double";
          default -> throw new IllegalArgumentException(sig);
        };
        i++;
      }
      out.add(t + "[]".repeat(dims));
    }
    return String.join(",", out);
  }

  /** The same entries, from the shipped jni-config.json. */
  @SuppressWarnings("unchecked")
  static TreeSet<String> fromMetadata() throws Exception {
    TreeSet<String> out = new TreeSet<>();
    try (InputStream in = NativeImageMetadataTest.class.getResourceAsStream(METADATA)) {
      assertNotNull(in, METADATA + " must be on the class path (java-api/src/main/resources)");
      List<Object> classes = (List<Object>) new Json(new String(in.readAllBytes(), StandardCharsets.UTF_8)).value();
      for (Object o : classes) {
        Map<String, Object> c = (Map<String, Object>) o;
        String name = (String) c.get("name");
        out.add(name);
        for (Object f : (List<Object>) c.getOrDefault("fields", List.of())) {
          out.add(name + "#" + ((Map<String, Object>) f).get("name"));
        }
        for (Object mo : (List<Object>) c.getOrDefault("methods", List.of())) {
          Map<String, Object> m = (Map<String, Object>) mo;
          out.add(name + "." + m.get("name") + "(" + String.join(",", (List<String>) (List<?>) m.get("parameterTypes")) + ")");
        }
      }
    }
    return out;
  }

  @Test
  void metadataListsExactlyWhatTheShimReaches() throws Exception {
    TreeSet<String> sources = fromSources();
    TreeSet<String> metadata = fromMetadata();
    TreeSet<String> missing = new TreeSet<>(sources);
    missing.removeAll(metadata);
    TreeSet<String> extra = new TreeSet<>(metadata);
    extra.removeAll(sources);
    assertTrue(missing.isEmpty() && extra.isEmpty(),
        "jni-config.json is out of date.\n  missing (reached by the C shim): " + missing
            + "\n  extra (no longer reached): " + extra + "\n  expected file:\n" + render(sources));
    assertTrue(sources.contains("io.uv4j.Loop.onTimer(int)"), "the parser sees the cached upcalls");
    assertTrue(sources.contains("io.uv4j.Idle.onIdle()"), "and the ones the loop-watcher macro declares");
    // The shim caches no field ID since DNS requests are known by their table index (the last
    // one was DnsRequest#address); the parser still reads "GetFieldID" as a "C#field" entry.
  }

  @Test
  void theLibraryInTheJarIsARegisteredResource() throws Exception {
    // NativeLibrary reads META-INF/native/<platform>/<library> with getResourceAsStream.
    try (InputStream in = getClass().getResourceAsStream(RESOURCES)) {
      assertNotNull(in, RESOURCES);
      String config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String pattern = "\\QMETA-INF/native/\\E.*";
      assertTrue(config.contains(pattern.replace("\\", "\\\\")), config);
      assertTrue(("META-INF/native/" + NativeLibrary.platform() + "/" + System.mapLibraryName("uv4j")).matches(pattern));
    }
  }

  @Test
  void everyEntryExistsInTheJavaClasses() throws Exception {
    for (String e : fromMetadata()) {
      int hash = e.indexOf('#');
      int dot = e.indexOf('(') < 0 ? -1 : e.lastIndexOf('.', e.indexOf('('));
      String cls = hash >= 0 ? e.substring(0, hash) : dot >= 0 ? e.substring(0, dot) : e;
      Class<?> c = Class.forName(cls, false, getClass().getClassLoader());
      if (hash >= 0) {
        Field f = c.getDeclaredField(e.substring(hash + 1));
        assertNotNull(f);
      } else if (dot >= 0) {
        String name = e.substring(dot + 1, e.indexOf('('));
        String ps = e.substring(e.indexOf('(') + 1, e.length() - 1);
        List<Class<?>> types = new ArrayList<>();
        for (String p : ps.isEmpty() ? new String[0] : ps.split(",")) {
          types.add(type(p));
        }
        Class<?>[] t = types.toArray(new Class<?>[0]);
        if (name.equals("<init>")) {
          assertNotNull(c.getDeclaredConstructor(t), e);
        } else {
          Method m = findMethod(c, name, t);
          assertNotNull(m, e);
        }
      }
    }
  }

  private static Method findMethod(Class<?> c, String name, Class<?>[] t) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      try {
        return k.getDeclaredMethod(name, t);
      } catch (NoSuchMethodException ignored) {
        // look in the superclass, as GetMethodID does
      }
    }
    return null;
  }

  private static Class<?> type(String p) throws ClassNotFoundException {
    if (p.endsWith("[]")) {
      return type(p.substring(0, p.length() - 2)).arrayType();
    }
    Map<String, Class<?>> prim = Map.of("boolean", boolean.class, "byte", byte.class, "char", char.class,
        "short", short.class, "int", int.class, "long", long.class, "float", float.class, "double", double.class);
    return prim.containsKey(p) ? prim.get(p) : Class.forName(p, false, NativeImageMetadataTest.class.getClassLoader());
  }

  /** The jni-config.json for a set of entries (printed when the file is out of date). */
  static String render(TreeSet<String> entries) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    Map<String, List<String[]>> methods = new HashMap<>();
    for (String e : entries) {
      int hash = e.indexOf('#');
      int paren = e.indexOf('(');
      if (hash >= 0) {
        fields.computeIfAbsent(e.substring(0, hash), k -> new ArrayList<>()).add(e.substring(hash + 1));
      } else if (paren >= 0) {
        int dot = e.lastIndexOf('.', paren);
        methods.computeIfAbsent(e.substring(0, dot), k -> new ArrayList<>())
            .add(new String[] {e.substring(dot + 1, paren), e.substring(paren + 1, e.length() - 1)});
      }
    }
    StringBuilder sb = new StringBuilder("[\n");
    List<String> classes = entries.stream().filter(e -> e.indexOf('#') < 0 && e.indexOf('(') < 0).toList();
    for (int i = 0; i < classes.size(); i++) {
      String c = classes.get(i);
      sb.append("  {\n    \"name\": \"").append(c).append('"');
      if (fields.containsKey(c)) {
        sb.append(",\n    \"fields\": [");
        List<String> fs = fields.get(c);
        for (int j = 0; j < fs.size(); j++) {
          sb.append(j == 0 ? "" : ", ").append("{ \"name\": \"").append(fs.get(j)).append("\" }");
        }
        sb.append(']');
      }
      if (methods.containsKey(c)) {
        sb.append(",\n    \"methods\": [\n");
        List<String[]> ms = methods.get(c);
        for (int j = 0; j < ms.size(); j++) {
          sb.append("      { \"name\": \"").append(ms.get(j)[0]).append("\", \"parameterTypes\": [");
          String ps = ms.get(j)[1];
          if (!ps.isEmpty()) {
            sb.append('"').append(ps.replace(",", "\", \"")).append('"');
          }
          sb.append("] }").append(j + 1 < ms.size() ? ",\n" : "\n");
        }
        sb.append("    ]");
      }
      sb.append("\n  }").append(i + 1 < classes.size() ? ",\n" : "\n");
    }
    return sb.append("]\n").toString();
  }

  /** Just enough JSON for the metadata file: objects, arrays, strings. */
  private static final class Json {
    private final String s;
    private int i;

    Json(String s) {
      this.s = s;
    }

    Object value() {
      skip();
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        skip();
        if (s.charAt(i) == '}') {
          i++;
          return m;
        }
        while (true) {
          skip();
          String k = string();
          skip();
          expect(':');
          m.put(k, value());
          skip();
          if (s.charAt(i++) == '}') {
            return m;
          }
        }
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        skip();
        if (s.charAt(i) == ']') {
          i++;
          return l;
        }
        while (true) {
          l.add(value());
          skip();
          if (s.charAt(i++) == ']') {
            return l;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      throw new IllegalArgumentException("unexpected " + c + " at " + i);
    }

    private String string() {
      expect('"');
      int end = s.indexOf('"', i);
      String v = s.substring(i, end);
      i = end + 1;
      return v;
    }

    private void expect(char c) {
      if (s.charAt(i++) != c) {
        throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
      }
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }
}
