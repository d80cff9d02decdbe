// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: name sanitising for the log, trimming, errno names.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_errno.h"
#include "dd_name.h"

static void test_sanitize(void **state)
{
    char out[8];

    (void) state;
    DD_SanitizeName(out, sizeof(out), "a b\tc\n");
    assert_string_equal(out, "a_b_c_");
    DD_SanitizeName(out, sizeof(out), "much-too-long");
    assert_string_equal(out, "much-to");
}

static void test_trim(void **state)
{
    char s[16] = "web-1 \r\n";

    (void) state;
    DD_TrimRight(s);
    assert_string_equal(s, "web-1");
}

static void test_errno_names(void **state)
{
    (void) state;
    assert_string_equal(DD_ErrnoName(0), "ok");
    assert_string_equal(DD_ErrnoName(EPERM), "EPERM");
    assert_string_equal(DD_ErrnoName(ENOENT), "ENOENT");
    assert_string_equal(DD_ErrnoName(EIO), "EIO");
    assert_string_equal(DD_ErrnoName(EBUSY), "EBUSY");
    assert_string_equal(DD_ErrnoName(ETIMEDOUT), "ETIMEDOUT");
    assert_string_equal(DD_ErrnoName(EROFS), "EROFS");
    assert_string_equal(DD_ErrnoName(EACCES), "EACCES");
    assert_string_equal(DD_ErrnoName(EINVAL), "EINVAL");
    // Every errno glibc knows by its name, not a number ("E40").
    assert_string_equal(DD_ErrnoName(ELOOP), "ELOOP");
    assert_string_equal(DD_ErrnoName(EHOSTUNREACH), "EHOSTUNREACH");
    assert_string_equal(DD_ErrnoName(ECONNRESET), "ECONNRESET");
    assert_string_equal(DD_ErrnoName(9999), "errno 9999");
    assert_true(DD_ErrnoRefused(EPERM));
    assert_true(DD_ErrnoRefused(EACCES));
    assert_false(DD_ErrnoRefused(EIO));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_errno_names),
    };

    return cmocka_run_group_tests_name("game_name", tests, NULL, NULL);
}
