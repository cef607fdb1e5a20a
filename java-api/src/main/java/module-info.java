/**
 * uv4j: Java on libuv's real event loop and thread pool.
 *
 * <p>Start with {@link io.uv4j.Loop}.
 */
module io.uv4j {
  // only io.uv4j.node.Repl uses it: the library runs without jdk.jshell (see Repl's Javadoc)
  requires static jdk.jshell;

  exports io.uv4j;
  exports io.uv4j.node;
}
