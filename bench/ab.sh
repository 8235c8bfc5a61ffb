#!/usr/bin/env bash
# bench/ab.sh: an interleaved A/B of two builds on the figures a refactor must
# not move (T2, T3, T4 over the streams, topic fan-out). Rounds alternate
# A, B, A, B, ... so a machine that gets busier or quieter during the run
# moves both sides alike; the table gives each side's median and B/A.
#
#   bench/ab.sh A_DIR B_DIR [--rounds=5] [--scale=1.0]
#               [--figures=T2,T3,T4s,fanout_p50_ms]
#
# Figures: T2, T3, T4s, fanout_p50_ms, L3sqs (cortado-bench, fanout_bench) and
# T2wrk, T3wrk (the SQS JSON cycle under wrk, bench/wrk_sqs.sh: 16
# connections, 10 s * scale). A_PRELOAD / B_PRELOAD in the environment are
# put in LD_PRELOAD of that side's server (e.g. to compare allocators).
#
# Each DIR holds the binaries cortado-server, cortado-bench and fanout_bench
# (copy them out of build/server and build/bench of the two checkouts).
# Every run starts a fresh server on an empty SQLite data dir, as
# bench/compare.sh does, with the same load (8 producers, 8 consumers).
set -euo pipefail

[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
a_dir=$(cd "$1" && pwd) b_dir=$(cd "$2" && pwd)
shift 2
rounds=5 scale=1.0 figure_list=T2,T3,T4s,fanout_p50_ms
for arg in "$@"; do
  case "$arg" in
    --rounds=*) rounds=${arg#*=} ;;
    --scale=*) scale=${arg#*=} ;;
    --figures=*) figure_list=${arg#*=} ;;
    *) echo "ab.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

tmp=$(mktemp -d /tmp/cortado-ab.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

count() { awk -v n="$1" -v s="$scale" 'BEGIN { printf "%d", n * s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# start_server DIR: a fresh server of DIR on an empty data dir, with the
# LD_PRELOAD of the side being measured ($side); sets server_pid and ready.
start_server() {
  local dir=$1 preload=${A_PRELOAD:-}
  [ "$side" = B ] && preload=${B_PRELOAD:-}
  local data="$tmp/data"
  ready="$tmp/data.ready"
  rm -rf "$data" "$ready"; mkdir -p "$data"
  LD_PRELOAD=$preload "$dir/cortado-server" --data-dir="$data" --grpc-addr=127.0.0.1:0 \
    --http-addr=127.0.0.1:0 --ready-file="$ready" --log-level=warning \
    >>"$tmp/server.log" 2>&1 &
  server_pid=$!
  local deadline=$((SECONDS + 120))
  until [ -s "$ready" ]; do
    kill -0 "$server_pid" 2>/dev/null ||
      { echo "ab.sh: server exited; see below" >&2; tail -5 "$tmp/server.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "ab.sh: server not ready" >&2; exit 1; }
    sleep 0.01
  done
}

# run_wrk DIR ARGS...: the wrk-driven cycle against a fresh server of DIR;
# prints its msgs/s.
run_wrk() {
  local dir=$1; shift
  start_server "$dir"
  "$here/wrk_sqs.sh" "$(sed -n 's/^http=//p' "$ready")" "$@" >"$tmp/bench.log" 2>&1 ||
    { echo "ab.sh: wrk_sqs.sh failed:" >&2; cat "$tmp/bench.log" >&2; exit 1; }
  grep '^RESULT' "$tmp/bench.log" | field msgs_per_s
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# run_lifecycle DIR TARGET ARGS...: one cortado-bench run against a fresh
# server of DIR; prints its msgs/s (or RESULT field $result_field).
run_lifecycle() {
  local dir=$1 target=$2; shift 2
  start_server "$dir"
  local addr
  addr=$(sed -n "s/^${target/sqs/http}=//p" "$ready")
  # Bounded: a response the server never sends must fail the run, not hang it.
  timeout 300 "$dir/cortado-bench" --label=ab --server-pid="$server_pid" --target="$target" \
    --addr="$addr" --producers=8 --consumers=8 --wait=1 "$@" >"$tmp/bench.log" 2>&1 ||
    { echo "ab.sh: cortado-bench failed:" >&2; cat "$tmp/bench.log" >&2; exit 1; }
  grep '^RESULT' "$tmp/bench.log" | field "${result_field:-lifecycle_rate}"
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# run_fanout DIR: publish acknowledged p50 (ms) of a publish to 50 queues.
run_fanout() {
  rm -rf "$tmp/fanout"; mkdir -p "$tmp/fanout"
  "$1/fanout_bench" --publishes="$(count 200)" --dir="$tmp/fanout" 2>&1 |
    awk '/acknowledged/ { for (i = 1; i <= NF; i++) if ($i == "p50") { v = $(i + 1)
      # absl::FormatDuration picks the unit: 1.2ms, 470.3us, 1.01s.
      if (v ~ /us$/) ms = v / 1000; else if (v ~ /ms$/) ms = v + 0; else ms = v * 1000
      printf "%.3f\n", ms; exit } }'
}

IFS=, read -r -a figures <<<"$figure_list"
here=$(cd "$(dirname "$0")" && pwd)
wrk_seconds=$(awk -v s="$scale" 'BEGIN { printf "%d", 10 * s < 1 ? 1 : 10 * s }')
measure() {  # measure FIGURE DIR
  case "$1" in
    # Long-poll delivery p99 (µs) at 1,000 msgs/s over SQS (compare.sh's L3).
    L3sqs) result_field=e2e_p99_us run_lifecycle "$2" sqs --producers=4 \
      --consumers=4 --rate=1000 --duration="${wrk_seconds}s" ;;
    T2wrk) run_wrk "$2" --batch=1 --duration="${wrk_seconds}s" ;;
    T3wrk) run_wrk "$2" --batch=10 --duration="${wrk_seconds}s" ;;
    T2) run_lifecycle "$2" sqs --batch=1 --messages="$(count 30000)" ;;
    T3) run_lifecycle "$2" sqs --batch=10 --messages="$(count 150000)" ;;
    T4s) run_lifecycle "$2" grpc --batch=1 --messages="$(count 40000)" --grpc-api=stream ;;
    fanout_p50_ms) run_fanout "$2" ;;
  esac
}

echo "ab.sh: $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), rounds=$rounds, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  A = $a_dir"
echo "  B = $b_dir"
declare -A values
for ((r = 1; r <= rounds; r++)); do
  for f in "${figures[@]}"; do
    for side in A B; do
      dir=$a_dir; [ "$side" = B ] && dir=$b_dir
      v=$(measure "$f" "$dir")
      values[$f.$side]+="$v "
      echo "  round $r $f $side: $v"
    done
  done
done

printf '\n| figure | A median | B median | B/A | A runs | B runs |\n|---|---|---|---|---|---|\n'
for f in "${figures[@]}"; do
  ma=$(tr ' ' '\n' <<<"${values[$f.A]}" | grep . | median)
  mb=$(tr ' ' '\n' <<<"${values[$f.B]}" | grep . | median)
  ratio=$(awk -v a="$ma" -v b="$mb" 'BEGIN { if (a > 0) printf "%.3f", b / a; else print "-" }')
  printf '| %s | %s | %s | %s | %s| %s|\n' "$f" "$ma" "$mb" "$ratio" "${values[$f.A]}" "${values[$f.B]}"
done
