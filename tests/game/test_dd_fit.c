// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: transliteration of names to the HUD font, label fitting and
// placement, message wrapping.

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dd_fit.h"

// Every character is 7 pixels wide except '.', which is 3.
static int width7(char c, void *ctx)
{
    (void) ctx;
    return c == '.' ? 3 : 7;
}

static void translit(const char *in, const char *want)
{
    char out[64];

    DD_Transliterate(out, sizeof(out), in);
    assert_string_equal(out, want);
}

static void test_transliterate(void **state)
{
    (void) state;
    // Spaces stay spaces; what cannot be drawn goes, not as a gap.
    translit("naïve café ✓", "naive cafe");
    translit("web server", "web server");
    translit("Ærøskøbing Straße", "AEroskobing Strasse");
    translit("Łódź Œuvre ĳ", "Lodz OEuvre ij");
    translit("Ñandú Ğğ Šš Žž ſ", "Nandu Gg Ss Zz s");
    translit("Ā ā Ą ą Ÿ ź", "A a A a Y z");
    // Runs of white space and dropped symbols leave one space.
    translit("a \t ✓✓ b\n", "a b");
    translit("  lead", "lead");
    // The font stops at '_': look-alikes for the rest.
    translit("a{b}|c~`", "a(b)!c-'");
    translit("“quote” – dash…", "\"quote\" - dash...");
    // Other scripts and emoji have nothing to draw.
    translit("日本語コンテナ", "");
    translit("🐳", "");
    // Broken UTF-8 is skipped byte by byte.
    translit("ab\xc3(cd\xff", "ab(cd");
    translit("\xe2\x82", "");
}

static void test_transliterate_small(void **state)
{
    char out[4];

    (void) state;
    // A letter that takes two never gets cut in half.
    DD_Transliterate(out, sizeof(out), "abß");
    assert_string_equal(out, "ab");
    DD_Transliterate(out, 1, "abc");
    assert_string_equal(out, "");
}

static void test_label_text(void **state)
{
    char out[64];

    (void) state;
    DD_LabelText(out, sizeof(out), "naïve café",
                 "0123456789abcdef0123");
    assert_string_equal(out, "naive cafe");
    // Nothing drawable: the short id.
    DD_LabelText(out, sizeof(out), "日本語コンテナ",
                 "0123456789abcdef0123");
    assert_string_equal(out, "0123456789ab");
    DD_LabelText(out, sizeof(out), "", "0123456789abcdef0123");
    assert_string_equal(out, "0123456789ab");
    // A Swarm task: service and slot, not the task id.
    DD_LabelText(out, sizeof(out), "web.3.k2p9vq1x7m0a4c6e8g0i2k4m6",
                 "0123456789abcdef0123");
    assert_string_equal(out, "web.3");
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

    // A cut at a space does not leave the space before the dots.
    w = DD_FitLabel(out, sizeof(out), "abcdefghi klmnop", 76, width7, NULL);
    assert_string_equal(out, "abcdefghi..");
    assert_int_equal(w, 9 * 7 + 6);

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

static void test_fit_name_at(void **state)
{
    char out[64];

    (void) state;
    // No engine: as DD_FitLabel.
    assert_int_equal(DD_FitNameAt(out, sizeof(out), "web", NULL, NULL, 100,
                                  width7, NULL), 21);
    assert_string_equal(out, "web");
    assert_int_equal(DD_FitNameAt(out, sizeof(out), "web", NULL, "", 100,
                                  width7, NULL), 21);
    assert_string_equal(out, "web");
    // Both fit.
    assert_int_equal(DD_FitNameAt(out, sizeof(out), "web", NULL, "prod", 100,
                                  width7, NULL), 56);
    assert_string_equal(out, "web@prod");
    // A long name is cut, the engine stays whole.
    DD_FitNameAt(out, sizeof(out), "frontend-server", NULL, "prod", 84, width7,
                 NULL);
    assert_string_equal(out, "fronte..@prod");
    // A long engine takes half at most.
    DD_FitNameAt(out, sizeof(out), "frontend", NULL, "production-eu", 100,
                 width7, NULL);
    assert_string_equal(out, "fronte..@produ..");
    // The engine's name is transliterated like the name was.
    DD_FitNameAt(out, sizeof(out), "web", NULL, "café", 100, width7, NULL);
    assert_string_equal(out, "web@cafe");
    // A pod: NAME.NS, as the mount resolves it; the namespace stays whole
    // and a long pod name is cut.
    assert_int_equal(DD_FitNameAt(out, sizeof(out), "web", "shop", "",
                                  100, width7, NULL), 52);
    assert_string_equal(out, "web.shop");
    DD_FitNameAt(out, sizeof(out), "web-7d9f8c6b5-x2x4z", "shop", NULL, 84,
                 width7, NULL);
    assert_string_equal(out, "web-7d...shop");
    // Namespace and engine: one suffix, half the width at most.
    DD_FitNameAt(out, sizeof(out), "web", "shop", "prod", 140, width7,
                 NULL);
    assert_string_equal(out, "web.shop@prod");
    DD_FitNameAt(out, sizeof(out), "frontend", "shop", "production-eu", 140,
                 width7, NULL);
    assert_string_equal(out, "frontend.shop@pro..");
}

static void test_label_left(void **state)
{
    (void) state;
    // Centred where there is room.
    assert_int_equal(DD_LabelLeft(160, 40, 0, 320), 140);
    // Near an edge: shifted inward, whole (SVC-1 keeps its S).
    assert_int_equal(DD_LabelLeft(5, 40, 0, 320), 0);
    assert_int_equal(DD_LabelLeft(315, 40, 0, 320), 280);
    assert_int_equal(DD_LabelLeft(-100, 40, 0, 320), 0);
    assert_int_equal(DD_LabelLeft(500, 40, 0, 320), 280);
    // Inside a smaller view window.
    assert_int_equal(DD_LabelLeft(20, 40, 16, 304), 16);
    // Wider than the space: starts at the left edge.
    assert_int_equal(DD_LabelLeft(160, 400, 0, 320), 0);
}

static void test_wrap(void **state)
{
    char lines[3][DD_LINE_LEN];
    int n;

    (void) state;
    // Fits on one line.
    n = DD_WrapText("killed web", 100, width7, NULL, lines, 2);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0], "killed web");

    // Broken at a space; every line fits.
    n = DD_WrapText("web-1: kill refused, EPERM (Operation not permitted)",
                    140, width7, NULL, lines, 3);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "web-1: kill refused,");
    assert_string_equal(lines[1], "EPERM (Operation not");
    assert_string_equal(lines[2], "permitted)");
    assert_true(strlen(lines[0]) * 7 <= 140);
    assert_true(strlen(lines[1]) * 7 <= 140);

    // More than fits in two lines: the second ends in "..".
    n = DD_WrapText("aaaa bbbb cccc dddd eeee", 63, width7, NULL, lines, 2);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0], "aaaa bbbb");
    assert_string_equal(lines[1], "cccc ddd..");

    // One word wider than a line is cut.
    n = DD_WrapText("abcdefghijkl", 35, width7, NULL, lines, 3);
    assert_int_equal(n, 3);
    assert_string_equal(lines[0], "abcde");
    assert_string_equal(lines[1], "fghij");
    assert_string_equal(lines[2], "kl");

    // Nothing to say.
    assert_int_equal(DD_WrapText("   ", 100, width7, NULL, lines, 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transliterate),
        cmocka_unit_test(test_transliterate_small),
        cmocka_unit_test(test_label_text),
        cmocka_unit_test(test_fit_label),
        cmocka_unit_test(test_fit_name_at),
        cmocka_unit_test(test_label_left),
        cmocka_unit_test(test_wrap),
    };

    return cmocka_run_group_tests_name("game_fit", tests, NULL, NULL);
}
