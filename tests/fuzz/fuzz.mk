# SPDX-License-Identifier: GPL-2.0-or-later
# libFuzzer targets for the parsers that see untrusted bytes: the engine's
# container list, its events stream, writes to kill files, and the API
# server's pod lists and watch lines.
#
#   make fuzz-build   build build-fuzz/fuzz_{list,events,kill,pods,watch}
#   make fuzz-short   run each target for FUZZ_SHORT seconds (default 15)
#   make fuzz         run each target for FUZZ_LONG seconds (default 600)
#   (FUZZ_JOBS targets at a time, default one a core)
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
                $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
FUZZ_LIBS     = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
FUZZ_COMMON   = fusefs/buf.c fusefs/lines.c fusefs/container.c fusefs/parse.c fusefs/jtrim.c \
                fusefs/killinput.c fusefs/escape.c fusefs/pod.c

$(FUZZ_B)/%: tests/fuzz/%.c $(FUZZ_COMMON) $(wildcard fusefs/*.h tests/fuzz/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_COMMON) $(FUZZ_LIBS)

.PHONY: fuzz-build fuzz-short fuzz
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_B)/%)

# Runs every target for $(1) seconds, FUZZ_JOBS of them at a time (one a
# core: each gets the CPU a run alone would); fails if any finds a crash.
# The results are told in the order of FUZZ_TARGETS.
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
define fuzz_run
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(FUZZ_B)/corpus/$$t $(FUZZ_B)/crashes/$$t; rm -f $(FUZZ_B)/$$t.rc; \
	done; \
	echo "fuzz: $(FUZZ_TARGETS) for $(1) s each, $(FUZZ_JOBS) at a time"; \
	printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(FUZZ_JOBS) -I{} sh -c \
	    '$(FUZZ_B)/{} -max_total_time=$(1) -max_len=8192 -timeout=10 \
	        -print_final_stats=1 -artifact_prefix=$(FUZZ_B)/crashes/{}/ \
	        $(FUZZ_B)/corpus/{} tests/fuzz/corpus/{} > $(FUZZ_B)/{}.log 2>&1; \
	     echo $$? > $(FUZZ_B)/{}.rc'; \
	rc=0; for t in $(FUZZ_TARGETS); do \
	    if [ "$$(cat $(FUZZ_B)/$$t.rc 2>/dev/null)" = 0 ]; then \
	        echo "ok - fuzz $$t"; \
	    else \
	        echo "not ok - fuzz $$t"; tail -40 $(FUZZ_B)/$$t.log; rc=1; \
	    fi; \
	done; exit $$rc
endef

fuzz-short: fuzz-build
	$(call fuzz_run,$(FUZZ_SHORT))

fuzz: fuzz-build
	$(call fuzz_run,$(FUZZ_LONG))
