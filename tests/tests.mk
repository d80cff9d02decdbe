# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests (cmocka): tests/unit/test_*.c, each linked with libdockerfs.a.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c $(B)/libdockerfs.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ifusefs -o $@ $< $(B)/libdockerfs.a $(ALL_LDFLAGS) \
	    $(DEPLIBS) -lcmocka -lpthread

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

-include $(UNIT_BINS:=.d)

# The test cluster's kube-apiserver and kube-controller-manager, built once
# per machine from Debian's source package into a cache outside the clone
# (tests/kube/build.sh; tens of minutes the first time, then at once).
.PHONY: kube-bin
kube-bin:
	tests/kube/build.sh
