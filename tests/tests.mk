# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests (cmocka): tests/unit/test_*.c, each linked with libdockerfs.a.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c $(B)/libdockerfs.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ifusefs -o $@ $< $(B)/libdockerfs.a $(ALL_LDFLAGS) \
	    $(DEPLIBS) -lcmocka -lpthread

# test_container sees every free() of container.c (free_array).
$(B)/tests/test_container: ALL_LDFLAGS += -Wl,--wrap=free
# test_engine makes curl_easy_init fail (a request with no handle).
$(B)/tests/test_engine: ALL_LDFLAGS += -Wl,--wrap=curl_easy_init

.PHONY: unit-build unit
unit-build: $(UNIT_BINS)

# Runs every unit test binary, or with T=NAME only test_NAME (make unit
# T=parse); fails if any fails.
UNIT_RUN := $(if $(T),$(filter %/test_$(T),$(UNIT_BINS)),$(UNIT_BINS))
unit: $(UNIT_RUN)
	@[ -n "$(UNIT_RUN)" ] || { echo "make: no unit suite tests/unit/test_$(T).c" >&2; exit 2; }
	@rc=0; for t in $(UNIT_RUN); do $$t || rc=1; done; exit $$rc

check:
	tests/run

# The first run in a fresh Debian 12 root (not in make check: tens of
# minutes, most of it installing the play set and building the game and
# the image's root from nothing): tests/container/fresh-root.sh through
# the runner (deps, build, that script).
FRESH_TIMEOUT ?= 2400
.PHONY: check-fresh
check-fresh:
	SCRIPT_TIMEOUT=$(FRESH_TIMEOUT) tests/run container/fresh-root

# The co-op soak (not in make check): tests/e2e/50-coop.sh with
# SOAK_SECONDS (300) of play and a change every few seconds before the
# checks, as tests/run runs it (private engine, build).
SOAK_SECONDS ?= 300
.PHONY: soak
soak:
	COOP_SOAK=$(SOAK_SECONDS) tests/run e2e/50-coop

-include $(UNIT_BINS:=.d)

# The test cluster's kube-apiserver and kube-controller-manager, built once
# per machine from Debian's source package into a cache outside the clone
# (tests/kube/build.sh; tens of minutes the first time, then at once).
.PHONY: kube-bin
kube-bin:
	tests/kube/build.sh

# shellcheck over every shell script of the tree (*.sh, and files whose
# first line names sh or bash): no warning and no error may be left
# (.shellcheckrc holds its settings); eight scripts to a shellcheck, one
# shellcheck per core. Then no file may cite an issue or DESIGN. One
# ok/not ok line each for tests/run.
.PHONY: lint
lint:
	@command -v shellcheck >/dev/null || \
	    { echo "not ok - shellcheck: not installed (apt-get install shellcheck)"; exit 1; }
	@files=$$(find . \( -name .git -o -path ./build -o -path ./build-san \
	        -o -path ./build-fuzz -o -name node_modules \) -prune -o -type f -print | \
	    while IFS= read -r f; do \
	        case $$f in \
	            *.sh) echo "$$f" ;; \
	            *) head -n 1 "$$f" 2>/dev/null | grep -qaE '^#!.*[/ ](ba)?sh( |$$)' && echo "$$f" ;; \
	        esac; \
	    done | sort); \
	if out=$$(printf '%s\n' $$files | xargs -P "$$(nproc 2>/dev/null || echo 1)" -n 8 \
	        shellcheck -S warning 2>&1); then \
	    echo "ok - shellcheck: $$(echo "$$files" | wc -l) shell scripts, no warning"; \
	else \
	    echo "not ok - shellcheck: warnings in $$(echo "$$out" | grep -c '^In ') places"; \
	    echo "$$out" | sed 's/^/# /'; exit 1; \
	fi
	@# Issues and the design notes live outside the tree: a newcomer's
	@# clone has neither, so nothing in it may send them there.
	@if refs=$$(grep -rnIE '(DESIGN[ ]§|\b[Ii]ssues? #?[0-9]+\b)' . \
	        --exclude-dir=.git --exclude-dir=build --exclude-dir=build-san \
	        --exclude-dir=build-fuzz --exclude-dir=node_modules); then \
	    echo "not ok - no reference to an issue or to DESIGN (not in the tree)"; \
	    echo "$$refs" | sed 's/^/# /'; exit 1; \
	else \
	    echo "ok - no reference to an issue or to DESIGN (not in the tree)"; \
	fi
