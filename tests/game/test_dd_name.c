// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: name sanitising for the log, trimming, the names the player
// sees (Swarm tasks), errno names.

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

static void test_shown_name(void **state)
{
    char out[64];

    (void) state;
    // A replicated service's task: service and slot.
    assert_int_equal(DD_ShownNameLen("web.3.k2p9vq1x7m0a4c6e8g0i2k4m6"), 5);
    DD_ShownName(out, sizeof(out), "web.3.k2p9vq1x7m0a4c6e8g0i2k4m6", NULL,
                 NULL);
    assert_string_equal(out, "web.3");
    DD_ShownName(out, sizeof(out), "my.web.12.k2p9vq1x7m0a4c6e8g0i2k4m6",
                 "", "");
    assert_string_equal(out, "my.web.12");
    // A global service's task: the node id is no better than the task id.
    DD_ShownName(out, sizeof(out),
                 "agent.q1w2e3r4t5y6u7i8o9p0a1s2d.k2p9vq1x7m0a4c6e8g0i2k4m6",
                 NULL, NULL);
    assert_string_equal(out, "agent");
    // With an engine: " on ENGINE".
    DD_ShownName(out, sizeof(out), "web.3.k2p9vq1x7m0a4c6e8g0i2k4m6", NULL,
                 "n2");
    assert_string_equal(out, "web.3 on n2");
    DD_ShownName(out, sizeof(out), "db", NULL, "prod");
    assert_string_equal(out, "db on prod");
    // A pod: NAME.NAMESPACE, as the mount resolves it.
    DD_ShownName(out, sizeof(out), "web-7d9f8c6b5-x2x4z", "shop", NULL);
    assert_string_equal(out, "web-7d9f8c6b5-x2x4z.shop");
    DD_ShownName(out, sizeof(out), "web", "shop", "prod");
    assert_string_equal(out, "web.shop on prod");
    // Anything of another shape is shown whole.
    assert_int_equal(DD_ShownNameLen("web-1"), 5);
    assert_int_equal(DD_ShownNameLen(""), 0);
    assert_int_equal(DD_ShownNameLen(".3.k2p9vq1x7m0a4c6e8g0i2k4m6"), 28);
    assert_int_equal(DD_ShownNameLen("3.k2p9vq1x7m0a4c6e8g0i2k4m6"), 27);
    // The id: 25 characters, lower case letters and digits.
    assert_int_equal(DD_ShownNameLen("web.3.k2p9vq1x7m0a4c6e8g0i2k4m"), 30);
    assert_int_equal(DD_ShownNameLen("web.3.k2p9vq1x7m0a4c6e8g0i2k4m67"),
                     32);
    assert_int_equal(DD_ShownNameLen("web.3.K2P9VQ1X7M0A4C6E8G0I2K4M6"),
                     31);
    // The slot: a number without leading zero, or a node id.
    assert_int_equal(DD_ShownNameLen("web.03.k2p9vq1x7m0a4c6e8g0i2k4m6"),
                     32);
    assert_int_equal(DD_ShownNameLen("web.x.k2p9vq1x7m0a4c6e8g0i2k4m6"), 31);
    assert_int_equal(DD_ShownNameLen("web..k2p9vq1x7m0a4c6e8g0i2k4m6"), 30);
    // Too small a buffer cuts, and still terminates.
    DD_ShownName(out, 6, "web.3.k2p9vq1x7m0a4c6e8g0i2k4m6", NULL, "n2");
    assert_string_equal(out, "web.3");
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
        cmocka_unit_test(test_shown_name),
        cmocka_unit_test(test_errno_names),
    };

    return cmocka_run_group_tests_name("game_name", tests, NULL, NULL);
}
