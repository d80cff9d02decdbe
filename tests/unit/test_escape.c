/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for escape.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

/* escape_text of s[0..len) with flags, as a C string in b. */
static const char *esc(struct buf *b, const char *s, size_t len, unsigned flags)
{
    buf_reset(b);
    assert_int_equal(escape_text(b, s, len, flags), 0);
    return buf_str(b);
}

#define ESC(b, lit, f) esc(b, lit, sizeof(lit) - 1, f)

static void escapes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_string_equal(ESC(&b, "", 0), "");
    assert_string_equal(ESC(&b, "plain text: 1-2_3", 0), "plain text: 1-2_3");
    assert_string_equal(ESC(&b, "a\nb", 0), "a\\x0ab");
    assert_string_equal(ESC(&b, "a\nb", ESCAPE_NEWLINE_N), "a\\nb");
    assert_string_equal(ESC(&b, "x\rdockerfs.protect=true", 0),
                        "x\\x0ddockerfs.protect=true");
    assert_string_equal(ESC(&b, "\x1b[2J\a\t\x7f", ESCAPE_NEWLINE_N),
                        "\\x1b[2J\\x07\\x09\\x7f");
    assert_string_equal(ESC(&b, "back\\slash", 0), "back\\\\slash");
    assert_string_equal(ESC(&b, "\\x0a", 0), "\\\\x0a");   /* no forged escape */
    assert_string_equal(ESC(&b, "a\0b", 0), "a\\x00b");
    assert_string_equal(ESC(&b, "caf\xc3\xa9 \xff", 0), "caf\xc3\xa9 \xff");
    assert_string_equal(ESC(&b, "\x1f \x20 \x7e \x80", 0), "\\x1f \x20 \x7e \x80");
    buf_free(&b);
}

static void appends_and_limits(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_add(&b, "msg: ", 5), 0);
    assert_int_equal(escape_text(&b, "a\nb", 3, 0), 0);
    assert_string_equal(buf_str(&b), "msg: a\\x0ab");
    buf_free(&b);

    struct buf small;
    buf_init(&small, 5);
    assert_int_equal(escape_text(&small, "ab\ncd", 5, 0), E2BIG);
    /* What it kept is a whole escaped prefix, never half an escape. */
    assert_string_equal(buf_str(&small), "ab");
    buf_free(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes),
        cmocka_unit_test(appends_and_limits),
    };
    return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
