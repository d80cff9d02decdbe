# SPDX-License-Identifier: GPL-2.0-or-later
# dockerfs: every module but main.c goes into libdockerfs.a, which the unit
# tests and fuzz targets link against.
FUSEFS_SRCS := $(filter-out fusefs/main.c,$(wildcard fusefs/*.c))
FUSEFS_OBJS := $(FUSEFS_SRCS:fusefs/%.c=$(B)/fusefs/%.o)

# Every object is compiled with the version (-DDOCKERFS_VERSION): a new
# VERSION rebuilds them, so dockerfs --version and the User-Agent follow.
$(B)/fusefs/%.o: fusefs/%.c $(wildcard VERSION)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DDOCKERFS_VERSION='"$(VERSION)"' -c -o $@ $<

$(B)/libdockerfs.a: $(FUSEFS_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/dockerfs: $(B)/fusefs/main.o $(B)/libdockerfs.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEPLIBS) -lpthread

install: $(B)/dockerfs
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 0755 $(B)/dockerfs $(DESTDIR)$(PREFIX)/bin/dockerfs
	install -m 0644 fusefs/dockerfs.1 $(DESTDIR)$(PREFIX)/share/man/man1/dockerfs.1
	sed 's|@PREFIX@|$(PREFIX)|g' fusefs/dockerfs.service \
	    > $(DESTDIR)$(PREFIX)/lib/systemd/system/dockerfs.service

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dockerfs \
	    $(DESTDIR)$(PREFIX)/share/man/man1/dockerfs.1 \
	    $(DESTDIR)$(PREFIX)/lib/systemd/system/dockerfs.service

-include $(FUSEFS_OBJS:.o=.d) $(B)/fusefs/main.d
