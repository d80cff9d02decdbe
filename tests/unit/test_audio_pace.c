/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for container/audio/pace.c: the clock ddaudio reads by. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pace.h"

#define MS 1000000ull
#define S 1000000000ull

static void due_follows_the_rate(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 44100, 4410, 5 * S);
    assert_int_equal(pace_due(&p, 5 * S), 0);
    assert_int_equal(pace_due(&p, 4 * S), 0);          /* before the start */
    assert_int_equal(pace_due(&p, 5 * S + 10 * MS), 441);
    pace_took(&p, 441);
    assert_int_equal(pace_due(&p, 5 * S + 10 * MS), 0);
    assert_int_equal(pace_due(&p, 5 * S + 20 * MS), 441);
    /* Taking less leaves the rest owed. */
    pace_took(&p, 400);
    assert_int_equal(pace_due(&p, 5 * S + 20 * MS), 41);
    assert_int_equal(pace_due(&p, 5 * S + 30 * MS), 482);
}

static void whole_seconds_are_exact(void **state)
{
    struct pace p;
    uint64_t total = 0;
    (void)state;
    /* 22050 Hz read every 7 ms for 60 s: no frame lost to rounding. */
    pace_init(&p, 22050, 22050, 0);
    for (uint64_t t = 7 * MS; t <= 60 * S; t += 7 * MS) {
        uint64_t d = pace_due(&p, t);
        pace_took(&p, d);
        total += d;
    }
    uint64_t end = (60 * S) / (7 * MS) * 7 * MS;
    assert_int_equal(total, end / MS * 22050 / 1000);
}

static void a_late_reader_takes_all_that_is_due(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 44100, 2205, 0);
    /* ddaudio did not run for 300 ms, the FIFO has it all: no frame is
       forgiven. */
    assert_int_equal(pace_due(&p, 300 * MS), 13230);
    pace_took(&p, 13230);
    assert_int_equal(pace_due(&p, 310 * MS), 441);
}

static void frames_the_fifo_lacks_are_forgiven(void **state)
{
    struct pace p;
    (void)state;
    pace_init(&p, 44100, 2205, 0);
    /* The game was away for 2 s: 1024 frames there, then dry. At most
       50 ms stay owed. */
    assert_int_equal(pace_due(&p, 2 * S), 88200);
    pace_took(&p, 1024);
    pace_dry(&p, 2 * S);
    assert_int_equal(pace_due(&p, 2 * S), 2205);
    /* Dry again with less owed than that: nothing more is forgiven. */
    pace_took(&p, 1000);
    pace_dry(&p, 2 * S);
    assert_int_equal(pace_due(&p, 2 * S), 1205);
    assert_int_equal(pace_due(&p, 2 * S + 10 * MS), 1646);
}

static void years_do_not_overflow(void **state)
{
    struct pace p;
    uint64_t ten_years = 10ull * 365 * 24 * 3600 * S;
    (void)state;
    pace_init(&p, 192000, 192000, 0);
    pace_took(&p, 10ull * 365 * 24 * 3600 * 192000 - 100);
    assert_int_equal(pace_due(&p, ten_years), 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(due_follows_the_rate),
        cmocka_unit_test(whole_seconds_are_exact),
        cmocka_unit_test(a_late_reader_takes_all_that_is_due),
        cmocka_unit_test(frames_the_fifo_lacks_are_forgiven),
        cmocka_unit_test(years_do_not_overflow),
    };
    return cmocka_run_group_tests_name("audio_pace", tests, NULL, NULL);
}
