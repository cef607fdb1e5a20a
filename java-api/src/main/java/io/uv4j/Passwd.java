package io.uv4j;

/**
 * A user's entry in the password database ({@code uv_os_get_passwd}): on Unix what
 * {@code getent passwd <user>} prints.
 *
 *
 * <pre>{@code
 * Passwd me = Uv.passwd();
 * System.out.println(me.username() + " (" + me.uid() + ") lives in " + me.homeDir());
 * }</pre>
 *
 * @param username the login name
 * @param uid the user id; -1 on Windows
 * @param gid the primary group id; -1 on Windows
 * @param shell the login shell; null on Windows
 * @param homeDir the home directory
 */
public record Passwd(String username, long uid, long gid, String shell, String homeDir) {}
