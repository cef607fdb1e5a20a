#!/bin/sh
# User-space instructions per round trip (ping-pong) or per MB (pump) of the echo servers of the
# TCP comparison, counted by valgrind's callgrind: exact and unmoved by other load, unlike time
# (bench/README.md, "TCP: counts per operation"). Use where the CPU's counters are not available
# to perf (VMs). Kernel work (the syscalls themselves) is not counted: compare syscalls per
# operation with counts.sh, which are the same for every server.
#
#   bench/tcp/instructions.sh [--servers c-try,uv4j] [--scenarios pingpong/1,pingpong/100,pump/10]
#                             [--warmup SEC] [--duration SEC] [--top N]
#
# Each server starts under callgrind pinned to CPU 1 (load generator on CPU 0), is driven for
# --warmup seconds (the JIT compiles the hot path; default 40), then the counters are zeroed,
# the load generator runs --duration seconds (default 10) and the counters are dumped.
# Instructions of every thread count (JIT compiler threads included: a long warm-up keeps them
# out of the window). Under valgrind a server runs slower, so more events come per epoll_wait than
# in TcpCompare: compare servers with each other here, not with a TcpCompare run. --top N also
# prints the N functions with the most instructions per operation (needs python3; JIT-compiled
# Java shows as ???). "uv4j-base" runs the jar in BASE_JAR (another build, for before/after).
# JAVA picks the JVM, JAVA_OPTS adds options (e.g. -Duv4j.backend=jni). Needs valgrind and the
# binaries bench/tcp/run.sh builds.
set -eu
cd "$(dirname "$0")/../.."
JAVA=${JAVA:-java}
SERVERS=c-try,uv4j
SCENARIOS=pingpong/1,pingpong/100,pump/10
WARMUP=40
DURATION=10
TOP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) SERVERS=$2 ;;
    --scenarios) SCENARIOS=$2 ;;
    --warmup) WARMUP=$2 ;;
    --duration) DURATION=$2 ;;
    --top) TOP=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
BIN=${BIN:-bench/target/c-tcp} # the C programs (BIN=dir: another build of them)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
VG="valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=$TMP/cg.%p"
port=$((20000 + $$ % 20000))
echo "server scenario ops unit instructions_per_op"
for sc in $(echo "$SCENARIOS" | tr , ' '); do
  mode=${sc%/*} conns=${sc#*/}
  for server in $(echo "$SERVERS" | tr , ' '); do
    port=$((port + 1))
    : > "$TMP/server.out"
    rm -f "$TMP"/cg.*
    case "$server" in
      c-try) taskset -c 1 $VG "$BIN/tcp_echo_server" "$port" try > "$TMP/server.out" 2>&1 & ;;
      uv4j) taskset -c 1 $VG "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
          io.uv4j.bench.tcp.UvEchoServer "$port" > "$TMP/server.out" 2>&1 & ;;
      uv4j-base) taskset -c 1 $VG "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "${BASE_JAR:?set BASE_JAR}" \
          io.uv4j.bench.tcp.UvEchoServer "$port" > "$TMP/server.out" 2>&1 & ;;
      *) echo "unknown server $server" >&2; exit 2 ;;
    esac
    i=0
    until grep -q '^listening' "$TMP/server.out"; do
      i=$((i + 1)); [ $i -lt 300 ] || { cat "$TMP/server.out"; exit 1; }
      sleep 1
    done
    pid=$(grep -o '^==[0-9]*==' "$TMP/server.out" | head -1 | tr -d =)
    lg="taskset -c 0 $BIN/tcp_loadgen --port $port --mode $mode --conns $conns --warmup 0"
    $lg --duration "$WARMUP" > /dev/null
    callgrind_control -z "$pid" > /dev/null 2>&1
    $lg --duration "$DURATION" > "$TMP/lg.out"
    callgrind_control -d "$pid" > /dev/null 2>&1
    kill "$pid"; wait "$pid" 2>/dev/null || true
    dump=$(ls "$TMP"/cg.*.1 | head -1)
    awk -v server="$server" -v sc="$sc" '
      FNR == NR { if ($1 == "result") for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }; next }
      /^summary:/ { ir = $2 }
      END {
        if (sc ~ /^pump/) { ops = r["bytes"] / 1e6; unit = "MB" } else { ops = r["round_trips"]; unit = "rt" }
        printf "%s %s %.0f %s %.0f\n", server, sc, ops, unit, ir / ops
      }' "$TMP/lg.out" "$dump"
    if [ "$TOP" -gt 0 ]; then
      ops=$(awk '/^result/ { for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
        print ("bytes" in r) ? r["bytes"] / 1e6 : r["round_trips"] }' "$TMP/lg.out")
      python3 - "$dump" "$ops" "$TOP" <<'PY'
import collections, re, sys
path, ops, top = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
names = {"ob": {}, "fn": {}, "fl": {}}
cur = {"ob": "?", "fn": "?"}
cost = collections.Counter()
skip = False
def name(kind, rest):  # callgrind's name compression: "(id) name" defines, "(id)" refers
    m = re.match(r"\((\d+)\)(?: (.*))?", rest)
    if not m:
        return rest
    if m.group(2) is not None:
        names[kind][m.group(1)] = m.group(2)
    return names[kind].get(m.group(1), "?")
for line in open(path):
    line = line.rstrip("\n")
    if not line:
        continue
    key = line.split("=", 1)[0]
    if key in ("ob", "fn"):
        cur[key] = name(key, line[3:])
    elif key in ("cob", "cfn", "cfi", "cfl"):
        name({"cob": "ob", "cfn": "fn"}.get(key, "fl"), line[4:])
    elif key in ("fl", "fi", "fe"):
        name("fl", line[3:])
    elif key == "calls":
        skip = True  # the next cost line is the call's inclusive cost
    elif line[0] in "0123456789+-*":
        if skip:
            skip = False
            continue
        parts = line.split()
        if len(parts) >= 2:
            cost[(cur["ob"].split("/")[-1], cur["fn"])] += int(parts[1])
for (ob, fn), c in cost.most_common(top):
    print("    %8.1f  %-24s %s" % (c / ops, ob[:24], fn[:100]))
PY
    fi
  done
done
