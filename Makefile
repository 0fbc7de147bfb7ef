# LeadRelay. `make demo` and `make test` set everything up on a fresh Debian machine.
SWIFT ?= swift
# tzdata: the IANA zones the time module converts with. libsqlite3-dev: the service's store (GRDB).
# python3: the demo's affiliate (scripts/demo_traffic.py, standard library only).
# lua-check: luacheck, the linter `make lint` runs on integrations/ (.luacheckrc).
# postgresql: the server the PostgreSQL store's tests start a throwaway cluster of.
DEBIAN_PACKAGES := liblua5.4-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev pkg-config tzdata python3 lua-check postgresql
BUILD_FLAGS ?=
ASAN_SCRATCH := .build-asan

.PHONY: deps bench-deps build release test test-asan bench bench-intake bench-e2e demo check seams lint luacheck format openapi clean

# Installs the Debian packages the build links against, only when one is missing.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(BUILD_FLAGS)

release: deps
	$(SWIFT) build -c release --product leadrelay

# The formatting, the module boundaries, the fixtures, the runtime tests under
# AddressSanitizer, a short run of every fuzz target, then every test (its summary last),
# with a throwaway PostgreSQL cluster on loopback for the PostgreSQL store's tests
# (scripts/postgres-test-cluster.sh: started before, stopped after, whatever happened).
test: deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory seams
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory fuzz-smoke
	LEADRELAY_TEST_POSTGRES_REQUIRED=1 scripts/postgres-test-cluster.sh run $(SWIFT) test $(BUILD_FLAGS)

# LeakSanitizer is off: XCTest on Linux keeps every test case object (and what it holds)
# to the end of the run, which it reports as leaks. VM memory is checked by the tests.
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path $(ASAN_SCRATCH) --filter RuntimeTests

# The module boundaries of docs/architecture.md: each Swift target imports only the targets
# Package.swift declares for it, and only the modules allowed to see a C library import it.
seams: deps
	scripts/check-seams.sh
	$(SWIFT) build --build-tests $(BUILD_FLAGS) --explicit-target-dependency-import-check error

# The Swift sources as .swift-format (at the root) wants them: `lint` fails on any finding
# and changes nothing; `format` rewrites the files in place. swift-format is part of the
# Swift toolchain (`swift format`), so neither needs anything installed. `lint` also checks
# docs/openapi.json (scripts/lint-openapi.sh: its embedded copy, and its structure with
# openapi-spec-validator from PyPI when that can be installed), and runs luacheck on the
# scripts (`make luacheck`).
SWIFT_FORMAT_PATHS := $(wildcard Sources Tests Benchmarks Fuzz) Package.swift

lint: deps
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_FORMAT_PATHS)
	scripts/lint-openapi.sh
	$(MAKE) --no-print-directory luacheck

# Every script and lib under integrations/ through luacheck with .luacheckrc (the sandbox's
# globals, read-only, and nothing else): any warning fails, naming file, line and column.
luacheck: deps
	luacheck --no-color --codes integrations

# docs/openapi.json (the API's description, edited by hand) embedded in the service, which
# serves it at GET /openapi.json: run after every change to the document.
openapi:
	scripts/embed-openapi.sh

format:
	$(SWIFT) format format --in-place --recursive --parallel $(SWIFT_FORMAT_PATHS)

# Lints every script against its recorded fixtures.
check: deps
	$(SWIFT) run $(BUILD_FLAGS) leadrelay check

bench: deps bench-deps
	$(SWIFT) run -c release leadrelay-bench
	$(MAKE) --no-print-directory bench-intake
	$(MAKE) --no-print-directory bench-e2e

# The load generator of the intake benchmark, installed only when missing.
BENCH_PACKAGES := wrk
bench-deps:
	@missing=""; for p in $(BENCH_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Issue 12, 13a and 13c (docs/performance.md): `leadrelay serve` (release) on a fresh store,
# wrk posting distinct leads over 64 connections for 10 s, the leads counted on disk; one
# line per run. RUNS, DURATION, CONNECTIONS and THREADS (wrk's) change the run.
bench-intake: deps bench-deps
	$(SWIFT) build -c release --product leadrelay
	$(SWIFT) build -c release --product leadrelay-bench
	scripts/bench-intake.sh

# Issue 12, 13b (docs/performance.md): leads per second from the POST to an accepted outcome
# stored, through integrations/irev.lua to an instant loopback target: `leadrelay serve`
# (release) on a fresh store, wrk posting LEADS distinct leads over 64 connections, the time
# until every lead is accepted taken from the store. RUNS, LEADS, CONNECTIONS and THREADS change the run.
bench-e2e: deps bench-deps
	$(SWIFT) build -c release --product leadrelay
	$(SWIFT) build -c release --product leadrelay-bench
	scripts/bench-e2e.sh

demo: deps
	./scripts/demo.sh

clean:
	rm -rf .build $(ASAN_SCRATCH)

# ---- Fuzzing (docs/fuzzing.md) -----------------------------------------------------------
# One libFuzzer target per folder of Fuzz/: harness/ (the SwiftPM target fuzz-<name>),
# corpus/ (seeds), optional fuzz.dict and extra-corpora. A new target is its folder, one
# line in Package.swift's fuzz block and its name here. The targets build alone (only the
# modules each needs, in release, with libFuzzer and AddressSanitizer) into FUZZ_SCRATCH.
FUZZ_TARGETS := response-parser json-decode request-target fixture-loader pattern-differential
FUZZ_SCRATCH := .build-fuzz
# `make fuzz`: seconds per target. `make test` (fuzz-smoke): seconds for all targets together.
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 16
FUZZ_BIN = $(FUZZ_SCRATCH)/release
# libFuzzer's coverage and AddressSanitizer in Swift and C code, and -enable-testing for the
# harnesses' @testable imports. `--sanitize fuzzer` tells SwiftPM that libFuzzer brings
# `main`; AddressSanitizer goes in by hand because `--sanitize address` would give swiftc a
# second -sanitize= flag, and swiftc keeps only the last one, in an order that changes from
# run to run (so every build dropped one of the two and rebuilt everything).
FUZZ_FLAGS := --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address -Xswiftc -enable-testing

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-clean

fuzz-build: deps
	@for t in $(FUZZ_TARGETS); do \
		LEADRELAY_FUZZ=1 $(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) --product fuzz-$$t $(FUZZ_FLAGS) || exit 1; \
	done

fuzz: fuzz-build
	scripts/fuzz.sh $(FUZZ_BIN) $(FUZZ_SCRATCH) each $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: fuzz-build
	scripts/fuzz.sh $(FUZZ_BIN) $(FUZZ_SCRATCH) smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_SCRATCH)
