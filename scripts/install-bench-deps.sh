#!/usr/bin/env bash
# Installs the Debian packages only the benchmarks need (make bench,
# bench/compare.sh): the peers (RabbitMQ and its C client, nginx + wrk as the
# HTTP ceiling) and perf for profiling. Kept apart from install-deps.sh so
# `make test` stays lean. Idempotent: nothing happens when all are present.
# linux-perf is optional (not every kernel/VM has it).
set -euo pipefail

packages=(rabbitmq-server librabbitmq-dev wrk curl valgrind)
optional=(linux-perf)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
missing_optional=()
for p in "${optional[@]}"; do installed "$p" || missing_optional+=("$p"); done
# Any nginx flavour will do; nginx-light is the smallest.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx-light)
fi

# Optional packages are tried only alongside required ones, so a machine
# where linux-perf does not exist does not run apt-get on every call.
if [ ${#missing[@]} -ne 0 ]; then
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  # The rabbitmq-server and nginx packages start their system services on
  # install; the benchmark runs its own instances on other ports, so tell
  # invoke-rc.d not to start anything while installing.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod +x "$policy"
    created_policy=1
  fi
  cleanup() {
    if [ "$created_policy" = 1 ]; then "${sudo_cmd[@]}" rm -f "$policy"; fi
  }
  trap cleanup EXIT
  "${sudo_cmd[@]}" apt-get update -qq
  if [ ${#missing[@]} -ne 0 ]; then
    echo "install-bench-deps: installing ${missing[*]}"
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  for p in "${missing_optional[@]}"; do
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$p" ||
      echo "install-bench-deps: optional $p not available; profiling falls back to valgrind"
  done
fi
