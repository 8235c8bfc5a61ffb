#!/usr/bin/env bash
# bench/wrk_sqs.sh: the SQS JSON message cycle driven by wrk and
# bench/sqs_cycle.lua, against a running server (docs/PERFORMANCE.md).
#
#   bench/wrk_sqs.sh HOST:PORT [--batch=1] [--duration=10s]
#                    [--connections=16] [--queue=wrk-cycle] [--label=wrk-sqs]
#                    [--ceiling]
#
# Creates the queue (CreateQueue over the JSON protocol), then runs wrk with
# one thread per connection (the Lua state is per thread, so each
# connection's send -> receive -> delete cycle is exact), 100-byte bodies.
# Prints sqs_cycle.lua's RESULT line (msgs_per_s, req_per_s, p50/p99 of a
# request, errors). With --ceiling no queue is made: HOST:PORT is a server
# answering every request with one fixed ReceiveMessage-shaped body
# (bench/compare.sh's nginx), and req_per_s / 3 is the most this client and
# machine can do for the unbatched cycle.
# Needs wrk and curl (scripts/install-bench-deps.sh). Exits non-zero if any
# request failed.
set -euo pipefail

[ $# -ge 1 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
addr=$1; shift
batch=1 duration=10s connections=16 queue=wrk-cycle label=wrk-sqs ceiling=0
for arg in "$@"; do
  case "$arg" in
    --batch=*) batch=${arg#*=} ;;
    --duration=*) duration=${arg#*=} ;;
    --connections=*) connections=${arg#*=} ;;
    --queue=*) queue=${arg#*=} ;;
    --label=*) label=${arg#*=} ;;
    --ceiling) ceiling=1 ;;
    *) echo "wrk_sqs.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)

if [ "$ceiling" = 1 ]; then
  queue_url="http://$addr/000000000000/$queue"
else
  reply=$(curl -sS --fail-with-body -X POST "http://$addr/" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: AmazonSQS.CreateQueue' \
    --data "{\"QueueName\":\"$queue\"}") ||
    { echo "wrk_sqs.sh: CreateQueue failed: $reply" >&2; exit 1; }
  queue_url=$(sed -n 's/.*"QueueUrl":"\([^"]*\)".*/\1/p' <<<"$reply" | sed 's,\\/,/,g')
  [ -n "$queue_url" ] || { echo "wrk_sqs.sh: no QueueUrl in $reply" >&2; exit 1; }
fi

out=$(QUEUE_URL=$queue_url BATCH=$batch LABEL=$label \
  wrk -t"$connections" -c"$connections" -d"$duration" --timeout 10s \
  -s "$here/sqs_cycle.lua" "http://$addr/")
result=$(grep '^RESULT' <<<"$out") ||
  { echo "wrk_sqs.sh: no RESULT from wrk:" >&2; echo "$out" >&2; exit 1; }
echo "$result"
if ! grep -q ' errors=0 ' <<<"$result" ||
  ! grep -q ' socket_errors=0 ' <<<"$result"; then
  echo "wrk_sqs.sh: requests failed (see the RESULT line)" >&2; exit 1
fi
