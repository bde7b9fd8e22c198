# secport: GNU Makefile.  `make` builds ./secport; `make check` runs every
# test, plain and under ASan+UBSan; `make demo` runs the demo; `make bench`
# runs the benchmarks.  Missing Debian packages are installed by
# scripts/deps.sh (as root) or named (otherwise).

CC ?= cc
PKGS = libgit2 sqlite3 jansson libdeflate
OPT ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
CPPFLAGS_ALL = -D_GNU_SOURCE -Isrc -Itests
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

B = build
SRC = $(wildcard src/*.c)
CORE = $(filter-out src/main.c src/cmd_%.c,$(SRC))
UNIT = $(wildcard tests/unit/t-*.c)
E2E = $(wildcard tests/e2e/t[0-9]*.sh)

OBJ = $(SRC:src/%.c=$(B)/obj/%.o)
ASAN_OBJ = $(SRC:src/%.c=$(B)/asan/%.o)
CORE_OBJ = $(CORE:src/%.c=$(B)/obj/%.o)
ASAN_CORE_OBJ = $(CORE:src/%.c=$(B)/asan/%.o)
UNIT_BIN = $(UNIT:tests/unit/%.c=$(B)/obj/%)
ASAN_UNIT_BIN = $(UNIT:tests/unit/%.c=$(B)/asan/%)

DEPS_STAMP = $(B)/.deps-ok
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

all: secport

$(DEPS_STAMP): scripts/deps.sh
	@mkdir -p $(B)
	@scripts/deps.sh
	@touch $@

secport: $(OBJ)
	$(CC) $(OPT) -o $@ $(OBJ) $(PKG_LIBS)

$(B)/asan/secport: $(ASAN_OBJ)
	$(CC) $(OPT) $(SAN) -o $@ $(ASAN_OBJ) $(PKG_LIBS)

$(B)/obj/%.o: src/%.c $(wildcard src/*.h) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(OPT) $(WARN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/asan/%.o: src/%.c $(wildcard src/*.h) $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(OPT) $(SAN) $(WARN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/obj/t-%: tests/unit/t-%.c tests/tap.h tests/lines.h tests/scratch.h $(CORE_OBJ)
	$(CC) $(OPT) $(WARN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(CORE_OBJ) $(PKG_LIBS)

$(B)/asan/t-%: tests/unit/t-%.c tests/tap.h tests/lines.h tests/scratch.h $(ASAN_CORE_OBJ)
	$(CC) $(OPT) $(SAN) $(WARN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(ASAN_CORE_OBJ) $(PKG_LIBS)

PROVE = prove --exec '' $(if $(V),-v,)
export ASAN_OPTIONS = abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS = print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS = suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

check: secport $(UNIT_BIN) $(B)/asan/secport $(ASAN_UNIT_BIN) check-banned check-docs
	@echo "== unit tests"
	$(PROVE) $(UNIT_BIN)
	@echo "== end-to-end tests"
	SECPORT=$(CURDIR)/secport $(PROVE) $(E2E)
	@echo "== unit tests under ASan+UBSan"
	$(PROVE) $(ASAN_UNIT_BIN)
	@echo "== end-to-end tests under ASan+UBSan"
	SECPORT=$(CURDIR)/$(B)/asan/secport $(PROVE) $(E2E)

check-banned:
	@! grep -nE '\b(strcpy|strcat|sprintf|strtok|gets)\(' src/*.c || \
		{ echo "banned function used (see src/banned.h)"; exit 1; }

check-docs: $(DEPS_STAMP)
	@for m in doc/*.[15]; do mandoc -Tlint -W warning $$m || exit 1; done

# Formatting is a hint (STYLE.md): what clang-format would make of the
# lines changed since FORMAT_BASE (the last commit; FORMAT_BASE=main for a
# branch).  Whole files are laid out by hand, as in the kernel.
FORMAT_BASE = HEAD
check-format:
	@command -v git-clang-format >/dev/null || \
		{ echo "check-format: needs clang-format (apt-get install clang-format)"; exit 1; }
	@out=$$(git clang-format --diff --extensions c,h $(FORMAT_BASE) -- src tests) || exit 1; \
	case "$$out" in diff*) printf '%s\n' "$$out"; exit 1;; esac

demo: secport
	@sh scripts/demo.sh

bench: secport
	@sh bench/run.sh

clean:
	rm -rf $(B) secport

.PHONY: all check check-banned check-docs check-format demo bench clean \
	bench-apply
.DELETE_ON_ERROR:

# The reachability engine's benchmark driver and benchmark (bench/reach.sh).
REACH_RUN_OBJ = $(addprefix $(B)/obj/,graph.o gitutil.o reach.o strbuf.o usage.o)
$(B)/obj/reach-run: bench/reach-run.c $(REACH_RUN_OBJ)
	$(CC) $(OPT) $(WARN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(REACH_RUN_OBJ) $(PKG_LIBS)

bench-reach: $(B)/obj/reach-run
	@REACH_RUN=$(CURDIR)/$(B)/obj/reach-run sh bench/reach.sh

.PHONY: bench-reach

bench-apply: secport
	@sh bench/apply.sh

# libFuzzer harnesses (fuzz/, see fuzz/README): `make fuzz` runs each for
# FUZZ_SECONDS, `make fuzz-ci` for 30 s; not part of `make check`.  clang
# is installed by scripts/deps.sh when missing.
FUZZ_SECONDS ?= 60
FUZZ_CC = clang
FUZZ_NAMES = trailers record patch place import config
FUZZ_FLAGS = -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CORE_OBJ = $(CORE:src/%.c=$(B)/fuzz/obj/%.o)
FUZZ_BIN = $(FUZZ_NAMES:%=$(B)/fuzz/fuzz-%)
FUZZ_CLANG_STAMP = $(B)/.clang-ok

$(FUZZ_CLANG_STAMP): scripts/deps.sh
	@mkdir -p $(B)
	@scripts/deps.sh clang
	@touch $@

$(B)/fuzz/obj/%.o: src/%.c $(wildcard src/*.h) $(DEPS_STAMP) $(FUZZ_CLANG_STAMP)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link,address,undefined $(filter-out -Werror,$(WARN)) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz-%: fuzz/fuzz-%.c fuzz/fuzz.h $(FUZZ_CORE_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer,address,undefined $(filter-out -Werror,$(WARN)) $(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(FUZZ_CORE_OBJ) $(PKG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-ci: $(FUZZ_BIN)
	@FUZZ_SEED=1 FUZZ_RUNS=ci sh fuzz/run.sh 180 $(FUZZ_NAMES)

.PHONY: fuzz fuzz-ci fuzz-build
.SECONDARY: $(FUZZ_CORE_OBJ)

# Fault injection: the LD_PRELOAD library of t6002 and t6003 (tests/fault/,
# which build their own copy; this one is for running them by hand:
# FAULT_KILL_AT=N LD_PRELOAD=build/fault.so ./secport apply ...).
$(B)/fault.so: tests/fault/fault.c
	@mkdir -p $(@D)
	$(CC) -Wall -Wextra -Werror -Wshadow -shared -fPIC -o $@ $< -ldl

fault: $(B)/fault.so

# valgrind: a subset of the e2e tests with SECPORT running ./secport under
# valgrind (tests/valgrind-secport.sh; suppressions in tests/valgrind.supp).
# A memory error or definite leak fails the command (exit 99) and so the
# test; every report is also kept in build/valgrind/vg.PID.log and the run
# fails when any is not empty (commands whose exit status a test ignores).
VALGRIND_TESTS = t2000-scan t2002-import t3000-apply t4000-affected t5001-export
valgrind: secport
	@command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 1; }
	@rm -rf $(B)/valgrind && mkdir -p $(B)/valgrind
	VALGRIND_LOG_DIR=$(CURDIR)/$(B)/valgrind SECPORT=$(CURDIR)/tests/valgrind-secport.sh \
		$(PROVE) $(VALGRIND_TESTS:%=tests/e2e/%.sh)
	@n=$$(ls $(B)/valgrind | wc -l); bad=$$(find $(B)/valgrind -name 'vg.*.log' -size +0 | sort); \
	echo "valgrind: $$n processes, $$(echo "$$bad" | grep -c .) with a report"; \
	for f in $$bad; do echo "== $$f"; cat "$$f"; done; [ -z "$$bad" ]

.PHONY: fault valgrind
