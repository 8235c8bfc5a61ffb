#!/usr/bin/env bash
# cortado-bench against a real cortado-server (port 0, temp dir): a short
# send -> receive -> delete run over each transport must deliver every
# message with no error, and the probe must find a queued message. Keeps the
# benchmark from rotting; it measures nothing.
#   cortado_bench_test.sh SERVER_BIN BENCH_BIN
set -euo pipefail
server=$1 bench=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

"$server" --data-dir="$tmp/data" --grpc-addr=127.0.0.1:0 \
  --http-addr=127.0.0.1:0 --ready-file="$tmp/ready" --log-level=warning \
  2>"$tmp/server.log" &
pid=$!
deadline=$((SECONDS + 60))
until [ -s "$tmp/ready" ]; do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "server not ready" >&2; exit 1; }
  sleep 0.02
done
grpc=$(sed -n 's/^grpc=//p' "$tmp/ready")
http=$(sed -n 's/^http=//p' "$tmp/ready")

check() {  # check LABEL ARGS...: exit 0, RESULT with received == sent == N
  local label=$1 n=$2; shift 2
  local out
  out=$("$bench" --label="$label" --server-pid="$pid" --messages="$n" "$@")
  echo "$out"
  grep -q "^RESULT label=$label sent=$n received=$n errors=0 " <<<"$out" || {
    echo "FAIL: $label did not deliver $n messages cleanly" >&2; exit 1; }
  grep -q "rss_after_kb=[1-9]" <<<"$out" || {
    echo "FAIL: $label reported no server RSS" >&2; exit 1; }
}
check sqs1 300 --target=sqs --addr="$http" --queue=s1 --producers=2 --consumers=2
check sqs10 1000 --target=sqs --addr="$http" --queue=s10 --batch=10 --producers=2 --consumers=2
check grpc1 300 --target=grpc --addr="$grpc" --queue=g1 --producers=2 --consumers=2
check grpc10 1000 --target=grpc --addr="$grpc" --queue=g10 --batch=10 --producers=2 --consumers=2

# Fill (no consumers), then the probe receives one of those messages.
out=$("$bench" --label=fill --target=grpc --addr="$grpc" --queue=p \
  --producers=1 --consumers=0 --messages=5)
grep -q "sent=5 received=0 errors=0" <<<"$out" || { echo "FAIL: fill" >&2; exit 1; }
"$bench" --target=sqs --addr="$http" --queue=p --mode=probe \
  --probe-timeout=30s | grep -q "^RESULT label=run first_receive_unix_ns=[0-9]" ||
  { echo "FAIL: probe" >&2; exit 1; }

# Bad input gets a clear error and a non-zero exit, not a hang.
if "$bench" --target=sqs --addr="$http" --batch=11 --messages=1 2>"$tmp/err"; then
  echo "FAIL: --batch=11 accepted" >&2; exit 1
fi
grep -q "batch must be 1..10" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
echo PASS
