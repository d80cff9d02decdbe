# Unit tests (cmocka): tests/unit/test_*.c, each linked with libdockerfs.a.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c $(B)/libdockerfs.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Ifusefs -o $@ $< $(B)/libdockerfs.a $(ALL_LDFLAGS) \
	    $(DEPLIBS) -lcmocka -lpthread

.PHONY: unit-build unit
unit-build: $(UNIT_BINS)

# Runs every unit test binary; fails if any fails.
unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc

check:
	tests/run

-include $(UNIT_BINS:=.d)
