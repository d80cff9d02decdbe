/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for filter.c: --filter specs and the engine's filters JSON. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"

#define ID1 "4eeff8a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd"
#define ID2 "0000000000001111111111112222222222223333333333334444444444445555"

static void filters_bad(void **state)
{
    (void)state;
    const char *bad[] = { "=x", "nokey", "foo=bar", "label=", "status=",
                          "", "Label=x", "id" };
    struct filters f = { 0 };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char err[128] = "";
        assert_int_equal(filters_add(&f, bad[i], err, sizeof err), EINVAL);
        assert_true(strlen(err) > 0);
    }
    char err[128];
    assert_int_equal(filters_add(&f, "name=\xff\xfe", err, sizeof err), EINVAL);
    assert_int_equal(filters_add(&f, NULL, NULL, 0), EINVAL);
    assert_int_equal(f.n, 0);
    filters_free(&f);
}

static void filters_good_and_json(void **state)
{
    (void)state;
    struct filters f = { 0 };
    char err[128];
    int e = 5;
    assert_null(filters_json(&f, NULL, &e));
    assert_int_equal(e, 0);

    char *s = filters_json(&f, ID1, &e);
    assert_string_equal(s, "{\"id\":[\"" ID1 "\"]}");
    free(s);

    const char *keys[] = { "id", "name", "label", "exited", "status",
                           "ancestor", "before", "since", "volume", "network",
                           "publish", "expose", "health", "isolation", "is-task" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "%s=v", keys[i]);
        struct filters g = { 0 };
        assert_int_equal(filters_add(&g, spec, err, sizeof err), 0);
        assert_true(filters_has(&g, keys[i]));
        filters_free(&g);
    }

    assert_int_equal(filters_add(&f, "label=tier=db", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "status=running", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "label=a", err, sizeof err), 0);
    assert_int_equal(filters_add(&f, "name=we\"b", err, sizeof err), 0);
    assert_true(filters_has(&f, "label"));
    assert_true(filters_has(&f, "status"));
    assert_false(filters_has(&f, "id"));
    assert_false(filters_has(&f, "lab"));
    assert_false(filters_has(&f, NULL));
    assert_false(filters_has(NULL, "label"));

    s = filters_json(&f, NULL, &e);
    assert_int_equal(e, 0);
    assert_string_equal(s, "{\"label\":[\"tier=db\",\"a\"],\"status\":[\"running\"],"
                           "\"name\":[\"we\\\"b\"]}");
    free(s);
    s = filters_json(&f, ID2, NULL);
    assert_string_equal(s, "{\"label\":[\"tier=db\",\"a\"],\"status\":[\"running\"],"
                           "\"name\":[\"we\\\"b\"],\"id\":[\"" ID2 "\"]}");
    free(s);

    /* only_id joins an existing id filter's array. */
    assert_int_equal(filters_add(&f, "id=abc", err, sizeof err), 0);
    s = filters_json(&f, ID1, NULL);
    assert_non_null(strstr(s, "\"id\":[\"abc\",\"" ID1 "\"]"));
    free(s);
    filters_free(&f);
    assert_int_equal(f.n, 0);
    assert_null(filters_json(NULL, NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(filters_bad),
        cmocka_unit_test(filters_good_and_json),
    };
    return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
