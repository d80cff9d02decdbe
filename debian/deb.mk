# SPDX-License-Identifier: GPL-2.0-or-later
# Debian packages (debian/). Included by the top Makefile.
#
#   make deb   dockerfs_VERSION_ARCH.deb and dockerdoom_VERSION_all.deb (with
#              .buildinfo and .changes) in build/deb/, then lintian on them
#
# dpkg-buildpackage writes to the parent of the tree it builds, so it builds
# a copy of this tree (without build output and VCS data) in build/deb/src:
# nothing is written outside the repository. LINTIAN=0 skips lintian.

DEB_OUT  := build/deb
DEB_TREE := $(DEB_OUT)/src/dockerdoom-$(VERSION)
LINTIAN  ?= 1

.PHONY: deb deb-version
# VERSION is the project's version; debian/changelog must be at the same
# (debian/rules stops on a mismatch too, for a dpkg-buildpackage by hand).
deb-version:
	@v=$$(dpkg-parsechangelog -S Version) && [ "$$v" = "$(VERSION)" ] || { \
	    echo "deb: debian/changelog is at $$v but VERSION says $(VERSION):" \
	         "add a changelog entry (dch -v $(VERSION))" >&2; exit 1; }

deb: deb-version
	rm -rf $(DEB_OUT)
	mkdir -p $(DEB_TREE)
	tar -c --exclude-vcs --exclude=./build --exclude=./build-san \
	    --exclude=./build-fuzz --exclude=node_modules -f - . | tar -x -C $(DEB_TREE) -f -
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b -Jauto
	mv $(DEB_OUT)/src/*.deb $(DEB_OUT)/src/*.buildinfo $(DEB_OUT)/src/*.changes $(DEB_OUT)/
	rm -rf $(DEB_OUT)/src
	@ls -l $(DEB_OUT)
ifeq ($(LINTIAN),1)
	lintian --fail-on error,warning --info $(DEB_OUT)/*.changes
endif
