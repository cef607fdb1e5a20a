#!/bin/sh
# The callback cases by CPU time (io.uv4j.bench.CallbackCpu; see its Javadoc), for a machine
# shared with other jobs: each JVM runs uv4j's and JNA's cases alternately; the JVMs (JDK 22+ on
# FFM, JDK 22+ on JNI, JDK 17 on JNI) and the C peer alternate run by run.
#   sh bench/run-callback-cpu.sh [runs] [out dir]        (from the repository root)
set -e
runs=${1:-3}
out=${2:-bench/results/callback-cpu-$(date -u +%Y%m%d-%H%M)}
JAVA_NEW=${JAVA_NEW:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA_OLD=${JAVA_OLD:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
cp=bench/target/benchmarks.jar
mkdir -p "$out"
echo "start $(date -u) load $(cat /proc/loadavg)" | tee "$out/session.txt"
i=1
while [ "$i" -le "$runs" ]; do
  "$JAVA_NEW" --enable-native-access=ALL-UNNAMED -cp $cp io.uv4j.bench.CallbackCpu 7 3 > "$out/new-ffm-r$i.txt" 2>&1
  "$JAVA_OLD" --enable-native-access=ALL-UNNAMED -cp $cp io.uv4j.bench.CallbackCpu 7 3 > "$out/old-jni-r$i.txt" 2>&1
  "$JAVA_OLD" -cp $cp io.uv4j.bench.JniFloor >> "$out/old-jni-r$i.txt" 2>&1 || true
  "$JAVA_NEW" --enable-native-access=ALL-UNNAMED -cp $cp io.uv4j.bench.JniFloor >> "$out/new-jni-r$i.txt.floor" 2>&1 || true
  for m in "idle 1" "idle 16" "timers 1"; do
    echo "$m $(bench/target/c/callback_loop $m 0.3 7 | tail -1)" >> "$out/c-r$i.txt"
  done
  "$JAVA_NEW" --enable-native-access=ALL-UNNAMED -Duv4j.backend=jni -cp $cp io.uv4j.bench.CallbackCpu 7 3 \
    > "$out/new-jni-r$i.txt" 2>&1
  cat "$out/new-jni-r$i.txt.floor" >> "$out/new-jni-r$i.txt" && rm -f "$out/new-jni-r$i.txt.floor"
  echo "run $i done ($(cut -d' ' -f1-3 /proc/loadavg))"
  i=$((i + 1))
done
echo "end $(date -u) load $(cat /proc/loadavg)" | tee -a "$out/session.txt"
python3 - "$out" <<'PY' | tee "$out/summary.txt"
import glob, os, re, statistics, sys
d = sys.argv[1]
v = {}
for f in glob.glob(os.path.join(d, '*-r*.txt')):
    who = os.path.basename(f).rsplit('-r', 1)[0]
    for line in open(f):
        m = re.match(r'RESULT case=(uv4j|jna)(\w+)(?:/(\d+))? cpu_ns=([\d.]+)', line)
        if m:
            case = m.group(2) + ('/' + m.group(3) if m.group(3) else '')
            side = who + ('' if m.group(1) == 'uv4j' else '/jna')
            v.setdefault((side, case), []).append(float(m.group(4)))
        m = re.match(r'RESULT case=jniFloor cpu_ns=([\d.]+)', line)
        if m:
            v.setdefault((who, 'floor'), []).append(float(m.group(1)))
        m = re.match(r'(idle|timers) (\d+) RESULT .*cpu_ns_per_callback=([\d.]+)', line)
        if m:
            case = 'Idle/' + m.group(2) if m.group(1) == 'idle' else 'Timers'
            v.setdefault(('c', case), []).append(float(m.group(3)))
med = lambda k: statistics.median(v[k]) if k in v else float('nan')
print('CPU ns per callback: median over runs of each run\'s median [min..max of the run medians]')
for case in ['Idle/16', 'Idle/1', 'Timers']:
    print(case)
    for side in ['new-ffm', 'new-jni', 'new-ffm/jna', 'new-jni/jna', 'old-jni', 'old-jni/jna', 'c']:
        if (side, case) in v:
            x = v[(side, case)]
            print('  %-12s %8.1f [%.1f..%.1f] n=%d' % (side, med((side, case)), min(x), max(x), len(x)))
    jna_new = statistics.median(v.get(('new-ffm/jna', case), []) + v.get(('new-jni/jna', case), []))
    print('  ratios: new JNA/FFM %.2f, new JNA/JNI %.2f, new JNI/FFM %.2f, 17 JNA/JNI %.2f, bound JNA/C new %.2f, 17 %.2f' % (
        jna_new / med(('new-ffm', case)), jna_new / med(('new-jni', case)), med(('new-jni', case)) / med(('new-ffm', case)),
        med(('old-jni/jna', case)) / med(('old-jni', case)), jna_new / med(('c', case)), med(('old-jni/jna', case)) / med(('c', case))))
    # The callback's own cost: what each side costs over the C program on the same loop.
    c = med(('c', case))
    print('  over C (the crossing alone): new JNA/FFM %.2f, new JNA/JNI %.2f, 17 JNA/JNI %.2f' % (
        (jna_new - c) / (med(('new-ffm', case)) - c), (jna_new - c) / (med(('new-jni', case)) - c),
        (med(('old-jni/jna', case)) - c) / (med(('old-jni', case)) - c)))
for who in ['old-jni', 'new-jni']:
    if (who, 'floor') in v:
        print('bare JNI up-call (JniFloor), %s: %.1f ns' % ('JDK 17' if who == 'old-jni' else 'newer JDK', med((who, 'floor'))))
PY
