# LeadRelay. `make demo` and `make test` set everything up on a fresh Debian machine.
SWIFT ?= swift
# tzdata: the IANA zones the time module converts with.
DEBIAN_PACKAGES := liblua5.4-dev libcurl4-openssl-dev libssl-dev pkg-config tzdata
BUILD_FLAGS ?=
ASAN_SCRATCH := .build-asan

.PHONY: deps build release test test-asan bench demo check clean

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

# The fixtures, the runtime tests under AddressSanitizer, then every test (its summary last).
test: deps
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-asan
	$(SWIFT) test $(BUILD_FLAGS)

# LeakSanitizer is off: XCTest on Linux keeps every test case object (and what it holds)
# to the end of the run, which it reports as leaks. VM memory is checked by the tests.
test-asan: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --sanitize=address --scratch-path $(ASAN_SCRATCH) --filter RuntimeTests

# Lints every script against its recorded fixtures.
check: deps
	$(SWIFT) run $(BUILD_FLAGS) leadrelay check

bench: deps
	$(SWIFT) run -c release leadrelay-bench

demo: deps
	./scripts/demo.sh

clean:
	rm -rf .build $(ASAN_SCRATCH)
