# Thin wrapper around Meson. Targets: deps build run test bench fuzz clean.
# SANITIZE=1 builds with ASan+UBSan (in build-asan/).
# make fuzz builds the libFuzzer harnesses with clang (in build-fuzz/) and runs each for
# FUZZ_SECONDS (fuzz/README.md).
BUILD   := build
MESONFLAGS :=
ifeq ($(SANITIZE),1)
BUILD   := build-asan
MESONFLAGS += -Db_sanitize=address,undefined -Db_lundef=false
endif
DATA    ?= ./var
LISTEN  ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60

.PHONY: deps build run test bench fuzz clean

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

fuzz:
	@scripts/install-deps --fuzz
	@[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzz=true --werror
	meson compile -C build-fuzz fuzzers
	@FUZZ_BUILD=build-fuzz FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run

clean:
	rm -rf build build-asan build-fuzz
