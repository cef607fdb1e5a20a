package io.uv4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal ELF reader (32/64-bit, either byte order), enough to check what a shared library
 * needs and exports without external tools: its {@code DT_NEEDED} entries, its defined global
 * dynamic symbols and the symbol versions it requires ({@code .gnu.version_r}).
 */
final class Elf {
  private static final int SHT_DYNAMIC = 6;
  private static final int SHT_DYNSYM = 11;
  private static final int SHT_GNU_VERNEED = 0x6ffffffe;
  private static final int DT_NULL = 0;
  private static final int DT_NEEDED = 1;

  private final ByteBuffer b;
  private final boolean is64;
  private final List<long[]> sections = new ArrayList<>(); // {type, offset, size, link, entsize}

  Elf(byte[] bytes) {
    if (bytes.length < 52 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
      throw new IllegalArgumentException("not an ELF file");
    }
    is64 = bytes[4] == 2;
    b = ByteBuffer.wrap(bytes).order(bytes[5] == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    long shoff = is64 ? b.getLong(0x28) : u32(0x20);
    int shentsize = u16(is64 ? 0x3a : 0x2e);
    int shnum = u16(is64 ? 0x3c : 0x30);
    for (int i = 0; i < shnum; i++) {
      int s = (int) (shoff + (long) i * shentsize);
      long type = u32(s + 4);
      long offset = is64 ? b.getLong(s + 0x18) : u32(s + 0x10);
      long size = is64 ? b.getLong(s + 0x20) : u32(s + 0x14);
      long link = u32(s + (is64 ? 0x28 : 0x18));
      long entsize = is64 ? b.getLong(s + 0x38) : u32(s + 0x24);
      sections.add(new long[] {type, offset, size, link, entsize});
    }
  }

  /** The {@code DT_NEEDED} entries of the dynamic section: the libraries the loader must find. */
  List<String> needed() {
    List<String> out = new ArrayList<>();
    for (long[] s : sections) {
      if (s[0] != SHT_DYNAMIC) {
        continue;
      }
      long[] strtab = sections.get((int) s[3]);
      int ent = is64 ? 16 : 8;
      for (long off = s[1]; off + ent <= s[1] + s[2]; off += ent) {
        long tag = is64 ? b.getLong((int) off) : b.getInt((int) off);
        long val = is64 ? b.getLong((int) off + 8) : u32((int) off + 4);
        if (tag == DT_NULL) {
          break;
        }
        if (tag == DT_NEEDED) {
          out.add(string(strtab[1] + val));
        }
      }
    }
    return out;
  }

  /** Names of the global or weak, defined, default- or protected-visibility dynamic symbols. */
  List<String> exportedSymbols() {
    List<String> out = new ArrayList<>();
    for (long[] s : sections) {
      if (s[0] != SHT_DYNSYM) {
        continue;
      }
      long[] strtab = sections.get((int) s[3]);
      int ent = is64 ? 24 : 16;
      for (long off = s[1] + ent; off + ent <= s[1] + s[2]; off += ent) { // entry 0 is the null symbol
        int o = (int) off;
        long name = u32(o);
        int info = b.get(o + (is64 ? 4 : 12)) & 0xff;
        int other = b.get(o + (is64 ? 5 : 13)) & 0xff;
        int shndx = u16(o + (is64 ? 6 : 14));
        int bind = info >> 4;
        int visibility = other & 3;
        if (shndx != 0 && (bind == 1 || bind == 2) && (visibility == 0 || visibility == 3)) {
          out.add(string(strtab[1] + name));
        }
      }
    }
    return out;
  }

  /** The version names this file requires of other libraries, e.g. {@code GLIBC_2.17}. */
  List<String> requiredVersions() {
    List<String> out = new ArrayList<>();
    for (long[] s : sections) {
      if (s[0] != SHT_GNU_VERNEED) {
        continue;
      }
      long[] strtab = sections.get((int) s[3]);
      long need = s[1];
      while (true) {
        int cnt = u16((int) need + 2);
        long aux = need + u32((int) need + 8);
        for (int i = 0; i < cnt; i++) {
          out.add(string(strtab[1] + u32((int) aux + 8)));
          long next = u32((int) aux + 12);
          if (next == 0) {
            break;
          }
          aux += next;
        }
        long nextNeed = u32((int) need + 12);
        if (nextNeed == 0) {
          break;
        }
        need += nextNeed;
      }
    }
    return out;
  }

  /** The highest {@code GLIBC_x.y[.z]} version required, or null when none is. */
  String glibcFloor() {
    String best = null;
    for (String v : requiredVersions()) {
      if (v.startsWith("GLIBC_") && Character.isDigit(v.charAt(6))
          && (best == null || compareVersions(v.substring(6), best.substring(6)) > 0)) {
        best = v;
      }
    }
    return best;
  }

  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int p = i < x.length ? Integer.parseInt(x[i]) : 0;
      int q = i < y.length ? Integer.parseInt(y[i]) : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    return 0;
  }

  private String string(long offset) {
    int start = (int) offset;
    int end = start;
    while (b.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - start];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = b.get(start + i);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private long u32(int offset) {
    return b.getInt(offset) & 0xffffffffL;
  }

  private int u16(int offset) {
    return b.getShort(offset) & 0xffff;
  }
}
