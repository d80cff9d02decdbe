/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for skipped.c: a left-out container is said once, escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "capture.h"
#include "container.h"
#include "log.h"
#include "skipped.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

static void tell_many_times(void)
{
    log_open(0, 0);
    for (int i = 0; i < 5; i++) {
        skipped_log(NULL, ID1, "its record is over 1 MiB");
        skipped_log(NULL, ID2, "its record is not JSON (near '\n\x1b[2J')");
    }
    skipped_log(NULL, "../../etc/passwd", "bad id");
    skipped_log(NULL, "", "no id");
}

static void once_per_id_and_escaped(void **state)
{
    (void)state;
    char *out = capture_stderr(tell_many_times);
    assert_int_equal(count(out, "left out container 4eeff8a1b2c3: its record is over 1 MiB"), 1);
    assert_int_equal(count(out, "left out container 000000000000:"), 1);
    /* The reason cannot start a line of its own or reach a terminal raw. */
    assert_non_null(strstr(out, "near '\\n\\x1b[2J'"));
    assert_null(strchr(out, '\x1b'));
    /* An id that is not one is not repeated into the log. */
    assert_null(strstr(out, "passwd"));
    assert_int_equal(count(out, "left out container (no id)"), 1);
    int lines = 0;
    for (char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    free(out);
}

/* SKIPPED_KEEP ids told twice, then one more (which pushes the oldest
 * out), then the oldest again. */
static void tell_a_full_ring(void)
{
    char id[ID_LEN + 1];

    log_open(0, 0);
    for (int round = 0; round < 2; round++) {
        for (int i = 1; i <= SKIPPED_KEEP; i++) {
            snprintf(id, sizeof id, "%064x", i);
            skipped_log(NULL, id, "ring");
        }
    }
    snprintf(id, sizeof id, "%064x", SKIPPED_KEEP + 1);
    skipped_log(NULL, id, "ring");
    snprintf(id, sizeof id, "%064x", 1);
    skipped_log(NULL, id, "ring");
}

static void remembers_the_last_keep_ids(void **state)
{
    (void)state;
    char *out = capture_stderr(tell_a_full_ring);
    /* Each of SKIPPED_KEEP ids once, the new one, and the oldest again
     * once it has left the ring (the header's promise, both halves). */
    assert_int_equal(count(out, "left out container "), SKIPPED_KEEP + 2);
    assert_int_equal(count(out, "left out container 000000000000: ring"),
                     SKIPPED_KEEP + 2);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(once_per_id_and_escaped),
        cmocka_unit_test(remembers_the_last_keep_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
