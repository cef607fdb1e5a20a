package io.uv4j;

/**
 * {@code uv_os_uname}: the operating system's name, release, version and hardware name, as
 * {@code uname -s}, {@code -r}, {@code -v} and {@code -m} print them on Unix.
 */
public record Uname(String sysname, String release, String version, String machine) {}
