package io.uv4j;

/**
 * A directory entry from {@link Fs#scandir} or {@link Fs#readdir}: its name and type
 * ({@code uv_dirent_t}).
 *
 * <pre>{@code
 * for (DirEntry e : Fs.scandirSync("/tmp")) {
 *   if (e.type() == DirEntry.Type.DIR) System.out.println(e.name() + "/");
 * }
 * }</pre>
 */
public final class DirEntry {
  /** {@code uv_dirent_type_t}, in libuv's order. */
  public enum Type { UNKNOWN, FILE, DIR, LINK, FIFO, SOCKET, CHAR, BLOCK }

  private final String name;
  private final Type type;

  DirEntry(String name, Type type) {
    this.name = name;
    this.type = type;
  }

  public String name() { return name; }
  public Type type() { return type; }

  @Override
  public String toString() {
    return name + " (" + type + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirEntry && ((DirEntry) o).name.equals(name) && ((DirEntry) o).type == type;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }
}
