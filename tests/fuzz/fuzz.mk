# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer targets for the parsers that see untrusted bytes: the engine's
# container list, its events stream, writes to kill files, and the API
# server's pod lists and watch lines.
#
#   make fuzz-build   build build-fuzz/fuzz_{list,events,kill,pods,watch}
#   make fuzz-short   run each target for FUZZ_SHORT seconds (default 15)
#   make fuzz         run each target for FUZZ_LONG seconds (default 600)
#
# Crashes are written to build-fuzz/crashes/<target>/; new corpus entries go
# to build-fuzz/corpus/<target>/ (the seeds in tests/fuzz/corpus/ are never
# touched). A crash input belongs in a unit test as a regression case.
FUZZ_CC      ?= clang
FUZZ_B        = build-fuzz
FUZZ_SHORT   ?= 15
FUZZ_LONG    ?= 600
FUZZ_TARGETS  = fuzz_list fuzz_events fuzz_kill fuzz_pods fuzz_watch
FUZZ_FLAGS    = -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer -Ifusefs \
                $(shell pkg-config --cflags jansson 2>/dev/null)
FUZZ_LIBS     = $(shell pkg-config --libs jansson 2>/dev/null)
FUZZ_COMMON   = fusefs/buf.c fusefs/lines.c fusefs/container.c fusefs/parse.c fusefs/jtrim.c \
                fusefs/killinput.c fusefs/escape.c fusefs/pod.c

$(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_COMMON) $(wildcard fusefs/*.h tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_COMMON) $(FUZZ_LIBS)

.PHONY: fuzz-build fuzz-short fuzz
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_B)/%)

# Runs every target for $(1) seconds; fails if any finds a crash.
define fuzz_run
	@rc=0; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/corpus/$$t $(FUZZ_B)/crashes/$$t; \
	    echo "fuzz: $$t for $(1) s"; \
	    $(FUZZ_B)/$$t -max_total_time=$(1) -max_len=8192 -timeout=10 \
	        -print_final_stats=1 \
	        -artifact_prefix=$(FUZZ_B)/crashes/$$t/ \
	        $(FUZZ_B)/corpus/$$t tests/fuzz/corpus/$$t \
	        > $(FUZZ_B)/$$t.log 2>&1 \
	        && echo "ok - fuzz $$t" \
	        || { echo "not ok - fuzz $$t"; tail -40 $(FUZZ_B)/$$t.log; rc=1; }; \
	done; exit $$rc
endef

fuzz-short: fuzz-build
	$(call fuzz_run,$(FUZZ_SHORT))

fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_LONG))
