// SPDX-License-Identifier: GPL-2.0-or-later
// Unit tests: which labels a crowd gets (dd_labelpick).

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dd_labelpick.h"

#define HALF 160

static dd_labelbox_t box(int x, int y, int width, int depth, int offcentre,
                         int whole)
{
    dd_labelbox_t b = { x, y, width, 9, depth, offcentre, whole };

    return b;
}

static void test_rank(void **state)
{
    dd_labelbox_t middle = box(0, 0, 10, 400, 0, 1);
    dd_labelbox_t edge = box(0, 0, 10, 400, HALF, 1);
    dd_labelbox_t beyond = box(0, 0, 10, 400, 5 * HALF, 1);

    (void) state;
    assert_int_equal(DD_LabelRank(&middle, HALF), 400);
    // At the edge it counts as twice as far.
    assert_int_equal(DD_LabelRank(&edge, HALF), 800);
    // Off-centre beyond the edge counts as the edge.
    assert_int_equal(DD_LabelRank(&beyond, HALF), 800);
    assert_int_equal(DD_LabelRank(&edge, 0), 400);
}

static void test_overlap(void **state)
{
    dd_labelbox_t a = box(10, 10, 20, 100, 0, 1);
    dd_labelbox_t right = box(31, 10, 20, 100, 0, 1);
    dd_labelbox_t touching = box(30, 10, 20, 100, 0, 1);
    dd_labelbox_t below = box(10, 20, 20, 100, 0, 1);
    dd_labelbox_t touching_below = box(10, 19, 20, 100, 0, 1);

    (void) state;
    assert_false(DD_LabelsOverlap(&a, &right));
    assert_false(DD_LabelsOverlap(&right, &a));
    assert_true(DD_LabelsOverlap(&a, &touching));
    assert_false(DD_LabelsOverlap(&a, &below));
    assert_true(DD_LabelsOverlap(&a, &touching_below));
    assert_true(DD_LabelsOverlap(&a, &a));
}

// Of two overlapping labels the nearer wins, wherever it is in the list.
static void test_nearest_first(void **state)
{
    dd_labelbox_t b[3] = {
        box(100, 50, 40, 900, 10, 1),
        box(110, 52, 40, 300, 10, 1),
        box(200, 50, 40, 1200, 10, 1),
    };
    int picked[3];

    (void) state;
    assert_int_equal(DD_LabelPick(b, 3, HALF, 3, picked), 2);
    assert_int_equal(picked[0], 1);
    assert_int_equal(picked[1], 2);
}

// Of two at the same depth the one nearer the middle of the view wins;
// one far off centre loses to a farther one in the middle.
static void test_centred_first(void **state)
{
    dd_labelbox_t b[3] = {
        box(100, 50, 40, 500, 150, 1),
        box(110, 52, 40, 500, 20, 1),
        box(90, 48, 40, 700, 0, 1),
    };
    int picked[3];

    (void) state;
    assert_int_equal(DD_LabelPick(b, 3, HALF, 3, picked), 1);
    assert_int_equal(picked[0], 1);
    b[1].whole = 0;
    assert_int_equal(DD_LabelPick(b, 3, HALF, 3, picked), 1);
    assert_int_equal(picked[0], 2);
}

// A label not whole is never drawn, and does not keep another out.
static void test_whole_or_nothing(void **state)
{
    dd_labelbox_t b[2] = {
        box(100, 50, 40, 200, 0, 0),
        box(110, 52, 40, 600, 0, 1),
    };
    int picked[2];

    (void) state;
    assert_int_equal(DD_LabelPick(b, 2, HALF, 2, picked), 1);
    assert_int_equal(picked[0], 1);
    b[1].whole = 0;
    assert_int_equal(DD_LabelPick(b, 2, HALF, 2, picked), 0);
}

// A crowd: at most max, never two overlapping, the picked ones in rank
// order, and every label left out either not whole, or overlapping one
// picked that ranks before it.
static void test_crowd(void **state)
{
    dd_labelbox_t b[300];
    int picked[32];
    int chosen[300] = { 0 };
    int n;
    int i;
    int j;

    (void) state;
    for (i = 0; i < 300; ++i)
    {
        b[i] = box((i * 37) % 280, 30 + (i * 53) % 150, 20 + i % 40,
                   200 + (i * 101) % 1300, (i * 29) % 200, i % 7 != 0);
    }
    n = DD_LabelPick(b, 300, HALF, 32, picked);
    assert_true(n > 0 && n <= 32);
    for (i = 0; i < n; ++i)
    {
        chosen[picked[i]] = 1;
        assert_true(b[picked[i]].whole);
        for (j = 0; j < i; ++j)
        {
            assert_false(DD_LabelsOverlap(&b[picked[i]], &b[picked[j]]));
            assert_true(DD_LabelRank(&b[picked[j]], HALF)
                        <= DD_LabelRank(&b[picked[i]], HALF));
        }
    }
    if (n < 32)
    {
        for (i = 0; i < 300; ++i)
        {
            int blocked = !b[i].whole;

            for (j = 0; j < n && !blocked && !chosen[i]; ++j)
            {
                blocked = DD_LabelsOverlap(&b[i], &b[picked[j]])
                       && DD_LabelRank(&b[picked[j]], HALF)
                          <= DD_LabelRank(&b[i], HALF);
            }
            assert_true(chosen[i] || blocked);
        }
    }
    assert_int_equal(DD_LabelPick(b, 300, HALF, 0, picked), 0);
    assert_int_equal(DD_LabelPick(b, 0, HALF, 32, picked), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_nearest_first),
        cmocka_unit_test(test_centred_first),
        cmocka_unit_test(test_whole_or_nothing),
        cmocka_unit_test(test_crowd),
    };

    return cmocka_run_group_tests_name("game_labelpick", tests, NULL, NULL);
}
