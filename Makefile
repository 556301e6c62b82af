# SPDX-License-Identifier: AGPL-3.0-or-later
# Thin wrapper around Meson. Targets: deps build run test e2e-pg bench fuzz package clean.
# make test runs the end-to-end files twice, on SQLite and on a throwaway PostgreSQL cluster;
# make e2e-pg runs only the PostgreSQL pass (docs/internals/testing.md).
# make package builds the Debian package (debian/) into build-deb/ (docs/internals/packaging.md).
# SANITIZE=1 builds with ASan+UBSan (in build-asan/); TSAN=1 with ThreadSanitizer (in
# build-tsan/; the test run stops at the first data race it reports).
# make fuzz builds the libFuzzer harnesses with clang (in build-fuzz/) and runs each for
# FUZZ_SECONDS (fuzz/README.md).
BUILD   := build
MESONFLAGS :=
ifeq ($(SANITIZE),1)
BUILD   := build-asan
MESONFLAGS += -Db_sanitize=address,undefined -Db_lundef=false
endif
ifeq ($(TSAN),1)
BUILD   := build-tsan
MESONFLAGS += -Db_sanitize=thread -Db_lundef=false
export TSAN_OPTIONS ?= halt_on_error=1 second_deadlock_stack=1
# the end-to-end files whose paths cross threads: webhooks and jobs, rendering, crash recovery
export E2E_FILES ?= tests/e2e/webhooks*.test.mjs tests/e2e/rendering.test.mjs tests/e2e/crash.test.mjs
endif
DATA    ?= ./var
LISTEN  ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60

.PHONY: deps build run test e2e-pg bench fuzz package clean

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESONFLAGS) --werror

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	FRANK_SHARE_DIR=data $(BUILD)/frankd --data $(DATA) --listen $(LISTEN)

test: build
	@scripts/install-deps --e2e --package
	@BUILD=$(BUILD) scripts/run-tests

e2e-pg: build
	@scripts/install-deps --e2e
	@BUILD=$(BUILD) scripts/run-tests e2e-pg

bench: build
	@scripts/install-deps --bench
	@BUILD=$(BUILD) bench/run

fuzz:
	@scripts/install-deps --fuzz
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true --werror
	meson compile -C build-fuzz fuzzers
	@FUZZ_BUILD=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

# dpkg-buildpackage writes to the parent directory; the results are moved to build-deb/
package:
	@scripts/install-deps --package
	DEB_BUILD_OPTIONS="nocheck parallel=$$(nproc) $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -us -uc -b
	@mkdir -p build-deb
	@v=$$(dpkg-parsechangelog -S Version); a=$$(dpkg-architecture -qDEB_HOST_ARCH); \
	mv ../frank_$${v}_$$a.deb ../frank-dbgsym_$${v}_$$a.deb ../frank_$${v}_$$a.buildinfo \
	   ../frank_$${v}_$$a.changes build-deb/ && ls -l build-deb/
	@tests/package/check-deb build-deb/frank_$$(dpkg-parsechangelog -S Version)_$$(dpkg-architecture -qDEB_HOST_ARCH).deb

clean:
	rm -rf build build-asan build-tsan build-fuzz build-deb
