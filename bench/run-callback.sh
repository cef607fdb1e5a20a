#!/bin/sh
# CallbackBench with every contender in one session, forks interleaved round by round (the
# order rotates), plus the C peer (bench/c/callback_loop.c) between them:
#   JDK 22+ (JAVA_NEW): uv4j on FFM up-calls, uv4j on JNI (-Duv4j.backend=jni), JNA;
#   JDK 17  (JAVA_OLD): uv4j on JNI, JNA.
# Each fork: 3 x 1 s warm-up, 5 x 1 s measurement (JMH). Then bench/summarize-callback.py prints
# medians over the rounds' fork scores with their min..max, and the ratios of the medians.
#
#   sh bench/run-callback.sh [rounds] [out dir]      (from the repository root, after
#   mvn -B -pl bench -am package -DskipTests on JDK 22+, so the jar has the FFM classes)
set -e
rounds=${1:-5}
out=${2:-bench/results/callback-$(date -u +%Y%m%d-%H%M)}
JAVA_NEW=${JAVA_NEW:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA_OLD=${JAVA_OLD:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
jar=bench/target/benchmarks.jar
peer=bench/target/c/callback_loop
mkdir -p "$out"
jmh() { # name java benchmark-regex [jvm args]
  name=$1; java=$2; regex=$3; shift 3
  if [ $# -gt 0 ]; then set -- -jvmArgsAppend "$*"; fi
  "$java" -jar "$jar" "$regex" -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$out/$name-r$r.json" "$@" \
    > "$out/$name-r$r.log" 2>&1
  echo "  $name done ($(cut -d' ' -f1-3 /proc/loadavg))"
}
cpeer() {
  for m in "idle 1" "idle 16" "timers 1"; do
    echo "$m $("$peer" $m 1 5 | tail -1)" >> "$out/c-r$r.txt"
  done
  echo "  c done ($(cut -d' ' -f1-3 /proc/loadavg))"
}
echo "start $(date -u) load $(cat /proc/loadavg)" | tee "$out/session.txt"
r=1
while [ $r -le "$rounds" ]; do
  echo "round $r"
  case $((r % 3)) in
    1) jmh new-ffm "$JAVA_NEW" 'CallbackBench.uv4j'; jmh new-jni "$JAVA_NEW" 'CallbackBench.uv4j' -Duv4j.backend=jni
       jmh new-jna "$JAVA_NEW" 'CallbackBench.jna'; cpeer
       jmh old-jni "$JAVA_OLD" 'CallbackBench.uv4j'; jmh old-jna "$JAVA_OLD" 'CallbackBench.jna' ;;
    2) jmh new-jna "$JAVA_NEW" 'CallbackBench.jna'; jmh old-jni "$JAVA_OLD" 'CallbackBench.uv4j'
       jmh new-ffm "$JAVA_NEW" 'CallbackBench.uv4j'; cpeer; jmh old-jna "$JAVA_OLD" 'CallbackBench.jna'
       jmh new-jni "$JAVA_NEW" 'CallbackBench.uv4j' -Duv4j.backend=jni ;;
    0) jmh old-jna "$JAVA_OLD" 'CallbackBench.jna'; jmh new-jni "$JAVA_NEW" 'CallbackBench.uv4j' -Duv4j.backend=jni
       cpeer; jmh old-jni "$JAVA_OLD" 'CallbackBench.uv4j'; jmh new-jna "$JAVA_NEW" 'CallbackBench.jna'
       jmh new-ffm "$JAVA_NEW" 'CallbackBench.uv4j' ;;
  esac
  r=$((r + 1))
done
echo "end $(date -u) load $(cat /proc/loadavg)" | tee -a "$out/session.txt"
"$JAVA_NEW" -version 2>&1 | head -1 >> "$out/session.txt"
"$JAVA_OLD" -version 2>&1 | head -1 >> "$out/session.txt"
python3 bench/summarize-callback.py "$out" | tee "$out/summary.txt"
