# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks (tests/bench/): `make bench`, not part of `make check`.
# BENCH_SIZES="10 100 1000" shortens the listing sizes (default
# "10 100 1000 10000"); results go to $(B)/bench-results/<timestamp>/.
# Then the fleet row (tests/bench/fleet.sh, also `make bench-fleet`),
# every kind of change to a container (run, rm, stop, start, pause,
# unpause, rename, protect, unprotect, image) to the game's line for it at
# 8 and 300 containers (tests/bench/changes.sh, also `make bench-changes`
# or `make bench-pause`), the game's sound to the noVNC page
# (tests/bench/sound.sh, also `make bench-sound`), the Kubernetes rows
# (tests/bench/kube.sh, also `make bench-kube`; the cluster's binaries
# from `make kube-bin`), and the tic rate of every game of a netgame of 2
# and 4 players with 300 containers, on a frozen mount too
# (tests/bench/netgame.sh, also `make bench-netgame`).
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_OBJS := $(BENCH_SRCS:tests/bench/%.c=$(B)/bench/%.o)

$(B)/bench/%.o: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/bench -c -o $@ $<

$(B)/bench/ddbench: $(BENCH_OBJS)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEPLIBS) -lpthread

.PHONY: bench bench-build
bench-build: $(B)/dockerfs $(B)/bench/ddbench

bench: bench-build game kube-bin
	B=$(B) tests/bench/run.sh
	B=$(B) tests/bench/fleet.sh
	B=$(B) tests/bench/changes.sh
	B=$(B) tests/bench/sound.sh
	B=$(B) tests/bench/kube.sh
	B=$(B) tests/bench/netgame.sh

# The fleet row alone: 3 engines x BENCH_FLEET_N (1000) against 1 x 3N.
bench-fleet: bench-build
	B=$(B) tests/bench/fleet.sh
.PHONY: bench-fleet

# The Kubernetes rows alone: pods on a real apiserver (BENCH_KUBE_SIZES).
bench-kube: bench-build kube-bin
	B=$(B) tests/bench/kube.sh
.PHONY: bench-kube

-include $(BENCH_OBJS:.o=.d)
bench-running: $(B)/dockerfs
	B=$(B) tests/bench/running.sh
.PHONY: bench-running

# The first `make play` of a fresh copy of this tree, to the password
# (tests/bench/play.sh; needs root, the packages installed, the network
# for the image's packages and the game's source).
bench-play:
	B=$(B) tests/bench/play.sh
.PHONY: bench-play

# From each kind of docker command (run, rm, stop, start, pause, unpause,
# rename, protect, unprotect, image) to the game's line for it, at 8 and
# 300 containers. bench-pause is its old name.
bench-changes bench-pause: $(B)/dockerfs game
	B=$(B) tests/bench/changes.sh
.PHONY: bench-changes bench-pause

# The game's sound to the noVNC page: latency, CPU, image size
# (tests/bench/sound.sh; needs the game image, builds it when missing).
bench-sound: bench-build
	B=$(B) tests/bench/sound.sh
.PHONY: bench-sound

# A netgame's tic rate with 300 container monsters (2 and 4 players, a
# frozen mount), and how long the shared list takes to reach every game.
bench-netgame: bench-build game
	B=$(B) tests/bench/netgame.sh
.PHONY: bench-netgame
