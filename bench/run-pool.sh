#!/bin/sh
# Issue #11's benchmarks in one command, each against its C libuv peer in the same run:
#   work round trips, fs.stat round trips (WorkRoundTrip, C peer bench/c/work_roundtrip.c),
#   10^6 core Timers (MillionTimers, C peer bench/c/million_timers.c),
#   the JNI callback cost vs JNA (CallbackBench, JMH),
#   and the loop-thread allocation tests (java-api's PoolAllocationTest, TimerAllocationTest).
# Output: bench/results/pool-<name>.txt; a summary of the ratios at the end.
# Usage (from the repository root): sh bench/run-pool.sh [rounds] [java]
# Takes ~10 min with the defaults on a 2-vCPU machine; run it on a quiet machine.
set -e
ROUNDS=${1:-9}
JAVA=${2:-java}
JAR=bench/target/benchmarks.jar
OUT=bench/results
mkdir -p "$OUT"
mvn -B -q -pl bench -am package -DskipTests
J="$JAVA --enable-native-access=ALL-UNNAMED -cp $JAR"
STAT_FILE=$(mktemp)
echo x > "$STAT_FILE"
$J io.uv4j.bench.WorkRoundTrip "$ROUNDS" 8 100000 64 | tee "$OUT/pool-work.txt"
$J -Dop=stat -Dstat.path="$STAT_FILE" io.uv4j.bench.WorkRoundTrip "$ROUNDS" 8 100000 64 | tee "$OUT/pool-stat.txt"
rm -f "$STAT_FILE"
$J -Donly=uv4j,C io.uv4j.bench.MillionTimers "$ROUNDS" 2 | tee "$OUT/pool-timers.txt"
$JAVA -jar "$JAR" CallbackBench -f 1 -wi 3 -i 5 | tee "$OUT/pool-callback.txt"
mvn -B -q -pl java-api surefire:test -Dtest=PoolAllocationTest,TimerAllocationTest | tee "$OUT/pool-allocation.txt"
echo
echo "== summary (same-run ratios)"
grep -h "uv4j / C libuv" "$OUT/pool-work.txt" | sed 's/^/work:   /'
grep -h "uv4j / C libuv" "$OUT/pool-stat.txt" | sed 's/^/stat:   /'
grep -h "ratio uv4j/C libuv" "$OUT/pool-timers.txt" | sed 's/^/timers: /'
grep -E "^CallbackBench|Idle|Timers" "$OUT/pool-callback.txt" | tail -8
echo "allocation test: $(grep -c . "$OUT/pool-allocation.txt") lines of output (none means it passed)"
