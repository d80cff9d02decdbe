/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for container/audio/vncauth.c: the sound stream's password
   challenge must be VNC's own, answer for answer (libvncserver's
   rfbEncryptBytes is what x11vnc checks with). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <rfb/rfbproto.h>

#include "vncauth.h"

/* libvncserver's answer to challenge c for password pw. */
static void vnc_answer(const char *pw, const unsigned char c[16], unsigned char out[16])
{
    char key[64];
    memcpy(out, c, 16);
    snprintf(key, sizeof(key), "%s", pw);
    rfbEncryptBytes(out, key);
}

static void answers_match_libvncserver(void **state)
{
    static const char *pws[] = {
        "a", "q3Xv8TbN", "password", "12345678", "longer-than-eight",
        "\x01\x01\x01\x01\x01\x01\x01\x01",   /* a weak DES key */
        "\xfe\xfe\xfe\xfe\xfe\xfe\xfe\xfe", "~!@#$%^&",
    };
    unsigned char c[16], ours[16], theirs[16];
    (void)state;
    srand(7);
    for (size_t i = 0; i < sizeof(pws) / sizeof(pws[0]); i++) {
        for (int round = 0; round < 50; round++) {
            for (int k = 0; k < 16; k++)
                c[k] = (unsigned char)rand();
            assert_int_equal(vncauth_response(pws[i], c, ours), 0);
            vnc_answer(pws[i], c, theirs);
            assert_memory_equal(ours, theirs, 16);
            assert_true(vncauth_check(pws[i], c, theirs));
        }
    }
}

/* One answer written down, in case both libraries changed alike. */
static void known_answer(void **state)
{
    static const unsigned char c[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    unsigned char want[16], got[16];
    (void)state;
    vnc_answer("password", c, want);
    assert_int_equal(vncauth_response("password", c, got), 0);
    assert_memory_equal(got, want, 16);
    assert_memory_not_equal(got, c, 16);
}

static void wrong_answers_are_refused(void **state)
{
    unsigned char c[16], r[16];
    (void)state;
    assert_int_equal(vncauth_challenge(c), 0);
    assert_int_equal(vncauth_response("q3Xv8TbN", c, r), 0);
    assert_true(vncauth_check("q3Xv8TbN", c, r));
    /* Only 8 characters count, as in VNC. */
    assert_true(vncauth_check("q3Xv8TbNextra", c, r));
    assert_false(vncauth_check("q3Xv8Tb", c, r));
    assert_false(vncauth_check("Q3Xv8TbN", c, r));
    for (int bit = 0; bit < 128; bit++) {
        r[bit / 8] ^= (unsigned char)(1u << (bit % 8));
        assert_false(vncauth_check("q3Xv8TbN", c, r));
        r[bit / 8] ^= (unsigned char)(1u << (bit % 8));
    }
}

static void challenges_differ(void **state)
{
    unsigned char a[16], b[16];
    (void)state;
    assert_int_equal(vncauth_challenge(a), 0);
    assert_int_equal(vncauth_challenge(b), 0);
    assert_memory_not_equal(a, b, 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(answers_match_libvncserver),
        cmocka_unit_test(known_answer),
        cmocka_unit_test(wrong_answers_are_refused),
        cmocka_unit_test(challenges_differ),
    };
    return cmocka_run_group_tests_name("audio_vncauth", tests, NULL, NULL);
}
