# SPDX-License-Identifier: GPL-2.0-or-later
# The game: chocolate-doom from Debian's source package + game/src + patch.
#
#   make game        build/game/chocolate-doom
#   make game-unit   cmocka tests of the pure parts (tests/game/test_*.c);
#                    T=kill runs just tests/game/test_dd_kill.c
#   make game-check  game-unit + the map sweep + the map specials + the
#                    Xvfb integration test
#
# The game always builds into build/game (SAN=1 does not apply to
# chocolate-doom itself); the unit tests follow $(B) like the rest.

GAME_B      := build/game
GAME_SRCDIR := $(GAME_B)/src
GAME_TREE   := $(GAME_B)/tree
GAME_CMAKE  := $(GAME_B)/cmake
GAME_PATCH  := game/chocolate-doom.patch
GAME_OURS   := $(wildcard game/src/*.c game/src/*.h)

.PHONY: game game-unit game-check game-clean

game: $(GAME_B)/chocolate-doom

$(GAME_SRCDIR)/.fetched: game/fetch-source.sh
	game/fetch-source.sh $(GAME_SRCDIR)

# A fresh copy of the pristine tree with the patch applied, redone when
# the patch changes; the fetched source itself is never modified.
$(GAME_TREE)/.patched: $(GAME_SRCDIR)/.fetched $(GAME_PATCH)
	rm -rf $(GAME_TREE)
	cp -a "$$(cat $(GAME_SRCDIR)/.fetched)" $(GAME_TREE)
	@# --fuzz=0: a Debian source whose context moved fails here rather
	@# than getting a hook in the wrong place.
	patch -d $(GAME_TREE) -p1 --fuzz=0 --no-backup-if-mismatch -s < $(GAME_PATCH)
	touch $@

$(GAME_CMAKE)/Makefile: $(GAME_TREE)/.patched game/game.mk
	cmake -S $(GAME_TREE) -B $(GAME_CMAKE) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DDOCKERDOOM_DIR=$(abspath game/src) > /dev/null

# chocolate-doom's own build is a few hundred files: unless make was given
# -j (then its job slots are shared), it compiles on every core.
$(GAME_B)/chocolate-doom: $(GAME_CMAKE)/Makefile $(GAME_OURS)
	cmake -S $(GAME_TREE) -B $(GAME_CMAKE) > /dev/null
	+@case " $$MAKEFLAGS" in *j*) j= ;; *) j=-j$$(nproc 2>/dev/null || echo 1) ;; esac; \
	echo "$(MAKE) -C $(GAME_CMAKE)$${j:+ $$j} chocolate-doom"; \
	$(MAKE) -C $(GAME_CMAKE) --no-print-directory $$j chocolate-doom
	@# Copy then rename: a running game (a benchmark, the container build)
	@# keeps its old binary instead of failing the copy with ETXTBSY.
	cp $(GAME_CMAKE)/src/chocolate-doom $@.tmp
	mv -f $@.tmp $@

# Unit tests: each test links the pure modules it needs (no game code).
GAME_PURE      := game/src/dd_table.c game/src/dd_scan.c game/src/dd_kill.c \
                  game/src/dd_worker.c game/src/dd_name.c game/src/dd_errno.c \
                  game/src/dd_fit.c game/src/dd_msg.c game/src/dd_types.c \
                  game/src/dd_reach.c game/src/dd_labelpick.c game/src/dd_tally.c \
                  game/src/dd_wire.c game/src/dd_sync.c game/src/dd_score.c
GAME_PURE_OBJS := $(GAME_PURE:game/src/%.c=$(B)/game-pure/%.o)
GAME_UNIT_SRCS := $(wildcard tests/game/test_*.c)
GAME_UNIT_BINS := $(GAME_UNIT_SRCS:tests/game/%.c=$(B)/tests/game/%)

# The pure modules are compiled once for all the suites.
$(B)/game-pure/%.o: game/src/%.c $(wildcard game/src/dd_*.h)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Igame/src \
	    -c -o $@ $<

$(B)/tests/game/%: tests/game/%.c $(GAME_PURE_OBJS) $(wildcard game/src/dd_*.h)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -Igame/src \
	    -o $@ $< $(GAME_PURE_OBJS) $(ALL_LDFLAGS) -lcmocka -lpthread

# T=NAME runs only test_NAME or test_dd_NAME (make game-unit T=kill).
GAME_UNIT_RUN := $(if $(T),$(filter %/test_$(T) %/test_dd_$(T),$(GAME_UNIT_BINS)),$(GAME_UNIT_BINS))
game-unit: $(GAME_UNIT_RUN)
	@[ -n "$(GAME_UNIT_RUN)" ] || { echo "make: no game unit suite tests/game/test_$(T).c" >&2; exit 2; }
	@rc=0; for t in $(GAME_UNIT_RUN); do $$t || rc=1; done; exit $$rc

# Reads the locked doors of the sweep's maps from the WAD (tests/game/sweep.sh).
$(B)/tests/game/sweep_check: tests/game/sweep_check.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -o $@ $< \
	    $(ALL_LDFLAGS)

# Every game test runs even when one before fails.
game-check: game-unit game $(B)/tests/game/sweep_check
	@rc=0; \
	tests/game/sweep.sh $(GAME_B)/chocolate-doom $(B)/tests/game/sweep_check || rc=1; \
	tests/game/specials.sh $(GAME_B)/chocolate-doom || rc=1; \
	tests/game/run-xvfb.sh $(GAME_B)/chocolate-doom || rc=1; \
	exit $$rc

game-clean:
	rm -rf $(GAME_B)

# Scan CPU at GAME_BENCH_N plain-directory entries, this tree against the
# scanner and table of main before the incremental scanner (a benchmark:
# prints figures, asserts nothing).
GAME_BENCH_N   ?= 10000
GAME_BENCH_OLD := a1483a7
$(B)/tests/game/bench_dd_scan: tests/game/bench_dd_scan.c $(GAME_PURE)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -Igame/src -o $@ $< \
	    game/src/dd_scan.c game/src/dd_table.c game/src/dd_name.c \
	    game/src/dd_worker.c -lpthread

$(B)/tests/game/bench_dd_scan_old: tests/game/bench_dd_scan.c
	@mkdir -p $(@D)/old
	for f in dd_scan.c dd_scan.h dd_table.c dd_table.h dd_text.c dd_text.h; do \
	    git show $(GAME_BENCH_OLD):game/src/$$f > $(@D)/old/$$f || exit 1; done
	$(CC) -std=gnu11 $(WARN) -O2 -D_GNU_SOURCE -DDD_BENCH_OLD -I$(@D)/old \
	    -o $@ $< $(@D)/old/dd_scan.c $(@D)/old/dd_table.c \
	    $(@D)/old/dd_text.c -lpthread

.PHONY: game-bench
game-bench: $(B)/tests/game/bench_dd_scan $(B)/tests/game/bench_dd_scan_old
	@d=$$(mktemp -d /tmp/dd-scan-bench.XXXXXX); \
	$(B)/tests/game/bench_dd_scan_old $$d/old $(GAME_BENCH_N); \
	$(B)/tests/game/bench_dd_scan $$d/new $(GAME_BENCH_N); \
	rc=$$?; rm -rf $$d; exit $$rc
