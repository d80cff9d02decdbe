# SPDX-License-Identifier: GPL-2.0-or-later
# VNC test client (tests/helpers/vnc/): $(B)/tests/helpers/vncplay, used by
# tests/e2e/, and $(B)/tests/helpers/pngcheck for its screenshots.
# Needs libvncclient (libvncserver-dev) and libpng (libpng-dev).
VNC_SRCS    := tests/helpers/vnc/vncplay.c tests/helpers/vnc/script.c tests/helpers/vnc/keys.c tests/helpers/vnc/pngout.c
VNC_OBJS    := $(VNC_SRCS:tests/helpers/vnc/%.c=$(B)/tests/helpers/vnc/%.o)
VNC_CFLAGS  := $(shell pkg-config --cflags libvncclient libpng 2>/dev/null)
VNC_LIBS    := $(shell pkg-config --libs libvncclient libpng 2>/dev/null)

$(B)/tests/helpers/vnc/%.o: tests/helpers/vnc/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(VNC_CFLAGS) -c -o $@ $<

# An explicit rule: it wins over tests.mk's $(B)/tests/% pattern.
$(B)/tests/helpers/vncplay: $(VNC_OBJS)
	@mkdir -p $(@D)
	$(CC) -o $@ $(VNC_OBJS) $(ALL_LDFLAGS) $(VNC_LIBS)

.PHONY: vncplay
vncplay: $(B)/tests/helpers/vncplay

# Compares and measures the screenshots (libpng only).
PNG_CFLAGS  := $(shell pkg-config --cflags libpng 2>/dev/null)
PNG_LIBS    := $(shell pkg-config --libs libpng 2>/dev/null)
$(B)/tests/helpers/pngcheck: tests/helpers/vnc/pngcheck.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PNG_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(PNG_LIBS)

-include $(VNC_OBJS:.o=.d)
