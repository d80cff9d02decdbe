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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(once_per_id_and_escaped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
