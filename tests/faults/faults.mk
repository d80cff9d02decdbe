# SPDX-License-Identifier: GPL-2.0-or-later
# Helpers of the fault tests (tests/faults/): the stalling engine proxy.
# Include from the Makefile: -include tests/faults/faults.mk
FAULTS_BINS := $(B)/tests/faults/stallproxy

$(B)/tests/faults/%: tests/faults/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE -o $@ $< $(ALL_LDFLAGS)

.PHONY: faults-tools
faults-tools: $(FAULTS_BINS)
