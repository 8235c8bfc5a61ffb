#!/usr/bin/env bash
# bench/profile_sqs.sh: what one SendMessage, ReceiveMessage and
# DeleteMessage cost the server, per thread (docs/PERFORMANCE.md, "The SQS
# request path, per request").
#
#   bench/profile_sqs.sh [--build=build] [--cycles=125] [--storage=sqlite]
#                        [--native-cycles=2000] [--preload=LIB]
#
# Drives cortado-server with bench/sqs_cycle.lua (16 connections, 100-byte
# bodies) in three phases, each on its own queue: CYCLE=send,
# CYCLE=send,receive and the whole cycle; every connection runs a fixed
# number of cycles. The difference between phases is the cost of the
# request a phase adds.
#  - instructions: the server under callgrind (--separate-threads=yes,
#    instrumentation on only while a phase runs), "summary:" of each
#    thread's dump; they do not depend on how busy the machine is.
#  - context switches: a native server, voluntary + involuntary switches of
#    each thread (/proc/<pid>/task/*/status) across the phase.
# Threads are grouped by name: cortado-writer, cortado-http-N, and the rest.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=build cycles=125 storage=sqlite native_cycles=2000 preload=
for arg in "$@"; do
  case "$arg" in
    --build=*) build=${arg#*=} ;;
    --cycles=*) cycles=${arg#*=} ;;
    --native-cycles=*) native_cycles=${arg#*=} ;;
    --storage=*) storage=${arg#*=} ;;
    --preload=*) preload=${arg#*=} ;;  # e.g. another malloc, to compare
    *) echo "profile_sqs.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
case "$build" in /*) ;; *) build="$root/$build" ;; esac
connections=16
phases=("send" "send,receive" "send,receive,delete")

tmp=$(mktemp -d /tmp/cortado-profile.XXXXXX)
server_pid= wrk_pid=
cleanup() {
  set +e
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server [WRAPPER...]: sets server_pid and http.
start_server() {
  rm -rf "$tmp/data" "$tmp/ready"
  LD_PRELOAD=$preload "$@" "$build/server/cortado-server" --data-dir="$tmp/data" \
    --storage="$storage" --grpc-addr=127.0.0.1:0 --http-addr=127.0.0.1:0 \
    --ready-file="$tmp/ready" --log-level=warning >>"$tmp/server.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 300))
  until [ -s "$tmp/ready" ]; do
    kill -0 "$server_pid" 2>/dev/null ||
      { echo "profile_sqs.sh: server exited:" >&2; tail "$tmp/server.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "profile_sqs.sh: server not ready" >&2; exit 1; }
    sleep 0.1
  done
  http=$(sed -n 's/^http=//p' "$tmp/ready")
}

# requests_done: the server's count of answered SQS requests.
requests_done() {
  curl -sS "http://$http/metrics" |
    awk '/^cortado_http_requests_total\{api="sqs"/ { n += $NF } END { print n + 0 }'
}

descendants() {
  local child
  for child in $(pgrep -P "$1"); do echo "$child"; descendants "$child"; done
}

# run_phase CYCLE N QUEUE: N cycles on each connection, then wrk is
# stopped (its threads stop themselves; wrk itself waits for -d).
run_phase() {
  local cycle=$1 n=$2 queue=$3
  local steps expected before
  steps=$(tr ',' '\n' <<<"$cycle" | wc -l)
  before=$(requests_done)
  expected=$((before + 1 + n * connections * steps))  # +1: CreateQueue
  CYCLE=$cycle CYCLES=$n "$root/bench/wrk_sqs.sh" "$http" --queue="$queue" \
    --duration=600s >"$tmp/wrk.log" 2>&1 &
  wrk_pid=$!
  local deadline=$((SECONDS + 600))
  until [ "$(requests_done)" -ge "$expected" ]; do
    kill -0 "$wrk_pid" 2>/dev/null ||
      { echo "profile_sqs.sh: wrk ended early:" >&2; cat "$tmp/wrk.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "profile_sqs.sh: phase timed out" >&2; exit 1; }
    sleep 0.2
  done
  # SIGINT makes wrk stop at once and print its summary.
  local pid
  for pid in $(descendants "$wrk_pid"); do
    [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = wrk ] && kill -INT "$pid" 2>/dev/null
  done
  wait "$wrk_pid" 2>/dev/null || true
  wrk_pid=
}

# switches: "name switches" for every thread of the server.
switches() {
  local t
  for t in /proc/"$server_pid"/task/*; do
    printf '%s %s\n' "$(cat "$t/comm")" \
      "$(awk '/ctxt_switches/ { n += $2 } END { print n }' "$t/status")"
  done
}
# group NAME: writer, http or other.
group_of() {
  case "$1" in cortado-writer) echo writer ;; cortado-http*) echo http ;; *) echo other ;; esac
}
sum_groups() {  # stdin "name value" -> "writer W http H other O total T"
  while read -r name value; do echo "$(group_of "$name") $value"; done |
    awk '{ v[$1] += $2; t += $2 } END { printf "writer %d http %d other %d total %d\n", v["writer"], v["http"], v["other"], t }'
}

echo "profile_sqs.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), storage=$storage, load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- context switches, native ------------------------------------------------
start_server
run_phase "send,receive,delete" 50 warm
declare -A cs
for cycle in "${phases[@]}"; do
  switches | sum_groups >"$tmp/cs.before"
  run_phase "$cycle" "$native_cycles" "n-${cycle//,/-}"
  switches | sum_groups >"$tmp/cs.after"
  cs[$cycle]=$(paste "$tmp/cs.before" "$tmp/cs.after" |
    awk -v m=$((native_cycles * connections)) \
      '{ for (i = 2; i <= 8; i += 2) printf "%s %.3f ", $(i - 1), ($(i + 8) - $i) / m }')
done
kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=

# --- instructions, callgrind ---------------------------------------------------
start_server valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
  --callgrind-out-file="$tmp/cg.out"
run_phase "send,receive,delete" 20 warm
declare -A ins
for cycle in "${phases[@]}"; do
  callgrind_control -i on "$server_pid" >/dev/null
  callgrind_control -z "$server_pid" >/dev/null
  run_phase "$cycle" "$cycles" "c-${cycle//,/-}"
  callgrind_control -d "$server_pid" >/dev/null
  callgrind_control -i off "$server_pid" >/dev/null
  # The newest dump: one file per thread, named cg.out.<dump>-<thread>.
  dump=$(ls "$tmp"/cg.out.*-* | sed 's/.*cg\.out\.\([0-9]*\)-.*/\1/' | sort -n | tail -1)
  ins[$cycle]=$(for f in "$tmp"/cg.out."$dump"-*; do
      n=$(awk '/^summary:/ { print $2 }' "$f")
      name=other
      if grep -q 'Broker::WriterLoop' "$f"; then name=cortado-writer
      elif grep -q 'beast::http::detail::read_some_op\|Session::' "$f"; then name=cortado-http
      fi
      echo "$name ${n:-0}"
    done | sum_groups |
    awk -v m=$((cycles * connections)) \
      '{ for (i = 2; i <= 8; i += 2) printf "%s %.0f ", $(i - 1), $i / m }')
done
kill -9 "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=

# --- the table ------------------------------------------------------------------
get() { tr ' ' '\n' <<<"$1" | awk -v k="$2" 'prev == k { print; exit } { prev = $0 }'; }
printf '\n| request | writer instr | http instr | other instr | total instr | writer cs | http cs | other cs | total cs |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
prev_cycle=
for cycle in "${phases[@]}"; do
  case $cycle in send) req=SendMessage ;; send,receive) req=ReceiveMessage ;; *) req=DeleteMessage ;; esac
  row="| $req |"
  for what in ins cs; do
    for g in writer http other total; do
      declare -n table=$what
      now=$(get "${table[$cycle]}" "$g")
      was=0; [ -n "$prev_cycle" ] && was=$(get "${table[$prev_cycle]}" "$g")
      row+=" $(awk -v a="$now" -v b="$was" -v w=$what 'BEGIN { if (w == "ins") printf "%.0f", a - b; else printf "%.2f", a - b }') |"
    done
  done
  echo "$row"
  prev_cycle=$cycle
done
row="| whole cycle (per message) |"
for what in ins cs; do
  for g in writer http other total; do
    declare -n table=$what
    row+=" $(get "${table[send,receive,delete]}" "$g") |"
  done
done
echo "$row"
echo
echo "per phase, per message: instructions: $(for c in "${phases[@]}"; do echo -n "[$c] ${ins[$c]} "; done)"
echo "per phase, per message: context switches: $(for c in "${phases[@]}"; do echo -n "[$c] ${cs[$c]} "; done)"
