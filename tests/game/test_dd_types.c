// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: monster types for images.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dd_types.h"

static void test_distinct(void **state)
{
    const char *images[] = { "nginx", "redis", "postgres:16", "nginx",
                             "busybox", "redis" };
    dd_types_t t;
    int seen[6] = { 0 };
    int i;

    (void) state;
    DD_TypesInit(&t, 6);
    assert_int_equal(DD_TypesUpdate(&t, images, 6), 0);
    // Four images, six types: four different types.
    for (i = 0; i < 6; ++i)
    {
        int k = DD_TypeOf(&t, images[i]);

        assert_in_range(k, 0, 5);
        if (i != 3 && i != 5)
        {
            assert_int_equal(seen[k], 0);
        }
        seen[k] = 1;
    }
    // Same image, same type.
    assert_int_equal(DD_TypeOf(&t, "nginx"), DD_TypeOf(&t, images[3]));
    assert_int_equal(DD_TypeOf(&t, "redis"), DD_TypeOf(&t, images[5]));
}

static void test_full_house(void **state)
{
    char names[6][16];
    const char *images[6];
    dd_types_t t;
    int seen[6] = { 0 };
    int i;

    (void) state;
    // As many images as types: every type in use once.
    for (i = 0; i < 6; ++i)
    {
        snprintf(names[i], sizeof(names[i]), "image-%d", i);
        images[i] = names[i];
    }
    DD_TypesInit(&t, 6);
    DD_TypesUpdate(&t, images, 6);
    for (i = 0; i < 6; ++i)
    {
        seen[DD_TypeOf(&t, images[i])]++;
    }
    for (i = 0; i < 6; ++i)
    {
        assert_int_equal(seen[i], 1);
    }
    // One more image than types: it shares, by hash, stably.
    assert_in_range(DD_TypeOf(&t, "image-6"), 0, 5);
    assert_int_equal(DD_TypeOf(&t, "image-6"), DD_TypeOf(&t, "image-6"));
}

static void test_stable(void **state)
{
    const char *a[] = { "alpine", "nginx", "redis", "mysql", "node" };
    const char *b[] = { "node", "redis", "nginx", "mysql", "alpine",
                        "node" };
    dd_types_t ta;
    dd_types_t tb;
    int i;

    (void) state;
    // The same set seen at once, in any order: the same types (as in two
    // runs of the game on the same containers).
    DD_TypesInit(&ta, 9);
    DD_TypesInit(&tb, 9);
    DD_TypesUpdate(&ta, a, 5);
    DD_TypesUpdate(&tb, b, 6);
    for (i = 0; i < 5; ++i)
    {
        assert_int_equal(DD_TypeOf(&ta, a[i]), DD_TypeOf(&tb, a[i]));
    }
}

static void test_kept_and_released(void **state)
{
    const char *first[] = { "nginx", "redis" };
    const char *later[] = { "nginx", "redis", "mysql" };
    const char *gone[] = { "mysql" };
    dd_types_t t;
    int nginx;
    int redis;
    int mysql;

    (void) state;
    DD_TypesInit(&t, 2);
    DD_TypesUpdate(&t, first, 2);
    nginx = DD_TypeOf(&t, "nginx");
    redis = DD_TypeOf(&t, "redis");
    assert_int_not_equal(nginx, redis);
    // A new image never takes a type away from one in use.
    DD_TypesUpdate(&t, later, 3);
    assert_int_equal(DD_TypeOf(&t, "nginx"), nginx);
    assert_int_equal(DD_TypeOf(&t, "redis"), redis);
    mysql = DD_TypeOf(&t, "mysql");
    assert_in_range(mysql, 0, 1);
    // When the others are gone, it gets a type of its own and keeps it.
    DD_TypesUpdate(&t, gone, 1);
    assert_string_equal(t.owner[DD_TypeOf(&t, "mysql")], "mysql");
    DD_TypesUpdate(&t, later, 3);
    assert_string_equal(t.owner[DD_TypeOf(&t, "mysql")], "mysql");
    // An image that replaces another takes a type other than the one
    // just given up while there is one.
    {
        const char *one[] = { "old" };
        const char *other[] = { "new" };
        int was;

        DD_TypesInit(&t, 3);
        DD_TypesUpdate(&t, one, 1);
        was = DD_TypeOf(&t, "old");
        DD_TypesUpdate(&t, other, 1);
        assert_int_not_equal(DD_TypeOf(&t, "new"), was);
        assert_string_equal(t.owner[was], "");
    }
    // Nothing in use: every type free again.
    DD_TypesUpdate(&t, NULL, 0);
    assert_string_equal(t.owner[0], "");
    assert_string_equal(t.owner[1], "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_full_house),
        cmocka_unit_test(test_stable),
        cmocka_unit_test(test_kept_and_released),
    };

    return cmocka_run_group_tests_name("game_types", tests, NULL, NULL);
}
