/**
 * uv4j: Java on libuv's real event loop and thread pool.
 *
 * <p>Start with {@link io.uv4j.Loop}.
 */
module io.uv4j {
  // only io.uv4j.node.Repl uses it: the library runs without jdk.jshell (see Repl's Javadoc)
  requires static jdk.jshell;
  // only io.uv4j.node.NodeProcess.memoryUsage reads it (direct buffer memory; 0 without it)
  requires static java.management;

  exports io.uv4j;
  exports io.uv4j.node;
}
