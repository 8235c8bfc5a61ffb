#!/usr/bin/env bash
# bench/compare.sh: Cortado's performance targets (docs/PERFORMANCE.md)
# measured side by side with its peers in one run, on loopback, every process
# started here in a temp dir and stopped here (trap), even on failure.
#
#   bench/compare.sh [--runs=3] [--build=build] [--smoke] [--no-peers]
#                    [--scale=1.0] [--keep]
#
#   --runs=N     repeat each throughput measurement N times; the table shows
#                medians (default 3)
#   --smoke      the `make bench` run: one run, small counts, no RabbitMQ,
#                nginx, M1 or R1 (under a minute)
#   --no-peers   skip RabbitMQ, nginx/wrk and the SQLite ceiling
#   --scale=F    multiply message counts (e.g. 0.2 on a slow machine)
#   --keep       keep the temp dir (logs) for inspection
#   --no-postgres     skip the PostgreSQL store's figures
#   --postgres-only   only those (T2/T3/T4 on PostgreSQL beside SQLite
#                     --sync=full and normal, interleaved; pg_test_fsync; R1)
#
# Peers: RabbitMQ (persistent + publisher confirms, bench/rabbit_bench.c),
# the raw SQLite group-commit ceiling (bench/sqlite_bench.c) and nginx
# serving a fixed response under wrk (the HTTP ceiling of this machine).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=3 build=build smoke=0 peers=1 scale=1.0 keep=0 postgres=1 pg_only=0
for arg in "$@"; do
  case "$arg" in
    --runs=*) runs=${arg#*=} ;;
    --build=*) build=${arg#*=} ;;
    --smoke) smoke=1 runs=1 ;;
    --no-peers) peers=0 ;;
    --scale=*) scale=${arg#*=} ;;
    --keep) keep=1 ;;
    --no-postgres) postgres=0 ;;
    --postgres-only) pg_only=1 peers=0 ;;
    *) echo "compare.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
cd "$root"
case "$build" in /*) ;; *) build="$root/$build" ;; esac

bash scripts/install-bench-deps.sh
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=(cortado-server cortado-bench sqlite_bench)
if [ "$smoke" = 0 ] && [ "$peers" = 1 ]; then targets+=(rabbit_bench); fi
cmake --build "$build" --target "${targets[@]}" >/dev/null

tmp=$(mktemp -d /tmp/cortado-compare.XXXXXX)
# Run copies, so a rebuild during a long run cannot swap binaries mid-table.
mkdir -p "$tmp/bin"
for t in "${targets[@]}"; do
  find "$build/server" "$build/bench" -maxdepth 1 -type f -name "$t" \
    -exec cp {} "$tmp/bin/" \;
done
server_bin="$tmp/bin/cortado-server"
bench_bin="$tmp/bin/cortado-bench"
results="$tmp/results.txt"
: >"$results"

# --- process bookkeeping: every pid we start, and how to stop it ----------
pids=()
rabbit_started=0 pg_started=0
cleanup() {
  set +e
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ "$rabbit_started" = 1 ]; then rabbit_stop; fi
  if [ "$pg_started" = 1 ]; then
    as_pg "$pg_bin/pg_ctl" -D "$tmp/pg/data" -m immediate stop >/dev/null 2>&1
  fi
  if [ "$keep" = 1 ]; then echo "compare.sh: logs kept in $tmp" >&2
  else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

forget_pid() {
  local keep_pids=() p
  for p in "${pids[@]}"; do [ "$p" != "$1" ] && keep_pids+=("$p"); done
  pids=("${keep_pids[@]+"${keep_pids[@]}"}")
}

count() { awk -v n="$1" -v s="$scale" 'BEGIN { printf "%d", n * s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
# field KEY < "RESULT k=v ..." -> v
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
now_ns() { date +%s%N; }

# --- Cortado ----------------------------------------------------------------
# start_cortado DATA_DIR [server flags...]: sets cortado_pid, grpc, http.
start_cortado() {
  local dir=$1; shift
  mkdir -p "$dir"
  rm -f "$dir.ready"
  "$server_bin" --data-dir="$dir" --grpc-addr=127.0.0.1:0 \
    --http-addr=127.0.0.1:0 --ready-file="$dir.ready" --log-level=warning \
    "$@" >>"$tmp/server.log" 2>&1 &
  cortado_pid=$!
  pids+=("$cortado_pid")
  local deadline=$((SECONDS + 120))
  until [ -s "$dir.ready" ]; do
    if ! kill -0 "$cortado_pid" 2>/dev/null; then
      echo "compare.sh: cortado-server exited; see $tmp/server.log" >&2
      tail -5 "$tmp/server.log" >&2; exit 1
    fi
    [ $SECONDS -lt $deadline ] || { echo "compare.sh: server not ready" >&2; exit 1; }
    sleep 0.01
  done
  grpc=$(sed -n 's/^grpc=//p' "$dir.ready")
  http=$(sed -n 's/^http=//p' "$dir.ready")
}
stop_cortado() {
  kill -TERM "$cortado_pid" 2>/dev/null || true
  wait "$cortado_pid" 2>/dev/null || true
  forget_pid "$cortado_pid"
}

# bench LABEL ARGS...: runs cortado-bench against the current server; its
# RESULT line goes to $results and to $result.
bench() {
  local label=$1; shift
  "$bench_bin" --label="$label" --server-pid="$cortado_pid" "$@" \
    >"$tmp/bench-$label.log" 2>&1 || {
    echo "compare.sh: cortado-bench $label failed:" >&2
    cat "$tmp/bench-$label.log" >&2; exit 1; }
  result=$(grep '^RESULT' "$tmp/bench-$label.log")
  echo "$result" >>"$results"
}

# store_flags STORAGE TAG: the server flags of sqlite, sqlite-full, memory or
# postgres (a fresh PostgreSQL schema per TAG, so every run starts empty).
store_flags() {
  case "$1" in
    sqlite-full) echo "--storage=sqlite --sync=full" ;;
    postgres) echo "--storage=postgres --database-url=$pg_url --database-schema=bench_${2//[^A-Za-z0-9]/_}" ;;
    *) echo "--storage=$1" ;;
  esac
}

# measure ID STORAGE TARGET KEY ARGS...: fig[ID] = median of KEY over $runs
# runs, each against a fresh server (every run starts from an empty store).
declare -A fig
measure() {
  local id=$1 storage=$2 target=$3 key=$4; shift 4
  local i addr values=()
  for ((i = 1; i <= runs; i++)); do
    start_cortado "$tmp/data-$id-$i" $(store_flags "$storage" "$id$i")
    addr=$grpc; [ "$target" = sqs ] && addr=$http
    bench "$id-$i" --target="$target" --addr="$addr" "$@"
    values+=("$(field "$key" <<<"$result")")
    stop_cortado
    rm -rf "$tmp/data-$id-$i"
  done
  fig[$id]=$(printf '%s\n' "${values[@]}" | median)
  echo "  $id: ${values[*]} -> median ${fig[$id]}"
}

# measure_wrk ID STORAGE ARGS...: like measure, with the SQS JSON cycle
# driven by wrk (bench/wrk_sqs.sh: 16 connections, each send -> receive ->
# delete in turn); fig[ID] = median msgs/s.
measure_wrk() {
  local id=$1 storage=$2; shift 2
  local i values=()
  for ((i = 1; i <= runs; i++)); do
    start_cortado "$tmp/data-$id-$i" $(store_flags "$storage" "$id$i")
    "$root/bench/wrk_sqs.sh" "$http" --label="$id-$i" --duration="$dur" "$@" \
      >"$tmp/bench-$id-$i.log" 2>&1 || {
      echo "compare.sh: wrk_sqs.sh $id failed:" >&2
      cat "$tmp/bench-$id-$i.log" >&2; exit 1; }
    result=$(grep '^RESULT' "$tmp/bench-$id-$i.log")
    echo "$result" >>"$results"
    values+=("$(field msgs_per_s <<<"$result")")
    stop_cortado
    rm -rf "$tmp/data-$id-$i"
  done
  fig[$id]=$(printf '%s\n' "${values[@]}" | median)
  echo "  $id: ${values[*]} -> median ${fig[$id]}"
}

# r1 ID DATA_DIR HTTP_PORT [STORE FLAGS...]: $runs times, kill -9 the
# current server (its messages persisted), start it again on the same store
# and time the first receive; fig[ID] = the median, r1_values = each.
r1() {
  local id=$1 dir=$2 port=$3; shift 3
  local i t0 t1
  r1_values=()
  for ((i = 1; i <= runs; i++)); do
    kill -9 "$cortado_pid"; wait "$cortado_pid" 2>/dev/null || true
    forget_pid "$cortado_pid"
    t0=$(now_ns)
    "$server_bin" --data-dir="$dir" --grpc-addr=127.0.0.1:0 \
      --http-addr=127.0.0.1:"$port" --log-level=warning "$@" \
      >>"$tmp/server.log" 2>&1 &
    cortado_pid=$!
    pids+=("$cortado_pid")
    bench "$id-$i" --target=sqs --addr=127.0.0.1:"$port" --mode=probe
    t1=$(field first_receive_unix_ns <<<"$result")
    r1_values+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
  done
  fig[$id]=$(printf '%s\n' "${r1_values[@]}" | median)
}

# --- RabbitMQ: its own node, ports and epmd, all under $tmp -----------------
rabbit_env() {
  export HOME="$tmp/rabbit" RABBITMQ_NODENAME=cortadobench@localhost \
    RABBITMQ_NODE_PORT=21672 RABBITMQ_DIST_PORT=21673 ERL_EPMD_PORT=21369 \
    RABBITMQ_MNESIA_BASE="$tmp/rabbit/mnesia" RABBITMQ_LOG_BASE="$tmp/rabbit/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$tmp/rabbit/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$tmp/rabbit/rabbitmq" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$tmp/rabbit/advanced.config" \
    RABBITMQ_CONF_ENV_FILE="$tmp/rabbit/rabbitmq-env.conf"
}
rabbit_start() {
  mkdir -p "$tmp/rabbit"
  echo '[].' >"$tmp/rabbit/enabled_plugins"
  (rabbit_env; cd "$tmp/rabbit" &&
    exec /usr/lib/rabbitmq/bin/rabbitmq-server >"$tmp/rabbit/out.log" 2>&1) &
  pids+=("$!")
  rabbit_started=1
  # await_startup fails at once while the node is not yet registered with
  # epmd, so ask again until it answers (or two minutes pass).
  local deadline=$((SECONDS + 120))
  until (rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl \
    -n cortadobench@localhost await_startup >/dev/null 2>&1); do
    if [ $SECONDS -ge $deadline ]; then
      echo "compare.sh: RabbitMQ did not start; see $tmp/rabbit/out.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}
rabbit_stop() {
  (rabbit_env; timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl \
    -n cortadobench@localhost stop >/dev/null 2>&1) || true
  # Our own epmd (ERL_EPMD_PORT=21369 above), never the machine's: it
  # refuses `epmd -kill` while the node is still deregistering, so retry,
  # then stop the process listening on our port by its pid.
  local i pid
  for i in 1 2 3 4 5 6 7 8 9 10; do
    (rabbit_env; epmd -kill >/dev/null 2>&1) || true
    pid=$(ss -ltnpH 'sport = :21369' 2>/dev/null | grep -o 'pid=[0-9]*' |
      head -1 | cut -d= -f2 || true)
    [ -z "$pid" ] && break
    sleep 0.5
  done
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
  rabbit_started=0
}

# --- nginx: a fixed 200 response, keep-alive, as the HTTP ceiling ------------
nginx_start() {
  mkdir -p "$tmp/nginx/logs"
  local nginx_body
  nginx_body="{\"Messages\":[{\"Body\":\"$(printf 'x%.0s' $(seq 100))\",\"MD5OfBody\":\"8d8a4ba8a3ad8d5b2bbb8bc3bc3e0a1b\",\"MessageId\":\"6f1c7a52-2d0e-4f6a-9d8e-3c1b5e7a9f20\",\"ReceiptHandle\":\"AQEBbmV4dGhhbmRsZWlzYWxvbmdvcGFxdWV0b2tlbmp1c3RsaWtldGhlcmVhbG9uZQ\"}]}"
  cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:28080;
    # One ReceiveMessage-shaped answer to every request: the ceiling run
    # drives it with the same Lua client (bench/sqs_cycle.lua), which then
    # parses a handle and sends a delete just as against Cortado.
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '$nginx_body';
    }
  }
}
CONF
  /usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" \
    -e "$tmp/nginx/logs/error.log" >>"$tmp/nginx/logs/out.log" 2>&1 &
  nginx_pid=$!
  pids+=("$nginx_pid")
  local deadline=$((SECONDS + 30))
  until (exec 3<>/dev/tcp/127.0.0.1/28080) 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "compare.sh: nginx did not start" >&2; exit 1; }
    sleep 0.05
  done
}

# --- the run ------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
started=$(date -u '+%Y-%m-%d %H:%M UTC')
echo "compare.sh: $(nproc) cores, $cpu, $started, runs=$runs"
echo "compare.sh: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ "$smoke" = 1 ]; then
  n1=$(count 2000) n10=$(count 10000) ng=$(count 3000) dur=2s
  nsqlite=$(count 50000)
else
  n1=$(count 30000) n10=$(count 150000) ng=$(count 40000) dur=10s
  nsqlite=$(count 300000)
fi
# 8 producers + 8 consumers, each with its own connection: enough callers to
# fill the group commit, few enough threads for 2 cores.
load=(--producers=8 --consumers=8 --wait=1)

if [ "$pg_only" = 0 ]; then
echo "Cortado (durable = --storage=sqlite --sync=normal):"
measure T2 sqlite sqs lifecycle_rate "${load[@]}" --batch=1 --messages="$n1"
measure T3 sqlite sqs lifecycle_rate "${load[@]}" --batch=10 --messages="$n10"
# The same two with wrk as the client (bench/sqs_cycle.lua), so the table
# shows whether cortado-bench's own client limits T2/T3.
measure_wrk T2wrk sqlite --batch=1
measure_wrk T3wrk sqlite --batch=10
measure T4 sqlite grpc lifecycle_rate "${load[@]}" --batch=1 --messages="$ng"
# The native path with batches of 10 (SendMessageBatch/DeleteMessageBatch,
# receive up to 10), against RabbitMQ publishing 10 before awaiting confirms.
measure T4b sqlite grpc lifecycle_rate "${load[@]}" --batch=10 --messages="$((ng * 5))"
# The native path over the Publish and Consume streams (one stream each per
# connection; every publish still waits for its ack, like RabbitMQ's confirm
# per publish; consumers get pushes with a window of 100, like its prefetch).
measure T4s sqlite grpc lifecycle_rate "${load[@]}" --batch=1 --messages="$ng" --grpc-api=stream
half=$(( ${fig[T4]} / 2 ))
half_s=$(( ${fig[T4s]} / 2 ))
measure L1 sqlite grpc send_p99_us "${load[@]}" --batch=1 --rate="$half" --duration="$dur"
measure L1s sqlite grpc send_p99_us "${load[@]}" --batch=1 --rate="$half_s" --duration="$dur" --grpc-api=stream
measure L3 sqlite grpc e2e_p99_us --producers=4 --consumers=4 --wait=1 --rate=1000 --duration="$dur"
measure L3sqs sqlite sqs e2e_p99_us --producers=4 --consumers=4 --wait=1 --rate=1000 --duration="$dur"
if [ "$smoke" = 0 ]; then
  measure T2mem memory sqs lifecycle_rate "${load[@]}" --batch=1 --messages="$n1"
  measure T3mem memory sqs lifecycle_rate "${load[@]}" --batch=10 --messages="$n10"
  measure_wrk T2wrkmem memory --batch=1
  measure_wrk T3wrkmem memory --batch=10
  measure T4mem memory grpc lifecycle_rate "${load[@]}" --batch=1 --messages="$ng"
  measure T4smem memory grpc lifecycle_rate "${load[@]}" --batch=1 --messages="$ng" --grpc-api=stream

  # M1: RSS growth while 1M 100-byte messages are queued (durable server).
  million=$(count 1000000)
  start_cortado "$tmp/data-m1" --storage=sqlite
  bench M1 --target=grpc --addr="$grpc" --producers=4 --consumers=0 \
    --batch=10 --messages="$million"
  before=$(field rss_before_kb <<<"$result") after=$(field rss_after_kb <<<"$result")
  fig[M1]=$(awk -v b="$before" -v a="$after" -v n="$million" \
    'BEGIN { printf "%.0f", (a - b) / 1024 * 1000000 / n }')
  fig[M1abs]=$(awk -v a="$after" 'BEGIN { printf "%.0f", a / 1024 }')
  echo "  M1: RSS $before kB -> $after kB: ${fig[M1]} MB per 1M"

  # R1: kill -9 with the messages persisted, restart, time to first receive.
  r1 R1 "$tmp/data-m1" 29324
  echo "  R1: ${r1_values[*]} s -> median ${fig[R1]} s"
  stop_cortado
  rm -rf "$tmp/data-m1"
fi

if [ "$peers" = 1 ]; then
  echo "Peers:"
  values=()
  for ((i = 1; i <= runs; i++)); do
    out=$("$tmp/bin/sqlite_bench" --messages="$nsqlite" --batch=100 \
      --dir="$tmp" | grep '^RESULT')
    echo "$out" >>"$results"
    values+=("$(field msgs_per_s <<<"$out")")
  done
  fig[sqlite]=$(printf '%s\n' "${values[@]}" | median)
  echo "  SQLite ceiling: ${values[*]} -> median ${fig[sqlite]}"
  if [ "$smoke" = 0 ]; then
    nginx_start
    values=()
    for ((i = 1; i <= runs; i++)); do
      rps=$(wrk -t2 -c16 -d5s http://127.0.0.1:28080/ | awk '/Requests\/sec/ { printf "%.0f", $2 }')
      values+=("$rps")
    done
    kill -TERM "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
    forget_pid "$nginx_pid"
    fig[nginx]=$(printf '%s\n' "${values[@]}" | median)
    echo "  nginx+wrk: ${values[*]} -> median ${fig[nginx]} req/s"
    # The ceiling for the wrk-driven cycle: the same Lua client, 16
    # connections, against nginx's fixed answer.
    values=()
    for ((i = 1; i <= runs; i++)); do
      out=$("$root/bench/wrk_sqs.sh" 127.0.0.1:28080 --ceiling --label=nginx-cycle --duration=5s)
      echo "$out" >>"$results"
      values+=("$(field req_per_s <<<"$out")")
    done
    fig[nginxcycle]=$(printf '%s\n' "${values[@]}" | median)
    echo "  nginx + the cycle's Lua client: ${values[*]} -> median ${fig[nginxcycle]} req/s"

    rabbit_start
    values=() pvalues=() evalues=()
    for ((i = 1; i <= runs; i++)); do
      out=$("$tmp/bin/rabbit_bench" --port=21672 --producers=8 \
        --consumers=8 --messages="$ng" | grep '^RESULT')
      echo "$out" >>"$results"
      values+=("$(field lifecycle_rate <<<"$out")")
      pvalues+=("$(field send_p99_us <<<"$out")")
    done
    values10=()
    for ((i = 1; i <= runs; i++)); do
      out=$("$tmp/bin/rabbit_bench" --port=21672 --producers=8 \
        --consumers=8 --batch=10 --messages="$((ng * 5))" | grep '^RESULT')
      echo "${out/label=rabbitmq/label=rabbitmq-batch10}" >>"$results"
      values10+=("$(field lifecycle_rate <<<"$out")")
    done
    fig[rabbit10]=$(printf '%s\n' "${values10[@]}" | median)
    echo "  RabbitMQ, 10 publishes per confirm wait: ${values10[*]} -> median ${fig[rabbit10]} msgs/s"
    rabbit_stop
    fig[rabbit]=$(printf '%s\n' "${values[@]}" | median)
    fig[rabbitp99]=$(printf '%s\n' "${pvalues[@]}" | median)
    echo "  RabbitMQ: ${values[*]} -> median ${fig[rabbit]} msgs/s"
  fi
fi

fi  # pg_only

# --- PostgreSQL store: its own server (fsync and synchronous_commit on, the
# defaults), T2/T3/T4 interleaved run by run with SQLite --sync=full and
# --sync=normal, so a noisy moment hits all three alike.
if [ "$postgres" = 1 ] && [ "$smoke" = 0 ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  mkdir -p "$tmp/pg" && chmod 777 "$tmp" "$tmp/pg"
  as_pg "$pg_bin/initdb" -D "$tmp/pg/data" -A trust -U postgres >/dev/null
  as_pg "$pg_bin/pg_ctl" -D "$tmp/pg/data" -l "$tmp/pg/log" -w \
    -o "-p 25439 -k $tmp/pg -c listen_addresses=127.0.0.1" start >/dev/null
  pg_started=1
  pg_url=postgresql://postgres@127.0.0.1:25439/postgres
  echo "PostgreSQL store (interleaved with SQLite --sync=full / normal):"
  interleave() {  # interleave TAG TARGET ARGS...: fig[TAGpg|full|normal]
    local tag=$1 target=$2; shift 2
    local i kind storage addr
    declare -A vals=()
    for ((i = 1; i <= runs; i++)); do
      for kind in pg full normal; do
        case $kind in pg) storage=postgres ;; full) storage=sqlite-full ;; normal) storage=sqlite ;; esac
        start_cortado "$tmp/data-$tag$kind-$i" $(store_flags "$storage" "$tag$i")
        addr=$grpc; [ "$target" = sqs ] && addr=$http
        bench "$tag$kind-$i" --target="$target" --addr="$addr" "$@"
        vals[$kind]+="$(field lifecycle_rate <<<"$result") "
        stop_cortado
        rm -rf "$tmp/data-$tag$kind-$i"
      done
    done
    for kind in pg full normal; do
      fig[$tag$kind]=$(printf '%s\n' ${vals[$kind]} | median)
      echo "  $tag $kind: ${vals[$kind]}-> median ${fig[$tag$kind]}"
    done
  }
  interleave T2 sqs "${load[@]}" --batch=1 --messages="$n1"
  interleave T3 sqs "${load[@]}" --batch=10 --messages="$n10"
  interleave T4 grpc "${load[@]}" --batch=1 --messages="$ng"
  # The machine's WAL flush rate: one 8 kB write + fdatasync, PostgreSQL's
  # own tool, in the same file system.
  fig[pgfsync]=$("$pg_bin/pg_test_fsync" -s 2 -f "$tmp/pg/fsync.test" 2>/dev/null |
    awk '/one 8kB write/ { on = 1 } on && $1 == "fdatasync" { print int($2); exit }')
  echo "  pg_test_fsync fdatasync: ${fig[pgfsync]} ops/s"
  # R1 on PostgreSQL: 1M messages queued, kill -9, restart, first receive.
  million=$(count 1000000)
  start_cortado "$tmp/data-r1pg" $(store_flags postgres r1)
  bench M1pg --target=grpc --addr="$grpc" --producers=4 --consumers=0 \
    --batch=10 --messages="$million"
  r1 R1pg "$tmp/data-r1pg" 29325 $(store_flags postgres r1)
  echo "  R1 on PostgreSQL: ${r1_values[*]} s -> median ${fig[R1pg]} s"
  stop_cortado
fi

# --- the table ----------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "") printf "%.2f", a / b; else printf "-" }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
row() { printf '| %-4s | %-50s | %-14s | %-34s | %-14s |\n' "$@"; }
echo
echo "Cortado vs peers: $(nproc) cores ($cpu), $started, median of $runs run(s), loopback; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
row "id" "measure" "Cortado" "peer / ceiling (same run)" "target"
row "----" "--------------------------------------------------" "--------------" "----------------------------------" "--------------"
if [ "$pg_only" = 0 ]; then
nx=${fig[nginx]:-}
row T2 "SQS HTTP send+receive+delete, unbatched (msgs/s)" "${fig[T2]}" \
  "${nx:+nginx $nx req/s; Cortado $((fig[T2] * 3)) req/s = $(ratio $((fig[T2] * 3)) "$nx")}" ">= 5,000"
row T3 "same, batches of 10 (msgs/s)" "${fig[T3]}" "" ">= 25,000"
nc=${fig[nginxcycle]:-}
row T2w "T2 with wrk as the client (msgs/s)" "${fig[T2wrk]}" \
  "cortado-bench/wrk $(ratio "${fig[T2]}" "${fig[T2wrk]}")${nc:+; nginx, same client: $nc req/s = $((nc / 3)) msgs/s; Cortado $(ratio "${fig[T2wrk]}" $((nc / 3))) of it}" ">= 0.8 ceiling"
row T3w "T3 with wrk as the client (msgs/s)" "${fig[T3wrk]}" \
  "cortado-bench/wrk $(ratio "${fig[T3]}" "${fig[T3wrk]}")" ">= 80,000"
rb=${fig[rabbit]:-}
row T4 "gRPC durable publish+consume (msgs/s)" "${fig[T4]}" \
  "${rb:+RabbitMQ $rb msgs/s; ratio $(ratio "${fig[T4]}" "$rb")}" ">= 1x RabbitMQ"
row T4s "same over the Publish/Consume streams (msgs/s)" "${fig[T4s]}" \
  "${rb:+RabbitMQ $rb msgs/s; ratio $(ratio "${fig[T4s]}" "$rb")}" ">= 1x RabbitMQ"
rb10=${fig[rabbit10]:-}
row T4b "same, batches of 10 (msgs/s)" "${fig[T4b]}" \
  "${rb10:+RabbitMQ 10/confirm $rb10 msgs/s; ratio $(ratio "${fig[T4b]}" "$rb10")}" "(info)"
if [ -n "${fig[T2mem]:-}" ]; then
  row T7 "durable / memory on T2" "$(ratio "${fig[T2]}" "${fig[T2mem]}")" "memory: ${fig[T2mem]} msgs/s" ">= 0.7"
  row T7 "durable / memory on T3" "$(ratio "${fig[T3]}" "${fig[T3mem]}")" "memory: ${fig[T3mem]} msgs/s" "(info)"
  row T7 "durable / memory on T2, wrk" "$(ratio "${fig[T2wrk]}" "${fig[T2wrkmem]}")" "memory: ${fig[T2wrkmem]} msgs/s" "(info)"
  row T7 "durable / memory on T3, wrk" "$(ratio "${fig[T3wrk]}" "${fig[T3wrkmem]}")" "memory: ${fig[T3wrkmem]} msgs/s" ">= 0.9"
  row T7 "durable / memory on T4" "$(ratio "${fig[T4]}" "${fig[T4mem]}")" "memory: ${fig[T4mem]} msgs/s" ">= 0.7"
  row T7 "durable / memory on T4s" "$(ratio "${fig[T4s]}" "${fig[T4smem]}")" "memory: ${fig[T4smem]} msgs/s" ">= 0.7"
fi
row L1 "gRPC send ack p99 at half of T4 ($half msgs/s)" "$(ms "${fig[L1]}")" \
  "${fig[rabbitp99]:+RabbitMQ confirm p99 $(ms "${fig[rabbitp99]}") (full load)}" "<= 2 ms"
row L1 "same over the Publish stream, half of T4s ($half_s msgs/s)" "$(ms "${fig[L1s]}")" "" "<= 2 ms"
row L3 "long-poll end-to-end p99 at 1,000 msgs/s, gRPC" "$(ms "${fig[L3]}")" "" "<= 5 ms"
row L3 "long-poll end-to-end p99 at 1,000 msgs/s, SQS" "$(ms "${fig[L3sqs]}")" "" "<= 5 ms"
if [ -n "${fig[M1]:-}" ]; then
  # Scaled to 1M; measured with $million (fewer with --scale < 1).
  row M1 "RSS per 1M queued 100-byte msgs ($million queued)" "${fig[M1]} MB" "(server RSS ${fig[M1abs]} MB)" "<= 300 MB"
  row R1 "kill -9 with $million persisted -> first receive" "${fig[R1]} s" "" "<= 2 s (1M)"
fi
if [ -n "${fig[sqlite]:-}" ]; then
  row "" "SQLite ceiling: insert+update+delete, 100 msgs/txn" "" "${fig[sqlite]} msgs/s; T4 = $(ratio "${fig[T4]}" "${fig[sqlite]}")" ""
fi
fi
if [ -n "${fig[T2pg]:-}" ]; then
  for t in T2 T3 T4; do
    case $t in T2) what="SQS unbatched" ;; T3) what="SQS batches of 10" ;; T4) what="gRPC unbatched" ;; esac
    row "$t" "$what on PostgreSQL (msgs/s)" "${fig[${t}pg]}" \
      "SQLite full ${fig[${t}full]} (x$(ratio "${fig[${t}pg]}" "${fig[${t}full]}")), normal ${fig[${t}normal]} (x$(ratio "${fig[${t}pg]}" "${fig[${t}normal]}"))" \
      "$([ $t = T2 ] && echo '>= 0.8x full' || echo '(info)')"
  done
  row R1 "kill -9 with $million on PostgreSQL -> first receive" "${fig[R1pg]} s" "" "<= 3 s (1M)"
  row "" "pg_test_fsync: one 8 kB write + fdatasync" "" "${fig[pgfsync]} ops/s" ""
fi
echo
echo "raw RESULT lines:"
cat "$results"
