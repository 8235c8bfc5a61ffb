# Cortado: `make run` starts a broker, `make test` proves it. Both install the
# Debian packages they need first (scripts/install-deps.sh, a no-op when
# everything is present).

BUILD       ?= build
CHECK_BUILD ?= build-check
FUZZ_BUILD  ?= build-fuzz
FUZZ_SECONDS ?= 600
FUZZ_RUNS   ?= 2000
GENERATOR   := -G Ninja
ARGS        ?=

# ccache keys on absolute paths unless told the tree's root: with these, a
# fresh clone in another directory (CI's) reuses the objects of earlier builds.
export CCACHE_BASEDIR  := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: all deps configure build tools run package test test-main test-check thread-safety fuzz-build fuzz-smoke fuzz bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release >/dev/null

# Everything, the tests included.
build: configure
	@cmake --build $(BUILD)

# The programs a user runs beside the server: the `cortado` CLI,
# coffee-consumer and cafeteria-producer (no tests).
TOOLS := cortado coffee-consumer cafeteria-producer
tools: configure
	@cmake --build $(BUILD) --target $(TOOLS)

# Builds only cortado-server (Release; no tests: a fresh machine reaches a
# serving broker in minutes, not after compiling every test) and starts it
# on its defaults (gRPC 127.0.0.1:50051, HTTP 127.0.0.1:9324, data in
# ./cortado-data). `make tools` builds the CLI and the coffee programs.
run: configure
	@cmake --build $(BUILD) --target cortado-server
	./$(BUILD)/server/cortado-server $(ARGS)

# A Debian package in $(BUILD)/: cortado-server, cortado, coffee-consumer, the
# systemd unit and /etc/cortado/cortado.yaml (packaging/CMakeLists.txt).
package: configure
	@cmake --build $(BUILD) --target cortado-server cortado coffee-consumer
	cd $(BUILD) && cpack

# The whole suite: every test of the Release build, clang's thread-safety
# analysis over the layers above the core, then the core again under
# -Wthread-safety -Werror with ASan+UBSan, and a short run of every fuzz
# target.
test: deps test-main thread-safety test-check fuzz-smoke

test-main: build
	@bash scripts/install-client-deps.sh
	ctest --test-dir $(BUILD) --output-on-failure -j2 --timeout 600

# rpc, gateway, cmd, client and examples: syntax-only clang passes with the
# Release build's flags (scripts/check-thread-safety.sh).
thread-safety: build
	@bash scripts/check-thread-safety.sh $(BUILD)

test-check: deps
	@cmake -S . -B $(CHECK_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DCORTADO_CORE_ONLY=ON -DCORTADO_THREAD_SAFETY=ON -DCORTADO_SANITIZE=ON >/dev/null
	@cmake --build $(CHECK_BUILD)
	ctest --test-dir $(CHECK_BUILD) --output-on-failure -j2 --timeout 600

# The libFuzzer targets of tests/fuzz (docs/RELIABILITY.md): clang like the
# check build, ASan+UBSan, libFuzzer's coverage instrumentation on every
# object; only the fuzz targets and the libraries they link are built.
fuzz-build: deps
	@cmake -S . -B $(FUZZ_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DCORTADO_SANITIZE=ON -DCORTADO_FUZZ=ON >/dev/null
	@cmake --build $(FUZZ_BUILD) --target fuzzers

# `make test`'s share: each target over its seeds plus FUZZ_RUNS inputs.
fuzz-smoke: fuzz-build
	@bash scripts/run-fuzzers.sh $(FUZZ_BUILD) --runs=$(FUZZ_RUNS)

# FUZZ_SECONDS (default 600) per target, one after the other; what they
# find is kept in $(FUZZ_BUILD)/fuzz-corpus, crashes in fuzz-artifacts.
fuzz: fuzz-build
	@bash scripts/run-fuzzers.sh $(FUZZ_BUILD) --seconds=$(FUZZ_SECONDS)

# A smoke benchmark (under a minute): a few Cortado figures and the SQLite
# ceiling in one short table. The full side-by-side run with RabbitMQ and
# nginx is bench/compare.sh (docs/PERFORMANCE.md). Installs the bench-only
# packages (scripts/install-bench-deps.sh); `make test` never does.
bench: deps
	@bash bench/compare.sh --smoke --build=$(BUILD)

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(CHECK_BUILD) $(FUZZ_BUILD)
