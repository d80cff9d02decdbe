// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: the netgame's scoreboard (dd_score).

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dd_score.h"

static const char *const names[] = { "alice", "bob", "carol", "dave" };

static void test_board(void **state)
{
    dd_score_t s;
    int ingame[4] = { 1, 1, 0, 0 };
    char text[64];

    (void) state;
    DD_ScoreInit(&s);
    DD_ScoreText(&s, names, ingame, 4, ", ", text, sizeof(text));
    assert_string_equal(text, "alice 0, bob 0");
    DD_ScoreKill(&s, 1);
    DD_ScoreKill(&s, 1);
    DD_ScoreKill(&s, 0);
    // Out of range: ignored.
    DD_ScoreKill(&s, -1);
    DD_ScoreKill(&s, DD_SCORE_PLAYERS);
    DD_ScoreText(&s, names, ingame, 4, ", ", text, sizeof(text));
    assert_string_equal(text, "alice 1, bob 2");
    // A player who left stays on the board once he has scored.
    DD_ScoreKill(&s, 2);
    DD_ScoreText(&s, names, ingame, 4, "  ", text, sizeof(text));
    assert_string_equal(text, "alice 1  bob 2  carol 1");
    ingame[0] = 0;
    ingame[1] = 0;
    ingame[2] = 0;
    DD_ScoreInit(&s);
    DD_ScoreText(&s, names, ingame, 4, ", ", text, sizeof(text));
    assert_string_equal(text, "");
}

static void test_cut(void **state)
{
    dd_score_t s;
    int ingame[4] = { 1, 1, 1, 1 };
    char text[12];

    (void) state;
    DD_ScoreInit(&s);
    DD_ScoreText(&s, names, ingame, 4, ", ", text, sizeof(text));
    assert_int_equal(strlen(text), sizeof(text) - 1);
    assert_memory_equal(text, "alice 0, bo", 11);
    DD_ScoreText(&s, names, ingame, 4, ", ", text, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_board),
        cmocka_unit_test(test_cut),
    };

    return cmocka_run_group_tests_name("game_score", tests, NULL, NULL);
}
