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

/* escape_text of s[0..len) as a C string in a static buffer. */
static const char *esc(const char *s, size_t len)
{
    static char out[256];
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(escape_text(&b, s, len), 0);
    assert_true(b.len < sizeof out);
    memcpy(out, buf_str(&b), b.len + 1);
    buf_free(&b);
    return out;
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

static void plain_text_unchanged(void **state)
{
    (void)state;
    assert_string_equal(ESC(""), "");
    assert_string_equal(ESC("web"), "web");
    assert_string_equal(ESC("nginx:1.25 a=b ~!\"'"), "nginx:1.25 a=b ~!\"'");
    /* UTF-8 passes: names in other scripts stay readable. */
    assert_string_equal(ESC("caf\xc3\xa9 \xe2\x9c\x93"), "caf\xc3\xa9 \xe2\x9c\x93");
}

static void controls_become_hex(void **state)
{
    (void)state;
    assert_string_equal(ESC("x\rdockerfs.protect=true"),
                        "x\\x0ddockerfs.protect=true");
    assert_string_equal(ESC("\x1b[2J\a"), "\\x1b[2J\\x07");
    assert_string_equal(ESC("\x01\x1f\x7f\t"), "\\x01\\x1f\\x7f\\x09");
    assert_string_equal(ESC("a\nb"), "a\\nb");
    assert_string_equal(ESC("C:\\dir\\"), "C:\\\\dir\\\\");
    /* A raw NUL (counted text) and the pair parse.c stores one as. */
    assert_string_equal(esc("a\0b", 3), "a\\x00b");
    assert_string_equal(ESC("a" ESCAPE_NUL "b"), "a\\x00b");
    /* C0 alone, or C0 before anything but 80, is not UTF-8. */
    assert_string_equal(ESC("\xc0"), "\\xc0");
    assert_string_equal(ESC("\xc0\x81"), "\\xc0\\x81");
    /* The escape of an escape stays unambiguous. */
    assert_string_equal(ESC("\\x0d"), "\\\\x0d");
}

static void c1_and_invalid_utf8_become_hex(void **state)
{
    (void)state;
    /* CSI as UTF-8 (U+009B) and as a raw 8-bit byte: both escaped. */
    assert_string_equal(ESC("a\xc2\x9b" "2Jb"), "a\\xc2\\x9b2Jb");
    assert_string_equal(ESC("a\x9b" "2Jb"), "a\\x9b2Jb");
    assert_string_equal(ESC("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f");
    /* U+00A0 and beyond are text. */
    assert_string_equal(ESC("\xc2\xa0\xc3\xa9"), "\xc2\xa0\xc3\xa9");
    assert_string_equal(ESC("\xf0\x9f\x90\xb3"), "\xf0\x9f\x90\xb3");
    /* Latin-1, a cut sequence, an overlong, a surrogate, beyond U+10FFFF. */
    assert_string_equal(ESC("caf\xe9"), "caf\\xe9");
    assert_string_equal(ESC("\xe2\x9c"), "\\xe2\\x9c");
    assert_string_equal(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
    assert_string_equal(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");
    assert_string_equal(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
    assert_string_equal(ESC("\xff\xfe"), "\\xff\\xfe");
    char dst[8];
    /* A character is never cut in the middle. */
    assert_string_equal(escape_text_to(dst, sizeof dst, "abcde\xc3\xa9"), "abcde\xc3\xa9");
    assert_string_equal(escape_text_to(dst, sizeof dst, "abcdef\xc3\xa9"), "abcdef");
    assert_string_equal(escape_text_to(dst, sizeof dst, "\xc2\x9bx"), "");
}

static void every_byte_is_safe(void **state)
{
    (void)state;
    for (int ch = 0; ch < 256; ch++) {
        char in = (char)ch;
        const char *out = esc(&in, 1);
        for (const char *p = out; *p; p++)
            assert_false((unsigned char)*p < 0x20 || *p == 0x7f);
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            assert_int_equal(strlen(out), 1);
        if (ch >= 0x80)     /* alone, never UTF-8 */
            assert_int_equal(strlen(out), 4);
    }
}

static void limit_reported(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 5);
    assert_int_equal(escape_text(&b, "abc\rdef", 7), E2BIG);
    buf_free(&b);
}

static void fixed_array_cut_whole(void **state)
{
    (void)state;
    char dst[8];
    assert_string_equal(escape_text_to(dst, sizeof dst, "ab\r\ncd"), "ab\\x0d");
    assert_string_equal(escape_text_to(dst, sizeof dst, "abcd\re"), "abcd");
    assert_string_equal(escape_text_to(dst, sizeof dst, "1234567890"), "1234567");
    assert_string_equal(escape_text_to(dst, sizeof dst, NULL), "");
    assert_string_equal(escape_text_to(dst, 1, "x"), "");
    dst[0] = 'q';
    escape_text_to(dst, 0, "x");
    assert_int_equal(dst[0], 'q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_unchanged),
        cmocka_unit_test(controls_become_hex),
        cmocka_unit_test(c1_and_invalid_utf8_become_hex),
        cmocka_unit_test(every_byte_is_safe),
        cmocka_unit_test(limit_reported),
        cmocka_unit_test(fixed_array_cut_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
