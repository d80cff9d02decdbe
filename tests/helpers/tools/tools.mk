# SPDX-License-Identifier: GPL-2.0-or-later
# Test helpers in C (tests/helpers/tools/*.c), one binary each in $(B)/tests/helpers/tools/.
# Include from the Makefile: include tests/helpers/tools/tools.mk
TOOLS_SRCS := $(wildcard tests/helpers/tools/*.c)
TOOLS_BINS := $(TOOLS_SRCS:tests/helpers/tools/%.c=$(B)/tests/helpers/tools/%)

$(B)/tests/helpers/tools/%: tests/helpers/tools/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -o $@ $< $(ALL_LDFLAGS)

.PHONY: test-tools
test-tools: $(TOOLS_BINS)
