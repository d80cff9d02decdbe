// Unit tests: image to monster type, name sanitising, label fitting,
// errno names and kill messages.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "dd_text.h"

static void test_image_index(void **state)
{
    int seen[6] = { 0 };
    char image[32];
    int i;
    int used = 0;

    (void) state;
    // Stable: the same image always maps to the same type.
    assert_int_equal(DD_ImageIndex("nginx:latest", 6),
                     DD_ImageIndex("nginx:latest", 6));
    assert_int_equal(DD_ImageIndex("", 1), 0);
    // Spread: 60 images use every one of 6 types.
    for (i = 0; i < 60; ++i)
    {
        int k;

        snprintf(image, sizeof(image), "image-%d", i);
        k = DD_ImageIndex(image, 6);
        assert_in_range(k, 0, 5);
        seen[k] = 1;
    }
    for (i = 0; i < 6; ++i)
    {
        used += seen[i];
    }
    assert_int_equal(used, 6);
}

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

// Every character is 7 pixels wide except '.', which is 3.
static int width7(char c, void *ctx)
{
    (void) ctx;
    return c == '.' ? 3 : 7;
}

static void test_fit_label(void **state)
{
    char out[64];
    int w;

    (void) state;
    // A typical compose name fits whole, not cut to 7 characters.
    w = DD_FitLabel(out, sizeof(out), "myapp-postgres-1", 150, width7, NULL);
    assert_string_equal(out, "myapp-postgres-1");
    assert_int_equal(w, 16 * 7);

    // Too wide: the longest prefix that leaves room for "..".
    w = DD_FitLabel(out, sizeof(out), "abcdefghijklmnopqrstuvwxyz", 76,
                    width7, NULL);
    assert_string_equal(out, "abcdefghij..");
    assert_int_equal(w, 10 * 7 + 6);
    assert_true(w <= 76);

    // Exactly fitting needs no dots.
    w = DD_FitLabel(out, sizeof(out), "abcd", 28, width7, NULL);
    assert_string_equal(out, "abcd");

    // Nothing fits.
    w = DD_FitLabel(out, sizeof(out), "abcd", 5, width7, NULL);
    assert_string_equal(out, "");
    assert_int_equal(w, 0);

    // A small buffer still gets a terminated, dotted prefix.
    w = DD_FitLabel(out, 6, "abcdefghij", 1000, width7, NULL);
    assert_string_equal(out, "abc..");
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
    assert_string_equal(DD_ErrnoName(9999), "E9999");
}

static void test_kill_message(void **state)
{
    char msg[80];

    (void) state;
    DD_KillMessage(msg, sizeof(msg), "web", 0);
    assert_string_equal(msg, "killed web");
    DD_KillMessage(msg, sizeof(msg), "web", EPERM);
    assert_non_null(strstr(msg, "web"));
    assert_non_null(strstr(msg, "EPERM"));
    DD_KillMessage(msg, 8, "a-very-long-name", EIO);
    assert_int_equal(strlen(msg), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_index),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_fit_label),
        cmocka_unit_test(test_errno_names),
        cmocka_unit_test(test_kill_message),
    };

    return cmocka_run_group_tests_name("game_text", tests, NULL, NULL);
}
