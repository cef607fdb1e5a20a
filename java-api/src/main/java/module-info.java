/**
 * uv4j: Java on libuv's real event loop and thread pool.
 *
 * <p>Start with {@link io.uv4j.Loop}.
 */
module io.uv4j {
  exports io.uv4j;
  exports io.uv4j.node;
}
