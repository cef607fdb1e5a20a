#!/bin/sh
# Per-operation counts of one echo server of the TCP comparison, for judging small changes on a
# noisy machine (bench/README.md, "TCP: counts per operation"). Counts the server process's CPU
# time (task-clock), context switches and system calls with `perf stat -p` over a whole load
# generator run, and divides by the round trips (ping-pong) or the MB echoed (pump) that run made.
# Syscalls per operation are exact; task-clock per operation is CPU time, far steadier than
# round trips/s but still moved by other load on the machine (caches, frequency).
#
#   bench/tcp/counts.sh [--servers c-try,uv4j] [--duration SEC] [--rounds N] [--prewarm SEC]
#                       [--scenarios pingpong/1,pingpong/100,pump/10]
#
# Server "uv4j-base" is uv4j from another build's jar (BASE_JAR=/other/clone/bench/target/benchmarks.jar),
# for before/after counts in one session.
#
# Needs the binaries bench/tcp/run.sh builds (bench/target/benchmarks.jar, bench/target/c-tcp)
# and perf. JAVA picks the JVM (default java); JAVA_OPTS adds JVM options (e.g.
# -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit for `perf record`). Server on CPU 1,
# load generator on CPU 0, as in TcpCompare. The rounds alternate the servers.
set -eu
cd "$(dirname "$0")/../.."
JAVA=${JAVA:-java}
SERVERS=c-try,uv4j
DURATION=4
ROUNDS=3
PREWARM=3
SCENARIOS=pingpong/1,pingpong/100,pump/10
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) SERVERS=$2 ;;
    --duration) DURATION=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --prewarm) PREWARM=$2 ;;
    --scenarios) SCENARIOS=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
BIN=${BIN:-bench/target/c-tcp} # the C programs (BIN=dir: another build of them)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
EVENTS=task-clock,context-switches,raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_pwait,syscalls:sys_enter_read,syscalls:sys_enter_write,syscalls:sys_enter_writev

start_server() { # $1 server $2 port; sets PID
  case "$1" in
    c-try) taskset -c 1 "$BIN/tcp_echo_server" "$2" try > "$TMP/server.out" 2>&1 & ;;
    c-write) taskset -c 1 "$BIN/tcp_echo_server" "$2" write > "$TMP/server.out" 2>&1 & ;;
    uv4j) taskset -c 1 "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
        io.uv4j.bench.tcp.UvEchoServer "$2" > "$TMP/server.out" 2>&1 & ;;
    uv4j-base) taskset -c 1 "$JAVA" ${JAVA_OPTS:-} --enable-native-access=ALL-UNNAMED -cp "${BASE_JAR:?set BASE_JAR}" \
        io.uv4j.bench.tcp.UvEchoServer "$2" > "$TMP/server.out" 2>&1 & ;;
    *) echo "unknown server $1" >&2; exit 2 ;;
  esac
  PID=$!
  i=0
  until grep -q '^listening' "$TMP/server.out"; do
    i=$((i + 1)); [ $i -lt 600 ] || { cat "$TMP/server.out"; exit 1; }
    sleep 0.1
  done
}

loadgen() { # $1 port $2 mode $3 conns $4 secs [more]
  port=$1 mode=$2 conns=$3 secs=$4; shift 4
  taskset -c 0 "$BIN/tcp_loadgen" --port "$port" --mode "$mode" --conns "$conns" --warmup 0 --duration "$secs" "$@"
}

port=$((20000 + $$ % 20000))
echo "server scenario round ops unit task_clock_us_per_op syscalls_per_op epoll_per_op read_per_op write_per_op cs_per_op server_cpu_util"
for round in $(seq 1 "$ROUNDS"); do
  for server in $(echo "$SERVERS" | tr , ' '); do
    port=$((port + 1))
    start_server "$server" "$port"
    for sc in "pingpong 1" "pingpong 100" "pump 10"; do # JIT warm-up, fresh connections
      set -- $sc
      loadgen "$port" "$1" "$2" "$PREWARM" > /dev/null
    done
    for sc in $(echo "$SCENARIOS" | tr , ' '); do
      set -- $(echo "$sc" | tr / ' ')
      perf stat -x, -e "$EVENTS" -p "$PID" -o "$TMP/perf.csv" -- \
        sh -c "taskset -c 0 $BIN/tcp_loadgen --port $port --mode $1 --conns $2 --warmup 0 --duration $DURATION" > "$TMP/lg.out"
      awk -v server="$server" -v sc="$1/$2" -v round="$round" -v secs="$DURATION" '
        FNR == NR { if ($1 == "result") for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }; next }
        { split($0, f, ","); v[f[3]] = f[1] }
        END {
          if (sc ~ /^pump/) { ops = r["bytes"] / 1e6; unit = "MB" } else { ops = r["round_trips"]; unit = "rt" }
          if (ops <= 0) { print server, sc, round, "no result"; exit }
          ep = v["syscalls:sys_enter_epoll_wait"] + v["syscalls:sys_enter_epoll_pwait"]
          printf "%s %s %d %.0f %s %.3f %.3f %.3f %.3f %.3f %.3f %.2f\n", server, sc, round, ops, unit,
            v["task-clock"] * 1000 / ops, v["raw_syscalls:sys_enter"] / ops, ep / ops,
            v["syscalls:sys_enter_read"] / ops, (v["syscalls:sys_enter_write"] + v["syscalls:sys_enter_writev"]) / ops,
            v["context-switches"] / ops, v["task-clock"] / 1000 / secs
        }' "$TMP/lg.out" "$TMP/perf.csv"
    done
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
done
