# Thin wrapper around Meson. Targets: deps build run test bench clean.
# SANITIZE=1 builds with ASan+UBSan (in build-asan/).
BUILD   := build
MESONFLAGS :=
ifeq ($(SANITIZE),1)
BUILD   := build-asan
MESONFLAGS += -Db_sanitize=address,undefined -Db_lundef=false
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
	rm -rf build build-asan
