// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: a level's tally of kills (dd_tally).

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dd_tally.h"

static void text_is(const dd_tally_t *t, const char *want)
{
    char text[128];

    DD_TallyText(t, text, sizeof(text));
    assert_string_equal(text, want);
}

static void fields_are(const dd_tally_t *t, const char *want)
{
    char text[128];

    DD_TallyFields(t, text, sizeof(text));
    assert_string_equal(text, want);
}

static void test_empty(void **state)
{
    dd_tally_t t;

    (void) state;
    DD_TallyInit(&t);
    text_is(&t, "nothing removed");
    fields_are(&t, "removed=0 refused=0 failed=0 errs=-");
}

static void test_counts(void **state)
{
    dd_tally_t t;
    int i;

    (void) state;
    DD_TallyInit(&t);
    for (i = 0; i < 12; ++i)
    {
        DD_TallyResult(&t, 0);
    }
    text_is(&t, "removed 12");
    DD_TallyResult(&t, EPERM);
    text_is(&t, "removed 12, refused 1 (EPERM)");
    fields_are(&t, "removed=12 refused=1 failed=0 errs=EPERM");
    // The same errno again is counted, not named twice.
    DD_TallyResult(&t, EPERM);
    DD_TallyResult(&t, EIO);
    DD_TallyResult(&t, EACCES);
    DD_TallyResult(&t, ETIMEDOUT);
    text_is(&t, "removed 12, refused 3 (EPERM, EACCES), "
                "failed 2 (EIO, ETIMEDOUT)");
    fields_are(&t, "removed=12 refused=3 failed=2 "
                   "errs=EPERM,EIO,EACCES,ETIMEDOUT");
}

static void test_only_failures(void **state)
{
    dd_tally_t t;

    (void) state;
    DD_TallyInit(&t);
    DD_TallyResult(&t, EISDIR);
    text_is(&t, "failed 1 (EISDIR)");
    DD_TallyResult(&t, EPERM);
    text_is(&t, "refused 1 (EPERM), failed 1 (EISDIR)");
}

// Past DD_TALLY_ERRS distinct errnos the counts go on, the names stop.
static void test_many_errnos(void **state)
{
    static const int errs[] = { EIO, EBUSY, EAGAIN, ETIMEDOUT, ENOENT,
                                EISDIR };
    dd_tally_t t;
    size_t i;

    (void) state;
    DD_TallyInit(&t);
    for (i = 0; i < sizeof(errs) / sizeof(errs[0]); ++i)
    {
        DD_TallyResult(&t, errs[i]);
    }
    text_is(&t, "failed 6 (EIO, EBUSY, EAGAIN, ETIMEDOUT)");
}

// A small buffer gets a cut, terminated text.
static void test_small(void **state)
{
    dd_tally_t t;
    char text[12];

    (void) state;
    DD_TallyInit(&t);
    DD_TallyResult(&t, 0);
    DD_TallyResult(&t, EPERM);
    DD_TallyText(&t, text, sizeof(text));
    assert_string_equal(text, "removed 1, ");
    DD_TallyFields(&t, text, sizeof(text));
    assert_int_equal(strlen(text), sizeof(text) - 1);
    DD_TallyText(&t, text, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_only_failures),
        cmocka_unit_test(test_many_errnos),
        cmocka_unit_test(test_small),
    };

    return cmocka_run_group_tests_name("game_tally", tests, NULL, NULL);
}
