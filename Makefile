# Thin wrapper around Meson. Targets: deps build run test bench clean.
# SANITIZE=1 builds with ASan+UBSan (in build-asan/); TSAN=1 with ThreadSanitizer (in
# build-tsan/; the test run stops at the first data race it reports).
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

.PHONY: deps build run test bench clean

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESONFLAGS) --werror

build: deps $(BUILD)/build.ninja
	meson compile -C $(BUILD)

run: build
	$(BUILD)/frankd --data $(DATA) --listen $(LISTEN)

test: build
	@scripts/install-deps --e2e
	@BUILD=$(BUILD) scripts/run-tests

bench: build
	@scripts/install-deps --bench
	@BUILD=$(BUILD) bench/run

clean:
	rm -rf build build-asan build-tsan
