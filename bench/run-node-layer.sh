#!/bin/sh
# The Node-layer benchmarks: each workload run by uv4j's Node layer (one JVM per run) and by Node
# (one process per run), alternating, PAIRS times; output in bench/results/node-layer-*.txt.
# Usage (from the repository root, after `mvn -B -q -pl bench -am package -DskipTests`):
#   sh bench/run-node-layer.sh [pairs] [java] [node]
set -e
PAIRS=${1:-2}
JAVA=${2:-java}
NODE=${3:-node}
JAR=bench/target/benchmarks.jar
OUT=bench/results
mkdir -p "$OUT"
for mode in timers immediate nextTick; do
  f="$OUT/node-layer-$mode.txt"
  : > "$f"
  for pair in $(seq "$PAIRS"); do
    echo "### pair $pair: uv4j" >> "$f"
    "$JAVA" -cp "$JAR" io.uv4j.bench.NodeLayerBench "$mode" >> "$f"
    echo "### pair $pair: node" >> "$f"
    if [ "$mode" = timers ]; then
      "$NODE" bench/node/timers.js >> "$f"
    else
      "$NODE" bench/node/chained.js "$mode" >> "$f"
    fi
  done
  grep -E '^(###|median|uv4j|node v)' "$f"
done
