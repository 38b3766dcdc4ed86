# vigil: build with `make`, test with `make test`, demo with `make demo`.
# Each module is a static library; the CLI links them. See README.md.

CC      ?= cc
PKGS    := libcurl libxml-2.0 libpcre2-8 libzstd sqlite3 libidn2 libcrypto libutf8proc
CFLAGS  ?= -O2 -g
# -pthread: the crawl's worker pool (crawler/pool.c); glibc 2.34+ would link
# without it, other C libraries would not.
override CFLAGS += -std=c17 -D_GNU_SOURCE -pthread -Wall -Wextra -Wshadow -Wstrict-prototypes \
	   -DVIGIL_VERSION='"0.1.0"'
BUILD   ?= build
SETUP_STAMP := $(BUILD)/.deps-ok

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer

MODULES := common config parser archive crawler
define module_vars
$(1)_SRC := $$(wildcard $(1)/*.c $(1)/*/*.c)
$(1)_OBJ := $$(patsubst %.c,$(BUILD)/%.o,$$($(1)_SRC))
$(1)_LIB := $(BUILD)/lib$(1).a
endef
$(foreach m,$(MODULES),$(eval $(call module_vars,$(m))))

# Link order: dependants first.
LIBS := $(crawler_LIB) $(archive_LIB) $(parser_LIB) $(config_LIB) $(common_LIB)

CLI_SRC := $(wildcard cli/*.c)
CLI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(CLI_SRC))

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
UNIT_HELP := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))
EVAL_BIN  := $(BUILD)/eval/classify_eval

.PHONY: all setup test unit e2e demo clean asan bench bench-crawl bench-search bench-classify fuzz fuzz-one fuzz-replay fuzz-binaries eval
all: $(BUILD)/vigil $(BUILD)/vigil.1

setup: $(SETUP_STAMP)
$(SETUP_STAMP): scripts/setup.sh
	@bash scripts/setup.sh
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/%.o: %.c $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(foreach m,$(MODULES),$(eval $($(m)_LIB): $($(m)_OBJ) ; @mkdir -p $$(dir $$@) && rm -f $$@ && ar rcs $$@ $$^))

# --as-needed (before the libraries it applies to) keeps a library the
# program does not call out of its start-up; lazy binding (the default,
# not -z now) is the cheaper start for vigil's own calls. bench/README.md
# "Start-up" has the figures and where the rest of the cost comes from.
VIGIL_LINK_FLAGS := -Wl,-O1 -Wl,--as-needed
$(BUILD)/vigil: $(CLI_OBJ) $(LIBS)
	$(CC) $(CFLAGS) $(VIGIL_LINK_FLAGS) -o $@ $(CLI_OBJ) $(LIBS) $(PKG_LIBS) $(LDFLAGS)

# The manual page comes from the same option tables as --help (cli/man.c).
$(BUILD)/vigil.1: $(BUILD)/vigil
	$(BUILD)/vigil help --man >$@.tmp && mv $@.tmp $@

# make install [PREFIX=/usr/local] [DESTDIR=]: the program, the shipped
# configuration it finds as ../share/vigil from its bin/ (config/README.md),
# the manual page and the systemd units (README "Installing and running
# daily"). Nothing of PREFIX is compiled in: the tree can be moved.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/vigil
MANDIR  ?= $(PREFIX)/share/man
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
SHIPPED_RULES := $(wildcard config/rules/*.rules config/rules/*.phrases)
SYSTEMD_UNITS := vigil.service vigil.timer

.PHONY: install uninstall
install: $(BUILD)/vigil $(BUILD)/vigil.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(SYSTEMD_UNITDIR)
	install -m 755 $(BUILD)/vigil $(DESTDIR)$(BINDIR)/vigil
	install -m 644 config/sources.conf $(DESTDIR)$(DATADIR)/sources.conf
	install -m 644 $(SHIPPED_RULES) $(DESTDIR)$(DATADIR)/rules/
	install -m 644 $(BUILD)/vigil.1 $(DESTDIR)$(MANDIR)/man1/vigil.1
	for u in $(SYSTEMD_UNITS); do \
		sed 's|@BINDIR@|$(BINDIR)|g' contrib/systemd/$$u >$(DESTDIR)$(SYSTEMD_UNITDIR)/$$u.tmp && \
		chmod 644 $(DESTDIR)$(SYSTEMD_UNITDIR)/$$u.tmp && \
		mv $(DESTDIR)$(SYSTEMD_UNITDIR)/$$u.tmp $(DESTDIR)$(SYSTEMD_UNITDIR)/$$u || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vigil $(DESTDIR)$(MANDIR)/man1/vigil.1 \
		$(DESTDIR)$(DATADIR)/sources.conf $(patsubst config/rules/%,$(DESTDIR)$(DATADIR)/rules/%,$(SHIPPED_RULES)) \
		$(patsubst %,$(DESTDIR)$(SYSTEMD_UNITDIR)/%,$(SYSTEMD_UNITS))
	rmdir $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR) 2>/dev/null || true

# A unit test test_<module>_*.c links only its module and what that module
# depends on, so each module is also checked to link alone.
DEPS_common  := $(common_LIB)
DEPS_config  := $(config_LIB) $(common_LIB)
DEPS_parser  := $(parser_LIB) $(config_LIB) $(common_LIB)
DEPS_archive := $(archive_LIB) $(common_LIB)
DEPS_crawler := $(LIBS)
test_module = $(word 2,$(subst _, ,$(notdir $(1))))

.SECONDEXPANSION:
$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HELP) $$(DEPS_$$(call test_module,$$*)) $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(UNIT_HELP) $(DEPS_$(call test_module,$*)) $(PKG_LIBS) $(LDFLAGS)

# Fuzz targets (fuzz/README.md). The replay build runs each target on its
# saved inputs with any compiler and is part of `make test`; the libFuzzer
# build (clang, ASan, UBSan) lives in build/fuzz and is made by fuzz/build.sh.
FUZZ_NAMES  := $(patsubst fuzz/%.c,%,$(wildcard fuzz/*_fuzzer.c))
FUZZ_REPLAY := $(patsubst %,$(BUILD)/fuzz-replay/%,$(FUZZ_NAMES))
FUZZ_TIME   ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)

$(BUILD)/fuzz-replay/%: fuzz/%.c fuzz/replay_main.c fuzz/fuzz_check.h $(LIBS) $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -DFUZZ_TARGET='"$*"' -o $@ fuzz/replay_main.c $< $(LIBS) $(PKG_LIBS) $(LDFLAGS)

$(BUILD)/fuzz-bin/%: fuzz/%.c fuzz/fuzz_check.h $(LIBS) $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBS) $(PKG_LIBS) $(LDFLAGS)

fuzz-binaries: $(patsubst %,$(BUILD)/fuzz-bin/%,$(FUZZ_TARGETS))

fuzz-replay: $(FUZZ_REPLAY)
	@fail=0; for t in $(FUZZ_NAMES); do \
		out=$$($(BUILD)/fuzz-replay/$$t 2>&1) || fail=1; echo "$$out" | sed "s|^|$$t: |"; \
	done; exit $$fail

# make fuzz [FUZZ_TIME=60] [FUZZ_TARGETS="a b"]: every target for FUZZ_TIME s.
fuzz:
	@bash fuzz/build.sh $(FUZZ_TARGETS)
	@bash fuzz/run.sh $(FUZZ_TIME) $(FUZZ_TARGETS)

# make fuzz-one TARGET=NAME FUZZ_TIME=3600: one target, e.g. in the background.
fuzz-one:
	@test -n "$(TARGET)" || { echo "usage: make fuzz-one TARGET=NAME [FUZZ_TIME=s]"; exit 2; }
	@bash fuzz/build.sh $(TARGET)
	@bash fuzz/run.sh $(FUZZ_TIME) $(TARGET)

# The test command: unit tests, then the end-to-end test over the demo site,
# then the fuzz targets replaying their seeds and saved crashes; the last
# line is "N passed, N failed".
test: $(BUILD)/vigil $(BUILD)/vigil.1 $(UNIT_BIN) $(FUZZ_REPLAY) $(EVAL_BIN)
	@bash tests/run.sh $(BUILD)

# Classification quality on the development set (tests/classify-dev/README.md)
# and the Kazakh region lexicon on KazNERD; fails when a figure drops below
# tests/classify-dev/baseline.txt. `make test` runs the same driver
# (tests/e2e/classify_eval_test.sh) without the baseline gate.
REFERENCE_DIR ?= ../shared/reference
$(EVAL_BIN): tests/eval/classify_eval.c $(DEPS_parser) $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(DEPS_parser) $(PKG_LIBS) -lm $(LDFLAGS)

eval: $(EVAL_BIN)
	$(EVAL_BIN) --baseline tests/classify-dev/baseline.txt \
		$(if $(wildcard $(REFERENCE_DIR)/kaznerd_region_kk.dev.jsonl),--kaznerd $(REFERENCE_DIR)/kaznerd_region_kk.dev.jsonl)

demo: $(BUILD)/vigil
	@bash scripts/demo.sh $(BUILD)/vigil

bench: $(BUILD)/vigil
	@bash bench/run.sh $(BUILD)/vigil

# make bench-search [SEARCH_N=1000000] [SEARCH_ROUNDS=1]: search latency on a
# generated index of SEARCH_N materials (bench/gen_index.py, made once into
# bench/out/search-N; bench/README.md "Search").
SEARCH_N ?= 1000000
SEARCH_ROUNDS ?= 1
$(BUILD)/bench/search_bench: bench/search_bench.c $(archive_LIB) $(common_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(archive_LIB) $(common_LIB) $(PKG_LIBS) $(LDFLAGS)
bench-search: $(BUILD)/vigil $(BUILD)/bench/search_bench
	@[ -f bench/out/search-$(SEARCH_N)/queries.tsv ] || \
		python3 bench/gen_index.py $(BUILD)/vigil bench/out/search-$(SEARCH_N) $(SEARCH_N)
	$(BUILD)/bench/search_bench $(BUILD)/vigil bench/out/search-$(SEARCH_N) $(SEARCH_ROUNDS)

# make bench-classify [CLASSIFY_LOOPS=200]: classification speed with the
# shipped rules on the seeds (bench/classify_bench.c, bench/README.md).
SEEDS_DIR ?= ../shared/seeds
CLASSIFY_LOOPS ?= 200
$(BUILD)/classify_bench: bench/classify_bench.c $(DEPS_parser) $(SETUP_STAMP)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(DEPS_parser) $(PKG_LIBS) $(LDFLAGS)

bench-classify: $(BUILD)/classify_bench
	$(BUILD)/classify_bench -r config/rules -q -n $(CLASSIFY_LOOPS) $(sort $(wildcard $(SEEDS_DIR)/*.txt))

# make bench-crawl [BENCH_PAGES=20000] [BENCH_ROUNDS=3]: vigil against wget and
# wget2 on a generated site served by nginx (bench/crawl.sh, bench/README.md).
BENCH_PAGES ?= 20000
BENCH_ROUNDS ?= 3
bench-crawl: $(BUILD)/vigil
	@bash bench/crawl.sh --pages $(BENCH_PAGES) --rounds $(BENCH_ROUNDS)

# Process start-up: vigil --help against /bin/true (bench/startup.sh).
.PHONY: bench-startup
bench-startup: $(BUILD)/vigil
	@bash bench/startup.sh $(BUILD)/vigil

# Publication-date accuracy on the dated set (tests/fixtures/dates/labels.tsv;
# bench/eval_dates.py, parser/README.md "Dates").
.PHONY: eval-dates
eval-dates: $(BUILD)/vigil
	@python3 bench/eval_dates.py --vigil $(BUILD)/vigil

# The fault-injection test links a wrapper for every allocation, write and
# SQLite call of vigil's libraries (tests/fault/fault_inject.h); no other
# binary gets these flags or that source.
FAULT_WRAP := malloc calloc realloc strdup strndup write pwrite fsync \
	sqlite3_step sqlite3_exec sqlite3_prepare_v2 sqlite3_prepare_v3
FAULT_TEST := $(BUILD)/tests/test_crawler_faults
$(FAULT_TEST): tests/unit/test_crawler_faults.c tests/fault/fault_inject.c tests/fault/fault_inject.h \
		$(UNIT_HELP) $(DEPS_crawler) $(SETUP_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/unit -o $@ $< tests/fault/fault_inject.c $(UNIT_HELP) \
		$(DEPS_crawler) $(PKG_LIBS) $(LDFLAGS) $(foreach f,$(FAULT_WRAP),-Wl,--wrap=$(f))

# The whole fault sweep (make test runs a deterministic subset of it), and a
# sample of it under AddressSanitizer/LeakSanitizer (a leak or a memory error
# in a faulted crawl shows as its child's non-zero exit status).
.PHONY: test-faults test-faults-asan
test-faults: $(FAULT_TEST)
	VIGIL_FAULT_LEVEL=full $(FAULT_TEST)

test-faults-asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' \
		LDFLAGS='-fsanitize=address,undefined' build-asan/tests/test_crawler_faults
	VIGIL_FAULT_LEVEL=sample build-asan/tests/test_crawler_faults

# AddressSanitizer build in its own directory (used by tests/run.sh --asan).
asan:
	$(MAKE) BUILD=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer' LDFLAGS='-fsanitize=address,undefined' all

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
