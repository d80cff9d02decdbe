# SPDX-License-Identifier: GPL-2.0-or-later
# Test helpers in C (tests/tools/*.c), one binary each in $(B)/tests/tools/.
# Include from the Makefile: include tests/tools/tools.mk
TOOLS_SRCS := $(wildcard tests/tools/*.c)
TOOLS_BINS := $(TOOLS_SRCS:tests/tools/%.c=$(B)/tests/tools/%)

$(B)/tests/tools/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -o $@ $< $(ALL_LDFLAGS)

.PHONY: test-tools
test-tools: $(TOOLS_BINS)
