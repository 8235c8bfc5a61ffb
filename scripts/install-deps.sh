#!/usr/bin/env bash
# Installs every Debian package Cortado needs to build, run and test.
# Idempotent: when every package is already installed it does nothing (no
# apt-get update, no network), so `make run` and `make test` stay fast.
set -euo pipefail

packages=(
  # build
  cmake ninja-build ccache pkg-config g++ clang clang-format
  # libFuzzer and clang's sanitizer runtimes (`make fuzz`, tests/fuzz)
  libclang-rt-14-dev
  # libraries (yaml-cpp: the queues-and-topics files, docs/CONFIG.md)
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev libssl-dev libboost-dev libboost-system-dev
  libyaml-cpp-dev
  # cortado-server's allocator (tcmalloc_minimal; docs/PERFORMANCE.md)
  libgoogle-perftools-dev
  # the PostgreSQL store (server/store/postgres_*): libpq (pipeline mode);
  # coffee-consumer (client/coffee): libpqxx; their tests, benchmark and the
  # README tutorial run a real PostgreSQL server (and psql)
  libpq-dev libpqxx-dev postgresql postgresql-client
  # `make package` (CPack's dependency list comes from dpkg-shlibdeps) and
  # its test (systemd-analyze verify)
  dpkg-dev systemd
  # tests
  googletest libgtest-dev libgmock-dev
  # real-client tests (tests/clients): AWS CLI v2 (query protocol) as
  # /usr/bin/aws; Node.js for the JS SDK v3 test; chromium for the web
  # console's browser test (tests/clients/js/console.test.mjs)
  awscli nodejs chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm ships inside some nodejs builds (NodeSource); Debian packages it apart.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -ne 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The JS SDK v3 for tests/clients/js (scripts/install-client-deps.sh) is
# installed by `make test`, not here: `make run` needs no test client.
