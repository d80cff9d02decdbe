/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for log.c: the stderr format. */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "log.h"

static void emit_lines(void)
{
    log_open(0, 0);
    errno = EAGAIN;
    log_info("hello %d", 5);
    assert_int_equal(errno, EAGAIN);
    log_debug("hidden");
    log_err("bad");
    char big[3000];
    memset(big, 'n', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    log_info("name=%s image=nginx", big);
    log_open(0, 1);
    log_debug("shown");
    log_open(0, 0);
}

static void stderr_format(void **state)
{
    (void)state;
    char *out = capture_stderr(emit_lines);
    regex_t re;
    assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                             "[0-9]{2}\\.[0-9]{3}Z dockerfs: info: hello 5$",
                             REG_EXTENDED | REG_NEWLINE), 0);
    assert_int_equal(regexec(&re, out, 0, NULL, 0), 0);
    regfree(&re);
    assert_null(strstr(out, "hidden"));
    assert_non_null(strstr(out, "error: bad\n"));
    assert_non_null(strstr(out, "debug: shown\n"));
    assert_long_line_whole(out);
    assert_int_equal(count_lines(out), 4);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stderr_format),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
