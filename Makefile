# SPDX-License-Identifier: GPL-2.0-or-later
# dockerdoom — kill Docker containers by shooting monsters in DOOM.
#
#   make            build dockerfs (build/dockerfs)
#   make check      install what is missing, build, run every test
#   make lint       shellcheck over every shell script (part of check)
#   make play       install, build, mount dockerfs, start the game container
#   make stop       stop the game container and unmount
#   make game       build the patched chocolate-doom (build/game/chocolate-doom)
#   make audio      build ddaudio, the game's sound to the noVNC page
#   make bench      benchmarks (not part of check)
#   make soak       the co-op game for 5 minutes of play (not part of check)
#   make install    dockerfs, its man page and systemd unit (PREFIX, DESTDIR)
#   make deb        Debian packages dockerfs and dockerdoom (build/deb)
#
# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-san/ (the test runner does this itself).

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
SAN     ?=
ifeq ($(SAN),1)
B       ?= build-san
# DOCKERFS_ASSERT: the modules' invariant checks (buf, lines, table).
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined \
           -DDOCKERFS_ASSERT -UNDEBUG
else
B       ?= build
SANFLAGS =
endif
WARN     = -Wall -Wextra -Werror
PKGS     = fuse3 libcurl jansson libcrypto yaml-0.1
PKG_CONFIG ?= pkg-config
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -MMD -MP $(DEPCFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

.PHONY: all check play stop game bench install uninstall clean fuzz
all: $(B)/dockerfs

# These three are in every tree make runs in; the rest are missing from the
# game image's build stage (Dockerfile) and the installed package's
# /usr/share/dockerdoom, which only build the game (tests/package checks
# that every plain include is shipped).
include fusefs/fusefs.mk
include tests/tests.mk
include game/game.mk
-include container/container.mk
-include container/audio/audio.mk
-include tests/helpers/tools/tools.mk
-include tests/helpers/vnc/vnc.mk
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk
-include tests/faults/faults.mk
-include debian/deb.mk

# A fresh machine lacks the libraries' development files: name them and the
# one command that installs them, rather than fail on a missing header.
.PHONY: depcheck
depcheck:
	@missing=$$(for p in $(PKGS); do $(PKG_CONFIG) --exists $$p 2>/dev/null || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "make: missing development files (pkg-config $(PKG_CONFIG)):" $$missing >&2; \
	    echo "make: install them with: sudo apt-get install -y" \
	        $$(container/deps.sh build --list) "(or: sudo container/deps.sh build)" >&2; \
	    exit 1; \
	fi
$(FUSEFS_OBJS) $(B)/fusefs/main.o: | depcheck

clean:
	rm -rf build build-san build-fuzz
