# nrm — build, run and test. `make` builds build/nrm; `make run` and `make test` install
# what is missing first (scripts/deps.sh). See README.md.

CC      ?= cc
PKGS    := libmicrohttpd jansson libsodium sqlite3 libutf8proc libcurl xlsxwriter cairo pangocairo liboath libqrencode
TPKGS   := criterion
WARN    := -Wall -Wextra -Werror -Wshadow -Wconversion -Wno-sign-conversion -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
BASE    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Isrc -MMD -MP
# Every source file of src/ starts with the list of banned functions (as git's banned.h).
BANNED  := -include src/core/banned.h
# pkg-config's answers, asked once; a package it does not know stops the build at once
# (check-pkgs) rather than as a puzzling compiler error.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lglpk -lm -lpthread
TEST_LIBS  = $(shell pkg-config --libs $(TPKGS) 2>/dev/null)

VERSION := $(shell cat VERSION)
# A folder per layer and per domain (README, "How it is built").
LAYERS  := core store secure match notify render case stats org agreement meeting prevention monitor report mail user oversight work rekey http api cli
SRC     := $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c))
LIBSRC  := $(filter-out src/cli/main.c,$(SRC))
UNIT    := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
APIT    := $(patsubst tests/api/%.c,%,$(filter-out tests/api/harness.c,$(wildcard tests/api/*.c)))

# The builds that make run and make test start use every core (a clean clone builds some
# seventy programs twice); `make JOBS=1 test` to build one file at a time.
JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

# Two flavours of the same build: plain (build/) and sanitized (build/asan/).
B       ?= build
EXTRA   ?=

OBJ     := $(patsubst src/%.c,$(B)/obj/%.o,$(LIBSRC))

.PHONY: all run test deps clean screens tests check-pkgs bench fuzz fuzz-build deb deb-test
all: $(B)/nrm

# Names every missing package (of the build, and of the tests when they are built).
check-pkgs:
	@missing=""; for p in $(PKGS) $(if $(filter tests,$(MAKECMDGOALS)),$(TPKGS)); do \
		pkg-config --exists $$p || missing="$$missing $$p"; done; \
	[ -f /usr/include/csv.h ] || missing="$$missing libcsv"; \
	[ -f /usr/include/glpk.h ] || missing="$$missing libglpk"; \
	if [ -n "$$missing" ]; then echo "nrm: missing development packages:$$missing (make deps installs them)" >&2; exit 1; fi

$(OBJ) $(B)/obj/cli/main.o: | check-pkgs

$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(BASE) $(BANNED) -DNRM_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CFLAGS) $(EXTRA) -c $< -o $@

$(B)/libnrm.a: $(OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(B)/nrm: $(B)/obj/cli/main.o $(B)/libnrm.a
	@echo "  LINK  $@"
	@$(CC) $(CFLAGS) $(EXTRA) -o $@ $^ $(PKG_LIBS)

$(B)/tests/unit_%: tests/unit/%.c tests/unit/fixture.h $(B)/libnrm.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	@$(CC) $(BASE) $(PKG_CFLAGS) $(CFLAGS) $(EXTRA) -o $@ $< $(B)/libnrm.a $(PKG_LIBS) $(TEST_LIBS)

$(B)/tests/api_%: tests/api/%.c tests/api/harness.c tests/api/harness.h $(B)/libnrm.a
	@mkdir -p $(dir $@)
	@echo "  TEST  $@"
	@$(CC) $(BASE) -Itests/api $(PKG_CFLAGS) $(CFLAGS) $(EXTRA) -o $@ $< tests/api/harness.c $(B)/libnrm.a $(PKG_LIBS) $(TEST_LIBS)

# The generator's suite runs it beside the nrm under test (tests/api/gen.c).
$(B)/tests/api_gen: $(B)/bench/gen

tests: $(B)/nrm $(B)/bench/gen $(addprefix $(B)/tests/unit_,$(UNIT)) $(addprefix $(B)/tests/api_,$(APIT))

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@sh scripts/run.sh

test: deps
	@sh scripts/deps.sh --ui
	@$(MAKE) --no-print-directory -j$(JOBS) tests
	@$(MAKE) --no-print-directory -j$(JOBS) tests B=build/asan CFLAGS="-O1 -g" EXTRA="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
	@sh tests/run.sh

screens: deps all
	@sh scripts/deps.sh --ui
	@node tests/ui/screens.mjs

# Load and abuse measured from outside (bench/README.md); not part of make test.
$(B)/bench/load: bench/load.c | check-pkgs
	@mkdir -p $(dir $@)
	@echo "  BENCH $@"
	@$(CC) $(BASE) $(BANNED) $(PKG_CFLAGS) $(CFLAGS) $(EXTRA) -o $@ $< $(PKG_LIBS)

# The generator of issue 15 (bench/README.md, "Generator"): the library's own operations.
$(B)/bench/gen: bench/gen.c bench/gen_case.c bench/gen_work.c bench/gen.h $(B)/libnrm.a
	@mkdir -p $(dir $@)
	@echo "  BENCH $@"
	@$(CC) $(BASE) $(BANNED) -Ibench $(PKG_CFLAGS) $(CFLAGS) $(EXTRA) -o $@ bench/gen.c bench/gen_case.c bench/gen_work.c $(B)/libnrm.a $(PKG_LIBS)

# Issue 15's measurements make their databases with bench/gen.
bench: $(B)/nrm $(B)/bench/load $(B)/bench/gen
	@sh bench/run.sh

# libFuzzer harnesses (fuzz/README.md): the library built again with clang, ASan and UBSan
# into build/fuzz/, one binary per fuzz/*.c but env.c; `make fuzz` runs each FUZZ_SECONDS
# (default 60) from its corpus in fuzz/corpus/NAME/. Not part of `make test`.
FUZZ_SECONDS ?= 60
FUZZ_SAN  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# clang only: a migration of several statements is written as adjacent literals on purpose.
FUZZ_WARN := -Wno-string-concatenation
FUZZ_HARN := $(patsubst fuzz/%.c,%,$(filter-out fuzz/env.c,$(wildcard fuzz/*.c)))

fuzz-build: check-pkgs
	@$(MAKE) --no-print-directory B=build/fuzz CC=clang CFLAGS="-O1 -g" EXTRA="$(FUZZ_SAN) $(FUZZ_WARN) -fsanitize=fuzzer-no-link" build/fuzz/libnrm.a
	@$(MAKE) --no-print-directory $(addprefix build/fuzz/fuzz_,$(FUZZ_HARN))
	@# The harnesses' demo databases (fuzz/env.c) are made again by the library that changed.
	@for d in build/fuzz/demo.db build/fuzz/demo-cases.db; do [ ! -f $$d ] || [ $$d -nt build/fuzz/libnrm.a ] || rm -f $$d $$d.key; done

build/fuzz/fuzz_%: fuzz/%.c fuzz/env.c fuzz/fuzz.h build/fuzz/libnrm.a
	@echo "  FUZZ  $@"
	@clang $(BASE) $(BANNED) -Ifuzz $(PKG_CFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< fuzz/env.c build/fuzz/libnrm.a $(PKG_LIBS)

fuzz: fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARN)

# The Debian package (debian/, README "Debian package") into build/deb/, built from a copy of
# the tree; `make deb-test` installs, runs, upgrades and purges it in a fresh bookworm chroot
# (debootstrap: downloads a base system, so it is not part of `make test`; root only).
deb: deps
	@sh scripts/deb.sh

deb-test: deps
	@sh tests/deb/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
