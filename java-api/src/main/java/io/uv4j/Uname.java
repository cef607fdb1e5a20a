package io.uv4j;

/**
 * {@code uv_os_uname}: the operating system's name, release, version and hardware name, as
 * {@code uname -s}, {@code -r}, {@code -v} and {@code -m} print them on Unix.
 *
 * <pre>{@code
 * Uname u = Uv.uname();
 * System.out.println(u.sysname() + " " + u.release() + " " + u.machine());   // Linux 6.1.0 x86_64
 * }</pre>
 */
public record Uname(String sysname, String release, String version, String machine) {}
