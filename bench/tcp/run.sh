#!/bin/sh
# The TCP comparison (bench/README.md, "TCP comparison"): builds the bench jar (with java-api
# and its native library), the C echo server and load generator, then runs every server through
# every scenario and writes bench/results/tcp-compare-<date>.txt and bench/results/tcp-compare.svg.
#
#   bench/tcp/run.sh [options of io.uv4j.bench.tcp.TcpCompare, e.g. --reps 5 --servers c-try,uv4j]
#
# JAVA=/path/to/java picks the JVM of the driver and of the Java servers (default: java on PATH).
# Linux only (epoll, taskset, /proc); needs cmake, a C compiler, libuv's headers, Maven; node optional.
set -eu
cd "$(dirname "$0")/../.."
JAVA=${JAVA:-java}

mvn -B -q -pl bench -am package -DskipTests
cmake -S bench/c/tcp -B bench/target/c-tcp -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build bench/target/c-tcp > /dev/null

exec "$JAVA" -cp bench/target/benchmarks.jar io.uv4j.bench.tcp.TcpCompare --java "$JAVA" \
  --bin bench/target/c-tcp --node-script bench/node/echo.js --out bench/results "$@"
